"""Numbers on their own: fractions, ranges, negatives, ordinals, scientific notation, Roman numerals."""

from __future__ import annotations

import re

from . import vocab
from .context import Rule
from .dates import _year_or_number
from .measures import UNITS, to
from .say import _NUM, cardinal, number, ordinal, pairs, power, roman, version, year
from .versions import _is_version

_DIGITS = "0123456789"

_DATA = vocab.load("numbers")
# Regnal names: "Louis XIV" is "Louis the fourteenth"; after a title any name is.
REGNAL = frozenset(_DATA["regnal"])
_TITLES = frozenset(_DATA["titles"])
# Words after which a Roman numeral is a plain number: "World War II", "Chapter IV".
ROMAN_COUNTED = frozenset(_DATA["counted"])
_NOT_NUMERALS = frozenset(_DATA["not_numerals"])
FRACTIONS: dict[int, tuple[str, str]] = {int(k): (v[0], v[1]) for k, v in _DATA["fractions"].items()}
_PHRASES: dict[str, str] = dict(_DATA["phrases"])
_VULGAR: dict[str, str] = dict(_DATA["vulgar"])
_PLURAL_NUMBERS: dict[str, str] = dict(_DATA["plural_numbers"])
# What a fraction can measure, said in the singular: "¾ cup" is "three quarters of a cup".
_MEASURES: dict[str, str] = {
    **{k: UNITS[k][0] for k in _DATA["fraction_units"]["symbols"]},
    **_DATA["measure_nouns"],
}
_MEASURE = "|".join(sorted(map(re.escape, _MEASURES), key=len, reverse=True))
_HALF_NOUNS = "|".join(_DATA["half"]["nouns"])
_BP_CUE = re.compile(r"\b(?:" + "|".join(map(re.escape, _DATA["blood_pressure"]["cues"])) + r")\b", re.I)

_MAGNITUDES: dict[str, str] = dict(_DATA["magnitude"]["letters"])
_NOT_COUNTED = frozenset(_DATA["magnitude"]["not_counted"])
_IRREGULAR_PLURALS = frozenset(_DATA["count_nouns"]["plurals"])
_NOT_PLURALS = frozenset(_DATA["count_nouns"]["not_plurals"])


def plural(word: str) -> bool:
    """Whether `word` is a plural noun a number counts ('followers', 'people'), as far as its
    spelling tells: an s at the end that is not 'ss', 'us', 'is' nor one of the known words."""
    w = word.lower()
    if w in _IRREGULAR_PLURALS:
        return True
    return len(w) > 2 and w.endswith("s") and not w.endswith(("ss", "us", "is")) and w not in _NOT_PLURALS


def _magnitude(m: re.Match) -> str:
    """'1.5M followers': one point five million followers; 'a 5K race', 'a 4K TV' stay letters."""
    amount, letter, noun = m.group(1), m.group(2), m.group(3)
    if not plural(noun) or noun.lower() in _NOT_COUNTED or re.search(r"\b[Aa]n?\s+$", m.string[: m.start()]):
        return m.group(0)
    return f"{number(amount)} {_MAGNITUDES[letter]}"


# "rated 7/10", "gave it 4/5": a score, read "out of".
_RATING = re.compile(r"\b(?:rate[ds]?|rating|score[ds]?|scoring|gave|give[ns]?|grade[ds]?)\b(?:\s+\w+){0,2}\s*$", re.I)
# "odds of 3/1", "5/2 odds", "a 10/1 shot": odds, read "to".
_ODDS_BEFORE = re.compile(r"\bodds\b(?:\s+\w+){0,2}\s*$", re.I)
_ODDS_AFTER = re.compile(r"\s*(?:odds|shot|favou?rite|outsider|underdog)\b", re.I)


def _fraction_words(a: int, b: int) -> str:
    if b in FRACTIONS:
        one, many = FRACTIONS[b]
        return f"one {one}" if a == 1 else f"{cardinal(a)} {many}"
    word = ordinal(b)
    if a == 1:
        return word if word.startswith("one ") else f"one {word}"
    return f"{cardinal(a)} {word}s"


def _article(noun: str) -> str:
    return "an" if noun.startswith(("a", "e", "i", "o", "hour")) else "a"


def _measured(words: str, unit: str | None, article: bool = False) -> str:
    """A fraction of a measure: 'a quarter teaspoon', 'two thirds of a cup'; `article`: the text
    has its "a" already ("a 1/4 tsp")."""
    if not unit:
        return words
    noun = _MEASURES[unit]
    if article or words.startswith(("a ", "an ")):
        return f"{words} {noun}"
    if words.startswith("one "):
        return f"{_article(words[4:])} {words[4:]} {noun}"
    return f"{words} of {_article(noun)} {noun}"


def _vulgar(m: re.Match) -> str:
    whole, part, unit = m.groups()
    if not whole:
        return _measured(_VULGAR[part], unit)
    said = f"{cardinal(whole)} and {_VULGAR[part]}"  # "1½ cups": the unit as counted
    return f"{said} {UNITS[unit][1] if unit in UNITS else unit}" if unit else said


def _fraction(m: re.Match) -> str:
    written = f"{m.group(1)}/{m.group(2)}"
    if written in _PHRASES:
        return _PHRASES[written]
    a, b = int(m.group(1)), int(m.group(2))
    before, after = m.string[: m.start()], m.string[m.end() :]
    inch = " inch" if m.group(3) and before.count('"') % 2 == 0 else None
    if inch is None and m.group(3):
        return m.group(0)  # a closing quote, not inches
    if b == 0:
        return f"{cardinal(a)} slash zero"
    if _RATING.search(before) or a == b:
        return f"{cardinal(a)} out of {cardinal(b)}"
    if _ODDS_BEFORE.search(before) or _ODDS_AFTER.match(after):
        return f"{cardinal(a)} to {cardinal(b)}"
    words = _fraction_words(a, b)
    article = re.search(r"(?:^|\W)(an?)\s+$", before, re.I)
    if a == 1 and article and b <= 10:
        rest = words[4:]
        if (article.group(1).lower() == "an") == rest.startswith(("eighth", "eleventh", "eighteenth", "eightieth")):
            words = rest  # "a 1/4 mile": "a quarter mile"
    return _measured(words, m.group(4), a == 1 and not words.startswith("one ")) + (inch or "")


def _mixed_fraction(m: re.Match) -> str:
    whole, a, b = int(m.group(1)), int(m.group(2)), int(m.group(3))
    part = "a half" if (a, b) == (1, 2) else ("a quarter" if (a, b) == (1, 4) else _fraction_words(a, b))
    if a == 1 and b not in FRACTIONS:
        part = f"a {ordinal(b)}"
    return f"{cardinal(whole)} and {part}"


def _range(m: re.Match) -> str:
    return f"{_range_end(m.group(1))} {to(m)} {_range_end(m.group(2))}"


def _blood_pressure(m: re.Match) -> str:
    """'128/82' near "blood pressure", "BP", "mmHg": 'one twenty-eight over eighty-two'."""
    a, b, unit = int(m.group(1)), int(m.group(2)), m.group(3)
    if not (70 <= a <= 250 and 40 <= b <= 150 and a > b) or not (unit or _BP_CUE.search(m.string)):
        return m.group(0)
    return f"{pairs(m.group(1))} over {pairs(m.group(2))}" + (" millimeters of mercury" if unit else "")


def _signed_range(m: re.Match) -> str:
    signs = {"-": "minus ", "−": "minus ", "+": "plus ", None: ""}
    low, high = _range_end(m.group(2)), _range_end(m.group(4))
    return f"{signs[m.group(1)]}{low} {to(m)} {signs[m.group(3)]}{high}"


def _range_end(s: str) -> str:
    if "." in s and _is_version(s):
        return version(s)
    return year(s) if re.fullmatch(r"1[1-9]\d\d|20\d\d", s) else number(s)


def _in_equation(m: re.Match) -> bool:
    """'1-2=5', '10 - 2 = 8': an operator or a relation next to it makes a hyphen a minus."""
    return bool(
        re.match(r"\s*[=<>+*/×÷^≤≥≠]", m.string[m.end() :]) or re.search(r"[=<>+*/×÷^≤≥≠]\s*$", m.string[: m.start()])
    )


def _negative(m: re.Match) -> str:
    return f"minus {number(m.group(1))}"


def _scientific(m: re.Match) -> str:
    """'6.02e23': 'six point zero two times ten to the twenty-third'."""
    return f"{number(m.group(1))} times {power('ten', m.group(2))}"


def _hash_number(m: re.Match) -> str:
    return f"number {pairs(m.group(1))}"


def _roman(m: re.Match) -> str:
    title, name, numeral = m.group(1), m.group(2), m.group(3)
    if f"{name} {numeral}" in _NOT_NUMERALS:
        return m.group(0)
    value = roman(numeral.upper())
    if value is None:
        return m.group(0)
    single = len(numeral) == 1
    if single and re.match(r"\.\s+[A-Z]", m.string[m.end() :]):
        return m.group(0)  # an initial: "John C. Reilly", "Henry V. Jones"
    lead = f"{title} " if title else ""
    if (title or name in REGNAL) and numeral.isupper() and set(numeral) <= set("IVX"):
        return f"{lead}{name} the {ordinal(value)}"
    counted = name.lower() in ROMAN_COUNTED
    if numeral.islower() and not (counted and len(numeral) > 1):
        return m.group(0)  # "part i", "Plan v": letters
    if single and (not counted or numeral not in "IVX"):
        return m.group(0)  # "Appendix C", "Take vitamin D": letters
    # Any other capitalized word before a numeral of two or more of I, V, X is a title in a
    # series ("Civilization VI", "Star Trek II"); an IV drip is not.
    if counted or (
        name[0].isupper() and len(numeral) > 1 and set(numeral) <= set("IVX") and numeral != "IV" and len(name) > 2
    ):
        return f"{lead}{name} {cardinal(value)}"
    return m.group(0)


def _roman_year(m: re.Match) -> str:
    value = roman(m.group(0))
    return year(value) if value and 1000 <= value < 2100 else m.group(0)


_WORD = r"[A-Za-z][a-z]+"  # lowercase too: "chapter iv"
_TITLE = r"(?:(" + "|".join(sorted(_TITLES)) + r")\s+)?"


RULES: list[Rule] = [
    Rule(
        "scientific notation",
        re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)[eE]([-+−]?\d{1,3})(?!\w|\.\d)"),
        _scientific,
        "eE",
    ),
    Rule(
        "count magnitude",
        re.compile(r"(?<![\w.,$€£¥₹-])(\d{1,3}(?:\.\d{1,2})?)(k|K|M|B|bn|mn)(?=\s+([A-Za-z]+))"),
        _magnitude,
        "kKMBn",
    ),
    Rule(
        "plural number",
        re.compile(r"(?<![\w.,])(" + "|".join(map(re.escape, _PLURAL_NUMBERS)) + r")(?![\w'])"),
        lambda m: _PLURAL_NUMBERS[m.group(1)],
        "s",
    ),
    Rule(
        "vulgar fraction",
        re.compile(r"(\d*)\s?([" + "".join(_VULGAR) + r"])(?:\s?(" + _MEASURE + r")(?![\w/-]))?"),
        _vulgar,
        "".join(_VULGAR),
    ),
    Rule(
        "mixed fraction",
        re.compile(r"(?<![\w./])(\d+)\s(\d{1,2})[/⁄](\d{1,2})(?![\w/⁄])"),
        _mixed_fraction,
        "/⁄",
    ),
    Rule(
        "fraction",
        re.compile(r"(?<![\w/⁄.])(\d{1,2})[/⁄](\d{1,4})(?:(\")|\s?(" + _MEASURE + r")(?![\w/-]))?(?![\w/⁄]|\.\d)"),
        _fraction,
        "/⁄",
    ),
    Rule(
        "blood pressure",
        re.compile(r"(?<![\w/.])(\d{2,3})/(\d{2,3})(?![\w/]|\.\d)(\s?mmHg\b)?"),
        _blood_pressure,
        "/",
    ),
    Rule(
        "and a half",
        # "2.5 games back": two and a half, before a counted plural (elsewhere "two point five")
        re.compile(r"(?<![\w.,–—-])(?<![–—-]\s)(\d{1,3})\.5(?=\s(?:" + _HALF_NOUNS + r")\b)"),
        lambda m: f"{cardinal(m.group(1))} and a half" if m.group(1) != "0" else m.group(0),
        ".",
    ),
    Rule(
        "negative",
        re.compile(r"(?<![\w.])[-−](" + _NUM + r")\b"),
        # a negative end of a range ("−10–−5") is the range's
        lambda m: (
            m.group(0)
            if re.match(r"\s*[–—]", m.string[m.end() :]) or re.search(r"[–—]\s*$", m.string[: m.start()])
            else _negative(m)
        ),
        _DIGITS,
    ),
    Rule(
        "range",
        re.compile(r"(?<![\w.])([-−+])?(" + _NUM + r")\s?[–—]\s?([-−+])?(" + _NUM + r")(?![\w]|\.\d)"),
        _signed_range,
        "–—",
    ),
    Rule(
        "ordinal",
        re.compile(r"\b(\d{1,3}(?:,\d{3})+|\d+)(?:st|nd|rd|th)\b"),
        lambda m: ordinal(m.group(1)),
        _DIGITS,
    ),
    Rule(
        "hash number",
        re.compile(r"#(\d+)\b"),
        _hash_number,
        "#",
    ),
    Rule(
        "world war",
        re.compile(r"\bWW(I{1,2}|[12])\b"),
        lambda m: "World War " + ("one" if m.group(1) in ("I", "1") else "two"),
        "W",
    ),
    Rule(
        "roman numeral",
        re.compile(_TITLE + r"\b(" + _WORD + r")\s+([IVXLCDM]{1,7}|[ivxlc]{2,7})\b(?!\.\w|-)"),
        _roman,
        "IVXLCDMivxlc",
    ),
    Rule(
        "roman year",
        re.compile(r"\bM{1,2}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})\b(?<=\w{5})"),
        _roman_year,
        "M",
    ),
    Rule(
        "hyphen range",
        re.compile(r"(?<![\w.-])(\d{1,3})(?:-| - )(\d{1,3})(?![\w-]|\.\d)"),
        lambda m: (
            _PHRASES.get(f"{m.group(1)}/{m.group(2)}", m.group(0))
            if f"{m.group(1)}/{m.group(2)}" in _PHRASES or _in_equation(m)
            else _range(m)
        ),
        "-",
    ),
    Rule(
        "number",
        re.compile(_NUM),
        _year_or_number,
        _DIGITS,
    ),
]
