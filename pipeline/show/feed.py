"""The show's podcast feed: RSS 2.0 with the iTunes and Podcasting 2.0 namespaces.

Built with lxml's element tree (so every value is escaped by the serializer, never by hand)
from what is on disk: the show's settings, each episode script's front matter, and the
rendered files beside each other in the output folder (an episode is in the feed once its
MP3 exists, it has a date and that date has come).  The same inputs give the same bytes:
nothing depends on the clock (but which scheduled episodes are due), the order files were
found in, or the machine; lastBuildDate is the newest episode's date.  The feed it replaces
is an input too: a published guid is kept (_keep_guids).  Written atomically, like every
other output.

The Podcasting 2.0 elements use the namespace URI of the specification and of the apps and
directories that read it, https://podcastindex.org/namespace/1.0.  (podcastparser 0.6
knows only the specification's older GitHub URL, which the specification says readers must
also accept: it reads the rest of the feed and skips the podcast: elements.)

`podcast feed` and `podcast site` find a show the same way (find_show): FOLDER is either a
render's output folder (it holds `<slug>.report.json` files: `render -o DIR` or
paths.output), whose reports name their scripts, or the show's folder of scripts, whose
outputs are in paths.output.  Nothing rendered there is an error naming where it looked,
before anything is written.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from dataclasses import dataclass, field
from email.utils import format_datetime
from pathlib import Path
from typing import Callable, Iterable

from lxml import etree

from .._clock import clock_ms, whole_seconds
from .._config import Settings, ShowSettings, find_config, settings_for
from .._fsutil import atomic_path, read_regular, regular_file
from .._notes import show_notes
from .._showmeta import PERSON_ROLES, episode_text_problems, split_category, without_controls
from ..errors import ConfigError, PipelineError, UsageError
from ..parse.script import Script, load_script
from ..publish.artwork import MAX_BYTES, copy_cover, cover_name
from ..publish.formats import MEDIA, sha256_base64
from ..publish.html import paragraphs, sanitize
from ..publish.rendered import Report, ReportError, read_chapters, read_names, read_report, warn
from ..publish.speakers import speakers_with_labels
from .derive import episode_guid, feed_problems, feed_url, media_url, podcast_guid

log = logging.getLogger(__name__)

ITUNES = "http://www.itunes.com/dtds/podcast-1.0.dtd"
PODCAST = "https://podcastindex.org/namespace/1.0"
ATOM = "http://www.w3.org/2005/Atom"
PSC = "http://podlove.org/simple-chapters"
NSMAP = {"itunes": ITUNES, "podcast": PODCAST, "atom": ATOM, "psc": PSC}
FEED_NAME = "feed.xml"
TRANSCRIPTS = (
    (".vtt", "text/vtt", "captions"),
    (".srt", "application/x-subrip", "captions"),
    (".transcript.json", "application/json", None),
)
MAX_FEED_BYTES = 200_000_000  # far above any feed (a thousand episodes are a few MB)
SOUNDBITE_SECONDS = 60.0  # the longest soundbite taken from a chapter (the spec suggests 15 to 120 s)


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
    chapters: tuple[tuple[float, str], ...] = ()  # (start, title)
    alternates: tuple[str, ...] = ()  # the other formats its report lists ([master] formats)


@dataclass(frozen=True)
class ShowFiles:
    """A show as `podcast feed` and `podcast site` find it: its settings, its episode scripts
    and the folder its episodes were rendered into."""

    settings: Settings
    scripts: list[Script]
    out_dir: Path
    looked: str = ""  # where the scripts were found, for messages
    skipped: list[str] = field(default_factory=list)


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


def scheduled(when: dt.datetime | str | None, now: dt.datetime | None = None) -> bool:
    """Whether an episode dated `when` (a datetime, or the ISO date or date and time of the
    front matter / a render report) is still in the future: then it is left out of the feed
    and the site until its time comes (unless the command is told --include-future)."""
    if when is None or when == "":
        return False
    if isinstance(when, str):
        when = dt.datetime.fromisoformat(when)
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    return when > (now or dt.datetime.now(dt.timezone.utc))


def _report(script: Script, out_dir: Path) -> Report | None:
    """The episode's render report, checked; None when there is none, or (with a warning)
    when it is damaged: the feed then measures the MP3 itself."""
    path = out_dir / f"{script.slug}.report.json"
    if not path.exists():
        return None
    try:
        return read_report(path)
    except ReportError as exc:
        warn(exc, "the feed measures the MP3 instead (render it again with --force)")
        return None


def _duration(report: Report | None, mp3: Path) -> float:
    if report is not None:
        return report.duration
    from ..sound import ffmpeg

    return ffmpeg.probe(mp3).duration


def _chapters(report: Report | None, out_dir: Path, slug: str) -> tuple[tuple[float, str], ...]:
    """The chapters of a rendered episode (its chapters.json, else its report)."""
    path = out_dir / f"{slug}.chapters.json"
    if path.exists():
        try:
            return tuple((c.start, c.title) for c in read_chapters(path))
        except ReportError as exc:
            warn(exc, "the feed takes the chapters from the report")
    return tuple((c.start, c.title) for c in report.chapters) if report is not None else ()


def previous_guids(path: Path) -> list[tuple[str, str, str]]:
    """(guid, title, enclosure file name) of each item of a feed written before, if any: what
    listeners' apps already have."""
    try:
        data = read_regular(path, "feed", MAX_FEED_BYTES)
    except FileNotFoundError:
        return []
    except (OSError, ValueError) as exc:  # a FIFO or a device: never opened
        reason = getattr(exc, "strerror", None) or exc
        raise PipelineError(f"cannot be read as the feed to update ({reason})", file=path) from None
    try:  # the file on disk is data: no entities resolved, nothing fetched
        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError:
        log.warning("%s: not a feed (not XML); written anew, keeping no earlier guids", path)
        return []
    if root is None:
        return []
    out = []
    for el in root.iter("item"):
        guid, title, enclosure = el.findtext("guid"), el.findtext("title"), el.find("enclosure")
        url = enclosure.get("url", "") if enclosure is not None else ""
        if guid:
            out.append((guid, title or "", url.rsplit("/", 1)[-1]))
    return out


def _keep_guids(found: list[Item], before: list[tuple[str, str, str]]) -> list[Item]:
    """An episode whose derived guid is new, but which is the item of the earlier feed with
    its file name or title (its date or number changed since), keeps the published guid,
    with a warning that says how to pin it."""
    if not before:
        return found
    current = {i.guid for i in found}
    unclaimed = [b for b in before if b[0] not in current]
    out = []
    for item in found:
        if item.guid not in {b[0] for b in before} and not item.script.meta.guid:
            match = next((b for b in unclaimed if b[2] == item.mp3.name), None) or next(
                (b for b in unclaimed if b[1] == item.script.meta.title), None
            )
            if match is not None:
                unclaimed.remove(match)
                log.warning(
                    "%s: its date, number or name changed since it was published, which would give it "
                    "a new guid (a duplicate in listeners' apps); keeping the published one; pin it "
                    "with 'guid: %s' in the front matter",
                    item.script.path,
                    match[0],
                )
                item = dataclasses.replace(item, guid=match[0])
        out.append(item)
    return out


def items(
    scripts: Iterable[Script],
    show: Settings,
    out_dir: Path,
    include_future: bool = False,
    now: dt.datetime | None = None,
    before: list[tuple[str, str, str]] | None = None,
) -> list[Item]:
    """The rendered, dated episodes, newest first (ties: higher season and number first, then
    slug); scheduled ones (dated in the future) only with include_future."""
    found: list[Item] = []
    for script in scripts:
        mp3 = out_dir / f"{script.slug}.mp3"
        if not mp3.is_file():
            continue
        when = published(script)
        if when is None:
            log.warning("%s: not in the feed: the front matter has no date", script.path)
            continue
        if not include_future and scheduled(when, now):
            log.warning(
                "%s: not in the feed until %s (dated in the future; --include-future puts it in now)",
                script.path,
                when.isoformat(),
            )
            continue
        for problem in episode_text_problems(script.meta, []):
            log.warning("%s: %s; removed in the feed", script.path, problem.split(";")[0])
        guid = episode_guid(show.show, script.meta)
        assert guid is not None  # a dated episode always has one
        report = _report(script, out_dir)
        try:
            duration = _duration(report, mp3)
        except PipelineError as exc:  # no report to say, and an MP3 that cannot be measured
            log.warning("%s: not in the feed: %s", script.path, exc)
            continue
        alternates = tuple(report.alternates) if report is not None else ()
        chapters = _chapters(report, out_dir, script.slug)
        found.append(Item(script, mp3, when, guid, duration, chapters, alternates))
    found = _keep_guids(found, before or [])
    guids: dict[str, Path] = {}
    for item in found:
        if item.guid in guids:
            raise ConfigError(
                f"{item.script.path}: has the same feed guid as {guids[item.guid]} ({item.guid}); give one of "
                f"them an episode number or its own 'guid:' in the front matter"
            )
        guids[item.guid] = item.script.path
    found.sort(
        key=lambda i: (i.published, i.script.meta.season or 0, i.script.meta.episode or 0, i.script.slug), reverse=True
    )
    return found


def _text(parent: etree._Element, tag: str, value: str | None, **attrs: str) -> etree._Element:
    """An element with its text and attributes (without control characters, which XML cannot
    carry: an old script's, warned about in items(); `check` and `render` refuse them)."""
    el = etree.SubElement(parent, tag, {name: without_controls(text) for name, text in attrs.items()})
    if value is not None:
        el.text = without_controls(value)
    return el


def _explicit(value: bool) -> str:
    return "true" if value else "false"


def enclosure_url(show: ShowSettings, name: str) -> str:
    """The media URL, behind show.analytics_prefix when set (OP3 style: the prefix, then the
    URL without its scheme)."""
    url = media_url(show, name)
    if show.analytics_prefix:
        return show.analytics_prefix + url.split("://", 1)[-1]
    return url


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
    _html_text(ch, "description", show.description)
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
    if show.new_feed_url:
        _text(ch, _it("new-feed-url"), show.new_feed_url)
    _text(ch, _pc("guid"), podcast_guid(show))
    _text(ch, _pc("medium"), show.medium)
    if show.locked:
        attrs = {"owner": show.owner_email} if show.owner_email else {}
        _text(ch, _pc("locked"), "yes", **attrs)
    if show.license:
        _text(ch, _pc("license"), show.license, **({"url": show.license_url} if show.license_url else {}))
    if show.funding_url:
        _text(ch, _pc("funding"), show.funding_text or None, url=show.funding_url)
    for record in show.txt:
        _text(ch, _pc("txt"), record)
    for item in feed_items:
        _item(ch, item, show, base, settings.site.url)
    return etree.tostring(rss, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _html_text(parent: etree._Element, tag: str, text: str) -> None:
    """A description as the safe HTML subset in CDATA (publish/html.py): its paragraphs (blank
    lines) as <p>, its other line breaks (the chapter timestamps) as <br>."""
    etree.SubElement(parent, tag).text = etree.CDATA(without_controls(sanitize(paragraphs(text))))


def _item(ch: etree._Element, item: Item, show: ShowSettings, base: Callable[[str], str], site_url: str = "") -> None:
    script, meta = item.script, item.script.meta
    out_dir = item.mp3.parent
    el = etree.SubElement(ch, "item")
    _text(el, "title", meta.title)
    if site_url:
        _text(el, "link", site_url.rstrip("/") + "/" + f"{script.slug}.html")
    notes = show_notes(meta.description, list(item.chapters), show)
    if notes:
        _html_text(el, "description", notes)
    _text(el, "guid", item.guid, isPermaLink="false")
    _text(el, "pubDate", format_datetime(item.published))
    _text(
        el,
        "enclosure",
        None,
        url=enclosure_url(show, item.mp3.name),
        length=str(item.mp3.stat().st_size),
        type="audio/mpeg",
    )
    _text(el, _it("title"), meta.title)
    _text(el, _it("duration"), str(whole_seconds(item.duration)))
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
        try:
            _art(Path(artwork), f"{script.path}: artwork")
            _text(el, _it("image"), None, href=base(cover_name(Path(artwork))))
        except PipelineError as exc:
            log.warning("%s; the episode has the show's art in the feed", exc)
    if meta.season is not None:
        name = show.season_names.get(str(meta.season))
        _text(el, _pc("season"), str(meta.season), **({"name": name} if name else {}))
    if meta.episode is not None:
        display = {"display": meta.episode_display} if meta.episode_display else {}
        _text(el, _pc("episode"), str(meta.episode), **display)
    chapters = out_dir / f"{script.slug}.chapters.json"
    if chapters.is_file():
        _text(el, _pc("chapters"), None, url=base(chapters.name), type="application/json+chapters")
    _alternate_enclosures(el, item, base)  # [master] formats
    for ext, mime, rel in TRANSCRIPTS:
        path = out_dir / f"{script.slug}{ext}"
        if path.is_file():
            attrs = {"url": base(path.name), "type": mime, "language": show.language}
            _text(el, _pc("transcript"), None, **attrs, **({"rel": rel} if rel else {}))
    roles = script.settings.show.speaker_roles
    images, links = script.settings.show.speaker_images, script.settings.show.speaker_links
    for name, label in speakers_with_labels(script):
        key = label or "narrator"
        role = (roles.get(key) or roles.get(name) or ("host" if label is None else "guest")).lower()
        attrs = {"role": role, "group": PERSON_ROLES.get(role, "cast")}
        for attr, table in (("img", images), ("href", links)):
            value = table.get(key) or table.get(name)
            if value:
                attrs[attr] = value
        _text(el, _pc("person"), name, **attrs)
    bite = _soundbite(item)
    if bite is not None:
        start, length, title = bite
        _text(el, _pc("soundbite"), title, startTime=f"{start:.3f}", duration=f"{length:.3f}")
    if item.chapters:
        psc = etree.SubElement(el, f"{{{PSC}}}chapters", version="1.2")
        for start, title in item.chapters:
            etree.SubElement(psc, f"{{{PSC}}}chapter", start=clock_ms(start), title=without_controls(title))


def _alternate_enclosures(el: etree._Element, item: Item, base: Callable[[str], str]) -> None:
    """podcast:alternateEnclosure for the MP3 (default) and each extra format the render wrote
    (its report's `alternates`), each with podcast:source and podcast:integrity (SRI sha256: the
    outputs are byte-deterministic, so the hash of a re-render is the same)."""
    made = [f for f in MEDIA if f in item.alternates]
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


def _soundbite(item: Item) -> tuple[float, float, str] | None:
    """The front matter's `soundbite`, else the first minute (at most) of the episode's second
    chapter, the first after the opening: a clip an app can play to tempt a listener."""
    if item.script.meta.soundbite is not None:
        start, length, title = item.script.meta.soundbite
        return start, length, title or item.script.meta.title
    if len(item.chapters) < 2:
        return None
    start, title = item.chapters[1]
    end = item.chapters[2][0] if len(item.chapters) > 2 else item.duration
    length = min(SOUNDBITE_SECONDS, end - start)
    return (start, length, title) if length >= 1.0 else None


def _load(paths: Iterable[Path], config: Path | None) -> tuple[list[Script], list[str]]:
    scripts, skipped = [], []
    for path in paths:
        try:
            scripts.append(load_script(path, settings_for(path, config)))
        except PipelineError as exc:
            log.warning("not in the feed: %s", exc)
            skipped.append(str(exc))
    return scripts, skipped


def _reports(folder: Path) -> list[tuple[str, str | None]]:
    """(slug, script) of each finished episode (not a draft) in `folder`, by its report, with
    its MP3; a report that names no usable slug is left out with a warning."""
    out = []
    for path in sorted(folder.glob("*.report.json")):
        try:
            slug, file = read_names(path)
        except ReportError as exc:
            warn(exc, "left out (render it again with --force)")
            continue
        if not slug.endswith("-draft") and (folder / f"{slug}.mp3").is_file():
            out.append((slug, file))
    return out


def find_show(folder: Path, config: Path | None = None) -> ShowFiles:
    """The show and its outputs from FOLDER, as `podcast feed` and `podcast site` take it:
    a render's output folder (it holds `<slug>.report.json` with the MP3), whose reports
    name their scripts; or the show's folder of scripts, whose outputs are in paths.output.
    Nothing rendered is an error that says where it looked."""
    from .._inputs import collect

    if not folder.is_dir():
        raise UsageError("not a folder (give the show's folder of scripts or a render's output folder)", file=folder)
    reports = _reports(folder)
    if reports:
        paths = []
        for _, file in reports:
            if file and Path(file).is_file():
                paths.append(Path(file))
        config = config or find_config(folder) or (find_config(paths[0]) if paths else None)
        if len(paths) < len(reports) and config is not None:  # rendered elsewhere: look in the show's folder
            slugs = {slug for slug, _ in reports} - {p.stem for p in paths}
            try:
                paths += [p for p in collect([config.parent]) if p.stem in slugs]
            except PipelineError:
                pass
        if not paths:
            raise PipelineError(
                f"{folder}: the render reports there name scripts that are not found "
                f"(give the show's folder of scripts, or --config)"
            )
        scripts, skipped = _load(dict.fromkeys(paths), config)
        settings = scripts[0].settings if scripts else settings_for(folder, config)
        return ShowFiles(settings, scripts, folder, "the scripts its reports name", skipped)
    if config is None and find_config(folder) is None:
        raise PipelineError(
            f"{folder}: nothing rendered here (no <slug>.report.json with its MP3) and no podcast.toml "
            f"here or above; give the show's folder or the folder it was rendered into"
        )
    settings = settings_for(folder, config)
    scripts, skipped = _load(collect([folder]), config)
    out_dir = Path(settings.paths.output)
    if not any((out_dir / f"{s.slug}.mp3").is_file() for s in scripts):
        # paths.output is relative to where render ran when podcast.toml does not set it
        nearby = settings.show_dir / out_dir if settings.show_dir and not out_dir.is_absolute() else None
        hint = (
            f": they are in {nearby}, give that folder"
            if nearby and any((nearby / f"{s.slug}.mp3").is_file() for s in scripts)
            else ""
        )
        raise PipelineError(
            f"nothing rendered: none of the {len(scripts)} scripts in {folder} has its MP3 in "
            f"{out_dir.resolve()} (paths.output){hint or ''}; give the folder they were rendered into "
            f"(as render -o DIR takes it)"
        )
    return ShowFiles(settings, scripts, out_dir, str(folder), skipped)


def show_files(show_dir: Path, out_dir: Path, config: Path | None = None) -> ShowFiles:
    """The show whose podcast.toml is in `show_dir`, rendered into `out_dir` (after a render)."""
    from .._inputs import collect

    scripts, skipped = _load(collect([show_dir]), config)
    return ShowFiles(settings_for(show_dir, config), scripts, out_dir, str(show_dir), skipped)


def _art(path: Path, key: str) -> None:
    """Cover art is a regular file of sane size before it is opened (a FIFO would hang the feed)."""
    try:
        regular_file(path, "picture", MAX_BYTES)
    except (OSError, ValueError) as exc:
        raise ConfigError(f"{key} {path}: {getattr(exc, 'strerror', None) or exc}") from None


def write_feed(
    show: ShowFiles, target: Path | None = None, include_future: bool = False, now: dt.datetime | None = None
) -> Path:
    """Build the feed of `show` from its outputs and write it (default: feed.xml beside them),
    with the show's cover art copied there.  Checks come first: nothing is written when the
    show cannot have a feed."""
    settings, out_dir = show.settings, show.out_dir
    target = target or out_dir / FEED_NAME
    problems = feed_problems(settings.show)
    if problems:
        raise ConfigError(f"{settings.config_file or show.looked}: " + "; ".join(problems))
    before = previous_guids(target if target.exists() else out_dir / FEED_NAME)
    feed_items = items(show.scripts, settings, out_dir, include_future, now, before)
    assert settings.show.artwork is not None  # one of feed_problems()
    _art(Path(settings.show.artwork), f"{settings.config_file or show.looked}: show.artwork")
    copy_cover(Path(settings.show.artwork), out_dir, cover_name(Path(settings.show.artwork)))
    data = build(settings, feed_items, out_dir)
    if not (target.is_file() and target.stat().st_size == len(data) and target.read_bytes() == data):
        with atomic_path(target) as tmp:
            tmp.write_bytes(data)
    log.info("wrote %s (%d episodes)", target, len(feed_items))
    return target
