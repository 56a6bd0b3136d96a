"""Descriptions may be written in HTML (the README allows it): one safe subset of it for the
pages and the feed, and plain text for what cannot carry markup (ID3 frames, share tags).

The sanitizer is nh3, the Python binding of Ammonia (Rust; a maintained allow-list
sanitizer built on html5ever): bleach, the older choice, is deprecated by its own authors.
Anything outside the subset is dropped (scripts and styles with their content, other tags
keeping their text), links keep only http(s) and mailto targets and get rel="noopener
noreferrer nofollow", and the result is well-formed, so it can go into CDATA as it is.
"""

from __future__ import annotations

import html as _html
import re

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


_BREAKS = re.compile(r"(?i)<\s*(br|/p|/li|/blockquote|/pre|/ul|/ol)\b[^>]*>")


def plain_text(text: str) -> str:
    """The words of an HTML description, without markup (for ID3 comments, chapter frames and
    share tags): paragraphs and line breaks become spaces, entities become characters."""
    spaced = _BREAKS.sub(lambda m: m.group(0) + " ", text)
    stripped = nh3.clean(spaced, tags=set(), strip_comments=True)
    return " ".join(_html.unescape(stripped).split())
