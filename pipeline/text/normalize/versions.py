"""Which dotted numbers are versions (the episode's context), and the rules that read versions."""

from __future__ import annotations

import re
from typing import Iterable

from . import vocab
from .context import _CONTEXT, Context, Rule
from .say import cardinal, decimal, version
from .words import acronym, spell, word

_DIGITS = "0123456789"

_DATA = vocab.load("versions")
VERSION_PREFIX_WORDS: tuple[str, ...] = tuple(_DATA["prefix_words"])
_YEAR_MONTH = frozenset(_DATA["year_month"])
_PREFIX = "|".join(map(re.escape, sorted(VERSION_PREFIX_WORDS, key=len, reverse=True)))


_PREFIXED = re.compile(r"(?:(?<![\w.])[vV]|(?<![\w-])(?:" + _PREFIX + r")\s+(?:[vV])?)(\d+(?:\.\d+)+)")


_TAGGED = re.compile(r"(?<![\w.])[vV]?(\d+(?:\.\d+)+)-(?:rc|rt|pre|beta|alpha)\d+", re.I)


_MULTIDOT = re.compile(r"(?<![\w.])[vV]?(\d+\.\d+(?:\.\d+)+)(?![\w.]*\d)")


_ALTERNATIVES = re.compile(r"(?<![\w.])(\d+\.\d+(?:/\d+\.\d+)+)(?![\w.])")
# Dotted numbers in a list: "6.17, 6.18 and 6.19", "from 6.1 to 6.6".
_SERIES = re.compile(
    r"(?<![\w.$£€¥])\d+\.\d+(?:(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or|to|through|vs\.?)\s+)\d+\.\d+)+(?![\w.]*\d)"
)
# After a list, what makes it a list of quantities rather than of versions.
_QUANTITY = re.compile(r"\s*(?:%|percent\b|times\b|[xX]\b|[A-Za-zµΩ°/²³]{1,5}\b(?!\s+[a-z]))")


def scan_versions(texts: Iterable[str]) -> frozenset[str]:
    """Dotted numbers that are versions anywhere in these texts: by prefix (v, Linux, kernel,
    version...), by a release tag (-rc3, -rt47), by having two dots (and then their major.minor),
    or by sharing an `a/b` with one of those."""
    found: set[str] = set()
    alternatives: list[list[str]] = []
    for text in texts:
        for pattern in (_PREFIXED, _TAGGED):
            found.update(m.group(1) for m in pattern.finditer(text))
        for m in _MULTIDOT.finditer(text):
            if not _IP.fullmatch(m.group(0)) and not _DOTTED_DATE.fullmatch(m.group(0)):
                found.add(m.group(1))
        alternatives += [m.group(1).split("/") for m in _ALTERNATIVES.finditer(text)]
        for m in _SERIES.finditer(text):
            members = re.findall(r"\d+\.\d+", m.group(0))
            if len(members) >= 3 and not _QUANTITY.match(text, m.end()):
                found.update(members)  # three or more dotted numbers in a list: releases
            alternatives.append(members)  # a list with one version in it is a list of versions
    for v in list(found):
        if v.count(".") >= 2:
            found.add(".".join(v.split(".")[:2]))
    # One reading per episode: where a product named a release (Linux 6.19), a bare 6.18 beside
    # it is a release of the same line, not a decimal.
    majors = {v.split(".")[0] for text in texts for m in _PREFIXED.finditer(text) for v in [m.group(1)]}
    for text in texts:
        found.update(m.group(0) for m in _BARE.finditer(text) if m.group(1) in majors)
    changed = True
    while changed:
        changed = False
        for group in alternatives:
            if any(g in found for g in group) and not all(g in found for g in group):
                found.update(group)
                changed = True
    return frozenset(found)


_YEAR_MONTH_NAMED = re.compile(
    r"(?<![\w-])(?:" + "|".join(map(re.escape, sorted(_YEAR_MONTH))) + r")\s+(\d\d\.(?:0[1-9]|1[0-2]))(?![\d])"
)
# A bare dotted number with two parts (6.18), for the same-major inference below.
_BARE = re.compile(r"(?<![\w.$£€¥₹%-])(\d+)\.(\d+)(?![\w.]*\d|\s*%|\s*percent\b)")


def context_for(texts: Iterable[str], dotted: str = "auto") -> Context:
    texts = list(texts)
    year_month = frozenset(m.group(1) for text in texts for m in _YEAR_MONTH_NAMED.finditer(text))
    versions = scan_versions(texts) | year_month if dotted == "auto" else frozenset()
    return Context(dotted=dotted, versions=versions, year_month=year_month)


def said_version(core: str) -> str:
    """A version as its community says it: Ubuntu's year-month releases (24.04, and 24.04.2 after
    it) as "twenty-four oh four", anything else component by component."""
    parts = core.split(".")
    head = ".".join(parts[:2])
    if head in _CONTEXT.get().year_month:
        yy, mm = parts[0], parts[1]
        said = f"{cardinal(yy)} {'oh ' + cardinal(mm[1]) if mm[0] == '0' else cardinal(mm)}"
        return " point ".join([said, *(version("0." + p).split(" point ", 1)[1] for p in parts[2:])])
    return version(core)


def _is_version(core: str) -> bool:
    ctx = _CONTEXT.get()
    if ctx.dotted == "version" or core.count(".") >= 2:
        return True
    if ctx.dotted == "decimal":
        return False
    return core in ctx.versions


def _version(m: re.Match) -> str:
    prefix, core, tag, tagnum = m.group(1), m.group(2), m.group(3), m.group(4)
    if not (prefix or tag or _is_version(core)):
        return decimal(core)
    words = said_version(core)
    if prefix:
        words = f"version {words}"
    if tag:
        words += f", {spell(tag)} {cardinal(tagnum)}"
    return words


def _version_word(m: re.Match) -> str:
    name, core = m.group(1), m.group(3)
    said = said_version(core)
    return f"{word(name)} {'version ' if m.group(2) else ''}{said}"


def _arch_version(m: re.Match) -> str:
    name = m.group(1)
    return f"{acronym(name) if name.isupper() else word(name)} v {version(m.group(2))}"


def _version_alternatives(m: re.Match) -> str:
    parts = m.group(0).split("/")
    said = [version(p) if _is_version(p) else decimal(p) for p in parts]
    return " or ".join(said)


_IP = re.compile(r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}")


_DOTTED_DATE = re.compile(r"(?:0?[1-9]|[12]\d|3[01])\.(?:0?[1-9]|1[0-2])\.(?:1[5-9]|20)\d\d")


RULES: list[Rule] = [
    Rule(
        "version after a word",  # before the IP address rule: "version 1.0.3.7" is not an address
        re.compile(
            r"(?<![\w-])((?:[Vv]ersions?|[Rr]eleases?|[Ff]irmware|[Bb]uild)\s+)[vV]?(\d+(?:\.\d+){2,})(?![\w.]*\d|-[A-Za-z])"
        ),
        lambda m: f"{m.group(1).strip()} {said_version(m.group(2))}",
        _DIGITS,
    ),
    Rule(
        "portable release",  # OpenSSH's 9.9p2: the portable edition's second release of 9.9
        re.compile(r"(?<![\w.])(\d+\.\d+)p(\d+)\b"),
        lambda m: f"{said_version(m.group(1))} P {cardinal(m.group(2))}",
        _DIGITS,
    ),
    Rule(
        "protocol version",
        re.compile(r"\b(" + "|".join(map(re.escape, _DATA["protocols"])) + r")/(\d+(?:\.\d+)?)(?![\w.]*\d)"),
        lambda m: f"{spell(m.group(1))} {version(m.group(2))}",
        "/",
    ),
    Rule(
        "arch version",
        re.compile(r"\b([A-Za-z]{2,})v(\d+(?:\.\d+)*)\b"),
        _arch_version,
        _DIGITS,
    ),
    Rule(
        "version word",
        re.compile(r"(?<![\w-])(" + _PREFIX + r") ([vV])?(\d+\.\d+)(?![\w.]*\d|-(?:rc|rt)\d)"),
        _version_word,
        _DIGITS,
    ),
    Rule(
        "version alternatives",
        re.compile(r"(?<![\w.])\d+\.\d+(?:/\d+\.\d+)+(?![\w.])"),
        _version_alternatives,
        _DIGITS,
    ),
    Rule(
        "version",
        re.compile(r"(?<![\w.])(?<!\d,)(v)?(\d+(?:\.\d+)+)(?:-(rc|rt|pre|beta|alpha)(\d+))?(?![\w.]*\d)", re.I),
        _version,
        _DIGITS,
    ),
    Rule(
        "v number",
        re.compile(r"\bv(\d+)\b"),
        lambda m: f"version {cardinal(m.group(1))}",
        _DIGITS,
    ),
]
