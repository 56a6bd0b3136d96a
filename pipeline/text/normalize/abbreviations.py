"""Abbreviations: with a full stop (Dr., St., e.g.), without one, initialisms, list markers."""

from __future__ import annotations

import re

from . import vocab
from .context import Rule
from .words import spell

_DATA = vocab.load("abbreviations")
ABBREVIATIONS: dict[str, str] = dict(_DATA["stop"])
# Said words for abbreviations written without a full stop.
BARE_ABBREVIATIONS: dict[str, str] = dict(_DATA["bare"])


def _abbreviation(m: re.Match) -> str:
    return ABBREVIATIONS[m.group(0)]


def _street_or_saint(m: re.Match) -> str:
    """'St.' after a name or a house number is Street; before a name it is Saint."""
    abbr = m.group(1)
    before = m.string[: m.start()]
    after = m.string[m.end() :]
    prev = re.search(r"(\S+)\s*$", before)
    prev_word = prev.group(1) if prev else ""
    street = {"St": "Street", "Dr": "Drive"}[abbr]
    person = {"St": "Saint", "Dr": "Doctor"}[abbr]
    if re.match(r"[A-Z0-9]", prev_word) and not re.search(r"[.!?:;\"']$", prev_word):
        return street
    if re.match(r"\s*[A-Z]", after):
        return person
    return street


def _list_marker(m: re.Match) -> str:
    return f"item {(m.group(1) or m.group(2)).upper()}"


RULES: list[Rule] = [
    Rule(
        "abbreviation",
        re.compile(r"(?<![\w.])[A-Za-z]{1,6}\.(?:[A-Za-z]\.)?"),
        lambda m: (
            _abbreviation(m)
            if m.group(0) in ABBREVIATIONS
            else (ABBREVIATIONS[m.group(0)[:-2]] + m.group(0)[-2:] if m.group(0)[:-2] in ABBREVIATIONS else m.group(0))
        ),
        ".",
    ),
    Rule(
        "bare abbreviation",
        re.compile(r"(?<![\w/])(?:etc|aka|AKA|vs|IIRC|IMHO|AFAIK|FYI)(?![\w/])|\bw/o\b|\bI/O\b"),
        lambda m: BARE_ABBREVIATIONS[m.group(0)],
        "",
    ),
    Rule(
        "no",
        re.compile(r"\bNo\.\s?(?=\d)"),
        lambda m: "number ",
        ".",
    ),
    Rule(
        "street or saint",
        re.compile(r"\b(St|Dr)\.(?!\w)"),
        _street_or_saint,
        ".",
    ),
    Rule(
        "initialism",
        re.compile(r"(?<![\w.])((?:[A-Za-z]\.){2,})(?![\w])"),
        lambda m: spell(m.group(1)) + ("." if m.end() == len(m.string) and m.group(1)[-2].isupper() else ""),
        ".",
    ),
    Rule(
        "list marker",
        re.compile(
            r"(?:^|(?<=[\"'“:]\s)|(?<=[\"'“]))\(([a-hA-H]|i{1,3}|iv|v)\)(?=\s)"
            r"|(?<=\s)\(([a-hA-H])\)(?=\s+(?:is|are|and|or|was|were|needs?|means?)\b)"
        ),
        _list_marker,
        "(",
    ),
]
