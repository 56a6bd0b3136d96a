"""The Python API, `pipeline.render`, `pipeline.preview` and `pipeline.speak`: the commands'
work as calls that return values and raise the commands' errors (errors.py) instead of
printing them.  Each runs the stage lists the command runs (_stages.py), not a copy of them.

    import pipeline
    episode = pipeline.render("episodes/my-episode.md", out="public")
    print(episode.mp3, episode.duration, episode.loudness)
"""

from __future__ import annotations

import contextlib
import dataclasses
import types
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, Mapping

import numpy as np

from .. import _facade as facade
from .. import _stages as stages
from .._config import Settings, settings_for
from .._fsutil import atomic_path, work_dir
from .._inputs import collect
from ..errors import ConfigError, PipelineError, UsageError, user_os_error
from ..publish.rendered import ChapterSpan as Chapter  # the public name of a chapter on the timeline
from ..publish.rendered import read_report

__all__ = ["Chapter", "Episode", "Speech", "preview", "render", "speak"]

Overrides = Mapping[str, Mapping[str, Any]]  # {section: {key: value}}, as in podcast.toml


@dataclass(frozen=True)
class Episode:
    """A rendered episode: where its files are and the main facts of its report."""

    mp3: Path
    files: Mapping[str, Path]  # every output by kind: mp3, chapters, vtt, srt, transcript, report, page, ...
    title: str | None
    duration: float  # seconds
    loudness: float | None  # integrated, LUFS, measured on the MP3
    true_peak: float | None  # dBTP
    chapters: tuple[Chapter, ...]  # title, start and end in seconds
    synthesized: int  # segments synthesized by this render (the rest came from the cache)
    from_cache: int
    report: Mapping[str, Any]  # the whole <slug>.report.json
    rendered: bool = True  # False: it was up to date and left as it was (force=True renders it anyway)


@dataclass(frozen=True, eq=False)
class Speech:
    """Text spoken by a voice, unmixed and unmastered: mono samples in -1..1."""

    samples: np.ndarray
    sample_rate: int

    @property
    def duration(self) -> float:
        return len(self.samples) / self.sample_rate

    def write(self, path: str | Path) -> Path:
        """The samples as a 16-bit WAV at `path` (written whole or not at all)."""
        import soundfile

        target = _wav_path(path, "speak")
        with atomic_path(target) as tmp:
            soundfile.write(str(tmp), self.samples, self.sample_rate, subtype="PCM_16", format="WAV")
        return target


def render(
    script: str | Path,
    out: str | Path | None = None,
    *,
    voice: str | None = None,
    draft: bool = False,
    force: bool = False,
    config: str | Path | None = None,
    settings: Overrides | None = None,
) -> Episode:
    """`podcast render SCRIPT [-o OUT] [--voice V] [--draft] [--force] [--config C]`: one episode
    rendered, or left as it is when up to date.  `settings` overrides the show's settings
    ({"master": {"loudness": -19.0}}), as the command's flags do."""
    from ._batch import refresh_site, render_batch, update_feeds

    episodes = [Path(script)]
    if episodes[0].is_dir() or collect(episodes) != episodes:  # `podcast render` takes folders and patterns
        raise UsageError("render() takes one episode script, not a folder or a pattern", file=episodes[0])
    options = _options(config, voice, settings, draft=draft, output_dir=None if out is None else Path(out))
    outcomes = render_batch(episodes, options, jobs_n=1, force=force)
    outcome = outcomes[0]
    if outcome.status == "failed":  # as the command raises it
        raise outcome.failure or PipelineError("failed")
    site_error = None if draft else refresh_site(outcomes, options.config)
    feed_error = update_feeds(outcomes, options)
    if site_error or feed_error:
        raise PipelineError("; ".join(filter(None, (site_error, feed_error))))
    assert outcome.output is not None  # a rendered or up-to-date episode names its MP3
    return _episode(Path(outcome.output), rendered=outcome.status == "rendered")


def preview(
    script: str | Path,
    segment: int | str,
    out: str | Path | None = None,
    *,
    voice: str | None = None,
    draft: bool = False,
    config: str | Path | None = None,
    settings: Overrides | None = None,
) -> Path:
    """`podcast preview SCRIPT SEGMENT [-o OUT.wav]`: one segment (1-based index or id), mastered
    to the episode's loudness, as a WAV; returns its path."""
    target = None if out is None else _wav_path(out, "preview")
    with _user_errors(), work_dir() as tmp:
        options = dataclasses.replace(_options(config, voice, settings, draft=draft), preview_file=target, workdir=tmp)
        try:
            path: Path = stages.run(stages.preview_stages(options, str(segment)), Path(script))
        finally:
            facade.release_leases()
    return path


def speak(
    text: str, voice: str | None = None, out: str | Path | None = None, *, config: str | Path | None = None
) -> Speech:
    """`text` read as a script's paragraph is (normalized to spoken text) by `voice` (default: the
    settings' voice), neither mixed nor mastered; also written to `out` (a .wav) when given."""
    target = None if out is None else _wav_path(out, "speak")
    with _user_errors(), work_dir() as tmp:
        options = stages.Options(config=_path(config), workdir=tmp, show_progress=False)
        try:
            script = facade.text_script(text, settings_for(None, options.config), voice)
            script = dataclasses.replace(script, loaded_voices=facade.script_voices(script))
            track = stages.run(stages.front_stages(options), facade.preflight_voices(script))
        finally:
            facade.release_leases()
        import soundfile

        samples, rate = soundfile.read(str(track.path), dtype="float32")
    samples.flags.writeable = False
    speech = Speech(samples, int(rate))
    if target is not None:
        speech.write(target)
    return speech


# ---------------------------------------------------------------- helpers


def _path(value: str | Path | None) -> Path | None:
    return None if value is None else Path(value)


def _options(
    config: str | Path | None,
    voice: str | None,
    settings: Overrides | None,
    *,
    draft: bool,
    output_dir: Path | None = None,
) -> stages.Options:
    """The command's options from the call's arguments; a setting that cannot be used is bad
    usage (UsageError), as a flag's value is."""
    overrides: dict[str, dict[str, Any]] = {}
    for section, items in (settings or {}).items():
        if not isinstance(items, Mapping):
            raise UsageError(f"settings: [{section}] must be a table of settings")
        overrides[section] = dict(items)
    if voice is not None:
        overrides.setdefault("speech", {})["voice"] = voice
    try:
        Settings().apply(overrides, "settings", Path("."))
    except ConfigError as exc:
        raise UsageError(str(exc)) from None
    return stages.Options(
        config=_path(config), overrides=overrides, output_dir=output_dir, show_progress=False, draft=draft
    )


def _wav_path(path: str | Path, what: str) -> Path:
    target = Path(path)
    if target.suffix.lower() != ".wav":
        raise UsageError(f"{what} writes WAV; name the file .wav", file=target)
    return target


@contextlib.contextmanager
def _user_errors() -> Iterator[None]:
    """An OSError the user can fix (a full disk, a read-only folder) as the command words it:
    a PipelineError naming the file; anything else goes up as it is."""
    try:
        yield
    except OSError as exc:
        err = user_os_error(exc)
        if err is None:
            raise
        raise err from None


def _episode(mp3: Path, rendered: bool) -> Episode:
    """The Episode as its report on disk tells it (the report checked by publish/rendered.py)."""
    path = mp3.with_name(f"{mp3.stem}.report.json")
    checked = read_report(path)
    data = checked.data
    loudness = data.get("loudness") or {}
    synthesis = data.get("synthesis") or {}
    return Episode(
        mp3=mp3,
        files=types.MappingProxyType({kind: path.parent / name for kind, name in checked.outputs.items()}),
        title=checked.title,
        duration=checked.duration,
        loudness=loudness.get("integrated_lufs"),
        true_peak=loudness.get("true_peak_dbtp"),
        chapters=checked.chapters,
        synthesized=int(synthesis.get("synthesized") or 0),
        from_cache=int(synthesis.get("from_cache") or 0),
        report=types.MappingProxyType(data),
        rendered=rendered,
    )
