"""The show's podcast feed: RSS 2.0 with the iTunes and Podcasting 2.0 namespaces.

Built with lxml's element tree (so every value is escaped by the serializer, never by hand)
from what is on disk: the show's settings, each episode script's front matter, and the
rendered files beside each other in the output folder (an episode is in the feed once its
MP3 exists and it has a date).  The same inputs give the same bytes: nothing depends on the
clock, the order files were found in, or the machine; lastBuildDate is the newest episode's
date.  Written atomically, like every other output.

The Podcasting 2.0 elements use the namespace URI of the specification and of the apps and
directories that read it, https://podcastindex.org/namespace/1.0.  (podcastparser 0.6
knows only the specification's older GitHub URL, which the specification says readers must
also accept: it reads the rest of the feed and skips the podcast: elements.)
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import dataclass
from email.utils import format_datetime
from pathlib import Path
from typing import Callable, Iterable

from lxml import etree

from ..config import Settings, ShowSettings
from ..errors import ConfigError, PipelineError
from ..fsutil import atomic_path
from ..parse.script import Script, load_script
from ..showmeta import episode_guid, feed_problems, feed_url, media_url, podcast_guid, split_category
from .artwork import copy_cover, cover_name
from .speakers import people

log = logging.getLogger(__name__)

ITUNES = "http://www.itunes.com/dtds/podcast-1.0.dtd"
PODCAST = "https://podcastindex.org/namespace/1.0"
ATOM = "http://www.w3.org/2005/Atom"
NSMAP = {"itunes": ITUNES, "podcast": PODCAST, "atom": ATOM}
FEED_NAME = "feed.xml"
TRANSCRIPTS = ((".vtt", "text/vtt"), (".srt", "application/x-subrip"))


def _it(name: str) -> str:
    return f"{{{ITUNES}}}{name}"


def _pc(name: str) -> str:
    return f"{{{PODCAST}}}{name}"


@dataclass(frozen=True)
class Item:
    script: Script
    mp3: Path
    published: dt.datetime
    guid: str
    duration: float


def published(script: Script) -> dt.datetime | None:
    """The episode's publication time: front matter date (and time; UTC when no offset is given)."""
    meta = script.meta
    if meta.published:
        when = dt.datetime.fromisoformat(meta.published)
    elif meta.date:
        when = dt.datetime.fromisoformat(meta.date)
    else:
        return None
    return when if when.tzinfo else when.replace(tzinfo=dt.timezone.utc)


def _duration(script: Script, out_dir: Path) -> float:
    try:
        return float(json.loads((out_dir / f"{script.slug}.report.json").read_text(encoding="utf-8"))["duration"])
    except (OSError, ValueError, KeyError, TypeError):
        from ..sound import ffmpeg

        return ffmpeg.probe(out_dir / f"{script.slug}.mp3").duration


def items(scripts: Iterable[Script], show: Settings, out_dir: Path) -> list[Item]:
    """The rendered, dated episodes, newest first (ties: higher season and number first, then slug)."""
    found: list[Item] = []
    guids: dict[str, Path] = {}
    for script in scripts:
        mp3 = out_dir / f"{script.slug}.mp3"
        if not mp3.is_file():
            continue
        when = published(script)
        if when is None:
            log.warning("%s: not in the feed: the front matter has no date", script.path)
            continue
        guid = episode_guid(show.show, script.meta)
        assert guid is not None  # a dated episode always has one
        if guid in guids:
            raise ConfigError(
                f"{script.path}: has the same feed guid as {guids[guid]} ({guid}); give one of them "
                f"an episode number or its own 'guid:' in the front matter"
            )
        guids[guid] = script.path
        found.append(Item(script, mp3, when, guid, _duration(script, out_dir)))
    found.sort(
        key=lambda i: (i.published, i.script.meta.season or 0, i.script.meta.episode or 0, i.script.slug), reverse=True
    )
    return found


def _text(parent: etree._Element, tag: str, value: str | None, **attrs: str) -> etree._Element:
    el = etree.SubElement(parent, tag, attrs)
    if value is not None:
        el.text = value
    return el


def _explicit(value: bool) -> str:
    return "true" if value else "false"


def build(settings: Settings, feed_items: list[Item], out_dir: Path) -> bytes:
    """The feed's bytes."""
    problems = feed_problems(settings.show)
    if problems:
        raise ConfigError("; ".join(problems))
    show = settings.show
    base: Callable[[str], str] = lambda name: media_url(show, name)  # noqa: E731
    rss = etree.Element("rss", {"version": "2.0"}, nsmap=NSMAP)
    ch = etree.SubElement(rss, "channel")
    _text(ch, "title", show.title)
    _text(ch, "link", show.website or show.base_url)
    _text(ch, "description", show.description)
    _text(ch, "language", show.language)
    if show.copyright:
        _text(ch, "copyright", show.copyright)
    _text(ch, "generator", "podcast-pipeline")
    if feed_items:
        _text(ch, "lastBuildDate", format_datetime(max(i.published for i in feed_items)))
    _text(ch, f"{{{ATOM}}}link", None, href=feed_url(show), rel="self", type="application/rss+xml")
    assert show.artwork is not None  # feed_problems() asks for it before a feed is built
    cover = base(cover_name(Path(show.artwork)))
    image = etree.SubElement(ch, "image")
    _text(image, "url", cover)
    _text(image, "title", show.title)
    _text(image, "link", show.website or show.base_url)
    _text(ch, _it("image"), None, href=cover)
    if show.author:
        _text(ch, _it("author"), show.author)
    if show.owner_name or show.owner_email:
        owner = etree.SubElement(ch, _it("owner"))
        if show.owner_name:
            _text(owner, _it("name"), show.owner_name)
        if show.owner_email:
            _text(owner, _it("email"), show.owner_email)
    for category in show.categories:
        parent, sub = split_category(category)
        el = _text(ch, _it("category"), None, text=parent)
        if sub:
            _text(el, _it("category"), None, text=sub)
    _text(ch, _it("explicit"), _explicit(show.explicit))
    _text(ch, _it("type"), show.type)
    _text(ch, _pc("guid"), podcast_guid(show))
    if show.locked:
        attrs = {"owner": show.owner_email} if show.owner_email else {}
        _text(ch, _pc("locked"), "yes", **attrs)
    for item in feed_items:
        _item(ch, item, show, base)
    return etree.tostring(rss, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _item(ch: etree._Element, item: Item, show: ShowSettings, base: Callable[[str], str]) -> None:
    script, meta = item.script, item.script.meta
    out_dir = item.mp3.parent
    el = etree.SubElement(ch, "item")
    _text(el, "title", meta.title)
    if meta.description:
        _text(el, "description", meta.description)  # HTML allowed: escaped as text, as RSS 2.0 carries it
    _text(el, "guid", item.guid, isPermaLink="false")
    _text(el, "pubDate", format_datetime(item.published))
    _text(el, "enclosure", None, url=base(item.mp3.name), length=str(item.mp3.stat().st_size), type="audio/mpeg")
    _text(el, _it("title"), meta.title)
    _text(el, _it("duration"), str(int(round(item.duration))))
    if meta.season is not None:
        _text(el, _it("season"), str(meta.season))
    if meta.episode is not None:
        _text(el, _it("episode"), str(meta.episode))
    _text(el, _it("episodeType"), meta.episode_type)
    if meta.explicit is not None:
        _text(el, _it("explicit"), _explicit(meta.explicit))
    artwork = script.settings.show.cover
    assert show.artwork is not None  # one of feed_problems(), checked by build()
    if artwork is not None and Path(artwork).resolve() != Path(show.artwork).resolve():
        _text(el, _it("image"), None, href=base(cover_name(Path(artwork))))
    chapters = out_dir / f"{script.slug}.chapters.json"
    if chapters.is_file():
        _text(el, _pc("chapters"), None, url=base(chapters.name), type="application/json+chapters")
    _alternate_enclosures(el, item, base)  # [master] formats
    for ext, mime in TRANSCRIPTS:
        path = out_dir / f"{script.slug}{ext}"
        if path.is_file():
            _text(el, _pc("transcript"), None, url=base(path.name), type=mime, language=show.language, rel="captions")
    for name in people(script):
        _text(el, _pc("person"), name)


def _alternate_enclosures(el: etree._Element, item: Item, base: Callable[[str], str]) -> None:
    """podcast:alternateEnclosure for the MP3 (default) and each extra format the render wrote
    (its report's `alternates`), each with podcast:source and podcast:integrity (SRI sha256: the
    outputs are byte-deterministic, so the hash of a re-render is the same)."""
    from .formats import MEDIA, sha256_base64

    try:
        report = json.loads((item.mp3.parent / f"{item.script.slug}.report.json").read_text(encoding="utf-8"))
        made = [f for f in MEDIA if f in (report.get("alternates") or {})]
    except (OSError, ValueError, AttributeError):
        made = []
    files = [(item.mp3, "audio/mpeg", "mp3", "MP3")] + [(item.mp3.with_suffix(f".{f}"), *MEDIA[f]) for f in made]
    if len(files) == 1 or not all(path.is_file() for path, *_ in files):
        return
    for path, mime, codecs, title in files:
        size = path.stat().st_size
        attrs = {"type": mime, "length": str(size), "bitrate": str(round(size * 8 / max(item.duration, 0.001)))}
        attrs.update({"title": title, "codecs": codecs, **({"default": "true"} if path == item.mp3 else {})})
        alt = _text(el, _pc("alternateEnclosure"), None, **attrs)
        _text(alt, _pc("source"), None, uri=base(path.name), contentType=mime)
        etree.SubElement(alt, _pc("integrity"), {"type": "sri", "value": f"sha256-{sha256_base64(path)}"})


def show_scripts(folder: Path, config: Path | None) -> tuple[Settings, list[Script]]:
    """The show's settings and its episode scripts (front matter and text; nothing synthesized)."""
    from ..config import settings_for
    from ..inputs import collect

    settings = settings_for(folder if folder.exists() else Path.cwd(), config)
    scripts = []
    for path in collect([folder]):
        try:
            scripts.append(load_script(path, settings_for(path, config)))
        except PipelineError as exc:
            log.warning("not in the feed: %s", exc)
    return settings, scripts


def write_feed(
    folder: Path, out_dir: Path | None = None, target: Path | None = None, config: Path | None = None
) -> Path:
    """Build the feed of the show in `folder` from the outputs in `out_dir` and write it
    (default: feed.xml beside them), with the show's cover art copied there."""
    settings, scripts = show_scripts(folder, config)
    out_dir = Path(out_dir or settings.paths.output)
    target = target or out_dir / FEED_NAME
    problems = feed_problems(settings.show)
    if problems:
        raise ConfigError(f"{settings.config_file or folder}: " + "; ".join(problems))
    feed_items = items(scripts, settings, out_dir)
    assert settings.show.artwork is not None  # one of feed_problems()
    copy_cover(Path(settings.show.artwork), out_dir, cover_name(Path(settings.show.artwork)))
    data = build(settings, feed_items, out_dir)
    if not (target.is_file() and target.read_bytes() == data):
        with atomic_path(target) as tmp:
            tmp.write_bytes(data)
    log.info("wrote %s (%d episodes)", target, len(feed_items))
    return target
