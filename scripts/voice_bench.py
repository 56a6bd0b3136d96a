"""Every shipped voice side by side, for choosing voices: intelligibility (word error rate
of `podcast verify`'s recognizer), naturalness (Distill-MOS and DNSMOS, automatic mean
opinion scores, 1..5) and speed (real-time factor: synthesis seconds per audio second).

The same sentences for every voice: N plain ones (10-30 dictionary words, no names,
jargon or digits) spread
evenly over the real transcript in ../shared/episodes/, as the pipeline speaks them
(its parsing and spoken-text stages), each synthesized with the seed a render gives it.

    make voice-bench
    python scripts/voice_bench.py [--voices NAME,...] [--engines kokoro,piper] [--sentences 16]
                                  [--threads 2] [--markdown FILE] [--json FILE]

Default: every shipped voice but eSpeak NG (name it in --voices to include it).
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import os
import re
import sys
import time
from importlib.metadata import version
from pathlib import Path
from typing import Any

import numpy as np

from pipeline import _stages as stages
from pipeline._config import Settings
from pipeline._preflight import use_tools
from pipeline.errors import PipelineError
from pipeline.parse.script import Segment
from pipeline.sound.audio import resample
from pipeline.synthesis.engines import engine_class, get_engine
from pipeline.synthesis.speech import sentence_seed
from pipeline.synthesis.voices import Voice, available_voice_names, load_voice
from pipeline.text.normalize import dictionary
from pipeline.verify import checks, recognizer

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT.parent / "shared" / "episodes" / "2017-03-21-linux-kernel-podcast.txt"
FALLBACK = ROOT / "episodes" / "example.md"
MAX_WER = 0.04  # the bar a voice ships at
MIN_MOS = 4.4  # Distill-MOS
RATE = recognizer.RATE  # 16 kHz: what the recognizer and both MOS models take


def note(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def pick_sentences(path: Path, n: int) -> list[tuple[Segment, int]]:
    """N plain sentences spread evenly over the episode: (its segment, its number there)."""
    script = stages.run(stages.listing_stages(stages.Options()), path)
    use_tools(script.settings)
    words = dictionary()

    def is_plain(sentence: str) -> bool:
        # everyday English: dictionary words, no names or jargon (the recognizer's vocabulary
        # would be measured instead of the voice), no digits or phoneme blocks left
        tokens = re.findall(r"[A-Za-z']+", sentence)
        return (
            10 <= len(sentence.split()) <= 30
            and not re.search(r"\d|\[\[", sentence)
            and all(t.lower().strip("'") in words for t in tokens)
            and not any(t[0].isupper() and t != "I" for t in tokens[1:])
        )

    plain = [
        (segment, k)
        for segment in script.segments
        for k, sentence in enumerate(segment.sentences)
        if is_plain(sentence)
    ]
    if len(plain) < n:
        note(f"only {len(plain)} plain sentences in {path}; using them all")
        return plain
    return [plain[(2 * i + 1) * len(plain) // (2 * n)] for i in range(n)]


class Scorers:
    """The recognizer (required) and the two MOS models (each skipped when not installed)."""

    def __init__(self, threads: int):
        self.recognizer = recognizer.Recognizer(threads)
        self.distill: Any = None
        self.dnsmos: Any = None
        try:
            import distillmos
            import torch

            torch.set_num_threads(threads)
            with contextlib.redirect_stdout(sys.stderr):  # it prints where its weights came from
                self.distill = distillmos.ConvTransformerSQAModel()
            self.distill.eval()
        except ImportError as exc:
            note(f"no Distill-MOS ({exc.name} is not installed): that column is n/a")
        try:
            from speechmos import dnsmos

            self.dnsmos = dnsmos
        except ImportError as exc:
            note(f"no DNSMOS ({exc.name} is not installed): that column is n/a")

    def distill_mos(self, x: np.ndarray) -> float:
        import torch

        with torch.no_grad():
            return float(self.distill(torch.from_numpy(x)[None, :]).item())

    def dns_mos(self, x: np.ndarray) -> float:
        return float(self.dnsmos.run(x, sr=RATE)["ovrl_mos"])


def mean(values: list[float]) -> float | None:
    return round(float(np.mean(values)), 3) if values else None


def bench_voice(voice: Voice, picked: list[tuple[Segment, int]], threads: int, scorers: Scorers) -> dict[str, Any]:
    engine = get_engine(voice, threads)
    list(engine.synthesize("Hello there.", 0))  # warm-up, not counted (first-run allocations)
    synth = audio = 0.0
    errors = words = 0
    distill: list[float] = []
    dns: list[float] = []
    for i, (segment, k) in enumerate(picked, 1):
        sentence = segment.sentences[k]
        started = time.perf_counter()
        chunks = list(engine.synthesize(sentence, sentence_seed(segment.spoken, k)))
        synth += time.perf_counter() - started
        rate = chunks[0].sample_rate if chunks else engine.sample_rate
        samples = np.concatenate([c.samples for c in chunks]) if chunks else np.zeros(0, np.int16)
        audio += len(samples) / rate
        x = resample(samples, rate, RATE).astype(np.float32) / 32768.0
        one = dataclasses.replace(segment, sentences=(sentence,), written=segment.written[k : k + 1])
        check = checks.check_segment(one, scorers.recognizer.hear(x), 0.0, len(x) / RATE)
        errors += len(check.misheard) + len(check.missing) + len(check.inserted)  # as verify's summary counts
        words += check.words
        if scorers.distill is not None:
            distill.append(scorers.distill_mos(x))
        if scorers.dnsmos is not None:
            dns.append(scorers.dns_mos(x))
        note(f"  {voice.name} {i}/{len(picked)}: wer {check.wer:.2f}, heard {check.recognized!r}")
    get_engine.cache_clear()  # one loaded model at a time
    return {
        "voice": voice.name,
        # what it speaks with: Kokoro's style or blend, else the model file
        "style": engine_class(voice.engine).describe(voice).get("styles") or Path(voice.model).stem,
        "engine": voice.engine,
        "language": voice.language,
        "gender": voice.gender,
        "wer": round(errors / words, 3) if words else None,
        "distill_mos": mean(distill),
        "dnsmos_ovrl": mean(dns),
        "rtf": round(synth / audio, 3) if audio else None,
        "audio_seconds": round(audio, 1),
    }


def verdict(row: dict[str, Any]) -> str:
    bars = (("WER", row["wer"], lambda v: v <= MAX_WER), ("MOS", row["distill_mos"], lambda v: v >= MIN_MOS))
    below = [name for name, value, ok in bars if value is not None and not ok(value)]
    unmeasured = [name for name, value, _ in bars if value is None]
    if below:
        return "below the bar: " + "/".join(below)
    return "no verdict: " + "/".join(unmeasured) + " n/a" if unmeasured else "ships"


def table(rows: list[dict[str, Any]], threads: int) -> list[str]:
    def cell(v: float | None, digits: int) -> str:
        return "n/a" if v is None else f"{v:.{digits}f}"

    lines = [
        f"| voice | style | engine | language | gender | WER | Distill-MOS | DNSMOS overall | RTF ({threads} threads) "
        "| verdict |",
        "|---|---|---|---|---|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['voice']} | {r['style']} | {r['engine']} | {r['language']} | {r['gender'] or '-'} | {cell(r['wer'], 3)} | "
            f"{cell(r['distill_mos'], 2)} | {cell(r['dnsmos_ovrl'], 2)} | {cell(r['rtf'], 3)} | {r['verdict']} |"
        )
    return lines


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--voices", help="comma-separated voice names (default: every shipped voice but eSpeak NG)")
    ap.add_argument("--engines", help="comma-separated engines to keep (e.g. kokoro,piper)")
    ap.add_argument("--sentences", type=int, default=16, help="sentences per voice (default: %(default)s)")
    ap.add_argument("--threads", type=int, default=2, help="engine, recognizer and MOS threads (default: %(default)s)")
    ap.add_argument("--markdown", type=Path, help="also write the table here")
    ap.add_argument("--json", type=Path, help="write the rows here as JSON")
    args = ap.parse_args()
    if recognizer.available() is not None:
        note("voice_bench: the recognizer (faster-whisper) is missing: pip install -e '.[verify]'")
        return 2
    settings = Settings()
    names = args.voices.split(",") if args.voices else available_voice_names(settings)
    try:
        voices = [load_voice(name.strip(), settings) for name in names if name.strip()]
    except PipelineError as exc:
        note(f"voice_bench: {exc}")
        return 2
    if args.engines:
        voices = [v for v in voices if v.engine in args.engines.split(",")]
    elif not args.voices:
        voices = [v for v in voices if v.engine != "espeak"]
    if not voices:
        note("voice_bench: no voices to measure")
        return 2
    source = REAL
    if not source.is_file():
        note(f"{REAL} is not there; using {FALLBACK} instead")
        source = FALLBACK
    picked = pick_sentences(source, args.sentences)
    scorers = Scorers(args.threads)
    rows = []
    for voice in voices:
        note(f"{voice.name} ({voice.engine})")
        row = bench_voice(voice, picked, args.threads, scorers)
        rows.append({**row, "verdict": verdict(row)})
    seconds = [r["audio_seconds"] for r in rows]
    measured = {
        "sentences": len(picked),
        "source": os.path.relpath(source, ROOT),  # from the repository root
        "audio_seconds": [min(seconds), max(seconds)],
        "recognizer": f"faster-whisper tiny.en (int8, CPU, beam {recognizer.Recognizer.BEAM})",
        "bar": {"max_wer": MAX_WER, "min_distill_mos": MIN_MOS},
        "date": time.strftime("%Y-%m-%d"),
        "cpus": os.cpu_count(),
        "onnxruntime": version("onnxruntime"),
        "threads": args.threads,
    }
    head = (
        f"{len(picked)} sentences from {measured['source']} ({min(seconds):.1f}-{max(seconds):.1f} s of audio "
        f"per voice); recognizer {measured['recognizer']}; ships at WER <= {MAX_WER} and Distill-MOS >= {MIN_MOS}; "
        f"{measured['date']}, {measured['cpus']} CPUs, onnxruntime {measured['onnxruntime']}."
    )
    text = "\n".join([head, "", *table(rows, args.threads), ""])
    print(text, end="")
    if args.markdown:
        args.markdown.write_text(text, encoding="utf-8")
    if args.json:
        args.json.write_text(json.dumps({"measured": measured, "rows": rows}, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
