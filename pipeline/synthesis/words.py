"""Word timings: where each word of a sentence sounds in its audio.

From the engine when it knows them (Piper's phoneme durations), else estimated
from the audio (eSpeak NG, Coqui); either way checked against the audio, so a
word starts where it is heard.
"""

from __future__ import annotations

import logging

import numpy as np

from .engines import AudioChunk, WordTiming

log = logging.getLogger(__name__)


def sentence_words(
    sentence: str, chunks: list[AudioChunk], samples: np.ndarray, sample_rate: int, offset: float
) -> tuple[WordTiming, ...]:
    """Every token of a sentence, timed from `offset` (where its audio starts): the engine's
    timings where each chunk has them, else estimated from the audio.  These are what the
    cache keeps; `heard()` checks them against the audio when the segment is used."""
    tokens = sentence.split()
    if chunks and all(c.words is not None for c in chunks):
        out: list[WordTiming] = []
        at = offset
        for c in chunks:
            out += [WordTiming(w.text, at + w.start, at + w.end) for w in c.words or ()]
            at += len(c.samples) / sample_rate
        if [w.text for w in out] == tokens:
            return tuple(out)
        log.debug("engine's word timings do not cover %r; estimating them from the audio", sentence[:60])
    return tuple(
        WordTiming(w.text, offset + w.start, offset + w.end) for w in estimate_words(tokens, samples, sample_rate)
    )


_PHRASE_END = (",", ";", ":", ".", "!", "?", "—")
HEARD_DB = -40.0  # dB under the segment's loudest 5 ms: silence, for where words are heard


def heard(words: list[WordTiming], samples: np.ndarray, sample_rate: int, offset: float = 0.0) -> list[WordTiming]:
    """The model's word times checked against the audio.  The phoneme durations can put a
    word a frame or a few off what is heard (a quiet first phoneme, a long pause symbol, a
    sound that rings on into the pause), so a word that follows a pause (15 ms of silence:
    a fricative's flicker is not one) starts where its sound begins, and a word ends where
    its sound stops, not before and not in the silence after it.  A word running on from
    the one before, with no pause near its start, keeps the model's start."""
    window = max(1, sample_rate // 200)  # 5 ms
    n = -(-len(samples) // window)
    padded = np.zeros(n * window, np.float32)
    padded[: len(samples)] = samples
    rms = np.sqrt(np.mean(padded.reshape(n, window) ** 2, axis=1)) if n else np.zeros(1)
    level = max(float(rms.max()) * 10 ** (HEARD_DB / 20), 32767 * 10 ** (-80 / 20))  # the voice's level
    sound = rms > level
    near = int(0.06 * sample_rate) // window  # windows
    run_min = 3  # windows of silence that make a pause

    def loud(w: int) -> bool:
        return bool(sound[w]) if 0 <= w < n else False

    spans = [
        (int(round((w.start - offset) * sample_rate)), int(round((w.end - offset) * sample_rate))) for w in words
    ]  # samples
    starts: list[int] = []
    for k, (start, end) in enumerate(spans):
        if end > start:
            first, last = start // window, -(-end // window)  # windows
            lo = first - 2 * near
            if k:  # not back into the first half of the word before
                lo = max(lo, (spans[k - 1][0] + spans[k - 1][1]) // 2 // window)
            best, run, run_from = None, 0, lo
            for w in range(lo - run_min, last):
                if not loud(w):
                    run, run_from = run + 1, (run_from if run else w)
                    continue
                if (
                    run >= run_min
                    and w >= lo
                    and (w <= first + 2 * near or run_from <= first)
                    and (best is None or abs(w - first) < abs(best - first))
                ):
                    best = w  # where a pause ends, near the model's start (or the pause it starts in)
                run = 0
            if best is not None:
                start = min(best * window, end)
        starts.append(max(start, starts[-1]) if starts else start)
    out: list[WordTiming] = []
    for k, ((_, end), start) in enumerate(zip(spans, starts)):
        limit = starts[k + 1] if k + 1 < len(starts) else len(samples)
        e = max(end, start)
        if loud((e - 1) // window):  # still sounding: on to where it stops, short of the next word
            w = -(-e // window)
            while w * window < min(limit, e + 5 * near * window) and loud(w):
                w += 1
            e = max(e, min(w * window, limit, len(samples)))
        else:  # silence before the end: back to the last sound
            w = (e - 1) // window
            while w * window >= start and not loud(w):
                w -= 1
            e = min(e, max(start, (w + 1) * window))
        out.append(WordTiming(words[k].text, offset + start / sample_rate, offset + max(start, e) / sample_rate))
    return out


def sounding(
    samples: np.ndarray, sample_rate: int, threshold_db: float = -40.0, min_gap: float = 0.1
) -> list[tuple[float, float]]:
    """(start, end) seconds of the stretches of sound, silences shorter than `min_gap` bridged."""
    window = max(1, sample_rate // 100)
    n = len(samples) // window
    if n == 0:
        return []
    blocks = samples[: n * window].astype(np.float32).reshape(n, window)
    loud = np.sqrt(np.mean(blocks * blocks, axis=1)) > 32767 * 10 ** (threshold_db / 20)
    runs: list[list[float]] = []
    for i in np.nonzero(loud)[0]:
        t = i * window / sample_rate
        if runs and t - runs[-1][1] < min_gap:
            runs[-1][1] = t + window / sample_rate
        else:
            runs.append([t, t + window / sample_rate])
    return [(a, b) for a, b in runs]


def estimate_words(tokens: list[str], samples: np.ndarray, sample_rate: int) -> list[WordTiming]:
    """Word times for an engine that gives none (eSpeak NG, Coqui): the sentence's phrases
    (tokens up to a comma or stop) laid on the stretches of sound when they are as many,
    else all of it on the span from the first sound to the last; within each, every word
    gets a share of time by its number of letters."""
    runs = sounding(samples, sample_rate)
    if not runs:
        end = len(samples) / sample_rate
        return [WordTiming(t, end, end) for t in tokens]
    phrases: list[list[str]] = [[]]
    for token in tokens:
        phrases[-1].append(token)
        if token.rstrip("\"')]").endswith(_PHRASE_END):
            phrases.append([])
    phrases = [p for p in phrases if p]
    if len(phrases) != len(runs):
        phrases, runs = [tokens], [(runs[0][0], runs[-1][1])]
    out: list[WordTiming] = []
    for phrase, (a, b) in zip(phrases, runs):
        weights = [sum(ch.isalnum() for ch in t) + (1 if any(ch.isalnum() for ch in t) else 0) for t in phrase]
        total = sum(weights) or 1
        t = a
        for token, w in zip(phrase, weights):
            span = (b - a) * w / total
            out.append(WordTiming(token, t, t + span))
            t += span
    return out
