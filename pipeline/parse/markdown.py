"""Markdown scripts, parsed by a CommonMark parser (markdown-it-py): `#` title,
`##` chapters (ATX or setext), paragraphs, lists, quotes; code (fenced or
indented), tables, HTML blocks and comments, rules and link definitions are not
read aloud.

On top of CommonMark, the script extensions of every format (outline.py):
`[pause]` lines, `{written|spoken}` overrides and speaker labels (these
two stay in the text for the script loader).  Only structure and markup
removal happen here; what the voice says is decided by the spoken-text stage.
"""

from __future__ import annotations

import functools
import logging
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Sequence

from markdown_it import MarkdownIt
from markdown_it.token import Token

from ..errors import ScriptError
from .outline import (
    INLINE_OVERRIDE,
    PAUSE_LINE,
    Block,
    Outline,
    OutlineChapter,
    parse_pause,
    pause_marks,
    visible,
)

log = logging.getLogger(__name__)

# Sentences of a list: an item that does not end a sentence gets a full stop before the next.
_ENDS_SENTENCE = re.compile(r"[.!?:;,]['\"”’)]*$")
# A private-use plane, never in a script: placeholders that hold `{written|spoken}` overrides
# and `[pause]` lines away from the parser.
_HELD = 0xF0000
_HELD_RE = re.compile(r"[\U000F0000-\U000FFFFD]")
# Inline HTML tags a browser shows as a break between words (`x<br>y`, `a</p><p>b`): a space.
# Any other tag (`<span>`, `H<sub>2</sub>O`) and a comment join the words around them, as shown.
_BREAKING_TAG = re.compile(
    r"</?(?:br|hr|p|div|li|ul|ol|dl|dt|dd|table|thead|tbody|tr|td|th|h[1-6]|blockquote|pre|"
    r"section|article|header|footer|aside|nav|figure|figcaption|details|summary|address|main)\b",
    re.IGNORECASE,
)
# A tag's name; attributes that hold words for people (an image's description, a tooltip).
_TAG_NAME = re.compile(r"</?([A-Za-z][A-Za-z0-9-]*)")
_WORDY_ATTRIBUTE = re.compile(
    r"""\s(?:alt|title|value|placeholder|label|aria-label|content)\s*=\s*(?:"[^"]*[^\W\d_][^"]*"|'[^']*[^\W\d_][^']*'|[^\s"'=<>`]*[^\W\d_])""",
    re.IGNORECASE,
)
_UNCLOSED = "HTML comment is not closed (missing '-->'; one inside a paragraph ends at its blank line)"
# How deep the parser nests blocks (a quote is one level, a list two: the list and its item).
# CommonMark's preset says 20, where a list ten levels deep stops the parser and everything after
# it is silently gone.  50 reads 24 lists or 49 quotes inside one another; deeper is an error
# (see `_unread_line`), never a shorter episode.  (The parser's cost grows with the depth it
# allows: a hostile file nested this deep on every line costs about 1 s a megabyte.)
MAX_NESTING = 50
_TASK_BOX = re.compile(r"^\[[ xX]\][ \t]+(?=\S)")
_LIST_MARK = re.compile(r"(?:[-+*]|\d{1,9}[.)])(?=[ \t]|$)")
_CONTAINERS = {"blockquote_open", "bullet_list_open", "ordered_list_open", "list_item_open"}


@functools.lru_cache(maxsize=2)
def _parser(blocks: bool = False) -> MarkdownIt:
    """The CommonMark parser; `blocks`: the one for the document's blocks, which leaves their
    inline text unparsed (the builder parses it, with `{written|spoken}` held: see `_inline`)
    and nests as deep as MAX_NESTING.  Inline nesting (links in images) stays at the preset's
    20: past it markdown-it keeps the rest as text, so nothing is lost there, and its cost
    grows with the limit."""
    # Without text_join an escape (`\<`) or entity stays a token of its own, so an escaped
    # `\<!--` is not taken for an unclosed comment.
    # GFM tables are recognised so as to be skipped, not read as a run of cells and dashes.
    # Link definitions become tokens (with their lines), so every line read is accounted for.
    options = {"maxNesting": MAX_NESTING, "inline_definitions": True} if blocks else {}
    md = MarkdownIt("commonmark", options).enable(["strikethrough", "table"]).disable("text_join")
    return md.disable("inline") if blocks else md


def _unread_line(tokens: Sequence[Token], lines: Sequence[str]) -> int | None:
    """The first line (1-based) with something on it that no block token holds: text the
    parser passed over.  markdown-it stops reading at its nesting limit without a word (the
    rest of that quote or list item, and for a list everything after it in the file); every
    other line is in a block (a paragraph, heading, code, table, HTML, a rule or a link
    definition) or holds only the marks of a quote or list."""
    covered = bytearray(len(lines) + 1)
    for tok in tokens:
        if tok.map and tok.type not in _CONTAINERS:
            start, end = tok.map
            covered[start:end] = b"\x01" * (end - start)
    for n, line in enumerate(lines):
        if not covered[n] and not _only_marks(line):
            return n + 1
    return None


def _only_marks(line: str) -> bool:
    """The line holds only container marks (`>`, list bullets or numbers): nothing to read."""
    rest = line.lstrip(" \t>")
    while rest:
        mark = _LIST_MARK.match(rest)
        if mark is None:
            return False
        rest = rest[mark.end() :].lstrip(" \t>")
    return True


def _check_read_whole(tokens: Sequence[Token], lines: Sequence[str], path: Path) -> None:
    """Every line of the script is read, skipped on purpose, or this is an error at the first
    line that is not."""
    line = _unread_line(tokens, lines)
    if line is None:
        return
    if any(tok.nesting == 1 and tok.level >= MAX_NESTING - 1 for tok in tokens):
        raise ScriptError(
            path,
            f"lists and quotes nested too deeply to be read (at most {MAX_NESTING - 1} levels, each list "
            f"counting two, each quote one): the Markdown reader would drop this text; flatten the nesting",
            line,
        )
    raise ScriptError(path, "the Markdown reader passed over this line, so it would not be read", line)


def _hold(text: str, held: list[str] | None = None) -> tuple[str, list[str]]:
    """`{written|spoken}` overrides replaced by placeholders, so markup inside them stays as written."""
    held = [] if held is None else held

    def put(m: re.Match[str]) -> str:
        held.append(m.group(0))
        return chr(_HELD + len(held) - 1)

    return INLINE_OVERRIDE.sub(put, text), held


@functools.lru_cache(maxsize=1)
def html_elements() -> frozenset[str]:
    """The names of HTML elements (data/html-elements.txt)."""
    text = (resources.files("pipeline") / "data" / "html-elements.txt").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


def is_markup(html: str) -> bool:
    """Whether an inline HTML token is markup rather than words: a comment, a CDATA section, a
    declaration, a processing instruction, or the tag of an HTML element written as HTML is
    (`<b>`, `</SPAN>`, `<em class='x'>`).  CommonMark takes any `<word>` for a tag, but in a
    script `<Enter>`, `Vec<u8>`, `Option<T>`, `<your-name>` are words: a name that is no HTML
    element, or an element's name in mixed case or a single capital (`<Object>`, `<B>`, a
    type parameter), is text."""
    if html.startswith(("<!", "<?")):
        return True
    m = _TAG_NAME.match(html)
    if m is None:
        return True
    name = m.group(1)
    return name.lower() in html_elements() and (name.islower() or (name.isupper() and len(name) > 1))


def dropped_words(html: str) -> bool:
    """Whether markup that is not read holds words meant for people: a CDATA section, a
    processing instruction or a declaration, or a tag with an `alt`, `title`, `value`... text.
    (A comment is the author's note to self: not read, by design.)"""
    if html.startswith("<!--"):
        return False
    if html.startswith(("<![CDATA[", "<?", "<!")):
        return any(c.isalpha() for c in html[2:].removeprefix("[CDATA[").removeprefix("DOCTYPE"))
    return bool(_WORDY_ATTRIBUTE.search(html))


def _release(text: str, held: Sequence[str]) -> str:
    return _HELD_RE.sub(lambda m: held[ord(m.group(0)) - _HELD], text)


def _inline_text(children: Sequence[Token]) -> str:
    """The words of inline markup: emphasis, links and code keep their text; images, HTML tags
    and comments go; a `<word>` that is no HTML tag (see `is_markup`) is text."""
    out: list[str] = []
    for tok in children:
        if tok.type == "image":
            continue  # an image's alt text is not read
        if tok.type in ("text", "text_special", "code_inline"):
            out.append(tok.content)
        elif tok.type in ("softbreak", "hardbreak"):
            out.append(" ")
        elif tok.type == "html_inline" and not is_markup(tok.content):
            out.append(tok.content.replace("\n", " "))  # `<Enter\nKey>` over two lines: words
        elif tok.type == "html_inline" and _BREAKING_TAG.match(tok.content):
            out.append(" ")
    return "".join(out)


def _words(children: Sequence[Token], held: Sequence[str]) -> str:
    return re.sub(r"[ \t\u00a0]+", " ", _release(_inline_text(children), held)).strip()


def _inline(text: str, env: dict, held: list[str] | None = None) -> tuple[list[Token], list[str]]:
    """The inline tokens of `text`, its `{written|spoken}` overrides held (in `held`, if given)."""
    held_text, held = _hold(text, held)
    tokens = _parser().parseInline(held_text, env)
    return ((tokens[0].children or []) if tokens else []), held


def strip_inline(text: str, env: dict | None = None) -> str:
    """Markdown inline markup removed (by CommonMark's rules); the words stay.  `env`: the
    document's parse environment (its link reference definitions)."""
    children, held = _inline(text, env if env is not None else {})
    return _words(children, held)


def _unclosed_comment(children: Sequence[Token]) -> int | None:
    """Lines before an unclosed `<!--`, if one is in the text: markdown-it leaves a complete
    comment an html_inline token, an unclosed one text (one in a code span is code)."""
    lines = 0
    for tok in children:
        if tok.type == "text" and "<!--" in tok.content:
            return lines
        if tok.type in ("softbreak", "hardbreak"):
            lines += 1
        elif tok.type == "html_inline":
            lines += tok.content.count("\n")
    return None


@dataclass(frozen=True)
class _Text:
    words: str
    line: int
    end: int


@dataclass(frozen=True)
class _Pause:
    seconds: float
    line: int


def _text_token(content: str) -> Token:
    tok = Token("text", "", 0)
    tok.content = content
    return tok


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
        self.title_line: int | None = None
        self.chapters = [OutlineChapter(title=None, line=1)]
        self.para_end = -1  # the last line of the last paragraph (a list right below it joins it)

    def add_text(self, pieces: list[str], line: int, end: int | None = None, join: bool = False) -> None:
        """`end`: a paragraph's last line, for a list right below it to join; None for a list,
        which nothing joins (only a paragraph introduces a list)."""
        text = _join_sentences(pieces)
        if not text:
            return
        blocks = self.chapters[-1].blocks
        if join and blocks and blocks[-1].text is not None and self.para_end == line - 1:
            blocks[-1].text = _join_sentences([blocks[-1].text, text])
        else:
            blocks.append(Block(text=text, line=line))
        self.para_end = -1 if end is None else end

    def inline(self, text: str, line: int, held: list[str] | None = None) -> tuple[list[Token], list[str]]:
        """`_inline()`, an unclosed comment in the text an error at its line."""
        children, held = _inline(text, self.env, held)
        unclosed = _unclosed_comment(children)
        if unclosed is not None:
            raise ScriptError(self.path, _UNCLOSED, line + unclosed)
        at = line
        for tok in children:
            if tok.type == "image":
                alt = _release(tok.content, held)
                log.warning("%s:%d: image %r skipped (an image is not read aloud)", self.path, at, alt)
            elif tok.type == "html_inline" and is_markup(tok.content) and dropped_words(tok.content):
                shown = _release(tok.content, held)
                shown = shown if len(shown) <= 60 else shown[:57] + "..."
                log.warning("%s:%d: inline HTML %s skipped (its words are not read aloud)", self.path, at, shown)
            at += tok.type in ("softbreak", "hardbreak")
            at += tok.content.count("\n") if tok.type == "html_inline" else 0
        return children, held

    def runs(self, content: str, line: int) -> list[_Text | _Pause]:
        """A paragraph's words, split where a `[pause]` stands: on a line of its own or inside a
        line.  The text is parsed whole, each marker held as one placeholder: only one that
        CommonMark reads as text is a pause, not one inside a comment or code span."""
        lines = content.split("\n")
        held: list[str] = []
        marks: dict[str, tuple[int, bool]] = {}  # placeholder -> (its line (offset), alone on it?)
        for n, raw in enumerate(lines):
            found = pause_marks(raw)
            alone = len(found) == 1 and PAUSE_LINE.match(raw.strip()) is not None
            for m in reversed(found):
                held.append(m.group(0))
                mark = chr(_HELD + len(held) - 1)
                marks[mark] = (n, alone)
                raw = raw[: m.start()] + mark + raw[m.end() :]
            lines[n] = raw
        children, held = self.inline("\n".join(lines), line, held)
        out: list[_Text | _Pause] = []
        group: list[Token] = []
        first = 0
        for tok in children:
            if tok.type != "text" or not any(c in marks for c in tok.content):
                group.append(tok)
                continue
            pos = 0
            for k, c in enumerate(tok.content):
                if c not in marks:
                    continue
                at, alone = marks[c]
                group.append(_text_token(tok.content[pos:k]))
                if words := _words(group, held):
                    out.append(_Text(words, line + first, line + at - alone))
                seconds = parse_pause(held[ord(c) - _HELD], self.path, line + at)
                assert seconds is not None  # a PAUSE_MARK is a pause line on its own
                out.append(_Pause(seconds, line + at))
                group, first, pos = [], at + alone, k + 1
            group.append(_text_token(tok.content[pos:]))
        if words := _words(group, held):
            out.append(_Text(words, line + first, line + len(lines) - 1))
        return out

    def pause(self, run: _Pause) -> None:
        self.chapters[-1].blocks.append(Block(text=None, line=run.line, pause=run.seconds))

    def paragraph(self, content: str, line: int) -> None:
        """A paragraph, split where a `[pause]` line stands among its lines."""
        for run in self.runs(content, line):
            if isinstance(run, _Pause):
                self.pause(run)
            else:
                self.add_text([run.words], run.line, run.end)

    def html_block(self, tok: Token) -> tuple[str, int] | None:
        """Raw HTML is not read.  A comment block runs to the line with its `-->`; text after
        that on the line (which CommonMark keeps in the block) is returned with its line, to be
        read as text is where the block stands."""
        start, end = tok.map or (0, 0)
        if not tok.content.lstrip().startswith("<!--"):
            log.warning("%s:%d: HTML block skipped (raw HTML is not read aloud)", self.path, start + 1)
            return None
        if "-->" not in tok.content:
            raise ScriptError(self.path, _UNCLOSED, start + 1)
        rest = tok.content.split("-->", 1)[1].strip()
        return (rest, end) if rest else None

    def heading(self, tok: Token, inline: Token) -> None:
        line = (tok.map or (0, 0))[0] + 1
        level = int(tok.tag[1])
        children, held = self.inline(inline.content, line)
        text = _words(children, held)
        if not visible(text):
            raise ScriptError(self.path, "heading has no title", line)
        if level == 1 and self.title is None:
            self.title, self.title_line = text, line
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
        depth, j = 0, i
        items: list[tuple[bool, str, int]] = []  # (tight?, text, line): paragraphs, headings, text after a comment
        while j < len(tokens):
            tok = tokens[j]
            if tok.type in ("bullet_list_open", "ordered_list_open"):
                depth += 1
            elif tok.type in ("bullet_list_close", "ordered_list_close"):
                depth -= 1
                if depth == 0:
                    break
            elif tok.type == "paragraph_open":
                text = tokens[j + 1].content
                if tokens[j - 1].type == "list_item_open":  # `- [x] done`: a task list's box is not read
                    text = _TASK_BOX.sub("", text, count=1)
                items.append((tok.hidden, text, (tok.map or (0, 0))[0] + 1))
            elif tok.type == "heading_open":  # `- # Title`: shown as an item, so read as one
                line = (tok.map or (0, 0))[0] + 1
                log.warning("%s:%d: heading in a list is read as a list item, not a chapter", self.path, line)
                items.append((True, tokens[j + 1].content, line))
            elif tok.type in ("fence", "code_block"):
                self.code(tok)
            elif tok.type == "table_open":
                j = self.table(tokens, j)
            elif tok.type == "html_block" and (rest := self.html_block(tok)):
                items.append((True, *rest))
            j += 1
        if items and all(tight for tight, _, _ in items):
            # One paragraph of sentences, but a `[pause]` line under an item splits it there.
            pieces: list[str] = []
            first, join = 0, True
            for _, text, line in items:
                for run in self.runs(text, line):
                    if isinstance(run, _Text):
                        first = first if pieces else run.line
                        pieces.append(run.words)
                        continue
                    self.add_text(pieces, first, join=join)
                    self.pause(run)
                    pieces, join = [], False
            self.add_text(pieces, first, join=join)
        else:
            for _, text, line in items:
                self.paragraph(text, line)
        self.para_end = -1  # a list right below this one is another list, not joined to it
        return j + 1

    def table(self, tokens: list[Token], i: int) -> int:
        """A table cannot be read sensibly in a script (it is for show notes): skipped with a
        warning, as code is.  Returns the index of its table_close."""
        log.warning("%s:%d: table skipped (a table is not read aloud)", self.path, (tokens[i].map or (0, 0))[0] + 1)
        while tokens[i].type != "table_close":
            i += 1
        return i

    def code(self, tok: Token) -> None:
        line = (tok.map or (0, 0))[0] + 1
        if tok.type == "fence":
            if not _fence_closed(tok, self.lines):
                raise ScriptError(self.path, "code block is not closed", line)
            log.warning("%s:%d: fenced code block skipped (code is not read aloud)", self.path, line)
        else:
            log.warning("%s:%d: indented code block skipped (code is not read aloud)", self.path, line)


def parse(body: str, path: Path) -> Outline:
    lines = body.split("\n")
    env: dict = {}
    tokens = _parser(blocks=True).parse(body, env)
    _check_read_whole(tokens, lines, path)
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
            b.paragraph(tokens[i + 1].content, (tok.map or (0, 0))[0] + 1)
            i += 3
            continue
        if kind in ("bullet_list_open", "ordered_list_open"):
            i = b.list_block(tokens, i)
            continue
        if kind in ("fence", "code_block"):
            b.code(tok)
        elif kind == "table_open":
            i = b.table(tokens, i)
        elif kind == "html_block" and (rest := b.html_block(tok)):
            b.paragraph(*rest)
        # blockquote_open/close: its paragraphs are read as paragraphs; hr: nothing to read
        i += 1
    return Outline(title=b.title, chapters=b.chapters, title_line=b.title_line)


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
