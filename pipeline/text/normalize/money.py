"""Amounts of money: currency symbols and codes, sub-units, magnitudes."""

from __future__ import annotations

import re

from . import vocab
from .context import Rule
from .say import _NUM, cardinal, decimal, number

_DIGITS = "0123456789"

_DATA = vocab.load("money")
CURRENCY: dict[str, tuple[str, str, str, str]] = {k: (v[0], v[1], v[2], v[3]) for k, v in _DATA["currency"].items()}
SCALE: dict[str, str] = dict(_DATA["scale"])
_CODES: dict[str, str] = dict(_DATA["codes"])


_CUR = r"US\$|C\$|A\$|[$£€¥₹₩₽₺₪₿]"


_SCALE = r"bn|tn|thousand|million|billion|trillion|[kKmMBT]"


def _amount(amount: str, scale: str | None, symbol: str, adjective: bool = False) -> str:
    one, many, cent, cents = CURRENCY[symbol]
    if scale:
        return f"{number(amount)} {SCALE[scale]} {one if adjective else many}"
    whole, _, frac = amount.replace(",", "").partition(".")
    whole = whole or "0"
    frac = frac[:2].ljust(2, "0") if frac else ""
    if adjective and not frac:
        return f"{cardinal(whole)} {one}"
    if frac and int(whole) == 0 and cent:
        c = int(frac)
        return f"{cardinal(c)} {cent if c == 1 else cents}"
    words = f"{cardinal(whole)} {one if whole == '1' else many}"
    if frac and int(frac):
        if symbol in ("£",):
            words += f" {cardinal(int(frac))}"
        elif cent:
            c = int(frac)
            words += f" and {cardinal(c)} {cent if c == 1 else cents}"
        else:
            words = f"{decimal(whole + '.' + frac)} {many}"
    return words


def _currency(m: re.Match) -> str:
    symbol, amount, scale = m.group(1), m.group(2), m.group(3)
    # "a $5 bill": the amount is an adjective, so the unit is singular
    adjective = bool(
        re.match(r"\s+(?:bill|note|coin|fee|fine|ticket|gift|voucher|increase|budget|deal)\b", m.string[m.end() :])
        and re.search(r"(?:^|\s)an?\s*$", m.string[: m.start()])
    )
    return _amount(amount, scale, symbol, adjective)


def _currency_code(m: re.Match) -> str:
    code, amount, scale = (m.group(1), m.group(2), m.group(3)) if m.group(1) else (m.group(6), m.group(4), m.group(5))
    said = number(amount) + (f" {SCALE[scale]}" if scale else "")
    unit = _CODES[code]
    if amount in ("1", "1.0") and not scale:
        unit = {
            "U S dollars": "U S dollar",
            "euros": "euro",
            "pounds": "pound",
            "Canadian dollars": "Canadian dollar",
            "Australian dollars": "Australian dollar",
            "Swiss francs": "Swiss franc",
            "rupees": "rupee",
        }.get(unit, unit)
    return f"{said} {unit}"


def _currency_range(m: re.Match) -> str:
    symbol, a, b, scale = m.group(1), m.group(2), m.group(3), m.group(4)
    low = number(a) + (f" {SCALE[scale]}" if scale else "")
    return f"{low} to {_amount(b, scale, symbol)}"


RULES: list[Rule] = [
    Rule(
        "currency code",
        re.compile(
            r"\b(USD|EUR|GBP|JPY|CAD|AUD|CHF|INR)\s?(" + _NUM + r")(?:\s?(" + _SCALE + r")\b)?"
            r"|(?<![\w.])(" + _NUM + r")(?:\s?(" + _SCALE + r"))?\s?(USD|EUR|GBP|JPY|CAD|AUD|CHF|INR)\b"
        ),
        _currency_code,
        _DIGITS,
    ),
    Rule(
        "currency range",
        re.compile(r"(" + _CUR + r")(" + _NUM + r")\s?[-–]\s?\1?(" + _NUM + r")(?:\s?(" + _SCALE + r")\b)?"),
        _currency_range,
        _DIGITS,
    ),
    Rule(
        "currency",
        re.compile(r"(" + _CUR + r")\s?(" + _NUM + r")(?:\s?(" + _SCALE + r")\b)?"),
        _currency,
        _DIGITS,
    ),
]
