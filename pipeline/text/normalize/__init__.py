"""Text normalization: script text to what a careful host would say.

Pure functions, no I/O beyond reading the package's own data once.
`normalize()` takes plain text (no `{written|spoken}` overrides: those are
never touched) and applies ordered rules, each a regex and a function that
returns words.  What a rule returns is final: later rules never read it
again (the text is kept as pieces, and only the pieces no rule has spoken
yet are searched).  Structured tokens go first (URLs, dates, money, units,
telephone numbers, versions), then numbers and symbols, and last every word
left is read by `word()`: the bundled technical lexicon, the spelled-or-said
decision for acronyms (from the CMU Pronouncing Dictionary), mixed-case
names, and unknown lowercase code names (split at known parts, or spelled).

A `Context` carries what the whole episode decides: which dotted numbers
are versions (`scan_versions`) and the show's `dotted_numbers` setting, so
a token is read the same way everywhere in an episode.  Tokens read by a
guess (no table knew them) are reported to a `guesses` list when one is
given; `podcast check` shows them.
"""

from __future__ import annotations

import functools
import hashlib
import re
from importlib import metadata
from typing import Callable

from . import (
    abbreviations,
    addresses,
    dates,
    digits,
    electronic,
    measures,
    money,
    numbers,
    symbols,
    versions,
    vocab,
    words,
)
from .abbreviations import ABBREVIATIONS
from .context import _CONTEXT, _GUESSES, Context, Guess, Rule
from .say import cardinal, decimal, number, ordinal, pairs, roman, version, year
from .say import digits as digit_words
from .versions import context_for, scan_versions
from .words import dictionary, expand_brackets, lexicon_lookup, spell, technical, word

__all__ = [
    "ABBREVIATIONS",
    "RULES",
    "Context",
    "Guess",
    "Rule",
    "cardinal",
    "context_for",
    "decimal",
    "dictionary",
    "digit_words",
    "expand_brackets",
    "fingerprint",
    "lexicon_lookup",
    "normalize",
    "number",
    "ordinal",
    "pairs",
    "roman",
    "scan_versions",
    "spell",
    "technical",
    "tidy",
    "version",
    "word",
    "year",
]

# Bump when a rule changes what any text is read as: cached spoken text is keyed on it.
VERSION = "9"

# The rules by class, each in its own module; here only their order.  A rule's words are final (no
# later rule reads them), so structured tokens go before the numbers and symbols they are made of.
ORDER = [
    "shortcut",
    "url",
    "email",
    "code span",
    "command",
    "flag",
    "file name",
    "bare domain",
    "host port",
    "path",
    "windows path",
    "dotfile",
    "handle",
    "hashtag",
    "et al",
    "party and state",
    "street address",
    "directed street",
    "po box",
    "address unit",
    "highway",
    "street name",
    "state",
    "iso datetime",
    "telephone",
    "extension",
    "card number",
    "social security number",
    "zip code",
    "retirement plan",
    "model number",
    "flight",
    "nine eleven",
    "dialed",
    "serial",
    "date",
    "numeric date",
    "month slash day",
    "weekday span",
    "weekday",
    "month day",
    "day month",
    "month year",
    "month abbreviation",
    "time range",
    "clock range",
    "time",
    "military time",
    "hours and minutes",
    "hour am pm",
    "quarter",
    "quarter year",
    "fiscal year",
    "era",
    "year range",
    "abbreviation",
    "bare title",
    "generational",
    "bare abbreviation",
    "scientific notation",
    "count magnitude",
    "equation",
    "power",
    "spaced power",
    "prefix symbol",
    "cve",
    "hex",
    "commit",
    "ipv6",
    "mac address",
    "version after a word",
    "portable release",
    "ip address",
    "protocol version",
    "arch version",
    "version word",
    "version alternatives",
    "plural number",
    "round plural",
    "decade",
    "short year",
    "year compound",
    "blood pressure",
    "colon chain",
    "ratio",
    "vulgar fraction",
    "mixed fraction",
    "fraction",
    "compound unit",
    "temperature range",
    "temperature",
    "cashtag",
    "currency code",
    "feet and inches",
    "feet and inches in words",
    "feet",
    "dimensions",
    "currency range",
    "currency",
    "currency after",
    "percent range",
    "percent",
    "per unit",
    "unit range",
    "unit",
    "superscript",
    "and a half",
    "negative",
    "range",
    "version",
    "v number",
    "ordinal",
    "hash number",
    "sharp",
    "dot net",
    "initialism",
    "world war",
    "roman numeral",
    "roman year",
    "list marker",
    "formula",
    "comparison",
    "arrow symbol",
    "arrow",
    "identifier",
    "dunder",
    "call",
    "leading arrow",
    "hyphen range",
    "alphanumeric",
    "and/or",
    "alternatives",
    "slash",
    "star",
    "numbered place",
    "numbered name",
    "number",
    "dotted name",
    "tilde",
    "copyright",
    "trademark",
    "lone mark",
    "symbols",
    "dash",
    "brackets",
    "braces",
]

_MODULES = (abbreviations, addresses, dates, digits, electronic, measures, money, numbers, symbols, versions)
_BY_NAME = {rule.name: rule for module in _MODULES for rule in module.RULES}
RULES: list[Rule] = [_BY_NAME[name] for name in ORDER]
assert len(_BY_NAME) == sum(len(m.RULES) for m in _MODULES), "two rules share a name"
assert len(RULES) == len(_BY_NAME) == len(set(ORDER)), "a rule is not in ORDER, or is in it twice"


@functools.lru_cache(maxsize=1)
def fingerprint() -> str:
    """Changes whenever what the normalizer says could change: rules, vocabularies, lexicon, dictionary,
    num2words."""
    parts = [
        VERSION.encode(),
        vocab.digest(),
        technical().source,
        words._dictionary_bytes(),
        metadata.version("num2words").encode(),
    ]
    return hashlib.sha256(b"\x00".join(hashlib.sha256(p).digest() for p in parts)).hexdigest()[:16]


# Latin letters with their diacritics (Müller's, São, Ångström) are letters of a word, not symbols.
_L = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f"
_WORD = re.compile(rf"[{_L}][{_L}']*(?:-[{_L}][{_L}']*)*")


def _words(text: str) -> str:
    """Every word no rule has spoken: lexicon, acronyms, names, code names."""
    tokens = list(_WORD.finditer(text))
    plain = words.said_as_words(text, tokens) if len(tokens) > 1 else set()  # 'PAINT MAN CLAIMS'

    def one(m: re.Match) -> str:
        token = m.group(0)
        if m.start() in plain:
            return token.lower()
        trail = ""
        while token.endswith("'") and not token.endswith("s'"):
            token, trail = token[:-1], "'" + trail
        return word(token) + trail

    return _WORD.sub(one, text)


def _apply(
    pieces: list[tuple[bool, str]], pattern: "re.Pattern[str]", fn: Callable[[re.Match], str]
) -> list[tuple[bool, str]]:
    out: list[tuple[bool, str]] = []
    for done, text in pieces:
        if done:
            out.append((done, text))
            continue
        pos = 0
        for m in pattern.finditer(text):
            said = fn(m)
            if said == m.group(0):
                continue  # the rule declined
            out.append((False, text[pos : m.start()]))
            left = " " if m.start() == 0 or text[m.start() - 1].isalnum() else ""
            right = " " if m.end() == len(text) or text[m.end()].isalnum() else ""
            out.append((True, f"{left}{said}{right}" if said.strip() else said))
            pos = m.end()
        out.append((False, text[pos:]))
    return [(d, t) for d, t in out if t]


# The longest text the rules read at once.  A rule looks at the words around what it reads
# (the text before and after a match), so its cost grows with the square of the text; a
# longer sentence (a run-on transcript line, hostile input) is read in pieces of at most this
# many characters, cut after a comma or semicolon, else at a space: time linear in its length.
MAX_PIECE_CHARS = 1000


def _pieces(text: str, limit: int = MAX_PIECE_CHARS) -> list[str]:
    out = []
    while len(text) > limit:
        cut = max(text.rfind(", ", 0, limit), text.rfind("; ", 0, limit)) + 1
        if cut <= limit // 2:
            cut = text.rfind(" ", limit // 2, limit)
        if cut <= 0:
            cut = limit
        out.append(text[:cut])
        text = text[cut:]
    return out + [text]


def normalize(
    text: str, rules: list[Rule] = RULES, context: Context | None = None, guesses: list[Guess] | None = None
) -> str:
    """`text` as a careful host says it.  `context`: the episode's (default: this text alone);
    `guesses`: a list to receive the tokens read by a guess."""
    if context is None:
        context = Context(versions=scan_versions([text]))
    elif context.dotted == "auto":
        local = scan_versions([text])
        if not local <= context.versions:
            context = Context(context.dotted, context.versions | local)
    if len(text) > MAX_PIECE_CHARS:
        return tidy(" ".join(normalize(piece, rules, context, guesses) for piece in _pieces(text)))
    tokens = (_CONTEXT.set(context), _GUESSES.set(guesses))
    try:
        pieces = [(False, symbols.paired_marks(expand_brackets(text)))]
        present = set(pieces[0][1])  # the characters left to read (a superset after a rule has read some)
        for _name, pattern, fn, needs in rules:
            if needs and present.isdisjoint(needs):
                continue
            before = len(pieces)
            pieces = _apply(pieces, pattern, fn)
            if len(pieces) != before:
                present = set().union(*(t for done, t in pieces if not done))
        said = "".join(t if done else _words(t) for done, t in pieces)
    finally:
        _CONTEXT.reset(tokens[0])
        _GUESSES.reset(tokens[1])
    said = tidy(said)
    # A rule that read a final abbreviation (Main St., 5 p.m., etc.) took the sentence's full stop with it.
    if _ENDS.search(text) and not _ENDS_SAID.search(said) and said:
        said += "."
    return said


_ENDS = re.compile(r"\.[\"'”’)\]]*\s*$")
_ENDS_SAID = re.compile(r"[.!?:;,][\"'”’)\]]*\s*$")


def tidy(text: str) -> str:
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"\s+([,.;:!?])", r"\1", text)
    text = re.sub(r",\s*,+", ",", text)
    text = re.sub(r"([.;:!?])\s*,", r"\1", text)
    text = re.sub(r"^\s*,\s*", "", text)
    text = re.sub(r",\s*([.;:!?])", r"\1", text)
    text = re.sub(r"([!?])\.(?!\.)", r"\1", text)
    return re.sub(r"[,\s]+$", "", text).strip()
