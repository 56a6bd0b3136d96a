"""Markdown scripts: `#` title, `##` chapters, paragraphs, `[pause]` lines.

Only structure and markup removal happen here; what the voice says is
decided by the spoken-text stage.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from .errors import ScriptError
from .script import Block, Draft, DraftChapter, parse_pause

log = logging.getLogger(__name__)

HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d{1,3}[.)])\s+")
QUOTE = re.compile(r"^\s*>\s?")
REFERENCE_DEF = re.compile(r"^\s{0,3}\[[^\]]+\]:\s+\S+")
RULE = re.compile(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$")

_INLINE = [
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), ""),  # images are not read
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # [text](url) reads "text"
    (re.compile(r"\[([^\]]+)\]\[[^\]]*\]"), r"\1"),  # [text][ref]
    (re.compile(r"<((?:https?|mailto):[^>\s]+)>"), r"\1"),  # autolinks
    (re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>"), ""),  # inline HTML tags
    (re.compile(r"(`+)(.+?)\1"), r"\2"),  # inline code keeps its text
    (re.compile(r"(?<![\w*])(\*\*|__)(?=\S)(.+?)(?<=\S)\1(?![\w*])"), r"\2"),  # strong
    (re.compile(r"(?<![\w*])([*_])(?=[^\s*_])(.+?)(?<=[^\s*_])\1(?![\w*])"), r"\2"),  # emphasis
    (re.compile(r"~~(?=\S)(.+?)(?<=\S)~~"), r"\1"),
]
# Backslash-escaped characters are set aside before the markup rules run.
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|~<>])")
_HELD = 0xF0000  # a private-use plane: never in a script


def strip_inline(text: str) -> str:
    """Markdown inline markup removed; the words stay."""
    text = _ESCAPE.sub(lambda m: chr(_HELD + ord(m.group(1))), text)
    for pattern, repl in _INLINE:
        text = pattern.sub(repl, text)
    text = re.sub(r"[\U000F0000-\U000F00FF]", lambda m: chr(ord(m.group(0)) - _HELD), text)
    return re.sub(r"[ \t\u00a0]+", " ", text).strip()


def _strip_comments(text: str, path: Path) -> str:
    """HTML comments removed, newlines kept so line numbers stay true."""
    def blank(m: re.Match) -> str:
        return "\n" * m.group(0).count("\n")

    text = re.sub(r"<!--.*?-->", blank, text, flags=re.DOTALL)
    if "<!--" in text:
        line = text[: text.index("<!--")].count("\n") + 1
        raise ScriptError(path, "HTML comment is not closed (missing '-->')", line)
    return text


def parse(body: str, path: Path) -> Draft:
    lines = _strip_comments(body, path).split("\n")
    title: str | None = None
    chapters = [DraftChapter(title=None, line=1)]
    paragraph: list[str] = []
    para_line = 0
    fence: str | None = None
    fence_line = 0

    def flush() -> None:
        nonlocal paragraph
        if paragraph:
            text = strip_inline(_join(paragraph))
            if text:
                chapters[-1].blocks.append(Block(text=text, line=para_line))
        paragraph = []

    for n, raw in enumerate(lines, start=1):
        line = raw.rstrip()
        if fence is not None:
            if line.strip().startswith(fence):
                fence = None
            continue
        m = FENCE.match(line)
        if m:
            flush()
            fence, fence_line = m.group(1)[0] * 3, n
            log.warning("%s:%d: fenced code block skipped (code is not read aloud)", path, n)
            continue
        if not line.strip():
            flush()
            continue
        h = HEADING.match(line)
        if h:
            flush()
            level, text = len(h.group(1)), strip_inline(h.group(2))
            if not text:
                raise ScriptError(path, "heading has no title", n)
            if level == 1 and title is None:
                title = text
            elif level <= 2:
                chapters.append(DraftChapter(title=text, line=n))
            else:
                log.warning("%s:%d: heading level %d %r is not read aloud (use ## for chapters)", path, n, level, text)
            continue
        pause = parse_pause(line, path, n)
        if pause is not None:
            flush()
            chapters[-1].blocks.append(Block(text=None, line=n, pause=pause))
            continue
        if RULE.match(line) or REFERENCE_DEF.match(line):
            flush()
            continue
        if not paragraph:
            para_line = n
        paragraph.append(line)
    if fence is not None:
        raise ScriptError(path, "code block is not closed", fence_line)
    flush()
    return Draft(title=title, chapters=chapters)


def _join(lines: list[str]) -> str:
    """One paragraph's lines as one line; list items become sentences of their own."""
    out: list[str] = []
    for line in lines:
        item = LIST_ITEM.match(line)
        line = QUOTE.sub("", line)
        line = LIST_ITEM.sub("", line).strip()
        if item and out and not re.search(r"[.!?:;,]['\"”’)]*$", out[-1]):
            out[-1] += "."
        out.append(line)
    return " ".join(x for x in out if x)
