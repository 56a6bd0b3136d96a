"""The default intro and outro music, made here: royalty-free by construction.

A short, warm progression (I - V - vi - IV in D major) with a soft pad, a
plucked melody and a round bass, each note shaped by its own envelope.  Pure
arithmetic, no randomness: the same samples on every machine.
"""

from __future__ import annotations

import numpy as np

from .audio import MIX_RATE as RATE

BPM = 96
BEAT = 60.0 / BPM

# Chord roots and triads as MIDI notes (D major: D, A, Bm, G).
_CHORDS = [(50, (62, 66, 69)), (45, (61, 64, 69)), (47, (62, 66, 71)), (43, (62, 67, 71))]
_MELODY: list[list[tuple[float, int, float]]] = [  # (beat offset within the bar, MIDI note, length in beats)
    [(0, 74, 1), (1, 76, 1), (2, 78, 1.5), (3.5, 76, 0.5)],
    [(0, 76, 1.5), (1.5, 73, 0.5), (2, 69, 2)],
    [(0, 71, 1), (1, 74, 1), (2, 78, 1), (3, 81, 1)],
    [(0, 79, 1.5), (1.5, 78, 0.5), (2, 74, 2)],
]


def _freq(midi: float) -> float:
    return 440.0 * 2 ** ((midi - 69) / 12)


def _adsr(n: int, attack: float, decay: float, sustain: float, release: float) -> np.ndarray:
    a, d, r = int(attack * RATE), int(decay * RATE), int(release * RATE)
    s = max(0, n - a - d - r)
    env = np.concatenate(
        [
            np.linspace(0, 1, a, endpoint=False),
            np.linspace(1, sustain, d, endpoint=False),
            np.full(s, sustain),
            np.linspace(sustain, 0, r),
        ]
    )
    return np.pad(env, (0, max(0, n - len(env))))[:n]


def _tone(midi: float, harmonics: tuple[float, ...], env: np.ndarray) -> np.ndarray:
    t = np.arange(len(env)) / RATE
    f = _freq(midi)
    wave = sum(h * np.sin(2 * np.pi * f * (k + 1) * t + k) for k, h in enumerate(harmonics) if f * (k + 1) < RATE / 2)
    return wave * env


def _add(track: np.ndarray, start: float, sound: np.ndarray, pan: float) -> None:
    i = int(start * RATE)
    j = min(len(track), i + len(sound))
    left, right = np.cos((pan + 1) * np.pi / 4), np.sin((pan + 1) * np.pi / 4)
    track[i:j, 0] += sound[: j - i] * left
    track[i:j, 1] += sound[: j - i] * right


def jingle(bars: int = 5) -> np.ndarray:
    """Stereo float32 samples at 44.1 kHz, peak 0.5 (music is ducked and
    loudness-matched later, so its level here only needs headroom)."""
    bar = 4 * BEAT
    total = bars * bar + 2.5  # the last bar rings on
    track = np.zeros((int(total * RATE), 2))
    for b in range(bars):
        root, triad = _CHORDS[b % len(_CHORDS)]
        last = b == bars - 1
        length = bar + (2.5 if last else 0.05)
        start = b * bar
        pad_env = _adsr(int(length * RATE), 0.4, 0.6, 0.6, 1.2 if last else 0.3)
        for k, note in enumerate(triad):
            _add(track, start, 0.10 * _tone(note, (1, 0.35, 0.15, 0.06), pad_env), pan=(k - 1) * 0.5)
        for beat in range(4 if not last else 1):
            n = int((2.5 if last else BEAT) * RATE)
            _add(track, start + beat * BEAT, 0.22 * _tone(root - 12, (1, 0.4, 0.1), _adsr(n, 0.01, 0.25, 0.3, 0.2)), 0)
        for offset, note, beats in _MELODY[b % len(_MELODY)] if not last else [(0, 74, 4)]:
            n = int(beats * BEAT * RATE) + int(0.4 * RATE)
            env = _adsr(n, 0.005, 0.35, 0.25, 0.4)
            _add(track, start + offset * BEAT, 0.16 * _tone(note, (1, 0.5, 0.25, 0.12, 0.05), env), 0.3)
    track *= 0.5 / np.abs(track).max()
    return track.astype(np.float32)
