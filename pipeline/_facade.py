"""The small API the command layer uses besides the stage lists and `run` (_stages.py): the
app/ modules run the pipeline through these two modules only (ARCHITECTURE.md, rule 2)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from . import _stages as stages
from ._bodies import cache_folder as cache_folder
from ._bodies import lexicons as lexicons
from ._bodies import naming
from ._bodies import output_folder as output_folder
from ._bodies import script_voices as script_voices
from ._bodies import voice_problems as voice_problems
from ._config import Settings, settings_for
from ._options import Options
from ._preflight import preflight_voices as preflight_voices
from ._preflight import use_tools
from ._previews import text_script as text_script
from .errors import PipelineError
from .parse.script import Script
from .publish import report_page as page
from .synthesis import takes
from .synthesis.cache import SegmentCache, show_cache_root
from .synthesis.cache import release_leases as release_leases
from .synthesis.engines import engine_class
from .synthesis.speech import cache_key, track_sample_rate
from .synthesis.speech import share_cores as share_cores
from .synthesis.voices import available_voice_names, load_voice

MAX_TAKE = takes.MAX_TAKE  # for the command layer's checks


def show_cache(settings: Settings) -> SegmentCache:
    """The segment cache of the show whose settings these are (for `podcast cache`)."""
    return SegmentCache(show_cache_root(settings))


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
    if path.name.endswith(".report.json"):
        use_tools(settings_for(path.parent, options.config))
        return page.rebuild(path)  # its fields checked there: one line naming the key otherwise
    script = stages.run(stages.parse_only_stages(options), path)
    with naming(script):
        use_tools(script.settings)
        return page.rebuild(output_folder(script, options) / f"{script.slug}.report.json")


def pin(path: Path, options: Options, segment_ref: str | None, take: int | None) -> str:
    """`podcast pin`: keep take `take` of a segment (None: clear that segment's pin, or every pin
    when `segment_ref` is None too).  Returns what was done, in words."""
    script = stages.run(stages.parse_only_stages(options), path)
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
