"""The speech track and what it records: a sound-level value.

The speech-track stage makes it (synthesis/assemble.py); the mix, the master and the
publishing stages read it.  A leaf below all of them, so the sound stages
need nothing from synthesis.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..parse.script import Script, Segment
from .signal import Finding


@dataclass(frozen=True)
class WordTiming:
    """Where one word of a text sounds in its audio (an engine's chunk, a segment, the track)."""

    text: str  # a whitespace-separated token of the text that was spoken
    start: float  # seconds from the start of that audio
    end: float


@dataclass(frozen=True)
class SentenceTiming:
    text: str  # spoken text of the sentence
    start: float  # seconds to its first sound, from the start of its segment (or of the track, once placed)
    duration: float
    # every whitespace token of `text`, timed like `start` (from the engine, or estimated from the audio)
    words: tuple[WordTiming, ...] = ()


@dataclass(frozen=True)
class Placed:
    """Where a segment landed in the speech track."""

    segment: Segment
    start: float  # seconds: where its audio starts
    duration: float
    onset: float  # seconds: where its first words start
    sentences: tuple[SentenceTiming, ...]  # start relative to the track
    findings: tuple[Finding, ...] = ()  # the signal checks' (sound/signal.py), times relative to the segment


@dataclass(frozen=True)
class ChapterMark:
    title: str
    start: float  # seconds; the first chapter starts at 0
    speech_start: float  # where its first words start


@dataclass(frozen=True)
class SpeechTrack:
    script: Script
    path: Path  # mono 16-bit WAV
    sample_rate: int
    duration: float
    placed: tuple[Placed, ...]
    chapters: tuple[ChapterMark, ...]
    synthesized: int = 0  # segments synthesized in this run
    from_cache: int = 0  # segments taken from the cache
    entry_keys: tuple[str, ...] = ()  # the cache entries it was built from
    cached: tuple[bool, ...] = ()  # per segment: taken from the cache (True) or synthesized in this run
