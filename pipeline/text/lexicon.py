"""The pronunciation lexicon: words (or patterns) the rules get wrong.

`lexicon.toml` next to podcast.toml, plus a voice's own `[lexicon]` table:

    [words]
    statx = "stat x"              # a respelling
    mmotm = "M M O T M"
    "Jérôme" = "[[ʒeɪɹˈoʊm]]"     # phonemes, passed to the engine as they are
    PAE = "P A E"                 # a key with capitals matches case-sensitively

    [patterns]
    'k(v?)(z?)alloc' = "k \\1 \\2 alloc"   # regular expressions, whole words

Precedence: an inline `{written|spoken}` wins over the lexicon, the lexicon
over the normalization rules.  What the lexicon produces is protected from
the rules.
"""

from __future__ import annotations

import functools
import hashlib
import importlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, Mapping

from .. import _tomlfile as tomlfile
from ..errors import ConfigError

LEXICON_NAME = "lexicon.toml"


@dataclass(frozen=True)
class Lexicon:
    entries: tuple[tuple[str, str, bool, str], ...] = ()  # (key, replacement, is_pattern, source)

    def merged(self, other: "Lexicon") -> "Lexicon":
        """`other` laid over this one: its entries are tried first."""
        return Lexicon(other.entries + self.entries)

    def __bool__(self) -> bool:
        return bool(self.entries)

    @functools.cached_property
    def digest(self) -> str:
        """A short hash of the entries (for cache keys), computed once."""
        return hashlib.sha256(repr(self.entries).encode("utf-8")).hexdigest()[:16]

    @functools.cached_property
    def _matcher(self) -> "_Matcher | None":
        return _matcher(self.entries) if self.entries else None

    def split(self, text: str) -> list[tuple[bool, str]]:
        """[(protected, text)]: lexicon hits (already replaced) and the plain text between them.

        What matches is what one regex of all entries would match (`\\b`-like whole words, one
        alternative per entry, in order): scanning left to right, at each place a word may start
        (not after a letter, digit or `_`), the first entry in the lexicon's order that matches
        there and ends where a word may end.  The words are found by a dictionary lookup per
        key length, not tried one by one, so the cost does not grow with the lexicon's size."""
        matcher = self._matcher
        if matcher is None:
            return [(False, text)]
        out: list[tuple[bool, str]] = []
        pos = 0
        for start, end, index in matcher.matches(text):
            key, repl, is_pattern, _ = self.entries[index]
            out.append((False, text[pos:start]))
            out.append((True, _whole_word(key).sub(repl, text[start:end]) if is_pattern else repl))
            pos = end
        out.append((False, text[pos:]))
        return [(p, t) for p, t in out if t]


def _fold(text: str) -> str:
    """A key for comparing text without case: every pair of characters that Python's re takes
    as equal under IGNORECASE folds alike (casefold, and the dotted and dotless i as i, which
    re also matches with i); some pairs re does not take as equal fold alike too (ß and ss),
    so a hit is confirmed by re itself."""
    return text.casefold() if text.isascii() else "".join(_FOLD_ODD.get(c) or c.casefold() for c in text)


_FOLD_ODD = {"\u0130": "i", "\u0131": "i"}
_WORD_RUN = re.compile(r"\w+")


class _Matcher:
    """The lexicon's entries indexed: words by their exact text (keys with capitals) or folded
    text (keys without), with the lengths they come in; patterns as one regex (one group each)."""

    def __init__(self, entries: tuple[tuple[str, str, bool, str], ...]):
        self.exact: dict[str, list[int]] = {}
        self.folded: dict[str, list[int]] = {}
        self.keys: dict[int, str] = {}
        lengths: set[int] = set()
        patterns: list[int] = []
        for index, (key, _, is_pattern, _) in enumerate(entries):
            if is_pattern:
                patterns.append(index)
                continue
            if not key.islower() and any(ch.isupper() for ch in key):  # islower(): the quick no
                self.exact.setdefault(key, []).append(index)
            else:
                self.folded.setdefault(_fold(key), []).append(index)
                self.keys[index] = key
            lengths.add(len(key))
        self.lengths = sorted(lengths)
        self.pattern_index = patterns
        self.patterns = re.compile(_combined(tuple(entries[i] for i in patterns))) if patterns else None
        self.insensitive: dict[int, "re.Pattern[str]"] = {}  # compiled when first confirmed

    def matches(self, text: str) -> Iterator[tuple[int, int, int]]:
        """(start, end, entry index) of each hit, left to right, not overlapping."""
        n = len(text)
        word = bytearray(n + 1)  # word[i]: text[i] is a word character (re's \w)
        for m in _WORD_RUN.finditer(text):
            word[m.start() : m.end()] = b"\x01" * (m.end() - m.start())
        low = text.casefold() if text.isascii() else None
        pattern: tuple[int, int, int] | None = None  # the next pattern hit at or after pos
        searched = -1  # where that search started
        pos = 0
        while pos <= n:
            if self.patterns is not None and searched < pos and (pattern is None or pattern[0] < pos):
                pattern, searched = self._pattern_at_or_after(text, pos), pos
            stop = pattern[0] if pattern is not None else n
            hit: tuple[int, int, int] | None = None
            p = pos
            while p <= stop and p < n:
                if p == 0 or not word[p - 1]:
                    found = self._word_at(text, low, word, p)
                    if found is not None:
                        hit = (p, p + found[1], found[0])
                        break
                p += 1
            if pattern is not None and (hit is None or (hit[0] == pattern[0] and pattern[2] < hit[2])):
                hit = pattern  # a word found before the pattern's place wins; at the same place, the first entry
            if hit is None:
                return
            yield hit
            pos = hit[1]

    def _word_at(self, text: str, low: str | None, word: bytearray, p: int) -> tuple[int, int] | None:
        """(index, length) of the first word entry (by index) that matches at `p` as a whole
        word, if any."""
        n = len(text)
        best: tuple[int, int] | None = None
        for length in self.lengths:
            end = p + length
            if end > n:
                break
            if word[end] and end < n:
                continue  # it would end inside a word
            piece = text[p:end]
            exact = self.exact.get(piece)
            if exact and (best is None or exact[0] < best[0]):  # the first is the lowest
                best = (exact[0], length)
            folded = low[p:end] if low is not None else _fold(piece)
            for index in self.folded.get(folded, ()):
                if best is not None and index > best[0]:
                    break
                if self._confirm(index, piece):
                    best = (index, length)
                    break
        return best

    def _confirm(self, index: int, piece: str) -> bool:
        regex = self.insensitive.get(index)
        if regex is None:
            regex = self.insensitive[index] = re.compile("(?i:" + re.escape(self.keys[index]) + ")")
        return regex.fullmatch(piece) is not None

    def _pattern_at_or_after(self, text: str, pos: int) -> tuple[int, int, int] | None:
        assert self.patterns is not None
        while pos <= len(text):
            m = self.patterns.search(text, pos)
            if m is None:
                return None
            if m.end() > m.start():
                group = next(i for i, g in enumerate(m.groups()) if g is not None)
                return m.start(), m.end(), self.pattern_index[group]
            pos = m.start() + 1  # an empty hit (a pattern of lookarounds only) says nothing
        return None


@functools.lru_cache(maxsize=8)
def _matcher(entries: tuple[tuple[str, str, bool, str], ...]) -> _Matcher:
    return _Matcher(entries)


def _combined(entries: tuple[tuple[str, str, bool, str], ...]) -> str:
    """One regex for all entries, whole words only, each entry one group (in entry order)."""
    alternatives = []
    for key, _, is_pattern, _ in entries:
        body = _strip_groups(key) if is_pattern else re.escape(key)
        flags = "" if is_pattern or any(ch.isupper() for ch in key) else "(?i:"
        alternatives.append(f"({flags}{body}{')' if flags else ''})")
    return r"(?<![\w])(?:" + "|".join(alternatives) + r")(?![\w])"


def _whole_word(pattern: str) -> "re.Pattern[str]":
    """A pattern entry as its replacement is applied: its own groups, whole words."""
    return re.compile(rf"(?<![\w]){pattern}(?![\w])")


def _strip_groups(pattern: str) -> str:
    """Capturing groups, named ones too, made non-capturing, so each entry is one outer group
    of the combined regex (its replacement's \\1 or \\g<name> is applied by `_whole_word`)."""
    return re.sub(r"(?<!\\)\((?:\?P<\w+>)?(?!\?)", "(?:", pattern)


# Python's own regex parser, to read a pattern's structure: re's private modules since 3.11,
# sre_parse and sre_constants before.
_sre_parse: Any
_c: Any
try:
    _sre_parse, _c = importlib.import_module("re._parser"), importlib.import_module("re._constants")
except ImportError:  # Python 3.10
    _sre_parse, _c = importlib.import_module("sre_parse"), importlib.import_module("sre_constants")


def _parsed(pattern: str) -> list:
    """The pattern as Python's own regex parser sees it (a tree of (op, argument) pairs)."""
    return list(_sre_parse.parse(pattern))


def _backtracks(items: list, repeated: bool = False) -> bool:
    """True when matching can backtrack without bound: inside a repeat that can run many times
    (`repeated`), a repeat of variable length (`(a+)+`, `(.*,){12}`) or alternatives that can
    start alike (`(a|aa)+`); each lets the engine split the same text in exponentially many
    ways before it gives up.  A possessive repeat or an atomic group never backtracks."""
    c = _c
    for op, av in items:
        if op in (c.MAX_REPEAT, c.MIN_REPEAT):
            low, high, body = av
            variable = high > 1 and low != high
            if repeated and variable:
                return True
            if _backtracks(list(body), repeated or high > 1):
                return True
        elif op == c.SUBPATTERN:
            if _backtracks(list(av[-1]), repeated):
                return True
        elif op == c.BRANCH:
            branches = [list(b) for b in av[1]]
            firsts = [b[0] for b in branches if b]
            literal = len(firsts) == len(branches) and all(op == c.LITERAL for op, _ in firsts)
            distinct = literal and len({value for _, value in firsts}) == len(firsts)  # (foo|bar)+ is fine
            if repeated and not distinct:
                return True
            if any(_backtracks(b, repeated) for b in branches):
                return True
        elif op in (c.ASSERT, c.ASSERT_NOT):
            if _backtracks(list(av[1]), repeated):
                return True
        elif op == c.GROUPREF_EXISTS:
            if any(_backtracks(list(b), repeated) for b in av[1:] if b is not None):
                return True
    return False


def _pattern_problem(key: str, repl: str) -> str | None:
    """Why a pattern entry would fail where it is used (None: it will not): the regex must
    compile inside the lexicon's combined regex as one group, and the replacement expand
    against its groups.  re checks a replacement only when it substitutes, so it is expanded
    here against an empty match with the same groups."""
    try:
        re.compile(key)
    except re.error as exc:
        return f"lexicon pattern {key!r} is not a regular expression: {exc}"
    if _backtracks(_parsed(key)):
        return (
            f"lexicon pattern {key!r} can backtrack without bound (a repeat inside a repeat, or repeated "
            "alternatives that start alike, takes exponential time on some text): write it without one, "
            "or list the words under [words]"
        )
    if re.fullmatch(key, ""):
        return f"lexicon pattern {key!r} matches empty text: it must match at least one character"
    try:
        own = _whole_word(key)
        if re.compile(_combined(((key, repl, True, ""),))).groups != 1:
            return f"lexicon pattern {key!r} cannot be used in the lexicon: write its groups as (...)"
    except re.error as exc:  # global flags mid-pattern, a backreference: fine alone, not among the others
        return (
            f"lexicon pattern {key!r} cannot be used in the lexicon: {exc.msg} "  # (a position in ours, not the key)
            "(no backreferences, and (?i:...) rather than (?i))"
        )
    names = {index: name for name, index in own.groupindex.items()}
    empty = "".join(f"(?P<{names[i]}>)" if i in names else "()" for i in range(1, own.groups + 1))
    match = re.match(empty, "")
    assert match is not None  # empty groups match the empty string
    try:
        match.expand(repl)
    except (re.error, IndexError) as exc:  # IndexError: an unknown group name
        return f"lexicon pattern {key!r}: its replacement {repl!r} cannot be used: {exc}"
    return None


def parse(data: Mapping, source: str) -> Lexicon:
    entries: list[tuple[str, str, bool, str]] = []
    for table, is_pattern in (("words", False), ("patterns", True)):
        items = data.get(table, {})
        if not isinstance(items, Mapping):
            raise ConfigError(f'[{table}] must be a table of "word" = "how to say it"', file=source)
        for key, value in items.items():
            if not isinstance(value, str) or not value.strip():
                raise ConfigError(f"lexicon entry {key!r} must map to text", file=source)
            problem = _pattern_problem(key, value.strip()) if is_pattern else None
            if problem:
                raise ConfigError(problem, file=source)
            entries.append((key, value.strip(), is_pattern, source))
    unknown = set(data) - {"words", "patterns"}
    if unknown:
        raise ConfigError(
            f"unknown lexicon table(s) {', '.join(sorted(unknown))} (use [words] and [patterns])", file=source
        )
    # Longer words first, so "LPAE" is not read as "L" + "PAE".
    entries.sort(key=lambda e: (e[2], -len(e[0])))
    return Lexicon(tuple(entries))


_PHONEMES = re.compile(r"\[\[(.*?)\]\]", re.DOTALL)


def phoneme_problem(lexicon: Lexicon, phonemes: frozenset[str], voice: str) -> ConfigError | None:
    """The first entry whose `[[phonemes]]` the voice cannot say (empty, or a symbol that is not
    one of its `phonemes`: the engine would leave the word out of the speech), as an error naming
    the lexicon file and the key; None when every entry is sayable."""
    for key, repl, _, source in lexicon.entries:
        if "[[" not in repl:
            continue
        for m in _PHONEMES.finditer(repl):
            inner = m.group(1).strip()
            unknown = [c for c in dict.fromkeys(inner) if c not in phonemes and not c.isspace()]
            if inner and not unknown:
                continue
            why = (
                "are empty"
                if not inner
                else f"hold {', '.join(map(repr, unknown[:5]))}, not {'a phoneme' if len(unknown) == 1 else 'phonemes'}"
                f" voice {voice!r} can say"
            )
            return ConfigError(
                f"lexicon entry {key!r}: its phonemes {m.group(0)!r} {why} (the word would not be spoken; "
                f"write IPA the voice knows, or a respelling)",
                file=source,
            )
    return None


def load(path: Path) -> Lexicon:
    try:
        data = tomlfile.read(path, "lexicon")  # a regular file within the lexicon's size limit
    except FileNotFoundError:
        return Lexicon()
    return parse(data, str(path))


def show_lexicon(show_dir: Path | None) -> Lexicon:
    return load(show_dir / LEXICON_NAME) if show_dir is not None else Lexicon()
