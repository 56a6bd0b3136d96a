"""Can one MP3 be encoded as independent, frame-aligned chunks in parallel and spliced (issue 25)?

    python scripts/mp3_chunks.py AUDIO.wav [--chunk 60] [--preroll 8] [--workers 2] [--codec "-b:a 128k"]

AUDIO is 44.1 kHz (mono is spread to both channels at -3 dB, as the master does).  Each chunk
is encoded from PRE-ROLL frames before its start to four frames after its end, with LAME's bit
reservoir off (a frame's data may otherwise begin in the frames before it, which belong to
another chunk's encoding), and only the frames of its own span are kept.  Chunk starts are
multiples of 1152 samples, so every chunk's frames fall on the serial encoding's frame grid.

Printed as JSON, against one serial encoding with the reservoir (what `podcast render` writes)
and one without: wall times, frame counts and decoded lengths (gapless, exact duration), the
signal-to-noise ratio of each decoded file against the source, and the coding error in the
frames around each splice against the serial encoding's error in the same frames.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import soundfile as sf

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from pipeline.sound import ffmpeg

RATE, FRAME = 44100, 1152
DELAY = 1105  # LAME's encoder delay and the decoder's, in samples: what ffmpeg trims on decoding
BITRATES = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320]


def frames(data: bytes) -> list[bytes]:
    """An MPEG-1 layer III stream (no tags) cut into its frames."""
    out, i = [], 0
    while i + 4 <= len(data):
        h = int.from_bytes(data[i : i + 4], "big")
        if h >> 21 != 0x7FF or (h >> 19) & 3 != 3 or (h >> 17) & 3 != 1 or (h >> 10) & 3 != 0:
            raise ValueError(f"not an MPEG-1 layer III frame at byte {i} (44.1 kHz expected)")
        size = 144000 * BITRATES[(h >> 12) & 15] // RATE + ((h >> 9) & 1)
        out.append(data[i : i + size])
        i += size
    return out


def run(*args: object) -> None:
    subprocess.run([ffmpeg.executable(), "-v", "error", "-nostdin", "-y", *map(str, args)], check=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("audio", type=Path)
    ap.add_argument("--chunk", type=float, default=60.0, help="seconds per chunk")
    ap.add_argument("--preroll", type=int, default=8, help="frames encoded before each chunk and dropped")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--codec", default="-b:a 128k", help="LAME's rate options, as ffmpeg takes them")
    args = ap.parse_args()
    codec = [*args.codec.split(), "-compression_level", "5", "-write_xing", "0", "-id3v2_version", "0", "-f", "mp3"]
    with tempfile.TemporaryDirectory(prefix="mp3-chunks-") as tmp:
        work = Path(tmp)
        source, rate = sf.read(args.audio, dtype="float64", always_2d=True)
        if rate != RATE:
            sys.exit(f"{args.audio}: {rate} Hz; 44100 Hz expected")
        if source.shape[1] == 1:
            source = np.repeat(source * 0.7071, 2, axis=1)
        sf.write(work / "src.wav", source, RATE, subtype="PCM_16")
        source = sf.read(work / "src.wav", dtype="float64", always_2d=True)[0]
        n = len(source)

        def encode(dst: Path, reservoir: bool, span: tuple[int, int] | None = None) -> None:
            cut: list[object] = []
            if span is not None:  # seek a second early (cheap), then cut to the sample
                seek = max(0, span[0] - RATE)
                trim = f"atrim=start_sample={span[0] - seek}:end_sample={span[1] - seek},asetpts=PTS-STARTPTS"
                cut = ["-ss", f"{seek / RATE:.6f}"]
            run(*cut, "-i", work / "src.wav", *(["-af", trim] if span else []), "-c:a", "libmp3lame",
                "-reservoir", int(reservoir), *codec, dst)  # fmt: skip

        facts: dict = {"codec": args.codec, "chunk_s": args.chunk, "preroll_frames": args.preroll}
        for name, reservoir in (("serial", True), ("serial_no_reservoir", False)):
            started = time.perf_counter()
            encode(work / f"{name}.mp3", reservoir)
            facts[f"{name}_wall_s"] = round(time.perf_counter() - started, 2)
        step = int(args.chunk * RATE) // FRAME * FRAME
        starts = list(range(0, n, step))

        def chunk(k: int) -> list[bytes]:
            start, end = starts[k], min(n, starts[k] + step)
            first = max(0, start - args.preroll * FRAME)
            encode(work / f"c{k}.mp3", False, (first, min(n, end + 4 * FRAME)))
            own = frames((work / f"c{k}.mp3").read_bytes())
            keep = (start - first) // FRAME
            return own[keep:] if k == len(starts) - 1 else own[keep : keep + (end - start) // FRAME]

        started = time.perf_counter()
        with ThreadPoolExecutor(args.workers) as pool:
            spliced = [f for part in pool.map(chunk, range(len(starts))) for f in part]
        facts["chunked_wall_s"] = round(time.perf_counter() - started, 2)
        facts["workers"] = args.workers
        (work / "chunked.mp3").write_bytes(b"".join(spliced))
        names = ("serial", "serial_no_reservoir", "chunked")
        facts["frames"] = {k: len(frames((work / f"{k}.mp3").read_bytes())) for k in names}
        facts["bytes"] = {k: (work / f"{k}.mp3").stat().st_size for k in names}
        decoded = {}
        for k in names:
            run("-i", work / f"{k}.mp3", "-f", "s16le", "-ac", "2", work / f"{k}.raw")
            decoded[k] = np.fromfile(work / f"{k}.raw", dtype="<i2").reshape(-1, 2) / 32768.0
        facts["decoded_samples"] = {k: len(v) for k, v in decoded.items()}

        def error(k: str) -> np.ndarray:
            m = min(len(decoded[k]) - DELAY, n) // FRAME * FRAME
            return decoded[k][DELAY : DELAY + m] - source[:m]

        facts["snr_db"] = {
            k: round(float(10 * np.log10(np.sum(source[: len(error(k))] ** 2) / np.sum(error(k) ** 2))), 2)
            for k in names
        }
        per_frame = {k: np.sqrt(np.mean(error(k).reshape(-1, FRAME * 2) ** 2, axis=1)) for k in names[1:]}
        ratio = per_frame["chunked"] / np.maximum(per_frame["serial_no_reservoir"], 1e-9)
        near = [ratio[s // FRAME + j] for s in starts[1:] for j in (-1, 0, 1) if s // FRAME + j < len(ratio)]
        facts["error_at_splices_vs_serial"] = {
            "max": round(float(max(near)), 3),
            "median": round(float(np.median(near)), 3),
        }
        facts["error_elsewhere_vs_serial"] = {
            "max": round(float(ratio.max()), 3),
            "median": round(float(np.median(ratio)), 3),
        }
        print(json.dumps(facts, indent=1))


if __name__ == "__main__":
    main()
