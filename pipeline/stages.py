"""The pipeline as a visible, ordered list of stages.

Each stage is a function from one frozen value to the next:

    path -> Script -> Script (checked) -> Script (spoken) -> Rendered
         -> SpeechTrack -> Mix -> Mastered -> Episode

Every list of stages the commands run is assembled here and nowhere else:

    render_stages        the whole render (draft_stages: the same in the draft voice)
    preview_stages       one segment, cut short before the music, mastered to WAV
    preview_text_stages  the same for `preview --text`
    check_stages         parse and check the inputs (batch planning)
    listing_stages       parse and speak, a broken voice no obstacle (`segments`, `cache prune --unused`, `verify`)
    parse_stages         parse, the voices loaded leniently (`check`, which then runs `lint_stages`)
    remaster_stages      a spoken script mastered again from the cache (after `render --verify` repaired it)

Voices are loaded once, by the `voices` stage, and travel with the script
(`Script.loaded_voices`); in a listing, a preview or `check` the stage is lenient:
a voice that cannot be loaded is kept as its error (`Script.voice_errors`), raised by
the check stage that needs it.  `run()` times every stage for the render report.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import logging
import os
import shutil
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping, Sequence, TypeVar

from .config import DEFAULT, Settings, is_media_file, settings_for
from .errors import ConfigError, PipelineError, ScriptError, UsageError
from .fsutil import atomic_path, probe_writable
from .parse.script import Chapter, EpisodeMeta, Script, Segment, load_script, segment_id, slugify, text_source
from .publish.artwork import check_cover
from .publish.package import mastered_timeline, package
from .publish.tags import artwork_mime
from .sound import ffmpeg
from .sound.master import WAV, Source, master, master_stage
from .sound.mix import mix
from .sound.music import resolve as resolve_music
from .sound.track import SpeechTrack
from .synthesis import takes
from .synthesis.assemble import speech_track
from .synthesis.cache import ENV, SegmentCache, cache_root, show_cache_root
from .synthesis.cache import release_leases as _release_leases
from .synthesis.engines import Voice, engine_class
from .synthesis.speech import cache_key, load_voices, synthesize, track_sample_rate
from .synthesis.speech import share_cores as _share_cores
from .synthesis.voices import available_voice_names, load_voice
from .text import spoken
from .text.lexicon import Lexicon, show_lexicon

log = logging.getLogger(__name__)
T = TypeVar("T")

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
    output_dir: Path | None = None  # render -o: the folder for the outputs (default: paths.output)
    preview_file: Path | None = None  # preview -o: the WAV to write
    workdir: Path = Path(".")  # for intermediate files; the caller cleans it up
    show_progress: bool = True
    inputs_digest: str | None = None  # set by batch planning; recorded in the report
    draft: bool = False  # every segment in the draft voice; outputs named <slug>-draft
    verify: bool = False  # render --verify, or [verify] on in the settings (batch planning decides)
    # Wraps the segments being synthesized: (items, episode slug) -> the same items, reporting
    # progress as they pass (the command layer's bar or queue; the pipeline draws nothing).
    progress: Callable[[Iterable[Any], str], Iterable[Any]] | None = None


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
        return spoken_disclosure(load_script(path, settings_for(path, options.config), options.overrides))

    return Stage("parse", parse)


def spoken_disclosure(script: Script) -> Script:
    """show.ai_disclosure_spoken: the AI-disclosure line (show.ai_disclosure_line) said apart
    from the music, in the show's voice: "start", before the intro (in the first chapter);
    "end", after the outro has finished (in the last chapter).  A segment like any other:
    cached, in the transcripts, listed by `podcast segments`; the mix places it."""
    show = script.settings.show
    where, text = show.ai_disclosure_spoken, " ".join(show.ai_disclosure_line.split())
    if where == "none" or not text or script.path == TEXT_PATH or not script.segments:
        return script
    seen: dict[str, int] = {}
    for s in script.segments:
        segment_id(s.source, seen)
    first, last = script.segments[0], script.segments[-1]
    voice = script.settings.speech.voice
    if where == "start":
        line = Segment(1, segment_id(text, seen), 0, text, voice, first.line, apart=True)
        shifted = [dataclasses.replace(s, index=s.index + 1) for s in script.segments]
        chapters = list(script.chapters)
        for i, c in enumerate(chapters):
            mine = tuple(s for s in shifted if s.chapter == c.index)
            chapters[i] = dataclasses.replace(c, segments=((line,) if i == 0 else ()) + mine)
    else:
        line = Segment(last.index + 1, segment_id(text, seen), last.chapter, text, voice, last.line, apart=True)
        chapters = list(script.chapters)
        chapters[-1] = dataclasses.replace(chapters[-1], segments=(*chapters[-1].segments, line))
    return dataclasses.replace(script, chapters=tuple(chapters))


def _parsed(options: Options, drop_pins: bool = False) -> list[Stage]:
    """Parse, then (with --draft) the draft voice for every segment, else the pinned takes."""
    return [parse_stage(options), Stage("draft", draft) if options.draft else pins_stage(drop_pins)]


def pins_stage(drop: bool = False) -> Stage:
    """The takes pinned beside the script (`podcast pin`) set on their segments.  A pin whose
    segment's text or voice changed is dropped with a warning (from the file too, with `drop`:
    a render)."""

    def pin(script: Script) -> Script:
        path = takes.pins_path(script.path)
        pins = takes.load(path, script.path)
        if not pins:
            return script
        by_id = {s.id: s for s in script.segments}
        kept, pinned = {}, {}
        for p in pins.values():
            s = by_id.get(p.id)
            if s is None or s.voice != p.voice:
                log.warning(
                    "%s: the pinned take %d of segment %d is dropped: the segment's %s changed",
                    path,
                    p.take,
                    p.segment,
                    "text" if s is None else "voice",
                )
                continue
            kept[p.id] = p
            pinned[s.id] = dataclasses.replace(s, take=p.take)
        if drop and len(kept) != len(pins):
            takes.save(path, kept, script.path)
        return script.replace_segments(pinned)

    return Stage("pins", pin)


def voices_stage(lenient: bool = False) -> Stage:
    """Every voice the script uses, loaded once (and so checked) and carried with the script.
    `lenient`: a voice that cannot be loaded is carried as its error instead (a listing works
    without it; a preview needs only its segment's)."""

    def load(script: Script) -> Script:
        if not lenient:
            with naming(script):
                return dataclasses.replace(script, loaded_voices=load_voices(script))
        loaded, failed = {}, {}
        for name in script.voices():
            try:
                with naming(script):
                    loaded[name] = load_voice(name, script.settings)
            except PipelineError as exc:
                failed[name] = exc
        return dataclasses.replace(script, loaded_voices=loaded, voice_errors=failed)

    return Stage("voices", load)


def _progress(options: Options, slug: str) -> Callable[[Iterable[Any]], Iterable[Any]]:
    def wrap(items: Iterable[Any]) -> Iterable[Any]:
        return _checked(options.progress(items, slug) if options.progress else items)

    return wrap


def front_stages(options: Options, speak: bool = True) -> list[Stage]:
    """Script to speech track: shared by render and preview (which speaks the whole episode
    before picking its segment, so the segment reads as it does in the episode)."""
    return [
        *([spoken_stage(options)] if speak else []),
        Stage(
            "synthesize",
            lambda script: synthesize(
                script,
                segment_cache(script, options),
                progress=_progress(options, script.slug),
                voices=dict(script.loaded_voices) or None,
            ),
        ),
        Stage(
            "speech", lambda rendered: speech_track(rendered, options.workdir / f"{rendered.script.slug}.speech.wav")
        ),
    ]


# ---------------------------------------------------------------- the lists


def parse_stages(options: Options) -> list[Stage]:
    """The script parsed (and drafted with --draft), with the voices that load: what `podcast
    check` lints (its text with those voices' lexicons, even when another voice is broken)."""
    return [*_parsed(options), voices_stage(lenient=True)]


def listing_stages(options: Options) -> list[Stage]:
    """Parsed and spoken, the voices loaded leniently (a listing is useful even when one is missing)."""
    return [*_parsed(options), voices_stage(lenient=True), Stage("spoken", speak_stage)]


def check_stages(options: Options) -> list[Stage]:
    """Everything that can be wrong with the inputs, before any synthesis (batch planning)."""
    return [*_parsed(options, drop_pins=True), *inputs_stages()]


def inputs_stages() -> list[Stage]:
    """A parsed script's voices loaded and its inputs checked (input: a Script)."""
    return [voices_stage(), Stage("check", check_inputs)]


def lint_stages() -> list[Stage]:
    """What `podcast check` runs on that script: the inputs (a voice that did not load first),
    and each voice's model itself."""
    return [Stage("check", functools.partial(check_inputs, publishing=False)), Stage("models", verify_models)]


def render_stages(options: Options, timings: dict[str, float]) -> list[Stage]:
    """The whole render; `timings` fills in as stages finish and goes into the report."""
    return [
        *check_stages(options),
        *front_stages(options),
        *_mix_master(options),
        *verify_stages(options),
        Stage(
            "package",
            lambda m: package(m, output_folder(m.mix.track.script, options), timings, options.inputs_digest),
        ),
    ]


def verify_stages(options: Options) -> list[Stage]:
    """`render --verify` (or `[verify] on`): listen to the mastered MP3 before packaging it."""
    if not options.verify:
        return []
    from .publish.verify import render_stage

    remaster = remaster_stages(options)
    return [
        Stage(
            "verify", render_stage(mastered_timeline, lambda s: segment_cache(s, options), lambda s: run(remaster, s))
        )
    ]


def remaster_stages(options: Options) -> list[Stage]:
    """A spoken script to a mastered episode again, from the cache: after a verification kept
    a better take of a segment (input: the Script)."""
    return [*front_stages(options, speak=False), *_mix_master(options)]


def _mix_master(options: Options) -> list[Stage]:
    return [
        Stage("mix", lambda track: mix(track, options.workdir)),
        Stage("master", lambda m: master_stage(m, options.workdir)),
    ]


def draft_stages(options: Options, timings: dict[str, float]) -> list[Stage]:
    """The render in the draft voice (eSpeak NG), outputs named <slug>-draft."""
    return render_stages(dataclasses.replace(options, draft=True), timings)


def episode_stages(options: Options, timings: dict[str, float]) -> list[Stage]:
    """The render the options ask for: `draft_stages` with --draft, else `render_stages`."""
    return draft_stages(options, timings) if options.draft else render_stages(options, timings)


def _preview_tail(options: Options, pick: list[Stage]) -> list[Stage]:
    # The voices before the spoken text, which uses their lexicons; a voice that does not
    # load stops the preview only when the chosen segment is in it (the check stage).
    return [
        voices_stage(lenient=True),
        spoken_stage(options),
        *pick,
        Stage("check", check_voices),
        Stage("output", lambda script: probe_preview(script, options)),
        *front_stages(options, speak=False),
        Stage("master", master_preview(options)),
    ]


def preview_stages(options: Options, segment_ref: str) -> list[Stage]:
    """The episode's list cut short: one segment, mastered to the episode's loudness, as WAV."""
    return [*_parsed(options), *_preview_tail(options, [Stage("select", lambda s: select_segment(s, segment_ref))])]


def preview_text_stages(options: Options, voice: str | None) -> list[Stage]:
    """`preview --text`: the text as a one-segment script, then as a preview (input: the text)."""
    parse = Stage("parse", lambda text: text_script(text, settings_for(None, options.config), voice))
    return [parse, *([Stage("draft", draft)] if options.draft else []), *_preview_tail(options, [])]


MAX_TAKE = takes.MAX_TAKE  # for the command layer's checks


def takes_stages(options: Options, segment_ref: str, count: int) -> list[Stage]:
    """`podcast takes`: the episode spoken, then takes 0..count of one segment, each mastered in
    its place between the segments around it, and the audition page (input: the episode path)."""
    return [
        *_parsed(options),
        voices_stage(lenient=True),
        spoken_stage(options),
        Stage("check", check_voices),
        Stage("takes", lambda script: audition(script, segment_ref, count, options)),
    ]


def audition(script: Script, segment_ref: str, count: int, options: Options) -> Path:
    from .publish import audition as page

    chosen = script.segment(segment_ref)
    voice = script_voices(script)[chosen.voice]
    folder = options.output_dir or Path(script.settings.paths.output) / f"{script.slug}.takes-{chosen.index:03d}"
    if folder.exists() and not folder.is_dir():
        raise NotADirectoryError(20, "is a file; the takes go into a folder", str(folder))
    page.check_folder(folder, UsageError if options.output_dir else PipelineError)
    probe_writable(folder if folder.is_dir() else folder.parent)
    made = options.workdir / "takes"  # put in place whole at the end (page.install)
    made.mkdir()
    i = chosen.index - 1
    around = script.segments[max(0, i - 1) : i + 2]
    made_takes = []
    for k in range(count + 1):
        segments = tuple(
            dataclasses.replace(s, chapter=0, pause_before=0.0 if n == 0 else s.pause_before)
            if s.id != chosen.id
            else dataclasses.replace(s, chapter=0, pause_before=0.0 if n == 0 else s.pause_before, take=k)
            for n, s in enumerate(around)
        )
        clip = dataclasses.replace(
            script, chapters=(Chapter(0, script.chapters[chosen.chapter].title, segments),), trailing_pause=0.0
        )
        wav = made / f"take-{k}.wav"
        track = run(front_stages(dataclasses.replace(options, preview_file=wav), speak=False), clip)
        master_preview(dataclasses.replace(options, preview_file=wav))(track)
        here = next(p for p in track.placed if p.segment.id == chosen.id)
        made_takes.append(page.Take(k, wav, takes.describe(voice, k), here.start, here.duration, chosen.take == k))
    audition = page.Audition(
        script.path,
        script.meta.title,
        chosen.index,
        chosen.text,
        chosen.voice,
        tuple(made_takes),
        options.config,
        script.settings.show.language or "en",
    )
    page.write(audition, made)
    page.install(made, folder)
    return folder / page.PAGE


def pin(path: Path, options: Options, segment_ref: str | None, take: int | None) -> str:
    """`podcast pin`: keep take `take` of a segment (None: clear that segment's pin, or every pin
    when `segment_ref` is None too).  Returns what was done, in words."""
    script = run([parse_stage(options)], path)
    where = takes.pins_path(script.path)
    pins = takes.load(where, script.path)
    if segment_ref is None:
        takes.save(where, {})
        return f"cleared {len(pins)} pinned take(s) of {script.path}"
    segment = script.segment(segment_ref)
    if take is None:
        had = pins.pop(segment.id, None)
        takes.save(where, pins, script.path)
        return f"segment {segment.index}: " + (f"take {had.take} unpinned" if had else "had no pinned take")
    pins[segment.id] = takes.Pin(segment.id, segment.voice, take, segment.index)
    takes.save(where, pins, script.path)
    return f"segment {segment.index}: take {take} pinned in {where}"


# ---------------------------------------------------------------- a small public API for the command layer


def show_cache(settings: Settings) -> SegmentCache:
    """The segment cache of the show whose settings these are (for `podcast cache`)."""
    return SegmentCache(show_cache_root(settings))


def release_leases() -> None:
    """Let a concurrent `cache prune` have what this process's renders were using."""
    _release_leases()


def share_cores(budget: Any) -> None:
    """This process speaks sentences only while holding one of `budget`'s tokens (a local
    batch's semaphore, one token per core; see synthesis.speech.share_cores)."""
    _share_cores(budget)


def voice_rows(settings: Settings) -> list[dict[str, Any]]:
    """One row per voice available to these settings (for `podcast voices`)."""
    rows = []
    for name in available_voice_names(settings):
        row: dict[str, Any] = {"name": name}
        try:
            voice = load_voice(name, settings)
            row.update(
                engine=voice.engine,
                language=voice.language,
                gender=voice.gender,
                description=voice.description,
                license=voice.license,
                **engine_class(voice.engine).describe(voice),
                available=True,
            )
        except PipelineError as exc:
            row.update(available=False, problem=str(exc))
        rows.append(row)
    return rows


def cache_keys(script: Script, cache: SegmentCache | None = None) -> set[str]:
    """The segment-cache keys a spoken script's render uses (what `cache prune --unused` keeps):
    each segment's first take and, with the `cache` that records them, the take a verification chose."""
    voices = script_voices(script)
    rate = track_sample_rate(script, voices)
    keys = set()
    for s in script.segments:
        first = cache_key(s, voices[s.voice], rate)
        keys.add(first)
        if s.take is not None:  # pinned
            keys.add(cache_key(s, takes.take_voice(voices[s.voice], s.take), rate, s.take))
        elif cache is not None:
            keys.add(cache_key(s, voices[s.voice], rate, cache.chosen_take(first)))
    return keys


def report_page(path: Path, options: Options) -> Path:
    """`podcast report`: the report page of a rendered episode written again (input: its script,
    whose report is in the output folder, or the `<slug>.report.json` itself)."""
    from .publish import report_page as page

    if path.name.endswith(".report.json"):
        use_tools(settings_for(path.parent, options.config))
        return page.rebuild(path)  # its fields checked there: one line naming the key otherwise
    script = run([parse_stage(options)], path)
    with naming(script):
        use_tools(script.settings)
        return page.rebuild(output_folder(script, options) / f"{script.slug}.report.json")


def probe_preview(script: Script, options: Options) -> Script:
    """The preview's folder takes a file, found before any synthesis (OSError naming it otherwise)."""
    target = preview_path(script, options)
    if target.is_dir():
        raise IsADirectoryError(21, "is a folder; name a .wav file", str(target))
    probe_writable(target.parent)
    return script


# ---------------------------------------------------------------- stage bodies


def _checked(items: Iterable[T]) -> Iterator[T]:
    for item in items:
        checkpoint()
        yield item


def segment_cache(script: Script, options: Options) -> SegmentCache:
    """The run's segment cache: one object for every stage of a run (the work folder tells
    runs apart), so what it learns (that it cannot be written) it learns, and says, once."""
    if script.path == TEXT_PATH and script.settings.paths.cache == DEFAULT and not os.environ.get(ENV):
        return _run_cache(options.workdir / "cache", None)  # an audition outside any show: nothing to keep
    # A cache that cannot be written is read through: new speech goes to the work folder.
    return _run_cache(cache_folder(script), options.workdir / "uncached")


@functools.lru_cache(maxsize=16)
def _run_cache(root: Path, spill: Path | None) -> SegmentCache:
    return SegmentCache(root, spill=spill)


def cache_folder(script: Script) -> Path:
    """The one way to find a script's segment cache (see `cache.cache_root`)."""
    return cache_root(script.settings.paths.cache, script.settings.show_dir, script.path)


@contextlib.contextmanager
def naming(script: Script) -> Iterator[None]:
    """Errors about a script's inputs name the script, as data: the file where they name none,
    else `within` (an error about a voice's or the cache's file keeps that file)."""
    try:
        yield
    except PipelineError as exc:
        exc.during(script.path)
        raise


def script_voices(script: Script) -> dict[str, Voice]:
    """The script's voices as its `voices` stage loaded them (loaded now where none ran);
    one that could not be loaded raises its error."""
    for name in script.voices():
        if name in script.voice_errors:
            raise script.voice_errors[name]
    if all(name in script.loaded_voices for name in script.voices()):
        return dict(script.loaded_voices)
    with naming(script):
        return load_voices(script)


def lexicons(script: Script) -> dict[str, Lexicon]:
    """Each voice's lexicon: the show's, with the voice's own additions on top.  (The bundled
    technical lexicon comes after both, inside the normalizer.)"""
    show = show_lexicon(script.settings.show_dir)
    out = {}
    for name in script.voices():
        voice = script.loaded_voices.get(name)
        if voice is None and name not in script.voice_errors:  # no `voices` stage ran
            try:
                voice = load_voice(name, script.settings)
            except PipelineError:  # reported by the check stage; `segments` still shows the text
                pass
        out[name] = show.merged(voice.lexicon) if voice is not None else show
    return out


def voice_problems(script: Script) -> list[str]:
    """Why each voice the script names could not be loaded (for listings that work without them)."""
    return [str(script.voice_errors[name]) for name in sorted(script.voice_errors)]


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
    ffmpeg.use(settings.tools.ffmpeg, settings.show_dir).require_formats(settings.master.formats)


def check_voices(script: Script) -> Script:
    with naming(script):
        use_tools(script.settings)
        script_voices(script)  # those the (preview's) segments speak in
        if script.path != TEXT_PATH:
            SegmentCache(cache_folder(script)).check()
    return script


def check_inputs(script: Script, publishing: bool = True) -> Script:
    """Everything that can be wrong with the inputs, found before any synthesis time is spent
    (`podcast check` lists the publishing rules one by one itself: publishing=False)."""
    with naming(script):
        use_tools(script.settings)
        script_voices(script)
        resolve_music("intro", script.settings.music.intro)
        resolve_music("outro", script.settings.music.outro)
        artwork = script.settings.show.artwork
        if is_media_file(artwork):
            artwork_mime(Path(artwork))
            check_cover(Path(artwork))  # square, 1400-3000 px, RGB (artwork.py)
        if publishing:
            check_publishing(script)
        if script.path != TEXT_PATH:
            SegmentCache(cache_folder(script)).check()
    return script


def verify_models(script: Script) -> Script:
    """Each voice's model loaded far enough to know it works (engines that can tell)."""
    with naming(script):
        for voice in script.loaded_voices.values():
            verify = getattr(engine_class(voice.engine), "verify", None)
            if verify is not None:
                verify(voice)
    return script


def check_publishing(script: Script) -> None:
    """A show with a base URL gets a feed: what the feed needs must be there before synthesis.
    And what reaches the feed, the tags and the pages (titles, the description, the headings)
    carries no control character, feed or not."""
    from .publish.html import episode_text_warnings, show_text_warnings
    from .show.derive import feed_problems
    from .showmeta import episode_problems, episode_text_problems

    if script.path == TEXT_PATH:
        return
    for warning in episode_text_warnings(script.meta):
        log.warning("%s: %s", script.path, warning)
    for warning in show_text_warnings(script.settings.show):
        log.warning("%s: %s", script.settings.config_file or script.path, warning)
    problems = episode_text_problems(script.meta, [c.title for c in script.chapters])
    if problems:
        raise ScriptError(script.path, "; ".join(problems))
    if script.settings.show.base_url:
        problems = feed_problems(script.settings.show) + episode_problems(script.meta, script.settings.show)
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
    """A one-segment script for `preview --text`: the text read as a script's paragraph is
    (markup, comments and `[pause]` marks are not words to say)."""
    if voice:
        settings = settings.apply({"speech": {"voice": voice}}, "command line", Path.cwd())
    source = text_source(text)
    if source is None or not spoken.spoken_text(source).strip(" .,;:!?-"):
        raise UsageError("--text has nothing a voice can say")
    segment = Segment(index=1, id=segment_id(source, {}), chapter=0, source=source, voice=settings.speech.voice, line=1)
    return Script(
        path=TEXT_PATH,
        slug=slugify(Path("text")),
        meta=EpisodeMeta(title="preview"),
        chapters=(Chapter(0, "Preview", (segment,)),),
        settings=settings,
    )


def output_folder(script: Script, options: Options) -> Path:
    """The folder an episode's files go into (and are looked for in): render -o, else paths.output."""
    return options.output_dir or Path(script.settings.paths.output)


def preview_path(script: Script, options: Options) -> Path:
    if options.preview_file is not None:
        return options.preview_file
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
                log.info(
                    "wrote %s (%.1f s, %.1f LUFS, %.1f dBTP)",
                    target,
                    track.duration,
                    result.loudness.integrated,
                    result.loudness.true_peak,
                )
        return target

    return run_master
