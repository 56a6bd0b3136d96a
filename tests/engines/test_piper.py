"""The real Piper voice: reproducible noise, pieces for long sentences."""

import numpy as np
import pytest

from pipeline._config import Settings
from pipeline.synthesis.engines import get_engine
from pipeline.synthesis.engines.phonemes import split_phonemes
from pipeline.synthesis.engines.piper import MAX_PHONEMES, _noise
from pipeline.synthesis.voices import load_voice


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
    words = " ".join(["memory"] * 60)  # no punctuation at all; a piece at the limit and the rest
    phonemes = engine._piper.phonemize(words)
    assert len(phonemes) == 1 and len(phonemes[0]) > MAX_PHONEMES
    pieces = list(split_phonemes(phonemes[0], MAX_PHONEMES))
    assert len(pieces) > 1 and all(len(p) <= MAX_PHONEMES for p in pieces)
    assert [p for piece in pieces for p in piece] == phonemes[0]
    assert all(p[-1] == " " for p in pieces[:-1])  # cut between words
    chunks = list(engine.synthesize(words, 3))
    assert len(chunks) == len(pieces)
    assert sum(len(c.words) for c in chunks) == 60  # each piece times the words it speaks
    for c in chunks:
        assert c.words and 0 <= c.words[0].start and c.words[-1].end <= len(c.samples) / c.sample_rate


def test_split_prefers_pauses():
    phonemes = list("aaaa aaaa, bbbb bbbb cccc")
    assert [len(p) for p in split_phonemes(phonemes, 15)][0] == 10  # after the comma


def test_speaker_name_the_model_lacks(tmp_path):
    from dataclasses import replace

    from pipeline.errors import VoiceError

    joe = replace(load_voice("joe", Settings()), speaker="alice")
    with pytest.raises(VoiceError, match="no speaker 'alice' .*one speaker"):
        get_engine(joe, 1)


def test_identity_covers_model_and_runtime(monkeypatch):
    """The cache key changes with the model files and with the runtime that turns them into sound."""
    import importlib.metadata

    from pipeline._config import Settings
    from pipeline.synthesis.engines.piper import PiperEngine
    from pipeline.synthesis.voices import load_voice

    voice = load_voice("joe", Settings())
    first = PiperEngine.identity(voice)
    assert len(first["files"]) == 2 and all(len(d) == 64 for d in first["files"])
    assert first["onnxruntime"] == importlib.metadata.version("onnxruntime")
    real = importlib.metadata.version
    monkeypatch.setattr(importlib.metadata, "version", lambda d: "0.0-other" if d == "onnxruntime" else real(d))
    assert PiperEngine.identity(voice) != first


def test_word_timings_leave_the_audio_as_it_was(monkeypatch):
    """The duration output is one more graph output: the samples are those of the graph
    without it, byte for byte, and every token of the text is timed, in order."""
    from pipeline.synthesis.engines import piper

    text = "One of the key new features, as R C two showed, is whole filesystem encryption."
    with_words = get_engine.__wrapped__(load_voice("joe", Settings()), 1)
    monkeypatch.setattr(piper, "_duration_output", lambda model: False)
    without = get_engine.__wrapped__(load_voice("joe", Settings()), 1)
    a, b = list(with_words.synthesize(text, 11)), list(without.synthesize(text, 11))
    assert np.array_equal(np.concatenate([c.samples for c in a]), np.concatenate([c.samples for c in b]))
    assert all(c.words is None for c in b)
    words = [w for c in a for w in c.words or ()]
    assert [w.text for w in words] == text.split()
    duration = len(a[0].samples) / a[0].sample_rate
    assert all(0 <= w.start <= w.end <= duration for w in words)
    assert all(x.start <= y.start for x, y in zip(words, words[1:]))
    assert all(w.end - w.start > 0.03 for w in words)  # every word here has sounds of its own


def test_words_are_found_inside_the_groups_espeak_joins():
    from pipeline.synthesis.engines.phonemes import word_starts

    own = {"of": list("ʌv"), "the": list("ðə"), "a": list("ˈeɪ"), "key": list("kˈiː")}
    sentence = list("ʌvðə kˈiː ɐ kˈiː.")  # "of the key a key.": "of the" is one group, "a" said ɐ
    starts = word_starts(["of", "the", "key", "a", "key."], sentence, lambda w: own[w.strip(".")])
    assert starts == [0, 2, 5, 10, 12]


def test_identity_is_the_model_files_contents(tmp_path):
    """The cache key's `model` part: the bytes of the model and its config, not their names or dates."""
    import dataclasses
    import os
    import shutil

    from pipeline.synthesis.engines.piper import PiperEngine

    voice = load_voice("joe", Settings())
    identity = PiperEngine.identity(voice)
    assert list(identity) == ["files", "onnxruntime", "piper-tts"] and len(identity["files"]) == 2
    assert all(isinstance(d, str) and len(d) == 64 for d in identity["files"])
    assert voice.config is not None
    model = shutil.copy(voice.model, tmp_path / "renamed.onnx")
    config = shutil.copy(voice.config, tmp_path / "renamed.onnx.json")
    os.utime(model, (1, 1))
    moved = dataclasses.replace(voice, model=str(model), config=str(config))
    assert PiperEngine.identity(moved) == identity
    with open(config, "a", encoding="utf-8") as f:
        f.write(" ")
    assert PiperEngine.identity(moved)["files"][1] != identity["files"][1]
    assert PiperEngine.identity(moved)["files"][0] == identity["files"][0]
