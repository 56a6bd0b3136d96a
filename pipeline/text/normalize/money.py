"""Amounts of money: currency symbols and codes, sub-units, magnitudes, signs, ranges, rates."""

from __future__ import annotations

import re

from . import vocab
from .context import Rule
from .measures import PER, adjective, to
from .measures import whole as _whole
from .say import _NUM, cardinal, decimal, number

_DIGITS = "0123456789"

_DATA = vocab.load("money")
CURRENCY: dict[str, tuple[str, str, str, str]] = {k: (v[0], v[1], v[2], v[3]) for k, v in _DATA["currency"].items()}
_AFTER: dict[str, tuple[str, str, str, str]] = {k: (v[0], v[1], v[2], v[3]) for k, v in _DATA["after"].items()}
SCALE: dict[str, str] = dict(_DATA["scale"])
_CODES: dict[str, tuple[str, str]] = {k: (v[0], v[1]) for k, v in _DATA["codes"].items()}


def _alternation(names: object) -> str:
    return "|".join(sorted(map(re.escape, names), key=len, reverse=True))  # type: ignore[call-overload]


_CUR = _alternation(CURRENCY)
_SCALE = r"bn|tn|thousand|million|billion|trillion|lakhs?|crores?|[kKmMBT]"
_CODE = _alternation(_CODES)
_SIGN = r"(?:(?<![\w.])([-−]))?"
# "$15/hour", "$80/barrel": a known unit after the slash, or any lowercase word ("per barrel")
_RATE = r"(?:/(" + "|".join(sorted(map(re.escape, PER), key=len, reverse=True)) + r"|(?!each\b)[a-z]{3,12})(?![\w/]))?"


def _amount(amount: str, scale: str | None, names: tuple[str, str, str, str], adjective: bool = False) -> str:
    """'1.50' in dollars: 'one dollar fifty', '0.50': 'fifty cents', '94.0 billion': 'ninety-four
    billion dollars'."""
    one, many, cent, cents = names
    if scale:
        return f"{number(_whole(amount))} {SCALE[scale]} {one if adjective else many}"
    whole, _, frac = amount.replace(",", "").partition(".")
    whole = whole or "0"
    frac = frac[:2].ljust(2, "0") if frac else ""
    if adjective and not (frac and int(frac)):
        return f"{cardinal(whole)} {one}"
    if frac and int(whole) == 0 and cent:
        c = int(frac)
        return f"{cardinal(c)} {cent if c == 1 else cents}"
    words = f"{cardinal(whole)} {one if whole == '1' else many}"
    if frac and int(frac):
        if cent:  # "twelve dollars oh five", as a price is said
            words += f" {'oh ' if frac[0] == '0' else ''}{cardinal(int(frac))}"
        else:
            words = f"{decimal(whole + '.' + frac)} {many}"
    return words


def _rate(per: str | None) -> str:
    return f" per {PER.get(per, per)}" if per else ""


def _currency(m: re.Match) -> str:
    sign, symbol, amount, scale, per = m.groups()
    said = _amount(amount, scale, CURRENCY[symbol], adjective(m))
    return ("minus " if sign else "") + said + _rate(per)


def _currency_after(m: re.Match) -> str:
    sign, amount, symbol = m.groups()
    return ("minus " if sign else "") + _amount(amount, None, _AFTER[symbol], adjective(m))


def _currency_code(m: re.Match) -> str:
    if m.group(1):
        code, amount, scale = m.group(1), m.group(2), m.group(3)
    else:
        code, amount, scale = m.group(6), m.group(4), m.group(5)
    one, many = _CODES[code]
    said = number(_whole(amount) if scale else amount) + (f" {SCALE[scale]}" if scale else "")
    return f"{said} {one if amount == '1' and not scale else many}"


def _currency_range(m: re.Match) -> str:
    symbol, a, low_scale, b, scale = m.groups()
    low = number(_whole(a) if low_scale or scale else a) + (f" {SCALE[low_scale]}" if low_scale else "")
    return f"{low} {to(m)} {_amount(b, scale, CURRENCY[symbol])}"


RULES: list[Rule] = [
    Rule(
        "cashtag",
        # a stock's ticker: "$TSLA" is T S L A (the dollar sign is not said)
        re.compile(r"(?<![\w$])\$([A-Z]{1,5})\b(?![.'’-]?\w)"),
        lambda m: " ".join(m.group(1)),
        "$",
    ),
    Rule(
        "currency code",
        re.compile(
            r"\b(" + _CODE + r")\s?(" + _NUM + r")(?:\s?(" + _SCALE + r")\b)?"
            r"|(?<![\w.])(" + _NUM + r")(?:\s?(" + _SCALE + r"))?\s?(" + _CODE + r")\b"
        ),
        _currency_code,
        _DIGITS,
    ),
    Rule(
        "currency range",
        re.compile(
            r"(?<![\w.])("
            + _CUR
            + r")("
            + _NUM
            + r")(?:\s?("
            + _SCALE
            + r")\b)?\s?[-–]\s?\1?("
            + _NUM
            + r")(?:\s?("
            + _SCALE
            + r")\b)?"
        ),
        _currency_range,
        _DIGITS,
    ),
    Rule(
        "currency",
        re.compile(_SIGN + r"(?<![\w.])(" + _CUR + r")\s?(" + _NUM + r")(?:\s?(" + _SCALE + r")\b)?" + _RATE),
        _currency,
        _DIGITS,
    ),
    Rule(
        "currency after",
        re.compile(_SIGN + r"(?<![\w.])(" + _NUM + r")\s?(" + _alternation(_AFTER) + r")(?!\w)"),
        _currency_after,
        "€$£¥₹¢k",
    ),
]
