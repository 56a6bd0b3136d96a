"""Mastering measured with ebur128 on the written file, on generated test audio."""

import numpy as np
import pytest

from pipeline._config import MasterSettings
from pipeline.errors import MediaError
from pipeline.sound import audio, ffmpeg
from pipeline.sound.master import WAV, Source, master

# Uses ffmpeg or eSpeak NG: CI runs these again with the distribution's own tools.
pytestmark = pytest.mark.tools


def speechlike(path, seconds=8.0, rate=22050, seed=1):
    """Bursts of harmonic tone with pauses: peaky like speech, not a steady sine."""
    rng = np.random.default_rng(seed)
    t = np.arange(int(seconds * rate)) / rate
    f0 = 120 + 30 * np.sin(2 * np.pi * 0.5 * t)
    phase = 2 * np.pi * np.cumsum(f0) / rate
    voiced = sum(np.sin(k * phase) / k for k in range(1, 12))
    envelope = (np.sin(2 * np.pi * 1.7 * t) > -0.2) * (0.4 + 0.6 * rng.random(1))
    with audio.WavWriter(path, rate) as w:
        w.write((0.08 * 32767 * voiced * envelope).astype(np.int16))
    return path


@pytest.mark.parametrize(
    "settings",
    [MasterSettings(), MasterSettings(loudness=-19.0, channels=1), MasterSettings(loudness=-14.0, true_peak=-1.5)],
)
def test_master_hits_target(tmp_path, settings):
    src = speechlike(tmp_path / "in.wav")
    out = tmp_path / "out.wav"
    result = master(Source.file(src, settings), out, settings, WAV)
    measured = ffmpeg.measure_loudness(out)
    assert measured == result.loudness
    assert abs(measured.integrated - settings.loudness) <= 0.5
    assert measured.true_peak <= settings.true_peak
    info = ffmpeg.probe(out)
    assert (info.sample_rate, info.channels) == (settings.sample_rate, settings.channels)


def test_upmix_does_not_change_loudness(tmp_path):
    src = speechlike(tmp_path / "in.wav")
    mono = ffmpeg.measure_loudness(src, ["pan=mono|c0=c0"])
    from pipeline.sound.master import format_filters

    stereo = ffmpeg.measure_loudness(src, format_filters(MasterSettings(channels=2)))
    assert stereo.integrated == pytest.approx(mono.integrated, abs=0.1)


def test_silence_is_refused(tmp_path):
    src = tmp_path / "silent.wav"
    with audio.WavWriter(src, 22050) as w:
        w.write(np.zeros(22050, np.int16))
    with pytest.raises(MediaError, match="silent"):
        master(Source.file(src, MasterSettings()), tmp_path / "out.wav", MasterSettings(), WAV)
