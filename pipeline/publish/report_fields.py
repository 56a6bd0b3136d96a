"""The fields of a render report (and of its `<slug>.verify.json`) that the report page draws,
checked before it is drawn: a report is data like any other (hand-edited, damaged, from another
tool), and a field of the wrong kind is one line naming its key, not a traceback or an exit 70
half way through the page.  What the page only prints as text may be anything (it is escaped).
publish/rendered.py checks what every reader of a report needs (names, duration, chapters)."""

from __future__ import annotations

import math
from typing import Any

from ..sound import overview
from .rendered import MAX_SECONDS, short_repr


def usable_overview(ov: Any) -> bool:
    """An overview the page can draw: overview()'s shape, at most its columns, a true peak of
    {dbtp, at} where there is one (measured again otherwise)."""
    if not overview.well_formed(ov) or ov["columns"] > overview.COLUMNS:
        return False
    peak = ov.get("true_peak")
    if not peak:
        return True
    try:
        _table(peak, "overview.true_peak")
        _number(peak.get("dbtp"), "overview.true_peak.dbtp")
        _seconds(peak.get("at"), "overview.true_peak.at", required=True)
        return True
    except FieldError:
        return False


class FieldError(ValueError):
    """A field of a report (or its verification) the page draws is of the wrong kind."""


def _fail(key: str, wanted: str, value: Any) -> FieldError:
    return FieldError(f"{key}: must be {wanted}, not {short_repr(value)}")


def _table(value: Any, key: str, required: bool = False) -> dict[str, Any]:
    if value is None and not required:
        return {}
    if not isinstance(value, dict):
        raise _fail(key, "a table", value)
    return value


def _list(value: Any, key: str, required: bool = False) -> list[Any]:
    if value is None and not required:
        return []
    if not isinstance(value, list):
        raise _fail(key, "a list", value)
    return value


def _number(value: Any, key: str, required: bool = False) -> None:
    if value is None and not required:
        return
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise _fail(key, "a number", value)


def _seconds(value: Any, key: str, required: bool = False) -> None:
    if value is None and not required:
        return
    _number(value, key, required=True)
    if not 0 <= value <= MAX_SECONDS:
        raise _fail(key, f"a number of seconds from 0 to {MAX_SECONDS:.0f}", value)


def _whole(value: Any, key: str, required: bool = False) -> None:
    if value is None and not required:
        return
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise _fail(key, "a whole number", value)


def _text(value: Any, key: str) -> None:
    if value is not None and not isinstance(value, str):
        raise _fail(key, "text", value)


def _tables(value: Any, key: str) -> list[tuple[str, dict[str, Any]]]:
    return [(f"{key}[{i}]", _table(item, f"{key}[{i}]", required=True)) for i, item in enumerate(_list(value, key))]


def _readings(value: Any, key: str) -> None:
    for where, r in _tables(value, key):
        for n in _list(r.get("segments"), f"{where}.segments"):
            _whole(n, f"{where}.segments[]", required=True)


def check_fields(report: Any) -> None:
    """FieldError naming the key for a field the page draws that is of the wrong kind (a report
    hand-edited, damaged or from elsewhere); what the page only prints as text may be anything.
    What publish/rendered.py's reader checked first (the episode, the duration, the positions
    of the timeline) is not checked again here."""
    report = _table(report, "(the whole file)", required=True)
    if not isinstance(report.get("segments"), list):
        raise _fail("segments", "a list of segments", report.get("segments"))
    for where, s in _tables(report.get("segments"), "segments"):
        _whole(s.get("index"), f"{where}.index", required=True)
        for key in ("chapter", "words", "take"):
            _whole(s.get(key), f"{where}.{key}")
        for key in ("text", "verdict"):
            _text(s.get(key), f"{where}.{key}")
        _number(s.get("wer"), f"{where}.wer")
        _tables(s.get("readings"), f"{where}.readings")
        for at, finding in _tables(s.get("findings"), f"{where}.findings"):
            _seconds(finding.get("time"), f"{at}.time")
    _list(report.get("voices"), "voices")
    loudness = _table(report.get("loudness"), "loudness")
    _number(loudness.get("target_lufs"), "loudness.target_lufs")
    envelope = _table(_table(report.get("music"), "music").get("envelope"), "music.envelope")
    for kind, points in envelope.items():
        for i, point in enumerate(_list(points, f"music.envelope.{kind}")):
            where = f"music.envelope.{kind}[{i}]"
            if not isinstance(point, list) or len(point) != 2:
                raise _fail(where, "[seconds, dB or null]", point)
            _seconds(point[0], where, required=True)
            _number(point[1], where)
    for name, seconds in _table(report.get("stages"), "stages").items():
        _number(seconds, f"stages.{name}", required=True)
    tools = _table(report.get("tools"), "tools")
    _table(tools.get("ffmpeg"), "tools.ffmpeg")
    for name, versions in _table(tools.get("engines"), "tools.engines").items():
        _table(versions, f"tools.engines.{name}")
    verify = _table(report.get("verify"), "verify")
    _readings(verify.get("readings"), "verify.readings")


def check_verification(verification: Any) -> None:
    """FieldError naming the key for a `<slug>.verify.json` the page cannot draw from."""
    verification = _table(verification, "(the whole file)", required=True)
    for where, s in _tables(verification.get("segments"), "segments"):
        _whole(s.get("index"), f"{where}.index", required=True)
        _text(s.get("verdict"), f"{where}.verdict")
        _number(s.get("wer"), f"{where}.wer")
        _tables(s.get("readings"), f"{where}.readings")
