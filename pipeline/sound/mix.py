"""The mix stage: speech track plus intro and outro music, as an ffmpeg graph.

Nothing full-length is written or held here: the speech track is read by
ffmpeg, the music stems are seconds long, and the graph (speech resampled,
laid out and delayed sample-exactly, music stems placed, all summed) is
handed to mastering, which streams it straight into the encoder.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import audio, ffmpeg, music
from .master import Source, format_filters
from .track import ChapterMark, SpeechTrack

RATE = audio.MIX_RATE


@dataclass(frozen=True)
class Mix:
    track: SpeechTrack
    source: Source  # what mastering encodes
    speech_offset: float  # seconds of music before the speech track starts
    duration: float
    chapters: tuple[ChapterMark, ...]  # on the final timeline
    intro: str | None  # what played, for the report
    outro: str | None
    music_gain_db: float | None


def _raw_input(path: Path, channels: int) -> tuple[str, ...]:
    return ("-f", "f32le", "-ar", str(RATE), "-ac", str(channels), "-i", str(path))


def _write_stem(samples: np.ndarray, path: Path) -> Path:
    path.write_bytes(np.ascontiguousarray(samples, dtype="<f4").tobytes())
    return path


def mix(track: SpeechTrack, workdir: Path) -> Mix:
    settings = track.script.settings
    m, ms = settings.music, settings.master
    ch = ms.channels
    intro = music.resolve("intro", m.intro)
    outro = music.resolve("outro", m.outro)
    offset = m.lead_in if intro else m.silence_lead
    speech_end = track.placed[-1].start + track.placed[-1].duration  # after the last word

    inputs: list[tuple[str, ...]] = [("-i", str(track.path))]
    delay = int(round(offset * RATE))
    graph = [f"[0:a]{','.join(format_filters(ms))},adelay=delays={delay}S:all=1[speech]"]
    labels = ["[speech]"]
    duration = offset + track.duration + (0.0 if outro else m.silence_tail)
    gain = None
    sample = audio.excerpt(track.path, workdir / "excerpt.wav")
    if intro or outro:
        speech_loudness = ffmpeg.measure_loudness(sample, format_filters(ms), peak=False).integrated

        def level(raw: np.ndarray, name: str) -> float:
            probe = _write_stem(raw, workdir / f"{name}.measure.f32")
            loud = ffmpeg.measure_graph(
                [_raw_input(probe, ch)], "[0:a]anull[mix]", f"{name} music", peak=False
            ).integrated
            return speech_loudness + m.level - loud

    if intro:
        raw = music.load(intro, ch, music.intro_length(m))
        gain = level(raw, "intro")
        stem = music.stem(raw, music.intro_envelope(len(raw), m), gain)
        inputs.append(_raw_input(_write_stem(stem, workdir / "intro.f32"), ch))
        labels.append(f"[{len(inputs) - 1}:a]")
    if outro:
        overlap = min(m.outro_overlap, speech_end)
        raw = music.load(outro, ch, music.outro_length(m, overlap))
        gain_o = level(raw, "outro")
        gain = gain_o if gain is None else gain
        stem = music.stem(raw, music.outro_envelope(len(raw), m, overlap), gain_o)
        start = int(round((offset + speech_end - overlap) * RATE))
        inputs.append(_raw_input(_write_stem(stem, workdir / "outro.f32"), ch))
        graph.append(f"[{len(inputs) - 1}:a]adelay=delays={start}S:all=1[outro]")
        labels.append("[outro]")
        duration = max(duration, (start + len(stem)) / RATE)
    pad = int(round(duration * RATE))
    graph.append(
        f"{''.join(labels)}amix=inputs={len(labels)}:duration=longest:normalize=0,"
        f"apad=whole_len={pad},atrim=end_sample={pad}[mix]"
    )
    chapters = tuple(
        dataclasses.replace(c, start=0.0 if i == 0 else c.start + offset, speech_start=c.speech_start + offset)
        for i, c in enumerate(track.chapters)
    )
    return Mix(
        track,
        Source(tuple(inputs), ";".join(graph), track.script.slug, sample, pad / RATE),
        offset,
        pad / RATE,
        chapters,
        intro.label if intro else None,
        outro.label if outro else None,
        gain,
    )
