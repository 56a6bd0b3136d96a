"""Rendering many episodes: validate all, skip what is up to date, render the
rest in parallel, keep going past failures, summarize; then the show's site and feed
refreshed (refresh_site, update_feeds: the command and the Python API call them alike).

Work is shipped as episode paths plus settings (never audio), through one
small executor interface: a local process pool by default, or a Dask
cluster when a scheduler address is given.  The segment cache and the
outputs live on storage every worker can reach.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import logging
import os
import queue
import signal
import sys
import tempfile
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator, Literal, Protocol, Sequence

from .. import _facade as facade
from .. import _stages as stages
from .._clock import clock
from .._config import is_none, settings_for
from .._digest import inputs_digest
from .._fsutil import check_space, probe_writable, work_dir
from .._inputs import collect
from ..errors import InternalError, Interrupted, PipelineError, UsageError, user_os_error
from ..parse.script import Script
from ._logsetup import not_again, quiet, recorded, setup_logging
from ._progress import progress

log = logging.getLogger("pipeline")

Status = Literal["rendered", "skipped", "failed"]  # what became of an episode: nothing else


@dataclass(frozen=True)
class Job:
    episode: Path
    options: stages.Options  # per episode: carries the inputs digest and the thread count
    slug: str
    out_dir: Path
    needs: tuple[int, int] = (0, 0)  # estimated bytes of output and of temporaries (for a full disk's message)
    cancel: str | None = None  # on Dask: the name of the batch's cancel event
    shown: tuple[str, ...] = ()  # the warnings planning printed: the render (which parses again) does not repeat them


@dataclass(frozen=True)
class Outcome:
    episode: Path
    status: Status
    # Why it failed: the error itself, with its location and exit code (it pickles, so it
    # comes back from a pool or Dask worker as it was raised).
    failure: PipelineError | None = None
    duration: float | None = None
    synthesized: int | None = None
    from_cache: int | None = None
    loudness: float | None = None
    seconds: float | None = None  # wall time of the render
    output: str | None = None  # the MP3
    slug: str | None = None
    verify: str | None = None  # render --verify: "suspect/broken" segments

    @property
    def error(self) -> str | None:
        """The failure as one line."""
        return None if self.failure is None else str(self.failure)


def _bug(episode: Path, exc: BaseException) -> InternalError:
    return InternalError(f"internal error: {type(exc).__name__}: {exc}", file=episode)


@dataclass(frozen=True)
class Progress:
    """A worker's segment progress on one episode, for the parent's bars (not an outcome)."""

    slug: str
    done: int
    total: int


# ---------------------------------------------------------------- planning


def up_to_date(job: Job) -> bool:
    """Whether the episode's outputs are there and its report says they were made from the
    same inputs.  A report that is missing or damaged (checked by publish/rendered.py) is
    "not up to date": the render writes it again."""
    from ..publish.rendered import ReportError, read_inputs

    try:
        inputs, alternates = read_inputs(job.out_dir / f"{job.slug}.report.json")
    except ReportError as exc:
        if exc.message != "no such file":
            log.debug("%s: rendered again", exc)
        return False
    return (
        inputs == job.options.inputs_digest
        and all((job.out_dir / f"{job.slug}{ext}").is_file() for ext in (".mp3", ".chapters.json", ".transcript.json"))
        and all((job.out_dir / name).is_file() for name in alternates)  # [master] formats
    )


def plan(
    episodes: Sequence[Path], options: stages.Options, jobs_n: int, force: bool, local: bool = True
) -> tuple[list[Job], list[Outcome], list[Outcome]]:
    """Validate every episode (parse and check, no synthesis): (to render, skipped, failed).

    `local`: the jobs run on this machine, whose worker processes share one budget of cores
    (`synthesis.speech.share_cores`), so each may use them all; on a cluster each job gets
    its share of this machine's core count."""
    todo, skipped, failed = [], [], []
    slugs: dict[tuple[Path, str], Path] = {}
    for episode in episodes:
        try:
            with recorded() as shown:
                script = stages.run(stages.preflight_stages(options), episode)
            digest = inputs_digest(script)
            if script.settings.verify.on:
                from ..verify.recognizer import available

                problem = available()
                if problem:
                    raise UsageError(problem, file=episode)
        except PipelineError as exc:
            failed.append(Outcome(episode, "failed", failure=exc))
            continue
        except Exception as exc:  # a bug, but in one episode: the others are still checked and rendered
            err = user_os_error(exc) if isinstance(exc, OSError) else None
            if err is None:
                log.debug("checking %s failed", episode, exc_info=True)
            failed.append(
                Outcome(
                    episode,
                    "failed",
                    failure=err.during(episode) if err else _bug(episode, exc),
                )
            )
            continue
        out_dir = facade.output_folder(script, options).resolve()
        taken = slug_taken(slugs, out_dir, script.slug, episode)
        if taken:
            failed.append(Outcome(episode, "failed", failure=PipelineError(taken, file=episode)))
            continue
        job = Job(
            episode,
            dataclasses.replace(options, inputs_digest=digest, verify=script.settings.verify.on),
            script.slug,
            out_dir,
            estimate(script),
            shown=tuple(shown),
        )
        if not force and up_to_date(job):
            skipped.append(Outcome(episode, "skipped", output=str(job.out_dir / f"{job.slug}.mp3")))
            continue
        try:  # the outputs' folder and room for them, and the show page's folder, before any synthesis
            check_room(script, out_dir)
            check_site(script, options.draft)
        except PipelineError as exc:
            failed.append(Outcome(episode, "failed", failure=exc.during(episode)))
            continue
        except OSError as exc:
            err = user_os_error(exc, out_dir)
            if err is None:
                raise
            failed.append(Outcome(episode, "failed", failure=err.during(episode)))
            continue
        else:
            # Workers (maybe on other machines, without this environment) get the cache's path.
            cache = facade.cache_folder(script).resolve()
            todo.append((job, script.settings.speech.threads, cache))
    # On a cluster, share the cores among the episodes that will run at once (one alone gets them all).
    share = max(1, (os.cpu_count() or 1) // max(1, min(jobs_n, len(todo))))
    jobs = []
    for job, threads, cache in todo:
        overrides = {**job.options.overrides, "paths": {**job.options.overrides.get("paths", {}), "cache": str(cache)}}
        if not threads and not local:
            overrides["speech"] = {**overrides.get("speech", {}), "threads": share}
        jobs.append(dataclasses.replace(job, options=dataclasses.replace(job.options, overrides=overrides)))
    return jobs, skipped, failed


def slug_taken(writers: dict[tuple[Path, str], Path], out_dir: Path, slug: str, script: Path) -> str | None:
    """Two scripts would write one output file (`out_dir`, resolved, and `slug`): the first is
    recorded in `writers`; for any other, the refusal (batch planning and `podcast check` say it alike)."""
    first = writers.setdefault((out_dir, slug), script)
    if first == script:
        return None
    return f"writes {out_dir / slug}.mp3, as {first} does; rename one of them"


WORK_BYTES_PER_SECOND = 200_000  # measured: 24 MB of temporaries for a two-minute episode
WORDS_PER_SECOND = 2.0  # script words: Kokoro's michael says 2.3 a second, joe 2.9, so the estimate errs high


def estimate(script: Script) -> tuple[int, int]:
    """(bytes of output, bytes of temporaries) a render of `script` needs, from its length."""
    words = sum(len(s.source.split()) for s in script.segments)
    seconds = words / WORDS_PER_SECOND + sum(s.pause_before for s in script.segments) + 30  # + music
    master = script.settings.master
    kbps = 320 if master.vbr else master.bitrate
    return int(seconds * kbps * 125 * 1.05) + 1_000_000, int(seconds * WORK_BYTES_PER_SECOND)


def check_room(script: Script, out_dir: Path) -> None:
    """The output folder exists or can be made, takes a file, and has room; so has the
    temporary folder.  OSError naming the folder otherwise."""
    out_bytes, work_bytes = estimate(script)
    probe_writable(out_dir)
    check_space(out_dir, out_bytes, "the episode's files")
    check_space(Path(tempfile.gettempdir()), work_bytes, "the render's temporary files")


def check_site(script: Script, draft: bool = False) -> None:
    """[site] output, which a render refreshes, is a folder that takes a file (or can be made):
    found before synthesis, as the output folder is.  Not for a draft: drafts leave the site alone."""
    folder = script.settings.site.output
    if draft or folder is None or is_none(folder):
        return
    from ..show.site import output_problem

    try:
        probe_writable(Path(folder), create=False)
    except OSError as exc:
        err = user_os_error(exc, folder)
        if err is None:
            raise
        raise PipelineError(f"site.output {err}") from None
    problem = output_problem(Path(folder))  # not the root, the home folder or a folder of other files
    if problem:
        raise PipelineError(f"site.output {folder}: {problem}")


def refresh_site(outcomes: Sequence[Outcome], config: Path | None) -> str | None:
    """Rebuild the show's web page ([site] output) for each output folder that got a new render
    (not after a draft: drafts are not on it).  Returns the error, if a site could not be written."""
    from ..show.site import build

    done: set[tuple[Path, Path]] = set()
    for outcome in outcomes:
        if outcome.status != "rendered" or not outcome.output:
            continue
        settings = settings_for(Path(outcome.episode), config)
        if settings.site.output is None or is_none(settings.site.output):
            continue
        key = (Path(outcome.output).parent, Path(settings.site.output))
        if key not in done:
            done.add(key)
            try:
                build(*key, settings.show.title, show=settings.show, site=settings.site)
            except PipelineError as exc:
                return f"site not written: {exc}"
            except OSError as exc:
                err = user_os_error(exc, key[1])
                if err is None:
                    raise
                return f"site not written: {err}"
    return None


def update_feeds(outcomes: Sequence[Outcome], options: stages.Options) -> str | None:
    """After a render: rewrite the feed of every show (with show.base_url) that had an episode
    rendered or up to date.  Returns the error, if a feed could not be written."""
    from ..show.feed import show_files, write_feed

    shows: dict[tuple[str, Path], None] = {}
    for o in outcomes:
        if o.status == "failed" or not o.output:
            continue
        settings = settings_for(o.episode, options.config)
        if settings.show.base_url and settings.config_file:
            shows.setdefault((settings.config_file, Path(o.output).parent), None)
    for config, out_dir in shows:
        try:
            with quiet("pipeline.parse"):  # the scripts read again: the render has said what it had to about them
                write_feed(show_files(Path(config).parent, out_dir, options.config))
        except PipelineError as exc:
            return f"feed not written: {exc}"
    return None


# ---------------------------------------------------------------- one job


def render_job(job: Job, progress_queue: Any = None) -> Outcome:
    """Render one episode; runs in a worker.  Failures come back as outcomes, not exceptions.

    The work folder is removed however the render ends; SIGINT/SIGTERM (see
    `_init_worker`) arrive as `Interrupted`, which goes up after the clean-up."""
    global _IN_JOB
    started = time.perf_counter()
    cancelled = _cancel_check(job.cancel)
    work = Path(tempfile.gettempdir())
    try:
        if cancelled is not None:
            stages._cancel.check = cancelled
            cancelled()  # interrupted before it started: do not start
        _IN_JOB = True
        with work_dir() as tmp, not_again(job.shown):
            work = tmp
            options = dataclasses.replace(
                job.options,
                workdir=tmp,
                output_dir=job.out_dir,
                progress=functools.partial(progress, enabled=job.options.show_progress, events=progress_queue),
            )
            timings: dict[str, float] = {}
            episode = stages.run(stages.episode_stages(options, timings), job.episode, timings)
    except PipelineError as exc:
        return Outcome(job.episode, "failed", failure=exc, slug=job.slug)
    except Interrupted:
        if _IN_WORKER:  # a pool worker: gone now, clean, and without starting the next episode
            os._exit(143)
        if cancelled is not None:  # a Dask task: the batch was interrupted
            return Outcome(job.episode, "failed", failure=PipelineError("cancelled", file=job.episode), slug=job.slug)
        raise
    except OSError as exc:
        # A full disk, a folder made read-only during the render: the user's to fix, not a bug.
        stage = getattr(exc, "stage", "")
        where = job.out_dir if stage == "package" else work
        out_bytes, work_bytes = job.needs
        err = user_os_error(
            exc, where, out_bytes if stage == "package" else None if stage == "synthesize" else work_bytes
        )
        if err is None:
            log.debug("render of %s failed", job.episode, exc_info=True)
            return Outcome(job.episode, "failed", failure=_bug(job.episode, exc), slug=job.slug)
        return Outcome(job.episode, "failed", failure=err.during(job.episode), slug=job.slug)
    except Exception as exc:  # a bug: one line here, the batch goes on
        log.debug("render of %s failed", job.episode, exc_info=True)
        return Outcome(job.episode, "failed", failure=_bug(job.episode, exc), slug=job.slug)
    finally:
        _IN_JOB = False
        stages._cancel.check = None
        facade.release_leases()
    report = episode.report
    return Outcome(
        job.episode,
        "rendered",
        duration=report["duration"],
        synthesized=report["synthesis"]["synthesized"],
        from_cache=report["synthesis"]["from_cache"],
        loudness=report["loudness"]["integrated_lufs"],
        seconds=round(time.perf_counter() - started, 1),
        output=str(episode.mp3),
        slug=job.slug,
        verify=f"{report['verify']['suspect']}/{report['verify']['broken']}" if "verify" in report else None,
    )


# ---------------------------------------------------------------- executors


Event = Outcome | Progress


class Executor(Protocol):
    def run(self, jobs: Sequence[Job], progress_queue: Any) -> Iterator[Event]:
        """Outcomes in completion order, with progress events between them."""

    def progress_queue(self) -> Any:
        """A queue workers can put (slug, done, total) on, or None."""

    def close(self, interrupted: bool = False) -> None: ...


class InProcess:
    """One job at a time in this process (a single episode, or -j 1)."""

    def progress_queue(self) -> Any:
        return None

    def run(self, jobs: Sequence[Job], progress_queue: Any) -> Iterator[Outcome]:
        for job in jobs:
            yield render_job(job)

    def close(self, interrupted: bool = False) -> None:
        pass


class LocalPool:
    """Worker processes on this machine (spawned, so no ONNX state is shared)."""

    def __init__(self, workers: int, quiet: bool = False):
        import multiprocessing

        self._ctx = multiprocessing.get_context("spawn")
        # Under progress bars the parent reports each episode; workers only warn.
        level = max(logging.getLogger("pipeline").getEffectiveLevel(), logging.WARNING if quiet else 0)
        cores = self._ctx.BoundedSemaphore(os.cpu_count() or 1)  # see synthesis.speech.share_cores
        self._pool = ProcessPoolExecutor(
            max_workers=workers, mp_context=self._ctx, initializer=_init_worker, initargs=(level, cores)
        )
        self._manager: Any = None

    def progress_queue(self) -> Any:
        if self._manager is None:
            self._manager = self._ctx.Manager()
        return self._manager.Queue()

    def run(self, jobs: Sequence[Job], progress_queue: Any) -> Iterator[Event]:
        pending = {self._pool.submit(render_job, job, progress_queue): job for job in jobs}
        while pending:
            done, _ = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
            yield from _drain(progress_queue)
            for future in done:
                job = pending.pop(future)
                try:
                    yield future.result()
                except Exception as exc:  # a worker died (killed, out of memory)
                    yield Outcome(
                        job.episode, "failed", failure=PipelineError(f"worker failed: {exc}", file=job.episode)
                    )

    def close(self, interrupted: bool = False) -> None:
        # Workers of an interrupted batch get SIGTERM: each removes its work folder and exits,
        # and no queued episode starts (a ProcessPoolExecutor hands a worker the next
        # call before the last one ends, so cancelling futures alone is not enough).
        processes = list((getattr(self._pool, "_processes", None) or {}).values()) if interrupted else []
        self._pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            with contextlib.suppress(Exception):
                process.terminate()
        deadline = time.monotonic() + 30
        for process in processes:
            process.join(max(0.1, deadline - time.monotonic()))
            if process.is_alive():
                process.kill()
        if self._manager is not None:
            self._manager.shutdown()


_IN_WORKER = False  # this process is a LocalPool worker
_IN_JOB = False  # and is rendering an episode now


def _init_worker(level: int, cores: Any = None) -> None:
    """Workers log warnings (a corrupt cache entry, a long paragraph) like the parent does.

    Signals: a worker ignores SIGINT (Ctrl-C reaches the whole process group; the
    parent decides) and takes SIGTERM, which the parent sends on an interrupt, as
    "clean up and exit": idle, it exits at once; rendering, it unwinds the render,
    removing its work folder, and exits without taking the next episode."""
    global _IN_WORKER
    _IN_WORKER = True
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _worker_sigterm)
    setup_logging(debug=level <= logging.DEBUG, quiet=level >= logging.WARNING)
    if cores is not None:
        facade.share_cores(cores)


def _worker_sigterm(signum: int, frame: Any) -> None:
    if not _IN_JOB:
        os._exit(128 + signum)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    end_children()
    raise Interrupted(signum)


def end_children() -> None:
    """Stop this process's ffmpeg children (an interrupt must not leave an encoder running)."""
    me = str(os.getpid())
    try:
        pids = [p for p in os.listdir("/proc") if p.isdigit()]
    except OSError:
        return
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                stat = f.read()
            comm = stat[stat.index("(") + 1 : stat.rindex(")")]
            ppid = stat[stat.rindex(")") + 2 :].split()[1]
            if ppid == me and comm.startswith("ffmpeg"):
                os.kill(int(pid), signal.SIGTERM)
        except (OSError, ValueError, IndexError):
            continue


def _cancel_check(name: str | None) -> Callable[[], None] | None:
    """On a Dask worker: a check that raises once the batch's cancel event is set."""
    if not name:
        return None
    from distributed import Event

    event = Event(name)

    def check() -> None:
        if event.is_set():
            raise Interrupted(signal.SIGINT)

    return check


class DaskCluster:
    """Jobs on a Dask cluster; workers must reach the episodes, cache and output folders."""

    def __init__(self, address: str, timeout: float = 10.0):
        try:
            from distributed import Client
        except ImportError:
            raise UsageError("--scheduler needs Dask: pip install 'podcast-pipeline[dask]'") from None
        try:
            self._client = Client(address, timeout=f"{timeout}s")
        except OSError as exc:
            raise UsageError(f"cannot reach the Dask scheduler at {address}: {exc}") from None
        import uuid

        self._cancel_name = f"podcast-cancel-{uuid.uuid4().hex}"

    def progress_queue(self) -> Any:
        return None

    def run(self, jobs: Sequence[Job], progress_queue: Any) -> Iterator[Outcome]:
        from distributed import as_completed

        jobs = [dataclasses.replace(job, cancel=self._cancel_name) for job in jobs]
        self._futures = {self._client.submit(render_job, job, pure=False): job for job in jobs}
        for future in as_completed(self._futures):
            job = self._futures[future]
            try:
                yield future.result()
            except Exception as exc:
                yield Outcome(job.episode, "failed", failure=PipelineError(f"worker failed: {exc}", file=job.episode))

    def close(self, interrupted: bool = False) -> None:
        if interrupted:
            # Queued episodes are cancelled; running ones see the event at their next stage or
            # segment, unwind (removing their work folders) and stop.
            from distributed import Event

            futures = list(getattr(self, "_futures", {}))
            with contextlib.suppress(Exception):
                Event(self._cancel_name, client=self._client).set()
                mine = {f.key for f in futures}
                deadline = time.monotonic() + 30  # running ones unwind at their next check (bounded)
                while time.monotonic() < deadline and any(
                    mine & set(keys) for keys in self._client.processing().values()
                ):
                    time.sleep(0.2)
            with contextlib.suppress(Exception):
                self._client.cancel(futures)
        self._client.close()


def _drain(q: Any) -> Iterator[Progress]:
    """Progress events the workers put on the queue, for the caller to draw."""
    if q is None:
        return
    while True:
        try:
            slug, done, total = q.get_nowait()
        except (queue.Empty, EOFError, OSError):
            return
        yield Progress(slug, done, total)


def make_executor(
    jobs_n: int, scheduler: str | None, n_jobs: int, quiet_workers: bool = False, scheduler_timeout: float = 10.0
) -> Executor:
    if scheduler:
        return DaskCluster(scheduler, scheduler_timeout)
    # More workers than cores gain nothing (each episode's sentences already use every core; what
    # a second worker adds is one episode's mastering beside another's synthesis) and each costs
    # a start, a model load and its memory: measured, -j 4 on two cores was 8% slower than -j 2.
    workers = min(jobs_n, n_jobs, os.cpu_count() or 1)
    if workers <= 1:
        return InProcess()
    return LocalPool(workers, quiet_workers)


# ---------------------------------------------------------------- the batch


def render_batch(
    specs: Sequence[str | Path],
    options: stages.Options,
    *,
    jobs_n: int,
    force: bool,
    scheduler: str | None = None,
    scheduler_timeout: float = 10.0,
    on_outcome: Callable[[Outcome, int, int], None] | None = None,
) -> list[Outcome]:
    episodes = collect(specs)
    todo, skipped, failed = plan(episodes, options, jobs_n, force, local=scheduler is None)
    if len(episodes) > 1:  # every problem at once, before any rendering (a single one is the caller's error)
        for outcome in failed:
            log.error("%s", outcome.error)
    for outcome in skipped:
        log.info("%s: up to date, skipped (--force renders it anyway)", outcome.episode)
    outcomes: list[Outcome] = [*failed, *skipped]
    if not todo:
        order = {p: i for i, p in enumerate(episodes)}
        return sorted(outcomes, key=lambda o: order.get(o.episode, len(order)))
    show_bars = options.show_progress and sys.stderr.isatty() and len(todo) > 1
    executor = make_executor(jobs_n, scheduler, len(todo), show_bars, scheduler_timeout)
    bars = _Bars(len(todo), enabled=show_bars)
    interrupted = False
    try:
        q = executor.progress_queue() if bars.enabled else None  # workers' per-episode progress
        for event in executor.run(todo, q):
            if isinstance(event, Progress):
                bars.episode(event.slug, event.done, event.total)
                continue
            outcome = event
            outcomes.append(outcome)
            bars.done(outcome)
            if on_outcome:
                on_outcome(outcome, len(outcomes) - len(failed) - len(skipped), len(todo))
    except Interrupted as exc:
        interrupted = True
        exc.finished = [str(o.episode) for o in outcomes if o.status == "rendered"]
        exc.unfinished = [str(j.episode) for j in todo if str(j.episode) not in {str(o.episode) for o in outcomes}]
        raise
    finally:
        bars.close()
        executor.close(interrupted)
    order = {p: i for i, p in enumerate(episodes)}
    return sorted(outcomes, key=lambda o: order.get(o.episode, len(order)))


class _Bars:
    """A bar for the batch and one per episode in flight (terminal only)."""

    def __init__(self, total: int, enabled: bool):
        self.enabled = enabled
        self._episodes: dict[str, Any] = {}
        if enabled:
            from tqdm import tqdm
            from tqdm.contrib.logging import logging_redirect_tqdm

            self._tqdm = tqdm
            self._redirect = logging_redirect_tqdm(loggers=[logging.getLogger()])  # log lines above the bars
            self._redirect.__enter__()
            self._batch = tqdm(total=total, desc="episodes", unit="ep", position=0, dynamic_ncols=True)

    def episode(self, slug: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        bar = self._episodes.get(slug)
        if bar is None:
            bar = self._episodes[slug] = self._tqdm(
                total=total, desc=slug, unit="seg", leave=False, position=len(self._episodes) + 1, dynamic_ncols=True
            )
        bar.n = done
        bar.refresh()

    def done(self, outcome: Outcome) -> None:
        if not self.enabled:
            return
        bar = self._episodes.pop(outcome.slug or "", None)
        if bar is not None:
            bar.close()
        self._batch.update(1)

    def close(self) -> None:
        if self.enabled:
            for bar in self._episodes.values():
                bar.close()
            self._batch.close()
            self._redirect.__exit__(None, None, None)


def summary_table(outcomes: Sequence[Outcome]) -> str:
    verified = any(o.verify is not None for o in outcomes)  # a column only when something was verified
    rows = [
        (
            "episode",
            "status",
            "duration",
            "synth/cached",
            "loudness",
            "time",
            *(("suspect/broken",) if verified else ()),
        )
    ]
    for o in outcomes:
        rows.append(
            (
                str(o.episode),
                o.status,
                clock(o.duration) if o.duration is not None else "-",
                f"{o.synthesized}/{o.from_cache}" if o.synthesized is not None else "-",
                f"{o.loudness:.1f} LUFS" if o.loudness is not None else "-",
                f"{o.seconds:.0f}s" if o.seconds is not None else "-",
                *((o.verify or "-",) if verified else ()),
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    for o in outcomes:
        if o.status == "failed":
            lines.append(f"failed: {o.error}")
    return "\n".join(lines)
