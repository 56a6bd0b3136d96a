"""Ducking and fades, on generated tones: levels are read off the audio."""

import numpy as np
import pytest

from conftest import write
from pipeline._config import MusicSettings
from pipeline.errors import MediaError
from pipeline.sound import jingle, music

# Uses ffmpeg or eSpeak NG: CI runs these again with the distribution's own tools.
pytestmark = pytest.mark.tools

RATE = music.RATE
M = MusicSettings()


def db(x):
    return 20 * np.log10(x)


def test_intro_envelope_shape():
    n = int(music.intro_length(M) * RATE)
    env = music.intro_envelope(n, M)
    lead = int(M.lead_in * RATE)
    assert env[0] == 0 and np.all(env <= 1.0) and np.all(env >= 0)
    assert np.all(env[int(0.05 * RATE) : lead - int(M.duck_ramp * RATE)] == 1.0)  # alone, at full level
    hold = env[lead : lead + int(M.intro_hold * RATE)]
    assert db(hold) == pytest.approx(M.duck_db, abs=0.01)  # the configured duck depth under the voice
    after = env[int(0.05 * RATE) :]
    assert np.all(np.diff(env[int(0.05 * RATE) :]) <= 1e-12)  # never comes back up once it starts down
    assert after[-1] < 1e-3


def test_outro_envelope_shape():
    overlap = M.outro_overlap
    n = int(music.outro_length(M, overlap) * RATE)
    env = music.outro_envelope(n, M, overlap)
    ramp = int(M.duck_ramp * RATE)
    under = env[ramp : int(overlap * RATE)]
    assert db(under) == pytest.approx(M.duck_db, abs=0.01)
    assert np.all(np.diff(env[: int((overlap + M.outro_rise) * RATE)]) >= -1e-12)  # rises monotonically
    full = env[int((overlap + M.outro_rise) * RATE) : int((overlap + M.outro_rise + M.outro_hold) * RATE)]
    assert np.all(full == 1.0)
    tail = env[int((overlap + M.outro_rise + M.outro_hold) * RATE) :]
    assert np.all(np.diff(tail) <= 1e-12) and tail[-1] < 1e-3


def test_short_outro_music_still_fades_out():
    overlap = M.outro_overlap
    n = int(6.0 * RATE)  # shorter than the plan
    env = music.outro_envelope(n, M, overlap)
    assert env[-1] < 0.01
    assert np.all(np.diff(env[-int(1.0 * RATE) :]) <= 1e-12)


@pytest.mark.parametrize("duck", [-12.0, -18.0, -24.0])
def test_stem_level_under_speech_is_the_duck_depth(duck):
    m = MusicSettings(duck_db=duck)
    t = np.arange(int(music.intro_length(m) * RATE)) / RATE
    tone = (0.3 * np.sin(2 * np.pi * 440 * t))[:, None].astype(np.float32)
    stem = music.stem(tone, music.intro_envelope(len(tone), m), gain_db=-3.0)
    alone = stem[int(1 * RATE) : int(3 * RATE)]
    under = stem[int(m.lead_in * RATE) : int((m.lead_in + m.intro_hold) * RATE)]

    def rms(x):
        return np.sqrt(np.mean(x.astype(np.float64) ** 2))

    assert db(rms(under) / rms(alone)) == pytest.approx(duck, abs=0.05)
    assert db(rms(alone) / rms(tone[int(RATE) : int(3 * RATE)])) == pytest.approx(-3.0, abs=0.05)


def test_jingle_is_deterministic_and_does_not_clip():
    a, b = jingle.jingle(), jingle.jingle()
    assert a.dtype == np.float32 and a.shape[1] == 2
    assert np.array_equal(a, b)
    assert np.abs(a).max() == pytest.approx(0.5, abs=1e-6)
    assert len(a) / RATE > music.outro_length(M, M.outro_overlap)


def test_music_sources(tmp_path):
    assert music.resolve("intro", "none") is None
    default = music.resolve("intro", "default")
    assert default is not None and default.path is None
    with pytest.raises(MediaError, match=r"intro music .*nope.flac: no such file"):
        music.resolve("intro", str(tmp_path / "nope.flac"))
    with pytest.raises(MediaError, match=r"outro music .*fake.mp3: not an audio file"):
        music.resolve("outro", str(write(tmp_path / "fake.mp3", "this is text, not audio")))
    with pytest.raises(MediaError, match="not a file"):
        music.resolve("outro", str(tmp_path))


def test_music_at_other_rates_and_channels(tmp_path):
    """A 48 kHz stereo file comes back as 44.1 kHz at the master's channel count."""
    from pipeline.sound import ffmpeg

    src = tmp_path / "song.flac"
    ffmpeg.run(["-f", "lavfi", "-i", "sine=frequency=330:sample_rate=48000:duration=3", "-ac", "2", src])
    source = music.resolve("intro", str(src))
    assert source is not None
    for channels in (1, 2):
        data = music.load(source, channels, 2.0)
        assert data.shape == (2 * RATE, channels)
