"""Transcripts with timings: WebVTT (with voice spans) and SubRip.

Every sentence's start is known from synthesis, so a cue starts where its
sentence's first sound is in the final file (intro included).  Cues show the
script text, not the spoken text, and are kept to about two lines: a long
sentence is split at word boundaries, its time shared out by length.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

LINE = 42  # characters per caption line, the usual broadcast limit
CUE = 2 * LINE


@dataclass(frozen=True)
class Cue:
    start: float
    end: float
    text: str
    speaker: str


def cues(mix) -> list[Cue]:
    """Cues on the final timeline, from the speech track's sentence timings."""
    from .speakers import display_names

    script = mix.track.script
    names = display_names(script)  # one name per voice (see speakers.py)
    out: list[Cue] = []
    for placed in mix.track.placed:
        segment = placed.segment
        speaker = names.get(segment.speaker) or segment.speaker or names[None]
        for written, timing in zip(segment.written, placed.sentences):
            start = mix.speech_offset + timing.start
            out += _split(written, start, start + timing.duration, speaker)
    # A cue ends where the next begins at the latest, so none overlap.
    return [Cue(c.start, min(c.end, out[i + 1].start) if i + 1 < len(out) else c.end, c.text, c.speaker)
            for i, c in enumerate(out)]


def _split(text: str, start: float, end: float, speaker: str) -> list[Cue]:
    text = " ".join(text.split())
    if len(text) <= CUE:
        return [Cue(start, end, text, speaker)]
    pieces = _balanced(text)
    total = sum(len(p) for p in pieces)
    out, t = [], start
    for piece in pieces:
        span = (end - start) * len(piece) / total
        out.append(Cue(t, t + span, piece, speaker))
        t += span
    return out


def _balanced(text: str) -> list[str]:
    """As few cues as fit, of even length (no one-word orphan at the end)."""
    n = -(-len(text) // CUE)
    for width in range(-(-len(text) // n), CUE + 1):
        pieces = textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False)
        if len(pieces) <= n:
            return pieces
    return textwrap.wrap(text, CUE, break_long_words=False, break_on_hyphens=False)


def _lines(text: str) -> str:
    return "\n".join(textwrap.wrap(text, LINE, break_long_words=False, break_on_hyphens=False)) or text


def _clock(seconds: float, comma: bool) -> str:
    ms = int(round(seconds * 1000))
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{',' if comma else '.'}{ms:03d}"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def webvtt(items: list[Cue]) -> str:
    blocks = ["WEBVTT"]
    for n, c in enumerate(items, start=1):
        blocks.append(f"{n}\n{_clock(c.start, False)} --> {_clock(c.end, False)}\n"
                      f"<v {_escape(c.speaker)}>{_escape(_lines(c.text))}")
    return "\n\n".join(blocks) + "\n"


def srt(items: list[Cue]) -> str:
    speakers = {c.speaker for c in items}
    blocks = []
    for n, c in enumerate(items, start=1):
        text = _lines(c.text if len(speakers) == 1 else f"{c.speaker}: {c.text}")
        blocks.append(f"{n}\n{_clock(c.start, True)} --> {_clock(c.end, True)}\n{text}")
    return "\n\n".join(blocks) + "\n"
