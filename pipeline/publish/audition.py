"""`podcast takes`: a small audition page for one segment's takes.

Each take is a WAV of the segment in its place (the segment before it, the take, the
segment after it), mastered to the episode's loudness, so takes are judged as a listener
hears them.  The page plays each one (from the take itself, or with its context), says
what makes it different, and gives the `podcast pin` line that keeps it.  Self-contained
(nothing fetched from elsewhere), the WAVs beside it.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape

from ..fsutil import write_text_atomic

PAGE = "index.html"


@dataclass(frozen=True)
class Take:
    number: int
    wav: Path  # beside the page
    about: str  # what makes it different
    start: float  # seconds into the WAV where the take starts (after the segment before it)
    duration: float  # of the take itself
    pinned: bool = False


@dataclass(frozen=True)
class Audition:
    episode: Path
    title: str
    segment: int
    text: str
    voice: str
    takes: tuple[Take, ...]

    def pin_command(self, take: int) -> str:
        return f"podcast pin {shlex.quote(str(self.episode))} {self.segment} {take}"


def write(audition: Audition, folder: Path) -> Path:
    env = Environment(loader=PackageLoader("pipeline", "data/report"), autoescape=select_autoescape(["html", "j2"]))
    page = env.get_template("audition.html.j2").render(a=audition, takes=audition.takes)
    path = folder / PAGE
    write_text_atomic(path, page)
    return path
