"""Plain-text transcripts, as exported from a show's web page.

The first non-empty line is the title.  A paragraph that is one short line
with no closing punctuation, not opening with a quote or bracket, is a
chapter heading; every other paragraph is a segment.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterator

from .outline import Block, Outline, OutlineChapter, parse_pause, pause_marks

HEADING_MAX_CHARS = 60
HEADING_MAX_WORDS = 8
CLOSING = tuple(".!?:;,…*\"'”’)]")
OPENING = tuple("\"'“‘([{<«„")
# Non-breaking and other odd spaces read as ordinary spaces.
SPACES = re.compile(r"[\u00a0\u2000-\u200a\u202f\u205f\u3000\t]+")


def is_heading(paragraph: list[str]) -> bool:
    if len(paragraph) != 1:
        return False
    line = paragraph[0]
    return (
        len(line) <= HEADING_MAX_CHARS
        and len(line.split()) <= HEADING_MAX_WORDS
        and not line.endswith(CLOSING)
        and not line.startswith(OPENING)
    )


def parse(text: str, path: Path) -> Outline:
    title: str | None = None
    chapters = [OutlineChapter(title=None, line=1)]
    for line_no, paragraph in _paragraphs(text):
        if title is None:
            title, paragraph = paragraph[0], paragraph[1:]
            line_no += 1
            if not paragraph:
                continue
        pause = parse_pause(paragraph[0], path, line_no) if len(paragraph) == 1 else None
        if pause is not None:
            chapters[-1].blocks.append(Block(text=None, line=line_no, pause=pause))
        elif is_heading(paragraph) and not pause_marks(paragraph[0]):
            chapters.append(OutlineChapter(title=paragraph[0], line=line_no))
        else:
            chapters[-1].blocks += _split_at_pauses(paragraph, line_no, path)
    return Outline(title=title, chapters=chapters)


def _split_at_pauses(paragraph: list[str], line_no: int, path: Path) -> list[Block]:
    """A paragraph's text and pauses: a `[pause]` on a line of its own or inside a line splits
    it there (never read aloud)."""
    blocks: list[Block] = []
    words: list[str] = []
    first = line_no
    for n, line in enumerate(paragraph, start=line_no):
        pos = 0
        for m in pause_marks(line):
            words.append(line[pos : m.start()])
            if " ".join(words).strip():
                blocks.append(Block(text=" ".join(" ".join(words).split()), line=first))
            seconds = parse_pause(m.group(0), path, n)
            assert seconds is not None  # a PAUSE_MARK is a pause line on its own
            blocks.append(Block(text=None, line=n, pause=seconds))
            words, first, pos = [], n, m.end()
        rest = line[pos:]
        if rest.strip():
            if not words:
                first = n
            words.append(rest)
    if " ".join(words).strip():
        blocks.append(Block(text=" ".join(" ".join(words).split()), line=first))
    return blocks


def _paragraphs(text: str) -> Iterator[tuple[int, list[str]]]:
    """(first line number, [stripped lines]) for each blank-line separated paragraph."""
    current: list[str] = []
    start = 0
    for n, raw in enumerate(text.split("\n"), start=1):
        line = SPACES.sub(" ", raw).strip()
        if line:
            if not current:
                start = n
            current.append(line)
        elif current:
            yield start, current
            current = []
    if current:
        yield start, current
