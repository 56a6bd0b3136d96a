"""Descriptions may be written in HTML (the README allows it): one safe subset of it for the
pages and the feed, and plain text for what cannot carry markup (ID3 frames, share tags).

The sanitizer is nh3, the Python binding of Ammonia (Rust; a maintained allow-list
sanitizer built on html5ever): bleach, the older choice, is deprecated by its own authors.
Anything outside the subset is dropped (scripts and styles with their content, other tags
keeping their text), links keep only http(s) and mailto targets and get rel="noopener
noreferrer nofollow", and the result is well-formed, so it can go into CDATA as it is.

A `<` that starts no element a podcaster would write is text, escaped before nh3 sees it:
`Vec<T>`, `a<b and c>d`, `<![CDATA[`, `<template>` never closed are shown as written, not read
as markup that swallows the words after them.  The plain text (ID3 comments, share tags) is
the text of the sanitized HTML, so every output says the same words; dropped_text() names the
words sanitizing removes (a script's body, a style), for `podcast check` to warn about.
"""

from __future__ import annotations

import collections
import re
from html.parser import HTMLParser
from typing import TYPE_CHECKING

import nh3
from jinja2 import Environment, PackageLoader, select_autoescape

if TYPE_CHECKING:
    from .._config import ShowSettings
    from ..parse.script import EpisodeMeta

TAGS = frozenset(
    {"p", "br", "a", "b", "strong", "i", "em", "u", "s", "code", "pre", "blockquote", "ul", "ol", "li", "sup", "sub"}
)
ATTRIBUTES = {"a": {"href", "title"}}
SCHEMES = frozenset({"http", "https", "mailto"})


# The elements of HTML (WHATWG, with the obsolete ones people still type): a tag by another
# name (`<T>`, `<Enter>`, `<your-name>`) is text.
_ELEMENTS = frozenset(
    """a abbr acronym address area article aside audio b base bdi bdo big blockquote body br button
    canvas caption center cite code col colgroup data datalist dd del details dfn dialog div dl dt em
    embed fieldset figcaption figure font footer form h1 h2 h3 h4 h5 h6 head header hgroup hr html i
    iframe img input ins kbd label legend li link main map mark menu meta meter nav noscript object ol
    optgroup option output p param picture pre progress q rp rt ruby s samp script search section
    select slot small source span strike strong style sub summary sup table tbody td template
    textarea tfoot th thead time title tr track tt u ul var video wbr""".split()
)
# Elements complete without an end tag: void ones, and those whose end tag may be left out.
_UNCLOSED = frozenset(
    """area base br col embed hr img input link meta param source track wbr
    p li dt dd rt rp optgroup option colgroup caption thead tbody tfoot tr td th html head body""".split()
)
_TAG = re.compile(r"""<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+(?:"[^"]*"|'[^']*'|[^'"<>])*)?)\s*/?>""")


def escape_text(text: str) -> str:
    """`text` with each `<` that starts no markup written as `&lt;`.  Markup is a comment that
    ends, or a tag of an HTML element that is complete: an end tag, an element that needs none,
    or one closed by an end tag that closes no later one (`a<b and c>d, <b>bold</b>`: the
    first `<b` is text)."""
    last_comment_end = text.rfind("-->")
    text_at: list[int] = []
    open_at: dict[str, list[int]] = {}
    for lt in re.finditer("<", text):
        start = lt.start()
        tag = _TAG.match(text, start)
        name = tag.group(2).lower() if tag else ""
        if text.startswith("<!--", start):
            if last_comment_end < start + 4:
                text_at.append(start)
        elif tag is None or name not in _ELEMENTS:
            text_at.append(start)
        elif tag.group(1):
            if open_at.get(name):
                open_at[name].pop()
        elif name not in _UNCLOSED:
            open_at.setdefault(name, []).append(start)
    text_at += [start for starts in open_at.values() for start in starts]
    out, at = [], 0
    for start in sorted(text_at):
        out += [text[at:start], "&lt;"]
        at = start + 1
    return "".join(out) + text[at:]


def sanitize(text: str) -> str:
    """`text` (HTML, or plain text with & and <) as the safe subset: markup kept where it is
    allowed, a `<` that starts none shown as written, everything else escaped or removed.
    Safe to put in a page or in CDATA (it never contains "]]>": nh3 escapes every ">" in text)."""
    cleaned = nh3.clean(
        escape_text(text),
        tags=set(TAGS),
        attributes={k: set(v) for k, v in ATTRIBUTES.items()},
        url_schemes=set(SCHEMES),
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
    return cleaned.strip()


def paragraphs(text: str) -> str:
    """Show notes (_notes.show_notes: paragraphs between blank lines, chapter
    timestamps one a line) as HTML: each paragraph a <p> unless it is a block already, its
    other line breaks <br>.  Not sanitized: pass the result to sanitize() or plain_text()."""
    parts = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    marked = "".join(p if re.match(r"(?i)\s*<(p|ul|ol|pre|blockquote)\b", p) else f"<p>{p}</p>" for p in parts)
    return marked.replace("\n", "<br>\n")


# Elements whose end (or, for br, whose tag) breaks a line, and those whose content is no text.
_BREAKS = {"br", "p", "div", "li", "ul", "ol", "dl", "dt", "dd", "blockquote", "pre", "tr", "table", "hr"}
_BREAKS |= {"h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "header", "footer", "figure", "figcaption"}
_HIDDEN = {"script", "style", "template", "head", "title", "noscript"}


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in _HIDDEN:
            self.hidden += 1
        elif tag in _BREAKS:
            self.parts.append("\n")

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        if tag in _BREAKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in _BREAKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:  # white space, new lines included, is a space in HTML
            self.parts.append(re.sub(r"\s+", " ", data))


def plain_text(text: str, lines: bool = False) -> str:
    """The words of an HTML description as the pages and the feed show them: the text of
    sanitize(text), entities undone.  `lines`: each paragraph or line break a line of its own
    (ID3 comments); else one line (share tags, page summaries).  Plain text stays as it is, but
    for its white space ("Q&A", "x < y" and "Vec<T>" as written)."""
    parser = _Text()
    parser.feed(sanitize(text))
    parser.close()
    kept = (re.sub(" +", " ", line).strip() for line in "".join(parser.parts).split("\n"))
    return ("\n" if lines else " ").join(line for line in kept if line)


class _Words(HTMLParser):
    """Every character of text in HTML, a script's or a style's included (comments are not
    text), as a browser or nh3 joins it: tags between words are no space."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def _text(html: str) -> str:
    parser = _Words()
    parser.feed(html)
    parser.close()
    return "".join(parser.parts)


_TOKEN = re.compile(r"\w+|[^\w\s]")


def _dropped(before: list[str], after: list[str]) -> list[int]:
    """The indexes of `before` missing from `after`, which sanitizing made from it by taking
    text away: `after` matched in order (linear time; nh3 keeps the text it keeps in order),
    else, where the parser moved text (a table's), by count."""
    missing, j = [], 0
    for i, token in enumerate(before):
        if j < len(after) and after[j] == token:
            j += 1
        else:
            missing.append(i)
    if j == len(after):
        return missing
    spare = collections.Counter(before) - collections.Counter(after)
    out = []
    for i, token in enumerate(before):
        if spare[token] > 0:
            spare[token] -= 1
            out.append(i)
    return out


def dropped_text(text: str, limit: int = 80) -> str | None:
    """The text of `text` that sanitize() removes (a script's or a style's body, what an
    element it drops whole held), word by word and sign by sign, its runs joined by " … " and
    cut to `limit` characters; None when it removes only markup."""
    source = _text(escape_text(text))
    before = list(_TOKEN.finditer(source))
    missing = _dropped([t.group() for t in before], _TOKEN.findall(_text(sanitize(text))))
    runs: list[list[int]] = []
    for i in missing:
        if runs and runs[-1][-1] == i - 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    if not runs:
        return None
    shown = " … ".join(" ".join(source[before[r[0]].start() : before[r[-1]].end()].split()) for r in runs)
    return shown if len(shown) <= limit else shown[: limit - 1].rstrip() + "…"


# ---------------------------------------------------------------- warnings for `check` and the render

# The show's settings published as HTML (the feed, the pages) and as its text (the tags).
HTML_SETTINGS = ("description", "ai_disclosure_text")


def dropped_text_warning(key: str, text: str | None) -> str | None:
    """A warning naming `key` when publishing `text` removes words (the content of a script, a
    style or a template), not only markup: the feed, the pages and the tags would say less
    than was written."""
    dropped = dropped_text(text) if text else None
    if dropped is None:
        return None
    return (
        f"{key} loses {dropped!r} in the feed, the pages and the tags "
        "(what <script>, <style> and <template> hold is never published); write it as text or leave it out"
    )


def show_text_warnings(show: ShowSettings) -> list[str]:
    """dropped_text_warning() for the show's settings published as HTML, one line each."""
    found = (dropped_text_warning(f"show.{key}", getattr(show, key)) for key in HTML_SETTINGS)
    return [line for line in found if line]


def episode_text_warnings(meta: EpisodeMeta) -> list[str]:
    """dropped_text_warning() for the front matter's description."""
    line = dropped_text_warning("front matter 'description'", meta.description)
    return [line] if line else []


def templates(folder: str) -> Environment:
    """The Jinja environment the show's pages and the report page are drawn with: the package's
    `data/<folder>` templates, autoescaped, block tags leaving no blank lines."""
    return Environment(
        loader=PackageLoader("pipeline", f"data/{folder}"),
        autoescape=select_autoescape(["html.j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
