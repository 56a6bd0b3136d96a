"""Dates, times, years, decades, quarters, weekdays and lengths of time (h:mm:ss)."""

from __future__ import annotations

import re

from . import vocab
from .context import Rule
from .say import cardinal, number, ordinal, plural_decade, year

_DIGITS = "0123456789"

_DATA = vocab.load("dates")
MONTHS: list[str] = list(_DATA["months"])
MONTH_NUMBER = {**{m.lower(): i + 1 for i, m in enumerate(MONTHS)}, **_DATA["month_abbreviations"]}
WEEKDAYS: list[str] = list(_DATA["weekdays"])
WEEKDAY_NUMBER: dict[str, int] = {**{d.lower(): i for i, d in enumerate(WEEKDAYS)}, **_DATA["weekday_abbreviations"]}
ZONES = frozenset(_DATA["times"]["zones"])
DURATION_CUES = frozenset(w.lower() for w in _DATA["times"]["duration_cues"])
ERAS: dict[str, str] = dict(_DATA["eras"])
# Short forms that never end a sentence with their full stop (spoken.py's splitter must know them).
NO_BREAK = frozenset(_DATA["month_abbreviations"]) | frozenset(_DATA["weekday_abbreviations"])


def _alternation(words: list[str] | frozenset[str] | dict) -> str:
    return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))


# A month by name (any case) or by abbreviation (with or without its full stop).
# Lowercase "may" is the verb ("ages 18-25 may apply"), so May is a month only capitalized.
_MONTH = (
    r"(?:(?i:(?:" + "|".join(m.lower() for m in MONTHS if m != "May") + r")\b"
    r"|(?:sept|jan|feb|mar|apr|jun|jul|aug|sep|oct|nov|dec)(?:\.|\b))|(?:May|MAY)\b)"
)
_SHORT_DAY = _alternation(_DATA["weekday_abbreviations"])
_DAY = r"(?:" + _alternation(WEEKDAYS) + r"|(?i:" + _SHORT_DAY + r")\b\.?)"
_ZONE = r"(?:\s(" + _alternation(ZONES) + r")\b(?:\s?([+-]\d{1,2})(?::?(\d{2}))?(?!\d))?)?"
_AMPM = r"([AaPp]\.?[Mm]\b\.?)"
_ORD = r"(?:st|nd|rd|th)?"


def _stop(m: re.Match, before_capital: bool = False) -> str:
    """A full stop that ends a match also ends the sentence where the text ends (not in a bare
    fragment: '5 Nov.'), or, with `before_capital`, before a capitalized word that is no date."""
    if not m.group(0).endswith(".") or not re.search(r"[A-Za-z]", m.string[: m.start()]):
        return ""
    rest = m.string[m.end() :]
    if not rest.strip(" \"')]"):
        return "."
    nxt = re.match(r"\s+[\"'(]?([A-Z][a-z]*)", rest) if before_capital else None
    dated = nxt is not None and (nxt.group(1).lower() in MONTH_NUMBER or nxt.group(1).lower() in WEEKDAY_NUMBER)
    return "." if nxt and not dated else ""


def _day_month(day: int, month: int, y: str | None) -> str:
    words = f"the {ordinal(day)} of {MONTHS[month - 1]}"
    return f"{words}, {year(y)}" if y else words


def _month_day_words(month: int, day: int, y: str | None, to: int | None = None) -> str:
    words = f"{MONTHS[month - 1]} {ordinal(day)}" + (f" to {ordinal(to)}" if to else "")
    return f"{words}, {year(y)}" if y else words


def _date_ymd(m: re.Match) -> str:
    y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
    if not (1 <= mo <= 12 and 1 <= d <= 31):
        return " ".join(number(g) for g in m.groups())
    return _month_day_words(mo, d, str(y))


def _zone(zone: str | None, hours: str | None = None, minutes: str | None = None) -> str:
    """'UTC' -> 'U T C', 'Z' -> 'U T C', 'UTC+5:30' -> 'U T C plus five thirty'."""
    if not zone:
        return ""
    words = " " + " ".join("UTC" if zone == "Z" else zone)
    if hours:
        sign = "plus" if hours[0] == "+" else "minus"
        words += f" {sign} {cardinal(int(hours[1:]))}"
        if minutes and minutes != "00":
            words += f" {cardinal(minutes)}"
    return words


def _iso_datetime(m: re.Match) -> str:
    """2025-02-03T15:04:05Z: the date, then 'at' and the clock time and its zone."""
    y, mo, d, h, mi, s, offset, zone = m.groups()
    if not (1 <= int(mo) <= 12 and 1 <= int(d) <= 31 and int(h) < 24 and int(mi) < 60):
        return m.group(0)
    hours = minutes = None
    if offset and offset != "Z":
        hours, minutes, zone = offset[:3], offset[-2:], "UTC"
    return f"{_month_day_words(int(mo), int(d), y)}, at {_clock(h, mi, s)}{_zone(zone or offset, hours, minutes)}"


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


_MONTH_DAY = _DATA["month_day"]
_MD_BEFORE = frozenset(_MONTH_DAY["before"])
_MD_WEAK = frozenset(_MONTH_DAY["weak"])
_MD_DENOMINATORS = frozenset(_MONTH_DAY["denominators"])
_MD_NOUN = re.compile(r"\b(?:" + "|".join(_MONTH_DAY["nouns"]) + r")\b(?:\s+[a-z]+){0,2}\s+$", re.I)
_MD_MEASURED = re.compile(
    r"\s*(?:\"|of\b|inch|in\b|cups?\b|teaspoons?|tsp|tbsp|tablespoons?|miles?\b|pounds?|lbs?\b|oz\b)"
)


def _month_day(m: re.Match) -> str:
    """'on 6/14', 'until 12/24', 'the deadline is 1/15': a month and a day; else left to the fraction."""
    month, day = int(m.group(1)), int(m.group(2))
    if not (1 <= month <= 12 and 1 <= day <= 31) or _MD_MEASURED.match(m.string, m.end()):
        return m.group(0)
    before = m.string[max(0, m.start() - 40) : m.start()]
    prev = re.search(r"([A-Za-z]+)\s+$", before)
    word = prev.group(1).lower() if prev else ""
    if word in _MD_BEFORE and not (word in _MD_WEAK and day in _MD_DENOMINATORS):
        return _month_day_words(month, day, None)
    if _MD_NOUN.search(before):
        return _month_day_words(month, day, None)
    return m.group(0)


def _month_of(s: str) -> int:
    return MONTH_NUMBER[s.rstrip(".").lower()]


def _month_first(m: re.Match) -> str:
    day, to = int(m.group(2)), int(m.group(3)) if m.group(3) else None
    if not 1 <= day <= 31 or (to is not None and not day < to <= 31):
        return m.group(0)
    return _month_day_words(_month_of(m.group(1)), day, m.group(4), to)


def _day_first(m: re.Match) -> str:
    said = _day_month(int(m.group(1)), _month_of(m.group(2)), m.group(3))
    said = said[4:] if re.search(r"\bthe\s+$", m.string[: m.start()], re.I) else said
    return said + _stop(m)


def _month_year(m: re.Match) -> str:
    return f"{MONTHS[_month_of(m.group(1)) - 1]} {year(m.group(2))}"


def _month_alone(m: re.Match) -> str:
    return MONTHS[_month_of(m.group(1)) - 1] + _stop(m, before_capital=True)


def _weekday(s: str) -> str:
    return WEEKDAYS[WEEKDAY_NUMBER[s.rstrip(".").lower()]]


def _weekday_span(m: re.Match) -> str:
    return f"{_weekday(m.group(1))} to {_weekday(m.group(2))}" + _stop(m, before_capital=True)


def _hour_minutes(h: str, mi: str | None) -> str:
    words = cardinal(int(h))
    if mi and mi != "00":
        words += f" oh {cardinal(mi[1])}" if mi.startswith("0") else f" {cardinal(mi)}"
    return words


def _clock(h: str, mi: str | None, s: str | None = None, ampm: str | None = None) -> str:
    """'15:00' -> 'fifteen hundred', '9:05' -> 'nine oh five', '12 p.m.' -> 'twelve noon'."""
    hour = int(h)
    s = None if s == "00" else s  # "7:00:00" is seven o'clock
    half = ampm.replace(".", "").lower()[0] if ampm else ""
    words = _hour_minutes(h, mi)
    if (mi is None or mi == "00") and s is None:
        if half and hour == 12:
            return "twelve noon" if half == "p" else "twelve midnight"
        if not half:  # a 24-hour clock says "hundred" past noon: "fifteen hundred"
            words = "zero hundred" if hour == 0 else words + (" hundred" if hour > 12 else " o'clock")
    if s is not None:
        if mi == "00":  # "14:00:05": the hour is said whole before its seconds
            words += " hundred" if hour > 12 else " o'clock"
        words += f" and {cardinal(int(s))} second{'s' if int(s) != 1 else ''}"
    return f"{words} {half} m" if half else words


def _duration(h: str | None, mi: str, s: str) -> str:
    parts = [(int(h or 0), "hour"), (int(mi), "minute"), (int(s), "second")]
    said = [f"{cardinal(n)} {unit}{'s' if n != 1 else ''}" for n, unit in parts if n]
    if not said:
        return "zero seconds"
    return " ".join(said[:-1]) + (" and " if len(said) > 1 else "") + said[-1]


def _time(m: re.Match) -> str:
    h, mi, s, ampm, zone, zh, zm = m.groups()
    # a cue word among the three before it: "the world record is 2:00:35"; "at" makes it a clock
    before = re.findall(r"[A-Za-z]+", m.string[max(0, m.start() - 40) : m.start()])[-3:]
    cue = bool(before) and before[-1].lower() != "at" and any(w.lower() in DURATION_CUES for w in before)
    if not ampm and not zone and s is not None and (cue or int(h) > 23):
        return _duration(h, mi, s)
    if not ampm and not zone and s is None and int(h) > 24:
        return _duration(None, h, mi)  # 45:10 cannot be a time of day
    if int(h) > 24 or int(mi) > 59:
        return m.group(0)
    return _clock(h, mi, s, ampm) + _zone(zone, zh, zm) + (_stop(m) if ampm and not zone else "")


def _military(m: re.Match) -> str:
    """'0800 hours' -> 'oh eight hundred hours', '1430 hours' -> 'fourteen thirty hours'."""
    h, mi = m.group(1), m.group(2)
    hour = f"oh {cardinal(h[1])}" if h[0] == "0" else cardinal(h)
    return f"{hour} {'hundred' if mi == '00' else _hour_minutes('1', mi)[4:]} hours"


def _hour_ampm(m: re.Match) -> str:
    if not 1 <= int(m.group(1)) <= 12:
        return m.group(0)
    return (
        _clock(m.group(1), None, None, m.group(2))
        + _zone(m.group(3), m.group(4), m.group(5))
        + (_stop(m) if not m.group(3) else "")
    )


def _time_range(m: re.Match) -> str:
    """9am–5pm, 9–11am, 9:30am–5pm, 10 a.m.–noon: the first takes the second's a.m./p.m. when it has none."""
    n1, h1, m1, ap1, h2, m2, ap2, n2, zone, zh, zm = m.groups()
    if (h1 and int(h1) > 12) or (h2 and int(h2) > 12) or not (ap1 or ap2 or (n1 and n2)):
        return m.group(0)
    first = n1.lower() if n1 else _clock(h1, m1, None, ap1) if ap1 else _hour_minutes(h1, m1)
    second = n2.lower() if n2 else _clock(h2, m2, None, ap2)
    return f"{first} to {second}" + _zone(zone, zh, zm) + (_stop(m) if not zone else "")


def _quarter(m: re.Match) -> str:
    return f"{year(m.group(1))} Q {cardinal(m.group(2))}"


def _quarter_year(m: re.Match) -> str:
    return f"Q {cardinal(m.group(1))} " + (_fiscal(m.group(2)) if m.group(2) else year(m.group(3)))


def _fiscal(y: str) -> str:
    """'FY2024' -> 'fiscal year twenty twenty-four', 'FY24' -> 'fiscal year twenty-four'."""
    digits = re.sub(r"\D", "", y)
    short = cardinal(digits) if digits[0] != "0" else "oh " + cardinal(digits[1])
    return "fiscal year " + (year(digits) if len(digits) == 4 else short)


def _era(m: re.Match) -> str:
    if m.group(1):
        return f"{ERAS[m.group(1)]} {year(m.group(2))}"
    n = m.group(3).replace(",", "")
    return f"{year(n) if len(n) <= 4 else cardinal(n)} {ERAS[m.group(4)]}"


def _decade(m: re.Match) -> str:
    mid, num = m.group(1), m.group(3)
    words = plural_decade(num)
    return f"{mid}-{words}" if mid else words


def _short_year(m: re.Match) -> str:
    """'08, '96: a year's last two digits, 'oh eight', 'ninety-six'."""
    n = m.group(1)
    return f"oh {cardinal(n[1])}" if n[0] == "0" else cardinal(n)


def _hours_minutes(m: re.Match) -> str:
    """'1h 30m': one hour thirty minutes."""
    h, mi = m.group(1), m.group(2)
    return f"{cardinal(h)} {'hour' if h == '1' else 'hours'} {cardinal(mi)} {'minute' if mi == '1' else 'minutes'}"


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
            r"[a-z]{2,}[^\Wsui]s\b",  # a plural counted (1500 users), not 'census' or 'status'
            after,
        )
        if counted and not re.search(r"(?:\bin|\bof|\bsince|\byear|\bby)\s+$", before, re.I):
            return cardinal(s)
        # before 1500 a year only after a word that dates it ("dates from 1147", "until 1290")
        if int(s) < 1500 and not re.search(
            r"(?:\bin|\bof|\byear|\bsince|\bAD|\bby|\bc\.|\bcirca|\bfrom|\buntil|\btill|\bbefore|\bafter)\s+$",
            before,
            re.I,
        ):
            return cardinal(s)
        return year(s)
    return number(s)


_NOON = r"(noon|midnight)"
_TO = r"\s?(?:[-–]|\s(?:to|until|till)\s)\s?"

RULES: list[Rule] = [
    Rule(
        "iso datetime",
        re.compile(
            r"\b(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?(?![\w:])"
            r"(?:\s(UTC|GMT)\b)?"
        ),
        _iso_datetime,
        _DIGITS,
    ),
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
        "month slash day",
        re.compile(r"(?<![\w./⁄])(\d{1,2})/(\d{1,2})(?![\w/⁄]|\.\d)"),
        _month_day,
        "/",
    ),
    Rule(
        "weekday span",
        re.compile(r"(?<![\w.])(" + _DAY + r")" + _TO + r"(" + _DAY + r")(?![\w-])"),
        _weekday_span,
        "",
    ),
    Rule(
        "weekday",
        # With a full stop ("Mon."), or bare before a date ("Tue 3 Feb", "Sat, Feb. 8"); not "the Sun."
        re.compile(
            r"(?<![\w.])(?<!\bthe )(?<!\bour )(?<!\bThe )(?<!\ba )(Mon|Tues?|Wed|Thu(?:rs?)?|Fri|Sat|Sun)"
            rf"(?:\.(?=[\s,;:)]|$)|(?=,?\s+(?:{_MONTH}|\d{{1,2}}{_ORD}\s+{_MONTH}|\d{{1,2}}/\d)))\.?"
        ),
        lambda m: _weekday(m.group(1)) + _stop(m, before_capital=True),
        "MTWFS",
    ),
    Rule(
        "month day",
        re.compile(
            r"(?<![\w.])(" + _MONTH + r")\s*(\d{1,2})" + _ORD + r"(?:\s?[-–]\s?(\d{1,2})" + _ORD + r")?\b"
            r"(?!:|\.\d|,\d)(?:,?\s+(\d{4})\b)?"
        ),
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
        re.compile(r"(?<![\w.])((?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.)(?=\s|$)"),
        _month_alone,
        ".",
    ),
    Rule(
        "time range",
        re.compile(
            rf"(?<![\w.:$])(?:{_NOON}|(\d{{1,2}})(?:[:.](\d{{2}}))?\s?{_AMPM}?){_TO}"
            rf"(?:(\d{{1,2}})(?:[:.](\d{{2}}))?\s?{_AMPM}|{_NOON}){_ZONE}",
            re.I,
        ),
        _time_range,
        "",
    ),
    Rule(
        "clock range",
        re.compile(r"\b(\d{1,2}):(\d{2})\s?[-–]\s?(\d{1,2}):(\d{2})\b" + _ZONE),
        lambda m: (
            f"{_clock(m.group(1), m.group(2))} to {_clock(m.group(3), m.group(4))}"
            + _zone(m.group(5), m.group(6), m.group(7))
        ),
        _DIGITS,
    ),
    Rule(
        "time",
        re.compile(
            r"(?<![\w.:])(\d{1,3})(?::|\.(?=\d{2}\s?[AaPp]\.?[Mm]\b))(\d{2})(?::(\d{2}))?(?![\d:])"
            rf"(?:\s?{_AMPM})?{_ZONE}"
        ),
        _time,
        _DIGITS,
    ),
    Rule(
        "military time",
        re.compile(r"\b([01]\d|2[0-3])([0-5]\d)\s(hours|hrs)\b"),
        _military,
        _DIGITS,
    ),
    Rule(
        "hour am pm",
        re.compile(r"(?<![\w.])(\d{1,2})\s?" + _AMPM + _ZONE),
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
        "quarter year",
        re.compile(r"\bQ([1-4])\s?(?:(FY\s?'?\d{2}(?:\d{2})?)|'?(\d{4}))\b"),
        _quarter_year,
        "Q",
    ),
    Rule(
        "fiscal year",
        re.compile(r"\bFY\s?'?(\d{4}|\d{2})(?:[-–/](\d{4}|\d{2}))?\b"),
        lambda m: _fiscal(m.group(1)) + (f" to {_fiscal(m.group(2))[len('fiscal year ') :]}" if m.group(2) else ""),
        "F",
    ),
    Rule(
        "era",
        re.compile(r"\b(AD)\s(\d{1,4})\b|\b(\d{1,3}(?:,\d{3})+|\d{1,4})\s?(BCE|BC|AD|CE)\b"),
        _era,
        "ABC",
    ),
    Rule(
        "round plural",
        re.compile(r"\b(10|100|1,?000)s\s+of\b"),
        lambda m: {"10": "tens", "100": "hundreds"}.get(m.group(1), "thousands") + " of",
        _DIGITS,
    ),
    Rule(
        "short year",
        # an apostrophe for the century: "class of '08", "back in '96" (not a quotation's close: 'it's 08')
        re.compile(r"(?:(?<=\s)|^)['’](\d{2})(?![\w'’]|[.,:]\d)"),
        _short_year,
        "'’",
    ),
    Rule(
        "hours and minutes",
        re.compile(r"(?<![\w.])(\d{1,2})\s?h\s?(\d{1,2})\s?m(?:in)?\b(?![/²])"),
        _hours_minutes,
        "hm",
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
        re.compile(r"(?<![\w.])(1[1-9]\d\d|20\d\d)\s?[-–]\s?(1[1-9]\d\d|20\d\d|\d\d)(?!\w|\.\d)"),
        lambda m: (
            _year_range(m)
            if int(m.group(2)[-2:] if len(m.group(2)) == 2 else m.group(2))
            > (int(m.group(1)[-2:]) if len(m.group(2)) == 2 else int(m.group(1)))
            else m.group(0)
        ),
        _DIGITS,
    ),
]
