"""eSpeak NG: the draft engine, through the program or the bundled library."""

import numpy as np
import pytest

from pipeline.config import Settings
from pipeline.engines import get_engine
from pipeline.engines.espeak import RATE, backend
from pipeline.voices import load_voice


@pytest.fixture(scope="module")
def engine():
    return get_engine(load_voice("espeak", Settings()), 1)


def test_available_and_says_how(engine):
    version, how = backend()
    assert version[0].isdigit() and how
    assert engine.sample_rate == RATE


def test_speaks_deterministically(engine):
    a = np.concatenate([c.samples for c in engine.synthesize("A draft of the episode, quickly.", 1)])
    b = np.concatenate([c.samples for c in engine.synthesize("A draft of the episode, quickly.", 2)])
    assert a.dtype == np.int16 and 1.0 < len(a) / RATE < 4.0
    assert np.abs(a).max() > 3000
    assert np.array_equal(a, b)


def test_unknown_espeak_voice(tmp_path):
    from pipeline.config import load_settings
    from pipeline.errors import VoiceError

    from conftest import write

    write(tmp_path / "voices" / "klingon.toml", 'engine = "espeak"\nmodel = "tlh-nope"\n')
    settings = load_settings(write(tmp_path / "podcast.toml", ""))
    voice = load_voice("klingon", settings)
    with pytest.raises(VoiceError, match="no voice 'tlh-nope'"):
        list(get_engine(voice, 1).synthesize("Hello.", 0))
