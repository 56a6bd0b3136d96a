"""The bodies of the stages every list shares (_stages.py assembles them): the script parsed,
drafted or with its pinned takes, its voices loaded and carried, its spoken text, and the
run's segment cache and output folder."""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import logging
import os
from pathlib import Path
from typing import Iterator

from ._config import DEFAULT, settings_for
from ._options import Options
from .errors import PipelineError
from .parse.script import Script, Segment, load_script, segment_id
from .synthesis import takes
from .synthesis.cache import ENV, SegmentCache, cache_root
from .synthesis.engines import Voice
from .synthesis.speech import load_voices
from .synthesis.voices import load_voice
from .text import spoken
from .text.lexicon import Lexicon, show_lexicon

log = logging.getLogger(__name__)

TEXT_PATH = Path("<text>")  # the script of `preview --text`


def parse(path: Path, options: Options) -> Script:
    """The parse stage: the script file with its settings, and the spoken AI disclosure."""
    return spoken_disclosure(load_script(path, settings_for(path, options.config), options.overrides))


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


def pinned(script: Script, drop: bool = False) -> Script:
    """The pins stage: the takes pinned beside the script (`podcast pin`) set on their segments.
    A pin whose segment's text or voice changed is dropped with a warning (from the file too,
    with `drop`: a render)."""
    path = takes.pins_path(script.path)
    pins = takes.load(path, script.path)
    if not pins:
        return script
    by_id = {s.id: s for s in script.segments}
    kept, chosen = {}, {}
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
        chosen[s.id] = dataclasses.replace(s, take=p.take)
    if drop and len(kept) != len(pins):
        takes.save(path, kept, script.path)
    return script.replace_segments(chosen)


def draft(script: Script) -> Script:
    """The draft voice for every segment, and outputs that cannot be mistaken for the real thing."""
    voice = script.settings.speech.draft_voice
    segments = {s.id: dataclasses.replace(s, voice=voice) for s in script.segments}
    settings = script.settings.apply({"speech": {"voice": voice}}, "--draft", None)
    return dataclasses.replace(script.replace_segments(segments), slug=f"{script.slug}-draft", settings=settings)


def with_voices(script: Script, lenient: bool = False) -> Script:
    """The voices stage: every voice the script uses, loaded once (and so checked) and carried
    with the script.  `lenient`: a voice that cannot be loaded is carried as its error instead
    (a listing works without it; a preview needs only its segment's)."""
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
            except PipelineError:  # reported by the preflight; `segments` still shows the text
                pass
        out[name] = show.merged(voice.lexicon) if voice is not None else show
    return out


def voice_problems(script: Script) -> list[str]:
    """Why each voice the script names could not be loaded (for listings that work without them)."""
    return [str(script.voice_errors[name]) for name in sorted(script.voice_errors)]


def speak_stage(script: Script, cache: spoken.TextCache | None = None) -> Script:
    """The spoken-text stage with the show's lexicon and each voice's additions."""
    return spoken.speak(script, lexicons(script), cache)


def speak_cached(script: Script, options: Options) -> Script:
    """The spoken-text stage of a render or preview: sentences already normalized are in the cache."""
    path = segment_cache(script, options).root / "spoken" / f"{script.slug}.json"
    return speak_stage(script, spoken.TextCache(path))


def output_folder(script: Script, options: Options) -> Path:
    """The folder an episode's files go into (and are looked for in): render -o, else paths.output."""
    return options.output_dir or Path(script.settings.paths.output)
