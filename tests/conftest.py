"""Shared fixtures.  Tests that need the real transcript skip, with the reason,
where ../shared/episodes is absent; everything else is self-contained."""

from __future__ import annotations

import contextlib
import io
import logging
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import numpy as np
import pytest

from pipeline.synthesis.engines import AudioChunk

ROOT = Path(__file__).resolve().parent.parent
# The test engines (tone, flaky, gappy, slowtone) are a distribution of their own in tests/site,
# declared in the podcast_pipeline.engines entry-point group as any plugin is: on sys.path here,
# on PYTHONPATH in the processes tests start (test_hostile.py), spawned workers inherit it.
sys.path.append(str(ROOT / "tests" / "site"))
SHARED_EPISODES = ROOT.parent / "shared" / "episodes"
REAL_TRANSCRIPT = SHARED_EPISODES / "2017-03-21-linux-kernel-podcast.txt"
EXAMPLE = ROOT / "episodes" / "example.md"


@pytest.fixture(scope="session", autouse=True)
def _tool_probe_cache(tmp_path_factory):
    """ffmpeg probe answers go to a cache of the test session's own, not the user's ~/.cache."""
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("xdg-cache"))


# The suite's renders speak with joe (Piper), four times faster than the default Kokoro voice,
# as a machine may choose with $PODCAST_VOICE; the Kokoro engine, the default voice and the
# example's two Kokoro hosts have tests of their own (engines/test_kokoro.py, test_config.py,
# test_episode.py, test_packaging.py). Set at import, so the processes the tests start inherit it.
os.environ["PODCAST_VOICE"] = "joe"


@pytest.fixture(autouse=True)
def _ffmpeg_in_use():
    """A test that chooses another ffmpeg does not leave it chosen for the next."""
    from pipeline.sound import ffmpeg

    before = ffmpeg._current
    yield
    ffmpeg._current = before


@pytest.fixture(scope="session")
def real_transcript(tmp_path_factory) -> Path:
    """A copy of the real transcript, so that what a render leaves beside it (its segment
    cache) lands in the test session's folder, never in ../shared."""
    if not REAL_TRANSCRIPT.is_file():
        pytest.skip(f"real transcript not found at {REAL_TRANSCRIPT} (../shared/episodes is absent)")
    copy = tmp_path_factory.mktemp("shared-episodes") / REAL_TRANSCRIPT.name
    copy.write_bytes(REAL_TRANSCRIPT.read_bytes())
    return copy


@dataclass
class Result:
    code: int
    stdout: str
    stderr: str


@pytest.fixture
def cli(tmp_path):
    """Run the public `podcast` command in a fresh process (as a user would)."""

    def run(*args: str, cwd: Path | None = None, env: dict | None = None) -> Result:
        environ = {**os.environ, "PODCAST_CACHE": str(tmp_path / "cache"), **(env or {})}
        proc = subprocess.run(
            [sys.executable, "-m", "pipeline", *map(str, args)],
            capture_output=True,
            text=True,
            cwd=cwd or tmp_path,
            timeout=600,
            env=environ,
        )
        return Result(proc.returncode, proc.stdout, proc.stderr)

    return run


def read_wav(path: Path) -> tuple[np.ndarray, int, int]:
    """(int16 samples, shaped (frames,) or (frames, channels); sample rate; channels)."""
    import wave

    with wave.open(str(path), "rb") as w:
        assert w.getsampwidth() == 2, f"{path}: expected 16-bit PCM WAV"
        rate, channels = w.getframerate(), w.getnchannels()
        data = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")
    return (data.reshape(-1, channels) if channels > 1 else data), rate, channels


@contextlib.contextmanager
def _environment(cwd: Path | None, env: dict[str, str | None]) -> Iterator[None]:
    """The current folder and os.environ set for a command (a None value removes the variable),
    both put back as they were after it."""
    saved, here = dict(os.environ), os.getcwd()
    try:
        if cwd is not None:
            os.chdir(cwd)
        for key, value in env.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        yield
    finally:
        os.chdir(here)
        os.environ.clear()
        os.environ.update(saved)


def podcast(*args: object, cwd: Path | None = None, env: dict[str, str | None] | None = None) -> Result:
    """`podcast ARGS` in this process: main()'s exit status (argparse's SystemExit included) and
    what it printed, run in `cwd` with `env` over os.environ; the folder, the environment and
    the logging set-up main() changes are put back after it.  Any fixture scope may call it;
    where the process boundary is what a test is about (signals, pipes, encodings, the
    installation), `cli` runs the command in a process of its own."""
    from pipeline.app.cli import main

    out, err = io.StringIO(), io.StringIO()
    root, ours = logging.getLogger(), logging.getLogger("pipeline")
    handlers, levels = root.handlers[:], (root.level, ours.level)
    try:
        with _environment(cwd, env or {}), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main([str(a) for a in args])
            except SystemExit as exc:  # argparse's usage errors
                code = exc.code if isinstance(exc.code, int) else 1
    finally:
        root.handlers[:] = handlers
        root.setLevel(levels[0])
        ours.setLevel(levels[1])
    return Result(code, out.getvalue(), err.getvalue())


@pytest.fixture
def cli_inproc(tmp_path, monkeypatch):
    """`podcast()` in the test's folder with a cache of its own (both stay set for the rest of the
    test), for error paths: what a process of its own would add (start-up, a fresh interpreter)
    is not what they test, and it costs a second a call."""

    def run(*args: object, cwd: Path | None = None, env: dict[str, str] | None = None) -> Result:
        monkeypatch.chdir(cwd or tmp_path)
        for key, value in {"PODCAST_CACHE": str(tmp_path / "cache"), **(env or {})}.items():
            monkeypatch.setenv(key, value)
        return podcast(*args)

    return run


@pytest.fixture(scope="session")
def real_render(real_transcript: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The output folder of one render of the real transcript with the suite's voice, shared by
    every test that reads what a full render of it writes (read them, never change them)."""
    out = tmp_path_factory.mktemp("real-render")
    r = podcast("render", real_transcript, "-o", out, "-q")
    assert r.code == 0, r.stderr
    return out


def untagged_mp3(path: Path) -> Path:
    """Three seconds of a tone as an MP3 with its LAME header and no tag: for the taggers to write."""
    from pipeline.sound import ffmpeg

    ffmpeg.run(
        [
            "-f",
            "lavfi",
            "-i",
            "sine=frequency=440:duration=3",
            "-c:a",
            "libmp3lame",
            "-b:a",
            "64k",
            "-write_xing",
            "1",
            "-id3v2_version",
            "0",
            path,
        ]
    )
    return path


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


RATE = 22050


class ToneEngine:
    """A fake engine for timing and mixing tests: each sentence is 50 ms of
    silence, then 10 ms of a 220 Hz tone per character."""

    name = "tone"
    concurrent = True
    sample_rate = RATE

    @staticmethod
    def resolve_model(ref, base, where):
        return ref

    @staticmethod
    def model_config(model, config, base, where):
        return None

    @staticmethod
    def identity(voice):
        return {}

    @staticmethod
    def describe(voice):
        return {"sample_rate": RATE}

    @classmethod
    def load(cls, voice, threads=0):
        return cls()

    def synthesize(self, text, seed):
        lead = np.zeros(int(0.05 * RATE), np.int16)
        t = np.arange(int(0.01 * RATE * len(text))) / RATE
        yield AudioChunk(np.concatenate([lead, (8000 * np.sin(2 * np.pi * 220 * t)).astype(np.int16)]), RATE)


@pytest.fixture
def tone_voice():
    """A Voice on the tone engine, registered the way real engines are (an entry point: tests/site)."""
    from pipeline.synthesis.voices import Voice

    return Voice(name="tone", engine="tone", model="-", sentence_pause=0.2)


class FlakyEngine:
    """The real Piper voice, except that a one-sentence segment's first take (the seed of
    attempt 0) is noise: what a verification retry must repair.  Only the seed decides,
    so it is as deterministic as the real engine."""

    name = "flaky"
    concurrent = True
    seeded = True

    def __init__(self, piper):
        self.piper = piper
        self.sample_rate = piper.sample_rate

    @staticmethod
    def _piper():
        from pipeline.synthesis.engines.piper import PiperEngine

        return PiperEngine

    @classmethod
    def resolve_model(cls, ref, base, where):
        return cls._piper().resolve_model(ref, base, where)

    @classmethod
    def model_config(cls, model, config, base, where):
        return cls._piper().model_config(model, config, base, where)

    @classmethod
    def identity(cls, voice):
        return {**cls._piper().identity(voice), "stub": "flaky"}

    @classmethod
    def describe(cls, voice):
        return cls._piper().describe(voice)

    @classmethod
    def load(cls, voice, threads=0):
        return cls(cls._piper().load(voice, threads))

    def synthesize(self, text, seed):
        from pipeline.synthesis.speech import sentence_seed

        if seed == sentence_seed(text, 0):
            noise = np.random.default_rng(seed % 2**32).normal(0, 6000, self.sample_rate * 3)
            yield AudioChunk(noise.clip(-32768, 32767).astype(np.int16), self.sample_rate)
            return
        yield from self.piper.synthesize(text, seed)


class GappyEngine(FlakyEngine):
    """The real Piper voice, except that a one-sentence segment's first take has a 2 s hole in
    the middle of its words: what the signal checks find and `render --verify` must retake."""

    name = "gappy"

    @classmethod
    def identity(cls, voice):
        return {**cls._piper().identity(voice), "stub": "gappy"}

    def synthesize(self, text, seed):
        from pipeline.synthesis.speech import sentence_seed

        chunks = list(self.piper.synthesize(text, seed))
        if seed != sentence_seed(text, 0):
            yield from chunks
            return
        samples = np.concatenate([c.samples for c in chunks])
        half = len(samples) // 2
        hole = np.zeros(2 * self.sample_rate, np.int16)
        yield AudioChunk(np.concatenate([samples[:half], hole, samples[half:]]), self.sample_rate)


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, driven by Playwright, for the pages' browser tests (site, report)."""
    import shutil

    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is in the test extra")
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("no chromium installed (.ci/run installs Debian's)")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=chromium, args=["--no-sandbox", "--autoplay-policy=no-user-gesture-required"]
        )
        yield b
        b.close()


@contextlib.contextmanager
def read_only(folder: Path):
    """`folder` made read-only: by permissions, or as root (who ignores them) by a read-only bind mount."""
    if os.geteuid() != 0:
        modes = {p: p.stat().st_mode for p in [folder, *folder.rglob("*")] if p.is_dir()}
        for p in modes:
            p.chmod(0o555)
        try:
            yield
        finally:
            for p, mode in modes.items():
                p.chmod(mode)
        return
    if subprocess.run(["mount", "--bind", folder, folder], capture_output=True).returncode != 0:
        pytest.skip("running as root, which ignores permissions, and mount is not allowed here")
    try:
        subprocess.run(["mount", "-o", "remount,bind,ro", folder, folder], check=True, capture_output=True)
        yield
    finally:
        subprocess.run(["umount", folder], capture_output=True)
