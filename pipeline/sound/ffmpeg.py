"""Every ffmpeg call goes through here: argv lists only, logged at debug level,
failures raised as MediaError with the command and the tail of stderr.

Which ffmpeg: by default the binary pinned by the imageio-ffmpeg dependency,
so the same inputs give the same MP3 bytes on every machine (the LAME, soxr
and limiter versions are part of the output).  `PODCAST_FFMPEG` (a path,
"system" or "pinned") or `[tools] ffmpeg` in podcast.toml chooses another;
the environment wins, since it describes the machine.  Whichever is chosen
is probed once for everything the pipeline uses (the answer is cached per
binary path, size and modification time): a missing capability with an
equivalent is replaced by it (recorded in the report), any other stops the
run with one line before any synthesis.  No ffprobe: imageio-ffmpeg ships
none, so media probing uses ffmpeg itself.
"""

from __future__ import annotations

import errno
import functools
import hashlib
import json
import logging
import os
import re
import shlex
import shutil
import subprocess
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence, Union

from .._fsutil import read_json, resolve_against, write_text_atomic
from ..errors import MediaError
from . import overview

log = logging.getLogger(__name__)

ENV = "PODCAST_FFMPEG"
PROBE_VERSION = 4  # bump when the probe learns something new, so cached answers are redone

# What the pipeline asks of ffmpeg: (kind, name, options it passes).  Two more
# are wanted but have equivalents: ebur128's framelog=quiet (else framelog=verbose,
# which keeps the per-frame lines below the log level just the same) and the soxr
# resampler (else ffmpeg's own swr, recorded in the report).
NEEDS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("filter", "aresample", ()),  # its options are the resampler's, present in every build
    ("filter", "alimiter", ("limit", "attack", "release", "level", "latency")),
    ("filter", "ebur128", ("peak",)),
    ("filter", "pan", ()),
    ("filter", "volume", ()),
    ("filter", "adelay", ("delays", "all")),
    ("filter", "amix", ("inputs", "duration", "normalize")),
    ("filter", "apad", ("whole_len",)),
    ("filter", "atrim", ("start_sample", "end_sample")),
    ("filter", "asetpts", ()),
    ("filter", "anull", ()),
    # the report page's overview, measured by the same meter (sound/overview.py)
    ("filter", "asplit", ()),
    ("filter", "aformat", ()),
    ("filter", "asetnsamples", ("n", "p")),
    ("filter", "astats", ("metadata", "reset", "measure_perchannel", "measure_overall")),
    ("filter", "ametadata", ("mode",)),
    ("filter", "anullsink", ()),
    ("encoder", "libmp3lame", ()),
    ("encoder", "pcm_s16le", ()),
    ("muxer", "mp3", ()),
    ("muxer", "wav", ()),
    ("muxer", "tee", ()),
    ("muxer", "null", ()),
    ("muxer", "s16le", ()),
    ("muxer", "f32le", ()),
    ("demuxer", "s16le", ()),
    ("demuxer", "f32le", ()),
    ("demuxer", "wav", ()),
    ("demuxer", "mp3", ()),
)

# What each optional output format (`[master] formats`) asks: probed always, required only
# when a show asks for the format (FFmpeg.require_formats, before any synthesis).
FORMAT_NEEDS: dict[str, tuple[tuple[str, str], ...]] = {
    "m4a": (("encoder", "aac"), ("muxer", "ipod"), ("demuxer", "mov"), ("demuxer", "ffmetadata")),
    "opus": (("encoder", "libopus"), ("muxer", "opus"), ("demuxer", "ogg")),
}


@dataclass(frozen=True)
class FFmpeg:
    """One ffmpeg binary and what it can do."""

    path: str
    source: str  # how it was chosen: "pinned (imageio-ffmpeg 0.8.1)", "PATH", "PODCAST_FFMPEG", "podcast.toml"
    version: str
    missing: tuple[str, ...] = ()  # what NEEDS asks for that this binary lacks
    soxr: bool = True  # the soxr resampler is built in
    framelog_quiet: bool = True  # ebur128 takes framelog=quiet
    formats_missing: tuple[tuple[str, str], ...] = ()  # (format, what it lacks) of FORMAT_NEEDS

    @property
    def resampler(self) -> str:
        return "soxr" if self.soxr else "swr"

    def resample(self, rate: int | None = None, precision: int | None = None) -> str:
        """An aresample filter: soxr (at `precision` bits) where built in, else swr."""
        head = f"aresample={rate}" if rate else "aresample"
        if not self.soxr:
            return head
        sep = ":" if rate else "="
        return f"{head}{sep}resampler=soxr" + (f":precision={precision}" if precision else "")

    def ebur128(self, peak: bool = True) -> str:
        """The loudness meter, with only its summary printed."""
        quiet = "framelog=quiet" if self.framelog_quiet else "framelog=verbose"
        return f"ebur128=peak=true:{quiet}" if peak else f"ebur128={quiet}"

    def require(self) -> "FFmpeg":
        if self.missing:
            raise MediaError(
                f"ffmpeg {self.path} (version {self.version}, {self.source}) lacks "
                f"{', '.join(self.missing)}; choose another with {ENV}=/path/to/ffmpeg "
                f"or [tools] ffmpeg in podcast.toml"
            )
        return self

    def require_formats(self, formats: Sequence[str]) -> "FFmpeg":
        """MediaError when this binary cannot write one of the extra `formats` ([master] formats)."""
        for fmt in formats:
            lacks = [what for name, what in self.formats_missing if name == fmt]
            if lacks:
                raise MediaError(
                    f"[master] formats asks for {fmt}, but ffmpeg {self.path} (version {self.version}, "
                    f"{self.source}) lacks {', '.join(lacks)}; choose another with {ENV}=/path/to/ffmpeg "
                    f"or [tools] ffmpeg in podcast.toml, or leave {fmt} out"
                )
        return self

    def describe(self) -> dict:
        """For the report and `podcast doctor`."""
        return {
            "path": self.path,
            "version": self.version,
            "source": self.source,
            "resampler": self.resampler,
            "missing": list(self.missing),
            "formats": sorted(f for f in FORMAT_NEEDS if all(f != name for name, _ in self.formats_missing)),
        }


_current: FFmpeg | None = None
_lock = threading.Lock()


def use(setting: str = "pinned", base: Path | None = None) -> FFmpeg:
    """Choose, probe and check the ffmpeg for this process's work; MediaError if it cannot serve."""
    global _current
    tool = choose(setting, base).require()
    with _lock:
        if _current != tool:
            log.debug("using ffmpeg %s (%s, %s, resampler %s)", tool.path, tool.version, tool.source, tool.resampler)
        _current = tool
    return tool


def current() -> FFmpeg:
    """The ffmpeg in use: the one `use()` chose, else the default choice."""
    with _lock:
        tool = _current
    return tool if tool is not None else use()


def executable() -> str:
    return current().path


def choose(setting: str = "pinned", base: Path | None = None) -> FFmpeg:
    """The ffmpeg that `PODCAST_FFMPEG`, else `setting` ("pinned", "system" or a path), names; probed."""
    env = os.environ.get(ENV, "").strip()
    spec, source = (env, ENV) if env else (setting or "pinned", "podcast.toml")
    if spec == "pinned":
        path, source = _pinned()
    elif spec == "system":
        found = shutil.which("ffmpeg")
        if not found:
            raise MediaError(f"{source} asks for the system's ffmpeg, but there is no ffmpeg on PATH")
        path, source = found, "PATH"
    else:
        candidate = resolve_against(spec, base)
        if not candidate.is_file() or not os.access(candidate, os.X_OK):
            raise MediaError(f"{source} names ffmpeg {candidate}, which is not an executable file")
        path = str(candidate)
    return inspect(path, source)


def _pinned() -> tuple[str, str]:
    """imageio-ffmpeg's own binary (not its search of PATH or $IMAGEIO_FFMPEG_EXE)."""
    try:
        from importlib.metadata import version

        import imageio_ffmpeg

        folder = Path(imageio_ffmpeg.__file__).parent / "binaries"
        found = sorted(p for p in folder.glob("ffmpeg*") if p.is_file() and os.access(p, os.X_OK))
        if found:
            return str(found[0]), f"pinned (imageio-ffmpeg {version('imageio-ffmpeg')})"
    except ImportError:  # pragma: no cover - a dependency
        pass
    system = shutil.which("ffmpeg")
    if system is None:
        raise MediaError(
            "no ffmpeg: imageio-ffmpeg has no binary for this platform and there is no ffmpeg "
            f"on PATH; install one, or set {ENV}=/path/to/ffmpeg"
        )
    log.warning(
        "imageio-ffmpeg has no ffmpeg for this platform; using %s from PATH "
        "(MP3 bytes may differ from other machines')",
        system,
    )
    return system, "PATH (no pinned binary for this platform)"


def inspect(path: str, source: str) -> FFmpeg:
    """Probe `path` for what NEEDS asks (cached in memory and on disk per path, size and mtime)."""
    try:
        st = os.stat(path)
    except OSError as exc:
        raise MediaError(f"ffmpeg {path}: {exc.strerror}") from None
    found = _inspect(os.path.realpath(path), st.st_size, st.st_mtime_ns)
    return FFmpeg(
        path=path,
        source=source,
        version=found["version"],
        missing=tuple(found["missing"]),
        soxr=found["soxr"],
        framelog_quiet=found["framelog_quiet"],
        formats_missing=tuple((f, w) for f, w in found.get("formats_missing", ())),
    )


@functools.lru_cache(maxsize=8)
def _inspect(path: str, size: int, mtime_ns: int) -> dict:
    key = hashlib.sha256(f"{PROBE_VERSION}:{path}:{size}:{mtime_ns}".encode()).hexdigest()[:24]
    store = _probe_store() / f"ffmpeg-{key}.json"
    try:
        return read_json(store, "tool probe")
    except (OSError, ValueError):
        pass
    found = _probe(path)
    try:
        write_text_atomic(store, json.dumps(found))
    except OSError:  # a read-only home: probe again next time
        pass
    return found


def _probe_store() -> Path:
    root = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(root) / "podcast-pipeline"


def _probe(path: str) -> dict:
    def ask(*flags: str) -> str:
        argv = argv_for(flags, program=path, stdin=True)  # as it always was: no -nostdin here
        log.debug("probe: %s", shlex.join(argv))
        try:
            proc = subprocess.run(argv, capture_output=True, timeout=30, stdin=subprocess.DEVNULL)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise MediaError(f"ffmpeg {path} cannot be run: {getattr(exc, 'strerror', None) or exc}") from None
        return proc.stdout.decode("utf-8", "replace") + proc.stderr.decode("utf-8", "replace")

    banner = ask("-version")
    m = re.match(r"ffmpeg version (\S+)", banner)
    if not m:
        raise MediaError(f"{path} is not ffmpeg (its -version says {banner.strip()[:60]!r})")
    have = {
        "filter": set(re.findall(r"^\s*[.A-Z|]{2,3}\s+(\w+)\s+[AVN|]*->[AVN|]*\s", ask("-filters"), re.M)),
        "encoder": set(re.findall(r"^\s*[VASFXBD.]{6}\s+(\w+)\s", ask("-encoders"), re.M)),
        "muxer": _formats(ask("-muxers")),
        "demuxer": _formats(ask("-demuxers")),
    }
    options = _filter_options(ask("-h", "full"))
    missing = []
    for kind, name, wanted in NEEDS:
        if name not in have[kind]:
            missing.append(f"the {name} {kind}")
            continue
        for option in wanted:
            if option not in options.get(name, {}):
                missing.append(f"the {name} filter's {option} option")
    formats_missing = [
        (fmt, f"the {name} {kind}")
        for fmt, needs in FORMAT_NEEDS.items()
        for kind, name in needs
        if name not in have[kind]
    ]
    return {
        "version": m.group(1),
        "missing": tuple(missing),
        "formats_missing": formats_missing,
        "soxr": "--enable-libsoxr" in banner,
        "framelog_quiet": "quiet" in options.get("ebur128", {}).get("framelog", ()),
    }


def _formats(listing: str) -> set[str]:
    names: set[str] = set()
    for m in re.finditer(r"^\s*[DEd.]{1,3}\s+(\S+)\s", listing, re.M):
        names.update(m.group(1).split(","))
    return names


def _filter_options(help_text: str) -> dict[str, dict[str, tuple[str, ...]]]:
    """{filter: {option: (named values...)}} from `ffmpeg -h full`'s "NAME AVOptions:" sections."""
    sections: dict[str, dict[str, list[str]]] = {}
    options: dict[str, list[str]] | None = None
    option: list[str] | None = None
    for line in help_text.splitlines():
        head = re.match(r"^(\S+) AVOptions:$", line)
        if head:
            options = sections.setdefault(head.group(1), {})
            option = None
            continue
        if options is None:
            continue
        opt = re.match(r"^  ?\s?-?(\w+)\s+<\w+>", line)
        if opt and len(line) - len(line.lstrip()) <= 3:
            option = options.setdefault(opt.group(1), [])
        elif option is not None and re.match(r"^\s{4,}(\w+)\s", line):
            option.append(line.split()[0])
    return {name: {o: tuple(v) for o, v in opts.items()} for name, opts in sections.items()}


Arg = Union[str, "os.PathLike[str]", int, float]  # an argument: paths and numbers become text


def argv_for(args: Sequence[Arg], *, program: str | None = None, stdin: bool = False) -> list[str]:
    """The one argv prefix: the ffmpeg in use, no banner, and no stdin unless it is read."""
    return [program or executable(), "-hide_banner", *([] if stdin else ["-nostdin"]), *map(str, args)]


def stderr_tail(stderr: bytes, lines: int = 3) -> str:
    """The last lines of ffmpeg's stderr, on one line (for an error message)."""
    return " | ".join(stderr.decode("utf-8", "replace").strip().splitlines()[-lines:])


# What ffmpeg prints for errors that are the machine's, not ffmpeg's: raised as the OSError a
# write of our own would get, so the caller names the file as for any full disk.  Checked
# whatever the exit status: ffmpeg 5.1 (Debian 12) exits 0 when it cannot close a full file.
_OS_ERRORS = {b"No space left on device": errno.ENOSPC, b"Disk quota exceeded": errno.EDQUOT}


def _check(what: str, code: int, argv: Sequence[str], stderr: bytes, output: Path | None = None) -> None:
    for text, number in _OS_ERRORS.items():
        if text in stderr:
            log.debug("%s failed (exit %d): %s: %s", what, code, shlex.join(argv), stderr_tail(stderr))
            last = argv[-1]
            target = output or (None if last.startswith(("-", "pipe:")) else last)
            raise OSError(number, os.strerror(number), None if target is None else str(target))
    if code != 0:
        raise MediaError(f"{what} failed (exit {code}): {shlex.join(argv)}: {stderr_tail(stderr)}")


def run(args: Sequence[Arg], *, input: bytes | None = None, what: str = "ffmpeg") -> subprocess.CompletedProcess:
    """Run ffmpeg with `args` (without the program name); stdout is returned as bytes."""
    argv = argv_for(args, stdin=input is not None)
    log.debug("%s: %s", what, shlex.join(argv))
    try:
        proc = subprocess.run(argv, input=input, capture_output=True, check=False)
    except OSError as exc:
        raise MediaError(f"cannot start ffmpeg ({argv[0]}): {exc.strerror}") from None
    _check(what, proc.returncode, argv, proc.stderr)
    return proc


def encode_measured(
    args: Sequence[Arg],
    dst: Path,
    fmt: str,
    mux: Sequence[tuple[str, str]],
    what: str,
    delay: int = 0,
    block_rate: int | None = None,
    duration: float | None = None,
) -> "Loudness":
    """Encode to `dst` and, at the same time on another core, decode the very same
    encoded stream (ffmpeg's tee muxer sends it to a pipe too) and measure it.

    The file is still written as a file, so its gapless header is complete.
    The piped copy lacks only that header, so its decoder does not skip the
    encoder's `delay` priming samples: the meter skips them, and so measures
    exactly the samples a player decodes from the file.

    With `block_rate` (the stream's sample rate) the meter also logs every 100 ms of it:
    the returned Loudness carries those frames (`overview.Frames`, for the report page);
    `duration`, about how long the stream is, sizes the waveform's blocks.
    """
    options = ":".join([f"f={fmt}", *(f"{k}={v}" for k, v in mux)])
    target = f"[{options}]{_tee_escape(str(dst))}|[{options}]pipe:1"
    tool = current()
    block = overview.block_frames(duration, block_rate) if block_rate else 1
    encoder = argv_for([*args, "-f", "tee", target], program=tool.path)
    meter = argv_for(
        [
            "-nostats",
            "-f",
            fmt,
            "-i",
            "pipe:0",
            "-filter_complex",
            f"[0:a]atrim=start_sample={delay},asetpts=PTS-STARTPTS,{_meter(tool, block_rate, block)}[out]",
            "-map",
            "[out]",
            "-f",
            "null",
            "-",
        ],
        program=tool.path,
        stdin=True,
    )
    log.debug("%s: %s | %s", what, shlex.join(encoder), shlex.join(meter))
    with tempfile.TemporaryFile() as encoder_log:
        try:
            enc = subprocess.Popen(encoder, stdout=subprocess.PIPE, stderr=encoder_log)
            meas = subprocess.Popen(meter, stdin=enc.stdout, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        except OSError as exc:
            raise MediaError(f"cannot start ffmpeg ({encoder[0]}): {exc.strerror}") from None
        assert enc.stdout is not None
        enc.stdout.close()  # the meter holds the read end now
        _, meter_err = meas.communicate()
        enc.wait()
        encoder_log.seek(0)
        _check(what, enc.returncode, encoder, encoder_log.read(), dst)
    _check(f"measuring {what}", meas.returncode, meter, meter_err)
    text = meter_err.decode("utf-8", "replace")
    loudness = parse_ebur128(text, dst.name)
    if block_rate:
        loudness = Loudness(loudness.integrated, loudness.true_peak, loudness.lra, overview.parse_log(text, block))
    return loudness


def _meter(tool: "FFmpeg", block_rate: int | None, block: int = 1) -> str:
    """The ebur128 meter; with `block_rate`, split: the meter logs every frame and the other
    branch logs each 100 ms block's lowest and highest sample (sound/overview.py)."""
    if not block_rate:
        return tool.ebur128()
    return (
        f"asplit=2[meter][blocks];[blocks]{overview.block_filters(block_rate, block)},anullsink;"
        "[meter]ebur128=peak=true:framelog=info"
    )


def measure_overview(path: Path) -> tuple["Loudness", "overview.Frames"]:
    """Loudness and the 100 ms frames of a file as decoded (`podcast report` on a render whose
    report lacks them): a whole decode and meter pass, seconds for an episode."""
    info = probe(path)
    block = overview.block_frames(info.duration, info.sample_rate)
    argv = [
        "-nostats",
        "-i",
        str(path),
        "-filter_complex",
        f"[0:a]{_meter(current(), info.sample_rate, block)}[out]",
        "-map",
        "[out]",
        "-f",
        "null",
        "-",
    ]
    text = run(argv, what=f"measuring {path.name}").stderr.decode("utf-8", "replace")
    return parse_ebur128(text, path.name), overview.parse_log(text, block)


def _tee_escape(path: str) -> str:
    return "".join("\\" + ch if ch in "\\|[]" else ch for ch in path)


@dataclass(frozen=True)
class Loudness:
    integrated: float  # LUFS
    true_peak: float  # dBTP
    lra: float  # LU
    frames: Any = field(default=None, compare=False, repr=False)  # overview.Frames, when asked for


def measure_loudness(path: Path, pre_filters: Sequence[str] = (), peak: bool = True) -> Loudness:
    """EBU R128 integrated loudness, true peak and loudness range of a file as
    decoded (after `pre_filters`, so a conversion can be measured unwritten)."""
    return measure_graph([["-i", str(path)]], ",".join(["[0:a]anull", *pre_filters]) + "[mix]", path.name, peak)


def measure_graph(inputs: Sequence[Sequence[str]], graph: str, name: str, peak: bool = True) -> Loudness:
    """Loudness of what a filter graph labels [mix], computed without writing it.
    peak=False skips the true-peak scan (4x oversampling), several times faster."""
    argv = [
        "-nostats",
        *[a for i in inputs for a in i],
        "-filter_complex",
        f"{graph};[mix]{current().ebur128(peak)}[out]",
        "-map",
        "[out]",
        "-f",
        "null",
        "-",
    ]
    proc = run(argv, what=f"loudness measurement of {name}")
    return parse_ebur128(proc.stderr.decode("utf-8", "replace"), name, peak)


def parse_ebur128(stderr: str, name: object, peak: bool = True) -> Loudness:
    """The figures from the summary the ebur128 filter prints when it ends."""
    summary = stderr[stderr.rfind("Summary:") :]

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
    argv = argv_for(["-i", path])
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
    return StreamInfo(
        duration=int(h) * 3600 + int(m) * 60 + float(s),
        sample_rate=int(audio.group(2)),
        channels=channels,
        codec=audio.group(1),
    )
