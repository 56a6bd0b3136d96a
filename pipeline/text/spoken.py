"""The spoken-text stage: script text to what the voice reads.

Pure functions, no I/O.  Each paragraph is split into sentences on the
script text (so every spoken sentence has its written sentence, for
transcripts), then each sentence goes: `{written|spoken}` overrides
verbatim; brackets inside words expanded; else the lexicon; else the
normalization rules (numbers, versions, identifiers, acronyms, the bundled
technical lexicon); and last, anything still unpronounceable (emoji, stray
symbols) is dropped.

Nothing is lost silently: a token whose reading still holds what no voice can
say, or a symbol that no rule reads and is dropped (emoji and invisible
characters aside, which are not read by design), is a `Finding`.  `podcast
check` reports them (errors and warnings), and `speak()`, the stage of a render
or preview, logs each as a warning naming the file, the line and the token
before anything is synthesized.  The cache keeps a sentence's findings with its
spoken text, so a warm render warns as a cold one does.

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
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Sequence

from .._fsutil import read_json, write_text_atomic
from ..parse.script import INLINE_OVERRIDE, Script, Segment, undeclared_label
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


@dataclass(frozen=True)
class Finding:
    """A token of the script that is not all speech: `kind` "unsayable" (its reading still holds
    what no voice can say, which reaches the voice as it is: `podcast check` calls it an error)
    or "dropped" (a symbol no rule reads, left out of the speech: a warning)."""

    token: str
    kind: str  # "unsayable" or "dropped"

    @property
    def fatal(self) -> bool:
        return self.kind == "unsayable"

    @property
    def message(self) -> str:
        if self.kind == "unsayable":
            return f"cannot make {self.token!r} speakable; add it to lexicon.toml or write {{{self.token}|...}}"
        return (
            f"{self.token!r} has a symbol no rule reads, so it is not read aloud; to say it, write "
            f"{{{self.token}|...}} (or add it to lexicon.toml); to say nothing, remove it"
        )


def segment_findings(segment: Segment, lexicon: Lexicon = Lexicon(), context: Context | None = None) -> list[Finding]:
    """What `speak_segment` finds in a segment (each token once): for `podcast check`."""
    found: list[Finding] = []
    speak_segment(segment, lexicon, context, findings=found)
    return list(dict.fromkeys(found))


def warn_findings(script: Script, found: Mapping[str, list[Finding]]) -> None:
    """Each finding (by segment id), and each speaker label nobody declared, as one warning
    naming the file, line, segment and token: the render says what `podcast check` says,
    before any synthesis."""
    for s in script.segments:
        label = undeclared_label(s, script.speakers)
        if label:
            log.warning("%s:%d: segment %d: %s", script.path, s.line, s.index, label)
        for f in dict.fromkeys(found.get(s.id, ())):
            log.warning("%s:%d: segment %d: %s", script.path, s.line, s.index, f.message)


def spoken_text(
    source: str,
    lexicon: Lexicon = Lexicon(),
    context: Context | None = None,
    guesses: list[Guess] | None = None,
    findings: list[Finding] | None = None,
) -> str:
    """One piece of script source to spoken text: overrides, then lexicon, then rules.
    `context`: the episode's (default: this text alone); `guesses` receives what the rules
    guessed, `findings` the script's tokens whose reading is not all speech (see `Finding`:
    the same steps as speech, so lint and voice cannot drift)."""
    if context is None:
        context = rules.context_for([source])
    parts: list[str] = []
    pos = 0
    for m in INLINE_OVERRIDE.finditer(source):
        parts += _plain(source[pos : m.start()], lexicon, context, guesses, findings)
        parts.append(" ".join(m.group(2).split()))
        pos = m.end()
    parts += _plain(source[pos:], lexicon, context, guesses, findings)
    text = " ".join(p for p in parts if p)
    text = re.sub(r"\s+([,.;:!?])", r"\1", text)
    text = re.sub(r"([,;:])\1+", r"\1", text)
    return re.sub(r"^[\s,.;:]+", "", text).strip()


def _plain(
    text: str, lexicon: Lexicon, context: Context, guesses: list[Guess] | None, findings: list[Finding] | None = None
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
            if findings is not None:
                findings += _findings(piece, said)
            out.append((lead.group(1) + " " if lead else "") + speakable(said))
    return out


_PUNCTUATION = set(" '-.,;:!?\"")  # what may remain in spoken text besides Latin letters


def _sayable(ch: str) -> bool:
    if ch in _PUNCTUATION or ch in DROPPED_CHARS or unicodedata.category(ch) in DROPPED_CATEGORIES:
        return True
    return ch.isalpha() and "LATIN" in unicodedata.name(ch, "")


def _silent(ch: str) -> bool:
    """Left out of the speech by design, with no warning: invisible characters (format
    characters: zero-width joiners, direction marks, variation selectors) and emoji."""
    code = ord(ch)
    return (
        unicodedata.category(ch) in ("Cf", "Mn", "Me")
        or 0x1F000 <= code <= 0x1FAFF  # emoji, pictographs, skin tones
        or 0x2600 <= code <= 0x27BF  # miscellaneous symbols and dingbats (☀ ✅ ❤)
        or 0x2B00 <= code <= 0x2BFF  # ⭐ ⬆
        or code in (0x231A, 0x231B, 0x2328, 0x23CF)
        or 0x23E9 <= code <= 0x23FA  # ⌚ ⌛ ⏩ ⏰
        or ch in "\ufe0e\ufe0f\u200d"
    )


def _dropped(ch: str) -> bool:
    """`speakable()` drops it, and not by design: a symbol no rule read."""
    return (ch in DROPPED_CHARS or unicodedata.category(ch) in DROPPED_CATEGORIES) and not _silent(ch)


def _findings(source: str, said: str) -> list[Finding]:
    out = []
    for w in said.split():
        if not all(map(_sayable, w)):
            out.append(Finding(_source_token(source, w), "unsayable"))
        elif any(map(_dropped, w)):
            out.append(Finding(_source_token(source, w), "dropped"))
    return out


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
        self.used: dict[str, Any] = {}  # key -> spoken text, or [spoken text, [[kind, token], ...]]
        self.added = 0
        try:
            self.kept: dict[str, Any] = read_json(path, "spoken-text file") if path else {}
            if not isinstance(self.kept, dict):
                self.kept = {}
        except (OSError, ValueError):
            self.kept = {}

    def get(self, key: str) -> tuple[str, list[Finding]] | None:
        """The spoken text kept under `key` and its findings (None: not kept, or damaged)."""
        kept: Any = self.kept.get(key)
        if isinstance(kept, str):
            said, found = kept, []
        elif (
            isinstance(kept, list)
            and len(kept) == 2
            and isinstance(kept[0], str)
            and isinstance(kept[1], list)
            and all(isinstance(f, list) and len(f) == 2 and all(isinstance(x, str) for x in f) for f in kept[1])
        ):
            said, found = kept[0], [Finding(token, kind) for kind, token in kept[1]]
        else:
            return None
        self.used[key] = kept
        return said, found

    def put(self, key: str, said: str, found: Sequence[Finding] = ()) -> None:
        self.used[key] = [said, [[f.kind, f.token] for f in found]] if found else said
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
    findings: list[Finding] | None = None,
) -> Segment:
    """The segment's spoken text; `findings` receives its tokens that are not all speech."""
    if context is None:
        context = rules.context_for([segment.source])
    lexicon_key = lexicon_digest(lexicon) if cache is not None else ""
    written, spoken = [], []
    for sentence in split_sentences(segment.source):
        key = sentence_key(sentence, lexicon_key, context) if cache is not None else ""
        kept = cache.get(key) if cache is not None else None
        if kept is None:
            found: list[Finding] = []
            said = spoken_text(sentence, lexicon, context, guesses, found)
            if cache is not None:
                cache.put(key, said, found)
        else:
            said, found = kept
        if findings is not None:
            findings += found
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
    """Stage: fill in every segment's spoken text and sentences (lexicons by voice name), and
    warn of every token that is not all speech (`Finding`), naming its line."""
    lexicons = lexicons or {}
    context = episode_context(script)
    found: dict[str, list[Finding]] = {s.id: [] for s in script.segments}
    out = script.replace_segments(
        {
            s.id: speak_segment(s, lexicons.get(s.voice, Lexicon()), context, cache, guesses, found[s.id])
            for s in script.segments
        }
    )
    if cache is not None:
        cache.save()
    warn_findings(script, found)
    return out
