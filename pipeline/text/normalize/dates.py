"""Dates, times, years, decades and quarters."""

from __future__ import annotations

import re

from . import vocab
from .context import Rule
from .say import cardinal, number, ordinal, plural_decade, year

_DIGITS = "0123456789"

_DATA = vocab.load("dates")
MONTHS: list[str] = list(_DATA["months"])
MONTH_NUMBER = {**{m.lower(): i + 1 for i, m in enumerate(MONTHS)}, **_DATA["month_abbreviations"]}


# A month by name (any case) or by abbreviation (with or without its full stop).
_MONTH = (
    r"(?i:(?:" + "|".join(m.lower() for m in MONTHS) + r")\b|(?:sept|jan|feb|mar|apr|jun|jul|aug|sep|oct|nov|dec)"
    r"(?:\.|\b))"
)


def _day_month(day: int, month: int, y: str | None) -> str:
    words = f"the {ordinal(day)} of {MONTHS[month - 1]}"
    return f"{words}, {year(y)}" if y else words


def _month_day_words(month: int, day: int, y: str | None) -> str:
    words = f"{MONTHS[month - 1]} {ordinal(day)}"
    return f"{words}, {year(y)}" if y else words


def _date_ymd(m: re.Match) -> str:
    y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
    if not (1 <= mo <= 12 and 1 <= d <= 31):
        return " ".join(number(g) for g in m.groups())
    return _month_day_words(mo, d, str(y))


def _date_numeric(m: re.Match) -> str:
    """a/b/yyyy: month first unless the first cannot be a month (then day first); dotted is day first."""
    dotted = m.group(5) == "."
    a, b, y = int(m.group(1)), int(m.group(6) if dotted else m.group(3)), m.group(7) if dotted else m.group(4)
    if len(y) == 2:
        y = ("20" if int(y) < 50 else "19") + y
    day_first = dotted or a > 12
    day, month = (a, b) if day_first else (b, a)
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return " ".join(number(g) for g in (str(a), str(b), y))
    return _month_day_words(month, day, y)


def _month_of(s: str) -> int:
    return MONTH_NUMBER[s.rstrip(".").lower()]


def _month_first(m: re.Match) -> str:
    return _month_day_words(_month_of(m.group(1)), int(m.group(2)), m.group(3))


def _day_first(m: re.Match) -> str:
    said = _day_month(int(m.group(1)), _month_of(m.group(2)), m.group(3))
    return said[4:] if re.search(r"\bthe\s+$", m.string[: m.start()], re.I) else said


def _month_year(m: re.Match) -> str:
    return f"{MONTHS[_month_of(m.group(1)) - 1]} {year(m.group(2))}"


def _month_alone(m: re.Match) -> str:
    return MONTHS[_month_of(m.group(1)) - 1]


def _clock(h: str, mi: str | None, s: str | None = None, ampm: str | None = None) -> str:
    hour = int(h)
    words = cardinal(hour)
    if mi is None or mi == "00":
        if not ampm and s is None:
            words += " o'clock"
    elif mi.startswith("0"):
        words += f" oh {cardinal(mi[1])}"
    else:
        words += f" {cardinal(mi)}"
    if s is not None:
        words += f" and {cardinal(int(s))} second{'s' if int(s) != 1 else ''}"
    if ampm:
        words += " " + " ".join(ampm.replace(".", "").lower())
    return words


def _time(m: re.Match) -> str:
    return _clock(m.group(1), m.group(2), m.group(3), m.group(4))


def _hour_ampm(m: re.Match) -> str:
    return _clock(m.group(1), None, None, m.group(2))


def _quarter(m: re.Match) -> str:
    return f"{year(m.group(1))} Q {cardinal(m.group(2))}"


def _decade(m: re.Match) -> str:
    mid, num = m.group(1), m.group(3)
    words = plural_decade(num)
    return f"{mid}-{words}" if mid else words


def _year_range(m: re.Match) -> str:
    a, b = m.group(1), m.group(2)
    if len(b) == 2:
        return f"{year(a)} to {cardinal(b) if not b.startswith('0') else 'oh ' + cardinal(b[1])}"
    return f"{year(a)} to {year(b)}"


def _year_or_number(m: re.Match) -> str:
    s = m.group(0)
    if "," in s or "." in s:
        return number(s)
    if re.fullmatch(r"1\d\d\d|20\d\d", s):
        after = m.string[m.end() : m.end() + 24]
        before = m.string[max(0, m.start() - 12) : m.start()]
        counted = re.match(
            r"\s+(?!was\b|is\b|has\b|this\b|its\b|as\b|us\b|his\b|does\b|onwards\b|dollars?\b)"
            r"[a-z]{3,}s\b",
            after,
        )
        if counted and not re.search(r"(?:\bin|\bof|\bsince|\byear|\bby)\s+$", before, re.I):
            return cardinal(s)
        if int(s) < 1500 and not re.search(r"(?:\bin|\bof|\byear|\bsince|\bAD|\bby|\bc\.)\s+$", before, re.I):
            return cardinal(s)
        return year(s)
    return number(s)


RULES: list[Rule] = [
    Rule(
        "date",
        re.compile(r"\b(\d{4})[-/](\d{1,2})[-/](\d{1,2})\b"),
        _date_ymd,
        _DIGITS,
    ),
    Rule(
        "numeric date",
        re.compile(r"(?<![\w./])(\d{1,2})(?:(/)(\d{1,2})/(\d{4}|\d{2})|(\.)(\d{1,2})\.(\d{4}))(?![\w/]|\.\d)"),
        _date_numeric,
        _DIGITS,
    ),
    Rule(
        "month day",
        re.compile(r"(?<![\w.])(" + _MONTH + r")\s*(\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(\d{4})\b)?"),
        _month_first,
        _DIGITS,
    ),
    Rule(
        "day month",
        re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(" + _MONTH + r")(?:,?\s+(\d{4})\b)?"),
        _day_first,
        _DIGITS,
    ),
    Rule(
        "month year",
        re.compile(r"(?<![\w.])(" + _MONTH + r")\s+(\d{4})\b"),
        _month_year,
        _DIGITS,
    ),
    Rule(
        "month abbreviation",
        re.compile(r"(?<![\w.])((?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.)(?=\s)"),
        _month_alone,
        "",
    ),
    Rule(
        "time range",
        re.compile(r"\b(\d{1,2})\s?([ap])m\s?[-–]\s?(\d{1,2})\s?([ap])m\b", re.I),
        lambda m: (
            f"{_clock(m.group(1), None, None, m.group(2) + 'm')} to {_clock(m.group(3), None, None, m.group(4) + 'm')}"
        ),
        _DIGITS,
    ),
    Rule(
        "clock range",
        re.compile(r"\b(\d{1,2}):(\d{2})\s?[-–]\s?(\d{1,2}):(\d{2})\b"),
        lambda m: f"{_clock(m.group(1), m.group(2))} to {_clock(m.group(3), m.group(4))}",
        _DIGITS,
    ),
    Rule(
        "time",
        re.compile(r"\b(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s?([AaPp]\.?[Mm]\.?)(?!\w))?"),
        _time,
        _DIGITS,
    ),
    Rule(
        "hour am pm",
        re.compile(r"\b(\d{1,2})\s?([AaPp]\.?[Mm]\.?)(?!\w)"),
        _hour_ampm,
        _DIGITS,
    ),
    Rule(
        "quarter",
        re.compile(r"\b(\d{4})-Q([1-4])\b"),
        _quarter,
        _DIGITS,
    ),
    Rule(
        "decade",
        re.compile(r"(?:\b(mid|early|late)-)?(?<![\w])(')?(\d{2}|1\d{3}|20\d{2})(?:'s|s)\b"),
        lambda m: _decade(m) if (m.group(3)[-1] == "0") else m.group(0),
        _DIGITS,
    ),
    Rule(
        "year compound",
        re.compile(r"\b([Yy]ear)-(\d{4})\b"),
        lambda m: f"{m.group(1)} {year(m.group(2))}",
        _DIGITS,
    ),
    Rule(
        "year range",
        re.compile(r"(?<![\w.])(1[1-9]\d\d|20\d\d)\s?[-–]\s?(1[1-9]\d\d|20\d\d|\d\d)(?![\w.])"),
        lambda m: (
            _year_range(m)
            if int(m.group(2)[-2:] if len(m.group(2)) == 2 else m.group(2))
            > (int(m.group(1)[-2:]) if len(m.group(2)) == 2 else int(m.group(1)))
            else m.group(0)
        ),
        _DIGITS,
    ),
]
