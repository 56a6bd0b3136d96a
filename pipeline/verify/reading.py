"""The reading check: did the program read the script's words the way it should?

The sound check (`checks.check_segment`) compares what the recognizer heard
with the program's own spoken text, so a wrong reading is invisible there:
"Dr. Jones" read "Drive Jones" is heard "Drive Jones" and scores perfectly.
The recognizer writes what it hears in written form ("Dr. Jones", "4.11",
"$5"), so here its words are aligned with the segment's *written* script text
instead, and every stretch of the script that holds a token the program
rewrote (a number, an abbreviation, a symbol, an acronym) is looked at:

- the stretch passes when the recognizer wrote it literally as the script does
  (case, punctuation and separators aside);
- or when what it wrote, read by the normalization rules (same episode
  context, without the show's lexicon), gives the same words as the script's
  own text read the same way ("Doctor Jones" for "Dr. Jones", "sixteen" for
  "16", "February 3rd" for "Feb. 3");
- otherwise, when the program's reading differs from what the rules alone
  say (a lexicon line or a voice's lexicon changed it) and what was heard is
  closer to the program's reading than to the rules' one, it is a reading
  problem: the lexicon said something the script does not mean.
- Besides, where both the script and the heard text hold numbers and the
  heard text names a number the script does not have while saying exactly the
  program's reading ("24.4" heard for "24.04" read "twenty-four point four"),
  the rules themselves read two numbers alike: a reading problem too.

A reading problem is a hint for the author (the token, the reading used,
what was heard, a lexicon line to paste), never a retake: the audio says
what the program meant it to say.  `{written|spoken}` overrides are the
author's own reading and are not checked.  Calibration: README, "Verification".
"""

from __future__ import annotations

import difflib
import functools
import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Sequence

from ..parse.script import INLINE_OVERRIDE
from ..text.lexicon import Lexicon
from ..text.normalize import abbreviations, context_for, version
from ..text.spoken import spoken_text
from . import align

if TYPE_CHECKING:
    from ..parse.script import Segment
    from ..text.normalize import Context
    from .recognizer import Heard

_EDGE = "\"'“”‘’()[],;:!?"
_SYMBOL = re.compile(r"[^\w\s'’\-.,;:!?\"“”‘’()\[\]]|_")
_MONTHS = frozenset(
    "jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat sun".split()
)
_NUMBER = re.compile(r"\d+(?:[.:]\d+)*")


def _key(token: str) -> str:
    return re.sub(r"\W+", "", token.lower())


@functools.lru_cache(maxsize=1)
def _abbreviations() -> frozenset[str]:
    tables = [getattr(abbreviations, name, {}) for name in ("ABBREVIATIONS", "BEFORE_NUMBER", "SENSES")]
    known = frozenset(getattr(abbreviations, "_KNOWN", ()))  # every stop-abbreviation the rules know
    return known | _MONTHS | frozenset(k.rstrip(".").lower() for table in tables for k in table if k.endswith("."))


def kind(token: str) -> str | None:
    """Why the rules rewrite `token` (number, abbreviation, symbol, acronym), None for a plain word."""
    core = token.strip(_EDGE)
    if not core:
        return None
    if re.search(r"\d", core):
        return "number"
    if core.endswith(".") and (
        core.rstrip(".").lower() in _abbreviations() or re.fullmatch(r"(?:[A-Za-z]\.){2,}", core)
    ):
        return "abbreviation"
    if _SYMBOL.search(core.rstrip(".")):
        return "symbol"
    if sum(c.isupper() for c in core) >= 2:
        return "acronym"
    return None


@dataclass(frozen=True)
class _Unit:
    """Written tokens w[0]:w[1] became spoken words s[0]:s[1]; `equal`: one word, unchanged."""

    w: tuple[int, int]
    s: tuple[int, int]
    equal: bool


def _units(tokens: Sequence[str], said: Sequence[str]) -> list[_Unit]:
    """Written tokens matched to the spoken words they became (as the transcripts do)."""
    out = []
    matcher = difflib.SequenceMatcher(None, [_key(t) for t in tokens], [_key(w) for w in said], autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out += [_Unit((i1 + k, i1 + k + 1), (j1 + k, j1 + k + 1), True) for k in range(i2 - i1)]
        else:
            out.append(_Unit((i1, i2), (j1, j2), False))
    return out


def _spans(tokens: Sequence[str], said: Sequence[str]) -> tuple[list[int], list[int], set[int]]:
    """For each written token, where its spoken words start and end; and the tokens said as written."""
    lo, hi, equal = [0] * len(tokens), [0] * len(tokens), set()
    for u in _units(tokens, said):
        for j in range(*u.w):
            lo[j], hi[j] = u.s
            if u.equal:
                equal.add(j)
    return lo, hi, equal


def _readings(text: str, context: Context, said: Sequence[str]) -> list[list[str]]:
    """Fair readings of the recognizer's `text` by the rules alone (no lexicon), as normalized
    words: the whole text in the episode's context, and word by word with each dotted number read
    as a version or as a decimal, whichever is closer to what was said (as the sound check does:
    "4.13" is "four point thirteen" or "four point one three")."""
    try:
        whole = align.words(spoken_text(text, Lexicon(), context))
    except Exception:  # a recognizer's odd text the rules trip over reads as nothing in particular
        whole = align.words(text)
    known = set(said)
    by_word: list[str] = []
    for word in text.split():
        core = word.strip(_EDGE + ".")
        if re.fullmatch(r"v?\d+(\.\d+)+", core):
            decimal = align.words(spoken_text(core.lstrip("v"), Lexicon()))
            release = align.words(("version " if core[0] == "v" else "") + version(core.lstrip("v")))
            by_word += release if _share(release, known) > _share(decimal, known) else decimal
        else:
            by_word += whole if len(text.split()) == 1 else _words(word, context)
    return [whole] if by_word == whole else [whole, by_word]


def _share(words: list[str], known: set[str]) -> float:
    return sum(w in known for w in words) / max(1, len(words))


def _words(word: str, context: Context) -> list[str]:
    try:
        return align.words(spoken_text(word, Lexicon(), context))
    except Exception:
        return align.words(word)


def _distance(a: list[str], b: list[str]) -> int:
    """How unlike two word lists are: 100 for a word missing or added, and for a misheard word
    by the letters they share ("kevins" is near "kevin", far from "kvm")."""
    total = 0
    for e in align.align(a, b):
        total += 100 if e.ref is None or e.hyp is None else align._unlike(a[e.ref], b[e.hyp])
    return total


def _numbers(text: str) -> list[str]:
    return _NUMBER.findall(re.sub(r"(?<=\d),(?=\d{3}\b)", "", text))


def _new_number(heard: str, written: str) -> str | None:
    """A number in `heard` that `written` does not hold (its digits, in order, nowhere in the script's)."""
    digits = re.sub(r"\D", "", re.sub(r"(?<=\d),(?=\d{3}\b)", "", written))
    parts = {p.lstrip("0") or "0" for n in _numbers(written) for p in re.split(r"[.:]", n)}
    for n in _numbers(heard):
        if n.lstrip("0") in parts or re.sub(r"\D", "", n) in digits:
            continue
        return n
    return None


def _bare(text: str) -> str:
    """A stretch of script text without the punctuation around it (an abbreviation keeps its stop)."""
    text = text.strip(_EDGE)
    core = text.rstrip(".!?")
    return text if text != core and kind(core.split()[-1] + ".") == "abbreviation" else core


def _toml_key(token: str) -> str:
    return token if re.fullmatch(r"[A-Za-z0-9_-]+", token) else json.dumps(token, ensure_ascii=False)


def check(segment: Segment, heard: Sequence[Heard], context: Context | None = None) -> list[dict]:
    """Reading problems in one segment: what the recognizer wrote against the script's written text."""
    if not heard or not segment.written:
        return []
    context = context or context_for([segment.source])
    overridden = {_key(t) for m in INLINE_OVERRIDE.finditer(segment.source) for t in m.group(1).split()}
    tokens: list[str] = []
    said: list[str] = []  # the program's reading (the segment's spoken sentences)
    rules: list[str] = []  # the rules' reading without any lexicon
    for written, spoken in zip(segment.written, segment.sentences):
        tokens += written.split()
        said += spoken.split()
        rules += spoken_text(written, Lexicon(), context).split()
    said_lo, said_hi, said_equal = _spans(tokens, said)
    rules_lo, rules_hi, rules_equal = _spans(tokens, rules)
    words = [h for h in heard if _key(h.word)]
    edits = align.align([_key(t) for t in tokens], [_key(h.word) for h in words])
    anchored = {e.ref: e.hyp for e in edits if e.op == "ok" and e.ref is not None and e.hyp is not None}
    solid = [j for j in range(len(tokens)) if j in anchored and j in said_equal and j in rules_equal]
    unchanged = [
        _key(" ".join(said[said_lo[j] : said_hi[j]])) == _key(" ".join(rules[rules_lo[j] : rules_hi[j]]))
        for j in range(len(tokens))
    ]
    as_written = [not kind(t) and j in said_equal and j in rules_equal for j, t in enumerate(tokens)]
    out = []
    for before, after in zip([-1, *solid], [*solid, len(tokens)]):
        if after - before < 2:
            continue
        a, b = before + 1, after
        span = tokens[a:b]
        if not any(kind(t) for t in span) or any(_key(t) in overridden for t in span if kind(t)):
            continue
        h_lo = anchored[before] + 1 if before >= 0 else 0
        h_hi = anchored[after] if after < len(tokens) else len(words)
        h_span = words[h_lo:h_hi]
        reading = " ".join(
            said[said_hi[before] if before >= 0 else 0 : said_lo[after] if after < len(tokens) else None]
        )
        expected = " ".join(
            rules[rules_hi[before] if before >= 0 else 0 : rules_lo[after] if after < len(tokens) else None]
        )
        heard_text = " ".join(h.word for h in h_span)
        if not h_span or "".join(map(_key, span)) == "".join(_key(h.word) for h in h_span):
            continue  # written as the script writes it
        n_said, n_rules = align.words(reading), align.words(expected)
        n_heard = _readings(heard_text, context, n_said)
        found = None
        if n_said != n_rules:  # a lexicon changed the reading
            if n_rules not in n_heard and min(_distance(h, n_said) for h in n_heard) < min(
                _distance(h, n_rules) for h in n_heard
            ):
                found = "lexicon"
        elif n_said in n_heard and _new_number(heard_text, " ".join(span)):
            found = "rules"
        if found is None:
            continue

        # Shown and suggested: the stretch without the words at its edges that the program read as the
        # rules do (for a lexicon's reading) or that it said as written.
        plain = unchanged if found == "lexicon" else as_written
        while a < b - 1 and plain[a]:
            a += 1
        while b - 1 > a and plain[b - 1]:
            b -= 1
        token = _bare(" ".join(tokens[a:b]))
        used = " ".join(said[said_lo[a] : said_hi[b - 1]]).strip(_EDGE + " .")
        right = " ".join(rules[rules_lo[a] : rules_hi[b - 1]]).strip(_EDGE + " .")
        heard_text = heard_text.strip(_EDGE + " .")
        if found == "lexicon":
            why = f"a lexicon reads it {used!r}, heard {heard_text!r}; the rules alone say {right!r}"
            suggestion = f"{_toml_key(token)} = {json.dumps(right, ensure_ascii=False)}"
        else:
            why = f"heard {heard_text!r}: the reading {used!r} says another number"
            suggestion = f"{_toml_key(token)} = " + '"..."'
        out.append(
            {
                "segment": segment.index,
                "time": round(h_span[0].start, 2),
                "token": token,
                "reading": used,
                "heard": heard_text,
                "expected": right if found == "lexicon" else None,
                "source": found,
                "why": why,
                "suggestion": suggestion,
                "inline": f"{{{token}|{right if found == 'lexicon' else '...'}}}",
            }
        )
    return out
