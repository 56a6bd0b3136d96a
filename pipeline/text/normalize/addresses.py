"""Street addresses, read as a host reads them: the house number in pairs ("two twenty-one B",
"sixteen hundred"), the street type and direction in full ("Avenue Northwest"), unit and box
numbers, road numbers ("Highway one oh one", "I ninety-five"), and a state's postal code after a
city as the state's name ("Austin, Texas, seven eight seven oh one"; D.C. stays letters).

These run before the abbreviation rules: in a whole address `St.` is Street and `Dr.` Drive."""

from __future__ import annotations

import re

from . import vocab
from .context import Rule
from .dates import _stop
from .digits import _groups, _model_number
from .say import ordinal
from .words import word

_DIGITS = "0123456789"

_DATA = vocab.load("addresses")
SUFFIXES: dict[str, str] = dict(_DATA["suffixes"])
DIRECTIONS: dict[str, str] = dict(_DATA["directions"])
UNITS: dict[str, str] = dict(_DATA["units"])
HIGHWAYS: dict[str, str] = dict(_DATA["highways"])
STATES: dict[str, str] = dict(_DATA["states"])
NEEDS_ZIP = frozenset(_DATA["needs_zip"])
PARTIES: dict[str, str] = dict(_DATA["parties"])
# A state in a lawmaker's brackets: its postal code, its news-style abbreviation or its name.
_PARTY_STATES: dict[str, str] = {**STATES, **_DATA["ap_states"], **{name: name for name in STATES.values()}}
# Short forms whose full stop does not end a sentence (the sentence splitter must know them).
NO_BREAK = frozenset(
    k.lower()
    for table in (SUFFIXES, UNITS, HIGHWAYS)
    for k, v in table.items()
    if k != v and k.isalpha() and k not in ("US", "I")
)


def _alt(words: dict[str, str]) -> str:
    return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))


_HOUSE = r"(\d{1,5})([A-Z])?"
_NAME_WORD = r"(?:[A-Z][A-Za-z'’]+|\d{1,3}(?:st|nd|rd|th))"
_DIRECTION = r"(?:" + _alt(DIRECTIONS) + r")"


def house(n: str, letter: str | None = None) -> str:
    """'221', 'B' -> 'two twenty-one B'; '1600' -> 'sixteen hundred'; '12345' -> 'twelve three forty-five'."""
    return _model_number(n) + (f" {letter}" if letter else "")


def _name(s: str) -> str:
    """A street's name: its words as words, a numbered street as a capitalized ordinal (5th: Fifth)."""
    out = []
    for part in s.split():
        num = re.fullmatch(r"(\d+)(?:st|nd|rd|th)", part)
        out.append(ordinal(num.group(1)).capitalize() if num else word(part))
    return " ".join(out)


def _direction(s: str | None) -> str:
    return DIRECTIONS[s.rstrip(".")] + " " if s else ""


def _street(m: re.Match) -> str:
    num, letter, pre, name, suffix, post = m.groups()
    said = f"{house(num, letter)} {_direction(pre)}{_name(name)} {SUFFIXES[suffix]}"
    if post:
        said += " " + DIRECTIONS[post]
    return said + _stop(m)


def _directed(m: re.Match) -> str:
    """'2401 W. Broadway', '120 E. Wacker': a house number, a direction and a name, no street type."""
    num, letter, direction, name = m.groups()
    return f"{house(num, letter)} {DIRECTIONS[direction]} {_name(name)}"


def _street_name(m: re.Match) -> str:
    """Elm Ave, Sunset Blvd NW: a street type after a street's name, with no house number."""
    return f"{word(m.group(1))} {SUFFIXES[m.group(2)]}" + (f" {DIRECTIONS[m.group(3)]}" if m.group(3) else "")


def _unit(m: re.Match) -> str:
    kind, num, letter, alone = m.groups()
    ident = f"{house(num, letter)}" if num else alone
    return f"{UNITS[kind]} {ident}" + _stop(m)


def _state(m: re.Match) -> str:
    """', TX 78701' after a city: ', Texas, seven eight seven oh one'."""
    code, zip5, plus4 = m.groups()
    if not re.search(r"[A-Z][A-Za-z.'’-]*$", m.string[: m.start()]):
        return m.group(0)  # a state code follows a city's name
    rest = m.string[m.end() :]
    if not zip5 and (code in NEEDS_ZIP or not re.match(r"\s*(?:[,.;:!?)]|$|\s[a-z])", rest)):
        return m.group(0)
    said = f", {STATES[code]}"
    if zip5:
        return said + ", " + _groups(zip5 + ("-" + plus4 if plus4 else ""))
    return said + _stop(m)


def _highway(m: re.Match) -> str:
    prefix = re.sub(r"\s+", " ", m.group(1))
    return f"{HIGHWAYS[prefix]} {_model_number(m.group(2))}"


_SUFFIX = r"(" + _alt(SUFFIXES) + r")"
_SHORT_SUFFIX = r"(" + "|".join(k for k in SUFFIXES if k not in ("St", "Dr") and k != SUFFIXES[k]) + r")"

RULES: list[Rule] = [
    Rule(
        "party and state",
        re.compile(r"(?<=\()([DRI])-(" + _alt(_PARTY_STATES) + r")(?=\))"),
        lambda m: f"{PARTIES[m.group(1)]} of {_PARTY_STATES[m.group(2)]}",
        "-",
    ),
    Rule(
        "street address",
        re.compile(
            rf"(?<![\w.,$#-]){_HOUSE}\s+(?:({_DIRECTION})\.?\s+)?({_NAME_WORD}(?:\s+{_NAME_WORD}){{0,3}}?)"
            rf"\s+{_SUFFIX}\b\.?(?:\s+({_DIRECTION})\b\.?)?"
        ),
        _street,
        _DIGITS,
    ),
    Rule(
        "directed street",
        re.compile(
            rf"(?<![\w.,$#-]){_HOUSE}\s+(N|S|E|W|NE|NW|SE|SW)\.\s+({_NAME_WORD}(?:\s+{_NAME_WORD}){{0,2}})\b(?!\.\w)"
        ),
        _directed,
        _DIGITS,
    ),
    Rule(
        "po box",
        re.compile(r"\b(?:P\.\s?O\.|PO|Post Office)\s?Box\s#?(\d{1,6})\b"),
        lambda m: f"{'Post Office' if m.group(0)[1] == 'o' else 'P O'} Box {house(m.group(1))}",
        _DIGITS,
    ),
    Rule(
        "address unit",
        re.compile(r"\b(" + _alt(UNITS) + r")\b\.?\s?#?\s?(?:(\d{1,5})-?([A-Z])?|([A-Z]))\b(?!['’]|[.,]\d)"),
        _unit,
        "",
    ),
    Rule(
        "highway",
        re.compile(
            r"\b(State Route|County Road|Interstate|Highway|Route|Hwy|Rte|US|SR|I)(?:-|\s)(\d{1,3})\b(?![.,]\d|-\d)"
        ),
        lambda m: m.group(0) if m.group(1) == "I" and "-" not in m.group(0) else _highway(m),
        _DIGITS,
    ),
    Rule(
        "street name",
        # Without a full stop only: "Oak Ave." is the abbreviation rules' (one reading for all of them).
        re.compile(r"(?<![\w.])([A-Z][a-z]+)\s+" + _SHORT_SUFFIX + r"(?![\w.])(?:\s+(NE|NW|SE|SW)\b)?"),
        _street_name,
        "",
    ),
    Rule(
        "state",
        re.compile(r",\s(" + _alt(STATES) + r")(?!\w|\.\w)(?:\s+(\d{5})(?:-(\d{4}))?(?![\w-]))?"),
        _state,
        ",",
    ),
]
