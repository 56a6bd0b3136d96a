"""Synthesis and the speech track.

`synthesize()` speaks every segment sentence by sentence, so the start and
length of each sentence inside its segment is known.  `speech_track()` lays
the segments end to end with paragraph, chapter and explicit pauses into
one mono WAV, written incrementally, and records where everything landed.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

import numpy as np

from . import audio
from .engines import Engine, get_engine
from .errors import PipelineError, SynthesisError
from .script import Script, Segment
from .voices import Voice, load_voice

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SentenceTiming:
    text: str  # spoken text of the sentence
    start: float  # seconds from the start of its segment
    duration: float


@dataclass(frozen=True)
class RenderedSegment:
    segment: Segment
    samples: np.ndarray  # int16 mono
    sample_rate: int
    sentences: tuple[SentenceTiming, ...]
    onset: float  # seconds of silence before the first words

    @property
    def duration(self) -> float:
        return len(self.samples) / self.sample_rate


@dataclass(frozen=True)
class Rendered:
    script: Script
    segments: tuple[RenderedSegment, ...]
    sample_rate: int


def segment_seed(segment: Segment, sentence_no: int) -> int:
    """The noise seed for one sentence: a function of the segment's content only,
    so the same words give the same audio wherever they appear."""
    digest = hashlib.sha256(f"{segment.spoken}\x00{sentence_no}".encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "little")


def synthesize_segment(segment: Segment, voice: Voice, engine: Engine, sample_rate: int) -> RenderedSegment:
    if not segment.sentences:
        raise SynthesisError(f"segment {segment.index} ({segment.id}) has nothing to say")
    pieces: list[np.ndarray] = []
    timings: list[SentenceTiming] = []
    position = 0
    gap = audio.silence(voice.sentence_pause, sample_rate)
    for n, sentence in enumerate(segment.sentences):
        if n:
            pieces.append(gap)
            position += len(gap)
        start = position
        for chunk in engine.synthesize(sentence, segment_seed(segment, n)):
            samples = audio.resample(chunk.samples, chunk.sample_rate, sample_rate)
            pieces.append(samples)
            position += len(samples)
        timings.append(SentenceTiming(sentence, start / sample_rate, (position - start) / sample_rate))
    samples = np.concatenate(pieces) if pieces else np.zeros(0, np.int16)
    samples.flags.writeable = False
    return RenderedSegment(segment, samples, sample_rate, tuple(timings), audio.onset(samples, sample_rate))


def synthesize(script: Script, *, progress: Callable[[Iterable], Iterable] = iter,
               voices: dict[str, Voice] | None = None) -> Rendered:
    """Stage: every segment of the script spoken by its voice."""
    voices = voices or load_voices(script)
    threads = script.settings.speech.threads
    main = voices[script.settings.speech.voice] if script.settings.speech.voice in voices else next(iter(voices.values()))
    sample_rate = get_engine(main, threads).sample_rate
    out = []
    for segment in progress(script.segments):
        voice = voices[segment.voice]
        try:
            out.append(synthesize_segment(segment, voice, get_engine(voice, threads), sample_rate))
        except PipelineError:
            raise
        except Exception as exc:  # engine internals: name the segment, keep the cause for --debug
            raise SynthesisError(f"{script.path}: segment {segment.index} (line {segment.line}): {exc}") from exc
    return Rendered(script, tuple(out), sample_rate)


def load_voices(script: Script) -> dict[str, Voice]:
    """Every voice the script uses, loaded (and so checked) before any synthesis."""
    return {name: load_voice(name, script.settings) for name in script.voices()}


# ---------------------------------------------------------------- speech track


@dataclass(frozen=True)
class Placed:
    """Where a segment landed in the speech track."""

    segment: Segment
    start: float  # seconds: where its audio starts
    duration: float
    onset: float  # seconds: where its first words start
    sentences: tuple[SentenceTiming, ...]  # start relative to the track


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


def gap_before(segment: Segment, previous: Segment | None, script: Script) -> float:
    if previous is None:
        return segment.pause_before
    speech = script.settings.speech
    base = speech.chapter_pause if segment.chapter != previous.chapter else speech.paragraph_pause
    return base + segment.pause_before


def speech_track(rendered: Rendered, path: Path) -> SpeechTrack:
    """Stage: segments end to end with their pauses, written to `path`."""
    script, rate = rendered.script, rendered.sample_rate
    placed: list[Placed] = []
    chapters: list[ChapterMark] = []
    frames = 0
    previous: Segment | None = None
    with audio.WavWriter(path, rate) as wav:
        for r in rendered.segments:
            seg = r.segment
            gap = audio.silence(gap_before(seg, previous, script), rate)
            wav.write(gap)
            frames += len(gap)
            start = frames / rate
            if previous is None or seg.chapter != previous.chapter:
                title = script.chapters[seg.chapter].title
                # A chapter starts just before its first words, in the pause; the first at 0.
                mark = 0.0 if not chapters else max(start, start + r.onset - 0.02)
                chapters.append(ChapterMark(title, mark, start + r.onset))
            wav.write(r.samples)
            frames += len(r.samples)
            placed.append(Placed(seg, start, r.duration, start + r.onset,
                                 tuple(SentenceTiming(s.text, start + s.start, s.duration) for s in r.sentences)))
            previous = seg
        tail = audio.silence(script.trailing_pause, rate)
        wav.write(tail)
        frames += len(tail)
    return SpeechTrack(script, path, rate, frames / rate, tuple(placed), tuple(chapters))
