"""What the listening check found, as a value: `Verification` (its `to_json` is the
`<slug>.verify.json` a render writes and `podcast verify --json` prints), the retakes it
made, the lines it says to a person and the summary the report carries; and `Verified`,
the mastered episode with its verification, which the package stage takes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Mapping

from .checks import BROKEN_RUN, BROKEN_WER, OK_WER, TIMING_LIMIT, SegmentCheck, hints, readings

if TYPE_CHECKING:
    from ..sound.master import Mastered

RECOGNIZER = "faster-whisper tiny.en (int8, CPU)"


@dataclass(frozen=True)
class Retake:
    """A broken segment synthesized again: the take kept, each take's word error rate, and
    whether the episode heard again has it right (None until it is heard again)."""

    index: int
    kept: int
    fixed: bool | None
    scores: tuple[float, ...]
    why: str | None = None  # "pinned": the author chose its take; none was made

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"index": self.index, "kept": self.kept, "fixed": self.fixed, "scores": list(self.scores)}
        return out | ({"why": self.why} if self.why is not None else {})


@dataclass(frozen=True)
class Verification:
    """What the recognizer heard in an episode, segment by segment, and the timing check."""

    episode: str  # the script's path
    slug: str
    checks: tuple[SegmentCheck, ...]
    timing: Mapping[str, Any]
    seconds: float  # the listening's own cost
    audio_seconds: float
    retakes: tuple[Retake, ...] | None = None  # render --verify: the segments synthesized again
    audio: str | None = None  # podcast verify: the file it listened to

    @property
    def broken(self) -> tuple[SegmentCheck, ...]:
        return tuple(c for c in self.checks if c.verdict == "broken")

    def to_json(self) -> dict[str, Any]:
        checks = self.checks
        counts = {v: sum(c.verdict == v for c in checks) for v in ("ok", "suspect", "broken")}
        words = sum(c.words for c in checks)
        errors = sum(len(c.misheard) + len(c.missing) + len(c.inserted) for c in checks)
        largest = self.timing["largest_offset"]
        found = readings(checks)
        doc: dict[str, Any] = {
            "schema": 1,
            "episode": self.episode,
            "slug": self.slug,
            "recognizer": RECOGNIZER,
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
                "reading_hints": len(found),
                "largest_timing_offset": None if largest is None else largest["offset"],
                "seconds": self.seconds,
                "audio_seconds": round(self.audio_seconds, 1),
            },
            "timing": dict(self.timing),
            "hints": hints(checks),
            "readings": found,
            "segments": [c.to_json() for c in checks],
        }
        if self.retakes is not None:
            doc["retries"] = [r.to_json() for r in self.retakes]
        if self.audio is not None:
            doc["audio"] = self.audio
        return doc


@dataclass(frozen=True)
class Verified:
    """A mastered episode and, where it was listened to (render --verify), what was heard."""

    mastered: Mastered
    verification: Verification | None = None


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
