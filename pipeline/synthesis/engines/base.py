"""The engines' interface: the `Voice` they are given, the audio they give back, and
what an engine module provides.  A leaf of the synthesis layer: voices.py (which
loads voice files) and every engine stand on it."""

from __future__ import annotations

import importlib.util
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, Protocol

import numpy as np

from ..._fsutil import check_input, input_problem, resolve_against
from ...errors import VoiceError
from ...sound.track import WordTiming
from ...text.lexicon import Lexicon


@dataclass(frozen=True)
class Voice:
    name: str
    engine: str
    model: str  # an absolute path, resolved at load time (Kokoro: a style or blend, checked at load)
    config: str | None = None  # engine-specific model config (Piper: the .onnx.json; Kokoro: none)
    language: str = "en_US"
    description: str = ""
    gender: str = ""  # as listeners would describe the voice: female, male, ... (for `podcast voices`)
    license: str = ""  # the terms of the model and voice data (for `podcast voices`)
    speaker: int | str | None = None  # an id, or a name the model's speaker list knows
    speakers: str | None = None  # a speakers file (Coqui multi-speaker models)
    speaker_wav: str | None = None  # a reference recording to clone (Coqui XTTS, YourTTS)
    length_scale: float | None = None  # None: the model's own default
    noise_scale: float | None = None
    noise_w_scale: float | None = None
    sentence_pause: float = 0.15  # extra silence between sentences, seconds
    paragraph_pause: float | None = None  # before this voice's paragraphs; None: the show's speech.paragraph_pause
    lexicon: Lexicon = Lexicon()  # this voice's additions to the show's lexicon
    file: str = ""  # the TOML this came from

    def synthesis_settings(self) -> dict[str, Any]:
        """Everything besides the model that changes the audio (for seeds and cache keys)."""
        return {
            "speaker": self.speaker,
            "length_scale": self.length_scale,
            "noise_scale": self.noise_scale,
            "noise_w_scale": self.noise_w_scale,
        }


def resolve_model_file(ref: str, base: Path, where: str) -> Path:
    """`package:PKG/path/in/package` or a file path (relative to the voice file)."""
    if ref.startswith("package:"):
        package, _, inner = ref[len("package:") :].partition("/")
        spec = importlib.util.find_spec(package)
        if spec is None or not spec.submodule_search_locations:
            raise VoiceError(f"{where}: the package {package!r} that holds the model is not installed")
        path = Path(list(spec.submodule_search_locations)[0]) / inner
    else:
        path = resolve_against(ref, base)
    model_file(path, where)
    return path.resolve()


def model_file(path: Path, where: str, kind: str = "model file") -> None:
    """A model's file (or its config) is a regular file of sane size: VoiceError naming it
    otherwise ("does not exist", "is a FIFO (named pipe), not a regular model file")."""
    if not os.path.lexists(path):
        raise VoiceError(f"{where}: {kind} {path} does not exist")
    try:
        check_input(path, kind)
    except (OSError, ValueError) as exc:
        raise VoiceError(f"{where}: {kind} {path} {input_problem(exc, kind)}") from None


@dataclass(frozen=True)
class AudioChunk:
    """Mono 16-bit audio for one piece of text."""

    samples: np.ndarray  # int16, 1-D
    sample_rate: int
    # The words this chunk speaks, in order, if the engine knows them (Piper does, from its
    # phoneme durations); None: it does not, and the speech stage estimates them from the audio.
    # The chunks of one `synthesize` call together time every token of its text.
    words: tuple[WordTiming, ...] | None = None


class Engine(Protocol):
    sample_rate: int

    def synthesize(self, text: str, seed: int) -> Iterator[AudioChunk]:
        """Speak one sentence; the same text and seed give the same samples (and word timings)."""


class EngineClass(Protocol):
    name: str
    # True: one loaded engine may serve several threads at once, each run on one core.
    # False: the engine runs one sentence at a time and is given the cores instead.
    concurrent: bool
    # True: another seed is another take (sampling noise); False: the same text is always
    # said the same way (retakes and `podcast takes` vary the voice instead).
    seeded: bool

    @staticmethod
    def resolve_model(ref: str, base: Path, where: str) -> str:
        """The voice file's `model` made concrete (a checked path, a voice name); VoiceError if missing."""

    @staticmethod
    def model_config(model: str, config: str | None, base: Path, where: str) -> str | None:
        """Check and resolve the model's companion files; raise VoiceError if missing."""

    @staticmethod
    def identity(voice: Voice) -> dict:
        """What, besides the voice's settings and text, decides the audio (hashes of model
        files, an engine version): part of every cache key."""

    @staticmethod
    def describe(voice: Voice) -> dict:
        """Facts for `podcast voices`: sample_rate, and what else is cheap to know."""

    @classmethod
    def load(cls, voice: Voice, threads: int) -> Engine: ...
