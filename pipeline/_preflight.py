"""The preflight: are the inputs sound before synthesis?  Everything that can be wrong with
a script's inputs (its tools, voices, music, cover, publishing fields and cache), found before
any synthesis time is spent.  Each is a stage body (Script -> the same Script) or a part of one."""

from __future__ import annotations

import logging
from pathlib import Path

from ._bodies import TEXT_PATH, cache_folder, naming, script_voices
from ._config import Settings, is_media_file
from ._showmeta import episode_problems, episode_text_problems
from .errors import ConfigError, ScriptError
from .parse.script import Script
from .publish.artwork import check_cover
from .publish.html import episode_text_warnings, show_text_warnings
from .publish.tags import artwork_mime
from .show.derive import feed_problems
from .sound import ffmpeg
from .sound.music import resolve as resolve_music
from .synthesis.cache import SegmentCache
from .synthesis.engines import engine_class

log = logging.getLogger(__name__)


def use_tools(settings: Settings) -> None:
    """The ffmpeg the settings choose, probed: what it lacks is found before any synthesis."""
    ffmpeg.use(settings.tools.ffmpeg, settings.show_dir).require_formats(settings.master.formats)


def preflight_voices(script: Script) -> Script:
    """The preflight of a preview: the tools, the voices its segments speak in, the cache."""
    with naming(script):
        use_tools(script.settings)
        script_voices(script)  # those the (preview's) segments speak in
        if script.path != TEXT_PATH:
            SegmentCache(cache_folder(script)).require_folder()
    return script


def preflight(script: Script, publishing: bool = True) -> Script:
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
            preflight_publishing(script)
        if script.path != TEXT_PATH:
            SegmentCache(cache_folder(script)).require_folder()
    return script


def models_load(script: Script) -> Script:
    """Each voice's model loaded far enough to know it works (engines that can tell)."""
    with naming(script):
        for voice in script.loaded_voices.values():
            loads = getattr(engine_class(voice.engine), "loads", None)
            if loads is not None:
                loads(voice)
    return script


def preflight_publishing(script: Script) -> None:
    """A show with a base URL gets a feed: what the feed needs must be there before synthesis.
    And what reaches the feed, the tags and the pages (titles, the description, the headings)
    carries no control character, feed or not."""
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
