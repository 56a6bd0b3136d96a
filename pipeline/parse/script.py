"""The parsed episode script: chapters of segments, plus episode metadata.

`load_script()` reads and validates the file, hands the text to the parser
for its format (markdown.py, plaintext.py), and turns the parser's outline
into frozen `Script` values with stable segment ids and resolved voices.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import hashlib
import logging
import re
import reprlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping

import yaml

from .._config import Settings
from .._fsutil import read_regular
from .._showmeta import EPISODE_TYPES, MAX_NUMBER, NARRATOR, roles_problem
from ..errors import PipelineError, ScriptError, UsageError
from . import markdown, plaintext  # the two formats; each only turns text into an Outline
from .outline import INLINE_OVERRIDE, NAME_LABEL, Outline, parse_pause, speaker_label, visible

__all__ = ["INLINE_OVERRIDE", "parse_pause"]  # re-exported: part of the script's vocabulary

if TYPE_CHECKING:
    from ..synthesis.engines.base import Voice

log = logging.getLogger(__name__)

LONG_PARAGRAPH_WORDS = 600  # warn: such a paragraph is hard to edit and re-render
MAX_SCRIPT_BYTES = 20_000_000

FRONT_MATTER_KEYS = {
    "title",
    "episode",
    "date",
    "description",
    "voice",
    "speakers",
    "intro",
    "outro",
    "artwork",
    "season",
    "episode_type",
    "explicit",
    "guid",
    "speaker_names",
    "speaker_roles",  # podcast:person roles for this episode's speakers, laid over the show's
    "episode_display",  # podcast:episode display: how apps show the number ("Bonus 2")
    "soundbite",  # podcast:soundbite: {start: seconds, duration: seconds, title: text}
}


@dataclass(frozen=True)
class Segment:
    """One paragraph: the unit of synthesis, caching and preview."""

    index: int  # 1-based, across the whole episode
    id: str  # stable: derived from the text, not the position
    chapter: int  # 0-based index into Script.chapters
    source: str  # script text, markup removed, `{written|spoken}` kept
    voice: str
    line: int  # where the paragraph starts in the script
    speaker: str | None = None
    pause_before: float = 0.0  # explicit `[pause]` silence before this segment
    spoken: str = ""  # what the voice reads; set by the spoken-text stage
    sentences: tuple[str, ...] = ()  # `spoken` split into sentences
    written: tuple[str, ...] = ()  # the script text of each of those sentences (for transcripts)
    take: int | None = None  # a take pinned with `podcast pin` (synthesis/takes.py); None: the render's own
    apart: bool = False  # said apart from the music: before the intro when first, after the outro when last

    @property
    def text(self) -> str:
        """The script text as a listener would read it in a transcript."""
        return INLINE_OVERRIDE.sub(lambda m: m.group(1), self.source)


@dataclass(frozen=True)
class Chapter:
    index: int
    title: str
    segments: tuple[Segment, ...]


@dataclass(frozen=True)
class EpisodeMeta:
    title: str
    episode: int | None = None
    date: str | None = None  # YYYY-MM-DD
    description: str | None = None
    published: str | None = None  # date and time, ISO 8601 (offset when given), when front matter has a time
    season: int | None = None
    episode_type: str = "full"  # full, trailer or bonus
    explicit: bool | None = None  # None: the show's setting
    guid: str | None = None  # fixed by the author; else derived (show.derive.episode_guid)
    episode_display: str | None = None  # podcast:episode display
    soundbite: tuple[float, float, str | None] | None = None  # start, duration, title


@dataclass(frozen=True)
class Script:
    path: Path
    slug: str
    meta: EpisodeMeta
    chapters: tuple[Chapter, ...]
    settings: Settings
    speakers: Mapping[str, str] = field(default_factory=dict)  # label -> voice
    trailing_pause: float = 0.0  # a `[pause]` after the last paragraph
    # Each voice the script uses, loaded once by the `voices` stage and carried from there on.
    loaded_voices: Mapping[str, "Voice"] = field(default_factory=dict, compare=False, repr=False)
    # The voices a lenient `voices` stage (a listing, a preview, `check`) could not load, and why.
    voice_errors: Mapping[str, PipelineError] = field(default_factory=dict, compare=False, repr=False)

    @property
    def segments(self) -> tuple[Segment, ...]:
        return tuple(s for c in self.chapters for s in c.segments)

    def segment(self, ref: str) -> Segment:
        """A segment by 1-based index or by id.  The reference comes from the command line, so
        one the script lacks is bad usage (UsageError, exit 2)."""
        segments = self.segments
        for s in segments:  # an id wins: one in 43 is all digits, and it must still name its segment
            if s.id == ref:
                return s
        if ref.isdigit():
            n = int(ref)
            if 1 <= n <= len(segments):
                return segments[n - 1]
            raise UsageError(f"segment {n} is out of range (the script has 1 to {len(segments)})", file=self.path)
        for s in segments:
            if s.id == ref:
                return s
        raise UsageError(f"no segment with id {ref!r} (see `podcast segments {self.path}`)", file=self.path)

    def voices(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(s.voice for s in self.segments))

    def replace_segments(self, segments: Mapping[str, Segment]) -> "Script":
        """A copy with segments swapped by id (how later stages fill in fields)."""
        chapters = tuple(
            dataclasses.replace(c, segments=tuple(segments.get(s.id, s) for s in c.segments)) for c in self.chapters
        )
        return dataclasses.replace(self, chapters=chapters)


# ---------------------------------------------------------------- loading


# Byte-order marks: a script saved as UTF-16 or UTF-32 ("Unicode" in Windows editors) is read as
# such (UTF-32 first: its little-endian mark begins with UTF-16's).
_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)


def read_text(path: Path) -> str:
    """The script's text: UTF-8, or UTF-16 or UTF-32 with a byte-order mark (every leading BOM
    dropped), or a one-line error naming the problem."""
    try:  # a FIFO or a device (/dev/zero) is refused before it is opened: it would block or never end
        data = read_regular(path, "script", MAX_SCRIPT_BYTES)
    except FileNotFoundError:
        raise ScriptError(path, "no such file") from None
    except IsADirectoryError:
        raise ScriptError(path, "is a folder, not a script") from None
    except OSError as exc:
        raise ScriptError(path, f"cannot read: {exc.strerror}") from None
    except ValueError as exc:
        if "folder" in str(exc):
            raise ScriptError(path, "is a folder, not a script") from None
        raise ScriptError(path, str(exc)) from None
    if len(data) > MAX_SCRIPT_BYTES:
        raise ScriptError(
            path, f"is {len(data) // 1_000_000} MB; a script is at most {MAX_SCRIPT_BYTES // 1_000_000} MB"
        )
    encoding = next((name for bom, name in _BOMS if data.startswith(bom)), "utf-8")
    if encoding == "utf-8" and b"\x00" in data[:8192]:
        raise ScriptError(path, "is a binary file, not a text script")
    try:
        text = data.decode(encoding).lstrip("\ufeff")  # every byte-order mark: one doubled is no title
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        if encoding != "utf-8":
            raise ScriptError(
                path, f"is not {encoding.upper()} text, as its byte-order mark says; save it as UTF-8"
            ) from None
        raise ScriptError(
            path, f"is not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); save it as UTF-8", line
        ) from None
    if not text.strip():
        raise ScriptError(path, "is empty")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def split_front_matter(text: str, path: Path) -> tuple[dict[str, Any], str]:
    """(front matter, body with the front matter's lines blanked)."""
    lines = text.split("\n")
    if lines[0].strip() != "---":
        return {}, text
    for i in range(1, len(lines)):
        if lines[i].strip() in ("---", "..."):
            break
    else:
        raise ScriptError(path, "front matter is not closed (add a line '---' after it)", 1)
    raw = "\n".join(lines[1:i])
    try:
        data = yaml.load(raw, Loader=_FrontMatterLoader) if raw.strip() else {}
        data = {} if data is None else data  # only comments: as empty
    except _Refused as exc:
        key = _top_key(lines[1:i], exc.line)
        where = f"front matter {key!r}" if key else "front matter"
        raise ScriptError(path, f"{where} {exc.problem}", exc.line + 2) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise ScriptError(path, f"front matter is not valid YAML: {problem}", line) from None
    if not isinstance(data, dict):
        raise ScriptError(path, "front matter must be 'key: value' lines", 2)
    # Keep line numbers of the body true to the file: blank out the front matter.
    body = "\n" * (i + 1) + "\n".join(lines[i + 1 :])
    return data, body


FRONT_MATTER_DEPTH = 8  # a setting is at most a map of maps (soundbite, speakers); more is no setting


class _Refused(Exception):
    """Front matter YAML this program does not take (`line`: 0-based, in the front matter)."""

    def __init__(self, problem: str, line: int):
        super().__init__(problem)
        self.problem, self.line = problem, line


class _FrontMatterLoader(yaml.SafeLoader):  # type: ignore[misc, unused-ignore]  # Any without types-PyYAML
    """Safe YAML, bounded: no aliases (`*name`: a few nested ones expand to billions of values,
    the "billion laughs"; no setting needs one) and no nesting deeper than FRONT_MATTER_DEPTH
    (the composer recurses).  A date-like value that is no date (2026-13-45) stays text, so it
    is reported as a bad date instead of breaking the loader."""

    _depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise _Refused(
                f"uses a YAML alias (*{event.anchor}): aliases are not taken in front matter; write the value out",
                event.start_mark.line,
            )
        self._depth += 1
        try:
            if self._depth > FRONT_MATTER_DEPTH + 1:  # the document's own map is one level
                raise _Refused(
                    f"is nested too deeply (more than {FRONT_MATTER_DEPTH} levels; a setting has at most 2)",
                    self.peek_event().start_mark.line,
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _top_key(lines: list[str], line: int) -> str | None:
    """The top-level key whose value holds front matter line `line` (0-based)."""
    for raw in reversed(lines[: line + 1]):
        m = re.match(r"""(?:"([^"]*)"|'([^']*)'|([^\s#'"\-?:][^:#]*?))\s*:(?:\s|$)""", raw)
        if m:
            return next(g for g in m.groups() if g is not None)
    return None


def _timestamp_or_text(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except (ValueError, OverflowError):
        return loader.construct_scalar(node)


_FrontMatterLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_or_text)


_SHORT = reprlib.Repr()
_SHORT.maxstring, _SHORT.maxother, _SHORT.maxlevel = 80, 80, 3
_SHORT.maxlist = _SHORT.maxtuple = _SHORT.maxdict = _SHORT.maxset = 6


def _shown(value: Any) -> str:
    """A value as a message shows it: its repr, cut short (a value can be megabytes)."""
    return _SHORT.repr(value)


def _key_line(text: str, key: str) -> int | None:
    """The line of `key:` in a script's front matter, for messages."""
    for n, line in enumerate(text.split("\n")[:200], start=1):
        if re.match(rf"{re.escape(key)}\s*:", line):
            return n
    return None


def _check_front_matter(fm: dict[str, Any], path: Path, text: str = "") -> dict[str, Any]:
    for key in fm:
        if key not in FRONT_MATTER_KEYS:
            log.warning(
                "%s: unknown front matter key %r ignored (known: %s)", path, key, ", ".join(sorted(FRONT_MATTER_KEYS))
            )
    out = {k: v for k, v in fm.items() if k in FRONT_MATTER_KEYS and v is not None}
    for key in ("title", "description", "voice", "intro", "outro", "artwork"):
        if key in out and not isinstance(out[key], str):
            raise ScriptError(path, f"front matter {key!r} must be text, not {_shown(out[key])}")
    if "episode" in out and (  # MAX_NUMBER: feed readers keep episode and season numbers in a 32-bit int
        isinstance(out["episode"], bool) or not isinstance(out["episode"], int) or not 0 <= out["episode"] <= MAX_NUMBER
    ):
        raise ScriptError(
            path, f"front matter 'episode' must be a whole number from 0 to {MAX_NUMBER}, not {_shown(out['episode'])}"
        )
    if "date" in out:
        value = out["date"]
        if isinstance(value, _dt.datetime):
            out["published"] = value.isoformat(timespec="seconds")
            value = value.date()
        if isinstance(value, _dt.date):
            out["date"] = value.isoformat()
        else:
            try:
                out["date"] = _dt.date.fromisoformat(str(value)).isoformat()
            except ValueError:
                try:
                    when = _dt.datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
                except ValueError:
                    raise ScriptError(
                        path,
                        f"front matter 'date' must be YYYY-MM-DD or YYYY-MM-DD HH:MM[:SS][+HH:MM] "
                        f"(a real date), not {_shown(value)}",
                        _key_line(text, "date") if text else None,
                    ) from None
                out["date"], out["published"] = when.date().isoformat(), when.isoformat(timespec="seconds")
    _check_publishing(out, path)
    speakers = out.get("speakers", {})
    if not isinstance(speakers, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in speakers.items()
    ):
        raise ScriptError(path, "front matter 'speakers' must map labels to voice names, e.g. 'HOST: joe'")
    for label in speakers:  # each must be able to open a paragraph as `LABEL: text`
        if speaker_label(f"{label}: x") != (label, "x"):
            why = (
                "ends in ':' (the colon goes after the label in the script, not in its name: HOST: joe)"
                if label.rstrip().endswith(":")
                else "is no label (at most 40 characters, no colon, no line break, no space at the start)"
            )
            raise ScriptError(
                path,
                f"front matter 'speakers' key {_shown(label)} {why}",
                _key_line(text, "speakers") if text else None,
            )
    out["speakers"] = dict(speakers)
    return out


# Latin letters that Unicode does not decompose into a base letter and marks.
_LATIN_EXTRA = str.maketrans(
    {"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i", "ŋ": "ng", "ħ": "h"}
)
SLUG_MAX_CHARS = 60  # 3 bytes a character at worst, with `-draft.chapters.json`, well under NAME_MAX (255 bytes)


def _check_publishing(out: dict[str, Any], path: Path) -> None:
    """The front matter the feed uses: each value checked, with the key in the message."""
    season = out.get("season")
    if season is not None and (
        isinstance(season, bool) or not isinstance(season, int) or not 1 <= season <= MAX_NUMBER
    ):
        raise ScriptError(
            path, f"front matter 'season' must be a whole number from 1 to {MAX_NUMBER}, not {_shown(season)}"
        )
    if out.get("episode_type", "full") not in EPISODE_TYPES:
        raise ScriptError(
            path,
            f"front matter 'episode_type' must be one of {', '.join(EPISODE_TYPES)}, not {_shown(out['episode_type'])}",
        )
    if "explicit" in out and not isinstance(out["explicit"], bool):
        raise ScriptError(path, f"front matter 'explicit' must be true or false, not {_shown(out['explicit'])}")
    if "guid" in out:
        if isinstance(out["guid"], bool) or not isinstance(out["guid"], (str, int)) or not str(out["guid"]).strip():
            raise ScriptError(path, f"front matter 'guid' must be text, not {_shown(out['guid'])}")
        out["guid"] = str(out["guid"]).strip()
    display = out.get("episode_display")
    if display is not None and (not isinstance(display, str) or not display.strip() or len(display) > 32):
        raise ScriptError(
            path, f"front matter 'episode_display' must be text of at most 32 characters, not {_shown(display)}"
        )
    bite = out.get("soundbite")
    if bite is not None:
        ok = isinstance(bite, dict) and set(bite) <= {"start", "duration", "title"}
        numbers = [bite.get(k) for k in ("start", "duration")] if ok else []
        ok = ok and all(isinstance(n, (int, float)) and not isinstance(n, bool) for n in numbers)
        ok = ok and numbers[0] >= 0 and 0 < numbers[1] <= 600 and isinstance(bite.get("title", ""), str)
        if not ok:
            raise ScriptError(
                path,
                f"front matter 'soundbite' must be {{start: seconds, duration: seconds (up to 600), title: text}}, "
                f"not {_shown(bite)}",
            )
        out["soundbite"] = (float(bite["start"]), float(bite["duration"]), bite.get("title") or None)
    if "speaker_roles" in out:
        roles = out["speaker_roles"]
        problem = roles_problem(roles) if isinstance(roles, dict) else "must map speaker labels to roles"
        if problem:
            raise ScriptError(path, f"front matter 'speaker_roles' {problem[:300]}")
    names = out.get("speaker_names", {})
    if not isinstance(names, dict) or not all(
        isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in names.items()
    ):
        raise ScriptError(
            path,
            f"front matter 'speaker_names' must map speaker labels (and {NARRATOR!r}) to "
            f"display names, e.g. 'HOST: Ada Lovelace'",
        )


def slugify(path: Path) -> str:
    """A file name's stem as a readable slug that two different names do not share.

    Latin letters lose their accents (`émission été` -> `emission-ete`); letters
    of other scripts stay as they are (`日本語`, `פרק`: UTF-8 file names are safe,
    and a transliteration that reads Japanese kanji as Chinese would be worse);
    separators become `-`.  Where something a reader would miss is dropped
    (emoji and other symbols) or the name is cut, a short hash of the whole
    name is added, so `C++.md` and `C.md` stay apart; a name with nothing
    readable is `episode-<hash>`."""
    import unicodedata

    stem = unicodedata.normalize("NFC", path.stem)
    digest = hashlib.sha1(stem.encode("utf-8")).hexdigest()[:8]
    out: list[str] = []
    lossy = False
    for ch in stem.lower().translate(_LATIN_EXTRA):
        category = unicodedata.category(ch)
        if ch.isascii():
            out.append(ch if ch.isalnum() else "-")
            lossy |= category.startswith("S")
        elif "LATIN" in unicodedata.name(ch, ""):
            base = "".join(c for c in unicodedata.normalize("NFKD", ch) if c.isascii() and c.isalnum())
            out.append(base or "-")
        elif category[0] in "LN" or (category[0] == "M" and out and not out[-1].isascii()):
            out.append(ch)
        else:
            out.append("-")
            lossy |= category.startswith("S") or category in ("Co", "Cn")
    slug = re.sub(r"-+", "-", "".join(out)).strip("-")
    if len(slug) > SLUG_MAX_CHARS:
        slug, lossy = slug[:SLUG_MAX_CHARS].rstrip("-"), True
    if not slug:
        return f"episode-{digest}"
    return f"{slug}-{digest}" if lossy else slug


def load_script(path: Path, settings: Settings, overrides: Mapping[str, Mapping[str, Any]] | None = None) -> Script:
    """Parse stage: a script file (plus show settings and CLI overrides) to a Script."""
    text = read_text(path)
    suffix = path.suffix.lower()
    if suffix in (".md", ".markdown"):
        fm, body = split_front_matter(text, path)
        fm = _check_front_matter(fm, path, text)
        outline = markdown.parse(body, path)
    elif suffix in (".txt", ".text", ""):
        fm, outline = {"speakers": {}}, plaintext.parse(text, path)
    else:
        raise ScriptError(path, f"unknown script format {suffix!r} (use .md or .txt)")

    base = path.parent.resolve()
    episode_layer: dict[str, dict[str, Any]] = {}
    for key, (section, name) in {
        "voice": ("speech", "voice"),
        "intro": ("music", "intro"),
        "outro": ("music", "outro"),
        "artwork": ("show", "artwork"),
    }.items():
        if key in fm:
            episode_layer.setdefault(section, {})[name] = fm[key]
    if fm.get("speaker_names"):
        episode_layer.setdefault("show", {})["speaker_names"] = {**settings.show.speaker_names, **fm["speaker_names"]}
    if fm.get("speaker_roles"):
        episode_layer.setdefault("show", {})["speaker_roles"] = {**settings.show.speaker_roles, **fm["speaker_roles"]}
    settings = settings.apply(episode_layer, f"{path} (front matter)", base)
    if overrides:
        settings = settings.apply(overrides, "command line", Path.cwd())

    _title_heading(outline, fm.get("title"), settings.show.title, path)
    # the first that shows anything: a title of spaces or zero-width characters is no title
    title: str = next((t for t in (fm.get("title"), outline.title) if t and visible(t)), path.stem)
    meta = EpisodeMeta(
        title=title.strip(),
        episode=fm.get("episode"),
        date=fm.get("date"),
        description=fm.get("description"),
        published=fm.get("published"),
        season=fm.get("season"),
        episode_type=fm.get("episode_type", "full"),
        explicit=fm.get("explicit"),
        guid=fm.get("guid"),
        episode_display=fm.get("episode_display"),
        soundbite=fm.get("soundbite"),
    )
    speakers: dict[str, str] = fm.get("speakers", {})
    chapters, trailing = _build_chapters(outline, path, settings, speakers)
    return Script(
        path=path,
        slug=slugify(path),
        meta=meta,
        chapters=chapters,
        settings=settings,
        speakers=speakers,
        trailing_pause=trailing,
    )


MAX_CHAPTERS = 255  # ID3 CTOC's entry count is one byte


def _build_chapters(
    outline: Outline, path: Path, settings: Settings, speakers: Mapping[str, str]
) -> tuple[tuple[Chapter, ...], float]:
    chapters: list[Chapter] = []
    seen_ids: dict[str, int] = {}
    index = 0
    carry_pause = 0.0  # a pause at the end of a chapter goes before the next segment
    for section in outline.chapters:
        segments: list[Segment] = []
        for block in section.blocks:
            if block.text is None:
                carry_pause += block.pause
                continue
            problem = _override_problem(block.text)
            if problem:
                raise ScriptError(path, problem, block.line)
            speaker, body = _split_speaker(block.text, speakers)
            if speaker is None:
                _undeclared_name(block.text, speakers, path, block.line)
            if not _has_words(body):
                log.warning("%s:%d: paragraph %r has nothing to say; skipped", path, block.line, body[:40])
                continue
            words = len(body.split())
            if words > LONG_PARAGRAPH_WORDS:
                log.warning(
                    "%s:%d: paragraph of %d words; it is synthesized in pieces, but shorter paragraphs "
                    "are easier to edit and re-render",
                    path,
                    block.line,
                    words,
                )
            index += 1
            segments.append(
                Segment(
                    index=index,
                    id=segment_id(body, seen_ids),
                    chapter=len(chapters),
                    source=body,
                    voice=speakers[speaker] if speaker else settings.speech.voice,
                    line=block.line,
                    speaker=speaker,
                    pause_before=carry_pause,
                )
            )
            carry_pause = 0.0
        title = section.title if section.title is not None else settings.speech.opening_chapter
        if not segments:
            if section.title is not None:
                log.warning(
                    "%s:%d: heading %r has no text under it; no chapter made", path, section.line, section.title
                )
            continue
        chapters.append(Chapter(index=len(chapters), title=title, segments=tuple(segments)))
    if not chapters:
        raise ScriptError(path, "has no paragraphs to speak")
    if len(chapters) > MAX_CHAPTERS:
        raise ScriptError(
            path,
            f"has {len(chapters)} chapters; at most {MAX_CHAPTERS} (an MP3's table of contents, ID3's CTOC, "
            f"lists no more): join some",
            outline.chapters[-1].line,
        )
    return tuple(chapters), carry_pause


_NESTED_OVERRIDE = re.compile(r"\{[^{}|]*\|[^{}]*\{[^{}]*\|[^{}]*\}[^{}]*\}")


def _override_problem(text: str) -> str | None:
    """An inline override that is not `{written|spoken}`: two `|` (`{a|b|c}`) or one override
    inside another (`{a|{b|c}}`), which would be read oddly."""
    nested = _NESTED_OVERRIDE.search(text)
    if nested:
        return (
            f"inline override {_shown(nested.group(0))} holds another (overrides do not nest: "
            f"write one {{written|spoken}})"
        )
    for m in INLINE_OVERRIDE.finditer(text):
        if "|" in m.group(2):
            return f"inline override {_shown(m.group(0))} has more than one '|' (write {{written|spoken}})"
    return None


def text_source(text: str) -> str | None:
    """Text given on the command line (`preview --text`) as a script's paragraphs read it: Markdown
    markup, comments and `[pause]` marks not read, paragraphs joined; None when nothing is left
    to say."""
    outline = markdown.parse(text.replace("\r\n", "\n"), Path("<text>"))
    words = " ".join(b.text for c in outline.chapters for b in c.blocks if b.text)
    words = " ".join(words.split())
    return words if _has_words(words) else None


def _title_heading(outline: Outline, title: str | None, show_title: str, path: Path) -> None:
    """A warning when the `#` title heading is not read: the front matter has a title and the
    heading is neither it nor the show's title (markup, spaces and case aside)."""
    if not title or not outline.title:
        return
    heading = _plain_title(outline.title)
    if heading in (_plain_title(title), _plain_title(show_title or "")):
        return
    log.warning(
        "%s:%d: heading %r is not read: the episode's title is the front matter's %r (a `#` heading "
        "names the episode only where the front matter has no title; make it ## to start a chapter, "
        "or remove it)",
        path,
        outline.title_line or 1,
        outline.title,
        title,
    )


def _plain_title(title: str) -> str:
    """A title as read, for comparing: markup gone, spaces and case aside."""
    return " ".join(markdown.strip_inline(title).split()).casefold()


def _undeclared_name(text: str, speakers: Mapping[str, str], path: Path, line: int) -> None:
    """A warning for a paragraph that opens with a name and a colon (`Ben:`, `Dr. Okafor:`) in a
    script that declares its speakers, when that name is not one of them: it is read aloud.
    (`podcast check` reports labels in capitals, as speakers are declared, itself.)"""
    found = speaker_label(text)
    if not speakers or found is None:
        return
    label = found[0]
    if label in speakers or label == label.upper() or not NAME_LABEL.fullmatch(label):
        return
    log.warning(
        "%s:%d: %r looks like a speaker label but is not declared under speakers: in the front matter "
        "(declared: %s); it will be read aloud",
        path,
        line,
        label,
        ", ".join(speakers),
    )


# A label (see outline.SPEAKER_LABEL) that looks meant as one: capitals, as speakers are declared.
LOOKS_LIKE_LABEL = re.compile(r"[A-Z][A-Z0-9 _-]{1,24}")


def undeclared_label(segment: Segment, speakers: Mapping[str, str]) -> str | None:
    """Why the segment's opening `LABEL:` in capitals, which no one declared, is a problem (it
    is read aloud), or None.  `podcast check` calls it an error; a render warns."""
    found = speaker_label(segment.source)
    label = found[0] if found else ""
    if segment.speaker is not None or not LOOKS_LIKE_LABEL.fullmatch(label) or label in speakers:
        return None
    declared = ", ".join(speakers) or "none"
    return (
        f"{label!r} looks like a speaker label but is not declared under speakers: "
        f"in the front matter (declared: {declared}); it will be read aloud"
    )


def _split_speaker(text: str, speakers: Mapping[str, str]) -> tuple[str | None, str]:
    found = speaker_label(text)
    if found and found[0] in speakers:
        return found
    return None, text


def _has_words(text: str) -> bool:
    """True when there is at least one letter or digit to speak."""
    return any(ch.isalnum() for ch in INLINE_OVERRIDE.sub(lambda m: m.group(2), text))


def segment_id(text: str, seen: dict[str, int]) -> str:
    base = hashlib.sha1(" ".join(text.split()).encode("utf-8")).hexdigest()[:8]
    seen[base] = seen.get(base, 0) + 1
    return base if seen[base] == 1 else f"{base}-{seen[base]}"
