"""TTS engines behind one small interface: text in, audio chunks out.

Engines are chosen by the name a voice file gives (`engine = "piper"`) and
imported only when used, so a missing optional engine costs nothing.
"""

from __future__ import annotations

import functools
import importlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Iterator, Protocol

import numpy as np

from ..errors import VoiceError

if TYPE_CHECKING:
    from ..voices import Voice

# name -> "module:Class", imported lazily
ENGINES = {
    "piper": "pipeline.engines.piper:PiperEngine",
    "espeak": "pipeline.engines.espeak:EspeakEngine",
    "coqui": "pipeline.engines.coqui:CoquiEngine",  # optional extra; imports torch only when it speaks
}


@dataclass(frozen=True)
class WordTiming:
    """Where one word of the text sounds in a chunk's audio."""

    text: str  # a whitespace-separated token of the text given to `synthesize`
    start: float  # seconds from the start of the chunk's samples
    end: float


@dataclass(frozen=True)
class AudioChunk:
    """Mono 16-bit audio for one piece of text."""

    samples: np.ndarray  # int16, 1-D
    sample_rate: int
    # The words this chunk speaks, in order, if the engine knows them (Piper does, from its
    # phoneme durations); None: it does not, and the speech stage estimates them from the audio.
    # The chunks of one `synthesize` call together time every token of its text.
    words: tuple[WordTiming, ...] | None = None

    @property
    def duration(self) -> float:
        return len(self.samples) / self.sample_rate


class Engine(Protocol):
    sample_rate: int

    def synthesize(self, text: str, seed: int) -> Iterator[AudioChunk]:
        """Speak one sentence; the same text and seed give the same samples (and word timings)."""


class EngineClass(Protocol):
    name: str
    # True: one loaded engine may serve several threads at once, each run on one core.
    # False: the engine runs one sentence at a time and is given the cores instead.
    concurrent: bool

    @staticmethod
    def resolve_model(ref: str, base: Path, where: str) -> str:
        """The voice file's `model` made concrete (a checked path, a voice name); VoiceError if missing."""

    @staticmethod
    def model_config(model: str, config: str | None, base: Path, where: str) -> str | None:
        """Check and resolve the model's companion files; raise VoiceError if missing."""

    @staticmethod
    def identity(voice: "Voice") -> dict:
        """What, besides the voice's settings and text, decides the audio (hashes of model
        files, an engine version): part of every cache key."""

    @staticmethod
    def describe(voice: "Voice") -> dict:
        """Facts for `podcast voices`: sample_rate, and what else is cheap to know."""

    @classmethod
    def load(cls, voice: "Voice", threads: int) -> Engine: ...


def engine_class(name: str, where: str = "voice") -> type[EngineClass]:
    target = ENGINES.get(name)
    if target is None:
        raise VoiceError(f"{where}: unknown engine {name!r} (known: {', '.join(ENGINES)})")
    module, _, cls = target.partition(":")
    try:
        return getattr(importlib.import_module(module), cls)
    except ImportError as exc:
        raise VoiceError(f"{where}: the {name} engine is not installed ({exc.name} is missing)") from None


@functools.lru_cache(maxsize=4)
def get_engine(voice: "Voice", threads: int = 0) -> Engine:
    """A loaded engine for a voice, kept for the life of the process."""
    return engine_class(voice.engine, voice.file).load(voice, threads)
