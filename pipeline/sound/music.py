"""Intro and outro music: where it comes from, and how loud it is when.

Ducking is drawn as a gain envelope, not left to a compressor: the speech
timing is known exactly, so the music can start down before the first word
and come up after the last, the way a radio producer rides the fader.
Envelopes are pure functions of the settings and the timing (tested on
tones); the stems they shape are a few seconds long, so they live in memory.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .._config import DEFAULT, MusicSettings, is_none
from .._fsutil import regular_file
from ..errors import MediaError
from . import audio, ffmpeg, jingle

RATE = audio.MIX_RATE
MAX_MUSIC_BYTES = 500_000_000  # intro and outro are seconds long; a larger file is the wrong file


@dataclass(frozen=True)
class MusicSource:
    kind: str  # "intro" or "outro"
    path: Path | None  # None: the generated jingle

    @property
    def label(self) -> str:
        return str(self.path) if self.path else "generated jingle"


def resolve(kind: str, setting: str | None) -> MusicSource | None:
    """The music a setting names, checked now, before any synthesis time is spent."""
    if setting is None or is_none(setting):
        return None
    if setting == DEFAULT:
        return MusicSource(kind, None)
    path = Path(setting)
    if not path.exists():
        raise MediaError(f"{kind} music {path}: no such file")
    try:  # a FIFO or device is refused before ffmpeg could block on it
        regular_file(path, "audio file", MAX_MUSIC_BYTES)
    except ValueError as exc:
        raise MediaError(f"{kind} music {path}: {exc}") from None
    except OSError as exc:
        raise MediaError(f"{kind} music {path}: {exc.strerror}") from None
    try:
        info = ffmpeg.probe(path)
    except MediaError:
        raise MediaError(f"{kind} music {path}: not an audio file ffmpeg can read") from None
    if info.duration < 1.0:
        raise MediaError(f"{kind} music {path}: only {info.duration:.2f} s long")
    return MusicSource(kind, path)


def load(source: MusicSource, channels: int, seconds: float) -> np.ndarray:
    """Up to `seconds` of the music as float32 (frames, channels) at 44.1 kHz."""
    if source.path is None:
        music = jingle.jingle(bars=3 if source.kind == "intro" else 5)
        if channels == 1:
            music = music.mean(axis=1, keepdims=True)
        return music[: int(seconds * RATE)]
    proc = ffmpeg.run(
        ["-i", source.path, "-t", f"{seconds:.3f}", "-vn", "-ac", channels, "-ar", RATE, "-f", "f32le", "pipe:1"],
        what=f"decoding {source.kind} music {source.path.name}",
    )
    data = np.frombuffer(proc.stdout, dtype="<f4").reshape(-1, channels)
    if len(data) < RATE:
        raise MediaError(f"{source.kind} music {source.path}: no audio could be decoded")
    return data


def _ramp(n: int, start: float, end: float) -> np.ndarray:
    """A raised-cosine move from `start` to `end` gain over n samples: monotonic, no corners."""
    if n <= 0:
        return np.zeros(0)
    x = np.linspace(0.0, 1.0, n, endpoint=False)
    return start + (end - start) * (0.5 - 0.5 * np.cos(np.pi * x))


def _segments(parts: list[tuple[float, float, float]], n: int) -> np.ndarray:
    """Concatenate (seconds, from, to) ramps, cut or held at the last value to n samples."""
    env = np.concatenate([_ramp(int(round(s * RATE)), a, b) for s, a, b in parts] or [np.zeros(0)])
    if len(env) < n:
        env = np.concatenate([env, np.full(n - len(env), parts[-1][2] if parts else 0.0)])
    return env[:n]


def intro_parts(m: MusicSettings) -> list[tuple[float, float, float]]:
    """The intro's fader moves, (seconds, from gain, to gain): full while alone, ducked as the
    voice comes in at `lead_in`, then gone."""
    duck = 10 ** (m.duck_db / 20)
    ramp = min(m.duck_ramp, m.lead_in)
    return [
        (min(0.05, m.lead_in), 0.0, 1.0),  # no click if the file starts loud
        (max(0.0, m.lead_in - ramp - 0.05), 1.0, 1.0),
        (ramp, 1.0, duck),
        (m.intro_hold, duck, duck),
        (m.intro_fade, duck, 0.0),
    ]


def intro_envelope(n: int, m: MusicSettings) -> np.ndarray:
    """Full while alone, ducked as the voice comes in at `lead_in`, then gone."""
    return _segments(intro_parts(m), n)


def intro_length(m: MusicSettings) -> float:
    return m.lead_in + m.intro_hold + m.intro_fade


def outro_envelope(n: int, m: MusicSettings, overlap: float) -> np.ndarray:
    """Comes in ducked under the last `overlap` seconds of speech, rises, plays, fades out."""
    env = _segments(outro_parts(m, overlap), n)
    # Music shorter than the plan: fade out over what there is, never cut off.
    fade = int(min(m.outro_fade, max(0.0, n / RATE - overlap)) * RATE)
    if n < int(outro_length(m, overlap) * RATE) and fade > 0:
        env[-fade:] = np.minimum(env[-fade:], env[-fade] * _ramp(fade, 1.0, 0.0))
    return env


def outro_parts(m: MusicSettings, overlap: float) -> list[tuple[float, float, float]]:
    """The outro's fader moves (see `intro_parts`)."""
    duck = 10 ** (m.duck_db / 20)
    fade_in = min(m.duck_ramp, overlap)
    return [
        (fade_in, 0.0, duck),
        (overlap - fade_in, duck, duck),
        (m.outro_rise, duck, 1.0),
        (m.outro_hold, 1.0, 1.0),
        (m.outro_fade, 1.0, 0.0),
    ]


def envelope_points(parts: list[tuple[float, float, float]], start: float, end: float) -> list[list[float | None]]:
    """The fader moves as [seconds on the final timeline, gain in dB of the full level] points
    (None: silent), from `start`, cut at `end` (for the report)."""
    t = start
    points: list[list[float | None]] = []
    for seconds, a, b in parts:
        for when, gain in ((t, a), (t + seconds, b)):
            if when <= end + 1e-9 and (not points or points[-1] != [round(when, 3), _db(gain)]):
                points.append([round(when, 3), _db(gain)])
        t += seconds
    return points


def _db(gain: float) -> float | None:
    return None if gain <= 1e-6 else round(20 * np.log10(gain), 1)


def outro_length(m: MusicSettings, overlap: float) -> float:
    return overlap + m.outro_rise + m.outro_hold + m.outro_fade


def stem(music: np.ndarray, envelope: np.ndarray, gain_db: float) -> np.ndarray:
    return (music[: len(envelope)] * (envelope[: len(music), None] * 10 ** (gain_db / 20))).astype(np.float32)
