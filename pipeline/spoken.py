"""The spoken-text stage: script text to what the voice reads.

Pure functions, no I/O.  Each paragraph is split into sentences on the
script text (so every spoken sentence has its written sentence, for
transcripts), then each sentence goes: `{written|spoken}` overrides
verbatim; else the lexicon; else the normalization rules (numbers, versions,
identifiers, acronyms); and last, anything still unpronounceable (emoji,
stray symbols) is dropped.
"""

from __future__ import annotations

import dataclasses
import logging
import re
import unicodedata
from typing import Mapping

from .lexicon import Lexicon
from .normalize import ABBREVIATIONS, normalize
from .script import INLINE_OVERRIDE, Script, Segment

log = logging.getLogger(__name__)

# Categories a voice cannot pronounce: other/modifier symbols (emoji, dingbats),
# format and private-use characters.
DROPPED_CATEGORIES = {"So", "Sk", "Cf", "Co", "Cn", "Cs"}
DROPPED_CHARS = set("*_#|~^`\\{}<>\ufe0e\ufe0f")
TYPOGRAPHY = str.maketrans({
    "“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‘": "'", "’": "'", "‚": "'",
    "—": ", ", "―": ", ", "…": "...", "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u2011": "-",
})
# Words after which a full stop does not end the sentence.
_NO_BREAK = {a.rstrip(".").lower() for a in ABBREVIATIONS} | {"no", "st", "vol", "fig", "approx", "ca"}


def speakable(text: str) -> str:
    """`text` with nothing a voice would stumble over: typography made plain, emoji and symbols dropped."""
    text = unicodedata.normalize("NFC", text).translate(TYPOGRAPHY)
    kept: list[str] = []
    dropped: list[str] = []
    for ch in text:
        if ch in DROPPED_CHARS or unicodedata.category(ch) in DROPPED_CATEGORIES:
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


def spoken_text(source: str, lexicon: Lexicon = Lexicon()) -> str:
    """One piece of script source to spoken text: overrides, then lexicon, then rules."""
    parts: list[str] = []
    pos = 0
    for m in INLINE_OVERRIDE.finditer(source):
        parts += _plain(source[pos: m.start()], lexicon)
        parts.append(" ".join(m.group(2).split()))
        pos = m.end()
    parts += _plain(source[pos:], lexicon)
    text = " ".join(p for p in parts if p)
    text = re.sub(r"\s+([,.;:!?])", r"\1", text)
    text = re.sub(r"([,;:])\1+", r"\1", text)
    return re.sub(r"^[\s,.;:]+", "", text).strip()


def _plain(text: str, lexicon: Lexicon) -> list[str]:
    # Typography first, so the rules see plain quotes and dashes.
    text = unicodedata.normalize("NFC", text).translate(TYPOGRAPHY)
    out = []
    for protected, piece in lexicon.split(text):
        if protected:
            out.append(" ".join(piece.split()))
        else:
            lead = re.match(r"\s*([,;:.!?])", piece)  # punctuation right after a protected word stays
            out.append((lead.group(1) + " " if lead else "") + speakable(normalize(piece)))
    return out


def split_sentences(text: str) -> tuple[str, ...]:
    """Sentences of script text: a break after . ! ? and space before what can start a
    sentence, but not after an abbreviation, an initial, or inside `{...}`."""
    sentences: list[str] = []
    start = 0
    for m in re.finditer(r"[.!?]+[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9{])", text):
        before = text[start: m.start() + 1]
        word = re.search(r"(\S+)$", before)
        last = word.group(1).rstrip(".!?").lstrip("\"'“‘([").lower() if word else ""
        if text[m.start()] == "." and (last in _NO_BREAK or re.fullmatch(r"[a-z]", last)
                                       or re.fullmatch(r"(?:[a-z]\.)+[a-z]", last)):
            continue
        if text[:m.start()].count("{") > text[:m.start()].count("}"):
            continue
        sentences.append(text[start: m.end()].strip())
        start = m.end()
    sentences.append(text[start:].strip())
    return tuple(s for s in sentences if s)


def speak_segment(segment: Segment, lexicon: Lexicon = Lexicon()) -> Segment:
    written, spoken = [], []
    for sentence in split_sentences(segment.source):
        said = spoken_text(sentence, lexicon)
        if said.strip(" .,;:!?-\"'"):
            written.append(INLINE_OVERRIDE.sub(lambda m: m.group(1), sentence))
            spoken.append(said)
    return dataclasses.replace(segment, spoken=" ".join(spoken), sentences=tuple(spoken), written=tuple(written))


def speak(script: Script, lexicons: Mapping[str, Lexicon] | None = None) -> Script:
    """Stage: fill in every segment's spoken text and sentences (lexicons by voice name)."""
    lexicons = lexicons or {}
    return script.replace_segments({s.id: speak_segment(s, lexicons.get(s.voice, Lexicon()))
                                    for s in script.segments})
