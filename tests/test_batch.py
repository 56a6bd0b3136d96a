"""Batch rendering with the real voice: parallel, incremental, resumable, and
the same bytes from a Dask cluster as from the local pool."""

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import write
from pipeline._inputs import collect
from pipeline.sound import ffmpeg

# Uses ffmpeg or eSpeak NG: CI runs these again with the distribution's own tools.
pytestmark = pytest.mark.tools


def catalogue(root: Path) -> Path:
    write(root / "podcast.toml", '[show]\ntitle = "Batch Show"\n[music]\nintro = "none"\noutro = "none"\n')
    write(root / "episodes" / "one.md", "# One\n\nThe first episode is short.\n")
    write(root / "episodes" / "two.md", "# Two\n\nThe second episode is short too.\n\n## More\n\nIt has a chapter.\n")
    write(root / "episodes" / "season2" / "three.txt", "Three\n\nA plain text episode, also short.\n")
    return root / "episodes"


def run(root, *args, env=None, **kw):
    environ = {**os.environ, "PODCAST_CACHE": str(root / "cache"), **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "pipeline", *map(str, args)], capture_output=True, text=True, cwd=root, env=environ, **kw
    )


def test_collect_files_folders_and_globs(tmp_path):
    eps = catalogue(tmp_path)
    write(eps / "notes" / ".hidden.md", "x")
    assert [p.name for p in collect([eps])] == ["one.md", "three.txt", "two.md"]
    assert [p.name for p in collect([str(eps / "*.md")])] == ["one.md", "two.md"]
    assert [p.name for p in collect([eps / "two.md", str(eps / "**" / "*.txt"), eps / "two.md"])] == [
        "two.md",
        "three.txt",
    ]


@pytest.mark.slow
def test_batch_parallel_incremental_with_a_bad_episode(tmp_path):
    eps = catalogue(tmp_path)
    write(eps / "broken.md", "---\nvoice: nobody\n---\n\nText.\n")
    r = run(tmp_path, "render", eps, "-o", "out", "-j", "2")
    assert r.returncode == 1, r.stderr
    assert "Traceback" not in r.stderr
    assert "broken.md: unknown voice 'nobody'" in r.stderr
    table = r.stdout
    assert re.search(r"one\.md\s+rendered\s+0:\d\d\s+1/0", table)
    assert re.search(r"two\.md\s+rendered\s+0:\d\d\s+2/0", table)
    assert re.search(r"three\.txt\s+rendered", table) and re.search(r"broken\.md\s+failed", table)
    assert "LUFS" in table
    out = tmp_path / "out"
    assert sorted(p.name for p in out.glob("*.mp3")) == ["one.mp3", "three.mp3", "two.mp3"]
    first = {p.name: p.read_bytes() for p in out.iterdir()}

    # unchanged: skipped without work
    (eps / "broken.md").unlink()
    r = run(tmp_path, "render", eps, "-o", "out")
    assert r.returncode == 0, r.stderr
    assert len(re.findall(r"\s+skipped", r.stdout)) == 3
    assert {p.name: p.read_bytes() for p in out.iterdir()} == first

    # one paragraph edited: that episode alone renders, re-synthesizing one segment
    write(eps / "two.md", "# Two\n\nThe second episode is short too.\n\n## More\n\nIt has a new chapter.\n")
    r = run(tmp_path, "render", eps, "-o", "out", "-j", "2")
    assert r.returncode == 0, r.stderr
    assert re.search(r"two\.md\s+rendered\s+0:\d\d\s+1/1", r.stdout)
    assert len(re.findall(r"\s+skipped", r.stdout)) == 2

    # forced: everything renders, nothing is synthesized, same bytes for what did not change
    r = run(tmp_path, "render", eps, "-o", "out", "--force")
    assert r.returncode == 0, r.stderr
    assert len(re.findall(r"rendered\s+0:\d\d\s+0/\d", r.stdout)) == 3
    assert (out / "one.mp3").read_bytes() == first["one.mp3"]


@pytest.mark.slow
def test_interrupted_batch_resumes(tmp_path):
    eps = catalogue(tmp_path)
    long_text = "\n\n".join(f"Paragraph number {n} of a longer episode, with a few words to speak." for n in range(12))
    write(eps / "long.md", "# Long\n\n" + long_text + "\n")
    proc = subprocess.Popen(
        [sys.executable, "-m", "pipeline", "render", str(eps), "-o", "out", "-j", "2"],
        cwd=tmp_path,
        env={**os.environ, "PODCAST_CACHE": str(tmp_path / "cache")},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.time() + 120
    while time.time() < deadline and len(list((tmp_path / "cache").glob("segments/*/*.json"))) < 4:
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)  # kill -9, workers included
    proc.wait()
    done = len(list((tmp_path / "cache").glob("segments/*/*.json")))
    assert done >= 4
    r = run(tmp_path, "render", eps, "-o", "out", "-j", "2")
    assert r.returncode == 0, r.stderr
    long = re.search(r"long\.md\s+rendered\s+\S+\s+(\d+)/(\d+)", r.stdout)
    assert long and int(long.group(1)) + int(long.group(2)) == 12
    reused = sum(int(m) for m in re.findall(r"rendered\s+\S+\s+\d+/(\d+)", r.stdout))
    assert reused > 0  # segments finished before the kill were not synthesized again
    out = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert out == sorted(
        f"{n}{ext}"
        for n in ("one", "two", "three", "long")
        for ext in (".mp3", ".chapters.json", ".report.json", ".report.html", ".vtt", ".srt", ".transcript.json")
    )  # no temporaries left
    for mp3 in (tmp_path / "out").glob("*.mp3"):
        loud = ffmpeg.measure_loudness(mp3)
        assert abs(loud.integrated + 16) <= 0.5


def _strip_stages(page: str) -> str:
    return re.sub(r'<section aria-labelledby="stages-heading".*?</section>', "", page, flags=re.S)


def _strip_timings(report: bytes) -> dict:
    data = json.loads(report)
    data.pop("stages")
    return data


@pytest.mark.slow
def test_dask_cluster_gives_the_same_bytes(tmp_path):
    distributed = pytest.importorskip("distributed")
    eps = catalogue(tmp_path)
    r = run(tmp_path, "render", eps, "-o", "local", "-j", "2")
    assert r.returncode == 0, r.stderr
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
    ) as cluster:
        # a cache of its own, so the Dask workers synthesize everything themselves
        r = run(
            tmp_path,
            "render",
            eps,
            "-o",
            "dask",
            "--scheduler",
            cluster.scheduler_address,
            "--force",
            env={"PODCAST_CACHE": str(tmp_path / "dask-cache")},
        )
    assert r.returncode == 0, r.stderr
    assert len(re.findall(r"rendered", r.stdout)) == 3
    assert len(list((tmp_path / "dask-cache").glob("segments/*/*.flac"))) == 4  # the workers used it
    local = sorted((tmp_path / "local").iterdir())
    dask = sorted((tmp_path / "dask").iterdir())
    assert [p.name for p in local] == [p.name for p in dask]
    for a, b in zip(local, dask):
        if a.name.endswith(".report.json"):  # wall-clock stage timings differ, nothing else
            assert _strip_timings(a.read_bytes()) == _strip_timings(b.read_bytes())
        elif a.name.endswith(".report.html"):  # the page shows them too
            assert _strip_stages(a.read_text()) == _strip_stages(b.read_text())
        else:
            assert a.read_bytes() == b.read_bytes(), a.name


def test_unreachable_scheduler(tmp_path, cli_inproc):
    eps = catalogue(tmp_path)
    # Dask keeps trying until the timeout (10 s by default); a second is enough to be refused
    with (tmp_path / "podcast.toml").open("a") as f:
        f.write("[batch]\nscheduler_timeout = 1\n")
    r = cli_inproc("render", eps / "one.md", "--scheduler", "tcp://127.0.0.1:9")
    assert r.code != 0 and "Traceback" not in r.stderr
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in r.stderr
    assert not list(tmp_path.glob("out/**/*.*"))  # nothing rendered, nothing half-written


@pytest.mark.parametrize(
    "report",
    [
        "[1, 2]",
        '{"inputs": "D", "alternates": ["m4a"]}',
        '{"inputs": "D", "alternates": {"m4a": "ep.m4a"}}',
        '{"inputs": "D", "alternates": {"m4a": {"file": "elsewhere/ep.m4a"}}}',
        "[" * 100_000,
        "FIFO",
    ],
)
def test_a_damaged_report_is_not_up_to_date_and_the_episode_is_rendered_again(tmp_path, report):
    """Batch planning reads each episode's report to skip what is up to date: a report of the
    wrong shape, nested too deep or that is a FIFO means "not up to date" (rendered again,
    which replaces it), never an internal error or a hang."""
    import threading

    from pipeline import _stages as stages
    from pipeline.app._batch import Job, up_to_date

    (tmp_path / "elsewhere").mkdir()
    for name in ("ep.mp3", "ep.chapters.json", "ep.transcript.json", "elsewhere/ep.m4a"):
        write(tmp_path / name, "x")
    if report == "FIFO":
        os.mkfifo(tmp_path / "ep.report.json")
    else:
        write(tmp_path / "ep.report.json", report)
    job = Job(tmp_path / "ep.md", stages.Options(inputs_digest="D"), "ep", tmp_path)
    answer: list = []

    def check() -> None:
        try:
            answer.append(up_to_date(job))
        except Exception as exc:  # the test's own report of it
            answer.append(exc)

    thread = threading.Thread(target=check, daemon=True)
    thread.start()
    thread.join(30)
    if report == "FIFO" and thread.is_alive():  # let the blocked open go
        os.close(os.open(tmp_path / "ep.report.json", os.O_WRONLY | os.O_NONBLOCK))
    assert answer == [False]


def test_local_workers_share_one_budget_of_cores_and_are_no_more_than_the_cores(monkeypatch):
    """Each worker process speaks sentences on one machine-wide budget of cores (so an episode
    that finishes leaves its cores to the others), and -j above the core count starts no more
    workers than cores."""
    from pipeline.app import _batch as batch

    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    assert isinstance(batch.make_executor(1, None, 4), batch.InProcess)
    executor = batch.make_executor(4, None, 4)
    try:
        assert isinstance(executor, batch.LocalPool)
        # ProcessPoolExecutor has no public count of the workers it may start; typeshed leaves
        # the private one out
        assert executor._pool._max_workers == 2  # type: ignore[attr-defined]
        # The worker's budget, read in the worker (a semaphore cannot be sent back).
        probe = "__import__('pipeline.synthesis.speech', fromlist=['core'])._CORES.get_value()"
        assert executor._pool.submit(eval, probe).result(timeout=60) == 2
    finally:
        executor.close()
