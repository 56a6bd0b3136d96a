"""Synthesis and the speech track.

`synthesize()` speaks every segment sentence by sentence, so the start and
length of each sentence inside its segment is known.  `speech_track()` lays
the segments end to end with paragraph, chapter and explicit pauses into
one mono WAV, written incrementally, and records where everything landed.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

import numpy as np

from ..errors import PipelineError, SynthesisError
from ..parse.script import Script, Segment
from ..sound import audio
from ..sound.track import ChapterMark, Placed, SentenceTiming, SpeechTrack
from .cache import Entry, SegmentCache, segment_key
from .engines import AudioChunk, Engine, Voice, WordTiming, engine_class, get_engine
from .voices import load_voice

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RenderedSegment:
    """A spoken segment: its audio lives in the segment cache, not in memory."""

    segment: Segment
    entry: Entry
    sentences: tuple[SentenceTiming, ...]
    cached: bool  # True: taken from the cache; False: synthesized in this run
    paragraph_pause: float | None = None  # the voice's own pause before its paragraphs, if it sets one

    @property
    def duration(self) -> float:
        return self.entry.duration

    @property
    def onset(self) -> float:
        """Seconds of silence before the first words."""
        return self.entry.onset

    def samples(self) -> np.ndarray:
        return SegmentCache.read(self.entry)


@dataclass(frozen=True)
class Rendered:
    script: Script
    segments: tuple[RenderedSegment, ...]
    sample_rate: int

    @property
    def synthesized(self) -> int:
        return sum(not r.cached for r in self.segments)

    @property
    def from_cache(self) -> int:
        return sum(r.cached for r in self.segments)


def segment_seed(segment: Segment, sentence_no: int, attempt: int = 0) -> int:
    """The noise seed for one sentence: a function of the segment's content only,
    so the same words give the same audio wherever they appear."""
    return sentence_seed(segment.spoken, sentence_no, attempt)


def sentence_seed(spoken: str, sentence_no: int, attempt: int = 0) -> int:
    """Attempt 0 is the first take; a retry after a failed verification (`attempt` 1, 2, ...)
    gets other seeds, still a pure function of the text and the attempt number."""
    retry = f"\x00retry {attempt}" if attempt else ""
    digest = hashlib.sha256(f"{spoken}\x00{sentence_no}{retry}".encode()).digest()
    return int.from_bytes(digest[:8], "little")


def speak_sentences(
    segment: Segment, voice: Voice, engine: Engine, sample_rate: int, pool: Executor | None = None, attempt: int = 0
) -> tuple[np.ndarray, list[SentenceTiming]]:
    """Synthesize a segment sentence by sentence: (int16 samples, timings within the segment).

    Each sentence has its own seed, so with a `pool` they are spoken in
    parallel and come out identical: a lone edited paragraph uses every core."""
    if not segment.sentences:
        raise SynthesisError(f"nothing to say (id {segment.id})", line=segment.line, segment=segment.index)

    def speak(n: int, sentence: str) -> list[AudioChunk]:
        return [
            AudioChunk(audio.resample(chunk.samples, chunk.sample_rate, sample_rate), sample_rate, chunk.words)
            for chunk in engine.synthesize(sentence, segment_seed(segment, n, attempt))
        ]

    if pool is None:
        spoken = [speak(n, sentence) for n, sentence in enumerate(segment.sentences)]
    else:
        futures = [pool.submit(speak, n, sentence) for n, sentence in enumerate(segment.sentences)]
        spoken = [future.result() for future in futures]
    pieces: list[np.ndarray] = []
    timings: list[SentenceTiming] = []
    position = 0
    gap = audio.silence(voice.sentence_pause, sample_rate)
    for n, (sentence, chunks) in enumerate(zip(segment.sentences, spoken)):
        if n:
            pieces.append(gap)
            position += len(gap)
        start = position
        pieces += [c.samples for c in chunks]
        position += sum(len(c.samples) for c in chunks)
        # A sentence starts at its first sound, not at the engine's lead-in silence (for transcripts).
        joined = np.concatenate([c.samples for c in chunks]) if chunks else np.zeros(0, np.int16)
        lead = audio.onset(joined, sample_rate) if chunks else 0.0
        lead = min(lead, (position - start) / sample_rate)
        words = sentence_words(sentence, chunks, joined, sample_rate, start / sample_rate)
        timings.append(
            SentenceTiming(sentence, start / sample_rate + lead, (position - start) / sample_rate - lead, words)
        )
    return (np.concatenate(pieces) if pieces else np.zeros(0, np.int16)), timings


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


def cache_key(segment: Segment, voice: Voice, sample_rate: int, attempt: int = 0) -> str:
    """Everything that decides a segment's samples, and nothing else."""
    retry = {"attempt": attempt} if attempt else {}  # a verification retry's take (see verify.py)
    return segment_key(
        {
            **retry,
            "engine": voice.engine,
            "model": engine_class(voice.engine).identity(voice),
            "synthesis": voice.synthesis_settings(),
            "sentence_pause": voice.sentence_pause,
            "sample_rate": sample_rate,
            "spoken": segment.spoken,
            "sentences": list(segment.sentences),
            "seed": "sha256(spoken, sentence)",
        }
    )


_ENGINE_LOCK = threading.Lock()  # one load per voice, however many threads want it first


def render_segment(
    segment: Segment,
    voice: Voice,
    cache: SegmentCache,
    sample_rate: int,
    threads: int = 1,
    pool: Executor | None = None,
    attempt: int | None = None,
) -> RenderedSegment:
    """A segment from the cache, or synthesized (loading the engine only then) and cached.

    `threads`: the cores this render may use; a concurrent engine gets one per run.
    `pool`: where the sentences run (not the pool running this call: that could deadlock).
    `attempt`: which take; None: the take a verification chose (recorded in the cache), else the first."""
    if attempt is None:
        attempt = cache.chosen_take(cache_key(segment, voice, sample_rate))
    key = cache_key(segment, voice, sample_rate, attempt)
    entry = cache.get(key)
    if entry is not None and entry.words is None:
        log.debug("cache entry %s… has no word timings; synthesizing it again (the same samples)", key[:12])
        entry = None
    cached = entry is not None
    if entry is None:
        with _ENGINE_LOCK:
            # A concurrent engine (Piper) gets one thread per run, so results do not depend on
            # the core count (ONNX Runtime's multi-threaded kernels can round differently);
            # one that runs a sentence at a time (Coqui) gets the cores instead.
            engine = get_engine(voice, 1 if engine_class(voice.engine).concurrent else threads)
        samples, timings = speak_sentences(segment, voice, engine, sample_rate, pool, attempt)
        entry = cache.put(
            key,
            samples,
            sample_rate,
            [(t.text, t.start, t.duration) for t in timings],
            audio.onset(samples, sample_rate),
            {
                "voice": voice.name,
                "engine": voice.engine,
                "text": segment.spoken[:200],
                **({"attempt": attempt} if attempt else {}),
            },
            [[(w.text, w.start, w.end) for w in t.words] for t in timings],
        )
    # The words as heard: checked against the segment's audio here, not in the cache, so a
    # better check needs no new synthesis.
    samples = SegmentCache.read(entry)
    sentences = tuple(
        SentenceTiming(t, s, d, tuple(heard([WordTiming(*w) for w in words], samples, entry.sample_rate)))
        for (t, s, d), words in zip(entry.sentences, entry.words or ())
    )
    return RenderedSegment(segment, entry, sentences, cached, voice.paragraph_pause)


def track_sample_rate(script: Script, voices: dict[str, Voice]) -> int:
    """The speech track runs at the episode voice's rate; other voices are resampled to it."""
    main = voices.get(script.settings.speech.voice) or next(iter(voices.values()))
    return int(engine_class(main.engine).describe(main)["sample_rate"])


def synthesize(
    script: Script,
    cache: SegmentCache,
    *,
    progress: Callable[[Iterable], Iterable] = iter,
    voices: dict[str, Voice] | None = None,
) -> Rendered:
    """Stage: every segment of the script spoken by its voice (from the cache where it can be).

    Sentences are spoken `speech.threads` at a time (default: one per core), each
    ONNX run single-threaded: as fast as multi-threaded runs, and reproducible.
    Segments queue their sentences in order from as many threads, which do
    the cache lookups and writes; so a cold render keeps every core busy and a
    re-render after a one-paragraph edit spreads that paragraph over them."""
    voices = voices or load_voices(script)
    workers = script.settings.speech.threads or os.cpu_count() or 1
    sample_rate = track_sample_rate(script, voices)
    # A concurrent `cache prune` leaves alone what this render uses, until it is done.
    cache.hold(cache_key(s, voices[s.voice], sample_rate) for s in script.segments)
    out = []
    # One segment more than cores in flight, so the sentence queue never runs dry between segments.
    with ThreadPoolExecutor(max_workers=workers) as sentences, ThreadPoolExecutor(max_workers=workers + 1) as pool:
        futures = [
            pool.submit(render_segment, s, voices[s.voice], cache, sample_rate, workers, sentences)
            for s in script.segments
        ]
        try:
            for segment, future in progress(list(zip(script.segments, futures))):
                try:
                    out.append(future.result())
                except PipelineError as exc:
                    if exc.file is None and exc.segment is not None:  # a segment's error: in this script
                        exc.file = script.path
                    raise
                except OSError:  # a full cache disk: mapped by the caller
                    raise
                except Exception as exc:  # engine internals: name the segment, keep the cause for --debug
                    raise SynthesisError(str(exc), file=script.path, line=segment.line, segment=segment.index) from exc
        except BaseException:
            for future in futures:
                future.cancel()
            sentences.shutdown(wait=False, cancel_futures=True)
            raise
    rendered = Rendered(script, tuple(out), sample_rate)
    log.debug("%s: %d segments synthesized, %d from the cache", script.slug, rendered.synthesized, rendered.from_cache)
    return rendered


def load_voices(script: Script) -> dict[str, Voice]:
    """Every voice the script uses, loaded (and so checked) before any synthesis."""
    return {name: load_voice(name, script.settings) for name in script.voices()}


# ---------------------------------------------------------------- speech track


def gap_before(r: RenderedSegment, previous: Segment | None, script: Script) -> float:
    segment = r.segment
    if previous is None:
        return segment.pause_before
    speech = script.settings.speech
    if segment.chapter != previous.chapter:
        base = speech.chapter_pause
    else:
        base = speech.paragraph_pause if r.paragraph_pause is None else r.paragraph_pause
    return base + segment.pause_before


def speech_track(rendered: Rendered, path: Path) -> SpeechTrack:
    """Stage: segments end to end with their pauses, written to `path`."""
    script, rate = rendered.script, rendered.sample_rate
    placed: list[Placed] = []
    chapters: list[ChapterMark] = []
    frames = 0
    last_sound = 0.0  # where the previous segment's sound ends
    previous: Segment | None = None
    with audio.WavWriter(path, rate) as wav:
        for r in rendered.segments:
            seg = r.segment
            gap = audio.silence(gap_before(r, previous, script), rate)
            wav.write(gap)
            frames += len(gap)
            start = frames / rate
            samples = r.samples()
            if previous is None or seg.chapter != previous.chapter:
                title = script.chapters[seg.chapter].title
                # A chapter starts in the middle of the silence between the previous chapter's
                # last sound and its own first word (the first at 0): as far from both as it can be,
                # so a player seeking by MP3 frame or with pre-roll neither clips the first word
                # nor plays the end of the chapter before.
                mark = 0.0 if not chapters else (last_sound + start + r.onset) / 2
                chapters.append(ChapterMark(title, mark, start + r.onset))
            wav.write(samples)
            last_sound = start + (len(samples) - audio.onset(samples[::-1], rate) * rate) / rate
            frames += len(samples)
            placed.append(
                Placed(
                    seg,
                    start,
                    r.duration,
                    start + r.onset,
                    tuple(
                        SentenceTiming(
                            s.text,
                            start + s.start,
                            s.duration,
                            tuple(WordTiming(w.text, start + w.start, start + w.end) for w in s.words),
                        )
                        for s in r.sentences
                    ),
                )
            )
            previous = seg
        tail = audio.silence(script.trailing_pause, rate)
        wav.write(tail)
        frames += len(tail)
    return SpeechTrack(
        script,
        path,
        rate,
        frames / rate,
        tuple(placed),
        tuple(chapters),
        rendered.synthesized,
        rendered.from_cache,
        tuple(r.entry.key for r in rendered.segments),
    )
