"""`podcast check`: lint scripts without synthesizing anything.

Finds what would make a render fail (unknown voices, missing music or
artwork), what would sound wrong (text the rules could not make speakable),
what was probably meant differently (a speaker label nobody declared), and
every token the normalizer had to guess at (unknown code names and
acronyms, words not in its pronouncing dictionary, mixed-case names), each
with the reading it will use and a lexicon line to paste; guesses are
warnings, and errors with `--strict`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .. import _facade as facade
from .. import _stages as stages
from .._fsutil import probe_writable
from .._showmeta import episode_problems, episode_text_problems
from ..errors import PipelineError, user_os_error
from ..parse.script import Script, undeclared_label
from ..publish.html import episode_text_warnings, show_text_warnings
from ..show.derive import feed_problems
from ..text import spoken
from ..text.lexicon import Lexicon
from ..text.normalize.words import said_reading
from ._batch import check_site, slug_taken


@dataclass(frozen=True)
class Problem:
    file: Path
    line: int | None
    segment: int | None
    message: str
    fatal: bool = True  # must be fixed (exit status 1)

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else str(self.file)
        seg = f" segment {self.segment}:" if self.segment else ""
        kind = "error" if self.fatal else "warning"
        return f"{where}:{seg} {kind}: {self.message}"


def check_all(paths: list[Path], options: stages.Options, strict: bool = False) -> list[Problem]:
    """Every script's problems, and two scripts that would write the same output file."""
    problems: list[Problem] = []
    writers: dict[tuple[Path, str], Path] = {}
    numbers: dict[tuple[str | None, int, int], Path] = {}
    for path in paths:
        found, script = _check(path, options, strict)
        # A problem in a file the scripts share (a voice's) is listed once, not once per script.
        problems += [p for p in found if p not in problems]
        if script is None:
            continue
        problems += [p for p in show_problems(script) if p not in problems]
        meta = script.meta
        if meta.episode is not None:
            first = numbers.setdefault((script.settings.config_file, meta.season or 0, meta.episode), path)
            if first != path:
                problems.append(
                    Problem(
                        path,
                        None,
                        None,
                        f"front matter season {meta.season or 0} episode {meta.episode}: {first} has the same "
                        f"numbers (directories refuse two such episodes, and the feed would give them one guid)",
                    )
                )
        taken = slug_taken(writers, facade.output_folder(script, options).resolve(), script.slug, path)
        if taken:
            problems.append(Problem(path, None, None, taken))
    return problems


def _check(path: Path, options: stages.Options, strict: bool = False) -> tuple[list[Problem], Script | None]:
    try:
        script = stages.run(stages.parse_stages(options), path)
    except PipelineError as exc:
        return [_problem(path, exc)], None
    except OSError as exc:
        err = user_os_error(exc)
        if err is None:
            raise
        return [_problem(path, err)], None
    problems: list[Problem] = []
    try:
        script = stages.run(stages.lint_stages(), script)
    except PipelineError as exc:
        problems.append(_problem(path, exc))
    out_dir = facade.output_folder(script, options)
    try:
        probe_writable(out_dir, create=False)
    except OSError as exc:
        err = user_os_error(exc, out_dir)
        if err is None:
            raise
        problems.append(Problem(path, None, None, f"output folder {err}"))
    try:
        check_site(script, options.draft)
    except PipelineError as exc:
        problems.append(Problem(path, None, None, exc.message))
    problems += unknown_speakers(script)
    by_voice = facade.lexicons(script)  # from the voices the script carries: none loaded again
    problems += unspeakable(script, by_voice)
    problems += guessed(script, strict, by_voice)
    return problems, script


def show_problems(script: Script) -> list[Problem]:
    """The publishing rules one line each (the render stops on them joined, before synthesis),
    and a warning when the show turns the AI disclosure off."""
    show = script.settings.show
    config = Path(script.settings.config_file) if script.settings.config_file else script.path
    chapters = [c.title for c in script.chapters]
    out = [Problem(script.path, None, None, p) for p in episode_text_problems(script.meta, chapters)]
    out += [Problem(script.path, None, None, p, fatal=False) for p in episode_text_warnings(script.meta)]
    out += [Problem(config, None, None, p, fatal=False) for p in show_text_warnings(show)]
    if show.base_url:
        out += [Problem(config, None, None, p) for p in feed_problems(show)]
        out += [Problem(script.path, None, None, p) for p in episode_problems(script.meta, show)]
    if not show.ai_disclosure:
        out.append(
            Problem(
                config,
                None,
                None,
                "show.ai_disclosure = false: the episodes are synthetic speech and Apple Podcasts (among "
                "others) asks creators to disclose AI-generated audio; the descriptions will not say so",
                fatal=False,
            )
        )
    return out


def _problem(path: Path, exc: PipelineError) -> Problem:
    """The error as a problem at its own location (a voice file's error at the voice file),
    else at the script `path` being checked."""
    return Problem(path if exc.file is None else Path(str(exc.file)), exc.line, exc.segment, exc.message)


def guessed(script: Script, strict: bool = False, by_voice: dict[str, Lexicon] | None = None) -> list[Problem]:
    """Each token the rules read by a guess, once, where it first occurs."""
    by_voice = by_voice or facade.lexicons(script)
    context = spoken.episode_context(script)
    seen: set[str] = set()
    out = []
    for s in script.segments:
        guesses: list = []
        spoken.speak_segment(s, by_voice[s.voice], context, None, guesses)
        for g in guesses:
            if g.token.lower() in seen:
                continue
            seen.add(g.token.lower())
            key = g.token if re.fullmatch(r"[A-Za-z0-9_]+", g.token) else f'"{g.token}"'
            out.append(
                Problem(
                    script.path,
                    s.line,
                    s.index,
                    f'guessed {g.token!r} ({g.why}): says "{g.reading}"; to decide, put this under '
                    f'[words] in lexicon.toml: {key} = "{proposal(g.token, g.reading)}"',
                    fatal=strict,
                )
            )
    return out


def proposal(token: str, reading: str) -> str:
    """The reading to propose for a guessed token: never letter by letter when the technical lexicon
    knows a reading said as words (in another case: 'Epyc' -> "epic", not "E P Y C")."""
    if re.fullmatch(r"(?:[A-Z] )+[A-Z](?:'?s)?", reading):
        return said_reading(token) or reading
    return reading


def unknown_speakers(script: Script) -> list[Problem]:
    """Paragraphs opening with a label in capitals nobody declared (parse.script.undeclared_label)."""
    out = []
    for s in script.segments:
        message = undeclared_label(s, script.speakers)
        if message:
            out.append(Problem(script.path, s.line, s.index, message))
    return out


def unspeakable(script: Script, by_voice: dict[str, Lexicon] | None = None) -> list[Problem]:
    """Tokens the rules leave with what no voice can say (errors), and symbols no rule reads
    (warnings), found by the very steps the spoken-text stage takes (text/spoken.py: a render
    warns of the same, line for line)."""
    by_voice = by_voice or facade.lexicons(script)
    context = spoken.episode_context(script)
    out = []
    for s in script.segments:
        for f in spoken.segment_findings(s, by_voice[s.voice], context):
            out.append(Problem(script.path, s.line, s.index, f.message, fatal=f.fatal))
    return out
