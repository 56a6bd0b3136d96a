"""The real Piper voice: reproducible noise, pieces for long sentences."""

import numpy as np
import pytest

from pipeline.config import Settings
from pipeline.engines import get_engine
from pipeline.engines.piper import MAX_PHONEMES, _noise, split_phonemes
from pipeline.voices import load_voice


@pytest.fixture(scope="module")
def engine():
    return get_engine(load_voice("joe", Settings()), 1)


def _audio(engine, text, seed):
    return np.concatenate([c.samples for c in engine.synthesize(text, seed)])


def test_same_text_and_seed_give_identical_samples(engine):
    a = _audio(engine, "The same words, spoken twice.", 7)
    b = _audio(engine, "The same words, spoken twice.", 7)
    assert a.dtype == np.int16 and len(a) > engine.sample_rate  # over a second of speech
    assert np.array_equal(a, b)


def test_seed_changes_the_prosody_not_the_words(engine):
    a = _audio(engine, "The same words, spoken twice.", 7)
    b = _audio(engine, "The same words, spoken twice.", 8)
    assert not np.array_equal(a, b)
    assert abs(len(a) - len(b)) < 0.3 * len(a)


def test_output_is_not_peak_normalized(engine):
    # Piper's default scales each sentence to full scale; ours keeps the model's level.
    peak = max(int(np.abs(c.samples).max()) for c in engine.synthesize("Quiet. And a second sentence.", 1))
    assert peak < 32000


def test_noise_blocks_extend_a_shorter_draw():
    assert np.array_equal(_noise(5, 0, 1, 2)[: 1 << 16], _noise(5, 0, 1, 1))


def test_long_sentence_is_cut_into_pieces(engine):
    words = " ".join(["memory"] * 150)  # no punctuation at all
    phonemes = engine._piper.phonemize(words)
    assert len(phonemes) == 1 and len(phonemes[0]) > MAX_PHONEMES
    pieces = list(split_phonemes(phonemes[0], MAX_PHONEMES))
    assert len(pieces) > 1 and all(len(p) <= MAX_PHONEMES for p in pieces)
    assert [p for piece in pieces for p in piece] == phonemes[0]
    assert all(p[-1] == " " for p in pieces[:-1])  # cut between words
    chunks = list(engine.synthesize(words, 3))
    assert len(chunks) == len(pieces)


def test_split_prefers_pauses():
    phonemes = list("aaaa aaaa, bbbb bbbb cccc")
    assert [len(p) for p in split_phonemes(phonemes, 15)][0] == 10  # after the comma


def test_speaker_name_the_model_lacks(tmp_path):
    from dataclasses import replace

    from pipeline.errors import VoiceError

    joe = replace(load_voice("joe", Settings()), speaker="alice")
    with pytest.raises(VoiceError, match="no speaker 'alice' .*one speaker"):
        get_engine(joe, 1)


def test_identity_is_the_model_files_contents(tmp_path):
    """The cache key's `model` part: the bytes of the model and its config, not their names or dates."""
    import dataclasses
    import os
    import shutil

    from pipeline.engines.piper import PiperEngine

    voice = load_voice("joe", Settings())
    identity = PiperEngine.identity(voice)
    assert list(identity) == ["files"] and len(identity["files"]) == 2
    assert all(isinstance(d, str) and len(d) == 64 for d in identity["files"])
    model = shutil.copy(voice.model, tmp_path / "renamed.onnx")
    config = shutil.copy(voice.config, tmp_path / "renamed.onnx.json")
    os.utime(model, (1, 1))
    moved = dataclasses.replace(voice, model=str(model), config=str(config))
    assert PiperEngine.identity(moved) == identity
    with open(config, "a", encoding="utf-8") as f:
        f.write(" ")
    assert PiperEngine.identity(moved)["files"][1] != identity["files"][1]
    assert PiperEngine.identity(moved)["files"][0] == identity["files"][0]
