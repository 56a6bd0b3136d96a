"""Measures: a number and its unit, temperatures, percentages."""

from __future__ import annotations

import re

from . import vocab
from .context import Rule
from .say import _NUM, cardinal, number

_DIGITS = "0123456789"

_DATA = vocab.load("units")
# Units after a number: (singular, plural).  Adjectives ("a 5-inch screen") take the singular.
UNITS: dict[str, tuple[str, str]] = {k: (v[0], v[1]) for k, v in _DATA["units"].items()}
# Units that are also ordinary words or letters: only right after a number with no space, or spaced
# before a non-word.
_AMBIGUOUS_UNITS = frozenset(_DATA["ambiguous"])
# Units the other side of a slash ("km/h"): singular.
PER: dict[str, str] = dict(_DATA["per"])


_UNIT_NAMES = "|".join(sorted(map(re.escape, UNITS), key=len, reverse=True))


_PER_NAMES = "|".join(sorted(map(re.escape, PER), key=len, reverse=True))


def _unit(m: re.Match) -> str:
    amount, sep, unit = m.group(1), m.group(2), m.group(3)
    one, many = UNITS[unit]
    if sep == "-":
        return f"{number(amount)} {one}"
    singular = amount.replace(",", "") in ("1", "1.0") or unit in ("x",)
    return f"{number(amount)} {one if singular else many}"


def _unit_range(m: re.Match) -> str:
    a, b, unit = m.group(1), m.group(2), m.group(3)
    return f"{number(a)} to {number(b)} {UNITS[unit][1]}"


def _per_unit(m: re.Match) -> str:
    amount, unit, per = m.group(1), m.group(2), m.group(3)
    one, many = UNITS[unit]
    return f"{number(amount)} {one if amount == '1' else many} per {PER[per]}"


def _temperature(m: re.Match) -> str:
    sign, amount, scale = m.group(1), m.group(2), m.group(3)
    unit = {"C": "Celsius", "F": "Fahrenheit", "K": "kelvin"}.get((scale or "").upper(), "")
    degrees = "degree" if amount in ("1",) and not sign else "degrees"
    words = f"{'minus ' if sign else ''}{number(amount)} {degrees}"
    return f"{words} {unit}".strip()


def _percent(m: re.Match) -> str:
    about = "about " if m.group(1) else ""
    sign = "minus " if m.group(2) else ""
    return f"{about}{sign}{number(m.group(3))} percent"


def _percent_range(m: re.Match) -> str:
    return f"{number(m.group(1))} to {number(m.group(2))} percent"


RULES: list[Rule] = [
    Rule(
        "temperature",
        re.compile(r"(?<![\w.])([-−])?(" + _NUM + r")\s?°\s?([CFK])?(?![\w])"),
        _temperature,
        _DIGITS,
    ),
    Rule(
        "feet and inches",
        re.compile(r"(?<![\w.])(\d)'\s?(\d{1,2})(?:\"|'')"),
        lambda m: f"{cardinal(m.group(1))} foot {cardinal(m.group(2))}",
        "'",
    ),
    Rule(
        "percent range",
        re.compile(r"(" + _NUM + r")\s?%?\s?[-–]\s?(" + _NUM + r")\s?%"),
        _percent_range,
        _DIGITS,
    ),
    Rule(
        "percent",
        re.compile(r"(~)?([-−])?(" + _NUM + r")\s?%"),
        _percent,
        _DIGITS,
    ),
    Rule(
        "per unit",
        re.compile(r"(?<![\w.])(" + _NUM + r")\s?(" + _UNIT_NAMES + r")/(" + _PER_NAMES + r")(?![\w/])"),
        _per_unit,
        _DIGITS,
    ),
    Rule(
        "unit range",
        re.compile(r"(?<![\w.])(" + _NUM + r")\s?[-–]\s?(" + _NUM + r")\s?(" + _UNIT_NAMES + r")(?![\w/])"),
        lambda m: _unit_range(m) if m.group(3) not in _AMBIGUOUS_UNITS or m.group(3) == "x" else m.group(0),
        _DIGITS,
    ),
    Rule(
        "unit",
        re.compile(r"(?<![\w.])(" + _NUM + r")([\s-]?)(" + _UNIT_NAMES + r")(?![\w/])"),
        lambda m: (
            _unit(m)
            if (
                m.group(3) not in _AMBIGUOUS_UNITS
                or m.group(2) != " "
                or not re.match(r"\s*[A-Za-z0-9]", m.string[m.end() :])
            )
            else m.group(0)
        ),
        _DIGITS,
    ),
]
