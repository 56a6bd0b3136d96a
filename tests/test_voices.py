import pytest

from conftest import write
from pipeline.config import Settings, load_settings
from pipeline.errors import VoiceError
from pipeline.synthesis.voices import available_voice_names, load_voice


def test_default_voice_loads_from_the_package():
    voice = load_voice("joe", Settings())
    assert voice.engine == "piper"
    assert voice.model.endswith("en_US-joe-medium.onnx") and "site-packages" in voice.model
    assert voice.config.endswith("en_US-joe-medium.onnx.json")


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
