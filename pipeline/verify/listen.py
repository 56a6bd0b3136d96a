"""The listening check of one episode: each segment's span of the master heard where the
timeline says it is (checks.py compares it with the script), then the timing check."""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING, Any, Callable, Iterable

import numpy as np

from ..errors import MediaError
from ..sound.timeline import Timeline
from ..text.spoken import episode_context
from .checks import SegmentCheck, check_segment, check_timing
from .doc import Verification
from .recognizer import RATE, Recognizer, recognizer

if TYPE_CHECKING:
    from ..parse.script import Script

log = logging.getLogger(__name__)

PAD = 0.25  # seconds around a segment's span (pauses between segments are 0.7 s or more)


def listen(
    script: Script,
    timeline: Timeline,
    samples: np.ndarray,
    rec: Recognizer | None = None,
    progress: Callable[[Iterable[Any]], Iterable[Any]] = iter,
) -> Verification:
    """Check every segment of `samples` (the whole episode, 16 kHz mono) against the script."""
    rec = rec or recognizer()
    if not timeline.has_sentences:  # a report from before the timeline carried them (publish/rendered.py)
        raise MediaError("the timeline has no sentence starts (rendered by an older version); render it again")
    started = time.perf_counter()
    log.info(
        "%s: listening to %d segments (%.1f min of audio)", script.slug, len(script.segments), len(samples) / RATE / 60
    )
    checks: list[SegmentCheck] = []
    context = episode_context(script)
    for segment, placed in progress(list(zip(script.segments, timeline.segments))):
        start, duration = placed.start, placed.duration
        lo, hi = max(0.0, start - PAD), min(timeline.duration, start + duration + PAD)
        heard = rec.hear(samples[int(lo * RATE) : int(hi * RATE)], offset=lo)
        checks.append(check_segment(segment, heard, start, duration, context))
    timing = check_timing(script, timeline, checks)
    return Verification(
        str(script.path),
        script.slug,
        tuple(checks),
        timing,
        round(time.perf_counter() - started, 1),
        len(samples) / RATE,
    )
