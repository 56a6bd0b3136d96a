"""One clock: how the program shows and publishes a length or a position in whole seconds
(the terminal, the feed's itunes:duration, the site, the report page's header, chapter
timestamps in show notes).  Halves round up everywhere, so one episode has one length.
Where a format wants milliseconds (chapter starts, caption cues), `clock_ms`."""

from __future__ import annotations

import math


def whole_seconds(seconds: float) -> int:
    """The one rounding rule for every duration shown or published (the feed's
    itunes:duration, the site, the terminal, chapter timestamps): to the nearest second,
    halves up, so a 43.500 s MP3 is 44 s, 0:44, everywhere."""
    return int(math.floor(seconds + 0.5)) if seconds > 0 else 0


def clock(seconds: float) -> str:
    """M:SS, or H:MM:SS from an hour, by whole_seconds()."""
    m, s = divmod(whole_seconds(seconds), 60)
    h, m = divmod(m, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def timestamp(seconds: float) -> str:
    """MM:SS (HH:MM:SS from an hour), by whole_seconds(): the chapter timestamps Spotify and
    YouTube read in an episode's description."""
    m, s = divmod(whole_seconds(seconds), 60)
    h, m = divmod(m, 60)
    return f"{h:02d}:{m:02d}:{s:02d}" if h else f"{m:02d}:{s:02d}"


def clock_ms(seconds: float) -> str:
    """HH:MM:SS.mmm: a chapter's start (Opus CHAPTERnnn, Podlove Simple Chapters' normal play
    time) and a WebVTT cue's time."""
    ms = round(seconds * 1000)
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}.{ms:03d}"
