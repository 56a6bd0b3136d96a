"""Piper (VITS via ONNX Runtime), reproducible and memory-bounded.

Reproducibility: the Piper graph draws Gaussian noise with two
RandomNormalLike nodes whose generator state lives inside the session, so
the same text comes out differently on every call.  We rewrite those nodes
to slice their noise from extra graph inputs that we fill from a seed
derived from the text.  The noise keeps its distribution (natural prosody)
but is a pure function of (text, seed): byte-identical across runs and
processes.

Memory: one ONNX run costs memory that grows with its phoneme count, so a
sentence longer than MAX_PHONEMES is cut at a pause-like phoneme (or a word
boundary) into pieces that are synthesized one at a time.
"""

from __future__ import annotations

import functools
import json
import logging
import os
from pathlib import Path
from typing import Iterator

import numpy as np

from ..errors import SynthesisError, VoiceError
from ..fsutil import resolve_against
from .base import AudioChunk, Voice, resolve_model_file

log = logging.getLogger(__name__)

MAX_PHONEMES = 400
NOISE_BLOCK = 1 << 16  # noise is drawn in blocks so a longer draw extends a shorter one
_BREAKS = (".", "!", "?", ",", ";", ":", "—")


class PiperEngine:
    name = "piper"
    concurrent = True

    def __init__(self, voice: Voice, piper_voice, session, noise_inputs: list[tuple[str, int]], threads: int):
        self.voice = voice
        self._piper = piper_voice
        self._session = session
        self._noise_inputs = noise_inputs
        self.sample_rate: int = piper_voice.config.sample_rate
        self.threads = threads

    # ------------------------------------------------------------ loading

    @staticmethod
    def model_config(model: Path, config: str | None, base: Path, where: str) -> str:
        path = resolve_against(config or f"{model}.json", base)
        if not path.is_file():
            raise VoiceError(f"{where}: Piper model config {path} does not exist (it belongs beside the .onnx file)")
        return str(path.resolve())

    @staticmethod
    def resolve_model(ref: str, base: Path, where: str) -> str:
        return str(resolve_model_file(ref, base, where))

    @staticmethod
    def identity(voice: Voice) -> dict:
        from ..cache import model_digest

        return {"files": [model_digest(Path(voice.model)), model_digest(Path(voice.config or ""))]}

    @staticmethod
    def describe(voice: Voice) -> dict:
        with open(voice.config or "", encoding="utf-8") as f:
            cfg = json.load(f)
        return {"sample_rate": cfg["audio"]["sample_rate"], "speakers": cfg.get("num_speakers", 1)}

    @staticmethod
    def verify(voice: Voice) -> None:
        """For `podcast check`: the model parses as an ONNX graph with Piper's inputs
        (loading it into a session would cost seconds; this costs a fraction of one)."""
        _verify_onnx(voice.model)

    @classmethod
    def load(cls, voice: Voice, threads: int = 0) -> "PiperEngine":
        try:
            import onnx
            import onnxruntime
            from piper.config import PiperConfig
            from piper.voice import PiperVoice
        except ImportError as exc:  # pragma: no cover - they are dependencies
            raise VoiceError(f"the Piper engine needs {exc.name}; reinstall the project") from None
        _verify_onnx(voice.model)
        try:
            model = onnx.load(voice.model)
            with open(voice.config or "", encoding="utf-8") as f:
                config = PiperConfig.from_dict(json.load(f))
        except Exception as exc:  # protobuf's DecodeError and the like: the file, on one line
            raise VoiceError(f"{voice.file}: cannot load Piper model {voice.model}: "
                             f"{(str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]}") from None
        if isinstance(voice.speaker, str) and voice.speaker not in config.speaker_id_map:
            known = ", ".join(config.speaker_id_map) or "none: the model has one speaker"
            raise VoiceError(f"{voice.file}: the model has no speaker {voice.speaker!r} (known: {known})")
        noise_inputs = _seedable_noise(model)
        options = onnxruntime.SessionOptions()
        threads = threads or os.cpu_count() or 1
        options.intra_op_num_threads = threads  # explicit, so parallel workers don't oversubscribe
        options.inter_op_num_threads = 1
        options.log_severity_level = 4  # a short noise buffer is retried; don't print it
        try:
            session = onnxruntime.InferenceSession(model.SerializeToString(), options,
                                                   providers=["CPUExecutionProvider"])
        except Exception as exc:  # ONNX Runtime's errors run over many lines; the first says it
            raise VoiceError(f"{voice.file}: Piper model {voice.model} does not load: "
                             f"{(str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]}") from None
        del model
        piper_voice = PiperVoice(session=session, config=config)
        log.debug("loaded Piper voice %s (%d Hz, %d threads)", voice.model, config.sample_rate, threads)
        return cls(voice, piper_voice, session, noise_inputs, threads)

    # ------------------------------------------------------------ synthesis

    def synthesize(self, text: str, seed: int) -> Iterator[AudioChunk]:
        """One chunk per piece of each sentence espeak finds in `text`."""
        try:
            sentences = self._piper.phonemize(text)
        except Exception as exc:  # espeak errors are opaque; name the text
            raise SynthesisError(f"cannot phonemize {text[:60]!r}: {exc}") from exc
        piece_no = 0
        for phonemes in sentences:
            for piece in split_phonemes(phonemes, MAX_PHONEMES):
                if not any(p.strip() for p in piece):
                    continue
                ids = self._piper.phonemes_to_ids(piece)
                audio = self._run(ids, seed, piece_no)
                piece_no += 1
                yield AudioChunk(samples=audio, sample_rate=self.sample_rate)

    def _run(self, ids: list[int], seed: int, piece_no: int) -> np.ndarray:
        cfg = self._piper.config
        v = self.voice
        scales = np.array([
            cfg.noise_scale if v.noise_scale is None else v.noise_scale,
            cfg.length_scale if v.length_scale is None else v.length_scale,
            cfg.noise_w_scale if v.noise_w_scale is None else v.noise_w_scale,
        ], dtype=np.float32)
        args = {
            "input": np.array([ids], dtype=np.int64),
            "input_lengths": np.array([len(ids)], dtype=np.int64),
            "scales": scales,
        }
        if cfg.num_speakers > 1:
            speaker = cfg.default_speaker_id if v.speaker is None else cfg.speaker_id_map.get(v.speaker, v.speaker)
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
                audio = self._session.run(None, args)[0].squeeze()
                break
            except Exception as exc:
                if "reshape" not in str(exc).lower():
                    raise SynthesisError(f"Piper failed: {str(exc).splitlines()[0][:200]}") from exc
                factor *= 2
        else:  # pragma: no cover - would need hours of audio from one piece
            raise SynthesisError("Piper needed more noise than any sane sentence does")
        return np.clip(audio * 32767.0, -32767, 32767).astype(np.int16)


@functools.lru_cache(maxsize=8)
def _verified(path: str, size: int, mtime_ns: int) -> str | None:
    """None when the file is a Piper ONNX model, else what is wrong with it."""
    import onnx

    if size == 0:
        return "the file is empty"
    try:
        model = onnx.load(path, load_external_data=False)
    except Exception as exc:
        return f"not an ONNX model ({(str(exc).strip().splitlines() or [type(exc).__name__])[0][:120]})"
    inputs = {i.name for i in model.graph.input}
    if not model.graph.node or "input" not in inputs:
        return "an ONNX file, but not a Piper voice (no graph with an 'input' tensor)"
    return None


def _verify_onnx(model: str) -> None:
    try:
        st = os.stat(model)
    except OSError as exc:
        raise VoiceError(f"Piper model {model}: {exc.strerror}") from None
    problem = _verified(model, st.st_size, st.st_mtime_ns)
    if problem:
        raise VoiceError(f"Piper model {model}: {problem}")


def _noise(seed: int, piece: int, stream: int, blocks: int) -> np.ndarray:
    parts = [np.random.default_rng([seed, piece, stream, b]).standard_normal(NOISE_BLOCK, dtype=np.float32)
             for b in range(blocks)]
    return np.concatenate(parts)


def _seedable_noise(model) -> list[tuple[str, int]]:
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


def split_phonemes(phonemes: list[str], limit: int) -> Iterator[list[str]]:
    """Cut a phoneme list into pieces of at most `limit`, at a pause if possible, else between words."""
    start = 0
    while len(phonemes) - start > limit:
        window = phonemes[start : start + limit]
        cut = _last_index(window, lambda p: p in _BREAKS, minimum=limit // 3)
        if cut is None:
            cut = _last_index(window, lambda p: p == " ", minimum=1)
        end = start + (cut + 1 if cut is not None else limit)
        yield phonemes[start:end]
        start = end
    if start < len(phonemes):
        yield phonemes[start:]


def _last_index(items: list[str], test, minimum: int) -> int | None:
    for i in range(len(items) - 1, minimum - 1, -1):
        if test(items[i]):
            return i
    return None
