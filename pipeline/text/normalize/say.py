"""Words for numbers: cardinals, ordinals, years, digits, decimals, versions, Roman numerals."""

from __future__ import annotations

import re

from num2words import num2words

LONGEST_NAMED = 10**36  # from here on, digits one by one: nobody says "undecillion", and num2words stops


def cardinal(n: int | float | str) -> str:
    """American style: no 'and', no commas ('four thousand eight hundred twelve')."""
    if isinstance(n, str):
        n = n.replace(",", "")
        value = float(n) if "." in n else int(n)
    else:
        value = n
    if not abs(value) < LONGEST_NAMED:  # NaN and infinity too
        return _too_long(str(n))
    return _american(num2words(value))


def _too_long(s: str) -> str:
    whole, _, frac = s.lstrip("-").partition(".")
    said = digits(whole) + (f" point {digits(frac)}" if frac.strip("0") else "")
    return ("minus " if s.startswith("-") else "") + said


def _american(words: str) -> str:
    words = words.replace(",", "").replace(" and ", " ").replace("oh-", "oh ")
    return re.sub(r"\s+", " ", words).strip()


def ordinal(n: int | str) -> str:
    value = int(str(n).replace(",", ""))
    if abs(value) >= LONGEST_NAMED:
        return "number " + digits(str(value))
    return _american(num2words(value, to="ordinal"))


def year(n: int | str) -> str:
    value = int(n)
    if 2000 <= value <= 2009:
        return _american(num2words(value))  # "two thousand nine", not "twenty oh-nine"
    return _american(num2words(value, to="year"))


_DIGIT = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def digits(s: str, zero: str = "zero") -> str:
    return " ".join(zero if d == "0" else _DIGIT[int(d)] for d in s if d.isdigit())


def decimal(s: str) -> str:
    """'2.5' -> 'two point five', '0.25' -> 'zero point two five', '.5' -> 'point five'."""
    whole, _, frac = s.replace(",", "").partition(".")
    head = cardinal(whole) if whole else ""
    return f"{head} point {digits(frac)}".strip() if frac else head


def number(s: str) -> str:
    """Any plain number as written: separators, decimals, long digit strings."""
    if "." in s:
        return decimal(s)
    if "," in s:
        return cardinal(s)
    if len(s) > 9 or (len(s) > 1 and s.startswith("0")):
        return digits(s)
    return cardinal(s)


def pairs(s: str) -> str:
    """Numbers read in pairs, as people read ids: 412 -> 'four twelve', 2038 -> 'twenty thirty-eight'."""
    if len(s) <= 2:
        return cardinal(s)
    if len(s) == 3:
        head, tail = s[0], s[1:]
    else:
        head, tail = s[:-2], s[-2:]
    tail_words = (
        f"oh {cardinal(tail[1])}"
        if tail.startswith("0") and tail != "00"
        else ("hundred" if tail == "00" else cardinal(tail))
    )
    head_words = (
        pairs(head)
        if len(head) > 2
        else (f"oh {cardinal(head[1])}" if head.startswith("0") and len(head) == 2 else cardinal(head))
    )
    return f"{head_words} {tail_words}"


def version(s: str) -> str:
    """'4.11' -> 'four point eleven': components are numbers, not digits; after the first, a zero
    is "oh" ('2.0' -> 'two point oh') and so is a leading zero ('1.05' -> 'one point oh five')."""
    parts = s.split(".")
    return " point ".join(_component(p) if i else (cardinal(p) if p.isdigit() else p) for i, p in enumerate(parts))


def _component(part: str) -> str:
    if not part.isdigit():
        return part
    if part.startswith("0"):
        return " ".join(
            ["oh"] * (len(part) - len(part.lstrip("0"))) + ([cardinal(part.lstrip("0"))] if part.strip("0") else [])
        )
    return cardinal(part)


def plural_decade(s: str) -> str:
    """'1990' -> 'nineteen nineties', '80' -> 'eighties', '2000' -> 'two thousands'."""
    words = year(s) if len(s) == 4 else cardinal(s)
    if words.endswith("y"):
        return words[:-1] + "ies"
    return words + ("es" if words.endswith("x") else "s")


_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}


_ROMAN = re.compile(r"M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})")


def roman(s: str) -> int | None:
    if not s or not _ROMAN.fullmatch(s):
        return None
    total = 0
    for a, b in zip(s, s[1:] + " "):
        v = _ROMAN_VALUES[a]
        total += -v if b != " " and _ROMAN_VALUES[b] > v else v
    return total


_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+"


def power(base: str, exp: str) -> str:
    """`base` (words) raised to `exp` as written: 'x squared', 'two to the sixteenth', 'ten to
    the minus sixth', 'two to the n'."""
    exp = exp.replace("−", "-").lstrip("+")
    if exp == "2":
        return f"{base} squared"
    if exp == "3":
        return f"{base} cubed"
    digits_ = exp.lstrip("-")
    if digits_.isdigit():
        return f"{base} to the {'minus ' if exp.startswith('-') else ''}{ordinal(digits_)}"
    return f"{base} to the {exp}"
