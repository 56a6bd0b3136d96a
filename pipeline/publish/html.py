"""Descriptions may be written in HTML (the README allows it): one safe subset of it for the
pages and the feed, and plain text for what cannot carry markup (ID3 frames, share tags).

The sanitizer is nh3, the Python binding of Ammonia (Rust; a maintained allow-list
sanitizer built on html5ever): bleach, the older choice, is deprecated by its own authors.
Anything outside the subset is dropped (scripts and styles with their content, other tags
keeping their text), links keep only http(s) and mailto targets and get rel="noopener
noreferrer nofollow", and the result is well-formed, so it can go into CDATA as it is.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import nh3

TAGS = frozenset(
    {"p", "br", "a", "b", "strong", "i", "em", "u", "s", "code", "pre", "blockquote", "ul", "ol", "li", "sup", "sub"}
)
ATTRIBUTES = {"a": {"href", "title"}}
SCHEMES = frozenset({"http", "https", "mailto"})


def sanitize(text: str) -> str:
    """`text` (HTML, or plain text with & and <) as the safe subset: markup kept where it is
    allowed, everything else escaped or removed.  Safe to put in a page or in CDATA
    (it never contains "]]>": nh3 escapes every ">" in text)."""
    cleaned = nh3.clean(
        text,
        tags=set(TAGS),
        attributes={k: set(v) for k, v in ATTRIBUTES.items()},
        url_schemes=set(SCHEMES),
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
    return cleaned.strip()


def paragraphs(text: str) -> str:
    """Show notes (publish/showmeta.show_notes: paragraphs between blank lines, chapter
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
    """The words of an HTML description without markup: tags gone (script and style with their
    content), entities undone.  `lines`: each paragraph or line break a line of its own (ID3
    comments); else one line (share tags, page summaries).  Plain text stays as it is, but for its
    white space ("Q&A", "x < y" and "a <b> tag" as HTML reads them)."""
    parser = _Text()
    parser.feed(text)
    parser.close()
    kept = (re.sub(" +", " ", line).strip() for line in "".join(parser.parts).split("\n"))
    return ("\n" if lines else " ").join(line for line in kept if line)
