"""`podcast site`: a static web page for the show, built from rendered episodes.

It reads what a render left in the output folder (`<slug>.report.json`, the
MP3, its WebVTT transcript) and writes `index.html` (the episodes, newest
first) and one page per episode with an `<audio>` player, the chapter list
(each a button that seeks), the description and the transcript, whose cue
follows the playback.  Everything it needs is in the folder it writes (no
fonts, scripts or styles from elsewhere), so it works offline and from any
static host that answers HTTP Range requests (browsers seek audio with them).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape

from ..errors import PipelineError
from ..fsutil import atomic_path, write_text_atomic
from .transcripts import Cue, read_webvtt

log = logging.getLogger(__name__)

ASSETS = ("site.css", "player.js")


@dataclass(frozen=True)
class Chapter:
    title: str
    start: float
    end: float


@dataclass(frozen=True)
class Page:
    show: dict
    slug: str
    title: str
    number: int | None
    date: str | None
    description: str | None
    duration: float
    mp3: Path
    vtt: Path | None
    chapters: tuple[Chapter, ...]
    cues: tuple[Cue, ...]  # the WebVTT transcript's


def collect(folder: Path) -> list[Page]:
    """Every finished episode in `folder` (one with a report and its MP3), newest first.
    Drafts (`<slug>-draft`) are left out: they are not for listeners."""
    pages = []
    for report_path in sorted(folder.glob("*.report.json")):
        try:
            report = json.loads(report_path.read_text(encoding="utf-8"))
            episode = report["episode"]
            slug = episode["slug"]
        except (OSError, ValueError, KeyError, TypeError) as exc:
            log.warning("%s: not a render report (%s); left out of the site", report_path, exc)
            continue
        mp3 = folder / f"{slug}.mp3"
        if slug.endswith("-draft") or not mp3.is_file():
            continue
        vtt = folder / f"{slug}.vtt"
        pages.append(
            Page(
                show=report.get("show") or {},
                slug=slug,
                title=episode.get("title") or slug,
                number=episode.get("number"),
                date=episode.get("date"),
                description=episode.get("description"),
                duration=float(report.get("duration", 0.0)),
                mp3=mp3,
                vtt=vtt if vtt.is_file() else None,
                chapters=tuple(Chapter(c["title"], c["start"], c["end"]) for c in report.get("chapters", [])),
                cues=tuple(read_webvtt(vtt)) if vtt.is_file() else (),
            )
        )
    # Newest first: by date, then episode number, then name (stable for equal keys).
    return sorted(pages, key=lambda p: (p.date or "", p.number or 0, p.slug), reverse=True)


def clock(seconds: float) -> str:
    m, s = divmod(int(seconds), 60)
    h, m = divmod(m, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("pipeline", "data/site"),
        autoescape=select_autoescape(["html.j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["clock"] = clock
    return env


def build(folder: Path, out: Path, show_title: str = "", language: str = "") -> list[Path]:
    """Write the site for the episodes in `folder` into `out`; returns the pages written.
    The show's title and language default to what the newest episode's report says."""
    if not folder.is_dir():
        raise PipelineError(f"{folder}: no such folder of rendered episodes")
    pages = collect(folder)
    if not pages:
        raise PipelineError(f"{folder}: no rendered episodes (no <slug>.report.json with its MP3)")
    env = _environment()
    media = out / "media"
    media.mkdir(parents=True, exist_ok=True)
    title = show_title or pages[0].show.get("title") or "Episodes"
    language = language or pages[0].show.get("language") or "en"
    written = []
    for page in pages:
        for src in (page.mp3, page.vtt):
            if src is not None:
                _place(src, media / src.name)
        path = out / f"{page.slug}.html"
        write_text_atomic(
            path,
            env.get_template("episode.html.j2").render(page=page, show_title=title, language=language, media="media"),
        )
        written.append(path)
    index = out / "index.html"
    write_text_atomic(index, env.get_template("index.html.j2").render(pages=pages, show_title=title, language=language))
    for asset in ASSETS:
        assert env.loader is not None
        write_text_atomic(out / asset, env.loader.get_source(env, asset)[0])
    log.info("wrote %s (%d episode pages)", index, len(pages))
    return [index, *written]


def _place(src: Path, dst: Path) -> None:
    """The file in the site's media folder: a hard link where the file system allows, else a copy;
    left alone when it is already the same file."""
    try:
        if dst.exists() and (
            os.path.samefile(src, dst)
            or (dst.stat().st_size == src.stat().st_size and dst.stat().st_mtime >= src.stat().st_mtime)
        ):
            return
    except OSError:
        pass
    with atomic_path(dst) as tmp:
        tmp.unlink()
        try:
            os.link(src, tmp)  # an MP3 is replaced, never rewritten in place, by a render: a link is safe
        except OSError:
            shutil.copyfile(src, tmp)
