"""Digit strings: telephone numbers and letters glued to digits (A320, x86)."""

from __future__ import annotations

import re

from .context import Rule
from .say import digits
from .words import _alnum

_DIGITS = "0123456789"


def _phone(m: re.Match) -> str:
    groups = [g for g in re.split(r"[\s().-]+", m.group(0)) if g]
    out = []
    for i, g in enumerate(groups):
        if g.startswith("+"):
            out.append("plus " + digits(g[1:], "oh"))
        elif g in ("800", "888", "877", "866") and i > 0 and groups[i - 1] in ("1", "+1"):
            out.append("eight hundred" if g == "800" else digits(g, "oh"))
        else:
            out.append(digits(g, "oh"))
    return ", ".join(out)


def _alnum_token(m: re.Match) -> str:
    return " ".join(_alnum(piece) for piece in m.group(0).split("-"))


RULES: list[Rule] = [
    Rule(
        "telephone",
        re.compile(
            r"(?<![\w+])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{3}\)\s?|\d{3}[\s.-])\d{3}[\s.-]\d{4}(?![\w-])"
            r"|(?<![\w+])\+\d{1,3}(?:[\s-]\(?\d{1,6}\)?){2,6}(?![\w-])"
            r"|(?<![\w+-])1-8\d\d-\d{3}-\d{4}(?![\w-])"
            r"|(?<![\w.+-])(?<!\d )\d{3}-\d{4}(?![\w-])"
        ),
        _phone,
        _DIGITS,
    ),
    Rule(
        "alphanumeric",
        re.compile(r"\b(?=[\w-]*[A-Za-z])(?=[\w-]*\d)[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*\b"),
        _alnum_token,
        _DIGITS,
    ),
]
