import numpy as np
import pytest

from pipeline import audio, ffmpeg
from pipeline.errors import MediaError

from conftest import write


def tone(path, seconds=2.0, rate=22050, amplitude=0.25, freq=440.0):
    t = np.arange(int(seconds * rate)) / rate
    with audio.WavWriter(path, rate) as w:
        w.write((amplitude * 32767 * np.sin(2 * np.pi * freq * t)).astype(np.int16))
    return path


def test_failure_names_command_and_stderr(tmp_path):
    with pytest.raises(MediaError) as err:
        ffmpeg.run(["-i", tmp_path / "missing.wav", "-f", "null", "-"], what="decoding")
    msg = str(err.value)
    assert msg.startswith("decoding failed (exit")
    assert "missing.wav" in msg and "No such file" in msg


def test_loudness_of_a_known_tone(tmp_path):
    # A full-scale-referenced 1 kHz sine at -20 dBFS peak in mono measures about -23 LUFS.
    path = tone(tmp_path / "t.wav", seconds=5, rate=48000, amplitude=0.1, freq=1000)
    m = ffmpeg.measure_loudness(path)
    assert m.integrated == pytest.approx(-23.0, abs=0.3)
    assert m.true_peak == pytest.approx(-20.0, abs=0.3)


def test_probe(tmp_path):
    info = ffmpeg.probe(tone(tmp_path / "t.wav", seconds=1.5))
    assert (info.sample_rate, info.channels, info.codec) == (22050, 1, "pcm_s16le")
    assert info.duration == pytest.approx(1.5, abs=0.01)
    with pytest.raises(MediaError, match="not a readable audio file"):
        ffmpeg.probe(write(tmp_path / "x.wav", "hello, I am text"))


def test_resample_keeps_duration(tmp_path):
    samples = (np.sin(np.arange(22050) / 10) * 10000).astype(np.int16)
    out = audio.resample(samples, 22050, 44100)
    assert out.dtype == np.int16 and abs(len(out) - 44100) <= 2
