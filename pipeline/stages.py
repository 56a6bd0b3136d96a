"""The pipeline as a visible, ordered list of stages.

Each stage is a function from one frozen value to the next:

    path -> Script -> Script (checked) -> Script (spoken) -> Rendered
         -> SpeechTrack -> Mix -> Mastered -> Episode

A render runs the whole list; a preview is the same list with the segment
picked out and the list cut short before the music.  `run()` times every
stage for the render report.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import os
import shutil
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

from . import ffmpeg, spoken
from .cache import ENV, SegmentCache, cache_root
from .config import Settings, settings_for
from .errors import PipelineError
from .fsutil import atomic_path
from .master import WAV, Source, master
from .progress import progress
from .script import Chapter, EpisodeMeta, Script, load_script, slugify
from .episode import master_stage, package
from .mix import mix
from .music import resolve as resolve_music
from .speech import SpeechTrack, load_voices, speech_track, synthesize
from .lexicon import Lexicon, show_lexicon
from .tags import artwork_mime
from .artwork import check_cover
from .voices import load_voice

log = logging.getLogger(__name__)

TEXT_PATH = Path("<text>")  # the script of `preview --text`


@dataclass(frozen=True)
class Stage:
    name: str
    fn: Callable[[Any], Any]


@dataclass(frozen=True)
class Options:
    """What the command line decided for this run."""

    config: Path | None = None  # --config; else podcast.toml is found beside the episode
    overrides: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    output: Path | None = None  # -o: a folder for renders, a file for previews
    workdir: Path = Path(".")  # for intermediate files; the caller cleans it up
    show_progress: bool = True
    inputs_digest: str | None = None  # set by batch planning; recorded in the report
    progress_queue: Any = None  # a worker reports segment progress here instead of drawing a bar
    draft: bool = False  # every segment in the draft voice; outputs named <slug>-draft
    verify: bool = False  # render --verify, or [verify] on in the settings (batch planning decides)


_cancel = threading.local()  # a batch worker's way to hear that the batch was interrupted


def checkpoint() -> None:
    """Raise if this thread's job was cancelled (see batch.render_job); called between
    stages and segments."""
    check = getattr(_cancel, "check", None)
    if check is not None:
        check()


def run(stages: Sequence[Stage], value: Any, timings: dict[str, float] | None = None) -> Any:
    for stage in stages:
        checkpoint()
        started = time.perf_counter()
        log.debug("stage %s", stage.name)
        try:
            value = stage.fn(value)
        except OSError as exc:  # which stage was writing: names the folder when the error names no file
            if not hasattr(exc, "stage"):
                exc.stage = stage.name  # type: ignore[attr-defined]
            raise
        if timings is not None:
            timings[stage.name] = round(time.perf_counter() - started, 3)
    return value


def parse_stage(options: Options) -> Stage:
    def parse(path: Path) -> Script:
        script = load_script(path, settings_for(path, options.config), options.overrides)
        return draft(script) if options.draft else script

    return Stage("parse", parse)


def front_stages(options: Options, speak: bool = True) -> list[Stage]:
    """Script to speech track: shared by render and preview (which speaks the whole episode
    before picking its segment, so the segment reads as it does in the episode)."""
    return [
        *([spoken_stage(options)] if speak else []),
        Stage("synthesize", lambda script: synthesize(
            script, segment_cache(script, options),
            progress=lambda items: _checked(progress(items, script.slug, options.show_progress,
                                                     options.progress_queue)))),
        Stage("speech", lambda rendered: speech_track(rendered, options.workdir / f"{rendered.script.slug}.speech.wav")),
    ]


def episode_stages(options: Options, timings: dict[str, float]) -> list[Stage]:
    """The whole render; `timings` fills in as stages finish and goes into the report."""
    return [
        parse_stage(options),
        Stage("check", check_inputs),
        *front_stages(options),
        Stage("mix", lambda track: mix(track, options.workdir)),
        Stage("master", lambda m: master_stage(m, options.workdir)),
        *verify_stages(options),
        Stage("package", lambda m: package(m, options.output or Path(m.mix.track.script.settings.paths.output),
                                           timings, options.inputs_digest)),
    ]


def verify_stages(options: Options) -> list[Stage]:
    """`render --verify` (or `[verify] on`): listen to the mastered MP3 before packaging it."""
    if not options.verify:
        return []
    from .verify import render_stage

    return [Stage("verify", render_stage(options))]


def preview_stages(options: Options, segment_ref: str | None) -> list[Stage]:
    """The episode's list cut short: one segment, mastered to the episode's loudness, as WAV."""
    pick = [] if segment_ref is None else [Stage("select", lambda s: select_segment(s, segment_ref))]
    return [parse_stage(options), spoken_stage(options), *pick, Stage("check", check_voices),
            Stage("output", lambda script: probe_preview(script, options)), *front_stages(options, speak=False),
            Stage("master", master_preview(options))]


def probe_preview(script: Script, options: Options) -> Script:
    """The preview's folder takes a file, found before any synthesis (OSError naming it otherwise)."""
    from .fsutil import probe_writable

    target = preview_path(script, options)
    if target.is_dir():
        raise IsADirectoryError(21, "is a folder; name a .wav file", str(target))
    probe_writable(target.parent)
    return script


# ---------------------------------------------------------------- stage bodies


def _checked(items):
    for item in items:
        checkpoint()
        yield item


def segment_cache(script: Script, options: Options) -> SegmentCache:
    if script.path == TEXT_PATH and script.settings.paths.cache == "default" and not os.environ.get(ENV):
        return SegmentCache(options.workdir / "cache")  # an audition outside any show: nothing to keep
    # A cache that cannot be written is read through: new speech goes to the work folder.
    return SegmentCache(cache_root(script.settings.paths.cache, script.settings.show_dir, script.path),
                        spill=options.workdir / "uncached")


@contextlib.contextmanager
def naming(script: Script):
    """Errors about a script's inputs name the script."""
    try:
        yield
    except PipelineError as exc:
        if str(script.path) in str(exc):
            raise
        raise type(exc)(f"{script.path}: {exc}") from exc


def lexicons(script: Script) -> dict[str, Lexicon]:
    """Each voice's lexicon: the show's, with the voice's own additions on top.  (The bundled
    technical lexicon comes after both, inside the normalizer.)"""
    show = show_lexicon(script.settings.show_dir)
    out = {}
    for name in script.voices():
        try:
            out[name] = show.merged(load_voice(name, script.settings).lexicon)
        except PipelineError:  # reported by the check stage; `segments` still shows the text
            out[name] = show
    return out


def voice_problems(script: Script) -> list[str]:
    """Why each voice the script names cannot be loaded (for listings that work without them)."""
    problems = []
    for name in sorted(script.voices()):
        try:
            load_voice(name, script.settings)
        except PipelineError as exc:
            problems.append(f"{script.path}: {exc}")
    return problems


def speak_stage(script: Script, cache: spoken.TextCache | None = None) -> Script:
    """The spoken-text stage with the show's lexicon and each voice's additions."""
    return spoken.speak(script, lexicons(script), cache)


def spoken_stage(options: Options) -> Stage:
    """The spoken-text stage of a render or preview: sentences already normalized are in the cache."""
    def run_speak(script: Script) -> Script:
        path = segment_cache(script, options).root / "spoken" / f"{script.slug}.json"
        return speak_stage(script, spoken.TextCache(path))

    return Stage("spoken", run_speak)


def use_tools(settings: Settings) -> None:
    """The ffmpeg the settings choose, probed: what it lacks is found before any synthesis."""
    ffmpeg.use(settings.tools.ffmpeg, settings.show_dir)


def check_voices(script: Script) -> Script:
    with naming(script):
        use_tools(script.settings)
        load_voices(script)
        if script.path != TEXT_PATH:
            SegmentCache(cache_root(script.settings.paths.cache, script.settings.show_dir, script.path)).check()
    return script


def check_inputs(script: Script) -> Script:
    """Everything that can be wrong with the inputs, found before any synthesis time is spent."""
    with naming(script):
        use_tools(script.settings)
        load_voices(script)
        resolve_music("intro", script.settings.music.intro)
        resolve_music("outro", script.settings.music.outro)
        artwork = script.settings.show.artwork
        if artwork not in (None, "none", "default"):
            artwork_mime(Path(artwork))
            check_cover(Path(artwork))  # square, 1400-3000 px, RGB (artwork.py)
        check_publishing(script)
        if script.path != TEXT_PATH:
            SegmentCache(cache_root(script.settings.paths.cache, script.settings.show_dir, script.path)).check()
    return script


def check_publishing(script: Script) -> None:
    """A show with a base URL gets a feed: what the feed needs must be there before synthesis."""
    from .errors import ConfigError
    from .showmeta import feed_problems

    if script.settings.show.base_url and script.path != TEXT_PATH:
        problems = feed_problems(script.settings.show)
        if problems:
            raise ConfigError("; ".join(problems))


def draft(script: Script) -> Script:
    """The draft voice for every segment, and outputs that cannot be mistaken for the real thing."""
    voice = script.settings.speech.draft_voice
    segments = {s.id: dataclasses.replace(s, voice=voice) for s in script.segments}
    settings = script.settings.apply({"speech": {"voice": voice}}, "--draft", None)
    return dataclasses.replace(script.replace_segments(segments), slug=f"{script.slug}-draft", settings=settings)


def select_segment(script: Script, ref: str) -> Script:
    chosen = script.segment(ref)
    segment = dataclasses.replace(chosen, chapter=0, pause_before=0.0)
    chapter = Chapter(0, script.chapters[chosen.chapter].title, (segment,))
    return dataclasses.replace(script, chapters=(chapter,), trailing_pause=0.0)


def text_script(text: str, settings: Settings, voice: str | None) -> Script:
    """A one-segment script for `preview --text`."""
    from .script import Segment, segment_id

    if voice:
        settings = settings.apply({"speech": {"voice": voice}}, "command line", Path.cwd())
    segment = Segment(index=1, id=segment_id(text, {}), chapter=0, source=" ".join(text.split()),
                      voice=settings.speech.voice, line=1)
    if not spoken.spoken_text(segment.source).strip(" .,;:!?-"):
        from .errors import UsageError

        raise UsageError("--text has nothing a voice can say")
    return Script(path=TEXT_PATH, slug=slugify(Path("text")), meta=EpisodeMeta(title="preview"),
                  chapters=(Chapter(0, "Preview", (segment,)),), settings=settings)


def preview_path(script: Script, options: Options) -> Path:
    if options.output is not None:
        return options.output
    segment = script.segments[0]
    return Path(script.settings.paths.output) / f"{script.slug}.preview-{segment.index:03d}.wav"


def master_preview(options: Options) -> Callable[[SpeechTrack], Path]:
    """Master the segment to the episode's target.  Mastered previews are kept
    in the cache beside the speech, keyed by the speech and the master
    settings, so previewing an unchanged segment again is a file copy."""

    def run_master(track: SpeechTrack) -> Path:
        target = preview_path(track.script, options)
        settings = track.script.settings.master
        cache = segment_cache(track.script, options)
        kept = cache.preview_path(track.entry_keys, dataclasses.asdict(settings))
        with atomic_path(target) as tmp:
            if kept.is_file():
                shutil.copyfile(kept, tmp)
                log.info("wrote %s (%.1f s, from the cache)", target, track.duration)
            else:
                result = master(Source.file(track.path, settings), tmp, settings, WAV)
                cache.keep_preview(kept, tmp)
                log.info("wrote %s (%.1f s, %.1f LUFS, %.1f dBTP)", target, track.duration,
                         result.loudness.integrated, result.loudness.true_peak)
        return target

    return run_master
