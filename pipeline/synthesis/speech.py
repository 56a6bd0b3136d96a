"""The synthesize stage: every segment spoken (or taken from the cache).

`synthesize()` speaks every segment sentence by sentence, so the start and
length of each sentence inside its segment is known, and its words are timed
(words.py); assemble.py then lays the segments out as the speech track.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import threading
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Callable, ContextManager, Iterable

import numpy as np

from ..errors import PipelineError, SynthesisError
from ..parse.script import Script, Segment
from ..sound import audio
from ..sound.track import SentenceTiming
from .cache import Entry, SegmentCache, segment_key
from .engines import AudioChunk, Engine, Voice, WordTiming, engine_class, get_engine
from .takes import take_voice
from .voices import load_voice
from .words import heard, sentence_words

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
        with core():
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


def cache_key(segment: Segment, voice: Voice, sample_rate: int, attempt: int = 0) -> str:
    """Everything that decides a segment's samples, and nothing else."""
    retry = {"attempt": attempt} if attempt else {}  # a verification retry's take (see verify/retake.py)
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


_CORES: Any = None  # a local batch's budget of cores, shared by its worker processes


def share_cores(budget: Any) -> None:
    """Speak sentences only while holding one of `budget`'s tokens (a semaphore shared by the
    worker processes of a local batch, one token per core).  Every worker runs as many sentence
    threads as there are cores and the budget keeps the machine at one sentence per core; when
    one episode is done (or is being mastered), the others take its cores.  Without it, -j 2 on
    two cores left a core idle whenever one worker ran out of episodes (measured: 1.43x the
    floor against -j 1's 1.24x)."""
    global _CORES
    _CORES = budget


def core() -> ContextManager[Any]:
    return _CORES if _CORES is not None else contextlib.nullcontext()


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
    `attempt`: which take; None: the pinned take, else the one a verification chose (recorded in
    the cache), else the first."""
    if attempt is None:
        attempt = (
            segment.take if segment.take is not None else cache.chosen_take(cache_key(segment, voice, sample_rate))
        )
    voice = take_voice(voice, attempt)
    key = cache_key(segment, voice, sample_rate, attempt)
    entry = cache.get(key)
    if entry is not None and entry.words is None:
        log.debug("cache entry %s… has no word timings; synthesizing it again (the same samples)", key[:12])
        entry = None
    cached = entry is not None
    if entry is None and segment.take:
        log.info("segment %d: the pinned take %d is not in the cache: made again from its seed", segment.index, attempt)
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
