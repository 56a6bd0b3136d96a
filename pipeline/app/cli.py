"""The `podcast` command.  One `main()` maps errors to exit codes (listed in errors.py):
0 done, 1 a problem with the input or the media, 2 bad usage, 70 an internal error,
128+N interrupted by signal N.  Tracebacks only with --debug."""

from __future__ import annotations

import argparse
import contextlib
import functools
import json
import logging
import math
import os
import shutil
import signal
import subprocess
import sys
import threading
import traceback
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Sequence

from .. import __version__
from .. import _facade as facade
from .. import _stages as stages
from .._clock import clock
from .._config import Settings, is_none, settings_for
from .._inputs import collect
from .._showmeta import scheduler_problem
from ..errors import EXIT_INTERNAL, ConfigError, InternalError, Interrupted, PipelineError, UsageError, user_os_error
from ._logsetup import setup_logging
from ._progress import progress

if TYPE_CHECKING:
    from ..parse.script import Script
    from ._batch import Outcome

log = logging.getLogger("pipeline")

PLAYERS = (
    ["ffplay", "-nodisp", "-autoexit", "-loglevel", "error"],
    ["mpv", "--no-video", "--really-quiet"],
    ["paplay"],
    ["aplay", "-q"],
    ["afplay"],
    ["play", "-q"],
)


def path_arg(value: str) -> Path:
    """A path on the command line: an empty one is bad usage, not the current folder."""
    if not value.strip():
        raise argparse.ArgumentTypeError("an empty path")
    return Path(value)


def finite(value: str) -> float:
    """A float flag: NaN and infinity are bad usage (exit 2), like any other unreadable value."""
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if not math.isfinite(number):
        raise argparse.ArgumentTypeError(f"must be a finite number, not {value!r}")
    return number


def scheduler_address(value: str) -> str:
    """--scheduler: a Dask scheduler address, or bad usage (exit 2) before any work."""
    problem = scheduler_problem(value)
    if problem:
        raise argparse.ArgumentTypeError(problem)
    return value


def port_number(value: str) -> int:
    """--port: 0 (any free port) to 65535, or bad usage (exit 2) before anything is written."""
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a port number from 0 to 65535, not {value!r}") from None
    if not 0 <= number <= 65535:
        raise argparse.ArgumentTypeError(f"must be a port number from 0 to 65535, not {value!r}")
    return number


# The README's words (its "Exit status" paragraph); errors.py maps exceptions to them.
EXIT_STATUS = """exit status:
  0    done
  1    a problem with the input or media (one line on stderr, naming the file)
  2    bad usage
  70   an internal error: a bug (please report it with --debug's traceback and
       podcast doctor's output)
  130  interrupted (SIGINT)
  143  stopped (SIGTERM)
A render of several episodes exits 1 if any failed, 70 if one failed on a bug."""


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--debug", action="store_true", default=argparse.SUPPRESS, help="verbose log and tracebacks on errors"
    )
    common.add_argument(
        "-q", "--quiet", action="store_true", default=argparse.SUPPRESS, help="only warnings and errors"
    )
    common.add_argument(
        "--config",
        type=path_arg,
        default=argparse.SUPPRESS,
        metavar="FILE",
        help="podcast.toml to use (default: found beside the episode or in a parent folder)",
    )

    master_flags = argparse.ArgumentParser(add_help=False)
    master_flags.add_argument("--loudness", type=finite, metavar="LUFS", help="integrated loudness target")
    master_flags.add_argument("--true-peak", type=finite, metavar="DBTP", help="true-peak ceiling")
    master_flags.add_argument("--mono", action="store_const", const=1, dest="channels", help="master in mono")
    master_flags.add_argument(
        "--draft",
        action="store_true",
        help="every segment in the draft voice (eSpeak NG): structure and timing in seconds",
    )

    parser = argparse.ArgumentParser(
        prog="podcast",
        parents=[common],
        description="Turn episode scripts into finished podcast episodes.",
        epilog=EXIT_STATUS,
        formatter_class=argparse.RawDescriptionHelpFormatter,  # the epilog's table as written
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser(
        "segments",
        parents=[common],
        help="show an episode's chapters and segments",
        description="List chapters and segments with index, id, voice, script text and spoken text.",
    )
    p.add_argument("episode", type=path_arg, metavar="EPISODE")
    p.add_argument("--json", action="store_true", help="machine-readable output (see README: segments JSON)")
    p.add_argument("--spoken", action="store_true", help="show only the spoken text")

    p = sub.add_parser(
        "preview",
        parents=[common, master_flags],
        help="speak one segment (or any text) to a WAV",
        description="Synthesize one segment, mastered to the episode's loudness target, as WAV.",
    )
    p.add_argument("episode", type=path_arg, nargs="?", metavar="EPISODE")
    p.add_argument("segment", nargs="?", metavar="SEGMENT", help="1-based index or segment id")
    p.add_argument("--text", help="speak this text instead of a segment")
    p.add_argument("-o", "--output", type=path_arg, metavar="FILE", help="WAV file to write")
    p.add_argument("--voice", metavar="NAME", help="voice to use instead of the script's")
    p.add_argument("--play", action="store_true", help="play the result with a player found on this system")

    p = sub.add_parser(
        "render",
        parents=[common, master_flags],
        help="render episodes",
        description="Render episode scripts to MP3 with chapters, plus .chapters.json and .report.json beside each.",
    )
    p.add_argument("episodes", nargs="+", metavar="EPISODE", help="script files, folders or glob patterns")
    p.add_argument("-o", "--output", type=path_arg, metavar="DIR", help="output folder (default: paths.output)")
    p.add_argument("--voice", metavar="NAME", help="voice for every segment without a speaker")
    p.add_argument("--intro", metavar="FILE", help="intro music: a file, 'default' or 'none'")
    p.add_argument("--outro", metavar="FILE", help="outro music: a file, 'default' or 'none'")
    p.add_argument("--bitrate", type=int, metavar="KBPS", help="MP3 bit rate (constant)")
    p.add_argument("--vbr", type=int, metavar="Q", help="variable bit rate at LAME quality Q (0 best .. 9)")
    p.add_argument("--id3", type=int, choices=(3, 4), help="ID3 version: 3 (default) or 4")
    p.add_argument(
        "-j",
        "--jobs",
        type=int,
        metavar="N",
        help="episodes in parallel (default: one per two cores, as memory allows)",
    )
    p.add_argument("--force", action="store_true", help="render even episodes whose outputs are up to date")
    p.add_argument(
        "--scheduler", type=scheduler_address, metavar="ADDRESS", help="render on a Dask cluster (tcp://host:8786)"
    )
    p.add_argument(
        "--verify",
        action="store_const",
        const=True,
        help="listen to the result: re-synthesize broken segments, write <slug>.verify.json "
        "(needs the verify extra; [verify] on = true makes it the default)",
    )
    p.add_argument(
        "--strict",
        action="store_const",
        const=True,
        help="verify, and fail the render instead of shipping a segment still broken",
    )

    p = sub.add_parser(
        "verify",
        parents=[common],
        help="listen to rendered episodes: did the voice say the words?",
        description="Transcribe each segment of a rendered episode with a speech recognizer, compare "
        "it with the spoken text, check chapter and cue times, and give each segment a "
        "verdict (ok, suspect, broken). Exit status 1 if a segment is broken. Needs the "
        "verify extra: pip install 'podcast-pipeline[verify]'.",
    )
    p.add_argument("episodes", nargs="+", metavar="EPISODE", help="script files, folders or glob patterns")
    p.add_argument(
        "--audio", type=path_arg, metavar="MP3", help="the MP3 to check (default: the render's, beside its report)"
    )
    p.add_argument(
        "-o", "--output", type=path_arg, metavar="DIR", help="where the episode was rendered (default: paths.output)"
    )
    p.add_argument("--json", action="store_true", help="the full verification (as <slug>.verify.json)")

    p = sub.add_parser(
        "check",
        parents=[common],
        help="lint episode scripts without synthesizing",
        description="Check scripts for unknown voices and speakers, missing music or artwork, "
        "text the rules cannot make speakable, and words the rules had to guess at "
        "(each with its reading and a lexicon line). Exit status 1 if anything must be "
        "fixed; with --strict, also if anything was guessed.",
    )
    p.add_argument("episodes", nargs="+", metavar="EPISODE", help="script files, folders or glob patterns")
    p.add_argument("--strict", action="store_true", help="guessed readings are errors (exit status 1)")

    # `podcast feed` and `podcast site` take the same FOLDER and find the show the same way.
    show_args = argparse.ArgumentParser(add_help=False)
    show_args.add_argument(
        "folder",
        type=path_arg,
        nargs="?",
        default=Path("."),
        metavar="FOLDER",
        help="the show's folder of scripts (outputs in paths.output) or a folder it was rendered into "
        "(render -o DIR); default: this folder",
    )
    show_args.add_argument(
        "--include-future",
        action="store_true",
        help="also the episodes dated in the future (left out until their date otherwise)",
    )

    p = sub.add_parser(
        "feed",
        parents=[common, show_args],
        help="write the show's podcast feed (RSS)",
        description="Write the RSS feed (iTunes and Podcasting 2.0 tags) of the show in FOLDER from "
        "its rendered episodes. A render of a show with show.base_url set updates it too.",
    )
    p.add_argument(
        "-o", "--output", type=path_arg, metavar="FILE", help="feed file (default: feed.xml in the output folder)"
    )

    p = sub.add_parser(
        "cache",
        parents=[common],
        help="inspect or prune the segment cache",
        description="The segment cache keeps synthesized speech so re-renders are fast.",
    )
    cache_sub = p.add_subparsers(dest="cache_command", metavar="ACTION", required=True)
    q = cache_sub.add_parser("info", parents=[common], help="where the cache is and what it holds")
    q.add_argument("--json", action="store_true")
    q = cache_sub.add_parser("prune", parents=[common], help="delete entries by age or by what episodes still use")
    q.add_argument("--older-than", type=finite, metavar="DAYS", help="entries not used for this many days")
    q.add_argument(
        "--unused", nargs="+", metavar="EPISODE", help="entries none of these episodes (files, folders, globs) use"
    )

    p = sub.add_parser(
        "takes",
        parents=[common, master_flags],
        help="synthesize other takes of one segment and an audition page to choose one",
        description="Synthesize takes 0..N of one segment (take 0 is the render's own; a seeded engine's "
        "takes use other noise seeds, a deterministic one's vary its pace and pauses), each cached, and "
        "write an audition page (index.html and a WAV per take) that plays each take between the "
        "segments around it, mastered to the episode's loudness. Keep one with `podcast pin`.",
    )
    p.add_argument("episode", type=path_arg, metavar="EPISODE")
    p.add_argument("segment", metavar="SEGMENT", help="1-based index or segment id")
    p.add_argument("-n", type=int, default=3, metavar="N", help="how many takes besides the render's own (default 3)")
    p.add_argument(
        "-o", "--output", type=path_arg, metavar="DIR", help="the folder (default: <output>/<slug>.takes-<segment>)"
    )

    p = sub.add_parser(
        "pin",
        parents=[common],
        help="keep one take of a segment for every later render (or --clear)",
        description="Write the take into <script>.takes.toml beside the script: every render uses it "
        "until the segment's text or voice changes (then the pin is dropped with a warning). "
        "--clear removes the segment's pin, or every pin of the episode without SEGMENT.",
    )
    p.add_argument("episode", type=path_arg, metavar="EPISODE")
    p.add_argument("segment", nargs="?", metavar="SEGMENT", help="1-based index or segment id")
    p.add_argument("take", nargs="?", type=int, metavar="TAKE", help="the take's number (see `podcast takes`)")
    p.add_argument("--clear", action="store_true", help="remove the pin instead")

    p = sub.add_parser(
        "report",
        parents=[common],
        help="the render report's page (<slug>.report.html) again, from the report",
        description="Write <slug>.report.html again from a rendered episode's report (waveform, "
        "loudness over time, chapters, segments, music, stages) without rendering; a report "
        "that lacks the waveform and loudness series is measured again from its MP3. EPISODE is "
        "a script (its report is looked for in the output folder) or a <slug>.report.json. "
        "Exit status 1 when there is no such episode or report.",
    )
    p.add_argument("episodes", nargs="+", metavar="EPISODE", help="script files, folders, glob patterns or reports")
    p.add_argument(
        "-o", "--output", type=path_arg, metavar="DIR", help="the render output folder (default: paths.output)"
    )

    p = sub.add_parser(
        "site",
        parents=[common, show_args],
        help="the show's web page from rendered episodes",
        description="Write a static site (index.html and a page per episode with a player, "
        "chapters and the transcript) of the show in FOLDER from its rendered episodes.",
    )
    p.add_argument(
        "-o",
        "--output",
        type=path_arg,
        metavar="DIR",
        help="where to write it (default: site.output, else site/ beside podcast.toml)",
    )
    p.add_argument("--serve", action="store_true", help="then serve it on 127.0.0.1 (with HTTP Range support)")
    p.add_argument("--port", type=port_number, default=8000, help="port for --serve (default 8000; 0: any free one)")

    p = sub.add_parser(
        "doctor",
        parents=[common],
        help="what this installation uses, and whether it works",
        description="Report Python, ffmpeg, eSpeak NG, the TTS runtime, every voice, the optional "
        "extras, the cache and the output folder. Exit status 1 if the default render "
        "cannot work; paste the output into a bug report.",
    )
    p.add_argument("--json", action="store_true")

    p = sub.add_parser(
        "voices",
        parents=[common],
        help="list the voices available",
        description="List voices: name, engine, language, sample rate.",
    )
    p.add_argument("--json", action="store_true")
    return parser


def _on_signal(signum: int, frame: Any) -> None:
    """SIGINT and SIGTERM stop the run the same way: an exception that unwinds it, so every
    work folder and temporary file is removed on the way out.  A second signal during that
    clean-up (which is bounded) is ignored rather than left to cut it short."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    from ._batch import end_children  # imported late: a pool is the batch's business

    end_children()
    raise Interrupted(signum)


def _interrupted_line(exc: Interrupted) -> str:
    name = signal.Signals(exc.signum).name
    if not exc.finished and not exc.unfinished:
        return f"podcast: interrupted ({name}); nothing was left behind"
    done = ", ".join(exc.finished) or "none"
    return (
        f"podcast: interrupted ({name}): {len(exc.finished)} of {len(exc.finished) + len(exc.unfinished)} "
        f"episodes finished ({done}); not finished: {', '.join(exc.unfinished) or 'none'}; "
        f"run it again to resume"
    )


def main(argv: Sequence[str] | None = None) -> int:
    """The command; its exit status.  Output never fails the command: a terminal or pipe that
    cannot encode a character gets an escape (`\\ud55c`), and a reader that went away (`| head`)
    ends it quietly with status 0, as a closed pipe ends any Unix filter."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):
                reconfigure(errors="backslashreplace")
    try:
        code = _main(argv)
    except BrokenPipeError:  # argparse's help or usage, to a reader that went away
        _stdout_to_devnull()
        return 0
    except SystemExit:
        _flush()
        raise
    _flush()
    return code


def _flush() -> None:
    """stdout flushed here, not at exit, where a closed pipe is an ignored exception and status 120."""
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _stdout_to_devnull()


def say(text: object = "") -> None:
    """A line on stdout.  Once its reader has gone (`| head`), the rest goes nowhere and the
    command carries on: its work and its exit status are its own."""
    try:
        print(text)
    except BrokenPipeError:
        _stdout_to_devnull()


def _stdout_to_devnull() -> None:
    """The rest of the output (what is still buffered, what the interpreter flushes at exit)
    goes nowhere: the reader is gone."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


def _main(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    debug = getattr(args, "debug", False)
    setup_logging(debug, getattr(args, "quiet", False))
    handlers = {}
    if threading.current_thread() is threading.main_thread():
        handlers = {sig: signal.signal(sig, _on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        return COMMANDS[args.command](args)
    except PipelineError as exc:
        if debug:
            traceback.print_exc()
        hint = " (run with --debug for details)" if exc.exit_code == EXIT_INTERNAL and not debug else ""
        print(f"podcast: error: {exc}{hint}", file=sys.stderr)
        return exc.exit_code
    except Interrupted as exc:
        print(_interrupted_line(exc), file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("podcast: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # stdout's reader went away: main() ends quietly
        raise
    except OSError as exc:  # a full disk, a read-only folder, permissions: the user's to fix
        err = user_os_error(exc)
        if err is None:
            return _internal(exc, debug)
        if debug:
            traceback.print_exc()
        print(f"podcast: error: {err}", file=sys.stderr)
        return 1
    except Exception as exc:  # a bug: still one line unless --debug
        return _internal(exc, debug)
    finally:
        for sig, handler in handlers.items():
            signal.signal(sig, handler)


def _internal(exc: Exception, debug: bool) -> int:
    """A bug (exit 70, --debug or not): one line, after the traceback with --debug."""
    if debug:
        traceback.print_exception(exc)
        print(f"podcast: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
    else:
        print(f"podcast: internal error: {type(exc).__name__}: {exc} (run with --debug for details)", file=sys.stderr)
    return EXIT_INTERNAL


# ---------------------------------------------------------------- commands


# command-line flag -> the setting it overrides (the last layer of precedence)
FLAG_SETTINGS = {
    "voice": ("speech", "voice"),
    "intro": ("music", "intro"),
    "outro": ("music", "outro"),
    "loudness": ("master", "loudness"),
    "true_peak": ("master", "true_peak"),
    "channels": ("master", "channels"),
    "bitrate": ("master", "bitrate"),
    "vbr": ("master", "vbr_quality"),
    "id3": ("master", "id3_version"),
    "verify": ("verify", "on"),
    "strict": ("verify", "strict"),
}


def _options(args: argparse.Namespace, workdir: Path) -> stages.Options:
    overrides: dict[str, dict[str, Any]] = {}
    for flag, (section, key) in FLAG_SETTINGS.items():
        value = getattr(args, flag, None)
        if value is not None:
            overrides.setdefault(section, {})[key] = value
    if getattr(args, "vbr", None) is not None:
        overrides.setdefault("master", {})["vbr"] = True
    try:  # a flag's value out of range is bad usage (exit 2), found before any work
        Settings().apply(overrides, "command line", workdir)
    except ConfigError as exc:
        raise UsageError(str(exc)) from None
    show = not getattr(args, "quiet", False)
    output = getattr(args, "output", None)
    preview = getattr(args, "command", None) == "preview"  # its -o names a file; everyone else's a folder
    return stages.Options(
        config=getattr(args, "config", None),
        overrides=overrides,
        output_dir=None if preview else output,
        preview_file=output if preview else None,
        workdir=workdir,
        show_progress=show,
        draft=getattr(args, "draft", False),
        progress=functools.partial(progress, enabled=show),
    )


def cmd_segments(args: argparse.Namespace) -> int:
    options = _options(args, Path("."))
    script = stages.run(stages.listing_stages(options), args.episode)
    for problem in facade.voice_problems(script):  # the listing is still useful; a render would stop here
        log.warning("%s", problem)
    if args.json:
        say(json.dumps(segments_json(script), ensure_ascii=False, indent=2))
        return 0
    meta = script.meta
    say(f"{meta.title}  ({len(script.segments)} segments in {len(script.chapters)} chapters)")
    for chapter in script.chapters:
        say(f"\n## {chapter.index + 1}. {chapter.title}")
        for s in chapter.segments:
            who = f"{s.speaker} ({s.voice})" if s.speaker else s.voice
            pause = f" [pause {s.pause_before:g}s before]" if s.pause_before else ""
            if args.spoken:
                say(f"{s.index:4d}  {s.id}  {who}{pause}\n      {s.spoken}")
            else:
                say(f"{s.index:4d}  {s.id}  {who}{pause}\n      text:   {s.text}\n      spoken: {s.spoken}")
    return 0


def segments_json(script: Script) -> dict[str, Any]:
    """The documented, stable shape of `podcast segments --json` (schema 1)."""
    meta = script.meta
    return {
        "schema": 1,
        "file": str(script.path),
        "slug": script.slug,
        "title": meta.title,
        "episode": meta.episode,
        "date": meta.date,
        "description": meta.description,
        "chapters": [
            {"index": c.index + 1, "title": c.title, "segments": [s.index for s in c.segments]} for c in script.chapters
        ],
        "segments": [
            {
                "index": s.index,
                "id": s.id,
                "chapter": s.chapter + 1,
                "chapter_title": script.chapters[s.chapter].title,
                "speaker": s.speaker,
                "voice": s.voice,
                "line": s.line,
                "pause_before": s.pause_before,
                "text": s.text,
                "spoken": s.spoken,
                "sentences": [{"text": w, "spoken": t} for w, t in zip(s.written, s.sentences)],
            }
            for s in script.segments
        ],
    }


def cmd_preview(args: argparse.Namespace) -> int:
    if args.text is not None and (args.episode or args.segment):
        raise UsageError("give either EPISODE SEGMENT or --text, not both")
    if args.text is None and (args.episode is None or args.segment is None):
        raise UsageError('preview needs EPISODE and SEGMENT (or --text "...")')
    if args.output is not None and args.output.suffix.lower() != ".wav":
        raise UsageError("preview writes WAV; name the file .wav", file=args.output)
    from .._fsutil import work_dir

    with work_dir() as tmp:
        options = _options(args, tmp)
        try:
            if args.text is not None:
                out = stages.run(stages.preview_text_stages(options, args.voice), args.text)
            else:
                out = stages.run(stages.preview_stages(options, args.segment), args.episode)
        finally:
            facade.release_leases()
    say(out)
    if args.play:
        play(out)
    return 0


def play(path: Path) -> None:
    for player in PLAYERS:
        exe = shutil.which(player[0])
        if exe:
            subprocess.run([exe, *player[1:], str(path)], check=False)
            return
    log.warning("no audio player found (tried %s); the preview is at %s", ", ".join(p[0] for p in PLAYERS), path)


def cmd_render(args: argparse.Namespace) -> int:
    from ._batch import refresh_site, render_batch, summary_table, update_feeds

    first = Path(args.episodes[0])
    batch = settings_for(first if first.exists() else Path.cwd(), getattr(args, "config", None)).batch
    jobs = args.jobs if args.jobs is not None else (batch.jobs or default_jobs())
    if jobs < 1:
        raise UsageError("-j must be 1 or more")
    if args.strict:
        args.verify = True  # --strict is about what verification finds
    options = _options(args, Path("."))

    def report(outcome: Outcome, n: int, total: int) -> None:
        if outcome.status == "rendered":
            log.info(
                "[%d/%d] %s: rendered (%s, %d synthesized, %d cached, %.1f LUFS%s)",
                n,
                total,
                outcome.episode,
                clock(outcome.duration) if outcome.duration is not None else "-",
                outcome.synthesized,
                outcome.from_cache,
                outcome.loudness,
                f"; verified: {outcome.verify} suspect/broken" if outcome.verify else "",
            )
        elif total > 1:  # a lone render's error is printed once, below (or in the summary)
            log.error("[%d/%d] %s", n, total, outcome.error)

    outcomes = render_batch(
        args.episodes,
        options,
        jobs_n=jobs,
        force=args.force,
        scheduler=args.scheduler or batch.scheduler or None,
        scheduler_timeout=batch.scheduler_timeout,
        on_outcome=report,
    )
    site_error = None if options.draft else refresh_site(outcomes, getattr(args, "config", None))
    failed = [o for o in outcomes if o.status == "failed"]
    feed_error = update_feeds(outcomes, options)
    if len(outcomes) > 1:
        say(summary_table(outcomes))
    elif outcomes and outcomes[0].status != "failed":
        say(outcomes[0].output)
    if failed:
        if len(outcomes) == 1:  # as it was raised: its exit code too (2 for bad usage, 70 for a bug)
            raise failed[0].failure or PipelineError("failed")
        bugs = sum(isinstance(o.failure, InternalError) for o in failed)
        if bugs:  # a bug is worth a report even when the other failures are the input's
            raise InternalError(f"{len(failed)} of {len(outcomes)} episodes failed, {bugs} on a bug")
        raise PipelineError(f"{len(failed)} of {len(outcomes)} episodes failed")
    if feed_error or site_error:
        raise PipelineError("; ".join(filter(None, (site_error, feed_error))))
    return 0


def default_jobs() -> int:
    """Parallel episodes when nobody said: each worker's voice session uses two cores
    and about 1 GB (measured: one 2-thread worker renders as fast as two 1-thread
    ones), so one worker per two cores, and no more than memory allows."""
    jobs = max(1, (os.cpu_count() or 1) // 2)
    try:
        with open("/proc/meminfo") as f:
            available = next(int(line.split()[1]) for line in f if line.startswith("MemAvailable:")) * 1024
        jobs = min(jobs, max(1, int(available // (1.2 * 2**30))))
    except (OSError, StopIteration, ValueError):
        pass
    return jobs


def cmd_verify(args: argparse.Namespace) -> int:
    from ..verify import recognizer
    from ..verify.doc import as_text

    episodes = collect(args.episodes)
    if args.audio is not None and len(episodes) != 1:
        raise UsageError("--audio names the MP3 of one episode; give one EPISODE with it")
    problem = recognizer.available()
    if problem:
        raise PipelineError(problem)
    options = _options(args, Path("."))
    docs: list[dict[str, Any]] = []

    def one(episode: Path) -> None:
        doc = stages.run(stages.verify_rendered_stages(options, args.audio), episode).to_json()
        docs.append(doc)
        if not args.json:
            say(as_text(doc))

    failed = _each(episodes, one)
    if args.json:
        say(json.dumps(docs, ensure_ascii=False, indent=2))
    broken = sum(doc["summary"]["broken"] for doc in docs)
    return max(failed, 1 if broken else 0)


def cmd_check(args: argparse.Namespace) -> int:
    from ._check import check_all

    options = _options(args, Path("."))
    episodes = collect(args.episodes)
    problems = check_all(episodes, options, args.strict)
    for problem in problems:  # `file:line: error: message`, as editors and CI annotations read them
        print(problem, file=sys.stderr)
    fatal = sum(p.fatal for p in problems)
    warnings = len(problems) - fatal
    scripts = f"{len(episodes)} script{'s' if len(episodes) != 1 else ''} checked: "
    review = f"{warnings} warning{'s' if warnings != 1 else ''} to review"  # guessed readings and others
    if fatal:
        say(f"{scripts}{fatal} problem{'s' if fatal != 1 else ''} to fix" + (f", {review}" if warnings else ""))
    else:
        say(f"{scripts}no problems" + (f", {review}" if warnings else ""))
    return 1 if fatal else 0


def cmd_cache(args: argparse.Namespace) -> int:
    from .._fsutil import abandoned_work_dirs, clean_abandoned

    settings = settings_for(Path.cwd(), getattr(args, "config", None))
    cache = facade.show_cache(settings)
    cache.require_folder()
    if args.cache_command == "info":
        info = cache.info()
        abandoned = abandoned_work_dirs()
        info["abandoned_work_folders"] = len(abandoned)
        info["abandoned_work_bytes"] = sum(size for _, size in abandoned)
        if args.json:
            say(json.dumps(info, indent=2))
        else:
            say(
                f"location: {info['location']}\nentries:  {info['entries']} "
                f"({info['audio_seconds'] / 60:.1f} minutes of speech, {info['bytes'] / 1e6:.1f} MB)"
            )
            for voice, n in sorted(info["voices"].items()):
                say(f"  {voice}: {n}")
            say(f"previews: {info['previews']} ({info['preview_bytes'] / 1e6:.1f} MB)")
            say(f"junk:     {info['junk_files']} files ({info['junk_bytes'] / 1e6:.1f} MB; `cache prune` removes them)")
            if abandoned:
                say(
                    f"abandoned work folders: {len(abandoned)} ({info['abandoned_work_bytes'] / 1e6:.1f} MB in "
                    f"{abandoned[0][0].parent}; `cache prune` removes them)"
                )
        return 0
    if args.older_than is None and args.unused is None:
        raise UsageError("cache prune needs --older-than DAYS and/or --unused EPISODE...")
    if args.older_than is not None and args.older_than < 0:
        raise UsageError(f"--older-than must be 0 or more days, not {args.older_than:g}")
    keep = None
    if args.unused is not None:
        keep = set()
        for episode in collect(args.unused):
            script = stages.run(stages.listing_stages(_options(args, Path("."))), episode)
            keep.update(facade.cache_keys(script, cache))  # with the takes a verification chose
    try:
        done = cache.prune(older_than=None if args.older_than is None else args.older_than * 86400, keep=keep)
    except OSError as exc:
        err = user_os_error(exc, cache.root)
        if err is None:
            raise
        raise PipelineError(f"cannot prune the cache: {err}") from None
    work_removed, work_freed = clean_abandoned()
    say(f"removed {done['entries']} entries ({done['bytes'] / 1e6:.1f} MB) from {cache.root}")
    if done["previews"]:
        say(f"removed {done['previews']} previews ({done['preview_bytes'] / 1e6:.1f} MB)")
    if done["junk_files"]:
        say(f"removed {done['junk_files']} junk files ({done['junk_bytes'] / 1e6:.1f} MB)")
    if work_removed:
        say(f"removed {work_removed} abandoned work folders ({work_freed / 1e6:.1f} MB)")
    if done["held"]:
        say(f"kept {done['held']} entries a running render is using")
    return 0


def cmd_voices(args: argparse.Namespace) -> int:
    settings = settings_for(Path.cwd(), getattr(args, "config", None))
    rows = facade.voice_rows(settings)
    if args.json:
        say(json.dumps(rows, indent=2))
        return 0
    for r in rows:
        if r["available"]:
            via = f" [{r['backend']}]" if r.get("backend") else ""
            say(
                f"{r['name']:<12} {r['engine']:<7} {r['language']:<6} {r['gender'] or '-':<7}"
                f"{r['sample_rate']:>6} Hz  {r['description']}{via}"
            )
            if r["license"]:
                say(f"{'':<12} licence: {r['license']}")
        else:
            say(f"{r['name']:<12} unavailable: {r['problem']}")
    return 0


def cmd_feed(args: argparse.Namespace) -> int:
    from ..show.feed import find_show, write_feed

    show = find_show(args.folder, getattr(args, "config", None))
    say(write_feed(show, args.output, args.include_future))
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    options = _options(args, Path("."))
    # scripts, folders of them, reports; glob patterns of any
    return _each(collect(args.episodes), lambda path: say(facade.report_page(path, options)))


def _each(episodes: list[Path], work: Callable[[Path], object]) -> int:
    """`work` on each episode.  Of several, one that fails is reported in its line and the rest
    go on, as a batch does; the exit status is the worst (one alone fails as any command does)."""
    if len(episodes) == 1:
        work(episodes[0])
        return 0
    worst = 0
    for episode in episodes:
        try:
            work(episode)
        except PipelineError as exc:
            print(f"podcast: error: {exc.during(episode)}", file=sys.stderr)
            worst = max(worst, exc.exit_code)
    return worst


def cmd_takes(args: argparse.Namespace) -> int:
    from .._fsutil import work_dir

    if not 1 <= args.n <= facade.MAX_TAKE:
        raise UsageError(f"-n must be from 1 to {facade.MAX_TAKE}")
    if args.draft:  # a pin is kept for the segment's own voice: the draft voice's takes are not it
        raise UsageError("takes cannot use --draft: a take is pinned for the segment's own voice; audition that")
    with work_dir() as tmp:
        try:
            page = stages.run(stages.takes_stages(_options(args, tmp), args.segment, args.n), args.episode)
        finally:
            facade.release_leases()
    say(page)
    return 0


def cmd_pin(args: argparse.Namespace) -> int:
    if args.clear:
        if args.take is not None:
            raise UsageError("--clear takes EPISODE [SEGMENT], not a take")
    elif args.segment is None or args.take is None:
        raise UsageError("pin needs EPISODE SEGMENT TAKE (or --clear)")
    elif not 0 <= args.take <= facade.MAX_TAKE:
        raise UsageError(f"a take is a number from 0 to {facade.MAX_TAKE}")
    log.info("%s", facade.pin(args.episode, _options(args, Path(".")), args.segment, args.take))
    return 0


def cmd_site(args: argparse.Namespace) -> int:
    from ..show.feed import find_show
    from ..show.serve import handler
    from ..show.site import build, output_problem

    problem = output_problem(args.output) if args.output is not None else None
    if problem:
        raise UsageError(f"-o {args.output}: {problem}")
    httpd = _site_server(args.port) if args.serve else None  # a port in use is found before anything is written
    try:
        show = find_show(args.folder, getattr(args, "config", None))
        settings = show.settings
        site = settings.site.output
        if args.output is not None:
            out = args.output
        elif site is not None and not is_none(site):
            out = Path(site)
            problem = output_problem(out)
            if problem:
                raise ConfigError(f"site.output {out}: {problem}")
        elif settings.show_dir is not None:
            out = settings.show_dir / "site"
        else:
            raise UsageError("where should the site go? give -o DIR (or set [site] output in podcast.toml)")
        index = build(
            show.out_dir,
            out,
            settings.show.title,
            show=settings.show,
            site=settings.site,
            include_future=args.include_future,
        )[0]
        say(index)
        if httpd is not None:
            sys.stdout.flush()
            httpd.RequestHandlerClass = handler(out)
            host, port = httpd.server_address[:2]
            log.info("serving %s at http://%s:%d/ (Ctrl-C stops)", out, host, port)
            httpd.serve_forever()
    finally:
        if httpd is not None:
            httpd.server_close()
    return 0


def _site_server(port: int) -> Any:
    """The server for `site --serve`, bound now (it is told its folder once the site is written)."""
    from ..show.serve import server

    try:
        return server(Path("."), port=port)
    except OSError as exc:
        reason = exc.strerror.lower() if exc.strerror else str(exc)
        raise PipelineError(
            f"--port {port}: cannot serve on 127.0.0.1:{port}: {reason}; give another port (0: any free one)"
        ) from None


def cmd_doctor(args: argparse.Namespace) -> int:
    from ._doctor import as_json, as_text, diagnose, healthy

    findings = diagnose(settings_for(Path.cwd(), getattr(args, "config", None)))
    if args.json:
        say(json.dumps(as_json(findings), indent=2))
    else:
        say(as_text(findings))
    return 0 if healthy(findings) else 1


COMMANDS = {
    "segments": cmd_segments,
    "preview": cmd_preview,
    "render": cmd_render,
    "voices": cmd_voices,
    "cache": cmd_cache,
    "check": cmd_check,
    "feed": cmd_feed,
    "verify": cmd_verify,
    "doctor": cmd_doctor,
    "site": cmd_site,
    "report": cmd_report,
    "takes": cmd_takes,
    "pin": cmd_pin,
}
