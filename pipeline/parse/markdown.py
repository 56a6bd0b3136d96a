"""Markdown scripts, parsed by a CommonMark parser (markdown-it-py): `#` title,
`##` chapters (ATX or setext), paragraphs, lists, quotes; code (fenced or
indented), HTML blocks, rules and link definitions are not read aloud.

On top of CommonMark, the script extensions of every format (outline.py):
`[pause]` lines, `{written|spoken}` overrides and speaker labels (these
two stay in the text for the script loader).  Only structure and markup
removal happen here; what the voice says is decided by the spoken-text stage.
"""

from __future__ import annotations

import functools
import logging
import re
from pathlib import Path
from typing import Sequence

from markdown_it import MarkdownIt
from markdown_it.token import Token

from ..errors import ScriptError
from .outline import INLINE_OVERRIDE, Block, Outline, OutlineChapter, parse_pause

log = logging.getLogger(__name__)

# Sentences of a list: an item that does not end a sentence gets a full stop before the next.
_ENDS_SENTENCE = re.compile(r"[.!?:;,]['\"”’)]*$")
_HELD = 0xF0000  # a private-use plane: never in a script; holds `{written|spoken}` away from the parser
_HELD_RE = re.compile(r"[\U000F0000-\U000FFFFD]")


@functools.lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark").enable("strikethrough")


def _hold(text: str) -> tuple[str, list[str]]:
    """`{written|spoken}` overrides replaced by placeholders, so markup inside them stays as written."""
    held: list[str] = []

    def put(m: re.Match[str]) -> str:
        held.append(m.group(0))
        return chr(_HELD + len(held) - 1)

    return INLINE_OVERRIDE.sub(put, text), held


def _release(text: str, held: Sequence[str]) -> str:
    return _HELD_RE.sub(lambda m: held[ord(m.group(0)) - _HELD], text)


def _inline_text(children: Sequence[Token]) -> str:
    """The words of inline markup: emphasis, links and code keep their text; images and HTML go."""
    out: list[str] = []
    for tok in children:
        if tok.type == "image":
            continue  # an image's alt text is not read
        if tok.type in ("text", "code_inline"):
            out.append(tok.content)
        elif tok.type in ("softbreak", "hardbreak"):
            out.append(" ")
    return "".join(out)


def strip_inline(text: str, env: dict | None = None) -> str:
    """Markdown inline markup removed (by CommonMark's rules); the words stay.  `env`: the
    document's parse environment (its link reference definitions)."""
    held_text, held = _hold(text)
    tokens = _parser().parseInline(held_text, env if env is not None else {})
    words = _inline_text(tokens[0].children or []) if tokens else ""
    return re.sub(r"[ \t\u00a0]+", " ", _release(words, held)).strip()


def _strip_comments(text: str, path: Path) -> str:
    """HTML comments removed, newlines kept so line numbers stay true."""

    def blank(m: re.Match[str]) -> str:
        return "\n" * m.group(0).count("\n")

    text = re.sub(r"<!--.*?-->", blank, text, flags=re.DOTALL)
    if "<!--" in text:
        line = text[: text.index("<!--")].count("\n") + 1
        raise ScriptError(path, "HTML comment is not closed (missing '-->')", line)
    return text


def _fence_closed(tok: Token, lines: list[str]) -> bool:
    start, end = tok.map or (0, 0)
    char, size = tok.markup[0], len(tok.markup)
    for line in lines[start + 1 : end]:
        stripped = line.strip()
        if len(stripped) >= size and set(stripped) == {char}:
            return True
    return False


class _Builder:
    """Walks the block tokens and fills in the outline."""

    def __init__(self, path: Path, lines: list[str], env: dict):
        self.path = path
        self.env = env
        self.lines = lines
        self.title: str | None = None
        self.chapters = [OutlineChapter(title=None, line=1)]
        self.last_end = -1  # the line after the last paragraph (a list right below it joins it)

    def add_text(self, pieces: list[str], line: int, end: int, join: bool = False) -> None:
        text = _join_sentences(pieces)
        if not text:
            return
        blocks = self.chapters[-1].blocks
        if join and blocks and blocks[-1].text is not None and self.last_end == line - 1:
            blocks[-1].text = _join_sentences([blocks[-1].text, text])
        else:
            blocks.append(Block(text=text, line=line))
        self.last_end = end

    def paragraph(self, inline: Token, line: int, join: bool = False) -> None:
        """A paragraph's lines, split where a `[pause]` line stands among them."""
        group: list[str] = []
        group_line = line
        for n, raw in enumerate(inline.content.split("\n"), start=line):
            pause = parse_pause(raw, self.path, n)
            if pause is None:
                if not group:
                    group_line = n
                group.append(raw)
                continue
            if group:
                self.add_text([strip_inline("\n".join(group), self.env)], group_line, n - 1, join)
                group = []
            self.chapters[-1].blocks.append(Block(text=None, line=n, pause=pause))
        if group:
            end = line + inline.content.count("\n")
            self.add_text([strip_inline("\n".join(group), self.env)], group_line, end, join)

    def heading(self, tok: Token, inline: Token) -> None:
        line = (tok.map or (0, 0))[0] + 1
        level = int(tok.tag[1])
        text = strip_inline(inline.content, self.env)
        if not text:
            raise ScriptError(self.path, "heading has no title", line)
        if level == 1 and self.title is None:
            self.title = text
        elif level <= 2:
            self.chapters.append(OutlineChapter(title=text, line=line))
        else:
            log.warning(
                "%s:%d: heading level %d %r is not read aloud (use ## for chapters)", self.path, line, level, text
            )

    def list_block(self, tokens: list[Token], i: int) -> int:
        """A list: a tight one is one paragraph of sentences (joined to the paragraph right
        above it); in a loose one each item's paragraphs are paragraphs.  Returns the index
        after the list."""
        opener = tokens[i]
        depth, j = 0, i
        items: list[tuple[Token, Token]] = []
        while j < len(tokens):
            tok = tokens[j]
            if tok.type in ("bullet_list_open", "ordered_list_open"):
                depth += 1
            elif tok.type in ("bullet_list_close", "ordered_list_close"):
                depth -= 1
                if depth == 0:
                    break
            elif tok.type == "paragraph_open":
                items.append((tok, tokens[j + 1]))
            elif tok.type in ("fence", "code_block"):
                self.code(tok)
            j += 1
        start = (opener.map or (0, 0))[0] + 1
        end = (opener.map or (0, 0))[1]
        if items and all(p.hidden for p, _ in items):  # tight
            pieces = [strip_inline(inline.content, self.env) for _, inline in items]
            self.add_text(pieces, start, end, join=True)
        else:
            for p, inline in items:
                self.paragraph(inline, (p.map or (0, 0))[0] + 1)
        return j + 1

    def code(self, tok: Token) -> None:
        line = (tok.map or (0, 0))[0] + 1
        if tok.type == "fence":
            if not _fence_closed(tok, self.lines):
                raise ScriptError(self.path, "code block is not closed", line)
            log.warning("%s:%d: fenced code block skipped (code is not read aloud)", self.path, line)
        else:
            log.warning("%s:%d: indented code block skipped (code is not read aloud)", self.path, line)


def parse(body: str, path: Path) -> Outline:
    text = _strip_comments(body, path)
    lines = text.split("\n")
    env: dict = {}
    tokens = _parser().parse(text, env)
    b = _Builder(path, lines, env)
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        kind = tok.type
        if kind == "heading_open":
            b.heading(tok, tokens[i + 1])
            i += 3
            continue
        if kind == "paragraph_open":
            b.paragraph(tokens[i + 1], (tok.map or (0, 0))[0] + 1)
            i += 3
            continue
        if kind in ("bullet_list_open", "ordered_list_open"):
            i = b.list_block(tokens, i)
            continue
        if kind in ("fence", "code_block"):
            b.code(tok)
        elif kind == "html_block":
            log.debug("%s:%d: HTML block skipped", path, (tok.map or (0, 0))[0] + 1)
        # blockquote_open/close: its paragraphs are read as paragraphs; hr: nothing to read
        i += 1
    return Outline(title=b.title, chapters=b.chapters)


def _join_sentences(pieces: list[str]) -> str:
    """Pieces of text (list items) as one line; each piece a sentence of its own."""
    out: list[str] = []
    for piece in pieces:
        piece = piece.strip()
        if not piece:
            continue
        if out and not _ENDS_SENTENCE.search(out[-1]):
            out[-1] += "."
        out.append(piece)
    return " ".join(out)
