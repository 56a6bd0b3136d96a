"""Digit strings: telephone numbers, card numbers, ZIP codes, serial and model numbers, flights,
and letters glued to digits (A320, x86).  A digit string is never one big cardinal: it is read
digit by digit in its written groups, or in pairs where people say it so ("Boeing 747")."""

from __future__ import annotations

import re

from . import vocab
from .context import Rule
from .numbers import plural
from .say import cardinal, digits, pairs
from .words import _alnum, spell, word

_DIGITS = "0123456789"

_DATA = vocab.load("digits")
DIALED = frozenset(_DATA["dialed"])
DIAL_WORDS = frozenset(_DATA["dial_words"])
DIAL_AFTER = frozenset(_DATA["dial_after"])
SERIAL_WORDS = frozenset(w.lower() for w in _DATA["serial_words"])
SERIAL_NOUNS = frozenset(w.lower() for w in _DATA["serial_nouns"])
PLACE_WORDS = frozenset(_DATA["place_words"])
NOT_NAMES = frozenset(_DATA["not_names"])
MODELS: dict[str, str] = dict(_DATA["models"])
MODEL_NUMBERS: dict[str, str] = dict(_DATA["model_numbers"])
# Short forms whose full stop does not end a sentence (the sentence splitter must know them): ext. 89
NO_BREAK = frozenset({"ext"})


def _groups(s: str) -> str:
    """Digit groups as written, each digit by digit, zero as 'oh': '4111 1111' -> 'four one one one, ...'."""
    return ", ".join(digits(g, "oh") for g in re.findall(r"\d+", s))


def _phone(m: re.Match) -> str:
    number, ext = m.group(1), m.group(2)
    groups = [g for g in re.split(r"[\s().-]+", number.replace("(0)", " ")) if g]
    if not groups[0].startswith("+") and groups[0][0] == "0" and not 9 <= sum(map(len, groups)) <= 11:
        return m.group(0)  # a national number starting 0 has 9 to 11 digits
    out = []
    for i, g in enumerate(groups):
        if g.startswith("+"):
            out.append("plus " + digits(g[1:], "oh"))
        elif g in ("800", "888", "877", "866") and i > 0 and groups[i - 1] in ("1", "+1"):
            out.append("eight hundred" if g == "800" else digits(g, "oh"))
        else:
            out.append(digits(g, "oh"))
    said = ", ".join(out)
    return f"{said}, extension {digits(ext, 'oh')}" if ext else said


_MIXED = re.compile(r"(?=[\w-]*[A-Za-z])(?=[\w-]*\d)")


def _alnum_token(m: re.Match) -> str:
    token = m.group(0)
    plural = re.fullmatch(r"(.*\d)s", token)  # MP3s, B-52s: the last number takes the plural
    said = " ".join(_alnum(piece) for piece in (plural.group(1) if plural else token).split("-"))
    if plural:
        head, _, last = said.rpartition(" ")
        last = last[:-1] + "ies" if last.endswith("y") else last + ("es" if last.endswith(("x", "s")) else "s")
        said = f"{head} {last}".strip()
    return said


def _model_number(n: str) -> str:
    """A model or house number as people say it: 747 'seven forty-seven', 2000 'two thousand'."""
    if len(n) <= 2 or n.startswith("0"):
        return cardinal(n) if not n.startswith("0") or len(n) == 1 else digits(n, "oh")
    if int(n) % 1000 == 0 and len(n) <= 5:
        return cardinal(n)
    if len(n) == 5:
        return f"{cardinal(n[:2])} {pairs(n[2:])}"
    return pairs(n) if len(n) <= 4 else digits(n, "oh")


def _model(m: re.Match) -> str:
    name, letters, num, dash = m.group(1), m.group(2) or "", m.group(3), m.group(4)
    number = MODEL_NUMBERS.get(f"{name} {letters}{num}") or _model_number(num)
    said = f"{MODELS[name]} {spell(letters) + ' ' if letters else ''}{number}"
    return f"{said} {_model_number(dash)}" if dash else said


_SERIAL_CUE = re.compile(r"([A-Za-z/]+)(\s+(?:number|no\.|num\.?|#|ID)|\s*[:#])?(?:\s+(?:is|was|reads))?\s*[:#]?\s*$")


# "text HOME to 741741": a short code texted or dialed, said digit by digit
_TEXT_TO = re.compile(r"\b(?:[Tt]ext|[Dd]ial|[Cc]all)\s+\S+\s+to\s+$")


def _serial(m: re.Match) -> str:
    before = m.string[max(0, m.start() - 40) : m.start()]
    cue = _SERIAL_CUE.search(before)
    word = cue.group(1).lower() if cue else ""
    texted = 5 <= len(m.group(0)) <= 6 and (word in DIAL_WORDS or _TEXT_TO.search(before))
    if not (word in SERIAL_WORDS or (cue and cue.group(2) and word in SERIAL_NOUNS) or texted):
        return m.group(0)
    return _groups(m.group(0))


def _dialed(m: re.Match) -> str:
    n = m.group(1)
    before = re.search(r"([A-Za-z]+)\s+$", m.string[max(0, m.start() - 20) : m.start()])
    after = re.match(r"\s+([A-Za-z]+)", m.string[m.end() : m.end() + 20])
    if (
        n == "911"
        or (before and before.group(1).lower() in DIAL_WORDS)
        or (after and after.group(1).lower() in DIAL_AFTER)
    ):
        return digits(n)
    return m.group(0)


def _place(m: re.Match) -> str:
    """'room 101', 'gate 112', 'exit 109': a number that names a place, said in pairs."""
    return f"{m.group(1)} {_model_number(m.group(2))}" if m.group(1).lower() in PLACE_WORDS else m.group(0)


_NEXT_WORDS = re.compile(r"\s+([A-Za-z][\w'’-]*)(?:\s+([A-Za-z][\w'’-]*))?")


def _named(m: re.Match) -> str:
    """'the 386 chip', 'a 404 error', 'the 747 landed': after "the" or "a", a number followed by a
    word that is not what it counts is a name, said in pairs; 'the 150 employees', 'the 150 most
    popular', 'the 120 new hires' are counts.  Round hundreds and years read the same either way."""
    n = m.group(1)
    if int(n) % 100 == 0 or 1000 <= int(n) < 2100:
        return m.group(0)
    after = _NEXT_WORDS.match(m.string, m.end())
    if not after:
        return m.group(0)
    first, second = after.group(1), after.group(2)
    if first in NOT_NAMES or first.lower().endswith(("est", "ly", "ing")) or plural(first):
        return m.group(0)
    if second and plural(second) and first[0].islower():
        return m.group(0)  # the 120 new hires: an adjective, then what is counted
    return _model_number(n)


def _flight(m: re.Match) -> str:
    code = f"{spell(m.group(2))} " if m.group(2) else ""
    return f"{word(m.group(1))} {code}{_model_number(m.group(3))}"


_EXT = r"(?:,?\s?(?:ext\.?|x|extension)\s?(\d{1,6}))?"

RULES: list[Rule] = [
    Rule(
        "telephone",
        re.compile(
            r"(?<![\w+.-])("
            r"(?:\+\d{1,3}[\s.-]?)?(?:\(\d{3}\)\s?|\d{3}[\s.-])\d{3}[\s.-]\d{4}"
            r"|\+\d{1,3}(?:[\s-]\(?\d{1,6}\)?){2,6}"
            r"|\+\d{1,3}\s?\(0\)\d{1,5}(?:[\s-]\d{1,6}){1,5}"  # +44 (0)20 7946 0958: the (0) is not dialed
            r"|1-8\d\d-\d{3}-\d{4}"
            r"|(?<!\d )\d{3}-\d{4}"
            r"|0\d{1,4}(?:[\s-]\d{2,6}){1,3}"  # a national number: 020 7946 0958, 07700 900123
            r")" + _EXT + r"(?![\w-])"
        ),
        _phone,
        _DIGITS,
    ),
    Rule(
        "extension",
        # an extension on its own ("ext. 204", "extension 4410"): dialed, digit by digit
        re.compile(r"\b(?:[Ee]xt\.?|[Ee]xtension)\s?#?(\d{2,6})\b(?![.,]\d|-)"),
        lambda m: f"extension {digits(m.group(1), 'oh')}",
        _DIGITS,
    ),
    Rule(
        "card number",
        # 4-4-4-4 (Visa, Mastercard) or 4-6-5 (Amex), spaces or hyphens
        re.compile(r"(?<![\w.,-])(?:\d{4}([ -])\d{4}\1\d{4}\1\d{4}|\d{4} \d{6} \d{5})(?![\w-]|[.,]\d)"),
        lambda m: _groups(m.group(0)),
        _DIGITS,
    ),
    Rule(
        "social security number",
        re.compile(r"(?<![\w.-])\d{3}-\d{2}-\d{4}(?![\w-])"),
        lambda m: _groups(m.group(0)),
        _DIGITS,
    ),
    Rule(
        "zip code",
        re.compile(r"\b(?:ZIP|[Zz]ip|[Pp]ostal)(?:[\s-][Cc]ode)?(?:\s?[:#])?(\s(?:is|was))?\s(\d{5})(?:-(\d{4}))?\b"),
        lambda m: (
            f"{'postal' if m.group(0)[0] in 'Pp' else 'zip'} code{m.group(1) or ''} "
            + _groups(m.group(0)[m.start(2) - m.start() :])
        ),
        _DIGITS,
    ),
    Rule(
        "retirement plan",
        # 401(k), 403(b), 457(b): the section of the tax code, said "four oh one K"
        re.compile(r"\b(4\d\d)\(([a-z])\)"),
        lambda m: f"{digits(m.group(1), 'oh')} {m.group(2).upper()}",
        "(",
    ),
    Rule(
        "model number",
        re.compile(
            r"\b(" + "|".join(sorted(map(re.escape, MODELS), key=len, reverse=True)) + r")\s"
            r"([A-Z]{1,2})?(\d{1,4})(?:-(\d{1,4}))?(?![\w.,]\d|\w|-[A-Za-z])"
        ),
        _model,
        _DIGITS,
    ),
    Rule(
        "flight",
        re.compile(r"\b([Ff]light)\s(?:([A-Z]{2}|[A-Z]\d|\d[A-Z])\s?)?(\d{1,4})\b(?![.,]\d)"),
        _flight,
        _DIGITS,
    ),
    Rule(
        "numbered place",
        re.compile(r"\b([A-Za-z]{3,8})\s#?(\d{3,4})\b(?![.,]\d|[\w-])"),
        _place,
        _DIGITS,
    ),
    Rule(
        "numbered name",
        re.compile(r"(?:(?<=\bthe )|(?<=\bThe )|(?<=\ba )|(?<=\bA )|(?<=\ban ))(\d{3,4})(?![\w%,.:/-])"),
        _named,
        _DIGITS,
    ),
    Rule(
        "nine eleven",
        re.compile(r"(?<![\w/.])9/11(?![\w/])"),
        lambda m: "nine eleven",
        "/",
    ),
    Rule(
        "dialed",
        re.compile(r"(?<![\w.,$#-])(\d{3})(?![\w-]|[.,:]\d)"),
        lambda m: _dialed(m) if m.group(1) in DIALED else m.group(0),
        _DIGITS,
    ),
    Rule(
        "serial",
        # 4 digits or more, or hyphenated groups ("ISBN 978-3-16-148410-0")
        re.compile(r"(?<![\w.,$-])(?:\d{4,}|\d{1,3}(?=-\d))(?:-\d+)*(?![\w-]|[.,]\d)"),
        _serial,
        _DIGITS,
    ),
    Rule(
        "alphanumeric",
        # Tokens are matched whole and checked after (a lookahead for a letter and a digit from
        # every position is quadratic on long hyphenated runs).
        re.compile(r"(?<![\d][,.])\b[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*\b"),
        lambda m: _alnum_token(m) if _MIXED.match(m.group(0)) else m.group(0),
        _DIGITS,
    ),
]
