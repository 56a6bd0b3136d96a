"""Numbers on their own: fractions, ranges, negatives, ordinals, Roman numerals."""

from __future__ import annotations

import re

from . import vocab
from .context import Rule
from .dates import _year_or_number
from .say import _NUM, cardinal, number, ordinal, pairs, roman, version, year
from .versions import _is_version

_DIGITS = "0123456789"

_DATA = vocab.load("numbers")
# Regnal names: "Louis XIV" is "Louis the fourteenth".
REGNAL = frozenset(_DATA["regnal"])
# Words after which a Roman numeral is a plain number: "World War II", "Chapter IV".
ROMAN_COUNTED = frozenset(_DATA["counted"])
FRACTIONS: dict[int, tuple[str, str]] = {int(k): (v[0], v[1]) for k, v in _DATA["fractions"].items()}


def _fraction_words(a: int, b: int) -> str:
    if b in FRACTIONS:
        one, many = FRACTIONS[b]
        return f"one {one}" if a == 1 else f"{cardinal(a)} {many}"
    word = ordinal(b)
    if a == 1:
        return word if word.startswith("one ") else f"one {word}"
    return f"{cardinal(a)} {word}s"


def _fraction(m: re.Match) -> str:
    a, b = int(m.group(1)), int(m.group(2))
    if (a, b) == (24, 7):
        return "twenty-four seven"
    if a >= b or b == 0:
        return f"{cardinal(a)} out of {cardinal(b)}" if b else f"{cardinal(a)} slash {cardinal(b)}"
    return _fraction_words(a, b)


def _mixed_fraction(m: re.Match) -> str:
    whole, a, b = int(m.group(1)), int(m.group(2)), int(m.group(3))
    part = "a half" if (a, b) == (1, 2) else ("a quarter" if (a, b) == (1, 4) else _fraction_words(a, b))
    if a == 1 and b not in FRACTIONS:
        part = f"a {ordinal(b)}"
    return f"{cardinal(whole)} and {part}"


def _range(m: re.Match) -> str:
    return f"{_range_end(m.group(1))} to {_range_end(m.group(2))}"


def _range_end(s: str) -> str:
    if "." in s and _is_version(s):
        return version(s)
    return year(s) if re.fullmatch(r"1[1-9]\d\d|20\d\d", s) else number(s)


def _negative(m: re.Match) -> str:
    return f"minus {number(m.group(1))}"


def _ordinal(m: re.Match) -> str:
    return ordinal(m.group(1))


def _hash_number(m: re.Match) -> str:
    return f"number {pairs(m.group(1))}"


def _roman(m: re.Match) -> str:
    name, numeral = m.group(1), m.group(2)
    value = roman(numeral)
    if value is None:
        return m.group(0)
    if name in REGNAL:
        return f"{name} the {ordinal(value)}"
    return f"{name} {cardinal(value)}"


_CAPWORD = r"[A-Z][a-z]+"


RULES: list[Rule] = [
    Rule(
        "vulgar fraction",
        re.compile(r"(\d*)\s?([½¼¾⅓⅔⅛])"),
        lambda m: (
            (f"{cardinal(m.group(1))} and " if m.group(1) else "")
            + {
                "½": "a half",
                "¼": "a quarter",
                "¾": "three quarters",
                "⅓": "a third",
                "⅔": "two thirds",
                "⅛": "an eighth",
            }[m.group(2)]
        ),
        "½¼¾⅓⅔⅛",
    ),
    Rule(
        "mixed fraction",
        re.compile(r"(?<![\w./])(\d+)\s(\d{1,2})/(\d{1,2})(?![\w/])"),
        _mixed_fraction,
        _DIGITS,
    ),
    Rule(
        "fraction",
        re.compile(r"(?<![\w/])(\d{1,2})/(\d{1,3})(?![\w/])"),
        _fraction,
        _DIGITS,
    ),
    Rule(
        "negative",
        re.compile(r"(?<![\w.])[-−](" + _NUM + r")\b"),
        _negative,
        _DIGITS,
    ),
    Rule(
        "range",
        re.compile(r"(?<![\w.])(" + _NUM + r")\s?[–—]\s?(" + _NUM + r")(?![\w.])"),
        _range,
        _DIGITS,
    ),
    Rule(
        "ordinal",
        re.compile(r"\b(\d{1,3}(?:,\d{3})+|\d+)(?:st|nd|rd|th)\b"),
        _ordinal,
        _DIGITS,
    ),
    Rule(
        "hash number",
        re.compile(r"#(\d+)\b"),
        _hash_number,
        _DIGITS,
    ),
    Rule(
        "roman numeral",
        re.compile(r"\b(" + _CAPWORD + r")\s+([IVXLCDM]{1,7})\b(?!\.\w|-)"),
        lambda m: (
            _roman(m)
            if (m.group(1) in REGNAL or m.group(1).lower() in ROMAN_COUNTED)
            and roman(m.group(2))
            and (
                m.group(2) != "I"
                or m.group(1) in REGNAL
                or m.group(1).lower() in ("war", "part", "chapter", "phase", "type", "act", "volume", "book")
            )
            else m.group(0)
        ),
        "",
    ),
    Rule(
        "hyphen range",
        re.compile(r"(?<![\w.-])(\d{1,3})-(\d{1,3})(?![\w.-])"),
        _range,
        _DIGITS,
    ),
    Rule(
        "number",
        re.compile(_NUM),
        _year_or_number,
        _DIGITS,
    ),
]
