"""Every ffmpeg call goes through here: argv lists only, logged at debug level,
failures raised as MediaError with the command and the tail of stderr.

The binary is the system's `ffmpeg` when one is on PATH, else the one the
imageio-ffmpeg package ships, so `pip install` alone is enough.  No ffprobe:
that package has none, so probing uses ffmpeg itself.
"""

from __future__ import annotations

import functools
import logging
import os
import re
import shlex
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from .errors import MediaError

log = logging.getLogger(__name__)


@functools.lru_cache(maxsize=1)
def executable() -> str:
    override = os.environ.get("PODCAST_FFMPEG")
    if override:
        return override
    found = shutil.which("ffmpeg")
    if found:
        return found
    try:
        import imageio_ffmpeg
    except ImportError:  # pragma: no cover - a dependency
        raise MediaError("ffmpeg not found: install it, or `pip install imageio-ffmpeg`") from None
    return imageio_ffmpeg.get_ffmpeg_exe()


def run(args: Sequence[str], *, input: bytes | None = None, what: str = "ffmpeg") -> subprocess.CompletedProcess:
    """Run ffmpeg with `args` (without the program name); stdout is returned as bytes."""
    argv = [executable(), "-hide_banner", "-nostdin", *map(str, args)]
    if input is not None:
        argv.remove("-nostdin")
    log.debug("%s: %s", what, shlex.join(argv))
    try:
        proc = subprocess.run(argv, input=input, capture_output=True, check=False)
    except OSError as exc:
        raise MediaError(f"cannot start ffmpeg ({argv[0]}): {exc.strerror}") from None
    if proc.returncode != 0:
        tail = " | ".join(proc.stderr.decode("utf-8", "replace").strip().splitlines()[-3:])
        raise MediaError(f"{what} failed (exit {proc.returncode}): {shlex.join(argv)}: {tail}")
    return proc


def encode_measured(args: Sequence[str], dst: Path, fmt: str, mux: Sequence[tuple[str, str]], what: str,
                    delay: int = 0) -> "Loudness":
    """Encode to `dst` and, at the same time on another core, decode the very same
    encoded stream (ffmpeg's tee muxer sends it to a pipe too) and measure it.

    The file is still written as a file, so its gapless header is complete.
    The piped copy lacks only that header, so its decoder does not skip the
    encoder's `delay` priming samples: the meter skips them, and so measures
    exactly the samples a player decodes from the file.
    """
    options = ":".join([f"f={fmt}", *(f"{k}={v}" for k, v in mux)])
    target = f"[{options}]{_tee_escape(str(dst))}|[{options}]pipe:1"
    encoder = [executable(), "-hide_banner", "-nostdin", *map(str, args), "-f", "tee", target]
    meter = [executable(), "-hide_banner", "-nostats", "-f", fmt, "-i", "pipe:0", "-filter_complex",
             f"[0:a]atrim=start_sample={delay},asetpts=PTS-STARTPTS,ebur128=peak=true:framelog=quiet[out]",
             "-map", "[out]", "-f", "null", "-"]
    log.debug("%s: %s | %s", what, shlex.join(encoder), shlex.join(meter))
    with tempfile.TemporaryFile() as encoder_log:
        try:
            enc = subprocess.Popen(encoder, stdout=subprocess.PIPE, stderr=encoder_log)
            meas = subprocess.Popen(meter, stdin=enc.stdout, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        except OSError as exc:
            raise MediaError(f"cannot start ffmpeg ({encoder[0]}): {exc.strerror}") from None
        enc.stdout.close()  # the meter holds the read end now
        _, meter_err = meas.communicate()
        enc.wait()
        if enc.returncode != 0:
            encoder_log.seek(0)
            tail = " | ".join(encoder_log.read().decode("utf-8", "replace").strip().splitlines()[-3:])
            raise MediaError(f"{what} failed (exit {enc.returncode}): {shlex.join(encoder)}: {tail}")
    if meas.returncode != 0:
        tail = " | ".join(meter_err.decode("utf-8", "replace").strip().splitlines()[-3:])
        raise MediaError(f"measuring {what} failed (exit {meas.returncode}): {shlex.join(meter)}: {tail}")
    return parse_ebur128(meter_err.decode("utf-8", "replace"), dst.name)


def _tee_escape(path: str) -> str:
    return "".join("\\" + ch if ch in "\\|[]" else ch for ch in path)


@dataclass(frozen=True)
class Loudness:
    integrated: float  # LUFS
    true_peak: float  # dBTP
    lra: float  # LU


def measure_loudness(path: Path, pre_filters: Sequence[str] = (), peak: bool = True) -> Loudness:
    """EBU R128 integrated loudness, true peak and loudness range of a file as
    decoded (after `pre_filters`, so a conversion can be measured unwritten)."""
    return measure_graph([["-i", str(path)]], ",".join(["[0:a]anull", *pre_filters]) + "[mix]", path.name, peak)


def measure_graph(inputs: Sequence[Sequence[str]], graph: str, name: str, peak: bool = True) -> Loudness:
    """Loudness of what a filter graph labels [mix], computed without writing it.
    peak=False skips the true-peak scan (4x oversampling), several times faster."""
    scan = "ebur128=peak=true:framelog=quiet" if peak else "ebur128=framelog=quiet"
    argv = ["-nostats", *[a for i in inputs for a in i], "-filter_complex",
            f"{graph};[mix]{scan}[out]", "-map", "[out]", "-f", "null", "-"]
    proc = run(argv, what=f"loudness measurement of {name}")
    return parse_ebur128(proc.stderr.decode("utf-8", "replace"), name, peak)


def parse_ebur128(stderr: str, name: object, peak: bool = True) -> Loudness:
    """The figures from the summary the ebur128 filter prints when it ends."""
    summary = stderr[stderr.rfind("Summary:"):]

    def value(label: str) -> float:
        m = re.search(rf"{label}:\s+(-?inf|-?\d+(?:\.\d+)?)", summary)
        if not m:
            raise MediaError(f"could not read {label} from ffmpeg's ebur128 summary for {name}")
        return float(m.group(1))

    return Loudness(integrated=value("I"), true_peak=value("Peak") if peak else float("nan"), lra=value("LRA"))


@dataclass(frozen=True)
class StreamInfo:
    duration: float
    sample_rate: int
    channels: int
    codec: str


def probe(path: Path) -> StreamInfo:
    """Duration and format of the first audio stream, read by decoding the header with ffmpeg."""
    if not path.is_file():
        raise MediaError(f"{path}: no such file")
    argv = [executable(), "-hide_banner", "-nostdin", "-i", str(path)]
    log.debug("probe: %s", shlex.join(argv))
    proc = subprocess.run(argv, capture_output=True, check=False)  # exits 1: no output named
    text = proc.stderr.decode("utf-8", "replace")
    audio = re.search(r"Stream #\S+.*?: Audio: (\w+).*?, (\d+) Hz, ([^,]+),", text)
    duration = re.search(r"Duration: (\d+):(\d+):(\d+(?:\.\d+)?)", text)
    if not audio or not duration:
        reason = text.strip().splitlines()[-1] if text.strip() else "unreadable"
        raise MediaError(f"{path}: not a readable audio file ({reason})")
    h, m, s = duration.groups()
    layout = audio.group(3).strip()
    channels = {"mono": 1, "stereo": 2}.get(layout)
    if channels is None:
        n = re.match(r"(\d+) channels", layout)
        channels = int(n.group(1)) if n else 2
    return StreamInfo(duration=int(h) * 3600 + int(m) * 60 + float(s), sample_rate=int(audio.group(2)),
                      channels=channels, codec=audio.group(1))
