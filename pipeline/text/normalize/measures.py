"""Measures: a number and its unit (SI prefixes, Unicode symbols), dimensions, temperatures,
percent and per mille."""

from __future__ import annotations

import re

from . import vocab
from .context import Rule
from .say import _NUM, cardinal, number, pairs

_DIGITS = "0123456789"

_DATA = vocab.load("units")


def _units() -> dict[str, tuple[str, str]]:
    """Every unit symbol said after a number: (singular, plural)."""
    units: dict[str, tuple[str, str]] = {}
    prefixes: dict[str, str] = _DATA["prefixes"]
    for base, (one, many, allowed) in _DATA["prefixed"].items():
        if base not in _DATA["prefix_only"]:
            units[base] = (one, many)
        for p in allowed.split():
            units[p + base] = (prefixes[p] + one, prefixes[p] + many)
        if base in _DATA["ascii_micro"]:
            units["u" + base] = ("micro" + one, "micro" + many)
    for base, (one, many) in _DATA["area"].items():
        units[f"{base}²"] = units[f"sq {base}"] = (f"square {one}", f"square {many}")
        units[f"{base}³"] = units[f"cu {base}"] = (f"cubic {one}", f"cubic {many}")
        if base in ("m", "cm", "mm", "km"):  # 80 m2: metric only, "ft2" is not written
            units[f"{base}2"], units[f"{base}3"] = units[f"{base}²"], units[f"{base}³"]
    units.update({k: (v[0], v[1]) for k, v in _DATA["units"].items()})
    # The same unit in other code points: μ (Greek mu) for µ (micro sign), Ω (ohm sign) for Ω.
    for key in list(units):
        if "µ" in key:
            units[key.replace("µ", "μ")] = units[key]
        if "Ω" in key:
            units[key.replace("Ω", "\u2126")] = units[key]
    return units


UNITS: dict[str, tuple[str, str]] = _units()
# Units that are also ordinary words or letters: only right after a number with no space, or
# spaced before a non-word.
_AMBIGUOUS_UNITS = frozenset(_DATA["ambiguous"])
_LETTER_UNITS = frozenset(_DATA["letter_units"])
# Letters of grades and flats (2 A grades, 5A): only spaced, before a non-word.
_STRICT_UNITS = frozenset(_DATA["strict"])
# Words after "a 2 kg" that are not the noun the measure describes.
_NOT_NOUNS = frozenset(_DATA["not_nouns"])
# Units the other side of a slash ("km/h"): singular.
PER: dict[str, str] = dict(_DATA["per"])


def _alternation(names: object) -> str:
    return "|".join(sorted(map(re.escape, names), key=len, reverse=True))  # type: ignore[call-overload]


_UNIT_NAMES = _alternation(UNITS)
_PER_NAMES = _alternation(PER)
# A sign that belongs to the number ("-3 dB", "±0.5 mm"), not a hyphen inside a word.
SIGN = r"(?:(?<![\w.])([-−+±])(?=\.?\d))?"
SIGNS = {"-": "minus ", "−": "minus ", "+": "plus ", "±": "plus or minus ", None: "", "": ""}
_END = r"(?![\w/]|\.\d)"


def signed(sign: str | None, amount: str) -> str:
    return SIGNS[sign] + number(amount)


_DETERMINED = re.compile(
    r"(?:^|[^\w])(?i:an?|the|our|my|your|his|her|their|its|this|that|each|every)\s+(?:[a-z]+\s+)?$"
)


def adjective(m: re.Match, article: bool = True) -> bool:
    """'a 2 kg bag', 'a $5 bill': a measure before the noun it describes is an adjective, and its
    unit is singular.  With `article`, only after "a" (money, temperatures: "$5 today" is not one);
    without, after any determiner ("our 500 g loaf", "the same 4 TB drive"), since a bare
    "500 g flour" is an amount of flour."""
    before = m.string[max(0, m.start() - 30) : m.start()]
    if not re.search(r"(?:^|[^\w])[Aa]n?\s+$" if article else _DETERMINED, before):
        return False
    # a noun, or an acronym and a noun ("a 4 TB NVMe drive")
    after = re.match(r"(?:[ \t]+[A-Z][A-Za-z0-9]*[A-Z][A-Za-z0-9]*)?[ \t]+([a-z]+)\b(?![-'’])", m.string[m.end() :])
    return bool(after) and after.group(1) not in _NOT_NOUNS  # type: ignore[union-attr]


def to(m: re.Match) -> str:
    """The word between a range's ends: "to", but "between 68 and 72"."""
    return "and" if re.search(r"\bbetween\s+$", m.string[max(0, m.start() - 12) : m.start()], re.I) else "to"


def whole(amount: str) -> str:
    """'94.0' -> '94', '4.00' -> '4': a decimal of zeros is not read in a rate or a magnitude."""
    head, dot, tail = amount.partition(".")
    return head if dot and head and not tail.strip("0") else amount


def _before_word(m: re.Match) -> bool:
    return bool(re.match(r"\s*[A-Za-z0-9]", m.string[m.end() :]))


def _unit(m: re.Match) -> str:
    sign, amount, sep, unit, stop = m.group(1), m.group(2), m.group(3), m.group(4), m.group(5)
    before_word = not stop and _before_word(m)  # "5 mi. away": the stop says the letters are the unit
    if unit in _STRICT_UNITS and (sep != " " or before_word):
        return m.group(0)
    if unit in _AMBIGUOUS_UNITS and sep == " " and before_word:
        # "5 W idle": a letter before a word no noun follows is the unit; "3 V shapes" a letter
        after = re.match(r"\s+([a-z]+)\b", m.string[m.end() :])
        if unit not in _LETTER_UNITS or not after or after.group(1) not in _NOT_NOUNS:
            return m.group(0)
    if unit == "x" and ("=" in m.string or re.match(r"\s*[-+*/^<>=]", m.string[m.end() :])):
        return m.group(0)  # "2x + 1 = 5": x is a variable
    one, many = UNITS[unit]
    if unit in (one, many):  # a word the author spelled out ("the 500 miles home"): as written
        return f"{signed(sign, amount)} {unit}"
    singular = sep == "-" or (amount == "1" and not sign) or unit == "x" or adjective(m, article=False)
    return f"{signed(sign, amount)} {one if singular else many}"


def _unit_range(m: re.Match) -> str:
    unit = m.group(5)
    if unit in (_AMBIGUOUS_UNITS | _STRICT_UNITS) - {"x"}:
        return m.group(0)
    return f"{signed(m.group(1), m.group(2))} {to(m)} {signed(m.group(3), m.group(4))} {UNITS[unit][1]}"


def _per_unit(m: re.Match) -> str:
    sign, amount, unit, per = m.group(1), m.group(2), m.group(3), m.group(4)
    one, many = UNITS[unit]
    return f"{signed(sign, amount)} {one if amount == '1' and not sign else many} per {PER[per]}"


def _side(s: str) -> str:
    """A side of a dimension: screen sizes in pairs, as people say them (1920: nineteen twenty)."""
    if len(s) == 4 and s.isdigit() and not s.endswith("000"):
        return pairs(s)
    return number(s)


def _dimensions(m: re.Match) -> str:
    a, left, times, right, b, unit = m.groups()
    if times == "×" and (left or right) and not unit:
        return m.group(0)  # "3 × 4": multiplication (symbols)
    words = f"{_side(a)} by {_side(b)}"
    return f"{words} {UNITS[unit][1]}" if unit else words


def _temperature(m: re.Match) -> str:
    return _degrees(m.group(1), m.group(2), m.group(3) or m.group(4) or "", adjective(m))


def _degrees(sign: str | None, amount: str, scale: str, adjective: bool) -> str:
    unit = {"C": "Celsius", "F": "Fahrenheit", "K": "kelvin", "℃": "Celsius", "℉": "Fahrenheit"}.get(scale.upper(), "")
    single = (amount == "1" and not sign) or (not unit and adjective)
    return f"{signed(sign, amount)} {'degree' if single else 'degrees'} {unit}".strip()


def _percent(m: re.Match) -> str:
    about = "about " if m.group(1) else ""
    per = "per mille" if m.group(4) == "‰" else "percent"
    return f"{about}{signed(m.group(2), whole(m.group(3)))} {per}"


def _percent_range(m: re.Match) -> str:
    low, high = whole(m.group(2)), whole(m.group(4))
    return f"{signed(m.group(1), low)} {to(m)} {signed(m.group(3), high)} percent"


def _temperature_range(m: re.Match) -> str:
    """'5–10°C': the scale once, at the end."""
    high = _degrees(m.group(3), m.group(4), m.group(5) or m.group(6) or "", False)
    return f"{signed(m.group(1), m.group(2))} {to(m)} {high}"


def _compound(m: re.Match) -> str:
    """'0.512 °C·kg/mol': 'zero point five one two degrees Celsius kilograms per mole'."""
    sign, amount, first, rest, per = m.groups()
    single = amount == "1" and not sign

    def factor(unit: str, one: bool) -> str:
        if unit.startswith("°"):
            return _degrees(None, "1" if one else "2", unit[1:], False).split(" ", 1)[1]
        return UNITS[unit][0 if one else 1]

    words = " ".join([factor(first, single)] + [factor(u, False) for u in re.split(r"[·⋅]", rest)[1:]])
    return f"{signed(sign, amount)} {words}" + (f" per {PER[per]}" if per else "")


_FACTOR = r"(?:°[CFK]|" + _UNIT_NAMES + r")"

RULES: list[Rule] = [
    Rule(
        "compound unit",
        re.compile(
            SIGN + r"(?<![\w.])(" + _NUM + r")\s?(" + _FACTOR + r")((?:[·⋅]" + _FACTOR + r")+)"
            r"(?:/(" + _PER_NAMES + r"))?(?![\w/])"
        ),
        _compound,
        "·⋅",
    ),
    Rule(
        "temperature range",
        re.compile(
            SIGN
            + r"(?<![\w.])("
            + _NUM
            + r")\s?(?:°\s?[CF]?)?\s?[-–]\s?"
            + SIGN
            + r"("
            + _NUM
            + r")\s?(?:°\s?([CFK])?|([℃℉]))(?!\w)"
        ),
        _temperature_range,
        "°℃℉",
    ),
    Rule(
        "temperature",
        re.compile(SIGN + r"(?<![\w.])(" + _NUM + r")\s?(?:°\s?([CFK])?|([℃℉]))(?!\w)"),
        _temperature,
        "°℃℉",
    ),
    Rule(
        "feet and inches",
        re.compile(r"(?<![\w.])(\d)['′]\s?(\d{1,2})(?:\"|''|″)"),
        lambda m: f"{cardinal(m.group(1))} foot {cardinal(m.group(2))}",
        "'′",
    ),
    Rule(
        "feet and inches in words",
        re.compile(r"(?<![\w.])(\d{1,2})\s?ft\.?\s(\d{1,2})\s?in\b\.?"),
        lambda m: (
            f"{cardinal(m.group(1))} {'foot' if m.group(1) == '1' else 'feet'} "
            f"{cardinal(m.group(2))} {'inch' if m.group(2) == '1' else 'inches'}"
        ),
        "f",
    ),
    Rule(
        "feet",
        re.compile(r"(?<![\w.'])(\d{1,2})(?:′|'(?=\s+(?:tall|long|wide|high|deep|away|under|below|above)\b))"),
        lambda m: f"{cardinal(m.group(1))} {'foot' if m.group(1) == '1' or adjective(m) else 'feet'}",
        "'′",
    ),
    Rule(
        "dimensions",
        re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)(\s?)([x×])(\s?)(\d+(?:\.\d+)?)(?:\s?(" + _UNIT_NAMES + r"))?" + _END),
        _dimensions,
        "x×",
    ),
    Rule(
        "percent range",
        re.compile(SIGN + r"(?<![\w.])(" + _NUM + r")\s?%?\s?[-–]\s?" + SIGN + r"(" + _NUM + r")\s?%"),
        _percent_range,
        "%",
    ),
    Rule(
        "percent",
        re.compile(r"(~)?" + SIGN + r"(?<![\w.])(" + _NUM + r")\s?([%‰])"),
        _percent,
        "%‰",
    ),
    Rule(
        "per unit",
        re.compile(SIGN + r"(?<![\w.])(" + _NUM + r")\s?(" + _UNIT_NAMES + r")/(" + _PER_NAMES + r")(?![\w/])"),
        _per_unit,
        "/",
    ),
    Rule(
        "unit range",
        re.compile(
            SIGN + r"(?<![\w.])(" + _NUM + r")\s?[-–]\s?" + SIGN + r"(" + _NUM + r")\s?(" + _UNIT_NAMES + r")(?![\w/-])"
        ),
        _unit_range,
        _DIGITS,
    ),
    Rule(
        "unit",
        # a stop after the unit before a lowercase word is the abbreviation's ("5 lbs. of flour")
        re.compile(SIGN + r"(?<![\w.])(" + _NUM + r")([\s-]?)(" + _UNIT_NAMES + r")(?![\w/-])(\.(?=\s+[a-z]))?"),
        _unit,
        _DIGITS,
    ),
]
