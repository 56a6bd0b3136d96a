"""The Python API (README: "Python API"): the README's example runs; the calls do what the
commands do, with the commands' errors; `pipeline.__all__` is the whole public surface."""

from __future__ import annotations

import inspect
import json
import logging
import re
import subprocess
import sys
import wave

import numpy as np
import pytest

import pipeline
from conftest import ROOT
from pipeline import errors
from pipeline.app import _api as api

SCRIPT = "---\ntitle: Hello\n---\n\n## Welcome\n\nHello, and welcome to the show.\n\n## The end\n\nThat is all.\n"


@pytest.fixture
def show(tmp_path, monkeypatch):
    """A folder with a two-chapter script, its cache in the folder; the calls run in it."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PODCAST_CACHE", str(tmp_path / "cache"))
    (tmp_path / "hello.md").write_text(SCRIPT, encoding="utf-8")
    return tmp_path


@pytest.fixture(autouse=True)
def _logging_as_it_was():
    """`cli_inproc` sets the command's log handler on this test's stderr: not the next test's."""
    root, ours = logging.getLogger(), logging.getLogger("pipeline")
    handlers, levels = root.handlers[:], (root.level, ours.level)
    yield
    root.handlers[:] = handlers
    root.setLevel(levels[0])
    ours.setLevel(levels[1])


def readme_example() -> str:
    """The ```python block of the README's "Python API" section."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = re.search(r"^## Python API\n(.*?)(?=^## )", text, re.S | re.M)
    assert section, 'README.md has no "## Python API" section'
    code = re.search(r"^```python\n(.*?)^```", section.group(1), re.S | re.M)
    assert code, 'README.md\'s "Python API" section has no ```python example'
    return code.group(1)


def test_the_readme_example_runs(show, capsys):
    exec(compile(readme_example(), "README.md (Python API)", "exec"), {"__name__": "readme_example"})
    out = capsys.readouterr().out
    assert (show / "public" / "hello.mp3").is_file() and (show / "second.wav").is_file()
    assert (show / "line.wav").is_file()
    assert "Welcome" in out and "The end" in out
    assert "exit status 1: missing.md: " in out  # the missing script, as the command words it


def test_all_lists_exactly_the_public_names():
    """Every public name of the package is in __all__ and resolves; modules are not names."""
    public = {n for n in dir(pipeline) if not n.startswith("_") and not inspect.ismodule(getattr(pipeline, n))}
    assert public == set(pipeline.__all__)
    assert set(api.__all__) <= public
    raised = {n for n, c in vars(errors).items() if isinstance(c, type) and issubclass(c, errors.PipelineError)}
    assert raised <= public  # every error the calls raise can be caught by its name
    assert pipeline.render is api.render and pipeline.PipelineError is errors.PipelineError


def test_importing_the_package_loads_no_pipeline():
    """`import pipeline` is cheap (worker processes, `python -m pipeline --version`): the API
    and everything below it load on first use."""
    code = "import sys, pipeline; print(sorted(m for m in sys.modules if m.startswith(('pipeline.', 'numpy'))))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert loaded.stdout.strip() == "['pipeline.errors']"


def test_render_returns_what_the_report_on_disk_says(show):
    episode = pipeline.render("hello.md", out="public", voice="joe")
    report = json.loads((show / "public" / "hello.report.json").read_text(encoding="utf-8"))
    assert episode.rendered and episode.mp3 == (show / "public" / "hello.mp3").resolve()
    assert episode.report == report
    assert episode.files == {kind: episode.mp3.parent / name for kind, name in report["outputs"].items()}
    assert all(path.is_file() for path in episode.files.values())
    assert episode.title == "Hello" and episode.duration == report["duration"]
    assert (episode.loudness, episode.true_peak) == (
        report["loudness"]["integrated_lufs"],
        report["loudness"]["true_peak_dbtp"],
    )
    assert [(c.title, c.start, c.end) for c in episode.chapters] == [
        (c["title"], c["start"], c["end"]) for c in report["chapters"]
    ]
    assert (episode.synthesized, episode.from_cache) == (2, 0)

    again = pipeline.render("hello.md", out="public", voice="joe")  # up to date: left as it is
    assert not again.rendered and again.report == episode.report and again.mp3 == episode.mp3
    forced = pipeline.render("hello.md", out="public", voice="joe", force=True)
    assert forced.rendered and (forced.synthesized, forced.from_cache) == (0, 2)


def test_render_makes_the_commands_episode(show, cli_inproc):
    """The same stages as `podcast render`: the same MP3 and chapters, byte for byte."""
    episode = pipeline.render(show / "hello.md", out=show / "api", voice="joe", settings={"master": {"id3_version": 4}})
    assert cli_inproc("render", "hello.md", "-o", "cli", "--voice", "joe", "--id3", "4", cwd=show).code == 0
    for name in ("hello.mp3", "hello.chapters.json", "hello.vtt", "hello.transcript.json"):
        assert (show / "api" / name).read_bytes() == (show / "cli" / name).read_bytes(), name
    assert episode.report["format"]["id3_version"] == "2.4"


@pytest.mark.parametrize(
    "call, command",
    [
        (lambda: pipeline.render("missing.md", out="out"), ["render", "missing.md", "-o", "out"]),
        (lambda: pipeline.render("hello.md", voice="nobody"), ["render", "hello.md", "--voice", "nobody"]),
        (lambda: pipeline.preview("missing.md", 1), ["preview", "missing.md", "1"]),
        (lambda: pipeline.preview("hello.md", 9), ["preview", "hello.md", "9"]),
        (lambda: pipeline.preview("hello.md", "nope"), ["preview", "hello.md", "nope"]),
        (lambda: pipeline.preview("hello.md", 1, "one.mp3"), ["preview", "hello.md", "1", "-o", "one.mp3"]),
        (lambda: pipeline.speak("Hello.", voice="nobody"), ["preview", "--text", "Hello.", "--voice", "nobody"]),
    ],
    ids=["no script", "unknown voice", "preview: no script", "no segment 9", "no such id", "not wav", "speak"],
)
def test_errors_are_the_commands(show, cli_inproc, call, command):
    """The same exception, with the line the command prints and its exit status; nothing written."""
    r = cli_inproc(*command, cwd=show)
    with pytest.raises(errors.PipelineError) as raised:
        call()
    assert r.stderr.strip() == f"podcast: error: {raised.value}"
    assert r.code == raised.value.exit_code
    assert not (show / "out").exists() and not list(show.glob("*.wav"))


def test_a_setting_that_cannot_be_used_is_bad_usage(show):
    with pytest.raises(pipeline.UsageError, match=r"settings: master\.loudness"):
        pipeline.render("hello.md", settings={"master": {"loudness": "loud"}})
    with pytest.raises(pipeline.UsageError, match="unknown section"):
        pipeline.preview("hello.md", 1, settings={"mastr": {"loudness": -16}})
    with pytest.raises(pipeline.UsageError, match="one episode script, not a folder"):
        pipeline.render(show)  # `podcast render` renders folders; render() one script
    assert not (show / "cache").exists()  # found before any synthesis


def test_preview_is_the_commands(show, cli_inproc):
    path = pipeline.preview("hello.md", 2, "api.wav", voice="joe")
    assert path.name == "api.wav"
    assert cli_inproc("preview", "hello.md", "2", "-o", "cli.wav", "--voice", "joe", cwd=show).code == 0
    assert path.read_bytes() == (show / "cli.wav").read_bytes()


def test_speak_returns_the_raw_speech(show):
    speech = pipeline.speak("Version 2.0 is 50% faster.", voice="joe", out="line.wav")
    assert speech.sample_rate == 22050 and speech.samples.dtype == np.float32 and speech.samples.ndim == 1
    assert 1.5 < speech.duration < 6 and np.abs(speech.samples).max() > 0.1  # words, not silence
    assert not speech.samples.flags.writeable
    with wave.open(str(show / "line.wav"), "rb") as w:
        assert (w.getframerate(), w.getnchannels(), w.getsampwidth()) == (22050, 1, 2)
        written = np.frombuffer(w.readframes(w.getnframes()), "<i2")
    assert np.array_equal(written, np.round(speech.samples * 32768).astype(np.int16))
    with pytest.raises(pipeline.UsageError, match="nothing a voice can say"):
        pipeline.speak("  <!-- a comment -->  ")
    with pytest.raises(pipeline.UsageError, match="name the file .wav"):
        speech.write("line.mp3")


def test_the_api_is_typed():
    """Every parameter and return of the calls is annotated, and the package says it is typed
    (PEP 561), so a caller's type checker reads the annotations."""
    for name in ("render", "preview", "speak"):
        signature = inspect.signature(getattr(pipeline, name), eval_str=True)
        assert signature.return_annotation is not inspect.Signature.empty, name
        assert all(p.annotation is not inspect.Parameter.empty for p in signature.parameters.values()), name
    assert (ROOT / "pipeline" / "py.typed").is_file()
