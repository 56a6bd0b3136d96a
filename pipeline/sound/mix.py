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
from .track import ChapterMark, Placed, SpeechTrack

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
    intro_at: float = 0.0  # seconds: where the intro starts (after a segment said apart, else 0)
    outro_at: float = 0.0  # where the outro starts (when there is one)
    outro_overlap: float = 0.0  # seconds of it under the last words


@dataclass(frozen=True)
class _Piece:
    """A stretch of the speech track, moved by `shift` seconds on the mix's timeline."""

    start: float  # seconds of the track
    end: float | None
    shift: float


def _raw_input(path: Path, channels: int) -> tuple[str, ...]:
    return ("-f", "f32le", "-ar", str(RATE), "-ac", str(channels), "-i", str(path))


def _write_stem(samples: np.ndarray, path: Path) -> Path:
    path.write_bytes(np.ascontiguousarray(samples, dtype="<f4").tobytes())
    return path


def _moved(p: Placed, d: float) -> Placed:
    if not d:
        return p
    sentences = tuple(
        dataclasses.replace(
            s, start=s.start + d, words=tuple(dataclasses.replace(w, start=w.start + d, end=w.end + d) for w in s.words)
        )
        for s in p.sentences
    )
    return dataclasses.replace(p, start=p.start + d, onset=p.onset + d, sentences=sentences)


def _laid_out(track: SpeechTrack, pieces: list[_Piece]) -> SpeechTrack:
    """The track's record with every placement moved as its piece is (the file is unchanged:
    the graph moves the audio the same way)."""
    if all(not p.shift for p in pieces):
        return track

    def shift(t: float) -> float:
        return next(p.shift for p in reversed(pieces) if t >= p.start)

    return dataclasses.replace(
        track,
        placed=tuple(_moved(p, shift(p.start)) for p in track.placed),
        chapters=tuple(
            dataclasses.replace(
                c, start=c.start + shift(c.speech_start), speech_start=c.speech_start + shift(c.speech_start)
            )
            if i
            else dataclasses.replace(c, speech_start=c.speech_start + shift(c.speech_start))
            for i, c in enumerate(track.chapters)
        ),
        duration=track.duration + pieces[-1].shift,
    )


def _speech_graph(filters: list[str], pieces: list[_Piece], offset: float) -> list[str]:
    """The speech input formatted, cut into its pieces and each delayed into place, as [speech0..]."""
    head = f"[0:a]{','.join(filters)}"
    if len(pieces) == 1:
        return [f"{head},adelay=delays={int(round(offset * RATE))}S:all=1[speech0]"]
    graph = [f"{head},asplit={len(pieces)}{''.join(f'[cut{i}]' for i in range(len(pieces)))}"]
    for i, p in enumerate(pieces):
        a = int(round(p.start * RATE))
        trim = f"atrim=start_sample={a}" + (f":end_sample={int(round(p.end * RATE))}" if p.end is not None else "")
        delay = int(round((offset + p.start + p.shift) * RATE))
        graph.append(f"[cut{i}]{trim},asetpts=PTS-STARTPTS,adelay=delays={delay}S:all=1[speech{i}]")
    return graph


def mix(track: SpeechTrack, workdir: Path) -> Mix:
    settings = track.script.settings
    m, ms = settings.music, settings.master
    ch = ms.channels
    intro = music.resolve("intro", m.intro)
    outro = music.resolve("outro", m.outro)
    placed = track.placed
    # A segment said apart from the music (the spoken AI disclosure): before the intro when it
    # is the first, after the outro has ended when it is the last; a paragraph pause between.
    first_apart = bool(intro) and len(placed) > 1 and placed[0].segment.apart
    last_apart = bool(outro) and len(placed) > 1 and placed[-1].segment.apart
    beat = settings.speech.paragraph_pause
    offset = m.lead_in if intro and not first_apart else m.silence_lead
    pieces = [_Piece(0.0, None, 0.0)]
    intro_at = 0.0
    if first_apart:
        said = placed[0].start + placed[0].duration
        intro_at = offset + said + beat
        shift = max(0.0, intro_at + m.lead_in - (offset + placed[1].start))
        pieces = [_Piece(0.0, said, 0.0), _Piece(said, None, shift)]
    words = placed[-2] if last_apart else placed[-1]
    speech_end = words.start + words.duration + pieces[-1].shift  # after the last word under the outro

    inputs: list[tuple[str, ...]] = [("-i", str(track.path))]
    duration = offset + track.duration + pieces[-1].shift + (0.0 if outro else m.silence_tail)
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

    graph: list[str] = []
    labels: list[str] = []
    if intro:
        raw = music.load(intro, ch, music.intro_length(m))
        gain = level(raw, "intro")
        stem = music.stem(raw, music.intro_envelope(len(raw), m), gain)
        inputs.append(_raw_input(_write_stem(stem, workdir / "intro.f32"), ch))
        graph.append(f"[{len(inputs) - 1}:a]adelay=delays={int(round(intro_at * RATE))}S:all=1[intro]")
        labels.append("[intro]")
    overlap = outro_at = 0.0
    if outro:
        overlap = min(m.outro_overlap, speech_end)
        raw = music.load(outro, ch, music.outro_length(m, overlap))
        gain_o = level(raw, "outro")
        gain = gain_o if gain is None else gain
        stem = music.stem(raw, music.outro_envelope(len(raw), m, overlap), gain_o)
        start = int(round((offset + speech_end - overlap) * RATE))
        outro_at = start / RATE
        inputs.append(_raw_input(_write_stem(stem, workdir / "outro.f32"), ch))
        graph.append(f"[{len(inputs) - 1}:a]adelay=delays={start}S:all=1[outro]")
        labels.append("[outro]")
        duration = max(duration, (start + len(stem)) / RATE)
        if last_apart:
            cut = placed[-2].start + placed[-2].duration
            shift = max(pieces[-1].shift, (start + len(stem)) / RATE + beat - (offset + placed[-1].start))
            pieces = [*pieces[:-1], dataclasses.replace(pieces[-1], end=cut), _Piece(cut, None, shift)]
            duration = offset + track.duration + shift + m.silence_tail
    graph = _speech_graph(format_filters(ms), pieces, offset) + graph
    labels = [f"[speech{i}]" for i in range(len(pieces))] + labels
    pad = int(round(duration * RATE))
    graph.append(
        f"{''.join(labels)}amix=inputs={len(labels)}:duration=longest:normalize=0,"
        f"apad=whole_len={pad},atrim=end_sample={pad}[mix]"
    )
    laid = _laid_out(track, pieces)
    chapters = tuple(
        dataclasses.replace(c, start=0.0 if i == 0 else c.start + offset, speech_start=c.speech_start + offset)
        for i, c in enumerate(laid.chapters)
    )
    return Mix(
        laid,
        Source(tuple(inputs), ";".join(graph), track.script.slug, sample, pad / RATE),
        offset,
        pad / RATE,
        chapters,
        intro.label if intro else None,
        outro.label if outro else None,
        gain,
        intro_at,
        outro_at,
        overlap,
    )
