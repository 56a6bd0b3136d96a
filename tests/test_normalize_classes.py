"""Readings per class of written English (issue 21): tests/data/normalize/<class>.tsv.

Each file holds `written<TAB>spoken` rows (`#` starts a comment), written for this project
from the domain's rules (style guides for broadcast speech, text-normalization taxonomies),
at least 40 per class.  A row is read the way `podcast segments --spoken` reads a paragraph:
split into sentences, each normalized with the paragraph's own context, joined.

Conventions every table follows: American cardinals without "and" ("two hundred fifty"),
hyphens from twenty-one to ninety-nine; years in pairs ("twenty twenty-five", "nineteen oh
five", "two thousand five"); decimals digit by digit after "point" ("four point seven five");
zero in digit strings is "oh" (telephone numbers, ZIP codes, times), "zero" elsewhere;
letters said one by one are capitals separated by spaces ("U S B").
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.text.normalize import context_for
from pipeline.text.spoken import split_sentences, spoken_text

TABLES = sorted((Path(__file__).parent / "data" / "normalize").glob("*.tsv"))
MINIMUM = 40


def rows(path: Path) -> list[tuple[int, str, str]]:
    out = []
    for no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip() and not line.startswith("#"):
            written, _, said = line.partition("\t")
            out.append((no, written, said))
    return out


def read_aloud(written: str) -> str:
    """A paragraph as `podcast segments --spoken` says it."""
    context = context_for([written])
    return " ".join(spoken_text(s, context=context) for s in split_sentences(written))


CASES = [(p.stem, no, w, s) for p in TABLES for no, w, s in rows(p)]


def test_every_class_has_forty_cases():
    assert TABLES
    assert {p.stem: len(rows(p)) for p in TABLES if len(rows(p)) < MINIMUM} == {}


@pytest.mark.parametrize("cls, line, written, said", CASES, ids=[f"{c}:{n}: {w}" for c, n, w, _ in CASES])
def test_reading(cls, line, written, said):
    assert read_aloud(written) == said
