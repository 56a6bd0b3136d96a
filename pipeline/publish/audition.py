"""`podcast takes`: a small audition page for one segment's takes.

Each take is a WAV of the segment in its place (the segment before it, the take, the
segment after it), mastered to the episode's loudness, so takes are judged as a listener
hears them.  The page plays each one (from the take itself, or with its context), says
what makes it different, and gives the `podcast pin` line that keeps it.  Self-contained
(nothing fetched from elsewhere), the WAVs beside it.

The audition is made in the run's work folder and put in place whole at the end (install()),
so an interrupted `podcast takes` leaves no folder of WAVs without their page.
"""

from __future__ import annotations

import os
import shlex
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape

from .._fsutil import atomic_path, clean_stale, remove, write_text_atomic
from ..errors import PipelineError

PAGE = "index.html"
GENERATOR = '<meta name="generator" content="podcast takes">'  # in every audition page (the template)
_OLD_MARK = "<title>Takes of segment "  # audition pages written before the generator line


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
    config: Path | None = None  # the --config the takes were made with: the pin is made with it too
    language: str = "en"  # the show's (the page's lang)

    def pin_command(self, take: int) -> str:
        config = f" --config {shlex.quote(str(self.config))}" if self.config is not None else ""
        return f"podcast pin{config} {shlex.quote(str(self.episode))} {self.segment} {take}"


def write(audition: Audition, folder: Path) -> Path:
    env = Environment(loader=PackageLoader("pipeline", "data/report"), autoescape=select_autoescape(["html", "j2"]))
    page = env.get_template("audition.html.j2").render(a=audition, takes=audition.takes)
    path = folder / PAGE
    write_text_atomic(path, page)
    return path


def check_folder(folder: Path, error: type[PipelineError] = PipelineError) -> None:
    """The audition's folder may hold an earlier audition, or other files, but not someone's own
    index.html (or something else of that name): one line naming it, before any synthesis
    (`error`: UsageError where the folder was given with -o, as `site -o` does)."""
    index = folder / PAGE
    if not os.path.lexists(index):
        return
    problem = "is not an audition page written by `podcast takes`"
    if not index.is_symlink() and index.is_file():
        try:
            with open(index, "rb") as f:
                head = f.read(4096).decode("utf-8", "replace")
        except OSError as exc:
            raise error(f"cannot be read ({exc.strerror})", file=index) from None
        if GENERATOR in head or _OLD_MARK in head:
            return
    else:
        problem = "is not a file, so not an audition page written by `podcast takes`"
    raise error(f"{problem}: give the takes a folder of their own (-o DIR)", file=index)


def install(made: Path, folder: Path) -> None:
    """Put the audition made in `made` (in the run's work folder) at `folder`.  A new folder
    appears whole: it is filled beside its place under a hidden `.part` name, then renamed.
    Into a folder that is there already (an earlier audition, or a folder given with -o, whose
    other files stay) each file is put in place whole, the page last."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    clean_stale(folder)  # a `.part` folder a killed run left
    files = sorted(made.iterdir(), key=lambda p: (p.name == PAGE, p.name))
    if folder.exists():
        for file in files:
            with atomic_path(folder / file.name) as tmp:
                shutil.copyfile(file, tmp)
        return
    part = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=".part", dir=folder.parent))
    try:
        for file in files:
            shutil.copyfile(file, part / file.name)
        umask = os.umask(0)
        os.umask(umask)
        part.chmod(0o777 & ~umask)  # mkdtemp makes it 0700; an output is an ordinary folder
        os.rename(part, folder)
    finally:
        remove(part)
