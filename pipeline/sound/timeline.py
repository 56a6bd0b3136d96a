"""Where everything sits on the final master, in seconds: the one timeline.

The master stage makes it from the mix (`Timeline.of`); everything above reads it: the
report, the ID3 chapters, chapters.json, the M4A and Opus formats, the transcripts, the
listening check, the report page and the site.  A rendered episode's timeline comes back
from its report through one reader (publish/rendered.py `_timeline`).

It carries sentence starts, not transcript cues: how a sentence is laid out in cues is
publishing's business.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the mix is made from the master's Source: the timeline needs only its fields
    from .mix import Mix

PLACES = 3  # the report's precision (milliseconds)


@dataclass(frozen=True)
class ChapterSpan:
    """A chapter of the episode as heard: from its mark to the next (the last, to the end)."""

    title: str
    start: float
    end: float


@dataclass(frozen=True)
class SegmentSpan:
    """A segment on the master: its audio from `start` for `duration`, its first words at
    `speech_start`, and where each of its sentences starts (its first sound).  `sentences`
    is None for a segment read from a report written before the report carried them."""

    index: int
    id: str
    start: float
    speech_start: float
    duration: float
    sentences: tuple[float, ...] | None = ()


@dataclass(frozen=True)
class Timeline:
    duration: float  # of the master as decoded
    chapters: tuple[ChapterSpan, ...]
    segments: tuple[SegmentSpan, ...]
    speech_offset: float = 0.0  # where the speech track's 0 lies on the master (seconds of music before it)

    @classmethod
    def of(cls, mix: Mix, duration: float) -> Timeline:
        """The mix's placements on a master `duration` seconds long (the mix has already
        moved them to the final timeline, all but the speech track's offset)."""
        offset = mix.speech_offset
        starts = [c.start for c in mix.chapters]
        ends = starts[1:] + [duration]
        return cls(
            duration,
            tuple(ChapterSpan(c.title, s, e) for c, s, e in zip(mix.chapters, starts, ends)),
            tuple(
                SegmentSpan(
                    p.segment.index,
                    p.segment.id,
                    p.start + offset,
                    p.onset + offset,
                    p.duration,
                    tuple(s.start + offset for s in p.sentences),
                )
                for p in mix.track.placed
            ),
            offset,
        )

    def at(self, track_time: float) -> float:
        """A time on the speech track (a word's, a sentence's) as a time on the master."""
        return self.speech_offset + track_time

    def rounded(self) -> Timeline:
        """To the report's precision: what report.json holds, and so what is read back from it."""

        def r(x: float) -> float:
            return round(x, PLACES)

        return Timeline(
            r(self.duration),
            tuple(replace(c, start=r(c.start), end=r(c.end)) for c in self.chapters),
            tuple(
                replace(
                    s,
                    start=r(s.start),
                    speech_start=r(s.speech_start),
                    duration=r(s.duration),
                    sentences=None if s.sentences is None else tuple(r(t) for t in s.sentences),
                )
                for s in self.segments
            ),
            r(self.speech_offset),
        )

    @property
    def has_sentences(self) -> bool:
        """Whether every segment's sentence starts are known (a report before them: no)."""
        return all(s.sentences is not None for s in self.segments)
