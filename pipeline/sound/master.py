"""Mastering: loudness to target and a true-peak ceiling, measured on the result.

ffmpeg's two-pass `loudnorm` silently switches to dynamic mode whenever a
linear gain would break the peak limit, so we do it ourselves: measure
(ebur128), apply one linear gain, catch peaks with a lookahead limiter run
at 2x oversampling (so it sees most inter-sample peaks), encode, then
measure the encoded file as decoded and correct the gain until it lands
within tolerance.  Lossy encoding moves both loudness and peaks, which is why
the check is on the output, not on the input.
"""

from __future__ import annotations

import logging
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .._config import MasterSettings
from ..errors import MediaError
from . import ffmpeg
from .ffmpeg import Loudness
from .timeline import Timeline

if TYPE_CHECKING:  # the mix is built from this module's Source: at run time the stage needs only its fields
    from .mix import Mix

log = logging.getLogger(__name__)

TOLERANCE_LU = 0.3  # accept a pass inside this; the standard allows ±0.5 LU
MAX_PASSES = 4
OVERSAMPLE = 2  # the limiter sees inter-sample peaks; the final measurement catches the rest


@dataclass(frozen=True)
class MasterResult:
    path: Path
    loudness: Loudness
    gain_db: float
    passes: int


def format_filters(settings: MasterSettings) -> list[str]:
    """Resample to the master rate and lay out channels.  Mono is copied to both
    sides at -3 dB each, which keeps the measured loudness of the upmix equal
    to the mono original (EBU R128 sums the channels' power)."""
    chain = [ffmpeg.current().resample(settings.sample_rate)]
    if settings.channels == 2:
        chain.append("pan=stereo|c0=0.7071*c0|c1=0.7071*c0")
    else:
        chain.append("pan=mono|c0=c0")
    return chain


def limiter_filters(settings: MasterSettings, ceiling_db: float) -> list[str]:
    rate = settings.sample_rate
    limit = min(1.0, max(0.0625, 10 ** (ceiling_db / 20)))
    # 16-bit resampling precision: the result is 16-bit (or MP3) anyway, and it is a third faster.
    tool = ffmpeg.current()
    return [
        tool.resample(rate * OVERSAMPLE, precision=16),
        f"alimiter=limit={limit:.6f}:attack=5:release=80:level=false:latency=true",
        tool.resample(rate, precision=16),
    ]


@dataclass(frozen=True)
class Source:
    """What to master: ffmpeg inputs and a filter graph that labels its result [mix]."""

    inputs: tuple[tuple[str, ...], ...]
    graph: str
    name: str
    excerpt: Path  # a short file of the same speech, for calibrating the limiter cheaply
    duration: float | None = None  # seconds, where known (sizes the report page's waveform blocks)

    @classmethod
    def file(cls, path: Path, settings: MasterSettings) -> "Source":
        """One (short) audio file, brought to the master's rate and channels."""
        return cls((("-i", str(path)),), ",".join(["[0:a]anull", *format_filters(settings)]) + "[mix]", path.name, path)


def calibrate(source: Source, settings: MasterSettings, ceiling: float, output: "Output") -> float:
    """The gain that should land the source on target once limited and encoded.

    A limiter that catches peaks also lowers loudness, by an amount that
    depends on the gain in front of it, and a lossy encoder takes a little
    more.  Rather than encode the whole episode again and again, find both on
    the excerpt (a minute or two of the same speech: seconds of work).
    """
    whole = ffmpeg.measure_graph(source.inputs, source.graph, source.name, peak=False).integrated
    if whole <= -69.0:
        raise MediaError(f"{source.name}: the audio is silent; nothing to master")
    fmt = ",".join(format_filters(settings))
    if source.inputs == (("-i", str(source.excerpt)),):  # a short file is its own excerpt
        excerpt = whole
    else:
        excerpt = ffmpeg.measure_loudness(source.excerpt, format_filters(settings), peak=False).integrated
    if excerpt <= -69.0:
        return settings.loudness - whole + output.codec_loss

    def chain(g: float) -> str:
        return ",".join([fmt, f"volume={g:.3f}dB", *limiter_filters(settings, ceiling)])

    def fit(gain: float, want: float) -> tuple[float, float]:
        """(gain, limited excerpt loudness) such that the whole, limited, lands on `want`."""
        for _ in range(4):
            limited = ffmpeg.measure_graph(
                [["-i", str(source.excerpt)]], f"[0:a]{chain(gain)}[mix]", source.name, peak=False
            ).integrated
            # The whole gets the gain and loses what the limiter took from the excerpt:
            # whole + gain + (limited - (excerpt + gain)).
            miss = want - (whole + limited - excerpt)
            if abs(miss) < 0.05:
                break
            gain += miss
        return gain, limited

    # Aim the limiter at the target plus what the encoder will take: compensating
    # the encoder after the limiter would push that gain into the limiter, which
    # eats part of it (measured: a third), and the episode would land short.
    codec_loss = output.codec_loss
    gain, limited = fit(settings.loudness - whole + codec_loss, settings.loudness + codec_loss)
    if not output.lossy:  # nothing more to learn
        return gain
    # What the encoder takes from this very speech, measured on the encoded excerpt.
    with tempfile.TemporaryDirectory(
        prefix="podcast-calibrate-", dir=source.excerpt.parent
    ) as tmp:  # the run's work folder
        probe = Path(tmp) / f"excerpt.{output.format}"
        for _ in range(3):
            ffmpeg.run(
                [
                    "-i",
                    source.excerpt,
                    "-af",
                    chain(gain),
                    *output.codec,
                    *output.mux_args,
                    "-f",
                    output.format,
                    "-y",
                    probe,
                ],
                what="encoding the calibration excerpt",
            )
            measured = limited - ffmpeg.measure_loudness(probe, peak=False).integrated
            if abs(measured) >= 1.5:  # not a codec's loss: something odd in the excerpt; keep the estimate
                measured = output.codec_loss
            log.debug(
                "calibration: gain %.2f dB, limiter loss %.2f LU, encoder loss %.2f LU",
                gain,
                limited - (excerpt + gain),
                measured,
            )
            if abs(measured - codec_loss) < 0.05:
                break
            codec_loss = measured
            gain, limited = fit(gain, settings.loudness + codec_loss)
    return gain


def master(
    source: Source,
    dst: Path,
    settings: MasterSettings,
    output: "Output",
    gain: float | None = None,
    length: tuple[int, int] | None = None,
) -> MasterResult:
    """Write `source` to `dst` at the loudness target, as measured on `dst` decoded.

    `output` chooses the format (`WAV` or `mp3_output()`); `dst` should be a
    temporary path that the caller renames.  The first pass usually lands
    (see `calibrate`); the measurement of the encoded stream corrects the rest.
    A known `gain` (another format's of the same mix) skips the calibration; `length` (samples,
    at a rate) makes the encoder's input exactly that long, at that rate.
    """
    ceiling = settings.true_peak - output.headroom  # for resampling and the encoder
    if gain is None:
        gain = calibrate(source, settings, ceiling, output)
    inputs = [a for i in source.inputs for a in i]
    for passes in range(1, MAX_PASSES + 1):
        exact = []
        if length is not None:
            samples, rate = length
            exact = [ffmpeg.current().resample(rate)] if rate != settings.sample_rate else []
            # timestamps from the samples themselves: atrim counts by them, and the limiter's and
            # resampler's delays leave them a few milliseconds off, differently from run to run
            exact += ["asetpts=NB_CONSUMED_SAMPLES/SR/TB", f"apad=whole_len={samples}", f"atrim=end_sample={samples}"]
        chain = ",".join([f"[mix]volume={gain:.3f}dB", *limiter_filters(settings, ceiling), *exact])
        args = [*inputs, "-filter_complex", f"{source.graph};{chain}[out]", "-map", "[out]", *output.codec, "-y"]
        if output.measure_while_encoding:
            result = ffmpeg.encode_measured(  # with the report page's overview (sound/overview.py)
                args,
                dst,
                output.format,
                output.mux,
                f"mastering {dst.name}",
                output.encoder_delay,
                settings.sample_rate,
                source.duration,
            )
        else:
            ffmpeg.run([*args, *output.mux_args, "-f", output.format, dst], what=f"mastering {dst.name}")
            result = ffmpeg.measure_loudness(dst)
        log.debug(
            "master pass %d: gain %.2f dB, ceiling %.2f dBTP -> %.2f LUFS, %.2f dBTP",
            passes,
            gain,
            ceiling,
            result.integrated,
            result.true_peak,
        )
        off = settings.loudness - result.integrated
        over = result.true_peak - settings.true_peak
        if abs(off) <= TOLERANCE_LU + 1e-6 and over <= 0:  # ebur128 reports 0.1 LU steps: -16.3 is in
            break
        gain += off
        if over > -0.1:
            ceiling -= over + 0.2
    else:
        log.warning(
            "%s: after %d passes loudness is %.2f LUFS, true peak %.2f dBTP (target %.1f LUFS, %.1f dBTP)",
            dst.name,
            MAX_PASSES,
            result.integrated,
            result.true_peak,
            settings.loudness,
            settings.true_peak,
        )
    return MasterResult(dst, result, gain, passes)


@dataclass(frozen=True)
class Output:
    codec: tuple[str, ...]  # encoder options
    format: str  # muxer
    mux: tuple[tuple[str, str], ...] = ()  # muxer options
    codec_loss: float = 0.0  # LU the encoder is expected to take, if it cannot be measured
    measure_while_encoding: bool = False
    encoder_delay: int = 0  # priming samples a decoder skips only when the file's header says so
    lossy: bool = False  # calibrate on the encoded excerpt too (what the encoder takes)
    headroom: float = 0.3  # dB the limiter's first ceiling leaves under the true-peak limit

    @property
    def mux_args(self) -> list[str]:
        return [a for k, v in self.mux for a in (f"-{k}", v)]


WAV = Output(("-c:a", "pcm_s16le"), "wav")
LAME_DELAY = 1105  # 576 encoder + 529 decoder samples, measured: the pipe copy decodes exactly this many more
MP3_LOSS = 0.45  # LU that LAME's low-pass takes from speech at podcast bit rates (measured: 0.3 to 0.5)


def mp3_output(settings: MasterSettings) -> Output:
    """LAME to a file (not a pipe), so the Xing/LAME header with the encoder
    delay is written and decoders stay sample-exact.  Tags are added after."""
    rate = ("-q:a", str(settings.vbr_quality)) if settings.vbr else ("-b:a", f"{settings.bitrate}k")
    # LAME's -q 5 ("fast, good quality"): transparent for speech at podcast rates, a fifth faster than -q 3.
    return Output(
        (
            "-c:a",
            "libmp3lame",
            *rate,
            "-compression_level",
            "5",
            "-ar",
            str(settings.sample_rate),
            "-ac",
            str(settings.channels),
            "-map_metadata",
            "-1",
        ),
        "mp3",
        (("id3v2_version", "0"), ("write_id3v1", "0")),
        codec_loss=MP3_LOSS,
        measure_while_encoding=True,
        encoder_delay=LAME_DELAY,
        lossy=True,
    )


# The extra formats (`[master] formats`).  Each is encoded to a file and measured on that file as
# ffmpeg decodes it (the MP4 edit list and the Ogg Opus pre-skip drop the priming samples, as a
# player does), so the MP3's loop corrects it the same way.  bitexact: no encoder version strings
# and a fixed Ogg serial number, so the same master gives the same bytes.
BITEXACT = ("-fflags", "+bitexact", "-flags:a", "+bitexact", "-map_metadata", "-1")
OPUS_RATE = 48000  # Opus codes at 48 kHz; a player resamples if it must
ALTERNATE_EXT = {"m4a": "m4a", "opus": "opus"}


def aac_kbps(settings: MasterSettings) -> int:
    """AAC at the MP3's bit rate (128 kbps stereo by default; a VBR MP3's AAC gets 64 per channel)."""
    return 64 * settings.channels if settings.vbr else settings.bitrate


def opus_kbps(settings: MasterSettings) -> int:
    """Opus for low bandwidth: 48 kbps stereo, 32 mono (transparent for speech at these rates)."""
    return 48 if settings.channels == 2 else 32


def aac_output(settings: MasterSettings) -> Output:
    """AAC-LC (ffmpeg's own encoder) in an iTunes-style MP4 (.m4a), moov first so it streams."""
    return Output(
        (
            "-c:a",
            "aac",
            "-b:a",
            f"{aac_kbps(settings)}k",
            "-ar",
            str(settings.sample_rate),
            "-ac",
            str(settings.channels),
            *BITEXACT,
        ),
        "ipod",
        (("movflags", "+faststart"),),
        codec_loss=0.1,
        lossy=True,
        headroom=0.8,  # AAC's overshoot (measured: 0.1 to 1.0 dB, the most with Debian's ffmpeg 5.1)
    )


def opus_output(settings: MasterSettings) -> Output:
    """Opus (libopus, VBR) in Ogg at 48 kHz."""
    return Output(
        (
            "-c:a",
            "libopus",
            "-b:a",
            f"{opus_kbps(settings)}k",
            "-application",
            "audio",
            "-ar",
            str(OPUS_RATE),
            "-ac",
            str(settings.channels),
            *BITEXACT,
        ),
        "opus",
        codec_loss=0.1,
        lossy=True,
        headroom=0.8,  # Opus and the resampling to 48 kHz overshoot (measured: about 0.6 dB)
    )


ALTERNATE_OUTPUTS = {"m4a": aac_output, "opus": opus_output}


# ---------------------------------------------------------------- the stage


@dataclass(frozen=True)
class Mastered:
    mix: Mix
    path: Path  # the MP3, untagged, in the work folder
    result: MasterResult
    timeline: Timeline  # where every chapter, segment and sentence sits on it (its duration: the MP3's as decoded)


def master_alternate(mastered: Mastered, fmt: str) -> MasterResult:
    """One of the extra formats (`[master] formats`) of a mastered episode, from the same mix by
    the same algorithm (gain and limiter calibrated for its encoder, checked on the file as
    decoded), untagged, in the work folder beside the MP3."""
    settings = mastered.mix.track.script.settings.master
    path = mastered.path.with_name(f"{mastered.path.stem}.{ALTERNATE_EXT[fmt]}")
    output = ALTERNATE_OUTPUTS[fmt](settings)
    # The MP3's final gain is the whole episode's limiter measured, not an excerpt's estimate:
    # trade LAME's loss for this encoder's and the first pass usually lands.
    gain = mastered.result.gain_db - MP3_LOSS + output.codec_loss
    # The MP3's exact length: the filter graph's last frames can come out a few milliseconds
    # longer or shorter from run to run (measured: 220 samples of the outro's silence), which an
    # AAC file's track duration shows although its packets are the same; fixed, the bytes are too.
    rate = OPUS_RATE if fmt == "opus" else settings.sample_rate
    return master(mastered.mix.source, path, settings, output, gain, (round(mastered.timeline.duration * rate), rate))


def master_stage(mix: Mix, workdir: Path) -> Mastered:
    """Stage: the mix mastered and encoded; loudness measured on the MP3 as decoded."""
    settings = mix.track.script.settings.master
    path = workdir / f"{mix.track.script.slug}.mp3"
    result = master(mix.source, path, settings, mp3_output(settings))
    return Mastered(mix, path, result, Timeline.of(mix, ffmpeg.probe(path).duration))
