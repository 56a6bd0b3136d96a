"""Transcripts with timings: WebVTT (with voice spans), SubRip, and the
Podcasting 2.0 JSON transcript (word by word).

Every word's start and end are known from synthesis (Piper's phoneme
durations; estimated from the audio for engines without them), so a cue
starts where its first word starts in the final file (intro included), and
so does a cue that continues a long sentence.  Transcripts show the script
text, not the spoken text: each written word is matched to the spoken words
it became ("4.11-rc3" to "four point eleven, R C three").

Cues hold at most two lines: WebVTT lines at most 42 characters, SRT lines
at most 32 (the Podcasting 2.0 rules, where the speaker's name opens a cue
only when the speaker changes, and counts in its line).  A sentence too long
for one cue is cut between words, preferably after punctuation or where the
voice pauses, into as few and as even cues as fit.
"""

from __future__ import annotations

import difflib
import functools
import html
import math
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .._clock import clock_ms
from .speakers import display_names

if TYPE_CHECKING:
    from ..parse.script import Segment
    from ..sound.mix import Mix
    from ..sound.timeline import Timeline
    from ..sound.track import SentenceTiming

LINE = 42  # characters per WebVTT caption line, the usual broadcast limit
SRT_LINE = 32  # characters per SRT line (Podcasting 2.0)
LINES = 2  # lines per cue, at most
PAUSE = 0.12  # seconds of silence between words that make a good place to end a cue
RUN_ON = 0.04  # seconds between words that is no pause at all
_PHRASE_END = (",", ";", ":", ".", "!", "?", "—", "–")


@dataclass(frozen=True)
class Cue:
    start: float
    end: float
    text: str
    speaker: str
    lines: tuple[str, ...] = ()  # as the format writes them (SRT: with the speaker's name); () = wrap `text`


@dataclass(frozen=True)
class Word:
    """A written word on the final timeline."""

    start: float
    end: float
    text: str
    speaker: str


# ---------------------------------------------------------------- words


def _name(segment: Segment, names: dict[str | None, str]) -> str:
    """The speaker's display name (one per voice: see speakers.py)."""
    return names.get(segment.speaker) or segment.speaker or names[None]


def words(mix: Mix, timeline: Timeline) -> list[Word]:
    """Every written word of the script, with the times of the spoken words it became (on the
    master: `timeline`)."""
    script = mix.track.script
    names = display_names(script)  # one name per voice (see speakers.py)
    out: list[Word] = []
    for placed in mix.track.placed:
        segment = placed.segment
        speaker = _name(segment, names)
        for written, timing in zip(segment.written, placed.sentences):
            out += [Word(timeline.at(s), timeline.at(e), t, speaker) for t, s, e in written_words(written, timing)]
    return _no_word_overlap(out)


def _no_word_overlap(out: list[Word]) -> list[Word]:
    """Each word ends where the next begins at the latest (a word's start is where its sound is
    heard, the surer of its two times; the model's end can run past the next word's start)."""
    fixed = []
    for i, w in enumerate(out):
        end = min(w.end, out[i + 1].start) if i + 1 < len(out) else w.end
        fixed.append(Word(w.start, max(end, w.start), w.text, w.speaker))
    return fixed


def written_words(written: str, timing: SentenceTiming) -> list[tuple[str, float, float]]:
    """(word, start, end) for each word of a sentence's script text, from its spoken words'
    times (`timing.words`); without them, the sentence's time shared out by length."""
    tokens = written.split()
    spoken = list(getattr(timing, "words", ()) or ())
    if not spoken:
        return _even(tokens, timing.start, timing.start + timing.duration)
    keys_w = [_key(t) for t in tokens]
    keys_s = [_key(w.text) for w in spoken]
    out: list[tuple[str, float, float] | None] = [None] * len(tokens)
    matcher = difflib.SequenceMatcher(None, keys_w, keys_s, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            for k in range(i2 - i1):
                out[i1 + k] = (tokens[i1 + k], spoken[j1 + k].start, spoken[j1 + k].end)
        elif op in ("replace", "delete"):
            # the written words i1..i2 became the spoken words j1..j2: each takes as many as it says
            weights = [_spoken_length(t) for t in tokens[i1:i2]]
            total = sum(weights)
            n = j2 - j1
            at = 0
            for k, w in enumerate(weights):
                lo = j1 + (round(at * n / total) if total else 0)
                at += w
                hi = j1 + (round(at * n / total) if total else 0)
                if hi > lo:
                    out[i1 + k] = (tokens[i1 + k], spoken[lo].start, spoken[hi - 1].end)
                else:  # nothing spoken for it (an emoji, a dash): no time of its own
                    t = spoken[lo].start if lo < len(spoken) else spoken[-1].end
                    out[i1 + k] = (tokens[i1 + k], t, t)
    # monotonic: a word never starts before the one before it
    result: list[tuple[str, float, float]] = []
    floor = spoken[0].start
    for text, s, e in out:  # type: ignore[misc]
        s = max(s, floor)
        e = max(e, s)
        result.append((text, s, e))
        floor = s
    return result


def _key(token: str) -> str:
    return re.sub(r"\W+", "", token.lower())


@functools.lru_cache(maxsize=4096)
def _spoken_length(token: str) -> int:
    from ..text.spoken import spoken_text

    try:
        return len(spoken_text(token).split())
    except Exception:  # any token the rules trip over still takes a word's share
        return 1


def _even(tokens: list[str], start: float, end: float) -> list[tuple[str, float, float]]:
    total = sum(len(t) + 1 for t in tokens) or 1
    out, t = [], start
    for token in tokens:
        span = (end - start) * (len(token) + 1) / total
        out.append((token, t, t + span))
        t += span
    return out


# ---------------------------------------------------------------- cues


def cues(mix: Mix, timeline: Timeline, line: int = LINE, names: bool = False) -> list[Cue]:
    """Cues on the final timeline (`timeline`), each starting at its first word: at most two lines of
    `line` characters.  `names` (SRT): with several speakers, a cue where the speaker
    changes opens with "Speaker: " inside its first line."""
    script = mix.track.script
    shown = display_names(script)
    speakers = {_name(p.segment, shown) for p in mix.track.placed}
    out: list[Cue] = []
    previous = None
    for placed in mix.track.placed:
        segment = placed.segment
        speaker = _name(segment, shown)
        for written, timing in zip(segment.written, placed.sentences):
            items = [(t, timeline.at(s), timeline.at(e)) for t, s, e in written_words(written, timing)]
            prefix = f"{speaker}:" if names and len(speakers) > 1 and speaker != previous else None
            out += layout(items, speaker, line, prefix)
            previous = speaker
    return _no_overlap(out)


def _no_overlap(out: list[Cue]) -> list[Cue]:
    """A cue ends where the next begins at the latest, so none overlap; none lasts no time."""
    fixed = []
    for i, c in enumerate(out):
        nxt = out[i + 1].start if i + 1 < len(out) else math.inf
        end = min(c.end, nxt)
        if end <= c.start:
            end = min(c.start + 0.5, nxt) if nxt > c.start else c.start + 0.001
        fixed.append(Cue(c.start, end, c.text, c.speaker, c.lines))
    return fixed


def layout(
    items: list[tuple[str, float, float]], speaker: str, line: int = LINE, prefix: str | None = None
) -> list[Cue]:
    """One sentence's timed words as cues of at most two lines of `line` characters.

    As few cues as fit, each ended after punctuation or a pause where it can be, and of
    even length; a word longer than a line is cut.  `prefix` opens the first line."""
    pieces = _pieces(items, line)
    if not pieces:
        return []
    lead = [p for p in (textwrap.wrap(prefix, line, break_long_words=True) if prefix else [])]
    n = len(pieces)

    def fits(i: int, j: int) -> list[str] | None:
        words = [p[0] for p in pieces[i:j]]
        lines = _fill(words, line, lead if i == 0 else [])
        return lines if len(lines) <= LINES else None

    # best[j]: (cost, start of the last cue) for the first j pieces
    best: list[tuple[float, int]] = [(0.0, 0)] + [(math.inf, 0)] * n
    for j in range(1, n + 1):
        for i in range(j - 1, -1, -1):
            lines = fits(i, j)
            if lines is None:
                break
            if best[i][0] == math.inf:
                continue
            used = sum(len(l) for l in lines)
            slack = 1 - used / (LINES * line)
            cost = best[i][0] + 1.0 + (0.0 if j == n else _break_cost(pieces, j - 1)) + 0.3 * slack * slack
            if cost < best[j][0]:
                best[j] = (cost, i)
    bounds = []
    j = n
    while j > 0:
        i = best[j][1]
        if best[j][0] == math.inf:  # cannot happen: every piece fits a line of its own
            raise ValueError("no layout for a caption")
        bounds.append((i, j))
        j = i
    out = []
    for i, j in reversed(bounds):
        chosen = pieces[i:j]
        text = "".join(p[0] + (" " if p[3] else "") for p in chosen).rstrip()  # a cut word whole again
        laid = tuple(_fill([p[0] for p in chosen], line, lead if i == 0 else []))
        out.append(Cue(chosen[0][1], chosen[-1][2], text, speaker, laid))
    return out


def _break_cost(pieces: list[tuple[str, float, float, bool]], k: int) -> float:
    """What ending a cue after piece k costs: nothing after punctuation, little at a pause,
    the most inside a word, and between words by how long the voice stops there."""
    text, _, end, whole = pieces[k]
    if not whole:
        return 2.5
    if text.rstrip("\"')]”’").endswith(_PHRASE_END):
        return 0.0
    gap = pieces[k + 1][1] - end  # between words that run on, the model leaves up to some 40 ms
    return 0.3 + 1.7 * (1 - min(1.0, max(0.0, gap - RUN_ON) / (PAUSE - RUN_ON)))


def _pieces(items: list[tuple[str, float, float]], line: int) -> list[tuple[str, float, float, bool]]:
    """The words, those longer than a line cut into line-long pieces (times shared by length);
    the flag says whether the piece ends its word."""
    out = []
    for text, start, end in items:
        if len(text) <= line:
            out.append((text, start, end, True))
            continue
        parts = [text[k : k + line] for k in range(0, len(text), line)]
        for k, part in enumerate(parts):
            a = start + (end - start) * k * line / len(text)
            b = start + (end - start) * min(len(text), (k + 1) * line) / len(text)
            out.append((part, a, b, k == len(parts) - 1))
    return out


def _fill(words: list[str], line: int, lead: list[str]) -> list[str]:
    """Lines of at most `line` characters, after the lines or words in `lead`: as few as fit
    (greedy), and two lines balanced (the longer as short as it can be), so that no cue ends
    in a lone word on a line of its own when the first line could give it company."""
    lines = _greedy(words, line, lead)
    if len(lines) != 2 or len(lead) > 1:
        return lines
    tokens = [*lead, *words]
    best = None
    for k in range(max(1, len(lead)), len(tokens)):
        first, second = " ".join(tokens[:k]), " ".join(tokens[k:])
        if len(first) <= line and len(second) <= line:
            score = (max(len(first), len(second)), -len(first))
            if best is None or score < best[0]:
                best = (score, [first, second])
    return best[1] if best else lines


def _greedy(words: list[str], line: int, lead: list[str]) -> list[str]:
    lines: list[str] = []
    current = ""
    for w in [*lead, *words]:
        if not current:
            current = w
        elif len(current) + 1 + len(w) <= line:
            current += " " + w
        else:
            lines.append(current)
            current = w
    if current:
        lines.append(current)
    return lines


# ---------------------------------------------------------------- formats


def _lines(text: str, line: int = LINE) -> str:
    return "\n".join(textwrap.wrap(text, line, break_long_words=False, break_on_hyphens=False)) or text


def _clock(seconds: float, comma: bool) -> str:
    """HH:MM:SS.mmm (WebVTT), or with a comma (SRT)."""
    text = clock_ms(seconds)
    return text.replace(".", ",") if comma else text


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


_VTT_CUE = re.compile(
    r"^(?:(\d+):)?(\d\d):(\d\d)\.(\d{3}) --> (?:(\d+):)?(\d\d):(\d\d)\.(\d{3})[^\n]*\n(.*?)(?:\n\n|\Z)", re.M | re.S
)


def read_webvtt(path: Path) -> list[Cue]:
    """The cues of a WebVTT file as `webvtt` writes it: times, the `<v Name>` speaker, the text
    with its lines joined and its markup and entities undone (for the site and `podcast verify`)."""
    out = []
    for m in _VTT_CUE.finditer(path.read_text(encoding="utf-8")):
        h1, m1, s1, ms1, h2, m2, s2, ms2 = (int(x or 0) for x in m.groups()[:8])
        body = m.group(9).strip()
        voice = re.match(r"<v(?:\.[^ >]*)? ([^>]*)>", body)
        text = html.unescape(" ".join(re.sub(r"<[^>]*>", "", body).split()))
        out.append(
            Cue(
                h1 * 3600 + m1 * 60 + s1 + ms1 / 1000,
                h2 * 3600 + m2 * 60 + s2 + ms2 / 1000,
                text,
                html.unescape(voice.group(1)) if voice else "",
            )
        )
    return out


def webvtt(items: list[Cue]) -> str:
    blocks = ["WEBVTT"]
    for n, c in enumerate(items, start=1):
        text = "\n".join(c.lines) if c.lines else _lines(c.text)
        blocks.append(
            f"{n}\n{_clock(c.start, False)} --> {_clock(c.end, False)}\n<v {_escape(c.speaker)}>{_escape(text)}"
        )
    return "\n\n".join(blocks) + "\n"


def srt(items: list[Cue]) -> str:
    """SubRip: cues laid out by `cues(mix, timeline, SRT_LINE, names=True)` as they are; others wrapped
    to 32 characters, with the speaker's name where it changes if there are several."""
    speakers = {c.speaker for c in items}
    blocks = []
    previous = None
    for n, c in enumerate(items, start=1):
        if c.lines:
            text = "\n".join(c.lines)
        else:
            named = len(speakers) > 1 and c.speaker != previous
            text = _lines(f"{c.speaker}: {c.text}" if named else c.text, SRT_LINE)
        previous = c.speaker
        blocks.append(f"{n}\n{_clock(c.start, True)} --> {_clock(c.end, True)}\n{text}")
    return "\n\n".join(blocks) + "\n"


def json_transcript(items: list[Word]) -> dict:
    """The Podcasting 2.0 JSON transcript (application/json), one segment per word."""
    return {
        "version": "1.0.0",
        "segments": [
            {"speaker": w.speaker, "startTime": round(w.start, 3), "endTime": round(w.end, 3), "body": w.text}
            for w in items
        ],
    }
