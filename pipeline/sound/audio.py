"""16-bit PCM helpers: WAV files written incrementally, silence, resampling."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np

from . import ffmpeg

MIX_RATE = 44100  # music and the mix run at this rate; the speech track is resampled to it


def silence(seconds: float, sample_rate: int) -> np.ndarray:
    return np.zeros(int(round(seconds * sample_rate)), dtype=np.int16)


class WavWriter:
    """Mono or interleaved int16 WAV, appended chunk by chunk (bounded memory)."""

    def __init__(self, path: Path, sample_rate: int, channels: int = 1):
        self._wav = wave.open(str(path), "wb")
        self._wav.setnchannels(channels)
        self._wav.setsampwidth(2)
        self._wav.setframerate(sample_rate)
        self.sample_rate = sample_rate
        self.frames = 0
        self.channels = channels

    def write(self, samples: np.ndarray) -> None:
        self._wav.writeframes(np.ascontiguousarray(samples, dtype="<i2").tobytes())
        self.frames += len(samples) // self.channels if samples.ndim == 1 else len(samples)

    def close(self) -> None:
        self._wav.close()

    def __enter__(self) -> "WavWriter":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def resample(samples: np.ndarray, rate: int, target: int) -> np.ndarray:
    """Mono int16 at `rate` to `target` Hz (ffmpeg's resampler through a pipe)."""
    if rate == target or len(samples) == 0:
        return samples
    proc = ffmpeg.run(
        [
            "-f",
            "s16le",
            "-ar",
            rate,
            "-ac",
            1,
            "-i",
            "pipe:0",
            "-af",
            ffmpeg.current().resample(),
            "-ar",
            target,
            "-f",
            "s16le",
            "pipe:1",
        ],
        input=samples.astype("<i2").tobytes(),
        what="resampling",
    )
    return np.frombuffer(proc.stdout, dtype="<i2").astype(np.int16)


def onset(samples: np.ndarray, sample_rate: int, threshold_db: float = -40.0) -> float:
    """Seconds of near-silence before the first sound (20 ms windows)."""
    window = max(1, sample_rate // 50)
    level = 32767 * 10 ** (threshold_db / 20)
    for start in range(0, len(samples), window):
        block = samples[start : start + window].astype(np.float32)
        if block.size and np.sqrt(np.mean(block * block)) > level:
            # refine inside the window to the first loud-ish sample
            loud = np.nonzero(np.abs(block) > level)[0]
            return (start + (int(loud[0]) if loud.size else 0)) / sample_rate
    return len(samples) / sample_rate


def trim(samples: np.ndarray, sample_rate: int, threshold_db: float, before: float, after: float) -> tuple[int, int]:
    """Where the sound is: (start, end) sample indices around the first and last 20 ms windows
    above `threshold_db`, widened by `before` and `after` seconds; (0, 0) for silence."""
    window = max(1, sample_rate // 50)
    n = len(samples) // window
    if n == 0:
        return 0, len(samples)
    blocks = samples[: n * window].astype(np.float32).reshape(n, window)
    loud = np.nonzero(np.sqrt(np.mean(blocks * blocks, axis=1)) > 32767 * 10 ** (threshold_db / 20))[0]
    if loud.size == 0:
        return 0, 0
    start = max(0, int(loud[0]) * window - int(before * sample_rate))
    end = min(len(samples), (int(loud[-1]) + 1) * window + int(after * sample_rate))
    return start, end


def excerpt(src: Path, dst: Path, seconds: float = 90.0, pieces: int = 9) -> Path:
    """A short WAV of `pieces` evenly spaced windows of `src` (the whole file if it is short):
    enough of a long programme to measure how it behaves, at a fraction of the cost."""
    with wave.open(str(src), "rb") as r:
        rate, channels, total = r.getframerate(), r.getnchannels(), r.getnframes()
        window = int(seconds * rate / pieces)
        with WavWriter(dst, rate, channels) as w:
            if total <= seconds * rate:
                w.write(np.frombuffer(r.readframes(total), "<i2"))
            else:
                step = (total - window) // (pieces - 1)
                for k in range(pieces):
                    r.setpos(k * step)
                    w.write(np.frombuffer(r.readframes(window), "<i2"))
    return dst
