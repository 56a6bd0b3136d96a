"""`podcast site`: a static web page for the show, built from rendered episodes.

It reads what a render left in the output folder (`<slug>.report.json`, the
MP3, its WebVTT transcript) and writes `index.html` (the episodes, newest
first) and one page per episode with an `<audio>` player, the chapter list
(each a button that seeks), the description and the transcript, whose cue
follows the playback.  The show's cover art (and a favicon made from it), its
description, subscribe links and share tags (Open Graph, Twitter cards) come from the
show's settings; descriptions are HTML cut to a safe subset (`html.sanitize`), labels come
from `data/site/messages.toml` in the show's language.  Everything it needs is in the folder it writes (no
fonts, scripts or styles from elsewhere), so it works offline and from any
static host that answers HTTP Range requests (browsers seek audio with them).
"""

from __future__ import annotations

import dataclasses
import logging
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import Environment
from markupsafe import Markup

from .. import _tomlfile as tomlfile
from .._clock import clock
from .._fsutil import atomic_path, read_regular, regular_file, write_bytes_atomic, write_text_atomic
from .._showmeta import without_controls
from ..errors import PipelineError
from ..publish.formats import MEDIA
from ..publish.html import plain_text, sanitize, templates
from ..publish.rendered import ReportError, read_report, warn
from ..publish.transcripts import Cue, read_webvtt
from ..sound.timeline import ChapterSpan
from .derive import feed_url, media_url

if TYPE_CHECKING:
    from .._config import ShowSettings, SiteSettings

log = logging.getLogger(__name__)

ASSETS = ("site.css", "player.js")


@dataclass(frozen=True)
class Page:
    show: dict
    slug: str
    title: str
    number: int | None
    date: str | None
    description: str | None  # as written (HTML allowed)
    duration: float
    mp3: Path
    vtt: Path | None
    chapters: tuple[ChapterSpan, ...]
    cues: tuple[Cue, ...]  # the WebVTT transcript's
    season: int | None = None
    cover: Path | None = None  # the episode's art beside its MP3 (cover-<digest>.jpg/.png)
    downloads: tuple[Path, ...] = ()  # the transcript's files: WebVTT, SRT, JSON
    alternates: tuple[Path, ...] = ()  # the extra formats the render wrote ([master] formats): M4A, Opus

    @property
    def description_html(self) -> Markup:
        return Markup(sanitize(self.description or ""))

    @property
    def summary(self) -> str:
        """The description as plain text (share tags)."""
        return plain_text(self.description or "")


def collect(folder: Path, include_future: bool = False) -> list[Page]:
    """Every finished episode in `folder` (one with a report and its MP3), newest first.
    Drafts (`<slug>-draft`) are left out: they are not for listeners; so is an episode dated in
    the future, until its date (as in the feed), unless `include_future`; and one whose report
    is damaged (a warning names the file and the key: nothing from it is used)."""
    from .feed import scheduled

    pages = []
    for report_path in sorted(folder.glob("*.report.json")):
        try:
            report = read_report(report_path)
        except ReportError as exc:
            warn(exc, "left out of the site (render it again with --force)")
            continue
        slug = report.slug
        mp3 = folder / f"{slug}.mp3"
        if slug.endswith("-draft") or not mp3.is_file():
            continue
        if not include_future and scheduled(report.date):
            log.info("%s: dated %s, in the future: not on the site until then", slug, report.date)
            continue
        vtt = folder / f"{slug}.vtt"
        cover_name = report.outputs.get("cover")
        cover = folder / cover_name if cover_name else None
        names = (f"{slug}.vtt", f"{slug}.srt", f"{slug}.transcript.json")
        pages.append(
            Page(
                show=dict(report.show),
                slug=slug,
                title=report.title or slug,
                number=report.number,
                date=report.date,
                description=report.description,
                duration=report.duration,
                mp3=mp3,
                vtt=vtt if vtt.is_file() else None,
                chapters=report.chapters,
                cues=_cues(vtt),
                season=report.season,
                cover=_picture(cover),
                downloads=tuple(folder / n for n in names if (folder / n).is_file()),
                alternates=tuple(
                    folder / n for f, n in report.alternates.items() if f in MEDIA and (folder / n).is_file()
                ),
            )
        )
    # Newest first: by date, then season and episode number, then name (stable for equal keys).
    return sorted(pages, key=lambda p: (p.date or "", p.season or 0, p.number or 0, p.slug), reverse=True)


MAX_TRANSCRIPT_BYTES = 50_000_000


def _cues(vtt: Path) -> tuple[Cue, ...]:
    """The WebVTT transcript's cues for the page: a regular file of sane size, else none (with a warning)."""
    if not vtt.is_file():
        return ()
    try:
        regular_file(vtt, "transcript", MAX_TRANSCRIPT_BYTES)
        cues = tuple(read_webvtt(vtt))
    except (OSError, ValueError) as exc:
        log.warning("%s: %s; the page has no transcript", vtt, getattr(exc, "strerror", None) or exc)
        return ()
    return tuple(
        dataclasses.replace(c, text=without_controls(c.text), speaker=without_controls(c.speaker)) for c in cues
    )


def _picture(path: Path | None) -> Path | None:
    """An episode's cover art named by its report, when it is a picture the pages can use;
    None (with a warning) when it is not."""
    from PIL import Image

    from ..publish.artwork import MAX_BYTES

    if path is None or not path.is_file():
        return None
    try:
        import io

        with Image.open(io.BytesIO(read_regular(path, "picture", MAX_BYTES))) as image:
            image.verify()
    except (OSError, ValueError, Image.DecompressionBombError) as exc:
        log.warning("%s: not a picture the pages can show (%s); left out", path, exc)
        return None
    return path


def seasons(pages: list[Page]) -> list[tuple[int | None, list[Page]]]:
    """The index's groups: one per season, newest season first (episodes without a season
    last), each newest first; one group (None) when no episode has a season."""
    if not any(p.season for p in pages):
        return [(None, pages)]
    numbers = sorted({p.season or 0 for p in pages}, reverse=True)
    return [(n or None, [p for p in pages if (p.season or 0) == n]) for n in numbers]


MESSAGES = "messages.toml"


def messages(language: str) -> tuple[dict[str, str], str]:
    """The labels for `language` ("de-AT": German) and the catalogue's language used; English
    (with a log line) when the catalogue has no table for it."""
    import importlib.resources

    text = (importlib.resources.files("pipeline") / "data" / "site" / MESSAGES).read_text(encoding="utf-8")
    catalogue = tomlfile.parse(text, MESSAGES)
    primary = language.split("-")[0].lower()
    if primary in catalogue:
        return {**catalogue["en"], **catalogue[primary]}, primary
    log.warning(
        "the show page has no labels in %r (only %s); they are in English", language, ", ".join(sorted(catalogue))
    )
    return catalogue["en"], "en"


SUBSCRIBE_NAMES = {
    "apple": "Apple Podcasts",
    "spotify": "Spotify",
    "youtube": "YouTube Music",
    "pocketcasts": "Pocket Casts",
    "overcast": "Overcast",
    "amazon": "Amazon Music",
}


@dataclass(frozen=True)
class Show:
    """What the pages say about the show."""

    title: str
    language: str
    description: str = ""
    author: str = ""
    cover: str | None = None  # the cover's name under media/
    cover_file: Path | None = None  # where it came from
    thumbnail: str | None = None  # a small copy of it for the pages
    feed: str | None = None  # the RSS feed's URL (absolute, or relative to the site)
    links: tuple[tuple[str, str], ...] = ()  # (name, URL) of other places to subscribe
    url: str = ""  # the site's public URL, ending in "/" ("" when not known)
    media_base: str = ""  # absolute URL prefix for media in share tags ("" when not known)

    @property
    def description_html(self) -> Markup:
        return Markup(sanitize(self.description))

    @property
    def summary(self) -> str:
        return plain_text(self.description)


def _environment() -> Environment:
    env = templates("site")
    env.filters["clock"] = clock
    env.globals["thumbnail"] = thumbnail_name
    env.globals["season_page"] = season_page
    env.filters["truncate_text"] = lambda text, n=300: text if len(text) <= n else text[: n - 1].rstrip() + "…"
    return env


# What may be in a folder the site goes into without it being someone else's: a git checkout's
# dot files (.git, .nojekyll) and GitHub Pages' custom-domain file.
_NOT_CONTENT = ("CNAME",)


def output_problem(out: Path) -> str | None:
    """Why the site must not be written into `out` (None: it may).  A site is written into a new
    or empty folder, or over an earlier site (one holding index.html and its assets); never into
    the file system's root or the home folder, nor into a folder of other files, whose
    index.html and favicon it would replace."""
    where = Path(os.path.abspath(out))
    if where.exists() and not where.is_dir():
        return "is a file, not a folder"
    resolved = where.resolve()
    if resolved == Path(resolved.anchor):
        return "is the file system's root; give a folder of its own for the site"
    if resolved == Path.home().resolve():
        return "is the home folder; give a folder of its own for the site"
    if not where.is_dir():
        return None
    names = {p.name for p in where.iterdir() if not p.name.startswith(".") and p.name not in _NOT_CONTENT}
    if {"index.html", *ASSETS} <= names:
        return None  # an earlier site (and whatever was added to it)
    ours = {"media", "feed.xml", *ASSETS, *ICONS}
    if names & {"media", *ASSETS} and all(n in ours or n.endswith(".html") for n in names):
        return None  # a site whose build was cut short: its media, some pages
    if names:
        return (
            "holds other files and no site written before (index.html, " + ", ".join(ASSETS) + "); "
            "give a new or empty folder for the site"
        )
    return None


def build(
    folder: Path,
    out: Path,
    show_title: str = "",
    language: str = "",
    show: ShowSettings | None = None,
    site: SiteSettings | None = None,
    include_future: bool = False,
) -> list[Path]:
    """Write the site for the episodes in `folder` into `out`; returns the pages written.
    The show's title and language default to what the newest episode's report says;
    `show` and `site` (the settings) add the description, cover, feed and subscribe links."""
    if not folder.is_dir():
        raise PipelineError(f"{folder}: no such folder of rendered episodes")
    pages = collect(folder, include_future)
    if not pages:
        raise PipelineError(f"{folder}: no rendered episodes (no <slug>.report.json with its MP3)")
    problem = output_problem(out)
    if problem:
        raise PipelineError(f"{out}: {problem}")
    env = _environment()
    media = out / "media"
    media.mkdir(parents=True, exist_ok=True)
    title = show_title or (show.title if show else "") or pages[0].show.get("title") or "Episodes"
    language = language or pages[0].show.get("language") or (show.language if show else "") or "en"
    labels, _ = messages(language)
    the_show = _show(folder, out, pages, title, language, show, site)
    common: dict[str, Any] = {"show": the_show, "show_title": title, "language": language, "t": labels}
    written = []
    for page in pages:
        for src in (page.mp3, page.vtt, page.cover, *page.downloads, *page.alternates):
            if src is not None:
                _place(src, media / src.name)
        if page.cover is not None and page.cover.name != the_show.cover:  # the episode's own art
            _scaled(page.cover, media / thumbnail_name(page.cover.name), THUMBNAIL)
        path = out / f"{page.slug}.html"
        write_text_atomic(path, env.get_template("episode.html.j2").render(page=page, media="media", **common))
        written.append(path)
    index = out / "index.html"
    groups = seasons(pages)
    write_text_atomic(index, env.get_template("index.html.j2").render(seasons=groups, season=None, **common))
    for number, group in groups:
        if number is not None:  # a page per season, linked from its heading on the index
            path = out / season_page(number)
            write_text_atomic(
                path, env.get_template("index.html.j2").render(seasons=[(number, group)], season=number, **common)
            )
            written.append(path)
    for asset in ASSETS:
        assert env.loader is not None
        write_text_atomic(out / asset, env.loader.get_source(env, asset)[0])
    _favicons(out, the_show.cover_file)
    log.info("wrote %s (%d episode pages)", index, len(pages))
    return [index, *written]


THUMBNAIL = 480  # px: the cover on the pages (the full art is for share tags and downloads)
ICONS = "favicon.ico", "apple-touch-icon.png"


def season_page(number: int) -> str:
    return f"season-{number}.html"


def thumbnail_name(cover: str) -> str:
    """The pages' small copy of art named `cover` (cover-<digest>.png: cover-<digest>-480.png)."""
    return f"{Path(cover).stem}-{THUMBNAIL}{Path(cover).suffix}"


def _show(
    folder: Path,
    out: Path,
    pages: list[Page],
    title: str,
    language: str,
    show: ShowSettings | None,
    site: SiteSettings | None,
) -> Show:
    cover: Path | None = None  # the art's file, and its name under media/
    name = ""
    if show is not None and show.cover and Path(show.cover).is_file():
        from ..publish.artwork import cover_name

        cover = Path(show.cover)
        name = cover_name(cover)
    else:
        cover = next((p.cover for p in pages if p.cover is not None), None)
        name = cover.name if cover else ""
    thumbnail = None
    if cover is not None:
        _place(cover, out / "media" / name)
        thumbnail = thumbnail_name(name)
        _scaled(cover, out / "media" / thumbnail, THUMBNAIL)
    feed: str | None = None
    if show is not None and show.base_url:
        feed = feed_url(show)
    elif (folder / "feed.xml").is_file():
        _place(folder / "feed.xml", out / "feed.xml")
        feed = "feed.xml"
    else:
        log.info("no feed to link from the show page (set show.base_url, or run `podcast feed` first)")
    links = tuple((SUBSCRIBE_NAMES.get(k.lower(), k), v) for k, v in (site.subscribe if site else {}).items())
    url = site.url if site else ""
    media_base = (url.rstrip("/") + "/media/") if url else ""
    if not media_base and show is not None and show.base_url:
        media_base = media_url(show, "")  # the feed's copies of the same files
    return Show(
        title=title,
        language=language,
        description=show.description if show else "",
        author=show.author if show else (pages[0].show.get("author") or ""),
        cover=name or None,
        cover_file=cover,
        thumbnail=thumbnail,
        feed=feed,
        links=links,
        url=(url.rstrip("/") + "/") if url else "",
        media_base=media_base,
    )


def _scaled(src: Path, dst: Path, side: int) -> None:
    """A smaller copy of square art, in its own format (the same bytes on every build)."""
    from PIL import Image

    if dst.is_file():  # named by the art's digest: already made from the same art
        return
    with Image.open(src) as image:
        small = image.convert("RGB").resize((side, side), Image.Resampling.LANCZOS)
        with atomic_path(dst) as tmp:
            small.save(tmp, format="PNG" if src.suffix == ".png" else "JPEG", quality=88, optimize=True)


def _favicons(out: Path, cover: Path | None) -> None:
    """favicon.ico (16, 32 and 48 px) and apple-touch-icon.png (180 px) from the cover, or a
    plain square in the accent colour without one: browsers ask for them, and a 404 is noise."""
    import io

    from PIL import Image

    if cover is not None:
        with Image.open(cover) as opened:
            image = opened.convert("RGB")
    else:
        image = Image.new("RGB", (180, 180), (0x1A, 0x5F, 0xB4))
    ico = io.BytesIO()
    image.resize((48, 48), Image.Resampling.LANCZOS).save(ico, format="ICO", sizes=[(16, 16), (32, 32), (48, 48)])
    write_bytes_atomic(out / ICONS[0], ico.getvalue())
    png = io.BytesIO()
    image.resize((180, 180), Image.Resampling.LANCZOS).save(png, format="PNG", optimize=True)
    write_bytes_atomic(out / ICONS[1], png.getvalue())


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
