"""Comparing what a recognizer heard with what the voice was asked to say.

Both sides go through the same normalization, so that a correctly spoken
segment scores near the recognizer's own error rate:

- the recognizer's text goes through the pipeline's own spoken-text rules
  (`spoken.spoken_text`), so "4.11", "45%" and "2017" become the words the
  voice was given ("four point eleven", ...);
- case and punctuation off; hyphens, slashes and dots between words split;
  apostrophes dropped ("that's" = "thats");
- letters of a spelled acronym joined ("L U F S", "L-U-F-S" and "LUFS" are all "lufs");
- a few spelling variants folded ("programme" = "program", "ok" = "okay");
- compounds: two adjacent words on one side that make one word on the
  other ("note book" / "notebook") are joined;
- a letter said on its own matches the word a recognizer writes for its name
  ("item C" heard "item see", "plan B" heard "plan be").

`align()` is a word-level Levenshtein alignment with its edit script.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from ..text import spoken

_PHONEMES = re.compile(r"\[\[.*?\]\]")  # lexicon phonemes: not words a recognizer can write
_SPLIT = re.compile(r"[\s\-\u2010-\u2015/_.:;,!?\"()\[\]{}<>*&+=~|]+")
_DROP = re.compile(r"['\u2018\u2019`]")
_NOT_WORD = re.compile(r"[^a-z0-9]")
_CLAUSE = re.compile(r"[,;:!?]+|\.(?:\s|$)")
BOUNDARY = ""  # between clauses: ends a run of spelled letters, then dropped
VARIANTS = {
    "ok": "okay",
    "programme": "program",
    "programmes": "programs",
    "colour": "color",
    "behaviour": "behavior",
    "centre": "center",
    "metre": "meter",
    "analyse": "analyze",
    "mr": "mister",
    "mrs": "missus",
    "dr": "doctor",
    "vs": "versus",
    "etc": "etcetera",
    "alright": "allright",
}


# What a recognizer writes for a letter said on its own (English letter names and homophones).
LETTER_NAMES = {
    "a": {"ay", "eh"},
    "b": {"be", "bee"},
    "c": {"see", "sea", "si"},
    "d": {"dee"},
    "e": {"ee"},
    "f": {"ef", "eff"},
    "g": {"gee", "ji"},
    "h": {"aitch", "haitch"},
    "i": {"eye", "aye"},
    "j": {"jay"},
    "k": {"kay"},
    "l": {"el", "ell", "elle"},
    "m": {"em"},
    "n": {"en"},
    "o": {"oh", "owe"},
    "p": {"pee", "pea"},
    "q": {"queue", "cue"},
    "r": {"are", "ar"},
    "s": {"es", "ess"},
    "t": {"tee", "tea"},
    "u": {"you"},
    "v": {"vee"},
    "x": {"ex"},
    "y": {"why"},
    "z": {"zee", "zed"},
}


def same(said: str, heard: str) -> bool:
    """One word said and one heard match: the same normalized word, or a lone letter and its name."""
    return said == heard or heard in LETTER_NAMES.get(said, ()) or said in LETTER_NAMES.get(heard, ())


def words(text: str, *, recognized: bool = False, join: bool = True) -> list[str]:
    """Normalized words of `text`; `recognized`: text from the recognizer (digits and
    symbols still written), which first gets the pipeline's spoken-text rules."""
    text = _PHONEMES.sub(" ", text)
    if recognized:
        text = spoken.spoken_text(text)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()  # Jérôme = Jerome
    out: list[str] = []
    for clause in _CLAUSE.split(_DROP.sub("", text.lower())):
        for raw in _SPLIT.split(clause):
            w = _NOT_WORD.sub("", raw)
            if w:
                out.append(VARIANTS.get(w, w))
        out.append(BOUNDARY)  # letters are not joined across a comma or a full stop
    out.pop()
    if not join:
        return out
    return [t for t, _ in join_letters([(t, None) for t in out])]


def _merge(a: Any, b: Any) -> Any:
    """Payloads of joined tokens: times (start, end) span both; anything else keeps the first."""
    if isinstance(a, tuple) and isinstance(b, tuple):
        return (a[0], b[1])
    return a


def join_letters(items: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    """Runs of two or more single letters are one spelled word ("u t c" -> "utc")."""
    out: list[tuple[str, Any]] = []
    run: list[tuple[str, Any]] = []
    for item in [*items, None]:
        if item is not None and item[0] == BOUNDARY:
            item = None if run else item
        if item is not None and len(item[0]) == 1 and item[0].isalpha():
            run.append(item)
            continue
        if len(run) >= 2:
            payload = run[0][1]
            for _, p in run[1:]:
                payload = _merge(payload, p)
            out.append(("".join(t for t, _ in run), payload))
        else:
            out += run
        run = []
        if item is not None and item[0] != BOUNDARY:
            out.append(item)
    return out


def join_compounds(
    ref: list[tuple[str, Any]], hyp: list[tuple[str, Any]]
) -> tuple[list[tuple[str, Any]], list[tuple[str, Any]]]:
    """Adjacent pairs on one side that the other side writes as one word are joined."""
    ref_words, hyp_words = {t for t, _ in ref}, {t for t, _ in hyp}
    return _join_pairs(ref, hyp_words), _join_pairs(hyp, ref_words)


def _join_pairs(items: list[tuple[str, Any]], vocabulary: set[str]) -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    i = 0
    while i < len(items):
        if i + 1 < len(items):
            (a, pa), (b, pb) = items[i], items[i + 1]
            if a + b in vocabulary and not (a in vocabulary and b in vocabulary):
                out.append((a + b, _merge(pa, pb)))
                i += 2
                continue
        out.append(items[i])
        i += 1
    return out


@dataclass(frozen=True)
class Edit:
    op: str  # "ok", "sub" (misheard), "del" (missing), "ins" (inserted)
    ref: int | None  # index into the reference words
    hyp: int | None  # index into the recognized words


def _unlike(said: str, heard: str) -> int:
    """0 (alike) to 100 (nothing shared): how far a misheard word is from the one said, by the
    letters they start and end with ("eighteen" and "sixteen" share "teen")."""
    if same(said, heard):
        return 0
    shortest = min(len(said), len(heard))
    prefix = next((k for k in range(shortest) if said[k] != heard[k]), shortest)
    suffix = next((k for k in range(shortest - prefix) if said[-1 - k] != heard[-1 - k]), shortest - prefix)
    return 100 - 100 * (prefix + suffix) // max(len(said), len(heard), 1)


def align(ref: list[str], hyp: list[str]) -> list[Edit]:
    """Minimum-edit alignment of two word lists (substitution, deletion, insertion cost 1),
    preferring matches, and among alignments with as few edits, the one whose misheard words
    are most like the words said (a changed number is reported against the number heard, not
    against a word the recognizer added beside it); the edit script in order."""
    n, m = len(ref), len(hyp)
    # cost[i][j]: (edits, unlikeness) to turn ref[:i] into hyp[:j]; a word missing or added
    # is as unlike as a word can be
    cost = [[(j, 100 * j) for j in range(m + 1)]]
    for i in range(1, n + 1):
        row = [(i, 100 * i)] + [(0, 0)] * m
        prev = cost[i - 1]
        r = ref[i - 1]
        for j in range(1, m + 1):
            d = _unlike(r, hyp[j - 1])
            diag = (prev[j - 1][0] + (d > 0), prev[j - 1][1] + d)
            up = (prev[j][0] + 1, prev[j][1] + 100)
            left = (row[j - 1][0] + 1, row[j - 1][1] + 100)
            row[j] = min(diag, up, left)
        cost.append(row)
    edits: list[Edit] = []
    i, j = n, m
    while i or j:
        if i and j:
            d = _unlike(ref[i - 1], hyp[j - 1])
            if cost[i][j] == (cost[i - 1][j - 1][0] + (d > 0), cost[i - 1][j - 1][1] + d):
                edits.append(Edit("ok" if d == 0 else "sub", i - 1, j - 1))
                i, j = i - 1, j - 1
                continue
        if i and cost[i][j] == (cost[i - 1][j][0] + 1, cost[i - 1][j][1] + 100):
            edits.append(Edit("del", i - 1, None))
            i -= 1
        else:
            edits.append(Edit("ins", None, j - 1))
            j -= 1
    edits.reverse()
    return edits


def error_rate(edits: list[Edit], n_ref: int) -> float:
    errors = sum(e.op != "ok" for e in edits)
    return errors / n_ref if n_ref else float(errors > 0)


def longest_miss(edits: list[Edit]) -> int:
    """The longest run of consecutive reference words not heard as written (missing or misheard):
    a cut or swallowed stretch, where the recognizer's own slips are scattered single words."""
    best = run = 0
    for e in edits:
        if e.op == "ok":
            run = 0
        elif e.op in ("sub", "del"):
            run += 1
            best = max(best, run)
    return best
