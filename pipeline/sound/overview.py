"""The master at a glance: a waveform overview and loudness over time, for the render report's page.

Measured on the MP3 as decoded, by the same ffmpeg run that measures its integrated
loudness while it is encoded (`ffmpeg.encode_measured(..., block=...)`), so it costs no
extra decoding: the decoded stream is split, one branch goes to the EBU R128 meter with
its frame log on (momentary and short-term loudness and the true peak of every 100 ms),
the other is cut into 100 ms blocks whose lowest and highest sample `astats` prints.
This module reads those lines (pure functions, no ffmpeg) and reduces them to at most
`COLUMNS` columns: small enough for the report JSON and a page of a few hundred kB.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np

FRAME = 0.1  # seconds: ebur128 logs every 100 ms; the waveform blocks are cut to match
COLUMNS = 1200  # at most, whatever the length: an overview, not the samples
FLOOR = -70.0  # LUFS: the meter's "nothing" (it prints -120.7 for digital silence); the absolute gate

_FRAME_LINE = re.compile(
    r"\bt:\s*(?P<t>[\d.]+)\s+TARGET:\S+\s+LUFS\s+M:\s*(?P<m>\S+)\s+S:\s*(?P<s>\S+)"
    r"(?:.*?FTPK:(?P<ftpk>(?:\s+(?:-?inf|-?nan|-?[\d.]+))+)\s+dBFS)?"
)
_LEVEL_LINE = re.compile(r"lavfi\.astats\.Overall\.(Min|Max)_level=(\S+)")


def block_frames(duration: float | None, rate: int) -> int:
    """How many 100 ms frames one waveform block spans: a whole column of the overview of an
    episode about `duration` long (a second of slack), so `astats` prints a line per column,
    not per frame (a tenth of a second of CPU for 25 minutes, not a second).  1 where the
    duration is unknown or the rate has no whole number of samples in 100 ms."""
    if not duration or rate % 10:
        return 1
    return max(1, math.ceil(math.ceil(duration / FRAME + 10) / COLUMNS))


def block_filters(rate: int, frames: int = 1) -> str:
    """The waveform branch of the meter's graph: the lowest and highest sample of every
    `frames` x 100 ms (all channels), printed to the log (its input and output labels are the caller's)."""
    n = max(1, int(round(rate * FRAME))) * frames
    return (
        "aformat=sample_fmts=fltp,"  # levels as fractions of full scale, whatever was decoded
        f"asetnsamples=n={n}:p=0,"
        "astats=metadata=1:reset=1:measure_perchannel=none:measure_overall=Min_level+Max_level,"
        "ametadata=mode=print"
    )


def _number(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        return float("nan")
    return value


def _loudness(text: str) -> float:
    """A meter reading: silence is -inf (ffmpeg 5.1 prints nan where 9 prints -120.7)."""
    value = _number(text)
    return value if not math.isnan(value) else float("-inf")


@dataclass(frozen=True)
class Frames:
    """Every 100 ms of the master: frame i covers [i * FRAME, (i + 1) * FRAME)."""

    momentary: np.ndarray  # LUFS (400 ms window ending at the frame's end)
    short_term: np.ndarray  # LUFS (3 s window)
    true_peak: np.ndarray  # dBTP, the highest of the channels, within the frame (nan where not measured)
    low: np.ndarray  # the lowest sample of each block of `block` frames, full scale -1..1
    high: np.ndarray  # the highest sample
    block: int = 1  # frames per waveform block

    def __len__(self) -> int:
        return len(self.momentary)


def parse_log(stderr: str, block: int = 1) -> Frames:
    """The meter's frame log and the levels of its blocks of `block` frames, from ffmpeg's stderr."""
    m, s, tp = [], [], []
    for match in _FRAME_LINE.finditer(stderr):
        m.append(_loudness(match.group("m")))
        s.append(_loudness(match.group("s")))
        peaks = [_number(x) for x in (match.group("ftpk") or "").split()]
        tp.append(max(peaks) if peaks else float("nan"))
    low: list[float] = []
    high: list[float] = []
    for match in _LEVEL_LINE.finditer(stderr):
        (low if match.group(1) == "Min" else high).append(_number(match.group(2)))
    n = math.ceil(len(m) / block)  # blocks the frames span: a last block may be partial
    waves = min(len(low), len(high))

    def fit(values: Sequence[float]) -> np.ndarray:
        out = np.full(n, np.nan)
        k = min(n, len(values))
        out[:k] = values[:k]
        return out

    return Frames(
        np.array(m, dtype=float),
        np.array(s, dtype=float),
        np.array(tp, dtype=float),
        fit(low[:waves]),
        fit(high[:waves]),
        block,
    )


def _floor(x: np.ndarray) -> np.ndarray:
    return np.where(np.isfinite(x), np.maximum(x, FLOOR), FLOOR)


def well_formed(ov: Any) -> bool:
    """Whether `ov` has overview()'s shape (a report read back may have been edited or damaged)."""
    if not isinstance(ov, dict):
        return False
    series = ("wave_min", "wave_max", "momentary_max", "short_term")
    try:
        step, columns = float(ov["step"]), ov["columns"]
        return (
            math.isfinite(step)
            and step > 0
            and isinstance(columns, int)
            and all(
                isinstance(ov[k], list)
                and len(ov[k]) == columns
                and all(isinstance(v, (int, float)) and math.isfinite(v) for v in ov[k])
                for k in series
            )
        )
    except (KeyError, TypeError, ValueError):
        return False


def overview(frames: Frames, columns: int = COLUMNS, measured: str = "while encoding") -> dict[str, Any] | None:
    """The compact form the report keeps: `per` frames to a column, each column's lowest and
    highest sample (thousandths of full scale), highest momentary and mean short-term loudness
    (LUFS, 0.1), and where the highest true peak is.  None when the log held no frames."""
    n = len(frames)
    if n == 0:
        return None
    k = frames.block
    per = k * math.ceil(math.ceil(n / columns) / k)  # whole waveform blocks to a column
    cols = math.ceil(n / per)

    def grid(x: np.ndarray, fill: float, size: int) -> np.ndarray:
        x = x[: cols * size]
        return np.concatenate([x, np.full(cols * size - len(x), fill)]).reshape(cols, size)

    with np.errstate(all="ignore"):
        low = np.nanmin(grid(frames.low, np.nan, per // k), axis=1)
        high = np.nanmax(grid(frames.high, np.nan, per // k), axis=1)
        momentary = grid(_floor(frames.momentary), FLOOR, per).max(axis=1)
        short = grid(_floor(frames.short_term), np.nan, per)
        short_mean = np.nanmean(short, axis=1)
    low = np.clip(np.nan_to_num(low, nan=0.0), -1.0, 1.0)
    high = np.clip(np.nan_to_num(high, nan=0.0), -1.0, 1.0)
    out: dict[str, Any] = {
        "measured": measured,
        "frame": FRAME,
        "per_column": per,
        "step": round(per * FRAME, 3),  # seconds per column
        "columns": cols,
        "wave_min": [int(round(v * 1000)) for v in low],
        "wave_max": [int(round(v * 1000)) for v in high],
        "momentary_max": [round(float(v), 1) for v in momentary],
        "short_term": [round(float(v), 1) for v in np.nan_to_num(short_mean, nan=FLOOR)],
    }
    if np.isfinite(frames.true_peak).any():
        i = int(np.nanargmax(frames.true_peak))
        out["true_peak"] = {"dbtp": round(float(frames.true_peak[i]), 1), "at": round(i * FRAME, 1)}
    return out
