import pytest

from conftest import write
from pipeline._config import Settings, load_settings
from pipeline.errors import VoiceError
from pipeline.synthesis.voices import available_voice_names, load_voice


def test_default_voice_loads_from_the_package():
    voice = load_voice("joe", Settings())
    assert voice.engine == "piper"
    assert voice.model.endswith("en_US-joe-medium.onnx") and "site-packages" in voice.model
    assert voice.config is not None and voice.config.endswith("en_US-joe-medium.onnx.json")


def test_unknown_voice():
    with pytest.raises(VoiceError, match=r"unknown voice 'nobody' \(available: .*joe"):
        load_voice("nobody", Settings())


def _show(tmp_path, voice_toml):
    write(tmp_path / "voices" / "mine.toml", voice_toml)
    return load_settings(write(tmp_path / "podcast.toml", "[show]\ntitle = 'x'\n"))


def test_show_voices_come_first(tmp_path):
    settings = _show(tmp_path, 'engine = "piper"\nmodel = "missing.onnx"\n')
    assert available_voice_names(settings)[0] == "mine"


@pytest.mark.parametrize(
    "toml, problem",
    [
        ('engine = "piper"\nmodel = "missing.onnx"\n', "model file .*missing.onnx does not exist"),
        ('engine = "piper"\nmodel = "package:no_such_pkg_xyz/a.onnx"\n', "package 'no_such_pkg_xyz'"),
        ('engine = "nope"\nmodel = "x.onnx"\n', "unknown engine 'nope'"),
        ('model = "x.onnx"\n', "missing 'engine'"),
        ('engine = "piper"\nmodel = "x.onnx"\ncolour = "blue"\n', "unknown voice setting 'colour'"),
        ('engine = "piper"\nmodel = "x.onnx"\n[synthesis]\nlength_scale = "slow"\n', "length_scale must be float"),
        ('engine = "piper"\nmodel = "x.onnx"\n[synthesis]\nspeaker = 1.5\n', "speaker must be int or str"),
        ('engine = "piper"\nmodel = "x.onnx"\nspeakers = 3\n', "speakers must be a file path"),
    ],
)
def test_bad_voice_files(tmp_path, toml, problem):
    settings = _show(tmp_path, toml)
    with pytest.raises(VoiceError, match=problem):
        load_voice("mine", settings)


def test_piper_model_without_its_json(tmp_path):
    write(tmp_path / "voices" / "m.onnx", b"not really a model")
    settings = _show(tmp_path, 'engine = "piper"\nmodel = "m.onnx"\n')
    with pytest.raises(VoiceError, match=r"m.onnx.json does not exist"):
        load_voice("mine", settings)


ESPEAK = 'engine = "espeak"\nmodel = "en-us"\n[synthesis]\n'


@pytest.mark.parametrize(
    "line, wanted",
    [
        ("length_scale = nan", "length_scale must be a finite number, not nan"),
        ("length_scale = inf", "length_scale must be a finite number, not inf"),
        ("length_scale = -1.0", "length_scale must be between 0.1 and 5"),
        ("length_scale = 0", "length_scale must be between 0.1 and 5"),
        ("length_scale = 50.0", "length_scale must be between 0.1 and 5"),
        ("noise_scale = -0.1", "noise_scale must be between 0 and 2"),
        ("noise_scale = 3.0", "noise_scale must be between 0 and 2"),
        ("noise_w_scale = nan", "noise_w_scale must be a finite number, not nan"),
        ("noise_w_scale = -1", "noise_w_scale must be between 0 and 2"),
        ("sentence_pause = -0.5", "sentence_pause must be between 0 and 60 seconds"),
        ("sentence_pause = -inf", "sentence_pause must be a finite number, not -inf"),
        ("paragraph_pause = -1", "paragraph_pause must be between 0 and 60 seconds"),
        ("paragraph_pause = 100", "paragraph_pause must be between 0 and 60 seconds"),
        ("speaker = -1", "speaker must be a speaker id from 0, or a speaker's name"),
    ],
)
def test_voice_numbers_are_checked_when_the_file_loads(tmp_path, line, wanted):
    """A voice file's numbers are checked when it loads: nan or one out of range is an error
    naming the file and the key."""
    settings = _show(tmp_path, ESPEAK + line + "\n")
    with pytest.raises(VoiceError) as err:
        load_voice("mine", settings)
    assert err.value.file == str(tmp_path / "voices" / "mine.toml")  # the location as data
    assert err.value.message.startswith(wanted), err.value.message
    assert str(err.value).startswith(f"{tmp_path / 'voices' / 'mine.toml'}: {wanted}")


def test_voice_numbers_in_range_load(tmp_path):
    settings = _show(tmp_path, ESPEAK + "length_scale = 1.2\nsentence_pause = 0\nparagraph_pause = 1\nspeaker = 0\n")
    voice = load_voice("mine", settings)
    assert (voice.length_scale, voice.sentence_pause, voice.paragraph_pause, voice.speaker) == (1.2, 0.0, 1.0, 0)


@pytest.mark.tools
def test_check_stops_at_a_bad_voice_number(tmp_path, cli_inproc):
    _show(tmp_path, ESPEAK + "length_scale = nan\n")
    write(tmp_path / "podcast.toml", '[speech]\nvoice = "mine"\n')
    ep = write(tmp_path / "ep.md", "# T\n\nWords.\n")
    r = cli_inproc("check", ep)
    assert r.code == 1, r.stdout + r.stderr
    # reported at the voice file itself, where the fix goes
    assert f"{tmp_path / 'voices' / 'mine.toml'}: error: length_scale must be a finite number, not nan" in r.stderr


@pytest.mark.parametrize(
    "toml, problem",
    [
        ('engine = "piper"\nmodel = "m.onnx"\nsynthesis = 3\n', "[synthesis] must be a table"),
        ('engine = "piper"\nmodel = "m.onnx"\nlexicon = "x"\n', "[lexicon] must be a table"),
        ("a = " + "[" * 5000 + "]" * 5000 + "\n", "nested too deeply"),
    ],
)
def test_voice_files_of_the_wrong_shape_are_one_line(tmp_path, toml, problem):
    settings = _show(tmp_path, toml)
    with pytest.raises(VoiceError) as err:
        load_voice("mine", settings)
    assert problem in str(err.value) and "mine.toml" in str(err.value) and "\n" not in str(err.value)


@pytest.mark.parametrize("hazard", ["fifo", "folder"])
def test_a_voice_file_that_is_no_regular_file_is_named_not_unknown(tmp_path, hazard):
    """voices/NAME.toml that is a FIFO or a folder: the voice is found and the file named, not
    "unknown voice" (and a FIFO is never opened)."""
    import os

    settings = _show(tmp_path, "")
    path = tmp_path / "voices" / "mine.toml"
    path.unlink()
    os.mkfifo(path) if hazard == "fifo" else path.mkdir()
    with pytest.raises(VoiceError, match="FIFO|folder") as err:
        load_voice("mine", settings)
    assert str(path) in str(err.value) and "unknown voice" not in str(err.value)


@pytest.mark.parametrize("entry, bad", [('"[[😀]]"', "'😀'"), ('"[[]]"', "empty"), ('"[[QQQ%]]"', "'%'")])
@pytest.mark.parametrize("voice", ["joe", "heart"])
def test_lexicon_phonemes_the_voice_cannot_say_fail_naming_the_lexicon_and_key(tmp_path, entry, bad, voice):
    """A Piper voice says the phonemes of its config's phoneme_id_map, a Kokoro voice those of its
    vocabulary: any other in a `[[...]]` entry would be silently left out of the speech."""
    from pipeline.errors import ConfigError

    lexicon = write(tmp_path / "lexicon.toml", f'[words]\nfox = {entry}\nok = "[[ˈoʊkeɪ]]"\n')
    settings = load_settings(write(tmp_path / "podcast.toml", "[show]\ntitle = 'x'\n"))
    with pytest.raises(ConfigError) as exc:
        load_voice(voice, settings)
    assert exc.value.file == str(lexicon) and "'fox'" in str(exc.value) and bad in str(exc.value)
    write(lexicon, '[words]\nfox = "[[fˈɑːks]]"\n')
    assert load_voice(voice, settings).name == voice


def test_espeak_voices_take_their_own_phoneme_notation(tmp_path):
    write(tmp_path / "lexicon.toml", '[words]\nfox = "[[f\'0ks]]"\n')
    settings = load_settings(write(tmp_path / "podcast.toml", "[show]\ntitle = 'x'\n"))
    assert load_voice("espeak", settings).engine == "espeak"


def test_a_voice_files_own_lexicon_phonemes_are_checked(tmp_path):
    from pipeline.errors import ConfigError

    joe = load_voice("joe", Settings())
    settings = _show(tmp_path, f'engine = "piper"\nmodel = "{joe.model}"\n[lexicon.words]\nfox = "[[Q]]"\n')
    with pytest.raises(ConfigError, match="'fox'") as exc:
        load_voice("mine", settings)
    assert str(tmp_path / "voices" / "mine.toml") in str(exc.value.file)
