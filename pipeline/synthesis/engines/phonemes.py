"""Word timings from phoneme durations, shared by the engines whose graphs predict them
(Piper, Kokoro): where each word of a sentence sits among its phonemes, long sentences cut
into pieces a model takes, and the words of each piece timed from its ids' durations.
"""

from __future__ import annotations

import difflib
from typing import Callable, Iterator

import numpy as np

from ...sound.track import WordTiming

BREAKS = (".", "!", "?", ",", ";", ":", "—")
SILENT = set(" .!?,;:—-'\"()[]ˈˌ")  # phonemes that are not sounds of a word (for matching words)

# What a model makes of one piece of phonemes: its samples, the boundaries in seconds of its
# ids (None: the model does not say), and each phoneme's ids as (first, after; None: no id).
Spoken = tuple[np.ndarray, "np.ndarray | None", "list[tuple[int, int] | None]"]


class WordPhonemes:
    """Each word's own phonemes, for finding it among its sentence's (remembered: a show
    says the same words again and again)."""

    def __init__(self, phonemize: Callable[[str], list[list[str]]]):
        self._phonemize = phonemize
        self._known: dict[str, list[str]] = {}

    def __call__(self, word: str) -> list[str]:
        known = self._known.get(word)
        if known is None:
            try:
                known = [p for sentence in self._phonemize(word) for p in sentence]
            except Exception:  # a token espeak cannot take alone: placed between its neighbours
                known = []
            if len(self._known) < 100_000:
                self._known[word] = known
        return known


def timed_chunks(
    tokens: list[str],
    sentences: list[list[str]],
    limit: int,
    speak: Callable[[list[str], int], Spoken],
    word_phonemes: Callable[[str], list[str]] | None,
    sample_rate: int,
) -> list[tuple[np.ndarray, list[WordTiming] | None]]:
    """Speak each sentence's phonemes in pieces of at most `limit` (`speak(piece, piece_no)`)
    and time the tokens of the text in the pieces that say them.  `word_phonemes`: a token's
    own phonemes (None: the model gives no durations, so no word times)."""
    flat = [p for sentence in sentences for p in sentence]
    starts = word_starts(tokens, flat, word_phonemes) if word_phonemes is not None else None
    piece_no = 0
    lo = 0  # where the piece starts in `flat`
    pending = 0  # the next token to place
    chunks: list[tuple[np.ndarray, list[WordTiming] | None]] = []
    for phonemes in sentences:
        for piece in split_phonemes(phonemes, limit):
            hi = lo + len(piece)
            if not any(p.strip() for p in piece):
                lo = hi
                continue
            audio, bounds, at = speak(piece, piece_no)
            piece_no += 1
            words: list[WordTiming] | None = None
            if starts is not None and bounds is not None and any(at):
                words = []
                last_piece = hi >= len(flat)
                while pending < len(tokens) and (starts[pending] < hi or last_piece):
                    words.append(word_time(tokens[pending], starts, pending, lo, hi, piece, at, bounds))
                    pending += 1
            chunks.append((audio, words))
            lo = hi
    if starts is not None and pending < len(tokens) and chunks and chunks[-1][1] is not None:
        end = len(chunks[-1][0]) / sample_rate
        chunks[-1][1].extend(WordTiming(t, end, end) for t in tokens[pending:])
    return chunks


def is_sound(p: str) -> bool:
    return bool(p.strip()) and p not in SILENT


def word_starts(tokens: list[str], phonemes: list[str], phonemize: Callable[[str], list[str]]) -> list[int]:
    """For each token, the index in `phonemes` where it starts (non-decreasing).

    The sentence's phonemes are matched, sound by sound, against the tokens' own
    phonemizations in order (stress marks and pauses aside: in context a word's stress
    and vowels change, "a" is no longer the letter's name, and espeak joins some words
    into one group); where they differ, the tokens' sounds are spread over the stretch."""
    sounds = [i for i, p in enumerate(phonemes) if is_sound(p)]
    seq_s = [phonemes[i] for i in sounds]
    seq_w: list[str] = []
    first: list[int] = []  # where each token's sounds begin in seq_w
    for token in tokens:
        first.append(len(seq_w))
        seq_w += [p for p in phonemize(token) if is_sound(p)]
    # each of the tokens' sounds to a place among the sentence's: exact where they match,
    # in proportion inside a stretch that espeak said differently in context
    place = [0.0] * (len(seq_w) + 1)
    place[len(seq_w)] = len(seq_s)
    matcher = difflib.SequenceMatcher(None, seq_w, seq_s, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        for i in range(i1, i2):
            place[i] = j1 + (i - i1) * (j2 - j1) / (i2 - i1) if op != "delete" else j1
    out: list[int] = []
    floor = 0
    for k in range(len(tokens)):
        i = min(len(seq_s), max(floor, int(round(place[first[k]]))))
        floor = i
        out.append(i)
    # sound index -> phoneme index, moved back over a stress mark that opens its espeak word group
    result: list[int] = []
    for i in out:
        if i >= len(sounds):
            result.append(len(phonemes))
            continue
        at = sounds[i]
        g = at
        while g > 0 and phonemes[g - 1].strip() and phonemes[g - 1] not in BREAKS:
            g -= 1
        if not any(is_sound(q) for q in phonemes[g:at]):
            at = g
        result.append(max(at, result[-1]) if result else at)
    return result


def word_time(
    token: str,
    starts: list[int],
    k: int,
    lo: int,
    hi: int,
    piece: list[str],
    at: list[tuple[int, int] | None],
    bounds: np.ndarray,
) -> WordTiming:
    """Token k's times in its piece's audio: from its first phoneme to its last sound
    (with the blank id after it), pauses and punctuation excluded."""
    end_index = starts[k + 1] if k + 1 < len(starts) else len(piece) + lo
    first = min(max(starts[k], lo), hi) - lo
    last = min(end_index, hi) - lo

    def time_at(i: int, after: bool) -> float:
        # phoneme i's start (or, after=True, the end of it and its blank id); missing ids skipped
        while 0 <= i < len(at) and at[i] is None:
            i += -1 if after else 1
        if i < 0:
            return float(bounds[0])
        ids = at[i] if i < len(at) else None
        if ids is None:
            return float(bounds[-1])
        return float(bounds[min(ids[1 if after else 0], len(bounds) - 1)])

    start = time_at(first, False) if first < len(piece) else float(bounds[-1])
    sounding = [i for i in range(first, last) if is_sound(piece[i])]
    end = time_at(sounding[-1], True) if sounding else start
    return WordTiming(token, start, max(start, end))


def split_phonemes(phonemes: list[str], limit: int) -> Iterator[list[str]]:
    """Cut a phoneme list into pieces of at most `limit`, at a pause if possible, else between words."""
    start = 0
    while len(phonemes) - start > limit:
        window = phonemes[start : start + limit]
        cut = _last_index(window, lambda p: p in BREAKS, minimum=limit // 3)
        if cut is None:
            cut = _last_index(window, lambda p: p == " ", minimum=1)
        end = start + (cut + 1 if cut is not None else limit)
        yield phonemes[start:end]
        start = end
    if start < len(phonemes):
        yield phonemes[start:]


def _last_index(items: list[str], test: Callable[[str], bool], minimum: int) -> int | None:
    for i in range(len(items) - 1, minimum - 1, -1):
        if test(items[i]):
            return i
    return None
