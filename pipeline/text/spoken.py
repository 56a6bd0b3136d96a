"""The spoken-text stage: script text to what the voice reads.

Pure functions, no I/O.  Each paragraph is split into sentences on the
script text (so every spoken sentence has its written sentence, for
transcripts), then each sentence goes: `{written|spoken}` overrides
verbatim; brackets inside words expanded; else the lexicon; else the
normalization rules (numbers, versions, identifiers, acronyms, the bundled
technical lexicon); and last, anything still unpronounceable (emoji, stray
symbols) is dropped.

The episode decides some readings for all its sentences (which dotted
numbers are versions, `[speech] dotted_numbers`): `speak()` works that out
once and passes it down.  Spoken sentences are kept in a `TextCache` keyed
on the sentence, the lexicon, that context and the normalizer's fingerprint,
so a warm re-render does not normalize again.
"""

from __future__ import annotations

import dataclasses
import errno
import hashlib
import json
import logging
import re
import unicodedata
from pathlib import Path
from typing import Mapping

from ..fsutil import read_json, write_text_atomic
from ..parse.script import INLINE_OVERRIDE, Script, Segment
from . import normalize as rules
from .lexicon import Lexicon
from .normalize import Context, Guess, expand_brackets, normalize
from .normalize.abbreviations import ends_sentence

log = logging.getLogger(__name__)

# Categories a voice cannot pronounce: other/modifier symbols (emoji, dingbats),
# format and private-use characters.
DROPPED_CATEGORIES = {"So", "Sk", "Cf", "Co", "Cn", "Cs"}
DROPPED_CHARS = set("*_#|~^`\\{}<>\ufe0e\ufe0f")
TYPOGRAPHY = str.maketrans(
    {
        "“": '"',
        "”": '"',
        "„": '"',
        "«": '"',
        "»": '"',
        "‘": "'",
        "’": "'",
        "‚": "'",
        "—": ", ",
        "―": ", ",
        "…": "...",
        "\u00a0": " ",
        "\u2009": " ",
        "\u202f": " ",
        "\u2011": "-",
        # Invisible inside a word (text pasted from the web and word processors): the word is whole.
        "\u00ad": "",  # soft hyphen
        "\u200b": "",  # zero-width space
        "\u200c": "",  # zero-width non-joiner
        "\u200d": "",  # zero-width joiner
        "\u2060": "",  # word joiner
        "\ufeff": "",  # zero-width no-break space (a byte-order mark inside the text)
    }
)


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


def spoken_text(
    source: str,
    lexicon: Lexicon = Lexicon(),
    context: Context | None = None,
    guesses: list[Guess] | None = None,
    unsayable: list[str] | None = None,
) -> str:
    """One piece of script source to spoken text: overrides, then lexicon, then rules.
    `context`: the episode's (default: this text alone); `guesses` receives what the rules
    guessed, `unsayable` the script's tokens whose reading still holds what no voice can say
    (`podcast check` reports them: the same steps as speech, so lint and voice cannot drift)."""
    if context is None:
        context = rules.context_for([source])
    parts: list[str] = []
    pos = 0
    for m in INLINE_OVERRIDE.finditer(source):
        parts += _plain(source[pos : m.start()], lexicon, context, guesses, unsayable)
        parts.append(" ".join(m.group(2).split()))
        pos = m.end()
    parts += _plain(source[pos:], lexicon, context, guesses, unsayable)
    text = " ".join(p for p in parts if p)
    text = re.sub(r"\s+([,.;:!?])", r"\1", text)
    text = re.sub(r"([,;:])\1+", r"\1", text)
    return re.sub(r"^[\s,.;:]+", "", text).strip()


def _plain(
    text: str, lexicon: Lexicon, context: Context, guesses: list[Guess] | None, unsayable: list[str] | None = None
) -> list[str]:
    # Typography first, so the rules see plain quotes and dashes; then brackets inside words,
    # so the lexicon sees 'kzalloc or kvzalloc', not 'k{v}zalloc'.
    text = expand_brackets(unicodedata.normalize("NFC", text).translate(TYPOGRAPHY))
    out = []
    for protected, piece in lexicon.split(text):
        if protected:
            out.append(" ".join(piece.split()))
        else:
            lead = re.match(r"\s*([,;:.!?])", piece)  # punctuation right after a protected word stays
            if lead:  # kept once: not normalized again as the start of the text after it
                piece = piece[lead.end() :]
            said = normalize(piece, context=context, guesses=guesses)
            if unsayable is not None:
                unsayable += [_source_token(piece, w) for w in said.split() if not all(map(_sayable, w))]
            out.append((lead.group(1) + " " if lead else "") + speakable(said))
    return out


_PUNCTUATION = set(" '-.,;:!?\"")  # what may remain in spoken text besides Latin letters


def _sayable(ch: str) -> bool:
    if ch in _PUNCTUATION or ch in DROPPED_CHARS or unicodedata.category(ch) in DROPPED_CATEGORIES:
        return True
    return ch.isalpha() and "LATIN" in unicodedata.name(ch, "")


def _source_token(source: str, word: str) -> str:
    """The token of the script text a reading came from (for a message)."""
    core = re.escape(word.strip(".,;:!?\"'"))
    m = re.search(rf"\S*{core}\S*", source) if core else None
    return m.group(0).strip(".,;:!?\"'") if m else word


_AROUND = 200  # characters either side of a full stop that decide whether it ends a sentence


def split_sentences(text: str) -> tuple[str, ...]:
    """Sentences of script text: a break after . ! ? and space before what can start a
    sentence, but not inside `{...}`, and after an abbreviation or an initial only where
    the next word really starts a sentence (see normalize.abbreviations.ends_sentence)."""
    sentences: list[str] = []
    start = 0
    depth, counted = 0, 0  # `{` less `}` in text[:counted]: counted as the scan goes, not again per break
    for m in re.finditer(r"[.!?]+[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9{])", text):
        # the words around the break decide; a window of them, not the whole text (linear time)
        before, after = text[max(0, m.start() - _AROUND) : m.start()], text[m.end() : m.end() + _AROUND]
        if text[m.start()] == "." and m.group(0)[:2] != ".." and ends_sentence(before, after) is False:
            continue
        depth += text.count("{", counted, m.start()) - text.count("}", counted, m.start())
        counted = m.start()
        if depth > 0:
            continue
        sentences.append(text[start : m.end()].strip())
        start = m.end()
    sentences.append(text[start:].strip())
    return tuple(s for s in sentences if s)


class TextCache:
    """Spoken sentences by key, in one JSON file per episode beside the segment cache.

    Loaded once, written once (atomically) if anything was added; entries not used by the
    last run are dropped then, so the file holds one episode's sentences, not its history."""

    def __init__(self, path: Path | None):
        self.path = path
        self.used: dict[str, str] = {}
        self.added = 0
        try:
            self.kept: dict[str, str] = read_json(path, "spoken-text file") if path else {}
            if not isinstance(self.kept, dict):
                self.kept = {}
        except (OSError, ValueError):
            self.kept = {}

    def get(self, key: str) -> str | None:
        said = self.kept.get(key)
        if isinstance(said, str):
            self.used[key] = said
            return said
        return None

    def put(self, key: str, said: str) -> None:
        self.used[key] = said
        self.added += 1

    def save(self) -> None:
        if self.path is None or not self.added:
            return
        try:
            write_text_atomic(self.path, json.dumps(self.used, ensure_ascii=False))
        except OSError as exc:  # a cache that cannot be written costs time, not correctness
            # A read-only cache is the segment cache's to announce (once); this costs only a re-read.
            quiet = exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM)
            log.log(logging.DEBUG if quiet else logging.WARNING, "could not keep spoken text in %s: %s", self.path, exc)


def lexicon_digest(lexicon: Lexicon) -> str:
    return lexicon.digest  # computed once per lexicon: a large one is megabytes of entries


def sentence_key(sentence: str, lexicon_key: str, context: Context) -> str:
    blob = "\x00".join((rules.fingerprint(), lexicon_key, context.key(), sentence))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def speak_segment(
    segment: Segment,
    lexicon: Lexicon = Lexicon(),
    context: Context | None = None,
    cache: TextCache | None = None,
    guesses: list[Guess] | None = None,
) -> Segment:
    if context is None:
        context = rules.context_for([segment.source])
    lexicon_key = lexicon_digest(lexicon) if cache is not None else ""
    written, spoken = [], []
    for sentence in split_sentences(segment.source):
        key = sentence_key(sentence, lexicon_key, context) if cache is not None else ""
        said = cache.get(key) if cache is not None else None
        if said is None:
            said = spoken_text(sentence, lexicon, context, guesses)
            if cache is not None:
                cache.put(key, said)
        if said.strip(" .,;:!?-\"'"):
            written.append(INLINE_OVERRIDE.sub(lambda m: m.group(1), sentence))
            spoken.append(said)
    return dataclasses.replace(segment, spoken=" ".join(spoken), sentences=tuple(spoken), written=tuple(written))


def episode_context(script: Script) -> Context:
    """What the whole episode decides for every sentence (see normalize.Context)."""
    return rules.context_for([s.source for s in script.segments], script.settings.speech.dotted_numbers)


def speak(
    script: Script,
    lexicons: Mapping[str, Lexicon] | None = None,
    cache: TextCache | None = None,
    guesses: list[Guess] | None = None,
) -> Script:
    """Stage: fill in every segment's spoken text and sentences (lexicons by voice name)."""
    lexicons = lexicons or {}
    context = episode_context(script)
    out = script.replace_segments(
        {s.id: speak_segment(s, lexicons.get(s.voice, Lexicon()), context, cache, guesses) for s in script.segments}
    )
    if cache is not None:
        cache.save()
    return out
