"""Issue 11: faults and hostile input.  One test per numbered item of the issue;
each sets up the case that failed (hung, printed an internal error, left
temporaries, rendered after an interrupt) and asserts the clean behaviour:
the exit status, one line naming the file, no temporaries left, the other
episodes of a batch rendered.

Most run `podcast` in a subprocess with the slow tone engine (tests/slow_engine.py,
registered as an entry point by tests/site): real processes, signals and files,
no speech model.  Folders made read-only or full need permissions (not root)
or, as root, a bind or tmpfs mount; where neither is possible the test skips
and says why."""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT, read_only, write

pytestmark = pytest.mark.slow  # renders in subprocesses, interrupted on purpose: minutes in all

TESTS = Path(__file__).resolve().parent
FIFO_TIMEOUT = 30  # a hang fails the test instead of hanging the suite


def show(root: Path, episodes: dict[str, str] | None = None, paragraphs: int = 6) -> Path:
    """A show on the slow tone voice without music, and its episodes folder."""
    write(root / "podcast.toml", '[speech]\nvoice = "slow"\n[music]\nintro = "none"\noutro = "none"\n')
    write(root / "voices" / "slow.toml", 'engine = "slowtone"\nmodel = "-"\n')
    (root / "tmp").mkdir(exist_ok=True)
    (root / "eps").mkdir(exist_ok=True)
    for name, text in (
        episodes
        if episodes is not None
        else {
            n: f"# Episode {n}\n\n"
            + "\n\n".join(f"Paragraph {k} of episode {n}, with a few words." for k in range(paragraphs))
            + "\n"
            for n in "abcd"
        }
    ).items():
        write(root / "eps" / f"{name}.md", text)
    return root / "eps"


def env(root: Path, seconds: float = 0.0, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(TESTS / "site"), str(TESTS)]),
        "SLOW_ENGINE_SECONDS": str(seconds),
        "PODCAST_CACHE": str(root / "cache"),
        "TMPDIR": str(root / "tmp"),
        **extra,
    }


def podcast(root: Path, *args, seconds: float = 0.0, timeout: float = 300, **extra) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pipeline", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=root,
        env=env(root, seconds, **extra),
        timeout=timeout,
    )


def launch(root: Path, *args, seconds: float = 0.3, **popen) -> subprocess.Popen:
    """`podcast ARGS` started in the background with the slow test engine, its output piped."""
    return subprocess.Popen(
        [sys.executable, "-m", "pipeline", *map(str, args)],
        cwd=root,
        env=env(root, seconds),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **popen,
    )


def errors(stderr: str) -> list[str]:
    return [l for l in stderr.splitlines() if l.startswith("podcast: error:")]


def clean_failure(r, code: int, *needles: str) -> str:
    """Exit `code`, no traceback, no internal error, exactly one error line holding every needle."""
    assert r.returncode == code, (r.returncode, r.stderr)
    assert "Traceback" not in r.stderr and "internal error" not in r.stderr + r.stdout, r.stderr
    lines = errors(r.stderr)
    assert len(lines) == 1, r.stderr
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])
    return lines[0]


def no_temporaries(root: Path, out: Path | None = None) -> None:
    left = list((root / "tmp").iterdir())  # ONNX Runtime's `.ses` too: its telemetry is off
    assert left == [], left
    if out is not None and out.is_dir():
        assert not [p for p in out.iterdir() if p.name.startswith(".")], list(out.iterdir())


def cache_entries(root: Path) -> int:
    return len(list((root / "cache").glob("segments/*/*.json")))


@contextlib.contextmanager
def small_file_system(folder: Path, size: str):
    folder.mkdir(parents=True, exist_ok=True)
    if (
        os.geteuid() != 0
        or subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", folder], capture_output=True
        ).returncode
        != 0
    ):
        pytest.skip("a small full file system needs root and mount; the ENOSPC test below covers the writes")
    try:
        yield
    finally:
        subprocess.run(["umount", folder], capture_output=True)


# ---------------------------------------------------------------- 1. interrupts stop a parallel batch


@pytest.mark.parametrize(
    "executor, target, sig",
    [
        ("pool", "group", signal.SIGINT),  # Ctrl-C
        ("pool", "main", signal.SIGINT),  # kill -INT PID
        ("pool", "main", signal.SIGTERM),  # a supervisor stopping it
        ("pool", "group", signal.SIGTERM),
        ("dask", "group", signal.SIGINT),
        ("dask", "main", signal.SIGTERM),
    ],
)
def test_1_interrupt_stops_a_parallel_batch(tmp_path, monkeypatch, executor, target, sig):
    """An interrupt stops a parallel batch: one `interrupted` line, and no episode that had not
    started is rendered after it."""
    eps = show(tmp_path)
    cmd = ["render", eps, "-o", "out", "-j", "2"]
    cluster = None
    if executor == "dask":
        distributed = pytest.importorskip("distributed")
        for key, value in env(tmp_path, 0.3).items():  # the workers import the test engine and use tmp/
            monkeypatch.setenv(key, value)
        cluster = distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
        )
        cmd += ["--scheduler", cluster.scheduler_address]
    try:
        proc = launch(tmp_path, *cmd, start_new_session=True)
        deadline = time.time() + 120
        while time.time() < deadline and cache_entries(tmp_path) < 2:  # two episodes are being rendered
            time.sleep(0.05)
        assert cache_entries(tmp_path) >= 2 and not list((tmp_path / "out").glob("*.mp3"))
        sent = time.time()
        (os.killpg if target == "group" else os.kill)(proc.pid, sig)
        _, stderr = proc.communicate(timeout=60)
        took = time.time() - sent
        assert proc.returncode == 128 + sig, stderr
        assert took < 15, took  # promptly: not after the remaining episodes
        if executor == "dask":  # its workers clean up in the cluster's processes
            deadline = time.time() + 30
            while time.time() < deadline and any((tmp_path / "tmp").glob("podcast-work-*")):
                time.sleep(0.1)
    finally:
        if cluster is not None:
            time.sleep(2)  # anything a worker would wrongly start now shows up in out/
            outputs = sorted(p.name for p in (tmp_path / "out").glob("*.mp3")) if (tmp_path / "out").is_dir() else []
            cluster.close()
    if cluster is None:
        time.sleep(2)
        outputs = sorted(p.name for p in (tmp_path / "out").glob("*.mp3")) if (tmp_path / "out").is_dir() else []
        with pytest.raises(ProcessLookupError):  # no worker outlived the command
            os.killpg(proc.pid, 0)
    lines = [l for l in stderr.splitlines() if "interrupted" in l]
    assert len(lines) == 1 and "Traceback" not in stderr, stderr
    m = re.search(
        r"interrupted \((SIGINT|SIGTERM)\): (\d) of 4 episodes finished \((.*)\); not finished: (.*); "
        r"run it again",
        lines[0],
    )
    assert m and m.group(1) == sig.name, lines[0]
    finished = [] if m.group(3) == "none" else m.group(3).split(", ")
    unfinished = m.group(4).split(", ")
    assert len(finished) + len(unfinished) == 4
    # No episode that had not finished by the signal was rendered after it.
    assert outputs == sorted(f"{Path(f).stem}.mp3" for f in finished)
    no_temporaries(tmp_path, tmp_path / "out")
    # A rerun resumes: everything renders, taking what was synthesized from the cache.
    r = podcast(tmp_path, "render", eps, "-o", "out", "-j", "2")
    assert r.returncode == 0, r.stderr
    assert len(re.findall(r"rendered|skipped", r.stdout)) == 4
    assert sum(int(n) for n in re.findall(r"rendered\s+\S+\s+\d+/(\d+)", r.stdout)) >= 2


# ---------------------------------------------------------------- 2. an invalid date


def test_2_invalid_date_is_that_episodes_error(tmp_path):
    """An impossible date (`date: 2026-13-45`) is that episode's error (exit 1, one line naming
    it), and the rest of the batch renders."""
    eps = show(tmp_path, {"bad": "---\ndate: 2026-13-45\n---\n\nHello there.\n", "good": "Hello again.\n"})
    for command in ("segments", "check"):
        r = podcast(tmp_path, command, eps / "bad.md")
        if command == "segments":
            clean_failure(r, 1)
        text = r.stderr
        assert (
            f"{eps / 'bad.md'}:2: " in text
            and "'date' must be YYYY-MM-DD or YYYY-MM-DD HH:MM[:SS][+HH:MM] (a real date), not '2026-13-45'" in text
        )
        assert "internal error" not in text
    r = podcast(tmp_path, "check", eps)
    assert r.returncode == 1 and r.stdout.strip() == "2 scripts checked: 1 problem to fix", r.stdout + r.stderr
    r = podcast(tmp_path, "render", eps, "-o", "out")
    assert r.returncode == 1 and "internal error" not in r.stderr
    assert re.search(r"bad\.md\s+failed", r.stdout) and re.search(r"good\.md\s+rendered", r.stdout)
    assert sorted(p.name for p in (tmp_path / "out").glob("*.mp3")) == ["good.mp3"]
    no_temporaries(tmp_path, tmp_path / "out")


# ---------------------------------------------------------------- 3. FIFOs and endless files


@pytest.mark.parametrize("command", ["segments", "check", "render"])
def test_3_fifo_and_dev_zero_scripts_do_not_hang(tmp_path, command):
    """A script that is a FIFO or /dev/zero is refused unread by `segments`, `check` and `render`."""
    show(tmp_path, {})
    fifo = tmp_path / "eps" / "pipe.md"
    os.mkfifo(fifo)
    for script, kind in (
        (fifo, "is a FIFO (named pipe), not a regular script"),
        (Path("/dev/zero"), "is a device, not a regular script"),
    ):
        r = podcast(tmp_path, command, script, timeout=FIFO_TIMEOUT)
        if command == "check":
            assert r.returncode == 1 and f"{script}: error: {kind}" in r.stderr.splitlines(), r.stderr
        else:
            clean_failure(r, 1, str(script), kind)
    no_temporaries(tmp_path)


@pytest.mark.parametrize("key", ["artwork", "intro"])
def test_3_fifo_artwork_and_music_do_not_hang(tmp_path, key):
    """`artwork:` or music naming a FIFO is refused unread by `check` and `render`; the rest of
    the batch renders."""
    fifo = tmp_path / "eps" / "cover.png"
    eps = show(tmp_path, {"ep": f"---\n{key}: cover.png\n---\n\nHello there.\n", "other": "Another one.\n"})
    os.mkfifo(fifo)
    r = podcast(tmp_path, "check", eps / "ep.md", timeout=FIFO_TIMEOUT)
    assert r.returncode == 1 and f"{fifo}: is a FIFO (named pipe)" in r.stderr, r.stderr
    r = podcast(tmp_path, "render", eps, "-o", "out", timeout=FIFO_TIMEOUT)
    assert r.returncode == 1 and "is a FIFO (named pipe)" in r.stderr and str(fifo) in r.stderr
    assert [p.name for p in (tmp_path / "out").glob("*.mp3")] == ["other.mp3"]  # the batch went on


# ---------------------------------------------------------------- 4. the output, checked first


def test_4_output_that_is_a_file_fails_before_synthesis(tmp_path):
    """An output folder that is a file is one line naming it, before synthesis."""
    eps = show(tmp_path, {"ep": "Hello there.\n"})
    write(tmp_path / "out", "a file, not a folder")
    r = podcast(tmp_path, "render", eps / "ep.md", "-o", "out")
    clean_failure(r, 1, "ep.md", str(tmp_path / "out"), "not a folder")
    assert cache_entries(tmp_path) == 0  # nothing was synthesized
    r = podcast(tmp_path, "check", eps / "ep.md")  # paths.output is out/ here: check says so too
    assert r.returncode == 1 and "ep.md: error: output folder out: not a folder" in r.stderr, r.stderr


def test_4_read_only_output_fails_before_synthesis(tmp_path):
    """A read-only output folder is one line naming it, before synthesis, from `render`, `preview`
    and `check`."""
    eps = show(tmp_path, {"ep": "Hello there.\n"})
    out = tmp_path / "out"
    out.mkdir()
    with read_only(out):
        r = podcast(tmp_path, "render", eps / "ep.md", "-o", out)
        clean_failure(r, 1, "ep.md", str(out))
        assert f"{out}: read-only file system" in r.stderr or f"{out}: permission denied" in r.stderr
        assert cache_entries(tmp_path) == 0
        r = podcast(tmp_path, "preview", eps / "ep.md", "1", "-o", out / "p.wav")  # a preview too
        clean_failure(r, 1, str(out))
        assert cache_entries(tmp_path) == 0
        r = podcast(tmp_path, "check", eps / "ep.md")  # paths.output is out/ here
        assert r.returncode == 1 and re.search(
            r"ep\.md: error: output folder out: (read-only file system|permission "
            r"denied)$",
            r.stderr,
            re.M,
        ), r.stderr
    no_temporaries(tmp_path)


def test_4_full_output_disk_fails_before_synthesis(tmp_path):
    """An output disk too small for the episode is one line naming it, before synthesis."""
    eps = show(tmp_path, {"ep": "Hello there. " * 400 + "\n"})
    out = tmp_path / "out"
    with small_file_system(out, "256k"):
        r = podcast(tmp_path, "render", eps / "ep.md", "-o", out)
        line = clean_failure(r, 1, "ep.md", str(out), "not enough space")
        assert re.search(r"about [\d.]+ MB needed, [\d.]+ KB free", line), line
        assert cache_entries(tmp_path) == 0
        assert list(out.iterdir()) == []


@pytest.mark.parametrize("full", ["work", "cache"])
def test_4_disk_full_while_rendering_names_the_folder(tmp_path, tone_voice, monkeypatch, capsys, full):
    """A disk that fills while rendering is one line naming the folder that is full."""
    import tempfile

    from pipeline.app.cli import main
    from pipeline.sound import audio
    from pipeline.synthesis import cache

    write(tmp_path / "podcast.toml", '[speech]\nvoice = "tone"\n[music]\nintro = "none"\noutro = "none"\n')
    write(tmp_path / "voices" / "tone.toml", 'engine = "tone"\nmodel = "-"\n')
    episode = write(tmp_path / "ep.md", "Hello there.\n")
    work = tmp_path / "tmp"
    work.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(work))
    monkeypatch.setenv("PODCAST_CACHE", str(tmp_path / "cache"))

    def full_disk(self, samples):
        raise OSError(errno.ENOSPC, "No space left on device")

    if full == "work":
        monkeypatch.setattr(audio.WavWriter, "write", full_disk)
    else:
        monkeypatch.setattr(cache, "write_bytes_atomic", lambda path, data, durable=False: full_disk(None, data))
    assert main(["render", str(episode), "-o", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    lines = errors(err)
    assert len(lines) == 1 and "internal error" not in err, err
    if full == "work":
        assert re.fullmatch(
            rf"podcast: error: {re.escape(str(episode))}: {re.escape(str(work))}/podcast-work-\S+: "
            r"no space left on the device \(about [\d.]+ MB needed\)",
            lines[0],
        ), lines[0]
    else:
        assert lines[0] == f"podcast: error: {episode}: {tmp_path / 'cache'}: no space left on the device"
    assert list(work.iterdir()) == []  # the work folder is gone


# ---------------------------------------------------------------- 5. a read-only cache


def test_5_read_only_cache_is_read_through(tmp_path):
    """A read-only cache is read through: a render (with one warning naming it) and a preview
    use its entries and make the missing ones without storing them; prune is one line saying it
    cannot prune the cache; nothing in it is stored or removed."""
    second = "A second paragraph, new in this episode, long enough for a preview to measure its loudness."
    eps = show(tmp_path, {"one": "First paragraph.\n", "two": f"First paragraph.\n\n{second}\n"})
    assert podcast(tmp_path, "render", eps / "one.md", "-o", "out").returncode == 0
    assert cache_entries(tmp_path) == 1
    before = sorted(p.name for p in (tmp_path / "cache").rglob("*"))
    with read_only(tmp_path / "cache"):
        r = podcast(tmp_path, "render", eps / "two.md", "-o", "out")
        assert r.returncode == 0, r.stderr
        assert re.search(r"1 synthesized, 1 cached", r.stderr), r.stderr  # the hit was used
        warnings = [l for l in r.stderr.splitlines() if "warning" in l]
        assert len(warnings) == 1 and "cannot be written" in warnings[0] and str(tmp_path / "cache") in warnings[0]
        r = podcast(tmp_path, "preview", eps / "two.md", "2", "-o", tmp_path / "p.wav")
        assert r.returncode == 0 and (tmp_path / "p.wav").is_file(), r.stderr
        r = podcast(tmp_path, "cache", "prune", "--older-than", "0")
        clean_failure(r, 1, "cannot prune the cache", str(tmp_path / "cache"))
    assert sorted(p.name for p in (tmp_path / "cache").rglob("*")) == before  # nothing stored, nothing removed
    no_temporaries(tmp_path, tmp_path / "out")


def test_5_cache_path_that_is_a_file(tmp_path):
    """A cache path that is a file is one line naming it, from `render`, `cache info` and `prune`."""
    eps = show(tmp_path, {"ep": "Hello there.\n\nTwo paragraphs.\n"})
    write(tmp_path / "cachefile", "not a folder")
    for args in (("render", eps / "ep.md", "-o", "out"), ("cache", "info"), ("cache", "prune", "--older-than", "1")):
        r = podcast(tmp_path, *args, PODCAST_CACHE=str(tmp_path / "cachefile"))
        clean_failure(r, 1, str(tmp_path / "cachefile"), "is not a folder")
        assert "corrupt" not in r.stderr
    r = podcast(tmp_path, "check", eps / "ep.md", PODCAST_CACHE=str(tmp_path / "cachefile"))
    assert r.returncode == 1 and "is not a folder" in r.stderr


# ---------------------------------------------------------------- 6. prune during a render


def test_6_prune_never_deletes_what_a_live_render_holds(tmp_path):
    """`cache prune` during a render keeps the entries the live render holds, and the render
    finishes; once it is over they are ordinary entries."""
    eps = show(tmp_path, paragraphs=24)  # about 6 s of synthesis: the prunes run while it is in flight
    proc = launch(tmp_path, "render", eps / "a.md", "-o", "out", seconds=0.5)
    deadline = time.time() + 60
    while time.time() < deadline and cache_entries(tmp_path) < 3:
        time.sleep(0.05)
    r = podcast(tmp_path, "cache", "prune", "--older-than", "0")
    assert r.returncode == 0, r.stderr
    assert re.search(r"removed 0 entries", r.stdout) and re.search(r"kept \d+ entries a running render", r.stdout)
    r = podcast(tmp_path, "cache", "prune", "--unused", eps / "b.md")  # --unused with another episode
    assert r.returncode == 0 and "removed 0 entries" in r.stdout, r.stdout
    assert proc.poll() is None  # both prunes ran during the render
    _, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 0, stderr
    # Once the render is over its entries are ordinary ones.
    r = podcast(tmp_path, "cache", "prune", "--older-than", "0")
    assert "removed 24 entries" in r.stdout and cache_entries(tmp_path) == 0


# ---------------------------------------------------------------- 7. SIGTERM and SIGKILL leave nothing


def _work_folders(root: Path) -> list[Path]:
    return sorted((root / "tmp").glob("podcast-work-*"))


def _bytes_in(folder: Path) -> int:
    total = 0
    for p in folder.rglob("*"):
        with contextlib.suppress(OSError):  # a file the render removes as we look
            total += p.stat().st_size if p.is_file() else 0
    return total


def test_7_sigterm_cleans_up_and_sigkill_leftovers_are_removed(tmp_path):
    """SIGTERM ends a render with a line and exit 143, its work folder removed; the work folder a
    SIGKILL leaves is removed by the next run."""
    eps = show(tmp_path, paragraphs=10)

    def start(files: bool = False):
        """A render in flight; with `files`, once its work folder holds some bytes besides its (empty) lock."""
        proc = launch(tmp_path, "render", eps / "a.md", "-o", "out", start_new_session=True)
        deadline = time.time() + 60
        while time.time() < deadline and not (
            _work_folders(tmp_path)
            and cache_entries(tmp_path) >= 1
            and (not files or _bytes_in(_work_folders(tmp_path)[0]) > 0)
        ):
            time.sleep(0.02)
        assert _work_folders(tmp_path)
        return proc

    proc = start()
    proc.send_signal(signal.SIGTERM)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 143 and "Traceback" not in stderr
    assert [l for l in stderr.splitlines() if "interrupted" in l] == [
        "podcast: interrupted (SIGTERM): 0 of 1 episodes finished (none); not finished: "
        f"{eps / 'a.md'}; run it again to resume"
    ]
    no_temporaries(tmp_path, tmp_path / "out")

    proc = start(files=True)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=60)
    left = _work_folders(tmp_path)
    assert len(left) == 1  # kill -9 leaves it: nothing can run then
    info = json.loads(podcast(tmp_path, "cache", "info", "--json").stdout)
    assert info["abandoned_work_folders"] == 1 and info["abandoned_work_bytes"] > 0
    r = podcast(tmp_path, "cache", "prune", "--older-than", "365")
    assert r.returncode == 0 and "removed 1 abandoned work folders" in r.stdout, r.stdout
    assert _work_folders(tmp_path) == []

    proc = start()  # and the next render removes one too, but not a live one's
    os.killpg(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=60)
    live = launch(tmp_path, "render", eps / "b.md", "-o", "out")
    assert live.wait(timeout=120) == 0
    assert podcast(tmp_path, "render", eps / "c.md", "-o", "out").returncode == 0
    no_temporaries(tmp_path, tmp_path / "out")


# ---------------------------------------------------------------- 8. settings and artwork size


def test_8_nan_settings_and_huge_artwork_fail_at_check(tmp_path):
    """A setting that is nan (`music.level`, `--loudness`) and artwork over the size limit are
    problems `check` reports, and a render refuses them before synthesis."""
    eps = show(tmp_path, {"ep": "---\nartwork: big.png\n---\n\nHello there.\n", "fine": "Hello.\n"})
    with open(eps / "big.png", "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n")
        f.truncate(11_000_000)
    r = podcast(tmp_path, "check", eps / "ep.md")
    assert r.returncode == 1 and f"artwork {eps / 'big.png'}: is 11.0 MB; a picture is at most 10.0 MB" in r.stderr
    r = podcast(tmp_path, "render", eps, "-o", "out")
    assert r.returncode == 1 and "is 11.0 MB" in r.stderr and re.search(r"fine\.md\s+rendered", r.stdout)
    write(tmp_path / "podcast.toml", '[speech]\nvoice = "slow"\n[music]\nlevel = nan\n')
    r = podcast(tmp_path, "check", eps / "fine.md")
    assert r.returncode == 1 and "music.level must be a finite number, not nan" in r.stderr
    r = podcast(tmp_path, "render", eps / "fine.md", "--loudness", "nan")
    assert r.returncode == 2 and "must be a finite number" in r.stderr


# ---------------------------------------------------------------- 9. a broken voice model


@pytest.mark.parametrize("model", [b"", b"\x08\x07 this is no protobuf \xff\xfe" * 50])
def test_9_corrupt_onnx_model_fails_check_naming_the_model(tmp_path, model):
    """A corrupt or empty .onnx model is one line from `check` naming the model file (not ONNX's
    multi-line error naming a segment)."""
    pytest.importorskip("onnx")
    from pipeline._config import Settings
    from pipeline.synthesis.voices import load_voice

    joe = load_voice("joe", Settings())
    assert joe.config is not None
    eps = show(tmp_path, {"ep": "---\nvoice: broken\n---\n\nHello there.\n"})
    write(tmp_path / "voices" / "broken.onnx", model)
    write(tmp_path / "voices" / "broken.onnx.json", Path(joe.config).read_bytes())
    write(tmp_path / "voices" / "broken.toml", 'engine = "piper"\nmodel = "broken.onnx"\n')
    r = podcast(tmp_path, "check", eps / "ep.md")
    problems = r.stderr.strip().splitlines()
    assert r.returncode == 1 and len(problems) == 1 and str(tmp_path / "voices" / "broken.onnx") in problems[0], (
        r.stderr
    )
    r = podcast(tmp_path, "render", eps / "ep.md", "-o", "out")
    line = clean_failure(r, 1, str(tmp_path / "voices" / "broken.onnx"))
    assert "segment" not in line
    no_temporaries(tmp_path, tmp_path / "out")


# ---------------------------------------------------------------- 10. Unicode file names


def test_10_unicode_names_get_distinct_readable_slugs(tmp_path):
    """A script's name in any script gives a readable slug of its own (Japanese and Hebrew kept,
    `émission été` is `emission-ete`, a name of emoji only a distinct `episode-<hash>`); two names
    that map to one slug are a problem `check` reports."""
    names = ["日本語のエピソード", "פרק ראשון", "🎙️", "émission été"]
    eps = show(tmp_path, {n: "Hello there.\n" for n in names})
    r = podcast(tmp_path, "render", eps, "-o", "out")
    assert r.returncode == 0, r.stderr
    made = sorted(p.name for p in (tmp_path / "out").glob("*.mp3"))
    assert len(made) == 4
    assert {"日本語のエピソード.mp3", "פרק-ראשון.mp3", "emission-ete.mp3"} < set(made)
    assert any(re.fullmatch(r"episode-[0-9a-f]{8}\.mp3", m) for m in made)
    # Two names that do map to one slug: `check` says so before `render` does.
    write(eps / "emission ete.md", "Another.\n")
    r = podcast(tmp_path, "check", eps)
    assert r.returncode == 1 and re.search(
        r"/eps/(émission été|emission ete)\.md: error: writes \S+/emission-ete\.mp3, "
        r"as \S+/eps/(émission été|emission ete)\.md does",
        r.stderr,
    ), r.stderr
    assert r.stdout.strip() == "5 scripts checked: 1 problem to fix"


def test_10_slugify_rules():
    from pipeline.parse.script import slugify

    assert slugify(Path("2017-03-21 Linux Kernel Podcast.txt")) == "2017-03-21-linux-kernel-podcast"
    assert slugify(Path("Straße Łódź.md")) == "strasse-lodz"
    assert slugify(Path("C++ tips.md")) != slugify(Path("C tips.md")) == "c-tips"
    assert slugify(Path("😀.md")) != slugify(Path("🎉.md"))
    long = slugify(Path("x" * 300 + ".md"))
    assert len(long.encode()) < 100 and long.startswith("x" * 50)


# ---------------------------------------------------------------- 11. smaller ones


def test_11_a_single_renders_error_is_printed_once(tmp_path):
    eps = show(tmp_path, {"ep": "Hello there.\n"})
    # A failure at render time (not at planning): the engine fails on every sentence.
    r = podcast(tmp_path, "render", eps / "ep.md", "-o", "out", SLOW_ENGINE_SECONDS="boom")
    assert r.returncode == 1 and len(errors(r.stderr)) == 1, r.stderr
    assert r.stderr.count("could not convert string to float") == 1


@pytest.mark.parametrize(
    "args, needle",
    [
        (["render", "X", "--loudness", "nan"], "must be a finite number"),
        (["render", "X", "--loudness", "3"], "master.loudness must be between"),
        (["render", "X", "--bitrate", "100"], "master.bitrate must be an MP3 bit rate"),
        (["render", "X", "--vbr", "12"], "master.vbr_quality must be 0 to 9"),
        (["render", "X", "-j", "0"], "-j must be 1 or more"),
        (["preview", "X", "1", "--true-peak", "inf"], "must be a finite number"),
        (["cache", "prune", "--older-than", "-1"], "--older-than must be 0 or more"),
        (["cache", "prune", "--older-than", "nan"], "must be a finite number"),
    ],
)
def test_11_bad_flag_values_exit_2(tmp_path, args, needle):
    eps = show(tmp_path, {"ep": "Hello there.\n"})
    r = podcast(tmp_path, *[str(eps / "ep.md") if a == "X" else a for a in args])
    assert r.returncode == 2 and needle in r.stderr and "Traceback" not in r.stderr, r.stderr
    assert cache_entries(tmp_path) == 0


def test_11_cache_info_and_prune_agree_and_report_junk(tmp_path):
    eps = show(tmp_path, {"ep": "One.\n\nTwo.\n\nThree.\n"})
    assert podcast(tmp_path, "render", eps / "ep.md", "-o", "out").returncode == 0
    old = time.time() - 2 * 3600
    junk = [
        write(tmp_path / "cache" / "segments" / "00" / ".tmp-abc", b"x" * 1000),
        write(tmp_path / "cache" / "segments" / "00" / ("ab" * 32 + ".flac"), b"y" * 2000),
    ]  # no index
    for p in junk:
        os.utime(p, (old, old))
    info = json.loads(podcast(tmp_path, "cache", "info", "--json").stdout)
    assert info["entries"] == 3 and (info["junk_files"], info["junk_bytes"]) == (2, 3000)
    on_disk = sum(p.stat().st_size for p in (tmp_path / "cache" / "segments").glob("*/*") if p not in junk)
    assert info["bytes"] == on_disk
    human = podcast(tmp_path, "cache", "info").stdout
    assert "entries:  3" in human and "junk:     2 files" in human
    r = podcast(tmp_path, "cache", "prune", "--older-than", "0")
    assert f"removed 3 entries ({info['bytes'] / 1e6:.1f} MB)" in r.stdout
    assert "removed 2 junk files (0.0 MB)" in r.stdout
    after = json.loads(podcast(tmp_path, "cache", "info", "--json").stdout)
    assert (after["entries"], after["bytes"], after["junk_files"]) == (0, 0, 0)


# ---------------------------------------------------------------- every error path: never exit 70


def test_error_paths_are_user_errors(tmp_path):
    """The CLI's error paths found in this issue, walked: each is exit 1 or 2 with one line, never
    an internal error (exit 70 stays for real bugs)."""
    eps = show(tmp_path, {"ep": "Hello there.\n"})
    os.mkfifo(tmp_path / "fifo")
    write(tmp_path / "afile", "x")
    write(tmp_path / "bad-date.md", "---\ndate: 2026-02-30\n---\n\nHi.\n")
    write(tmp_path / "big-date.md", "---\ndate: 99999-01-01\n---\n\nHi.\n")
    write(tmp_path / "nan.toml", "[music]\nlead_in = nan\n")
    cases = [
        (["segments", tmp_path / "bad-date.md"], {}),
        (["segments", tmp_path / "big-date.md"], {}),
        (["segments", tmp_path / "fifo"], {}),
        (["segments", "/dev/zero"], {}),
        (["segments", tmp_path], {}),
        (["render", eps / "ep.md", "-o", tmp_path / "afile"], {}),
        (["render", eps / "ep.md", "-o", tmp_path / "afile" / "sub"], {}),
        (["render", eps / "ep.md", "--intro", tmp_path / "fifo"], {}),
        (["render", eps / "ep.md", "--config", tmp_path / "fifo"], {}),
        (["render", eps / "ep.md", "--config", tmp_path / "nan.toml"], {}),
        (["preview", eps / "ep.md", "1"], {"PODCAST_CACHE": str(tmp_path / "afile")}),
        (["cache", "info"], {"PODCAST_CACHE": str(tmp_path / "afile")}),
        (["cache", "prune", "--older-than", "1"], {"PODCAST_CACHE": str(tmp_path / "afile" / "x")}),
    ]
    for args, extra in cases:
        cache = extra.get("PODCAST_CACHE", str(tmp_path / "cache"))  # env()'s own default
        r = podcast(tmp_path, *args, timeout=FIFO_TIMEOUT, PODCAST_CACHE=cache)
        assert r.returncode in (1, 2), (args, r.returncode, r.stderr)
        assert "internal error" not in r.stderr and "Traceback" not in r.stderr, (args, r.stderr)
        assert len([l for l in r.stderr.splitlines() if "error:" in l]) == 1, (args, r.stderr)
    no_temporaries(tmp_path)


# --- #24: publishing, exit codes and messages ---


def test_24_a_preview_from_a_read_only_cache_warns_once(tmp_path):
    """Each warning once: `preview` from a read-only cache said it could not be written twice
    (each stage opened the cache anew and found it read-only again)."""
    second = "A second paragraph, new in this episode, long enough for a preview to measure its loudness."
    eps = show(tmp_path, {"one": "First paragraph.\n", "two": f"First paragraph.\n\n{second}\n"})
    assert podcast(tmp_path, "render", eps / "one.md", "-o", "out").returncode == 0
    with read_only(tmp_path / "cache"):
        r = podcast(tmp_path, "preview", eps / "two.md", "2", "-o", tmp_path / "p.wav")
    assert r.returncode == 0, r.stderr
    warnings = [line for line in r.stderr.splitlines() if "warning" in line]
    assert len(warnings) == 1 and "cannot be written" in warnings[0], r.stderr


# --- #24: script content and bounded text ---


def _check_error(r, *needles: str) -> str:
    """`podcast check` failed with exit 1 and exactly one error line (`file:line: error: ...`)."""
    assert r.returncode == 1, (r.returncode, r.stderr)
    assert "Traceback" not in r.stderr and "internal error" not in r.stderr + r.stdout, r.stderr
    lines = [l for l in r.stderr.splitlines() if ": error: " in l]
    assert len(lines) == 1, r.stderr
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])
    return lines[0]


DEEP = {
    "list": "Opening words.\n\n" + "".join("  " * i + f"- item {i}\n" for i in range(60)),
    "quote": "Opening words.\n\n" + ">" * 200 + " deep words\n",
}


@pytest.mark.parametrize("kind", sorted(DEEP))
def test_24_script_nested_past_the_parser_is_an_error_before_synthesis(tmp_path, kind):
    """Every line of a script is read, skipped with a warning, or an error: nesting past the
    Markdown reader's limit is found by `check` and stops `render` before synthesis, one line
    naming the file and line; nothing after it is dropped silently."""
    body = DEEP[kind] + "\nThe closing paragraph.\n\n## Later\n\nLast words.\n"
    eps = show(tmp_path, {"ep": body})
    _check_error(podcast(tmp_path, "check", eps / "ep.md"), "ep.md:", "nested too deeply")
    r = podcast(tmp_path, "render", eps / "ep.md", "-o", "out")
    clean_failure(r, 1, "ep.md:", "nested too deeply")
    assert cache_entries(tmp_path) == 0 and not (tmp_path / "out" / "ep.mp3").exists()


def test_24_ten_level_list_is_read_whole(tmp_path):
    body = "Opening.\n\n" + "".join("  " * i + f"- item{i}\n" for i in range(10)) + "\nAfter.\n\n## Later\n\nEnd.\n"
    eps = show(tmp_path, {"ep": body})
    r = podcast(tmp_path, "segments", eps / "ep.md")
    assert r.returncode == 0, r.stderr
    assert "item9" in r.stdout and "After." in r.stdout and "End." in r.stdout


def test_24_yaml_alias_bomb_in_front_matter_is_one_line_at_once(tmp_path):
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 9)]
    eps = show(tmp_path, {"ep": "---\n" + "\n".join(lines) + "\ntitle: *a8\n---\n\nHello.\n"})
    start = time.monotonic()
    r = podcast(tmp_path, "check", eps / "ep.md", timeout=60)
    assert time.monotonic() - start < 30
    assert len(_check_error(r, "ep.md:3:", "'a1'", "alias")) < 300


def test_24_hostile_lexicon_pattern_is_refused_naming_the_entry(tmp_path):
    eps = show(tmp_path, {"ep": "Say " + "a" * 40 + "!\n"})
    write(eps.parent / "lexicon.toml", "[patterns]\n'(a+)+$' = 'x'\n")
    r = podcast(tmp_path, "check", eps / "ep.md", timeout=60)
    assert r.returncode == 1 and "lexicon.toml" in r.stderr and "'(a+)+$'" in r.stderr, r.stderr
    assert "backtrack" in r.stderr and "Traceback" not in r.stderr


def test_24_long_token_and_large_lexicon_take_seconds_not_hours(tmp_path):
    """A 100 KB lowercase token and a 100,000-word lexicon: `segments --spoken` ends in seconds."""
    import random

    rng = random.Random(24)
    keys = {"".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(10)) for _ in range(100_000)}
    eps = show(tmp_path, {"ep": "Words of the episode.\n\nA " + "stat" * 25_000 + " here.\n"})
    write(eps.parent / "lexicon.toml", "[words]\n" + "".join(f'{k} = "{k} said"\n' for k in keys))
    start = time.monotonic()
    r = podcast(tmp_path, "segments", "--spoken", eps / "ep.md", timeout=120)
    assert r.returncode == 0, r.stderr
    assert time.monotonic() - start < 60


def test_24_zero_pause_says_what_is_wrong(tmp_path):
    eps = show(tmp_path, {"ep": "Hello.\n\n[pause 0s]\n\nBye.\n"})
    _check_error(podcast(tmp_path, "check", eps / "ep.md"), "ep.md:3:", "a pause must be longer than 0 seconds")


# --- #24: files the program reads, damaged cache and voices ---
#
# Every kind of file the program reads, and where each is checked (regular file, size limit:
# _fsutil.read_input / check_input, limits in _fsutil.INPUT_LIMITS):
#
#   script                      test_3_fifo_and_dev_zero_scripts_do_not_hang
#   --config                    test_error_paths_are_user_errors
#   artwork, music              test_3_fifo_artwork_and_music_do_not_hang
#   front matter                part of the script
#   podcast.toml, voice TOML, Piper .onnx and .onnx.json, Kokoro style, Coqui speaker_wav,
#   <script>.takes.toml, lexicon.toml
#                               test_24_every_file_the_program_reads_is_bounded (below)
#   cache index, audio, take record, lease, preview, work folder lock
#                               test_24_damaged_cache_entries_are_discarded_and_synthesized_again,
#                               test_24_cache_files_that_are_no_files_do_not_hang
#   spoken-text file (cache)    text/spoken.py (TextCache): to read with _fsutil.read_json
#   report.json, verify --audio the publishing commands' (other tests)

HAZARDS = {
    "fifo": "FIFO (named pipe)",
    "dev-zero": "is a device",  # a link to /dev/zero: endless
    "folder": "is a folder",
    "oversize": "at most",  # a sparse file just over its kind's limit
}


def _hazard(path: Path, hazard: str, kind: str | None = None) -> None:
    """Put `hazard` where `path` is (removing what was there)."""
    import shutil

    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif os.path.lexists(path):
        path.unlink()
    path.parent.mkdir(parents=True, exist_ok=True)
    if hazard == "fifo":
        os.mkfifo(path)
    elif hazard == "dev-zero":
        path.symlink_to("/dev/zero")
    elif hazard == "folder":
        path.mkdir()
    else:
        from pipeline._fsutil import INPUT_LIMITS

        with open(path, "wb") as f:
            f.truncate(INPUT_LIMITS[kind or ""] + 1)


def _hazard_folder_with_a_file(path: Path) -> None:
    """A folder, not empty, where the file `path` belongs."""
    _hazard(path, "folder")
    write(path / "inside", "x")


def _piper_files(folder: Path) -> tuple[Path, Path]:
    """A Piper voice's model and config beside a voice file (the packaged Joe voice's, linked and copied)."""
    from pipeline._config import Settings
    from pipeline.synthesis.voices import load_voice

    joe = load_voice("joe", Settings())
    assert joe.config is not None
    model = folder / "p.onnx"
    model.symlink_to(joe.model)
    write(folder / "p.onnx.json", Path(joe.config).read_bytes())
    return model, folder / "p.onnx.json"


# (kind, file relative to the show's root, the voice the episode uses, hazards that apply)
READ_FILES = [
    ("settings file", "podcast.toml", "slow", ["fifo", "dev-zero", "folder", "oversize"]),
    ("voice file", "voices/slow.toml", "slow", ["fifo", "dev-zero", "folder", "oversize"]),
    ("model file", "voices/p.onnx", "p", ["fifo", "dev-zero", "folder"]),
    ("model config", "voices/p.onnx.json", "p", ["fifo", "dev-zero", "folder", "oversize"]),
    ("Kokoro style file", "voices/style.bin", "k", ["fifo", "dev-zero", "folder", "oversize"]),
    ("reference recording", "voices/me.wav", "c", ["fifo", "dev-zero", "folder"]),
    ("takes file", "eps/ep.takes.toml", "slow", ["fifo", "dev-zero", "folder", "oversize"]),
    ("lexicon", "lexicon.toml", "slow", ["fifo", "dev-zero", "folder", "oversize"]),
]


@pytest.mark.parametrize(
    "kind, name, voice, hazard",
    [
        pytest.param(kind, name, voice, hazard, id=f"{kind}-{hazard}")
        for kind, name, voice, hazards in READ_FILES
        for hazard in hazards
    ],
)
def test_24_every_file_the_program_reads_is_bounded(tmp_path, kind, name, voice, hazard):
    """Every file the program reads is a regular file of sane size, or one line naming it and the
    problem (exit 1), before any synthesis: a FIFO does not hang, /dev/zero does not eat the
    memory, a folder or a file over its kind's limit is no "does not exist" and no exit 70."""
    eps = show(tmp_path, {"ep": f"---\nvoice: {voice}\n---\n\nHello there.\n"})
    voices = tmp_path / "voices"
    _piper_files(voices)
    write(voices / "p.toml", 'engine = "piper"\nmodel = "p.onnx"\nconfig = "p.onnx.json"\n')
    write(voices / "style.bin", bytes(510 * 256 * 4))
    write(voices / "k.toml", 'engine = "kokoro"\nmodel = "style.bin"\n')
    write(voices / "me.wav", b"RIFF")
    write(voices / "c.toml", 'engine = "coqui"\nspeaker_wav = "me.wav"\nmodel_path = "m.pth"\n')
    path = tmp_path / name
    _hazard(path, hazard, kind)
    for command in (["check"], ["render", "-o", "out"]):
        r = podcast(tmp_path, *command, eps / "ep.md", timeout=FIFO_TIMEOUT)
        assert r.returncode == 1, (command, r.returncode, r.stderr)
        assert "Traceback" not in r.stderr and "internal error" not in r.stderr, r.stderr
        lines = [l for l in r.stderr.splitlines() if "error:" in l]
        assert len(lines) == 1 and str(path) in lines[0] and HAZARDS[hazard] in lines[0], r.stderr
        assert "does not exist" not in lines[0], lines[0]
    assert cache_entries(tmp_path) == 0  # found before any synthesis
    no_temporaries(tmp_path)


def test_24_a_podcast_toml_that_is_no_file_is_named_not_skipped(tmp_path):
    """A podcast.toml that is no regular file (a FIFO) is never passed over: every command that
    looks for it names it."""
    eps = show(tmp_path, {"ep": "Hello there.\n"})
    _hazard(tmp_path / "podcast.toml", "fifo")
    for args in (["segments", eps / "ep.md"], ["voices"], ["cache", "info"]):
        r = podcast(tmp_path, *args, timeout=FIFO_TIMEOUT)
        clean_failure(r, 1, str(tmp_path / "podcast.toml"), "FIFO (named pipe)")


def _entry_of(root: Path, n: int = 0) -> tuple[Path, Path]:
    """(index, audio) of the n-th cache entry."""
    index = sorted((root / "cache").glob("segments/*/*.json"))[n]
    return index, index.with_suffix(".flac")


def _info(root: Path) -> dict:
    r = podcast(root, "cache", "info", "--json", timeout=FIFO_TIMEOUT)
    assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr
    return json.loads(r.stdout)


CACHE_DAMAGE = {
    "index-fifo": lambda index, audio: _hazard(index, "fifo"),
    "index-dev-zero": lambda index, audio: _hazard(index, "dev-zero"),
    "index-folder": lambda index, audio: _hazard(index, "folder"),
    "index-a-list": lambda index, audio: write(index, "[1, 2, 3]"),
    "index-wrong-types": lambda index, audio: write(
        index, json.dumps({**json.loads(index.read_text()), "sentences": 5, "sample_rate": "fast"})
    ),
    "index-no-rate": lambda index, audio: write(index, json.dumps({**json.loads(index.read_text()), "sample_rate": 0})),
    "index-nested-100000": lambda index, audio: write(index, "[" * 100_000 + "]" * 100_000),
    "audio-fifo": lambda index, audio: _hazard(audio, "fifo"),
    "audio-dev-zero": lambda index, audio: _hazard(audio, "dev-zero"),
    "audio-folder": lambda index, audio: _hazard_folder_with_a_file(audio),
}


@pytest.mark.parametrize("damage", list(CACHE_DAMAGE))
def test_24_damaged_cache_entries_are_discarded_and_synthesized_again(tmp_path, damage):
    """A cache entry damaged in any way (an index or audio that is a FIFO, /dev/zero, a folder;
    an index of the wrong shape or nested 100,000 deep) is discarded with a warning and
    synthesized again, every time, never a hang or an internal error; `cache info` counts it
    as damaged (its files as junk) and `cache prune` removes it."""
    eps = show(tmp_path, {"ep": "One here.\n\nTwo there.\n"})
    assert podcast(tmp_path, "render", eps / "ep.md", "-o", "out").returncode == 0
    index, audio = _entry_of(tmp_path)
    CACHE_DAMAGE[damage](index, audio)
    info = _info(tmp_path)
    assert (info["entries"], info["damaged"]) == (1, 1) and info["junk_files"] == 2, info
    r = podcast(tmp_path, "render", eps / "ep.md", "-o", "out", "--force", timeout=FIFO_TIMEOUT)
    assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr
    assert "is corrupt" in r.stderr and "1 synthesized, 1 cached" in r.stderr, r.stderr
    info = _info(tmp_path)
    assert (info["entries"], info["damaged"], info["junk_files"]) == (2, 0, 0), info
    # Damaged again, `prune` takes it away (whatever its age), and nothing else.
    CACHE_DAMAGE[damage](*_entry_of(tmp_path))
    r = podcast(tmp_path, "cache", "prune", "--older-than", "1000", timeout=FIFO_TIMEOUT)
    assert r.returncode == 0 and "removed 2 junk files" in r.stdout, (r.stdout, r.stderr)
    info = _info(tmp_path)
    assert (info["entries"], info["damaged"], info["junk_files"]) == (1, 0, 0), info
    assert not os.path.lexists(index) and not os.path.lexists(audio)


@pytest.mark.parametrize("hazard", ["fifo", "dev-zero", "folder"])
def test_24_cache_files_that_are_no_files_do_not_hang(tmp_path, hazard):
    """The cache's other files (a verification's take record, a render's lease, a mastered
    preview, a temporary, a work folder's lock) that are a FIFO, /dev/zero or a folder: `render`,
    `preview`, `cache info` and `cache prune` go on (and prune removes them)."""
    long = "A paragraph long enough for a preview to measure its loudness, with a few more words in it."
    eps = show(tmp_path, {"ep": f"{long}\n\nTwo there.\n"})
    assert podcast(tmp_path, "render", eps / "ep.md", "-o", "out").returncode == 0
    assert podcast(tmp_path, "preview", eps / "ep.md", "1", "-o", "p.wav").returncode == 0
    cache = tmp_path / "cache"
    index, _ = _entry_of(tmp_path)
    [preview] = cache.glob("previews/*.wav")
    work = tmp_path / "tmp" / "podcast-work-left"
    work.mkdir()
    old = time.time() - 2 * 3600
    for path in (
        cache / "takes" / index.stem[:2] / index.name,
        cache / "leases" / "1-dead.lease",
        preview,
        index.parent / f".{index.stem}.flac.abc.part.flac",
        work / ".lock",
    ):
        _hazard(path, hazard)
        os.utime(path, (old, old), follow_symlinks=False)
    r = podcast(tmp_path, "render", eps / "ep.md", "-o", "out", "--force", timeout=FIFO_TIMEOUT)
    assert r.returncode == 0 and "Traceback" not in r.stderr and "0 synthesized, 2 cached" in r.stderr, r.stderr
    r = podcast(tmp_path, "preview", eps / "ep.md", "1", "-o", "p.wav", timeout=FIFO_TIMEOUT)
    assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr
    _info(tmp_path)
    r = podcast(tmp_path, "cache", "prune", "--older-than", "1000", timeout=FIFO_TIMEOUT)
    assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr
    assert not os.path.lexists(cache / "leases" / "1-dead.lease") and not os.path.lexists(work)


def _not_piper_onnx(input_name: str = "x") -> bytes:
    """A valid ONNX graph (Identity) that is no Piper voice."""
    from onnx import TensorProto, helper

    graph = helper.make_graph(
        [helper.make_node("Identity", [input_name], ["y"])],
        "identity",
        [helper.make_tensor_value_info(input_name, TensorProto.FLOAT, [1])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1])],
    )
    return helper.make_model(graph).SerializeToString()


def _joe_config() -> dict:
    from pipeline._config import Settings
    from pipeline.synthesis.voices import load_voice

    config = load_voice("joe", Settings()).config
    assert config is not None
    return json.loads(Path(config).read_text())


BROKEN_PIPER = {
    "config-not-json": ("p.onnx.json", lambda: b"{not json", "not JSON"),
    "config-empty": ("p.onnx.json", lambda: b"", "the file is empty"),
    "config-a-list": ("p.onnx.json", lambda: b"[]", "not a Piper model config"),
    "config-no-audio": (
        "p.onnx.json",
        lambda: json.dumps({k: v for k, v in _joe_config().items() if k != "audio"}).encode(),
        "no audio section",
    ),
    "config-rate-zero": (
        "p.onnx.json",
        lambda: json.dumps({**_joe_config(), "audio": {"sample_rate": 0}}).encode(),
        "audio.sample_rate must be a rate in Hz",
    ),
    "config-rate-text": (
        "p.onnx.json",
        lambda: json.dumps({**_joe_config(), "audio": {"sample_rate": "22k"}}).encode(),
        "audio.sample_rate must be a rate in Hz",
    ),
    "config-no-phonemes": (
        "p.onnx.json",
        lambda: json.dumps({**_joe_config(), "phoneme_id_map": {"a": "b"}}).encode(),
        "phoneme_id_map",
    ),
    "config-nested": ("p.onnx.json", lambda: b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    "model-not-piper": ("p.onnx", _not_piper_onnx, "not a Piper voice"),
    "model-input-not-piper": ("p.onnx", lambda: _not_piper_onnx("input"), "not a Piper voice"),
    "speaker-name": (
        "p.toml",
        lambda: b'engine = "piper"\nmodel = "p.onnx"\n[synthesis]\nspeaker = "alice"\n',
        "speaker: the model has no speaker 'alice'",
    ),
    "speaker-id": (
        "p.toml",
        lambda: b'engine = "piper"\nmodel = "p.onnx"\n[synthesis]\nspeaker = 4\n',
        "speaker: no speaker 4",
    ),
}


@pytest.mark.parametrize("broken", list(BROKEN_PIPER))
def test_24_a_broken_piper_voice_fails_check_and_is_named_everywhere(tmp_path, broken):
    """A Piper voice whose .onnx.json is not one (not JSON, empty, no `audio`, a bad sample rate),
    whose .onnx is a valid ONNX graph but no Piper voice, or whose speaker the model lacks, fails
    `check` naming the file (and the key); `render` and `preview` stop on one line before any
    synthesis; `podcast voices` still lists the good voices and names the bad one's problem
    (a broken config; the listing does not open the models)."""
    pytest.importorskip("onnx")
    eps = show(tmp_path, {"ep": "---\nvoice: p\n---\n\nHello there.\n"})
    voices = tmp_path / "voices"
    model = voices / "p.onnx"
    from pipeline._config import Settings
    from pipeline.synthesis.voices import load_voice

    write(model, Path(load_voice("joe", Settings()).model).read_bytes())
    write(voices / "p.onnx.json", json.dumps(_joe_config()))
    write(voices / "p.toml", 'engine = "piper"\nmodel = "p.onnx"\n')
    name, data, words = BROKEN_PIPER[broken]
    write(voices / name, data())
    named = str(voices / ("p.toml" if name == "p.toml" else name))
    r = podcast(tmp_path, "check", eps / "ep.md")
    assert r.returncode == 1 and "Traceback" not in r.stderr and "internal error" not in r.stderr, r.stderr
    assert named in r.stderr and words in r.stderr, r.stderr
    for args in (["render", eps / "ep.md", "-o", "out"], ["preview", eps / "ep.md", "1", "-o", "p.wav"]):
        clean_failure(podcast(tmp_path, *args), 1, named, words)
    assert cache_entries(tmp_path) == 0
    r = podcast(tmp_path, "voices")
    assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr
    lines = r.stdout.splitlines()
    assert any(l.startswith("slow ") and "unavailable" not in l for l in lines), r.stdout
    [bad] = [l for l in lines if l.startswith("p ")]
    if name != "p.onnx":  # the listing reads voice files and configs, not the models (`check` does)
        assert "unavailable" in bad and named in bad and words in bad, bad


NESTED_TOML = "a = " + "[" * 5000 + "]" * 5000 + "\n"


@pytest.mark.parametrize("name", ["podcast.toml", "voices/slow.toml", "eps/ep.takes.toml"])
def test_24_toml_nested_5000_deep_is_one_line_naming_the_file(tmp_path, name):
    """A TOML file the program reads with arrays nested 5,000 deep (past the parser's recursion)
    is one line naming the file, exit 1, not a RecursionError (exit 70)."""
    eps = show(tmp_path, {"ep": "Hello there.\n"})
    write(tmp_path / name, NESTED_TOML)
    r = podcast(tmp_path, "check", eps / "ep.md")
    assert r.returncode == 1 and "Traceback" not in r.stderr and "internal error" not in r.stderr, r.stderr
    assert str(tmp_path / name) in r.stderr and "nested too deeply" in r.stderr, r.stderr
    clean_failure(podcast(tmp_path, "render", eps / "ep.md", "-o", "out"), 1, str(tmp_path / name), "nested")


def test_24_output_disk_full_while_copying_names_the_output_folder(tmp_path, tone_voice, monkeypatch, capsys):
    """The output folder's disk filling while the MP3 is copied there from the work folder is
    reported at the output folder, the one whose disk is full, not at the copy's source."""
    import shutil
    import tempfile

    from pipeline.app.cli import main

    write(tmp_path / "podcast.toml", '[speech]\nvoice = "tone"\n[music]\nintro = "none"\noutro = "none"\n')
    write(tmp_path / "voices" / "tone.toml", 'engine = "tone"\nmodel = "-"\n')
    episode = write(tmp_path / "ep.md", "Hello there.\n")
    work, out = tmp_path / "tmp", tmp_path / "out"
    work.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(work))
    monkeypatch.setenv("PODCAST_CACHE", str(tmp_path / "cache"))
    copy = shutil.copyfile

    def full_output(src, dst, *args, **kwargs):
        if Path(dst).parent == out:
            raise OSError(errno.ENOSPC, "No space left on device", str(src), None, str(dst))
        return copy(src, dst, *args, **kwargs)

    monkeypatch.setattr(shutil, "copyfile", full_output)
    assert main(["render", str(episode), "-o", str(out)]) == 1
    lines = errors(capsys.readouterr().err)
    assert len(lines) == 1 and re.fullmatch(
        rf"podcast: error: {re.escape(str(episode))}: {re.escape(str(out))}: no space left on the device"
        r" \(about [\d.]+ MB needed\)",
        lines[0],
    ), lines
    assert list(work.iterdir()) == [] and not [p for p in out.iterdir() if p.name.startswith(".")]


def test_24_a_full_disk_is_named_at_the_folder_that_filled():
    """user_os_error: a copy's error names the destination's folder; a file in a run's work
    folder names that work folder; a file in the folder being written names that folder."""
    from pipeline.errors import user_os_error

    copy = OSError(errno.ENOSPC, "No space left on device", "/tmp/podcast-work-x/ep.mp3", None, "/out/.ep.part.mp3")
    assert str(user_os_error(copy, Path("/out"))) == "/out: no space left on the device"
    inside = OSError(errno.ENOSPC, "No space left on device", "/tmp/podcast-work-ab12/deep/speech.wav")
    assert str(user_os_error(inside, None, 2_000_000)) == (
        "/tmp/podcast-work-ab12: no space left on the device (about 2.0 MB needed)"
    )
    assert (
        str(user_os_error(OSError(errno.ENOSPC, "No space left on device"), Path("/w")))
        == "/w: no space left on the device"
    )
    denied = OSError(errno.EACCES, "Permission denied", "/out/ep.mp3")
    assert str(user_os_error(denied, Path("/out"))) == "/out/ep.mp3: permission denied"  # the file, as before


def test_24_wording_a_file_in_the_way_and_articles(tmp_path):
    """A file where the cache's `leases` folder belongs is damage: removed, and the render goes
    on; an EEXIST elsewhere says
    what happened and what to do.  A kind of file is named with its article ("an audio file")."""
    from pipeline._fsutil import input_problem, regular_file
    from pipeline.errors import user_os_error

    eps = show(tmp_path, {"ep": "Hello there.\n"})
    write(tmp_path / "cache" / "leases", "a file where a folder belongs")
    r = podcast(tmp_path, "render", eps / "ep.md", "-o", "out")
    assert r.returncode == 0 and "already exists" not in r.stderr, r.stderr
    err = user_os_error(FileExistsError(errno.EEXIST, "File exists", "/c/leases"))
    assert str(err) == "/c/leases: something of this name is already there, where a folder or file was to be made: " + (
        "move or remove it"
    )
    big = write(tmp_path / "big.wav", b"x" * 20)
    with pytest.raises(ValueError, match="is 20 bytes; an audio file is at most 10 bytes"):
        regular_file(big, "audio file", 10)
    assert input_problem(IsADirectoryError(21, "Is a directory"), "audio file") == "is a folder, not an audio file"


# --- #24: found by a hostile round after the fixes above ---


@pytest.mark.parametrize(
    "toml, key",
    [
        ('[show]\nbase_url = "https://m.example.com/s/?a=1#f"\n', "show.base_url"),
        ('[show]\nbase_url = "https://m.example.com/s/#top"\n', "show.base_url"),
        ('[site]\nurl = "https://example.com/?page=1"\n', "site.url"),
        ('[show]\nlanguage = ""\n', "show.language"),
    ],
)
def test_24_a_setting_every_published_url_or_language_depends_on_is_checked(tmp_path, toml, key):
    """A base URL with a query or fragment would put every file name in it; an empty language
    would write <language></language> while the pages say en."""
    from pipeline._config import load_settings
    from pipeline.errors import ConfigError

    with pytest.raises(ConfigError, match=re.escape(key)):
        load_settings(write(tmp_path / "podcast.toml", toml))


@pytest.mark.parametrize("title", ['"   "', '"\\u200b"', '"\\u200e \\u200f"'])
def test_24_a_title_that_shows_nothing_is_no_title(tmp_path, title):
    """A title of spaces or invisible characters falls back as an empty one does (the file name),
    so no feed item, tag or page is published without a title."""
    from pipeline._config import Settings
    from pipeline.parse.script import load_script

    path = write(tmp_path / "my-ep.md", f"---\ntitle: {title}\n---\n\nHello there.\n")
    assert load_script(path, Settings()).meta.title == "my-ep"


@pytest.mark.parametrize("heading", ["\u200b", "&#8203;", "\u200f\u200e"])
def test_24_a_heading_that_shows_nothing_has_no_title(tmp_path, heading):
    from pipeline._config import Settings
    from pipeline.errors import ScriptError
    from pipeline.parse.script import load_script

    path = write(tmp_path / "ep.md", f"# Ep\n\nHello.\n\n## {heading}\n\nMore.\n")
    with pytest.raises(ScriptError, match="heading has no title"):
        load_script(path, Settings())


def test_24_a_number_too_long_to_name_is_read_digit_by_digit(tmp_path, cli_inproc):
    """Money, ordinals and plain numbers past what has names (10^36) are read digit by digit,
    never an internal error."""
    nines = "9" * 309
    path = write(tmp_path / "ep.md", f"# L\n\nIt costs ${nines} total. And {nines[:50]}th place. And {nines}.5 more.\n")
    r = cli_inproc("segments", path, "--spoken")
    assert r.code == 0, r.stderr
    assert "nine nine nine" in r.stdout and "internal error" not in r.stderr


def test_24_a_segment_id_of_digits_names_its_segment(tmp_path):
    """One segment id in 43 is all digits: a reference that is an id is that segment, not an index."""
    from pipeline._config import Settings
    from pipeline.parse.script import load_script

    path = write(tmp_path / "ep.md", "# D\n\n" + "\n\n".join(f"Paragraph number {i}." for i in range(200)) + "\n")
    script = load_script(path, Settings())
    digits_only = [s for s in script.segments if s.id.isdigit()]
    assert digits_only, "the text above gives at least one all-digit id"
    for s in digits_only:
        assert script.segment(s.id) == s
    assert script.segment("3") == script.segments[2]


def test_24_more_chapters_than_an_mp3_can_list_is_found_by_check(tmp_path, cli_inproc):
    path = write(tmp_path / "ep.md", "# Many\n" + "".join(f"\n## C{i}\n\nW.\n" for i in range(256)))
    r = cli_inproc("check", path)
    assert r.code == 1 and "has 256 chapters; at most 255" in r.stderr, r.stderr
    write(path, "# Many\n" + "".join(f"\n## C{i}\n\nW.\n" for i in range(255)))
    assert "chapters; at most" not in cli_inproc("check", path).stderr


# --- #24: hostile round 3, text ---


def _espeak_show(root: Path) -> None:
    write(root / "podcast.toml", '[speech]\nvoice = "espeak"\n[music]\nintro = "none"\noutro = "none"\n')
    (root / "tmp").mkdir(exist_ok=True)


def test_24_render_warns_of_what_check_calls_a_problem_before_synthesis(tmp_path):
    """What `podcast check` reports in the text (a token no voice can say, a symbol no rule reads,
    an undeclared label read aloud) a render prints as warnings naming the line and token, before
    any synthesis, cold and warm alike."""
    _espeak_show(tmp_path)
    write(
        tmp_path / "ep.md",
        "---\ntitle: T\nspeakers: {HOST: espeak}\n---\nHOST: Hello there.\n\nNOBODY: A dagger † and ⌘ key.\n",
    )
    check = podcast(tmp_path, "check", "ep.md")
    assert check.returncode == 1
    found = [l.split(": ", 3)[3] for l in check.stderr.splitlines() if "segment 2:" in l]
    assert len(found) == 3, check.stderr
    for run in ("cold", "warm"):
        r = podcast(tmp_path, "render", "--force", "ep.md")
        assert r.returncode == 0, r.stderr
        lines = r.stderr.splitlines()
        warned = [l for l in lines if l.startswith("podcast: warning: ep.md:7: segment 2: ")]
        assert [l.split(": ", 4)[4] for l in warned] == found, (run, r.stderr)
        first_speech = next(i for i, l in enumerate(lines) if ": speech " in l)
        assert all(lines.index(l) < first_speech for l in warned), r.stderr


# --- #24: hostile round 3, publishing ---


def test_24_onnx_runtime_writes_nothing_to_tmpdir_or_home(tmp_path):
    """ONNX Runtime's own telemetry (a `.ses` file in $TMPDIR, a database under
    ~/.cache/Microsoft) is off: a preview that loads a model leaves $TMPDIR as it found it and
    writes nothing under $HOME but the program's own cache."""
    write(tmp_path / "podcast.toml", '[speech]\nvoice = "espeak"\n[music]\nintro = "none"\noutro = "none"\n')
    (tmp_path / "tmp").mkdir()
    (tmp_path / "home").mkdir()
    base = {k: v for k, v in os.environ.items() if k not in ("XDG_CACHE_HOME", "ORT_DISABLE_TELEMETRY")}
    run_env = {
        **base,
        "HOME": str(tmp_path / "home"),
        "TMPDIR": str(tmp_path / "tmp"),
        "PODCAST_CACHE": str(tmp_path / "cache"),
        "PYTHONPATH": str(ROOT),
    }
    for args in (["preview", "--text", "Hello there.", "-o", "x.wav"], ["doctor"]):
        r = subprocess.run(
            [sys.executable, "-m", "pipeline", *args], cwd=tmp_path, env=run_env, capture_output=True, text=True
        )
        assert "Traceback" not in r.stderr, r.stderr
        left = [p.name for p in (tmp_path / "tmp").iterdir()]
        # doctor's audio-player probe may start PulseAudio, whose runtime folder is its own
        assert [n for n in left if not (args == ["doctor"] and n.startswith("pulse-"))] == [], args
        assert not (tmp_path / "home" / ".cache" / "Microsoft").exists(), args
        if args[0] == "preview":
            assert (tmp_path / "x.wav").is_file()


def test_24_an_interrupted_takes_leaves_no_half_made_audition_folder(tmp_path):
    """The takes are made in the run's work folder and put in place whole at the end: after an
    interrupt there is no audition folder (no WAVs without their page) and nothing in $TMPDIR;
    an audition folder made before is kept as it was."""
    eps = show(tmp_path, paragraphs=6)
    target = tmp_path / "out" / "a.takes-002"
    proc = launch(tmp_path, "takes", eps / "a.md", "2", "-n", "4", "-o", target, seconds=0.4)
    deadline = time.time() + 120
    while time.time() < deadline and cache_entries(tmp_path) < 4:  # some takes made, not all
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    assert "nothing was left behind" in stderr and "Traceback" not in stderr
    assert not target.exists(), list(target.iterdir())
    no_temporaries(tmp_path, tmp_path / "out")
    r = podcast(tmp_path, "takes", eps / "a.md", "2", "-n", "1", "-o", target)
    assert r.returncode == 0, r.stderr
    assert sorted(p.name for p in target.iterdir()) == ["index.html", "take-0.wav", "take-1.wav"]
    (target / "mine.txt").write_text("kept")  # a folder given with -o may hold other files
    r = podcast(tmp_path, "takes", eps / "a.md", "2", "-n", "2", "-o", target)
    assert r.returncode == 0, r.stderr
    assert sorted(p.name for p in target.iterdir()) == [
        "index.html",
        "mine.txt",
        "take-0.wav",
        "take-1.wav",
        "take-2.wav",
    ]
    no_temporaries(tmp_path, tmp_path / "out")


def test_24_a_description_that_loses_words_is_a_warning_from_check_and_before_synthesis(tmp_path, cli_inproc):
    """`check` and `render` (before synthesis) name the key of a description whose publishing
    drops words (what a <script>, <style> or <template> holds); the render goes on."""
    write(
        tmp_path / "podcast.toml",
        '[show]\ndescription = "Hi <style>p {}</style>"\n[speech]\nvoice = "espeak"\n'
        '[music]\nintro = "none"\noutro = "none"\n',
    )
    ep = write(tmp_path / "ep.md", '---\ndescription: "Hi <script>alert(1)</script> there"\n---\n\nHello there.\n')
    r = cli_inproc("check", ep)
    assert r.code == 0, r.stderr
    assert "front matter 'description' loses 'alert(1)'" in r.stderr and "show.description loses 'p {}'" in r.stderr
    r = cli_inproc("render", ep, "-o", "out")
    assert r.code == 0, r.stderr
    assert r.stderr.count("front matter 'description' loses 'alert(1)'") == 1, r.stderr
    assert r.stderr.count("show.description loses 'p {}'") == 1, r.stderr


def test_24_a_site_output_of_other_files_is_found_before_synthesis(tmp_path, cli_inproc):
    write(tmp_path / "podcast.toml", '[speech]\nvoice = "espeak"\n[site]\noutput = "www"\n')
    write(tmp_path / "www" / "index.html", "<p>my own page</p>")
    ep = write(tmp_path / "ep.md", "# E\n\nHello there.\n")
    for command in ("check", "render"):
        r = cli_inproc(command, ep)
        assert r.code == 1 and "site.output" in r.stderr and "holds other files" in r.stderr, r.stderr
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").glob("*.mp3"))


# ---- issue 22 hostile round (h22)


def test_h22_pin_and_report_into_a_read_only_folder_name_the_file_not_a_temporary(tmp_path):
    """`podcast pin` beside a read-only script and `podcast report` into a read-only output folder:
    exit 1, one line naming `<script>.takes.toml` / `<slug>.report.html` (not the hidden
    temporary that was to become it), nothing written."""
    eps = show(tmp_path, {"a": "# A\n\nOne paragraph here.\n\nAnd a second one.\n"})
    r = podcast(tmp_path, "render", eps / "a.md", "-o", "out")
    assert r.returncode == 0, r.stderr
    (tmp_path / "out" / "a.report.html").unlink()
    with read_only(eps):
        line = clean_failure(podcast(tmp_path, "pin", eps / "a.md", "2", "1"), 1, "a.takes.toml")
        assert ".part" not in line and re.search("read-only file system|permission denied", line), line
    assert not (eps / "a.takes.toml").exists()
    with read_only(tmp_path / "out"):
        line = clean_failure(podcast(tmp_path, "report", eps / "a.md", "-o", "out"), 1, "a.report.html")
        assert ".part" not in line, line
    assert not (tmp_path / "out" / "a.report.html").exists()


def test_h22_the_audition_pages_pin_line_carries_the_config_it_was_made_with(tmp_path):
    """`podcast takes --config FILE`: the page's `podcast pin` line names the same --config, so the
    take pinned is the take heard (the same settings, the same voice)."""
    eps = show(tmp_path, {"a": "# A\n\nOne paragraph here.\n\nAnd a second one.\n"})
    other = tmp_path / "other show.toml"
    other.write_text((tmp_path / "podcast.toml").read_text())
    r = podcast(tmp_path, "takes", eps / "a.md", "2", "-n", "1", "--config", other, "-o", "aud")
    assert r.returncode == 0, r.stderr
    page = (tmp_path / "aud" / "index.html").read_text()
    assert f"--config &#39;{other}&#39;" in page, page
