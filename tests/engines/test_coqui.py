"""The Coqui engine, with a real (tiny, random) VITS model built here and
loaded exactly as a podcaster's own model is: from a voice TOML naming its
checkpoint and config.json.  `make test` installs the coqui extra, so these
run in CI; they are not skipped when it is missing (that would hide a broken
install)."""

from __future__ import annotations

import importlib.metadata
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from tiny_coqui import RATE, build

from conftest import ROOT, write
from pipeline._config import load_settings
from pipeline.errors import VoiceError
from pipeline.sound import ffmpeg
from pipeline.synthesis.engines import coqui, engine_class, get_engine
from pipeline.synthesis.voices import load_voice, load_voice_file

EPISODE = """---
title: Tiny Coqui
---

Hello and welcome. This is the first segment, in two sentences.

## Second chapter

And here is the second one.
"""


@pytest.fixture(scope="module")
def models(tmp_path_factory):
    root = tmp_path_factory.mktemp("coqui-models")
    return {"solo": build(root / "solo"), "duo": build(root / "duo", speakers=("anna", "ben"), seed=1)}


def show(folder: Path, voices: dict[str, str], main: str) -> Path:
    for name, toml in voices.items():
        write(folder / "voices" / f"{name}.toml", toml)
    write(folder / "podcast.toml", f'[show]\ntitle = "Tiny"\nauthor = "Test"\n\n[speech]\nvoice = "{main}"\n')
    return folder


def solo_toml(models, extra: str = "") -> str:
    m = models["solo"]
    return f'engine = "coqui"\nmodel_path = "{m / "model.pth"}"\nconfig_path = "{m / "config.json"}"\n{extra}'


def voice(tmp_path, toml: str, name: str = "mine"):
    return load_voice_file(write(tmp_path / "voices" / f"{name}.toml", toml))


def samples(v, text: str, seed: int = 7) -> np.ndarray:
    return np.concatenate([c.samples for c in get_engine(v, 1).synthesize(text, seed)])


# ---------------------------------------------------------------- rendering, end to end


@pytest.fixture(scope="module")
def rendered(models, tmp_path_factory):
    root = show(tmp_path_factory.mktemp("coqui-show"), {"tiny": solo_toml(models)}, "tiny")
    episode = write(root / "Tiny.md", EPISODE)
    env = {**os.environ, "PODCAST_CACHE": str(root / "cache")}
    run = [sys.executable, "-m", "pipeline", "render", str(episode), "-o", str(root / "out")]
    first = subprocess.run(run, capture_output=True, text=True, cwd=root, env=env)
    assert first.returncode == 0, first.stderr
    report1 = json.loads((root / "out" / "tiny.report.json").read_text())
    again = subprocess.run([*run, "--force"], capture_output=True, text=True, cwd=root, env=env)
    assert again.returncode == 0, again.stderr
    return root / "out", report1, json.loads((root / "out" / "tiny.report.json").read_text())


@pytest.mark.slow  # an end-to-end render
def test_episode_renders_through_the_whole_pipeline(rendered):
    out, report, _ = rendered
    assert sorted(p.name for p in out.iterdir()) == [
        "tiny.chapters.json",
        "tiny.mp3",
        "tiny.report.html",
        "tiny.report.json",
        "tiny.srt",
        "tiny.transcript.json",
        "tiny.vtt",
    ]
    assert report["synthesis"] == {"synthesized": 2, "from_cache": 0}
    loud = ffmpeg.measure_loudness(out / "tiny.mp3")
    assert abs(loud.integrated - -16.0) <= 0.5
    assert loud.true_peak <= -1.0
    chapters = json.loads((out / "tiny.chapters.json").read_text())["chapters"]
    assert [c["title"] for c in chapters] == ["Introduction", "Second chapter"]
    from mutagen.id3 import ID3

    assert len(ID3(out / "tiny.mp3").getall("CHAP")) == 2


@pytest.mark.slow  # an end-to-end render
def test_sentence_timings_reach_the_transcript(rendered):
    out, _, _ = rendered
    vtt = (out / "tiny.vtt").read_text()
    cues = [line for line in vtt.splitlines() if "-->" in line]
    assert len(cues) == 3  # two sentences, then one
    assert "Hello and welcome." in vtt and "And here is the second one." in vtt


@pytest.mark.slow  # an end-to-end render
def test_re_render_comes_from_the_cache(rendered):
    _, first, second = rendered
    assert second["synthesis"] == {"synthesized": 0, "from_cache": 2}
    assert second["loudness"] == first["loudness"]


# ---------------------------------------------------------------- the engine


def test_model_loads_from_checkpoint_and_config(models, tmp_path):
    v = voice(tmp_path, solo_toml(models))
    assert (v.engine, v.model, v.config) == (
        "coqui",
        str(models["solo"] / "model.pth"),
        str(models["solo"] / "config.json"),
    )
    assert engine_class("coqui").describe(v)["sample_rate"] == RATE
    engine = get_engine(v, 1)
    chunks = list(engine.synthesize("Hello there.", 1))
    assert chunks and all(c.sample_rate == RATE and c.samples.dtype == np.int16 for c in chunks)
    assert np.abs(chunks[0].samples).max() > 100  # noise, but sound


def test_same_text_and_seed_same_samples(models, tmp_path):
    v = voice(tmp_path, solo_toml(models))
    a, b, c = samples(v, "One two three.", 7), samples(v, "One two three.", 7), samples(v, "One two three.", 8)
    assert np.array_equal(a, b)
    assert not np.array_equal(a, c)


def test_identity_hashes_the_model_files(models, tmp_path):
    v = voice(tmp_path, solo_toml(models))
    ident = engine_class("coqui").identity(v)
    assert len(ident["files"]) == 2 and ident["coqui"] and ident["torch"]
    speakers = voice(tmp_path, solo_toml(models, f'speaker_wav = "{models["duo"] / "speakers.json"}"\n'), "w")
    assert len(engine_class("coqui").identity(speakers)["files"]) == 3


def test_length_scale_reaches_the_model(models, tmp_path):
    normal = voice(tmp_path, solo_toml(models), "normal")
    slow = voice(tmp_path, solo_toml(models, "[synthesis]\nlength_scale = 2.0\n"), "slow")
    # Durations are rounded up to whole frames, and a random model predicts many
    # short ones, so doubling the scale gives about 1.5x, not 2x.
    assert len(samples(slow, "A sentence of some length.")) > 1.3 * len(samples(normal, "A sentence of some length."))


def test_speakers_by_name_and_index(models, tmp_path):
    duo = models["duo"]
    base = f'engine = "coqui"\nmodel_path = "{duo / "model.pth"}"\nspeakers = "{duo / "speakers.json"}"\n'
    anna = voice(tmp_path, base + '[synthesis]\nspeaker = "anna"\n', "anna")
    ben = voice(tmp_path, base + '[synthesis]\nspeaker = "ben"\n', "ben")
    ben_by_index = voice(tmp_path, base + "[synthesis]\nspeaker = 1\n", "ben1")
    assert not np.array_equal(samples(anna, "Who is speaking?"), samples(ben, "Who is speaking?"))
    assert np.array_equal(samples(ben, "Who is speaking?"), samples(ben_by_index, "Who is speaking?"))
    with pytest.raises(VoiceError, match=r"no speaker 'carl' \(known: anna, ben\)"):
        get_engine(voice(tmp_path, base + '[synthesis]\nspeaker = "carl"\n', "carl"), 1)
    with pytest.raises(VoiceError, match="several speakers; choose one"):
        get_engine(voice(tmp_path, base, "nobody"), 1)


def test_broken_checkpoint_is_a_voice_error(models, tmp_path):
    bad = write(tmp_path / "bad.pth", b"not a checkpoint")
    v = voice(tmp_path, f'engine = "coqui"\nmodel_path = "{bad}"\nconfig_path = "{models["solo"] / "config.json"}"\n')
    with pytest.raises(VoiceError, match="cannot load Coqui model .*bad.pth"):
        get_engine(v, 1)


# ---------------------------------------------------------------- voice files


def test_config_defaults_to_the_checkpoint_folder(models, tmp_path):
    v = voice(tmp_path, f'engine = "coqui"\nmodel_path = "{models["solo"] / "model.pth"}"\n')
    assert v.config == str(models["solo"] / "config.json")


def test_relative_paths_are_relative_to_the_voice_file(models, tmp_path):
    folder = tmp_path / "voices" / "mymodel"
    folder.mkdir(parents=True)
    for name in ("model.pth", "config.json"):
        (folder / name).write_bytes((models["solo"] / name).read_bytes())
    v = voice(tmp_path, 'engine = "coqui"\nmodel_path = "mymodel/model.pth"\nconfig_path = "mymodel/config.json"\n')
    assert v.model == str(folder / "model.pth")


@pytest.mark.parametrize(
    "toml, problem",
    [
        ('engine = "coqui"\nmodel_path = "nope.pth"\n', r"model .*nope.pth does not exist"),
        (
            'engine = "coqui"\nmodel_path = "{m}/model.pth"\nconfig_path = "nope.json"\n',
            r"config .*nope.json does not exist",
        ),
        (
            'engine = "coqui"\nmodel = "{m}/model.pth"\nmodel_path = "{m}/model.pth"\n',
            "'model' and 'model_path' both set the model",
        ),
        (
            'engine = "coqui"\nmodel_path = "{m}/model.pth"\nspeaker_wav = "me.wav"\n',
            r"speaker_wav: .*me.wav does not exist",
        ),
        (
            'engine = "coqui"\nmodel_name = "tts_models/en/ljspeech/vits"\nconfig_path = "{m}/config.json"\n',
            "config_path belongs to a local model",
        ),
    ],
)
def test_bad_coqui_voice_files(models, tmp_path, toml, problem):
    with pytest.raises(VoiceError, match=problem):
        voice(tmp_path, toml.format(m=models["solo"]))


# ---------------------------------------------------------------- catalogue names, offline


@pytest.fixture
def offline(tmp_path, monkeypatch):
    """No downloaded models, and the download hosts refuse (a closed local port)."""
    monkeypatch.setenv("TTS_HOME", str(tmp_path / "tts-home"))
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf-home"))
    monkeypatch.setattr(coqui, "_DOWNLOAD_HOSTS", {h: ("127.0.0.1", 9) for h in coqui._DOWNLOAD_HOSTS})
    coqui._model_files.cache_clear()
    yield
    coqui._model_files.cache_clear()


def test_catalogue_name_offline_fails_clearly(tmp_path, offline):
    v = voice(tmp_path, 'engine = "coqui"\nmodel_name = "tts_models/en/ljspeech/vits"\n')
    assert (v.model, v.config) == ("tts_models/en/ljspeech/vits", None)
    with pytest.raises(
        VoiceError,
        match=r"tts_models/en/ljspeech/vits is not downloaded and cannot be fetched "
        r"\(no connection: .*\); download it where there is internet",
    ):
        engine_class("coqui").describe(v)
    assert not (tmp_path / "tts-home").exists() or not any((tmp_path / "tts-home").rglob("*.pth"))


def test_unknown_catalogue_name(tmp_path, offline):
    v = voice(tmp_path, 'engine = "coqui"\nmodel_name = "tts_models/xx/nowhere/vits"\n')
    with pytest.raises(VoiceError, match="not in Coqui's model catalogue"):
        engine_class("coqui").identity(v)


def test_licensed_model_asks_for_consent_instead_of_reading_stdin(tmp_path, offline, monkeypatch):
    monkeypatch.delenv("COQUI_TOS_AGREED", raising=False)
    v = voice(tmp_path, 'engine = "coqui"\nmodel_name = "tts_models/multilingual/multi-dataset/xtts_v2"\n')
    with pytest.raises(VoiceError, match="set COQUI_TOS_AGREED=1"):
        engine_class("coqui").describe(v)


# ---------------------------------------------------------------- without the extra


def test_voices_marks_coqui_unavailable_without_the_extra(models, tmp_path, monkeypatch, capsys):
    from pipeline.app import cli

    show(tmp_path, {"tiny": solo_toml(models)}, "tiny")
    real_version = importlib.metadata.version

    def version(dist):
        if dist == "torch":
            raise importlib.metadata.PackageNotFoundError(dist)
        return real_version(dist)

    monkeypatch.setattr(importlib.metadata, "version", version)
    monkeypatch.chdir(tmp_path)
    assert cli.main(["voices"]) == 0
    lines = {line.split()[0]: line for line in capsys.readouterr().out.splitlines()}
    assert "unavailable" in lines["tiny"] and "pip install 'podcast-pipeline[coqui]'" in lines["tiny"]
    assert "piper" in lines["joe"]
    with pytest.raises(VoiceError, match=r"torch is not installed\): pip install"):
        get_engine(load_voice("tiny", load_settings(tmp_path / "podcast.toml")), 1)


def test_the_rest_never_imports_torch(models, tmp_path):
    """Listing voices (a Coqui one among them), parsing, Piper: none of it may pay for PyTorch."""
    show(tmp_path, {"tiny": solo_toml(models)}, "tiny")
    code = (
        "import sys; from pipeline.app.cli import main; main(['voices']); "
        f"main(['segments', {str(ROOT / 'episodes' / 'example.md')!r}]); "
        "sys.exit('torch was imported' if 'torch' in sys.modules or 'TTS' in sys.modules else 0)"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr


def test_speaker_wav_is_readable_by_coquis_loader(tmp_path):
    """XTTS reads speaker_wav with torchaudio.load, which (torchaudio >= 2.9) needs
    FFmpeg's shared libraries through torchcodec; without them it must still work."""
    import soundfile
    import torchaudio

    tone = (0.5 * np.sin(2 * np.pi * 440 * np.arange(22050) / 22050)).astype(np.float32)
    wav = tmp_path / "me.wav"
    soundfile.write(wav, np.stack([tone, tone], axis=1), 22050, subtype="PCM_16")
    coqui._ensure_audio_loading()
    audio, rate = torchaudio.load(str(wav))
    assert rate == 22050 and tuple(audio.shape) == (2, 22050)
    assert float(audio.abs().max()) == pytest.approx(0.5, abs=0.01)
