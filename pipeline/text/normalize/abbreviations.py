"""Abbreviations: with a full stop (Dr., St., e.g.), without one, initialisms, list markers."""

from __future__ import annotations

import re

from . import addresses, dates, digits, numbers, vocab
from .context import Rule
from .say import ordinal, roman
from .words import spell

_DATA = vocab.load("abbreviations")
ABBREVIATIONS: dict[str, str] = dict(_DATA["stop"])
# Said words for abbreviations written without a full stop.
BARE_ABBREVIATIONS: dict[str, str] = dict(_DATA["bare"])
BEFORE_NUMBER: dict[str, str] = dict(_DATA["before_number"])
SENSES: dict[str, tuple[str, str]] = {k: (v[0], v[1]) for k, v in _DATA["senses"].items()}
_FINAL = frozenset(_DATA["sentences"]["final"])
STARTERS = frozenset(_DATA["sentences"]["starters"])
# Every word written with a full stop that is not a sentence's end by itself (lowercase, no stop).
_KNOWN = frozenset(
    k.rstrip(".").lower() for table in (ABBREVIATIONS, BEFORE_NUMBER, SENSES) for k in table
) | frozenset(_DATA["sentences"]["also"])
_KNOWN |= addresses.NO_BREAK | dates.NO_BREAK | digits.NO_BREAK
_TITLES = {"Mr": "Mister", "Mrs": "Missus", "Ms": "Miz", "Prof": "Professor", "Mt": "Mount"}
_OPEN = "\"'“‘(["


def _first_word(text: str) -> str:
    m = re.match(r"\s*[" + re.escape(_OPEN) + r"]*([\w'’.-]*)", text)
    return m.group(1).replace("’", "'") if m else ""


def _last_word(text: str) -> str:
    """The run of characters before the trailing space that holds no space nor opening quote or
    bracket (found from the end: time in the word's length, not the text's)."""
    end = len(text.rstrip())
    start = end
    while start > 0 and not text[start - 1].isspace() and text[start - 1] not in _OPEN:
        start -= 1
    return text[start:end]


def sense(before: str, after: str) -> int:
    """0: the reading before a name (Saint, Doctor); 1: after a street's name or a number (Street, Drive)."""
    prev = _last_word(before)
    named = re.fullmatch(r"\d+[A-Za-z]{0,2}|[A-Z][\w'-]*", prev) is not None and prev not in STARTERS
    if named:
        return 1
    return 0 if re.match(r"\s*[A-Z]", after) else 1


def ends_sentence(before: str, after: str) -> bool | None:
    """Whether a full stop ending `before` ends the sentence, `after` being the text after it;
    None when the word before it is not an abbreviation or an initial (then it does)."""
    word = _last_word(before).rstrip(".")
    key = word.lower()
    initial = re.fullmatch(r"[A-Za-z]|(?:[A-Za-z]\.)+[A-Za-z]", word) is not None
    if not initial and key not in _KNOWN:
        return None
    following = _first_word(after)
    if word + "." in SENSES and sense(before[: len(before) - len(word) - 1], after) == 0:
        return False  # Saint Louis, Doctor Jones: a name follows
    if key in _FINAL:
        return following[:1].isupper()
    return following in STARTERS


def _abbreviation(m: re.Match) -> str:
    written = m.group(0)
    before, after = m.string[: m.start()], m.string[m.end() :]
    if written in SENSES:
        return SENSES[written][sense(before, after)]
    if written in ABBREVIATIONS:
        return ABBREVIATIONS[written]
    if written in BEFORE_NUMBER and re.match(r"\s*(?:\d|[IVXLC]+\b)", after):
        return BEFORE_NUMBER[written]
    if written[:-2] in ABBREVIATIONS:  # a stop the abbreviation's own is doubled with: "Inc.," etc.
        return ABBREVIATIONS[written[:-2]] + written[-2:]
    lower = written[0].lower() + written[1:]
    if written[0].isupper() and lower in ABBREVIATIONS:  # a sentence's first word: "Approx. 300"
        said = ABBREVIATIONS[lower]
        return said[0].upper() + said[1:]
    return written


_SUFFIX_TITLES = {"Mr.", "Mrs.", "Ms.", "Dr.", "Prof.", "Sen.", "Rep.", "Gov.", "Gen.", "Judge", "Rev.", "Mr", "Dr"}


def _generational(m: re.Match) -> str:
    """A numeral after a person's name is their place in a line: 'Lucius P. Grant III' is Grant the
    third, 'Dom Luís I' (a monarch's title before the name) Luís the first.  A person, not a title
    of a work (Resident Evil IV): an initial or a title is before the name."""
    name, numeral = m.group(1), m.group(2)
    before = m.string[: m.start()]
    prev = _last_word(before)
    crowned = prev in numbers._TITLES or prev in ("Dom", "Dona", "Don")
    person = re.search(r"\b[A-Z]\.\s*$", before) or prev in _SUFFIX_TITLES
    value = roman(numeral)
    if value is None or not (crowned or (person and numeral != "I")):
        return m.group(0)
    return f"{name} the {ordinal(value)}"


def _bare_title(m: re.Match) -> str:
    """Titles written without a stop (British style): Dr Jones, St Albans, Main St."""
    written = m.group(0)
    before, after = m.string[: m.start()], m.string[m.end() :]
    if written in ("St", "Dr"):
        return SENSES[written + "."][sense(before, after)]
    return _TITLES[written] if re.match(r"\s+[A-Z]", after) else written


def _list_marker(m: re.Match) -> str:
    return f"item {(m.group(1) or m.group(2)).upper()}"


RULES: list[Rule] = [
    Rule(
        "et al",
        re.compile(r"\bet al\."),
        lambda m: "and others",
        ".",
    ),
    Rule(
        "abbreviation",
        re.compile(r"(?<![\w.])[A-Za-z]{1,6}\.(?:[A-Za-z]\.)?"),
        _abbreviation,
        ".",
    ),
    Rule(
        "bare title",
        re.compile(r"(?<![\w.'-])(?:Mrs|Mr|Ms|Prof|Mt|Dr|St)(?![\w.'-])"),
        _bare_title,
        "MPDS",
    ),
    Rule(
        "generational",
        re.compile(r"(?<![\w.])([A-Z][^\W\d_]+),? (I{1,3}|IV|VI{0,3}|IX|X)\b(?![.'’]?\w|-)"),
        _generational,
        "IVX",
    ),
    Rule(
        "bare abbreviation",
        re.compile(r"(?<![\w/])(?:etc|aka|AKA|vs|IIRC|IMHO|AFAIK|FYI)(?![\w/])|\bw/o\b|\bI/O\b"),
        lambda m: BARE_ABBREVIATIONS[m.group(0)],
        "",
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
