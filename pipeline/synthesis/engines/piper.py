"""Piper (VITS via ONNX Runtime), reproducible and memory-bounded.

Reproducibility: the Piper graph draws Gaussian noise with two
RandomNormalLike nodes whose generator state lives inside the session, so
the same text comes out differently on every call.  We rewrite those nodes
to slice their noise from extra graph inputs that we fill from a seed
derived from the text.  The noise keeps its distribution (natural prosody)
but is a pure function of (text, seed): byte-identical across runs and
processes.

Word timing: the graph's duration predictor decides how many frames each
phoneme id lasts (the `Ceil` node's output, which piper-tts's alignment patch
exposes).  We mark that tensor as a second graph output (the audio does not
change: nothing is computed differently), so every run also says where each
phoneme sits in its samples.  Each word of the text is found among the
sentence's phonemes by matching them against the word's own phonemization
(espeak joins some words, "of the" becomes one group), so a word's start is
the start of its first phoneme, to the frame (256 samples, 11.6 ms at 22.05 kHz).

Memory: one ONNX run costs memory that grows with its phoneme count, so a
sentence longer than MAX_PHONEMES is cut at a pause-like phoneme (or a word
boundary) into pieces that are synthesized one at a time.
"""

from __future__ import annotations

import functools
import json
import logging
import math
import os
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

import numpy as np

from ..._fsutil import input_problem, read_input, resolve_against
from ...errors import SynthesisError, VoiceError
from .base import AudioChunk, Voice, model_file, resolve_model_file
from .phonemes import Spoken, WordPhonemes, timed_chunks

if TYPE_CHECKING:
    import onnx
    import onnxruntime
    from piper.config import PiperConfig
    from piper.voice import PiperVoice

log = logging.getLogger(__name__)

MAX_PHONEMES = 400
NOISE_BLOCK = 1 << 16  # noise is drawn in blocks so a longer draw extends a shorter one


class PiperEngine:
    name = "piper"
    concurrent = True
    seeded = True

    def __init__(
        self,
        voice: Voice,
        piper_voice: PiperVoice,
        session: onnxruntime.InferenceSession,
        noise_inputs: list[tuple[str, int]],
        threads: int,
        durations: bool = False,
    ):
        self.voice = voice
        self._durations = durations  # the session's second output is frames per phoneme id
        self._word_phonemes = WordPhonemes(piper_voice.phonemize)
        self._piper = piper_voice
        self._session = session
        self._noise_inputs = noise_inputs
        self.sample_rate: int = piper_voice.config.sample_rate
        self.threads = threads

    # ------------------------------------------------------------ loading

    @staticmethod
    def model_config(model: str, config: str | None, base: Path, where: str) -> str:
        path = resolve_against(config or f"{model}.json", base)
        if not os.path.lexists(path):
            raise VoiceError(f"{where}: Piper model config {path} does not exist (it belongs beside the .onnx file)")
        piper_config(str(path), where)  # read and checked now: a broken one stops the voice loading
        return str(path.resolve())

    @staticmethod
    def check_settings(voice: Voice) -> None:
        """The voice's `speaker` is one its model has (the config says which), before any synthesis."""
        config = piper_config(voice.config or "", voice.file)
        speaker = voice.speaker
        if speaker is None:
            return
        if isinstance(speaker, str) and speaker not in config.speaker_id_map:
            if config.num_speakers > 1:
                known = (
                    ", ".join(config.speaker_id_map) or f"none by name: give an id from 0 to {config.num_speakers - 1}"
                )
            else:
                known = "none: the model has one speaker"
            raise VoiceError(f"speaker: the model has no speaker {speaker!r} (known: {known})", file=voice.file)
        if isinstance(speaker, int) and not 0 <= speaker < config.num_speakers:
            which = (
                "the model has one speaker (leave speaker out)"
                if config.num_speakers == 1
                else f"the model's speakers are 0 to {config.num_speakers - 1}"
            )
            raise VoiceError(f"speaker: no speaker {speaker}: {which}", file=voice.file)

    @staticmethod
    def resolve_model(ref: str, base: Path, where: str) -> str:
        return str(resolve_model_file(ref, base, where))

    @staticmethod
    def phonemes(voice: Voice) -> frozenset[str]:
        """What a lexicon's `[[...]]` may hold: the phonemes of the config's phoneme_id_map."""
        return frozenset(piper_config(voice.config or "", voice.file).phoneme_id_map)

    @staticmethod
    def identity(voice: Voice) -> dict:
        from importlib.metadata import version

        from ..cache import model_digest

        # The runtime is part of the sound: onnxruntime 1.15 and 1.23 give different samples for the
        # same model and seed (measured), and piper-tts brings the phonemizer.
        return {
            "files": [model_digest(Path(voice.model)), model_digest(Path(voice.config or ""))],
            "onnxruntime": version("onnxruntime"),
            "piper-tts": version("piper-tts"),
        }

    @staticmethod
    def describe(voice: Voice) -> dict:
        config = piper_config(voice.config or "", voice.file)
        return {"sample_rate": config.sample_rate, "speakers": config.num_speakers}

    @staticmethod
    def loads(voice: Voice) -> None:
        """For `podcast check`: the model parses as an ONNX graph with Piper's inputs and
        outputs, as many speakers as its config says (loading it into a session would cost
        seconds; this costs a fraction of one)."""
        _onnx_loads(voice.model, piper_config(voice.config or "", voice.file).num_speakers > 1, voice.file)

    @classmethod
    def load(cls, voice: Voice, threads: int = 0) -> "PiperEngine":
        try:
            import onnx
            import onnxruntime
            from piper.voice import PiperVoice
        except ImportError as exc:  # pragma: no cover - they are dependencies
            raise VoiceError(f"the Piper engine needs {exc.name}; reinstall the project") from None
        config = piper_config(voice.config or "", voice.file)
        _onnx_loads(voice.model, config.num_speakers > 1, voice.file)
        PiperEngine.check_settings(voice)
        try:
            model = onnx.load(voice.model)
        except Exception as exc:  # protobuf's DecodeError and the like: the file, on one line
            raise VoiceError(
                f"{voice.file}: cannot load Piper model {voice.model}: "
                f"{(str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]}"
            ) from None
        noise_inputs = _seedable_noise(model)
        durations = _duration_output(model)
        options = onnxruntime.SessionOptions()
        threads = threads or os.cpu_count() or 1
        options.intra_op_num_threads = threads  # explicit, so parallel workers don't oversubscribe
        options.inter_op_num_threads = 1
        options.log_severity_level = 4  # a short noise buffer is retried; don't print it
        try:
            session = onnxruntime.InferenceSession(
                model.SerializeToString(), options, providers=["CPUExecutionProvider"]
            )
        except Exception as exc:  # ONNX Runtime's errors run over many lines; the first says it
            raise VoiceError(
                f"{voice.file}: Piper model {voice.model} does not load: "
                f"{(str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]}"
            ) from None
        del model
        piper_voice = PiperVoice(session=session, config=config)
        log.debug("loaded Piper voice %s (%d Hz, %d threads)", voice.model, config.sample_rate, threads)
        return cls(voice, piper_voice, session, noise_inputs, threads, durations)

    # ------------------------------------------------------------ synthesis

    def synthesize(self, text: str, seed: int) -> Iterator[AudioChunk]:
        """One chunk per piece of each sentence espeak finds in `text`, with its words' timings."""
        try:
            sentences = self._piper.phonemize(text)
        except Exception as exc:  # espeak errors are opaque; name the text
            raise SynthesisError(f"cannot phonemize {text[:60]!r}: {exc}") from exc

        def speak(piece: list[str], piece_no: int) -> Spoken:
            ids, at = self._ids(piece)
            audio, frames = self._run(ids, seed, piece_no)
            bounds = None
            if frames is not None and len(frames) == len(ids):
                bounds = np.concatenate([[0], np.cumsum(frames)]) * self._piper.config.hop_length / self.sample_rate
            return audio, bounds, at

        chunks = timed_chunks(
            text.split(),
            sentences,
            MAX_PHONEMES,
            speak,
            self._word_phonemes if self._durations else None,
            self.sample_rate,
        )
        for audio, words in chunks:
            yield AudioChunk(samples=audio, sample_rate=self.sample_rate, words=None if words is None else tuple(words))

    def _ids(self, phonemes: list[str]) -> tuple[list[int], list[tuple[int, int] | None]]:
        """Piper's phoneme ids, and each phoneme's ids as (first, after its blank); None: not in the map."""
        ids = self._piper.phonemes_to_ids(phonemes)
        id_map = self._piper.config.phoneme_id_map
        at: list[tuple[int, int] | None] = []
        n = len(id_map.get("^", [])) + len(id_map.get("_", []))
        pad = len(id_map.get("_", []))
        for p in phonemes:
            if p in id_map:
                at.append((n, n + len(id_map[p]) + pad))
                n += len(id_map[p]) + pad
            else:
                at.append(None)
        if n + len(id_map.get("$", [])) != len(ids):  # another id scheme (e.g. Chinese): no word times
            at = [None] * len(phonemes)
        return ids, at

    def _run(self, ids: list[int], seed: int, piece_no: int) -> tuple[np.ndarray, np.ndarray | None]:
        """Samples, and how many frames each phoneme id lasts (None without the duration output)."""
        cfg = self._piper.config
        v = self.voice
        scales = np.array(
            [
                cfg.noise_scale if v.noise_scale is None else v.noise_scale,
                cfg.length_scale if v.length_scale is None else v.length_scale,
                cfg.noise_w_scale if v.noise_w_scale is None else v.noise_w_scale,
            ],
            dtype=np.float32,
        )
        args = {
            "input": np.array([ids], dtype=np.int64),
            "input_lengths": np.array([len(ids)], dtype=np.int64),
            "scales": scales,
        }
        if cfg.num_speakers > 1:
            speaker = v.speaker
            if speaker is None:
                speaker = cfg.default_speaker_id
            elif isinstance(speaker, str):  # a name; an id is used as it is
                speaker = cfg.speaker_id_map.get(speaker, speaker)
            args["sid"] = np.array([speaker], dtype=np.int64)
        # How much noise a run takes depends on the durations it predicts; guess
        # (a little over the usual), and on a short buffer double and run again.
        length = max(1.0, float(scales[1]))
        factor = 1
        for _ in range(8):
            for k, (name, per_id) in enumerate(self._noise_inputs):
                blocks = -(-int(per_id * len(ids) * length * factor) // NOISE_BLOCK)
                args[name] = _noise(seed, piece_no, k, max(1, blocks))
            try:
                outputs = self._session.run(None, args)
                audio = outputs[0].squeeze()
                frames = outputs[1].reshape(-1).astype(np.int64) if self._durations and len(outputs) > 1 else None
                break
            except Exception as exc:
                if "reshape" not in str(exc).lower():
                    raise SynthesisError(f"Piper failed: {str(exc).splitlines()[0][:200]}") from exc
                factor *= 2
        else:  # pragma: no cover - would need hours of audio from one piece
            raise SynthesisError("Piper needed more noise than any sane sentence does")
        return np.clip(audio * 32767.0, -32767, 32767).astype(np.int16), frames


# What a Piper voice's graph takes and gives (piper-tts's export): ids and their count as int64,
# the three scales as float; a multi-speaker model also takes `sid`.
_PIPER_INPUTS = {"input": 7, "input_lengths": 7, "scales": 1}  # name -> ONNX element type (INT64 = 7, FLOAT = 1)


@functools.lru_cache(maxsize=8)
def _model_problem(path: str, size: int, mtime_ns: int, speakers: bool) -> str | None:
    """None when the file is a Piper ONNX model, else what is wrong with it."""
    import onnx

    if size == 0:
        return "the file is empty"
    try:
        model = onnx.load(path, load_external_data=False)
    except Exception as exc:
        return f"not an ONNX model ({(str(exc).strip().splitlines() or [type(exc).__name__])[0][:120]})"
    types = {i.name: i.type.tensor_type.elem_type for i in model.graph.input}
    if not model.graph.node or not model.graph.output:
        return "an ONNX file, but not a Piper voice (an empty graph)"
    wrong = [name for name, kind in _PIPER_INPUTS.items() if types.get(name) != kind]
    if wrong:
        return (
            f"an ONNX file, but not a Piper voice (its inputs are {', '.join(types) or 'none'}; "
            "a Piper voice takes input, input_lengths and scales)"
        )
    if speakers and "sid" not in types:
        return "its config gives several speakers, but the model takes no speaker id (sid): a config of another model?"
    return None


def _onnx_loads(model: str, speakers: bool = False, where: str | None = None) -> None:
    """A Piper voice's .onnx, checked without a session (what `check` can afford): VoiceError naming it."""
    model_file(Path(model), where or "voice")
    st = os.stat(model)
    problem = _model_problem(model, st.st_size, st.st_mtime_ns, speakers)
    if problem:
        raise VoiceError(f"Piper model {model}: {problem}")


def piper_config(path: str, where: str) -> PiperConfig:
    """A Piper voice's .onnx.json, read and checked (once per version of the file): VoiceError
    naming the voice file and the config for anything that is not one."""
    model_file(Path(path), where, "model config")
    st = os.stat(path)
    config, problem = _parsed_config(path, st.st_size, st.st_mtime_ns)
    if config is None:
        raise VoiceError(f"{where}: Piper model config {path}: {problem}")
    return config


def _is_int(value: object, low: int, high: int | None = None) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value and (high is None or value <= high)


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


@functools.lru_cache(maxsize=16)
def _parsed_config(path: str, size: int, mtime_ns: int) -> tuple[PiperConfig | None, str]:
    """(the config, "") or (None, what is wrong with the file)."""
    from piper.config import PhonemeType, PiperConfig

    try:
        raw = read_input(Path(path), "model config")
    except (OSError, ValueError) as exc:
        return None, input_problem(exc, "model config")
    if not raw.strip():
        return None, "the file is empty"
    try:
        data = json.loads(raw.decode("utf-8"))
    except ValueError as exc:  # not UTF-8, not JSON
        return None, f"not JSON ({str(exc)[:120]})"
    except RecursionError:
        return None, "not a Piper model config (JSON nested too deeply)"
    if not isinstance(data, dict):
        return None, "not a Piper model config (a JSON object with audio, espeak, phoneme_id_map ...)"
    audio, espeak, inference = data.get("audio"), data.get("espeak"), data.get("inference", {})
    ids = data.get("phoneme_id_map")
    checks = [
        (isinstance(audio, dict), "no audio section (audio.sample_rate)"),
        (
            isinstance(audio, dict) and _is_int(audio.get("sample_rate"), 8000, 192000),
            f"audio.sample_rate must be a rate in Hz (8000 to 192000), not {(audio or {}).get('sample_rate')!r}"
            if isinstance(audio, dict)
            else "",
        ),
        (_is_int(data.get("num_speakers"), 1), f"num_speakers must be 1 or more, not {data.get('num_speakers')!r}"),
        (_is_int(data.get("num_symbols"), 1), f"num_symbols must be 1 or more, not {data.get('num_symbols')!r}"),
        (isinstance(espeak, dict) and isinstance(espeak.get("voice"), str), "no espeak.voice"),
        (
            isinstance(ids, dict)
            and bool(ids)
            and all(isinstance(v, list) and all(_is_int(i, 0) for i in v) for v in ids.values()),
            "phoneme_id_map must map each phoneme to a list of ids",
        ),
        (data.get("phoneme_type", "espeak") in {t.value for t in PhonemeType}, "an unknown phoneme_type"),
        (
            isinstance(data.get("speaker_id_map", {}), dict)
            and all(_is_int(v, 0) for v in data.get("speaker_id_map", {}).values()),
            "speaker_id_map must map each speaker's name to an id",
        ),
        (
            isinstance(inference, dict) and all(_is_number(v) for v in inference.values()),
            "inference must hold numbers (noise_scale, length_scale, noise_w)",
        ),
        (
            _is_int(data.get("hop_length", 256), 1, 1 << 16),
            f"hop_length must be 1 or more, not {data.get('hop_length')!r}",
        ),
        (_is_int(data.get("default_speaker_id", 0), 0), "default_speaker_id must be 0 or more"),
    ]
    for ok, problem in checks:
        if not ok:
            return None, problem[:200]
    try:
        return PiperConfig.from_dict(data), ""
    except Exception as exc:  # what piper-tts itself refuses (vowel_clusters of the wrong shape, ...)
        return None, f"not a Piper model config ({type(exc).__name__}: {str(exc)[:120]})"


def _noise(seed: int, piece: int, stream: int, blocks: int) -> np.ndarray:
    parts = [
        np.random.default_rng([seed, piece, stream, b]).standard_normal(NOISE_BLOCK, dtype=np.float32)
        for b in range(blocks)
    ]
    return np.concatenate(parts)


def _seedable_noise(model: onnx.ModelProto) -> list[tuple[str, int]]:
    """Replace every RandomNormalLike(x) with Reshape(Slice(noise_k, 0, size(x)), shape(x)).

    Returns (input name, values per phoneme id to start with): the duration
    predictor's noise is [1, 2, ids]; the prior's is [1, 192, frames], and a
    phoneme id rarely lasts more than four frames.
    """
    from onnx import TensorProto, helper, numpy_helper

    graph = model.graph
    nodes = []
    names: list[tuple[str, int]] = []
    for node in graph.node:
        if node.op_type != "RandomNormalLike":
            nodes.append(node)
            continue
        k = len(names)
        name, prefix, x = f"noise_{k}", f"/seeded_noise_{k}", node.input[0]
        names.append((name, 2 if "/dp/" in node.name else 192 * 4))
        graph.input.append(helper.make_tensor_value_info(name, TensorProto.FLOAT, [f"noise_{k}_len"]))
        graph.initializer.append(numpy_helper.from_array(np.array([0], dtype=np.int64), prefix + "/zero"))
        nodes += [
            helper.make_node("Shape", [x], [prefix + "/shape"]),
            helper.make_node("ReduceProd", [prefix + "/shape"], [prefix + "/size"], keepdims=1),
            helper.make_node("Slice", [name, prefix + "/zero", prefix + "/size"], [prefix + "/flat"]),
            helper.make_node("Reshape", [prefix + "/flat", prefix + "/shape"], [node.output[0]]),
        ]
    del graph.node[:]
    graph.node.extend(nodes)
    return names


def _duration_output(model: onnx.ModelProto) -> bool:
    """Expose the duration predictor's frames per phoneme id as a second output (what
    piper.patch_voice_with_alignment does); False where the graph has no single Ceil."""
    try:
        from piper.patch_voice_with_alignment import add_alignment_output

        if len(model.graph.output) > 1:  # a model file already patched for alignments
            return True
        add_alignment_output(model)
        return True
    except (ImportError, ValueError) as exc:
        log.debug("no phoneme durations from this model (%s): word times are estimated", exc)
        return False
