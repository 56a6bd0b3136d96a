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

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from .. import tomlfile
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

    def split(self, text: str) -> list[tuple[bool, str]]:
        """[(protected, text)]: lexicon hits (already replaced) and the plain text between them."""
        compiled = _compile(self.entries)
        if compiled is None:
            return [(False, text)]
        out: list[tuple[bool, str]] = []
        pos = 0
        for m in compiled.regex.finditer(text):
            index = next(i for i, g in enumerate(m.groups()) if g is not None)
            key, repl, is_pattern, _ = self.entries[index]
            out.append((False, text[pos : m.start()]))
            if is_pattern:
                replaced = _whole_word(key).sub(repl, m.group(0))
            else:
                replaced = repl
            out.append((True, replaced))
            pos = m.end()
        out.append((False, text[pos:]))
        return [(p, t) for p, t in out if t]


@dataclass(frozen=True)
class _Compiled:
    regex: "re.Pattern[str]"  # one group per entry, in entry order


_CACHE: dict[tuple, _Compiled | None] = {}


def _compile(entries: tuple[tuple[str, str, bool, str], ...]) -> _Compiled | None:
    if entries in _CACHE:
        return _CACHE[entries]
    if not entries:
        _CACHE[entries] = None
        return None
    regex = re.compile(_combined(entries))
    compiled = _Compiled(regex)
    _CACHE[entries] = compiled
    return compiled


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


def _pattern_problem(key: str, repl: str) -> str | None:
    """Why a pattern entry would fail where it is used (None: it will not): the regex must
    compile inside the lexicon's combined regex as one group, and the replacement expand
    against its groups.  re checks a replacement only when it substitutes, so it is expanded
    here against an empty match with the same groups."""
    try:
        re.compile(key)
    except re.error as exc:
        return f"lexicon pattern {key!r} is not a regular expression: {exc}"
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


def load(path: Path) -> Lexicon:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Lexicon()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read lexicon: {exc}") from None
    data = tomlfile.parse(text, path)
    return parse(data, str(path))


def show_lexicon(show_dir: Path | None) -> Lexicon:
    return load(show_dir / LEXICON_NAME) if show_dir is not None else Lexicon()
