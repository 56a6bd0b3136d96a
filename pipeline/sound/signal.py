"""Signal checks per sentence: what a producer would hear as broken, found without a recognizer.

Four faults an engine can make, each measured on the sentence's own samples in a few
milliseconds: near silence (the engine said nothing), a gap inside the sentence far longer
than any pause a voice makes, clipping (full-scale samples in a run), and a pace far from
the voice's own in the same episode (a stuck or runaway synthesis: too long or too short for
its text).  The thresholds are calibrated in scripts/signal_calibration.py: no finding on
correct renders of the real transcript and the example, every deliberate damage caught.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from typing import Iterable, Sequence

import numpy as np

FRAME = 0.010  # seconds per level frame
SILENT_DBFS = -50.0  # a frame quieter than this is silence
NEAR_SILENT_DBFS = -40.0  # a sentence whose loudest 100 ms is below this said nothing
LONGEST_GAP = 1.2  # seconds of silence inside a sentence (voices pause 0.2-0.7 s at commas)
# Clipping a listener hears: a run of full-scale samples, or many of them (Kokoro's correct
# output has a few isolated ones: 8 in the real transcript, runs of 3 at most).
CLIP_RUN = 5
CLIP_COUNT = 20
PACE_FACTOR = 2.2  # a sentence this many times slower or faster than the voice's median pace
PACE_MIN_LETTERS = 12  # shorter sentences vary too much to judge their pace


@dataclass(frozen=True)
class Finding:
    """One fault in one sentence of a segment."""

    kind: str  # "silent", "gap", "clipped", "pace"
    sentence: int  # 0-based, within the segment
    time: float  # seconds from the start of the segment's audio
    text: str  # one line for a producer

    def as_dict(self) -> dict[str, object]:
        return {"kind": self.kind, "sentence": self.sentence, "time": round(self.time, 3), "text": self.text}


@dataclass(frozen=True)
class Span:
    """A sentence's place in its segment's samples, and what it says."""

    start: float  # seconds
    duration: float
    text: str


def levels(samples: np.ndarray, sample_rate: int) -> np.ndarray:
    """RMS level per 10 ms frame, in dBFS (int16 or float samples)."""
    x = samples.astype(np.float32) / (32768.0 if samples.dtype == np.int16 else 1.0)
    hop = max(1, int(sample_rate * FRAME))
    n = len(x) // hop
    if n == 0:
        return np.full(1, -120.0)
    frames = x[: n * hop].reshape(n, hop)
    rms = np.sqrt(np.mean(frames * frames, axis=1))
    return 20 * np.log10(np.maximum(rms, 1e-6))


def _longest_run(mask: np.ndarray) -> tuple[int, int]:
    """(length, start index) of the longest run of True."""
    if not mask.any():
        return 0, 0
    padded = np.concatenate(([False], mask, [False])).astype(np.int8)
    edges = np.flatnonzero(np.diff(padded))
    starts, ends = edges[::2], edges[1::2]
    i = int(np.argmax(ends - starts))
    return int(ends[i] - starts[i]), int(starts[i])


def letters(text: str) -> int:
    """Letters and digits of any script (an accented, Cyrillic or CJK sentence is judged too)."""
    return sum(c.isalnum() for c in text)


def check_sentence(samples: np.ndarray, sample_rate: int, span: Span, n: int) -> list[Finding]:
    """The faults of one sentence that need no comparison with others: silence, a gap, clipping."""
    a = max(0, int(span.start * sample_rate))
    b = min(len(samples), int((span.start + span.duration) * sample_rate))
    part = samples[a:b]
    found: list[Finding] = []
    level = levels(part, sample_rate)
    loudest = (
        float(np.max(np.convolve(level, np.ones(10) / 10, mode="valid"))) if len(level) >= 10 else float(level.max())
    )
    if loudest < NEAR_SILENT_DBFS:
        found.append(Finding("silent", n, span.start, f"near silence (loudest {loudest:.0f} dBFS)"))
        return found  # a silent sentence has no gaps or pace worth reporting
    sound = np.flatnonzero(level > SILENT_DBFS)
    if len(sound):
        inside = level[sound[0] : sound[-1] + 1] <= SILENT_DBFS
        run, at = _longest_run(inside)
        if run * FRAME > LONGEST_GAP:
            where = span.start + (sound[0] + at) * FRAME
            found.append(Finding("gap", n, where, f"a {run * FRAME:.1f} s gap inside the sentence"))
    full = np.abs(part.astype(np.int32)) >= 32767 if part.dtype == np.int16 else np.abs(part) >= 0.9999
    run, at = _longest_run(full)
    if run >= CLIP_RUN or int(full.sum()) >= CLIP_COUNT:
        found.append(
            Finding("clipped", n, span.start + at / sample_rate, f"clipped ({int(full.sum())} samples at full scale)")
        )
    return found


def check_pace(spans: Sequence[tuple[int, Span]], rate: float) -> list[Finding]:
    """Sentences whose length is far from what their text takes at the voice's median pace
    (`rate`: letters per second, measured on the episode)."""
    found = []
    for n, span in spans:
        count = letters(span.text)
        if count < PACE_MIN_LETTERS or span.duration <= 0 or rate <= 0:
            continue
        expected = count / rate
        ratio = span.duration / expected
        if ratio > PACE_FACTOR or ratio < 1 / PACE_FACTOR:
            how = "slower" if ratio > 1 else "faster"
            found.append(
                Finding(
                    "pace",
                    n,
                    span.start,
                    f"{span.duration:.1f} s for {count} letters: {max(ratio, 1 / ratio):.1f}x {how} than the voice's pace",
                )
            )
    return found


def median_rate(spans: Iterable[Span]) -> float:
    """Letters per second of the voice: the median over sentences long enough to judge."""
    rates = [letters(s.text) / s.duration for s in spans if letters(s.text) >= PACE_MIN_LETTERS and s.duration > 0]
    return statistics.median(rates) if rates else 0.0


def segment_findings(
    samples: np.ndarray, sample_rate: int, spans: Sequence[Span], pace_rate: float = 0.0
) -> list[Finding]:
    """Every check on one segment's sentences (`spans` relative to its samples); the pace check
    when the voice's pace in the episode (`pace_rate`, letters per second) is known, and only on
    sentences that no other check flagged (a gap or silence explains their length)."""
    found = [f for n, span in enumerate(spans) for f in check_sentence(samples, sample_rate, span, n)]
    flagged = {f.sentence for f in found}
    if pace_rate > 0:
        found += check_pace([(n, s) for n, s in enumerate(spans) if n not in flagged], pace_rate)
    return found
