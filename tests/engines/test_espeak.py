"""eSpeak NG: the draft engine, through the program or the bundled library.

Both backends run where both exist (the library always does; the program
where `espeak-ng` is installed, as in CI's second pass with Debian's), and
must behave the same: errors, sample rate, text with nothing to say."""

import dataclasses
import shutil
from pathlib import Path

import numpy as np
import pytest

from conftest import write
from pipeline._config import Settings
from pipeline.errors import VoiceError
from pipeline.synthesis.engines import espeak
from pipeline.synthesis.engines.espeak import RATE, EspeakEngine, backend
from pipeline.synthesis.voices import load_voice

# Uses ffmpeg or eSpeak NG: CI runs these again with the distribution's own tools.
pytestmark = pytest.mark.tools

PROGRAM = shutil.which("espeak-ng")
BACKENDS = [
    "library",
    pytest.param(
        "program",
        marks=pytest.mark.skipif(
            PROGRAM is None, reason="no espeak-ng program installed (CI's second pass installs Debian's)"
        ),
    ),
]


@pytest.fixture(params=BACKENDS)
def chosen(request, monkeypatch):
    """Select a backend through PODCAST_ESPEAK, as a user would."""
    monkeypatch.setenv(espeak.ENV, "library" if request.param == "library" else PROGRAM)
    backend.cache_clear()
    yield request.param
    backend.cache_clear()


@pytest.fixture
def voice():
    return load_voice("espeak", Settings())


def speak(engine, text):
    chunks = list(engine.synthesize(text, 1))
    assert all(c.sample_rate == RATE for c in chunks)
    return np.concatenate([c.samples for c in chunks])


def test_backend_says_what_it_is(chosen):
    b = backend()
    assert b.kind == chosen and b.version[0].isdigit()
    assert f"eSpeak NG {b.version}" in b.label()
    assert (Path(b.data) / "lang").is_dir()


def test_speaks_deterministically(chosen, voice):
    engine = EspeakEngine.load(voice)
    assert engine.sample_rate == RATE
    a = speak(engine, "A draft of the episode, quickly.")
    b = speak(engine, "A draft of the episode, quickly.")
    assert a.dtype == np.int16 and 1.0 < len(a) / RATE < 4.0
    assert np.abs(a).max() > 3000
    assert np.array_equal(a, b)


@pytest.mark.parametrize("text", ["", "   ", "...", "—", "?!"])
def test_nothing_to_say_is_silence(chosen, voice, text):
    assert len(speak(EspeakEngine.load(voice), text)) == 0


def test_unknown_voice_is_a_voice_error_at_load(chosen, voice):
    bad = dataclasses.replace(voice, model="en-uss")
    with pytest.raises(VoiceError) as err:
        EspeakEngine.load(bad)
    message = str(err.value)
    assert "no voice 'en-uss'" in message and "en-us" in message and "espeak-ng --voices" in message
    assert "\n" not in message


def test_unknown_voice_through_a_show_voice_file(chosen, tmp_path):
    from pipeline._config import load_settings
    from pipeline.synthesis.engines import get_engine

    write(tmp_path / "voices" / "klingon.toml", 'engine = "espeak"\nmodel = "tlh-nope"\n')
    settings = load_settings(write(tmp_path / "podcast.toml", ""))
    with pytest.raises(VoiceError, match=r"klingon\.toml: eSpeak NG has no voice 'tlh-nope'"):
        get_engine(load_voice("klingon", settings), 1)


def test_a_program_that_is_not_espeak_is_refused(tmp_path, monkeypatch):
    fake = write(tmp_path / "espeak-ng", "#!/bin/sh\necho 'espeak 1.48 (not NG)'\n")
    fake.chmod(0o755)
    monkeypatch.setenv(espeak.ENV, str(fake))
    backend.cache_clear()
    try:
        with pytest.raises(VoiceError, match="does not answer --version as eSpeak NG"):
            backend()
        # Found on PATH instead (not asked for by name): not trusted, the library serves.
        monkeypatch.setenv(espeak.ENV, "auto")
        monkeypatch.setenv("PATH", str(tmp_path))
        backend.cache_clear()
        assert backend().kind == "library"
    finally:
        backend.cache_clear()
