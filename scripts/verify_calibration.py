"""Calibrate `podcast verify`'s thresholds on real renders.

For each rendered episode given, every segment is scored as rendered (the
recognizer's own error rate on correct audio), and, for every STEP-th
segment, with its audio deliberately broken: replaced by the next segment's
audio (swapped), its second half silenced (cut to half), silenced, and
replaced by noise at speech level.  Prints one line per segment and case
(word error rate, longest run of words not heard, verdict), then the
ranges per case.

The reading check is measured on the same renders: every reading hint on a
correct render is a false one (counted per 10 minutes of audio).  With
`--forced`, each episode given was rendered with a lexicon.toml beside it
whose [words] force wrong readings, and each entry is looked for among the
reading hints of the segments that hold it (found where a hint names a
token that holds the entry's key); entries listed in RIGHT are correct
readings, and a hint on them is a false one.  `--forced-cases DIR` builds
two such episodes in DIR (the real transcript with TRANSCRIPT_FORCED, and
CONTEXTS, a short script of abbreviations, dates, money and units, with
CONTEXTS_FORCED), renders them and measures them so.

`--pause-case DIR` renders (with `render --verify`, then again with
`--strict`) a short episode with `[pause 2s]` right before a chapter
heading, the held-out case verify once judged broken, and prints its chapter
offsets and verdicts.  Renders use $PODCAST_VOICE (joe, the fast Piper
voice, when unset).

    python scripts/verify_calibration.py [EPISODE OUT_DIR ...] [--step N] [--beam N]
        [--forced] [--forced-cases DIR [--transcript PATH]] [--pause-case DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from pipeline import _stages as stages
from pipeline import _tomlfile as tomlfile
from pipeline._preflight import use_tools
from pipeline.publish.rendered import rendered_timeline
from pipeline.text import spoken
from pipeline.verify import checks, listen, recognizer

CASES = ("as rendered", "swapped", "half", "silence", "noise")


def broken(samples: np.ndarray, lo: int, hi: int, nxt: tuple[int, int], case: str, rng) -> np.ndarray:
    span = samples[lo:hi].copy()
    if case == "swapped":
        other = samples[nxt[0] : nxt[1]][: len(span)]
        span[:] = 0
        span[: len(other)] = other
    elif case == "half":
        span[len(span) // 2 :] = 0
    elif case == "silence":
        span[:] = 0
    elif case == "noise":
        rms = float(np.sqrt(np.mean(span**2))) or 0.05
        span = rng.normal(0, rms, len(span)).astype(np.float32)
    return span


# Wrong readings forced into the real transcript: numbers, versions, a date-like token, acronyms.
TRANSCRIPT_FORCED = {
    "2038": "twenty thirty-nine",
    "4.12": "four point thirteen",
    "32-bit": "sixty-four bit",
    "64-bit": "thirty-two bit",
    "5-level": "six level",
    "4.11-rc3": "four point ten, R C three",
    "2016-Q4": "twenty fifteen Q four",
    "v2.12.1": "version three point twelve point one",
    "4.1.39-rt47": "four point one point thirty-eight R T forty-seven",
    "GPU": "gravy",
    "CPU": "cheap",
    "API": "happy",
    "KVM": "kevin",
    "URL": "oral",
    "DMA": "drama",
    "RFC": "raffle",
    "PAE": "pie",
    "MCE": "mace",
    "HMM": "hum",
    "PCI": "pixie",
}
CONTEXTS = """---
title: Readings in context
---
# Readings

We spoke with Dr. Jones on Feb. 3, 2025 about the move to St. Louis. She lives at No. 5 Main St. and works \
for Acme Inc. in the city.

The meeting starts at 3:30 pm and lasts about 45 min. Tickets cost $20, or about 18% more than last year, \
e.g. for students.

Mr. Smith said the 2nd quarter was better than the 1st. The report is on p. 12, vol. 3, and the budget is \
1.5 million dollars.
""".replace("\\\n", "")
CONTEXTS_FORCED = {
    "Dr.": "Drive",
    "Feb. 3": "March third",
    "St. Louis": "Street Louis",
    "No. 5": "no five",
    "Inc.": "ink",
    "3:30 pm": "four thirty PM",
    "$20": "twelve dollars",
    "18%": "eighty percent",
    "e.g.": "egg",
    "p. 12": "page twenty",
    "1.5": "one point six",
    # right readings, written otherwise than the rules would: no hint expected
    "Mr.": "Mister",
    "2nd": "second",
    "45 min": "forty-five minutes",
    "vol. 3": "volume three",
}
RIGHT = {"Mr.", "2nd", "45 min", "vol. 3"}
TRANSCRIPT = "shared/episodes/2017-03-21-linux-kernel-podcast.txt"  # beside the project

PAUSE_EPISODE = """---
title: A pause before a chapter
---
# Opening

Welcome to a short test of the listening check. The next chapter follows a pause the author wrote.

[pause 2s]

## After the pause

This chapter starts after two seconds of silence and a chapter pause. Every word is still heard.

[pause 1s]

## A shorter pause

And this one after one second more than the usual chapter pause.
"""


def render(episode: Path, out: Path, *flags: str, cache: Path) -> subprocess.CompletedProcess:
    env = {"PODCAST_VOICE": "joe", **os.environ, "PODCAST_CACHE": str(cache)}
    return subprocess.run(
        [sys.executable, "-m", "pipeline", "render", str(episode), "-o", str(out), *flags],
        capture_output=True,
        text=True,
        env=env,
    )


def forced_cases(folder: Path, transcript: Path) -> list[str]:
    """Build and render the two episodes with forced wrong readings: EPISODE OUT_DIR pairs."""
    pairs = []
    for name, text, forced in (
        ("transcript", transcript.read_text(encoding="utf-8"), TRANSCRIPT_FORCED),
        ("contexts", CONTEXTS, CONTEXTS_FORCED),
    ):
        show = folder / name
        show.mkdir(parents=True, exist_ok=True)
        (show / "podcast.toml").write_text(f'[show]\ntitle = "Forced readings: {name}"\n', encoding="utf-8")
        lines = [f"{json.dumps(k)} = {json.dumps(v)}" for k, v in forced.items()]
        (show / "lexicon.toml").write_text("[words]\n" + "\n".join(lines) + "\n", encoding="utf-8")
        episode = show / (name + (".txt" if name == "transcript" else ".md"))
        episode.write_text(text, encoding="utf-8")
        proc = render(episode, show / "out", cache=folder / "cache")
        if proc.returncode:
            raise SystemExit(f"rendering {episode} failed: {proc.stderr[-2000:]}")
        print(f"# rendered {episode}", flush=True)
        pairs += [str(episode), str(show / "out")]
    return pairs


def pause_case(folder: Path) -> None:
    """The held-out false alarm: render with --verify (and --strict) and print the chapter checks."""
    folder.mkdir(parents=True, exist_ok=True)
    episode = folder / "pause.md"
    episode.write_text(PAUSE_EPISODE, encoding="utf-8")
    for flags in (["--verify"], ["--verify", "--strict", "--force"]):
        out = folder / ("out-strict" if "--strict" in flags else "out")
        proc = render(episode, out, *flags, cache=folder / "cache")
        print(f"# pause case: render {' '.join(flags)}: exit {proc.returncode}", flush=True)
        if proc.returncode:
            print(proc.stderr[-2000:])
            continue
        doc = json.loads((out / "pause.verify.json").read_text(encoding="utf-8"))
        for o in doc["timing"]["offsets"]:
            if o["what"] == "chapter":
                print(json.dumps({"case": "pause before a chapter", **o}), flush=True)
        print(
            f"# pause case: verdicts {[c['verdict'] for c in doc['segments']]}, "
            f"retried {[r['index'] for r in doc.get('retries', [])]}",
            flush=True,
        )


def lexicon_hits(key: str, text: str) -> list[str]:
    """Where a [words] key matches in `text`, as the lexicon matches it (whole words; case-sensitive with capitals)."""
    flags = 0 if any(c.isupper() for c in key) else re.IGNORECASE
    return re.findall(rf"(?<![\w]){re.escape(key)}(?![\w])", text, flags)


def forced_found(forced: dict[str, dict[str, str]], rows: list[dict]) -> None:
    """How many of the forced wrong readings the reading check found, and how many hints fell on
    the right readings (RIGHT) or on no forced entry at all (false ones).  `forced`: each episode's
    (by file name) lexicon."""
    occurs: dict[tuple[str, str], int] = {}
    found: dict[tuple[str, str], int] = {}
    stray = 0
    for row in rows:
        if row["verdict"] == "broken":
            continue
        lexicon = forced.get(row["episode"], {})
        for key in lexicon:
            n = len(lexicon_hits(key, row["written"]))
            if n:
                occurs[row["episode"], key] = occurs.get((row["episode"], key), 0) + n
                hit = sum(len(lexicon_hits(key, r["token"])) for r in row["readings"])
                found[row["episode"], key] = found.get((row["episode"], key), 0) + min(n, hit)
        stray += sum(not any(lexicon_hits(k, r["token"]) for k in lexicon) for r in row["readings"])
    for (episode, key), n in occurs.items():
        note = " (a right reading)" if key in RIGHT else ""
        print(f"forced {episode}: {key!r} = {forced[episode][key]!r}{note}: {found[episode, key]} of {n} found")
    wrong = [k for k in occurs if k[1] not in RIGHT]
    entries = sum(found[k] > 0 for k in wrong)
    hits, total = sum(found[k] for k in wrong), sum(occurs[k] for k in wrong)
    print(
        f"forced wrong readings: {entries} of {len(wrong)} entries found ({entries / max(1, len(wrong)):.0%}); "
        f"occurrences {hits} of {total} ({hits / max(1, total):.0%})",
        flush=True,
    )
    right = [k for k in occurs if k[1] in RIGHT]
    print(
        f"right readings hinted: {sum(found[k] > 0 for k in right)} of {len(right)}; hints on no forced entry: {stray}",
        flush=True,
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("pairs", nargs="*", help="EPISODE OUT_DIR pairs")
    ap.add_argument("--step", type=int, default=1, help="break every STEP-th segment")
    ap.add_argument("--beam", type=int, default=recognizer.Recognizer.BEAM)
    ap.add_argument("--forced", action="store_true", help="the episodes' lexicons force wrong readings")
    ap.add_argument("--forced-cases", type=Path, help="build, render and measure the forced-readings cases here")
    ap.add_argument("--transcript", type=Path, default=Path(__file__).resolve().parents[2] / TRANSCRIPT)
    ap.add_argument("--pause-case", type=Path, help="render the pause-before-a-chapter case into this folder")
    args = ap.parse_args()
    if args.forced_cases:
        args.pairs += forced_cases(args.forced_cases, args.transcript)
        args.forced = True
    if args.pause_case:
        pause_case(args.pause_case)
    recognizer.Recognizer.BEAM = args.beam
    rec = recognizer.recognizer()
    rng = np.random.default_rng(0)
    results: dict[str, list[dict]] = {c: [] for c in CASES}
    audio_seconds = 0.0
    for episode, out in zip(args.pairs[::2], args.pairs[1::2]):
        path = Path(episode)
        script = stages.run(stages.listing_stages(stages.Options()), path)
        use_tools(script.settings)
        mp3, timeline = rendered_timeline(script, Path(out), None)
        samples = recognizer.load_audio(mp3, timeline, script.slug)
        audio_seconds += len(samples) / recognizer.RATE
        context = spoken.episode_context(script)
        spans = []
        for placed in timeline.segments:
            lo = max(0.0, placed.start - listen.PAD)
            hi = min(timeline.duration, placed.start + placed.duration + listen.PAD)
            spans.append((int(lo * recognizer.RATE), int(hi * recognizer.RATE), lo))
        started = time.perf_counter()
        for n, (segment, (lo, hi, t0)) in enumerate(zip(script.segments, spans)):
            for case in CASES:
                if case != "as rendered" and n % args.step:
                    continue
                nxt = spans[(n + 1) % len(spans)]
                span = samples[lo:hi] if case == "as rendered" else broken(samples, lo, hi, nxt[:2], case, rng)
                check = checks.check_segment(
                    segment,
                    rec.hear(span, t0),
                    t0,
                    (hi - lo) / recognizer.RATE,
                    context,
                    readings=case == "as rendered",
                )
                row = {
                    "episode": path.name,
                    "segment": segment.index,
                    "words": check.words,
                    "wer": check.wer,
                    "run": check.longest_miss,
                    "verdict": check.verdict,
                }
                if case == "as rendered":
                    row["readings"] = [
                        {k: r[k] for k in ("token", "reading", "heard", "source")} for r in check.readings
                    ]
                    row["written"] = " ".join(segment.written)
                results[case].append(row)
                print(json.dumps({"case": case, **{k: v for k, v in row.items() if k != "written"}}), flush=True)
        print(f"# {path.name}: {time.perf_counter() - started:.1f} s", flush=True)
    for case, rows in results.items():
        if rows:
            wers = [r["wer"] for r in rows]
            verdicts = {v: sum(r["verdict"] == v for r in rows) for v in ("ok", "suspect", "broken")}
            print(
                f"{case:12s} n={len(rows):3d} wer {min(wers):.2f}..{max(wers):.2f} (median "
                f"{float(np.median(wers)):.2f}); verdicts {verdicts}"
            )

    rendered = results["as rendered"]
    if rendered:
        hints = [r for row in rendered if row["verdict"] != "broken" for r in row["readings"]]
        per10 = len(hints) / max(audio_seconds / 600, 1e-9)
        print(
            f"reading hints: {len(hints)} in {audio_seconds / 60:.1f} min of audio ({per10:.2f} per 10 min)"
            + ("" if args.forced else ": on correct renders, every one is a false alarm"),
            flush=True,
        )
        for r in hints:
            print(f"  {r}", flush=True)
        if args.forced:
            forced = {}
            for episode in args.pairs[::2]:
                lexicon = Path(episode).parent / "lexicon.toml"
                forced[Path(episode).name] = tomlfile.parse(lexicon.read_text(encoding="utf-8"), lexicon)["words"]
            forced_found(forced, rendered)


if __name__ == "__main__":
    main()
