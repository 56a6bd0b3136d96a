"""What the whole episode decides (`Context`), the guesses reported to `podcast check`, and the rule type."""

from __future__ import annotations

import contextvars
import hashlib
import re
from dataclasses import dataclass
from typing import Callable, NamedTuple


class Rule(NamedTuple):
    """A rule: a pattern and what its match is said as; `needs` is a set of characters the pattern
    cannot match without (a piece with none of them is not searched)."""

    name: str
    pattern: "re.Pattern[str]"
    say: Callable[[re.Match], str]
    needs: str = ""


@dataclass(frozen=True)
class Context:
    """What the whole episode decides: which dotted numbers are versions, and the show's domain."""

    dotted: str = "auto"  # "auto": versions by prefix, tag, two dots, or elsewhere in the episode; "version"; "decimal"
    versions: frozenset[str] = frozenset()  # dotted numbers that are versions somewhere in the episode
    year_month: frozenset[str] = frozenset()  # of those, releases named by year and month (Ubuntu 24.04)

    def key(self) -> str:
        blob = f"{self.dotted}\x00{','.join(sorted(self.versions))}\x00{','.join(sorted(self.year_month))}"
        return hashlib.sha256(blob.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Guess:
    """A token read by a rule's guess rather than a table: `podcast check` lists these."""

    token: str
    reading: str
    why: str


_CONTEXT: contextvars.ContextVar[Context] = contextvars.ContextVar("normalize_context", default=Context())  # noqa: B039 (frozen)


_GUESSES: contextvars.ContextVar[list | None] = contextvars.ContextVar("normalize_guesses", default=None)


def _guess(token: str, reading: str, why: str) -> None:
    guesses = _GUESSES.get()
    if guesses is not None:
        guesses.append(Guess(token, reading, why))
