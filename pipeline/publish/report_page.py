"""`<slug>.report.html`: the render report as a page a producer reads at a glance.

One self-contained file beside the MP3 (styles and script inline, the MP3 referenced
by its name, nothing fetched from elsewhere: it works from `file://`), written by
every render and rebuilt by `podcast report EPISODE` from the report alone:

- the timeline: a waveform overview of the master, the loudness over time against the
  target, the chapter marks, the segments (hover or focus shows text, voice, take and
  cache status), the music (intro, outro and their fader moves), suspect segments
  (the listening check's verdicts) and each segment's findings as marks;
- the loudness figures (integrated, LRA, maximum true peak and where it is);
- the segments table and the stages (time per stage, synthesized and cached, tools);
- an audio player that seeks wherever a segment, chapter or mark is clicked.

Everything drawn comes from the report: its `overview` (sound/overview.py, measured
while the MP3 was encoded; measured again from the MP3 when a report lacks it), its
segments, chapters and music.  Per segment the page also shows, when the report (or
`<slug>.verify.json`) has them: `verdict` and `wer` (the listening check), `readings`
(reading hints), `findings` (a list of {kind, text, time}: other checks' marks),
`take` and `pinned`.
"""

from __future__ import annotations

import json
import logging
import math
import os
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jinja2 import Environment

from .._clock import clock
from .._fsutil import read_json, write_text_atomic
from ..errors import MediaError
from ..sound import ffmpeg, overview
from ..sound.timeline import Timeline
from .html import templates
from .rendered import ReportError, read_report, report_timeline
from .report_fields import check_fields, check_verification, usable_overview

log = logging.getLogger(__name__)

LOUDNESS_TOP, LOUDNESS_BOTTOM = -5.0, -50.0  # LUFS drawn from the top to the bottom of the chart
TIP_TEXT = 240  # characters of a segment's text in its tooltip
MUSIC_BOTTOM_DB = -30.0  # the music lane: 0 dB (full level) at the top, this at the bottom


def position_clock(seconds: float) -> str:
    # Whole seconds of a position on the report's time axis (floored: a tick at 0:43.5 is in 0:43);
    # the episode's duration, as everywhere, is _clock.clock.
    m, s = divmod(int(seconds), 60)
    h, m = divmod(m, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def clock_tenths(seconds: float) -> str:
    whole = int(seconds)
    return f"{position_clock(whole)}.{int(round((seconds - whole) * 10)) % 10}"


def page_path(report_path: Path) -> Path:
    return report_path.with_name(report_path.name[: -len(".report.json")] + ".report.html")


def href(name: str) -> str:
    """A file name beside the page as a relative URL: every character that means something in a
    URL (`#`, `?`, `%`, `:`, a space) or is not ASCII percent-encoded, so it works from file://."""
    return quote(str(name), safe="")


def _pct(t: float, duration: float) -> str:
    return f"{max(0.0, min(100.0, 100.0 * t / duration)):.3f}" if duration > 0 else "0"


def _num(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".") if x != int(x) else str(int(x))


def waveform_path(ov: dict[str, Any], height: float = 100.0) -> str:
    """The min/max overview as one closed SVG path in column units (x: column, y: 0 top)."""
    hi, lo = ov["wave_max"], ov["wave_min"]
    mid = height / 2

    def y(v: int) -> str:
        return _num(round(mid - v / 1000 * mid, 1))

    top = " ".join(f"{i} {y(v)} {i + 1} {y(v)}" for i, v in enumerate(hi))
    bottom = " ".join(f"{i + 1} {y(v)} {i} {y(v)}" for i, v in reversed(list(enumerate(lo))))
    return f"M{top} L{bottom}Z"


def _loud_y(v: float) -> str:
    v = min(LOUDNESS_TOP, max(LOUDNESS_BOTTOM, v))
    return _num(round(LOUDNESS_TOP - v, 1))


def loudness_line(values: list[float]) -> str:
    """A loudness series as an SVG polyline's points (x: column centre, y: LU below 0 LUFS)."""
    return " ".join(f"{_num(i + 0.5)},{_loud_y(v)}" for i, v in enumerate(values))


def music_lanes(report: dict[str, Any], step: float) -> list[dict[str, Any]]:
    """The intro's and outro's fader moves as SVG polylines (x in columns, y 0..100)."""
    env = (report.get("music") or {}).get("envelope") or {}
    out = []
    for kind in ("intro", "outro"):
        points = env.get(kind) or []
        if not points:
            continue

        def y(db: float | None) -> str:
            if db is None:
                return "100"
            return _num(round(100 * min(1.0, max(0.0, db / MUSIC_BOTTOM_DB)), 1))

        out.append(
            {
                "kind": kind,
                "label": (report.get("music") or {}).get(kind) or kind,
                "points": " ".join(f"{_num(round(t / step, 2))},{y(db)}" for t, db in points),
                "start": points[0][0],
                "end": points[-1][0],
            }
        )
    return out


def _segment_rows(
    report: dict[str, Any], timeline: Timeline, verification: dict[str, Any] | None
) -> list[dict[str, Any]]:
    duration = timeline.duration
    checks = {c["index"]: c for c in (verification or {}).get("segments", [])}
    readings_by_segment: dict[int, list[dict]] = {}
    for r in (report.get("verify") or {}).get("readings", []):
        for index in r.get("segments", []):
            readings_by_segment.setdefault(index, []).append(r)
    chapters = timeline.chapters
    voices = sorted({str(s.get("voice")) for s in report.get("segments", [])})
    rows = []
    for s, span in zip(report.get("segments", []), timeline.segments):
        check = checks.get(span.index, {})
        start, dur = span.start, span.duration
        speech = max(0.1, dur - (span.speech_start - start))
        words = s.get("words")
        readings = s.get("readings") or check.get("readings") or readings_by_segment.get(span.index, [])
        hints = [
            f"{r.get('token', '?')}: read “{r.get('reading', '?')}”"
            + (
                f", heard “{', '.join(map(str, r['heard'])) if isinstance(r['heard'], list) else r['heard']}”"
                if r.get("heard")
                else ""
            )
            for r in readings
        ]
        verdict = s.get("verdict") or check.get("verdict")
        wer = s.get("wer", check.get("wer"))
        cached = s.get("cached")
        take = s.get("take")
        status = "cached" if cached else "synthesized" if cached is not None else "unknown"
        chapter = s["chapter"] if s.get("chapter") is not None else 1
        tip = [
            f"Segment {span.index} at {position_clock(start)} ({dur:.1f} s)",
            f"voice {s.get('voice')}" + (f" ({s['speaker']})" if s.get("speaker") else ""),
            f"take {take if take is not None else 0}" + (" (pinned)" if s.get("pinned") else "") + f", {status}",
        ]
        if verdict:
            tip.append(f"listening check: {verdict}" + (f", WER {wer:.2f}" if isinstance(wer, (int, float)) else ""))
        findings = [f for f in s.get("findings") or [] if isinstance(f, dict)]
        tip += [f"{f.get('kind', 'finding')}: {f.get('text', '')}" for f in findings]
        if s.get("text"):  # the table has it whole
            text = s["text"]
            tip.append(text if len(text) <= TIP_TEXT else text[:TIP_TEXT].rsplit(" ", 1)[0] + " …")
        rows.append(
            {
                **s,
                "start": start,
                "duration": dur,
                "left": _pct(start, duration),
                "width": _pct(min(dur, duration - start), duration),
                "chapter": chapter,
                "chapter_title": chapters[chapter - 1].title if 0 < chapter <= len(chapters) else "",
                "wpm": round(60 * words / speech) if isinstance(words, int) and words else None,
                "verdict": verdict,
                "wer": wer,
                "hints": hints,
                "findings": [
                    {**f, "time": float(f.get("time", start)), "left": _pct(float(f.get("time", start)), duration)}
                    for f in findings
                ],
                "status": status,
                "take": take,
                "pinned": bool(s.get("pinned")),
                "tip": "\n".join(tip),
                "voice_index": voices.index(str(s.get("voice"))) % 4,
            }
        )
    return rows


def context(
    report: dict[str, Any], verification: dict[str, Any] | None = None, timeline: Timeline | None = None
) -> dict[str, Any]:
    """What the template draws: every position from the episode's timeline (read from the
    report when not given), the rest from the report (and the verification, where there is one)."""
    timeline = timeline or report_timeline(report, Path("report.json"))
    duration = timeline.duration
    ov = report.get("overview")
    step = float(ov["step"]) if ov else 1.0
    width = duration / step if ov and duration > 0 else 1.0  # the SVGs' x: columns, the whole episode wide
    loud = report.get("loudness") or {}
    peak = (ov or {}).get("true_peak")
    stages = report.get("stages") or {}
    longest = max([float(v) for v in stages.values()] or [0.0]) or 1.0
    episode = report.get("episode") or {}
    outputs = report.get("outputs") or {}
    segments = _segment_rows(report, timeline, verification)
    return {
        "report": report,
        "title": episode.get("title") or episode.get("slug") or "Episode",
        "episode": episode,
        "language": (report.get("show") or {}).get("language") or "en",
        "mp3": href(outputs.get("mp3") or f"{episode.get('slug', 'episode')}.mp3"),
        "duration": duration,
        "loud": loud,
        "ov": ov,
        "width": _num(round(width, 3)),
        "wave": waveform_path(ov) if ov else "",
        "momentary": loudness_line(ov["momentary_max"]) if ov else "",
        "short_term": loudness_line(ov["short_term"]) if ov else "",
        "loud_height": _num(LOUDNESS_TOP - LOUDNESS_BOTTOM),
        "target_y": _loud_y(float(loud.get("target_lufs", -16.0))),
        "grid": [
            {"lufs": v, "y": _loud_y(v), "top": f"{100 * (LOUDNESS_TOP - v) / (LOUDNESS_TOP - LOUDNESS_BOTTOM):.2f}"}
            for v in range(-10, -50, -10)
        ],
        "peak": {**peak, "left": _pct(peak["at"], duration)} if peak else None,
        "music": music_lanes(report, step),
        "chapters": [
            {"title": c.title, "start": c.start, "end": c.end, "number": i + 1, "left": _pct(c.start, duration)}
            for i, c in enumerate(timeline.chapters)
        ],
        "segments": segments,
        "suspects": [s for s in segments if s["verdict"] in ("suspect", "broken")],
        "stages": [
            {"name": k, "seconds": float(v), "width": f"{100 * float(v) / longest:.1f}"} for k, v in stages.items()
        ],
        "total": sum(float(v) for v in stages.values()),
        "synthesis": report.get("synthesis") or {},
        "tools": report.get("tools") or {},
        "verify": report.get("verify"),
    }


def _environment() -> Environment:
    env = templates("report")
    env.filters["clock"] = position_clock  # positions on the time axis
    env.filters["clock_tenths"] = clock_tenths
    env.filters["duration"] = clock  # the episode's length, as the terminal, the site and the feed show it
    return env


def render(report: dict[str, Any], verification: dict[str, Any] | None = None, timeline: Timeline | None = None) -> str:
    env = _environment()
    assert env.loader is not None
    css = env.loader.get_source(env, "report.css")[0]
    js = env.loader.get_source(env, "report.js")[0]
    return env.get_template("report.html.j2").render(**context(report, verification, timeline), css=css, js=js)


def write(
    report: dict[str, Any], path: Path, verification: dict[str, Any] | None = None, timeline: Timeline | None = None
) -> Path:
    """The page for `report`, written (atomically) to `path`."""
    _write(path, render(report, verification, timeline))
    return path


def _write(path: Path, text: str) -> None:
    try:
        write_text_atomic(path, text)
    except OSError as exc:  # a read-only folder: the file it names, not its temporary
        raise type(exc)(exc.errno, exc.strerror, str(path)) from None


def measured_overview(mp3: Path) -> dict[str, Any] | None:
    """The overview of an MP3 measured now (a report written before the page existed)."""
    _, frames = ffmpeg.measure_overview(mp3)
    return overview.overview(frames, measured="from the MP3 (podcast report)")


def rebuild(report_path: Path) -> Path:
    """`podcast report`: the page again from `report_path`; an overview missing from the
    report (or damaged) is measured on its MP3 and added to the report.  A report that is not
    one, or a field the page draws of the wrong kind, is one line naming the report and the key;
    a damaged `<slug>.verify.json` beside it is a warning naming that file."""
    if not os.path.lexists(report_path):
        raise MediaError("no such report: not rendered yet (run podcast render first)", file=report_path)
    try:
        timeline = read_report(report_path).timeline  # names stay in its folder, positions are seconds, ...
        report = read_json(report_path, "episode report")
        check_fields(report)
    except ReportError as exc:
        text = exc.message if exc.message.startswith("not a ") else f"not a render report ({exc.message})"
        raise MediaError(text, file=report_path) from None
    except (OSError, ValueError) as exc:
        raise MediaError(f"not a render report ({exc})", file=report_path) from None
    folder = report_path.parent
    mp3 = folder / ((report.get("outputs") or {}).get("mp3") or f"{report['episode']['slug']}.mp3")
    if report.get("overview") and not usable_overview(report["overview"]):
        log.warning("%s: its overview is damaged; measuring the MP3 again", report_path)
        report["overview"] = None
    if not report.get("overview"):
        if not mp3.is_file():
            raise MediaError("no such file (the audio the report page shows)", file=mp3)
        report["overview"] = measured_overview(mp3)
        _write(report_path, dumps(report))
    verification = _verification(folder, (report.get("outputs") or {}).get("verify"))
    try:
        path = write(report, page_path(report_path), verification, timeline)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:  # a field of the wrong shape
        raise MediaError(
            f"not a render report: a field of the wrong kind ({type(exc).__name__}: {exc})", file=report_path
        ) from None
    log.info("wrote %s", path)
    return path


def _verification(folder: Path, name: Any) -> dict[str, Any] | None:
    """The listening check's file beside the report, checked; a warning naming it (and the
    key) when it cannot be used, and the page shows the report's summary only."""
    if not name or not (folder / name).is_file():
        return None
    path = folder / name
    try:
        verification = read_json(path, "episode report")
        check_verification(verification)
    except (OSError, ValueError) as exc:  # FieldError too
        log.warning("%s: unreadable (%s); the page shows the report's summary only", path, exc)
        return None
    return verification


def dumps(report: dict[str, Any]) -> str:
    """The report as JSON, indented, with lists of numbers on one line each (the overview's
    series stay a few lines, not thousands)."""
    placeholders: dict[str, str] = {}

    def pack(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: pack(v) for k, v in value.items()}
        if isinstance(value, list):
            if value and all(
                v is None or (isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v))
                for v in value
            ):
                key = f"\x00{len(placeholders)}\x00"
                placeholders[key] = json.dumps(value, separators=(",", ":"))
                return key
            return [pack(v) for v in value]
        return value

    text = json.dumps(pack(report), indent=2, ensure_ascii=False)
    for key, packed in placeholders.items():
        text = text.replace(json.dumps(key), packed, 1)
    return text + "\n"
