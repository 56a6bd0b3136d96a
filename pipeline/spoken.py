"""The spoken-text stage: script text to what the voice reads.

Pure functions, no I/O.  `{written|spoken}` overrides pass through untouched;
everything else has unpronounceable symbols (emoji, dingbats, stray markup
characters) dropped and typography made plain.  Number, version and
identifier normalization plugs in here as `normalize` rules.
"""

from __future__ import annotations

import dataclasses
import logging
import re
import unicodedata

from .script import INLINE_OVERRIDE, Script, Segment

log = logging.getLogger(__name__)

# Categories a voice cannot pronounce: other/modifier symbols (emoji, dingbats),
# format and private-use characters.
_DROP_CATEGORIES = {"So", "Sk", "Cf", "Co", "Cn", "Cs"}
_DROP_CHARS = set("*_#|~^`\\\ufe0e\ufe0f")
_TYPOGRAPHY = str.maketrans({
    "“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‘": "'", "’": "'", "‚": "'",
    "–": " - ", "—": ", ", "―": ", ", "…": "...", "\u00a0": " ", "\u2009": " ", "\u202f": " ",
})
# A sentence ends at . ! ? (and closing quotes/brackets) followed by space and
# what can start a sentence.
_SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"')\]]))\s+(?=[\"'(\[]?[A-Z0-9])")


def speakable(text: str) -> str:
    """`text` with nothing a voice would stumble over; overrides excluded."""
    text = unicodedata.normalize("NFC", text).translate(_TYPOGRAPHY)
    kept: list[str] = []
    dropped: list[str] = []
    for ch in text:
        if ch in _DROP_CHARS or unicodedata.category(ch) in _DROP_CATEGORIES:
            dropped.append(ch)
            kept.append(" ")
        elif unicodedata.category(ch) == "Cc":
            kept.append(" ")
        else:
            kept.append(ch)
    if dropped:
        log.debug("dropped unpronounceable characters: %s", " ".join(sorted(set(dropped))))
    out = re.sub(r"\s+", " ", "".join(kept))
    return re.sub(r"\s+([,.;:!?])", r"\1", out).strip()


def spoken_text(source: str) -> str:
    """Script source to spoken text: overrides verbatim, the rest made speakable."""
    parts: list[str] = []
    pos = 0
    for m in INLINE_OVERRIDE.finditer(source):
        parts.append(speakable(source[pos : m.start()]))
        parts.append(" ".join(m.group(2).split()))
        pos = m.end()
    parts.append(speakable(source[pos:]))
    return " ".join(p for p in parts if p).replace(" ,", ",").strip()


def split_sentences(text: str) -> tuple[str, ...]:
    return tuple(s.strip() for s in _SENTENCE_END.split(text) if s.strip())


def speak_segment(segment: Segment) -> Segment:
    spoken = spoken_text(segment.source)
    return dataclasses.replace(segment, spoken=spoken, sentences=split_sentences(spoken))


def speak(script: Script) -> Script:
    """Stage: fill in every segment's spoken text and sentences."""
    return script.replace_segments({s.id: speak_segment(s) for s in script.segments})
