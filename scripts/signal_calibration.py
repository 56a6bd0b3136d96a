"""Calibrate the signal checks (pipeline/sound/signal.py): no finding on correct renders, every
deliberate damage caught.

    python scripts/signal_calibration.py [--cache DIR] [--voice NAME] [--damaged 40] EPISODE...

Each episode is synthesized (or taken from the cache) up to its speech track, and every
sentence is checked as a render checks it.  Then sentences picked at random (seeded) are
damaged five ways, each as an engine fails: near silence, a 2 s hole inside, clipping (8x
gain), a stuck synthesis (the sentence three times over) and a cut one (its first 30%),
and each damaged sentence is checked against its voice's pace in the episode.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np
import soundfile

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline import _stages as stages  # noqa: E402
from pipeline.sound import signal  # noqa: E402

DAMAGES = {
    "silent": lambda x, rate: (x.astype(np.float32) * 0.003).astype(np.int16),
    "gap": lambda x, rate: np.concatenate([x[: len(x) // 2], np.zeros(2 * rate, np.int16), x[len(x) // 2 :]]),
    "clipped": lambda x, rate: np.clip(x.astype(np.int32) * 8, -32768, 32767).astype(np.int16),
    "pace": lambda x, rate: np.concatenate([x, x, x]),  # stuck: said three times
    "pace (cut)": lambda x, rate: x[: int(len(x) * 0.3)],
}


def track_of(episode: Path, options: stages.Options):
    return stages.run([*stages.parse_stages(options), *stages.front_stages(options)], episode)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("episodes", nargs="+", type=Path)
    ap.add_argument("--cache", type=Path, help="the segment cache to use (default: the show's)")
    ap.add_argument("--voice", help="speak every segment with this voice ($PODCAST_VOICE)")
    ap.add_argument("--damaged", type=int, default=40, help="sentences damaged per kind and episode")
    args = ap.parse_args()
    if args.voice:
        os.environ["PODCAST_VOICE"] = args.voice
    caught: Counter[str] = Counter()
    tried: Counter[str] = Counter()
    with tempfile.TemporaryDirectory(prefix="signal-calibration-") as tmp:
        overrides = {"paths": {"cache": str(args.cache)}} if args.cache else {}
        options = stages.Options(workdir=Path(tmp), overrides=overrides, show_progress=False)
        for episode in args.episodes:
            track = track_of(episode, options)
            samples, rate = soundfile.read(track.path, dtype="int16")
            by_voice: dict[str, list[tuple[int, signal.Span]]] = defaultdict(list)
            clean: list[tuple[int, signal.Finding]] = []
            sentences = []
            for p in track.placed:
                for n, s in enumerate(p.sentences):
                    span = signal.Span(s.start, s.duration, s.text)
                    by_voice[p.segment.voice].append((n, span))
                    sentences.append((p, n, span))
                    clean += [(p.segment.index, f) for f in signal.check_sentence(samples, rate, span, n)]
            rates = {v: signal.median_rate(s for _, s in spans) for v, spans in by_voice.items()}
            for voice, spans in by_voice.items():
                clean += [(0, f) for f in signal.check_pace(spans, rates[voice])]
            minutes = track.duration / 60
            gaps, ratios = [], []  # the margins: the longest clean gap, the clean pace ratios
            for _, _n, span in sentences:
                a, b = int(span.start * rate), int((span.start + span.duration) * rate)
                level = signal.levels(samples[a:b], rate)
                sound = np.flatnonzero(level > signal.SILENT_DBFS)
                if len(sound):
                    gaps.append(
                        signal._longest_run(level[sound[0] : sound[-1] + 1] <= signal.SILENT_DBFS)[0] * signal.FRAME
                    )
            for voice, spans in by_voice.items():
                ratios += [
                    s.duration / (signal.letters(s.text) / rates[voice])
                    for _, s in spans
                    if signal.letters(s.text) >= signal.PACE_MIN_LETTERS
                ]
            print(
                f"margins: longest gap {max(gaps, default=0):.2f} s (limit {signal.LONGEST_GAP} s); pace "
                f"{min(ratios, default=1):.2f}x-{max(ratios, default=1):.2f}x of the median (limit {signal.PACE_FACTOR}x)"
            )
            print(
                f"{episode.name}: {len(sentences)} sentences, {minutes:.1f} min: {len(clean)} findings on the correct render"
            )
            for segment, f in clean:
                print(f"  segment {segment}: {f.kind}: {f.text}")
            rng = random.Random(1)
            for kind, damage in DAMAGES.items():
                pool = [x for x in sentences if kind != "pace (cut)" or signal.letters(x[2].text) >= 40]
                for p, n, span in rng.sample(pool, min(args.damaged, len(pool))):
                    a, b = int(span.start * rate), int((span.start + span.duration) * rate)
                    hurt = damage(samples[a:b], rate)
                    local = signal.Span(0.0, len(hurt) / rate, span.text)
                    found = signal.check_sentence(hurt, rate, local, n)
                    found += signal.check_pace([(n, local)], rates[p.segment.voice])
                    want = kind.split(" ")[0]
                    if kind == "pace" and signal.letters(span.text) < signal.PACE_MIN_LETTERS:
                        continue  # too short to judge by pace: not counted
                    tried[kind] += 1
                    caught[kind] += any(f.kind == want for f in found)
    print("damage caught:")
    for kind in DAMAGES:
        print(f"  {kind}: {caught[kind]}/{tried[kind]}")


if __name__ == "__main__":
    main()
