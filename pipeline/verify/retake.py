"""`render --verify`: the stages that listen to the mastered episode and retake what is broken.

    listen    the master heard, segment by segment (listen.py, checks.py)
    retake    broken segments (and those the signal checks flagged) synthesized again with other
              seeds or take variations (bounded, deterministic); the best take is kept and recorded
              in the cache
    remaster  when a take was kept: the remaster stages from the cache (_stages.py), then
              heard again (`remastered`)
    conclude  each retake fixed or not; --strict refuses what is still broken; `Verified`

Each is a function from one frozen value to the next; _stages.py lists them.
"""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Mapping, Sequence

import numpy as np

from ..errors import MediaError
from ..sound import audio, signal
from ..sound.master import Mastered
from ..synthesis.speech import cache_key, load_voices, render_segment, track_sample_rate
from .checks import SegmentCheck, check_segment, readings
from .doc import Retake, Verification, Verified, reading_line
from .listen import listen
from .recognizer import RATE, Recognizer, load_audio, recognizer

if TYPE_CHECKING:
    from ..parse.script import Script, Segment
    from ..synthesis.cache import SegmentCache
    from ..synthesis.speech import RenderedSegment

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Listened:
    """A mastered episode and what was heard in it."""

    mastered: Mastered
    verification: Verification


@dataclass(frozen=True)
class Retaken:
    """A listened episode and the retakes made for its broken segments (none kept: `kept` is False)."""

    listened: Listened
    retakes: tuple[Retake, ...]

    @property
    def kept(self) -> bool:
        """Whether a better take was kept: the episode must be mixed and mastered again."""
        return any(r.kept for r in self.retakes)


def listen_mastered(mastered: Mastered) -> Listened:
    """The listen stage: the mastered MP3 heard where its timeline says each segment is."""
    script = mastered.mix.track.script
    timeline = mastered.timeline
    samples = load_audio(mastered.path, timeline, script.slug)
    return Listened(mastered, listen(script, timeline, samples, recognizer()))


def retake(listened: Listened, cache: SegmentCache) -> Retaken:
    """The retake stage: the broken segments, and those whose sentences the signal checks flagged
    (silence, a gap, clipping, a runaway pace), synthesized again into `cache` ([verify] retries)."""
    mastered = listened.mastered
    script = mastered.mix.track.script
    broken = [c.index for c in listened.verification.broken]
    placed = mastered.mix.track.placed
    broken += [p.segment.index for p in placed if p.findings and p.segment.index not in broken]
    retries = script.settings.verify.retries
    if not broken or not retries:
        return Retaken(listened, ())
    return Retaken(listened, tuple(repair(script, broken, cache, recognizer(), retries, pace_rates(placed))))


def remastered(retaken: Retaken, mastered: Mastered) -> Retaken:
    """After the remaster stages (_stages.py) made the episode again from the cache: heard again.
    The report counts the first render's synthesis, not the re-run's."""
    first = retaken.listened.mastered.mix.track
    track = dataclasses.replace(mastered.mix.track, synthesized=first.synthesized, from_cache=first.from_cache)
    mastered = dataclasses.replace(mastered, mix=dataclasses.replace(mastered.mix, track=track))
    return Retaken(listen_mastered(mastered), retaken.retakes)


def conclude(retaken: Retaken) -> Verified:
    """The last verify stage: each retake fixed or not by what was heard last; a segment still
    broken fails the render with [verify] strict (--strict), else is shipped with a warning."""
    listened = retaken.listened
    script = listened.mastered.mix.track.script
    verdicts = {c.index: c.verdict for c in listened.verification.checks}
    retakes = tuple(dataclasses.replace(r, fixed=verdicts[r.index] != "broken") for r in retaken.retakes)
    verification = dataclasses.replace(listened.verification, retakes=retakes)
    still = verification.broken
    if still:
        which = ", ".join(f"{c.index} ({'; '.join(c.reasons)})" for c in still)
        if script.settings.verify.strict:
            raise MediaError(
                f"{len(still)} segment(s) still broken after verification (--strict): {which}", file=script.path
            )
        log.warning(
            "%s: %d segment(s) still broken after verification, shipped anyway: %s", script.path, len(still), which
        )
    for r in readings(verification.checks):
        log.warning("%s: %s", script.path, reading_line(r))
    return Verified(listened.mastered, verification)


def take_score(segment: Segment, rendered: RenderedSegment, rec: Recognizer) -> SegmentCheck:
    """One take of a segment, heard on its own (its synthesized audio, before mixing)."""
    samples = audio.resample(rendered.samples(), rendered.entry.sample_rate, RATE).astype(np.float32) / 32768.0
    return check_segment(segment, rec.hear(samples), 0.0, rendered.duration, readings=False)


def repair(
    script: Script,
    broken: Sequence[int],
    cache: SegmentCache,
    rec: Recognizer,
    retries: int,
    pace: Mapping[str, float] | None = None,
) -> list[Retake]:
    """Synthesize broken segments again (attempts 1..retries: other seeds, or for a deterministic
    engine the take variations of synthesis/takes.py), keep the best take (fewest signal-check
    findings, then the lowest word error rate; the earliest on ties) and record the choice in the
    cache.  `pace`: each voice's letters per second in the episode, for the pace check."""
    voices = dict(script.loaded_voices) or load_voices(script)  # the render's, loaded by its `voices` stage
    rate = track_sample_rate(script, voices)
    out = []
    for segment in script.segments:
        if segment.index not in broken:
            continue
        if segment.take is not None:
            out.append(Retake(segment.index, segment.take, False, (), "pinned"))
            continue
        voice = voices[segment.voice]
        scores: list[float] = []
        best: tuple[int, float, int] | None = None
        for attempt in range(retries + 1):
            take = render_segment(segment, voice, cache, rate, attempt=attempt)
            check = take_score(segment, take, rec)
            spans = [signal.Span(s.start, s.duration, s.text) for s in take.sentences]
            findings = signal.segment_findings(
                take.samples(), take.entry.sample_rate, spans, (pace or {}).get(segment.voice, 0.0)
            )
            scores.append(check.wer)
            if best is None or (len(findings), check.wer) < best[:2]:
                best = (len(findings), check.wer, attempt)
            log.info(
                "%s: segment %d, take %d: word error rate %.2f (%s)%s",
                script.slug,
                segment.index,
                attempt,
                check.wer,
                check.verdict,
                "".join(f"; {f.kind}: {f.text}" for f in findings),
            )
            if attempt and check.verdict == "ok" and not findings:
                break
        assert best is not None
        cache.choose_take(
            cache_key(segment, voice, rate),
            best[2],
            {"scores": scores, "segment": segment.id, "chosen_by": "podcast render --verify"},
        )
        out.append(Retake(segment.index, best[2], None, tuple(scores)))
    return out


def pace_rates(placed: Sequence[Any]) -> dict[str, float]:
    """Each voice's letters per second over the episode's sentences (the signal checks' pace)."""
    by_voice: dict[str, list[Any]] = {}
    for p in placed:
        by_voice.setdefault(p.segment.voice, []).extend(signal.Span(0, s.duration, s.text) for s in p.sentences)
    return {voice: signal.median_rate(spans) for voice, spans in by_voice.items()}
