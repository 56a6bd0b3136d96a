"""Plain-text transcripts, as exported from a show's web page.

The first non-empty line is the title.  A paragraph that is one short line
with no closing punctuation, not opening with a quote or bracket, is a
chapter heading; every other paragraph is a segment.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterator

from .outline import Block, Outline, OutlineChapter, parse_pause

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
        elif is_heading(paragraph):
            chapters.append(OutlineChapter(title=paragraph[0], line=line_no))
        else:
            chapters[-1].blocks.append(Block(text=" ".join(paragraph), line=line_no))
    return Outline(title=title, chapters=chapters)


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
