"""What a render left in an output folder, read back: `<slug>.report.json` (its timeline
too, through the one reader `_timeline`) and `<slug>.chapters.json`, each field checked (type, range, a file name that stays in its
folder) in this one place before `podcast feed`, `podcast site` or a batch's up-to-date
check uses it.

An output folder is data like any other: a report can be damaged, hand-edited or
hostile.  A slug or a file name from a report is a plain name (no folder, no leading
dot), so nothing built from it lands outside the folder; a duration or a chapter time is
a finite number of seconds in range; a date is an ISO date.  A report that breaks a rule
is a ReportError naming the file and the key, which the caller turns into a warning and
leaves that one episode out (or, in the feed, measures its MP3 instead).  Text fields
lose their control characters, with a warning: an old render's report must not break
the feed or the pages.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping

from .._fsutil import read_regular, regular_file
from .._showmeta import MAX_NUMBER, control_problem, without_controls
from ..errors import MediaError, PipelineError
from ..sound.timeline import ChapterSpan as ChapterSpan  # what a reader of a report gets its chapters as
from ..sound.timeline import SegmentSpan, Timeline

if TYPE_CHECKING:
    from ..parse.script import Script

log = logging.getLogger(__name__)

MAX_REPORT_BYTES = 64_000_000  # a report of a ten-hour episode is a few MB (its overview series, its segments)
MAX_CHAPTERS_BYTES = 4_000_000
MAX_AUDIO_BYTES = 2_000_000_000  # an episode's MP3 (ten hours at 320 kbps is 1.4 GB)
MAX_SECONDS = 100 * 3600.0  # no episode is longer; a larger "duration" is damage
MAX_NAME_BYTES = 255  # NAME_MAX


class ReportError(PipelineError):
    """A render's report or chapters file that cannot be used (names the file and the key)."""


@dataclass(frozen=True)
class Report:
    """The fields of a render report that publishing uses, checked."""

    path: Path
    slug: str
    file: str | None = None  # the script it was rendered from
    title: str | None = None
    number: int | None = None
    season: int | None = None
    date: str | None = None  # ISO date (or date and time)
    description: str | None = None
    timeline: Timeline = Timeline(0.0, (), ())  # where its chapters (and segments, sentences) are
    show: Mapping[str, str] = field(default_factory=dict)  # title, author, language
    inputs: str | None = None  # the inputs digest (batch: up to date?)
    outputs: Mapping[str, str] = field(default_factory=dict)  # kind -> file name beside the report
    alternates: Mapping[str, str] = field(default_factory=dict)  # format -> file name beside the report
    data: Mapping[str, Any] = field(default_factory=dict)  # the whole report as read (the fields above checked)

    @property
    def folder(self) -> Path:
        return self.path.parent

    @property
    def duration(self) -> float:
        return self.timeline.duration

    @property
    def chapters(self) -> tuple[ChapterSpan, ...]:
        return self.timeline.chapters


def short_repr(value: Any) -> str:
    """A value as a report's error message quotes it: repr(), cut to 60 characters."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


class _Reader:
    def __init__(self, path: Path):
        self.path = path

    def fail(self, key: str, wanted: str, value: Any) -> ReportError:
        return ReportError(f"{key}: must be {wanted}, not {short_repr(value)}", file=self.path)

    def table(self, value: Any, key: str, required: bool = False) -> dict[str, Any]:
        if value is None and not required:
            return {}
        if not isinstance(value, dict):
            raise self.fail(key, "a table", value)
        return value

    def name(self, value: Any, key: str) -> str:
        if not is_plain_name(value):
            raise self.fail(key, "a plain file name (no folder, no leading dot)", value)
        return value

    def seconds(self, value: Any, key: str) -> float:
        if (
            isinstance(value, bool)
            or not isinstance(value, (int, float))
            or not math.isfinite(value)
            or not 0 <= value <= MAX_SECONDS
        ):
            raise self.fail(key, f"a number of seconds from 0 to {MAX_SECONDS:.0f}", value)
        return float(value)

    def whole(self, value: Any, key: str) -> int | None:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_NUMBER:
            raise self.fail(key, f"a whole number from 0 to {MAX_NUMBER}", value)
        return value

    def text(self, value: Any, key: str) -> str | None:
        if value is None:
            return None
        if not isinstance(value, str):
            raise self.fail(key, "text", value)
        problem = control_problem(value)
        if problem:
            log.warning("%s: %s %s; removed", self.path, key, problem.split(";")[0])
            return without_controls(value)
        return value

    def date(self, value: Any, key: str) -> str | None:
        if value is None:
            return None
        if isinstance(value, str):
            try:
                (dt.date if len(value) == 10 else dt.datetime).fromisoformat(value)
                return value
            except ValueError:
                pass
        raise self.fail(key, "an ISO date (YYYY-MM-DD)", value)

    def chapters(self, value: Any, key: str, start: str = "start", end: str | None = "end") -> tuple[ChapterSpan, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            raise self.fail(key, "a list of chapters", value)
        out = []
        for i, chapter in enumerate(value):
            where = f"{key}[{i}]"
            chapter = self.table(chapter, where, required=True)
            title = self.text(chapter.get("title"), f"{where}.title")
            if title is None:
                raise self.fail(f"{where}.title", "text", None)
            begins = self.seconds(chapter.get(start), f"{where}.{start}")
            ends = self.seconds(chapter.get(end), f"{where}.{end}") if end is not None else begins
            if ends < begins:
                raise self.fail(f"{where}.{end}", f"at or after its {start} ({begins:g})", ends)
            out.append(ChapterSpan(title, begins, ends))
        return tuple(out)


_warned: set[Path] = set()


def warn(exc: ReportError, then: str) -> None:
    """A damaged file's warning, once per file in this process however many commands read it
    (`podcast site` finds the show by the reports, then builds the pages from them)."""
    path = Path(str(exc.file))
    if path not in _warned:
        _warned.add(path)
        log.warning("%s; %s", exc, then)


def read_inputs(path: Path) -> tuple[str | None, tuple[str, ...]]:
    """What a batch reads to tell whether an episode is up to date, checked, and nothing else:
    the report's inputs digest and the file names of the other formats it lists."""
    data = _load_json(path, "render report", MAX_REPORT_BYTES)
    r = _Reader(path)
    if not isinstance(data, dict):
        raise r.fail("(the whole file)", "a JSON object", type(data).__name__)
    inputs, alternates = _inputs(data, r), _alternates(data, r)
    return inputs, tuple(alternates.values())


def _inputs(data: dict[str, Any], r: _Reader) -> str | None:
    inputs = data.get("inputs")
    if inputs is not None and not isinstance(inputs, str):
        raise r.fail("inputs", "a digest", inputs)
    return inputs


def _alternates(data: dict[str, Any], r: _Reader) -> dict[str, str]:
    return {
        fmt: r.name(r.table(entry, f"alternates.{fmt}", required=True).get("file"), f"alternates.{fmt}.file")
        for fmt, entry in r.table(data.get("alternates"), "alternates").items()
    }


def read_names(path: Path) -> tuple[str, str | None]:
    """The slug and the script (`episode.file`) a report names, checked, and nothing else:
    how `podcast feed` and `podcast site` find the scripts of an output folder."""
    r = _Reader(path)
    return _names(_load_json(path, "render report", MAX_REPORT_BYTES), r)


def _names(data: Any, r: _Reader) -> tuple[str, str | None]:
    if not isinstance(data, dict):
        raise r.fail("(the whole file)", "a JSON object", type(data).__name__)
    episode = r.table(data.get("episode"), "episode", required=True)
    file = episode.get("file")
    if file is not None and not isinstance(file, str):
        raise r.fail("episode.file", "a path", file)
    return r.name(episode.get("slug"), "episode.slug"), file


def is_plain_name(value: Any) -> bool:
    """A file name that stays in its folder: text, no folder part, not hidden, no control characters."""
    return (
        isinstance(value, str)
        and value not in ("", ".", "..")
        and not value.startswith(".")
        and "/" not in value
        and "\\" not in value
        and control_problem(value) is None
        and len(value.encode("utf-8", "surrogatepass")) <= MAX_NAME_BYTES
    )


def _load_json(path: Path, what: str, max_bytes: int) -> Any:
    try:
        data = read_regular(path, what, max_bytes)
    except FileNotFoundError:
        raise ReportError("no such file", file=path) from None
    except (OSError, ValueError) as exc:
        raise ReportError(f"cannot be read ({getattr(exc, 'strerror', None) or exc})", file=path) from None
    if len(data) > max_bytes:
        raise ReportError(f"is larger than a {what} can be ({max_bytes // 1_000_000} MB)", file=path)
    try:
        return json.loads(data.decode("utf-8"))
    except (ValueError, RecursionError) as exc:  # RecursionError: JSON nested thousands deep
        reason = str(exc).split("\n")[0] if isinstance(exc, ValueError) else "nested too deep"
        raise ReportError(f"not a {what} ({reason})", file=path) from None


def read_report(path: Path) -> Report:
    """The report at `path`, checked; ReportError naming the file and the key otherwise."""
    data = _load_json(path, "render report", MAX_REPORT_BYTES)
    r = _Reader(path)
    slug, file = _names(data, r)
    episode = data["episode"]
    show = r.table(data.get("show"), "show")
    outputs = r.table(data.get("outputs"), "outputs")
    timeline = _timeline(data, r, segments_required=False)
    return Report(
        path=path,
        slug=slug,
        file=file,
        title=r.text(episode.get("title"), "episode.title"),
        number=r.whole(episode.get("number"), "episode.number"),
        season=r.whole(episode.get("season"), "episode.season"),
        date=r.date(episode.get("date"), "episode.date"),
        description=r.text(episode.get("description"), "episode.description"),
        timeline=timeline,
        show={
            key: text
            for key in ("title", "author", "language")
            for text in [r.text(show.get(key), f"show.{key}")]
            if text is not None
        },
        inputs=_inputs(data, r),
        outputs={kind: r.name(name, f"outputs.{kind}") for kind, name in outputs.items()},
        alternates=_alternates(data, r),
        data=data,
    )


def read_timeline(path: Path) -> Timeline:
    """The timeline a report holds, checked (what `podcast verify` listens by)."""
    return report_timeline(_load_json(path, "render report", MAX_REPORT_BYTES), path)


def report_timeline(data: Any, path: Path) -> Timeline:
    """The timeline of a report already read (`path` names it in errors), checked."""
    r = _Reader(path)
    if not isinstance(data, dict):
        raise r.fail("(the whole file)", "a JSON object", type(data).__name__)
    return _timeline(data, r, segments_required=True)


def _timeline(data: dict[str, Any], r: _Reader, segments_required: bool) -> Timeline:
    """The one reader of a report's positions: its duration, chapters, segments (index, id,
    start, speech start, duration, sentence starts) and the speech offset, each checked.  A
    segment without sentence starts (a report from before they were written) has None."""
    segments = data.get("segments")
    if segments is None and not segments_required:
        segments = []
    if not isinstance(segments, list):
        raise r.fail("segments", "a list of segments", segments)
    placed = []
    for i, segment in enumerate(segments):
        where = f"segments[{i}]"
        segment = r.table(segment, where, required=True)
        if not isinstance(segment.get("id"), str):
            raise r.fail(f"{where}.id", "a segment id", segment.get("id"))
        start = r.seconds(segment.get("start"), f"{where}.start")
        sentences = segment.get("sentences")
        if sentences is not None and not isinstance(sentences, list):
            raise r.fail(f"{where}.sentences", "a list of sentence starts", sentences)
        placed.append(
            SegmentSpan(
                r.whole(segment.get("index"), f"{where}.index") or i + 1,
                segment["id"],
                start,
                r.seconds(segment.get("speech_start", start), f"{where}.speech_start"),
                r.seconds(segment.get("duration"), f"{where}.duration"),
                None
                if sentences is None
                else tuple(r.seconds(t, f"{where}.sentences[{k}]") for k, t in enumerate(sentences)),
            )
        )
    music = r.table(data.get("music"), "music")
    offset = music.get("speech_offset")
    return Timeline(
        r.seconds(data.get("duration"), "duration"),
        r.chapters(data.get("chapters"), "chapters"),
        tuple(placed),
        0.0 if offset is None else r.seconds(offset, "music.speech_offset"),
    )


def rendered_timeline(script: Script, out_dir: Path, mp3: Path | None) -> tuple[Path, Timeline]:
    """The MP3 and the timeline of an episode rendered into `out_dir`, for `podcast verify`;
    one-line errors naming the file otherwise."""
    report_path = out_dir / f"{script.slug}.report.json"
    if not report_path.exists():
        raise MediaError(f"not rendered yet (no {report_path}); run podcast render first", file=script.path)
    try:
        timeline = read_timeline(report_path)
    except ReportError as exc:
        raise MediaError(f"not a render report ({exc.message})", file=report_path) from None
    if [s.id for s in timeline.segments] != [s.id for s in script.segments]:
        raise MediaError(
            f"the script changed since {report_path} was written (its segments differ); render it again",
            file=script.path,
        )
    if not timeline.has_sentences:
        raise MediaError(
            "written by an older version, without the segments' sentence starts; render it again", file=report_path
        )
    mp3 = mp3 or out_dir / f"{script.slug}.mp3"
    try:  # a FIFO or a device is refused, never opened (it was "no such file")
        regular_file(mp3, "sound file", MAX_AUDIO_BYTES)
    except FileNotFoundError:
        raise MediaError("no such file (the audio to check)", file=mp3) from None
    except (OSError, ValueError) as exc:
        raise MediaError(f"{getattr(exc, 'strerror', None) or exc} (the audio to check)", file=mp3) from None
    return mp3, timeline


def read_chapters(path: Path) -> tuple[ChapterSpan, ...]:
    """A Podcasting 2.0 chapters file (`startTime`, `title`), checked; ReportError otherwise."""
    data = _load_json(path, "chapters file", MAX_CHAPTERS_BYTES)
    r = _Reader(path)
    if not isinstance(data, dict):
        raise r.fail("(the whole file)", "a JSON object", type(data).__name__)
    return r.chapters(data.get("chapters"), "chapters", start="startTime", end=None)
