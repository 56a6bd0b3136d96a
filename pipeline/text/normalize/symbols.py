"""Symbols and math: operators, powers, slashes, dashes and brackets."""

from __future__ import annotations

import re

from . import vocab
from .context import Rule
from .say import number
from .words import dictionary, word

_DATA = vocab.load("symbols")
SYMBOLS: dict[str, str] = dict(_DATA["symbols"])
_OPERATORS: dict[str, str] = dict(_DATA["operators"])


def _alternatives(m: re.Match) -> str:
    """'hard/impossible' -> 'hard or impossible': two dictionary words, not a path."""
    a, b = m.group(1), m.group(2)
    dic = dictionary()
    if (
        a.lower() in dic
        and b.lower() in dic
        and not dic[a.lower()]
        and not dic[b.lower()]
        and a.islower()
        and b.islower()
    ):
        return f"{a} or {b}"
    return f"{word(a)} slash {word(b)}"


def _power(m: re.Match) -> str:
    base, exp = m.group(1), m.group(2)
    b = number(base) if base[0].isdigit() else word(base)
    if exp == "2":
        return f"{b} squared"
    if exp == "3":
        return f"{b} cubed"
    return f"{b} to the power of {number(exp) if exp.isdigit() else word(exp)}"


def _operator(m: re.Match) -> str:
    return f" {_OPERATORS[m.group(1)]} "


RULES: list[Rule] = [
    Rule(
        "sharp",
        re.compile(r"(?<![\w#])([A-G])#(?![\w#])"),
        lambda m: f"{m.group(1)} sharp",
        "#",
    ),
    Rule(
        "power",
        re.compile(r"(?<![\w^])(\d+|[A-Za-z])\^(\d+|[A-Za-z])\b"),
        _power,
        "^",
    ),
    Rule(
        "formula",
        re.compile(
            r"(?<![\w.])(\d+(?:\.\d+)?|[A-Za-z])\s*(==|!=|<=|>=|[*×÷])\s*(?=(?:\d+(?:\.\d+)?|[A-Za-z])(?![\w.]))"
        ),
        lambda m: f"{number(m.group(1)) if m.group(1)[0].isdigit() else m.group(1)} {_OPERATORS[m.group(2)]} ",
        "=*×÷<>!",
    ),
    Rule(
        "comparison",
        re.compile(r"(?<=\w)\s+([<>]|[-−/+]|=)\s+(?=\w)"),
        lambda m: _operator(m) if re.search(r"=|\d\s*[<>]\s*\d|[<>]\s*\d", m.string) else m.group(0),
        "<>-−/+=",
    ),
    Rule(
        "and/or",
        re.compile(r"\band/or\b"),
        lambda m: "and or",
        "/",
    ),
    Rule(
        "alternatives",
        re.compile(r"(?<![\w/])([A-Za-z]+)/([A-Za-z]+)(?![\w/])"),
        _alternatives,
        "/",
    ),
    Rule(
        "slash",
        re.compile(r"/(?:(?<=\w/)|(?=\w))"),
        lambda m: " slash ",
        "/",
    ),
    Rule(
        "star",
        re.compile(r"(?<=\w)\*"),
        lambda m: " star",
        "*",
    ),
    Rule(
        "tilde",
        re.compile(r"~\s*"),
        lambda m: "about ",
        "~",
    ),
    Rule(
        "symbols",
        re.compile("|".join(map(re.escape, sorted(SYMBOLS, key=len, reverse=True)))),
        lambda m: SYMBOLS[m.group(0)],
        "".join(set("".join(SYMBOLS))),
    ),
    Rule(
        "dash",
        re.compile(r"[–—]\s*"),
        lambda m: ", ",
        "–—",
    ),
    Rule(
        "brackets",
        re.compile(r"\s*[(\[]\s*|\s*[)\]]\s*"),
        lambda m: ", ",
        "()[]",
    ),
    Rule(
        "braces",
        re.compile(r"[{}]"),
        lambda m: " ",
        "{}",
    ),
]
