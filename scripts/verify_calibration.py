"""Calibrate `podcast verify`'s thresholds on real renders.

For each rendered episode given, every segment is scored as rendered (the
recognizer's own error rate on correct audio), and, for every STEP-th
segment, with its audio deliberately broken: replaced by the next segment's
audio (swapped), its second half silenced (cut to half), silenced, and
replaced by noise at speech level.  Prints one line per segment and case
(word error rate, longest run of words not heard, verdict), then the
ranges per case.

    python scripts/verify_calibration.py EPISODE OUT_DIR [EPISODE OUT_DIR ...] [--step N] [--beam N]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

from pipeline import stages
from pipeline.publish import verify

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


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("pairs", nargs="+", help="EPISODE OUT_DIR pairs")
    ap.add_argument("--step", type=int, default=1, help="break every STEP-th segment")
    ap.add_argument("--beam", type=int, default=verify.Recognizer.BEAM)
    args = ap.parse_args()
    verify.Recognizer.BEAM = args.beam
    rec = verify.recognizer()
    rng = np.random.default_rng(0)
    results: dict[str, list[dict]] = {c: [] for c in CASES}
    for episode, out in zip(args.pairs[::2], args.pairs[1::2]):
        path = Path(episode)
        script = stages.run(stages.listing_stages(stages.Options()), path)
        stages.use_tools(script.settings)
        mp3, timeline = verify.rendered_timeline(script, Path(out), None)
        samples = verify.load_audio(mp3, timeline, script)
        spans = []
        for placed in timeline.segments:
            lo = max(0.0, placed["start"] - verify.PAD)
            hi = min(timeline.duration, placed["start"] + placed["duration"] + verify.PAD)
            spans.append((int(lo * verify.RATE), int(hi * verify.RATE), lo))
        started = time.perf_counter()
        for n, (segment, (lo, hi, t0)) in enumerate(zip(script.segments, spans)):
            for case in CASES:
                if case != "as rendered" and n % args.step:
                    continue
                nxt = spans[(n + 1) % len(spans)]
                span = samples[lo:hi] if case == "as rendered" else broken(samples, lo, hi, nxt[:2], case, rng)
                check = verify.check_segment(segment, rec.hear(span, t0), t0, (hi - lo) / verify.RATE)
                row = {
                    "episode": path.name,
                    "segment": segment.index,
                    "words": check.words,
                    "wer": check.wer,
                    "run": check.longest_miss,
                    "verdict": check.verdict,
                }
                results[case].append(row)
                print(json.dumps({"case": case, **row}), flush=True)
        print(f"# {path.name}: {time.perf_counter() - started:.1f} s", flush=True)
    for case, rows in results.items():
        if rows:
            wers = [r["wer"] for r in rows]
            verdicts = {v: sum(r["verdict"] == v for r in rows) for v in ("ok", "suspect", "broken")}
            print(
                f"{case:12s} n={len(rows):3d} wer {min(wers):.2f}..{max(wers):.2f} (median "
                f"{float(np.median(wers)):.2f}); verdicts {verdicts}"
            )


if __name__ == "__main__":
    main()
