"""`podcast doctor`: a working installation, and broken ones."""

import json
from pathlib import Path

import pytest

from conftest import write
from pipeline._config import Settings
from pipeline.sound import ffmpeg
from pipeline.synthesis.voices import load_voice
from test_ffmpeg import fake_ffmpeg

# Uses ffmpeg or eSpeak NG: CI runs these again with the distribution's own tools.
pytestmark = pytest.mark.tools


def findings(result):
    return {f["name"]: f for f in json.loads(result.stdout)["findings"]}


def test_a_working_installation(cli_inproc):
    r = cli_inproc("doctor", "--json")
    assert r.code == 0, r.stderr
    doc = json.loads(r.stdout)
    found = {f["name"]: f for f in doc["findings"]}
    assert doc["ok"] is True
    tool = found["ffmpeg"]
    assert tool["ok"] and tool["facts"]["path"] == ffmpeg.current().path and tool["facts"]["version"]
    assert tool["facts"]["missing"] == [] and tool["facts"]["resampler"] in ("soxr", "swr")
    assert found["piper"]["ok"] and "CPUExecutionProvider" in found["piper"]["facts"]["providers"]
    assert found["voice joe"]["ok"] and found["voice joe"]["needed"]
    assert found["voice joe"]["facts"]["model"].endswith("en_US-joe-medium.onnx")
    assert found["voice espeak"]["ok"] and found["espeak-ng"]["ok"]
    assert {"extra coqui", "extra dask", "cache", "output", "python"} <= set(found)
    text = cli_inproc("doctor")
    assert text.code == 0
    assert all(line.split()[0] in ("ok", "warn") for line in text.stdout.splitlines())


def test_ffmpeg_that_is_not_ffmpeg(cli_inproc, tmp_path):
    impostor = write(tmp_path / "bin" / "ffmpeg", "#!/bin/sh\necho nope\n")
    impostor.chmod(0o755)
    r = cli_inproc("doctor", env={ffmpeg.ENV: str(impostor)})
    assert r.code == 1
    failing = [line for line in r.stdout.splitlines() if line.startswith("FAIL")]
    assert len(failing) == 1 and "ffmpeg" in failing[0] and f"{impostor} is not ffmpeg" in failing[0]


def test_ffmpeg_that_hides_a_filter(cli_inproc, tmp_path):
    r = cli_inproc("doctor", "--json", env={ffmpeg.ENV: str(fake_ffmpeg(tmp_path, hide_filter="ebur128"))})
    assert r.code == 1
    tool = findings(r)["ffmpeg"]
    assert tool["mark"] == "FAIL" and "lacks the ebur128 filter" in tool["detail"]


def test_ffmpeg_that_cannot_write_a_format_the_show_asks_for(cli_inproc, tmp_path):
    show = tmp_path / "show"
    write(show / "podcast.toml", '[master]\nformats = ["opus"]\n')
    env = {ffmpeg.ENV: str(fake_ffmpeg(tmp_path, hide_encoder="libopus"))}
    r = cli_inproc("doctor", "--json", cwd=show, env=env)
    assert r.code == 1
    tool = findings(r)["ffmpeg"]
    assert tool["mark"] == "FAIL" and "[master] formats asks for opus" in tool["detail"]
    assert tool["facts"]["formats"] == ["m4a"]
    write(show / "podcast.toml", '[master]\nformats = ["m4a"]\n')  # what it can write is fine
    assert findings(cli_inproc("doctor", "--json", cwd=show, env=env))["ffmpeg"]["ok"]


def test_a_broken_voice(cli_inproc, tmp_path):
    show = tmp_path / "show"
    write(show / "podcast.toml", "")
    write(show / "voices" / "m.onnx", b"not really a model")
    config = load_voice("joe", Settings()).config
    assert config is not None
    write(show / "voices" / "m.onnx.json", Path(config).read_bytes())  # a sound config
    write(show / "voices" / "broken.toml", 'engine = "piper"\nmodel = "m.onnx"\n')
    r = cli_inproc("doctor", "--json", cwd=show)
    assert r.code == 0  # not the default voice: a warning
    broken = findings(r)["voice broken"]
    assert broken["mark"] == "warn" and f"{show / 'voices' / 'm.onnx'}: not an ONNX model" in broken["detail"]
    write(show / "podcast.toml", '[speech]\nvoice = "broken"\n')
    r = cli_inproc("doctor", cwd=show)
    assert r.code == 1
    assert any(line.startswith("FAIL") and "voice broken" in line for line in r.stdout.splitlines())


def test_an_output_folder_that_is_a_file(cli_inproc, tmp_path):
    write(tmp_path / "show" / "podcast.toml", '[paths]\noutput = "out"\n')
    write(tmp_path / "show" / "out", "a file, not a folder")
    r = cli_inproc("doctor", cwd=tmp_path / "show")
    assert r.code == 1
    assert any(line.startswith("FAIL") and "out is not a folder" in line for line in r.stdout.splitlines())
