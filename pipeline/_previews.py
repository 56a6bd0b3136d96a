"""The bodies of the preview stages (_stages.py assembles them): one segment picked, or the
text of `preview --text` made a script; where the WAV goes; the segment mastered to the
episode's loudness; and the takes of `podcast takes`, with their audition page."""

from __future__ import annotations

import dataclasses
import logging
import shutil
from pathlib import Path
from typing import Callable

from ._bodies import TEXT_PATH, segment_cache
from ._config import Settings
from ._fsutil import atomic_path, probe_writable
from ._options import Options
from .errors import PipelineError, UsageError
from .parse.script import Chapter, EpisodeMeta, Script, Segment, segment_id, slugify, text_source
from .publish import audition as page
from .sound.master import WAV, Source, master
from .sound.track import SpeechTrack
from .synthesis import takes
from .synthesis.engines import Voice
from .text import spoken

log = logging.getLogger(__name__)


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


def preview_path(script: Script, options: Options) -> Path:
    if options.preview_file is not None:
        return options.preview_file
    segment = script.segments[0]
    return Path(script.settings.paths.output) / f"{script.slug}.preview-{segment.index:03d}.wav"


def probe_preview(script: Script, options: Options) -> Script:
    """The preview's folder takes a file, found before any synthesis (OSError naming it otherwise)."""
    target = preview_path(script, options)
    if target.is_dir():
        raise IsADirectoryError(21, "is a folder; name a .wav file", str(target))
    probe_writable(target.parent)
    return script


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


def takes_folder(script: Script, chosen: Segment, options: Options) -> tuple[Path, Path]:
    """Where `podcast takes` puts its audition, checked before any synthesis, and the work
    folder its takes are made in (put in place whole at the end: `audition_page`)."""
    folder = options.output_dir or Path(script.settings.paths.output) / f"{script.slug}.takes-{chosen.index:03d}"
    if folder.exists() and not folder.is_dir():
        raise NotADirectoryError(20, "is a file; the takes go into a folder", str(folder))
    page.check_folder(folder, UsageError if options.output_dir else PipelineError)
    probe_writable(folder if folder.is_dir() else folder.parent)
    made = options.workdir / "takes"
    made.mkdir()
    return folder, made


def take_clip(script: Script, chosen: Segment, k: int) -> Script:
    """Take `k` of the chosen segment in its place between the segments around it."""
    i = chosen.index - 1
    around = script.segments[max(0, i - 1) : i + 2]
    segments = tuple(
        dataclasses.replace(s, chapter=0, pause_before=0.0 if n == 0 else s.pause_before)
        if s.id != chosen.id
        else dataclasses.replace(s, chapter=0, pause_before=0.0 if n == 0 else s.pause_before, take=k)
        for n, s in enumerate(around)
    )
    return dataclasses.replace(
        script, chapters=(Chapter(0, script.chapters[chosen.chapter].title, segments),), trailing_pause=0.0
    )


def take(track: SpeechTrack, chosen: Segment, voice: Voice, k: int, wav: Path) -> page.Take:
    """Take `k`, mastered to `wav`, as its audition page shows it."""
    here = next(p for p in track.placed if p.segment.id == chosen.id)
    return page.Take(k, wav, takes.describe(voice, k), here.start, here.duration, chosen.take == k)


def audition_page(
    script: Script, chosen: Segment, made_takes: tuple[page.Take, ...], folder: Path, made: Path, options: Options
) -> Path:
    """The audition page written beside the takes, and the folder put in place."""
    audition = page.Audition(
        script.path,
        script.meta.title,
        chosen.index,
        chosen.text,
        chosen.voice,
        made_takes,
        options.config,
        script.settings.show.language or "en",
    )
    page.write(audition, made)
    page.install(made, folder)
    return folder / page.PAGE
