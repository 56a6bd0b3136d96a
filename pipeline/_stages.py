"""The pipeline as a visible, ordered list of stages.

Each stage is a function from one frozen value to the next:

    path -> Script -> Script (preflight) -> Script (spoken) -> Rendered
         -> SpeechTrack -> Mix -> Mastered -> (Listened -> Retaken -> Verified) -> Episode

Every list of stages the commands run is assembled here and nowhere else:

    render_stages        the whole render (draft_stages: the same in the draft voice); its last
                         part, finish_stages, packages the master (listened to first with --verify)
    preview_stages       one segment, cut short before the music, mastered to WAV
    preview_text_stages  the same for `preview --text`
    preflight_stages     parse, and the preflight: the inputs sound before synthesis (batch planning)
    listing_stages       parse and speak, a broken voice no obstacle (`segments`, `cache prune --unused`)
    verify_rendered_stages  the listing, then the rendered MP3 heard (`podcast verify`)
    parse_stages         parse, the voices loaded leniently (`check`, which then runs `lint_stages`)
    parse_only_stages    the script parsed, nothing more (`pin`, `report`)
    remaster_stages      a spoken script mastered again from the cache (after `render --verify` repaired it)

A `Stage[A, B]` takes an A to a B; a list is a `Stages[A, B]`, joined with `+` only where
one's output is the next one's input (mypy checks every join), so `run` of a
`Stages[Path, Episode]` on a path returns an Episode.  The bodies live beside this module:
`bodies` (those every list shares), `preflight` (the inputs sound before synthesis), `previews`.

Voices are loaded once, by the `voices` stage, and travel with the script
(`Script.loaded_voices`); in a listing, a preview or `check` the stage is lenient:
a voice that cannot be loaded is kept as its error (`Script.voice_errors`), raised by
the preflight stage that needs it.  `run()` times every stage for the render report.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Generic, Iterable, Iterator, Sequence, TypeVar, overload

from ._bodies import (
    draft,
    output_folder,
    parse,
    pinned,
    script_voices,
    segment_cache,
    speak_cached,
    speak_stage,
    with_voices,
)
from ._config import settings_for
from ._heard import heard
from ._options import Options as Options
from ._preflight import models_load, preflight, preflight_voices
from ._previews import (
    audition_page,
    master_preview,
    probe_preview,
    select_segment,
    take,
    take_clip,
    takes_folder,
    text_script,
)
from .parse.script import Script
from .publish.package import Episode, package
from .sound.master import Mastered, master_stage
from .sound.mix import Mix, mix
from .sound.track import SpeechTrack
from .synthesis.assemble import speech_track
from .synthesis.speech import Rendered, synthesize
from .verify.doc import Verification, Verified
from .verify.retake import Listened, Retaken, conclude, listen_mastered, remastered, retake

log = logging.getLogger(__name__)
T = TypeVar("T")
A = TypeVar("A")
B = TypeVar("B")
C = TypeVar("C")


@dataclass(frozen=True)
class Stage(Generic[A, B]):
    """One named step: a function from one frozen value to the next."""

    name: str
    fn: Callable[[A], B]

    def __add__(self, other: Stage[B, C] | Stages[B, C]) -> Stages[A, C]:
        return Stages[A, B]((self,)) + other


@dataclass(frozen=True)
class Stages(Generic[A, B]):
    """Stages in order, taking an A to a B.  `+` appends a stage or list that takes this
    one's B.  The one `Any` of the typing: the values between the stages of a list, each of
    whose types mypy checked when the list was joined."""

    items: tuple[Stage[Any, Any], ...] = ()

    def __add__(self, other: Stage[B, C] | Stages[B, C]) -> Stages[A, C]:
        return Stages(self.items + ((other,) if isinstance(other, Stage) else other.items))

    def __iter__(self) -> Iterator[Stage[Any, Any]]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


def nothing() -> Stages[T, T]:
    """No stages: a value passes unchanged (where a stage is left out)."""
    return Stages()


_cancel = threading.local()  # a batch worker's way to hear that the batch was interrupted


def checkpoint() -> None:
    """Raise if this thread's job was cancelled (see batch.render_job); called between
    stages and segments."""
    check = getattr(_cancel, "check", None)
    if check is not None:
        check()


@overload
def run(stages: Stage[A, B] | Stages[A, B], value: A, timings: dict[str, float] | None = None) -> B: ...
@overload
def run(stages: Sequence[Stage[Any, Any]], value: Any, timings: dict[str, float] | None = None) -> Any: ...
def run(stages: Any, value: Any, timings: dict[str, float] | None = None) -> Any:
    """The stages in order on `value` (a hand-made list of stages too: tests, scripts)."""
    for stage in (stages,) if isinstance(stages, Stage) else stages:
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


# ---------------------------------------------------------------- the stages


def parse_stage(options: Options) -> Stage[Path, Script]:
    return Stage("parse", functools.partial(parse, options=options))


def pins_stage(drop: bool = False) -> Stage[Script, Script]:
    """The takes pinned beside the script (`podcast pin`) set on their segments (_bodies.pinned)."""
    return Stage("pins", functools.partial(pinned, drop=drop))


def voices_stage(lenient: bool = False) -> Stage[Script, Script]:
    """Every voice the script uses, loaded once and carried with the script (_bodies.with_voices)."""
    return Stage("voices", functools.partial(with_voices, lenient=lenient))


def spoken_stage(options: Options) -> Stage[Script, Script]:
    """The spoken-text stage of a render or preview: sentences already normalized are in the cache."""
    return Stage("spoken", functools.partial(speak_cached, options=options))


def _checked(items: Iterable[T]) -> Iterator[T]:
    for item in items:
        checkpoint()
        yield item


def _progress(options: Options, slug: str) -> Callable[[Iterable[Any]], Iterable[Any]]:
    def wrap(items: Iterable[Any]) -> Iterable[Any]:
        return _checked(options.progress(items, slug) if options.progress else items)

    return wrap


def _parsed(options: Options, drop_pins: bool = False) -> Stages[Path, Script]:
    """Parse, then (with --draft) the draft voice for every segment, else the pinned takes."""
    return parse_stage(options) + (Stage("draft", draft) if options.draft else pins_stage(drop_pins))


def front_stages(options: Options, speak: bool = True) -> Stages[Script, SpeechTrack]:
    """Script to speech track: shared by render and preview (which speaks the whole episode
    before picking its segment, so the segment reads as it does in the episode)."""
    spoken: Stages[Script, Script] = Stages((spoken_stage(options),)) if speak else nothing()
    return (
        spoken
        + Stage[Script, Rendered](
            "synthesize",
            lambda script: synthesize(
                script,
                segment_cache(script, options),
                progress=_progress(options, script.slug),
                voices=dict(script.loaded_voices) or None,
            ),
        )
        + Stage[Rendered, SpeechTrack](
            "speech", lambda rendered: speech_track(rendered, options.workdir / f"{rendered.script.slug}.speech.wav")
        )
    )


# ---------------------------------------------------------------- the lists


def parse_only_stages(options: Options) -> Stages[Path, Script]:
    """The script parsed, nothing more (`pin`, `report`)."""
    return Stages((parse_stage(options),))


def parse_stages(options: Options) -> Stages[Path, Script]:
    """The script parsed (and drafted with --draft), with the voices that load: what `podcast
    check` lints (its text with those voices' lexicons, even when another voice is broken)."""
    return _parsed(options) + voices_stage(lenient=True)


def listing_stages(options: Options) -> Stages[Path, Script]:
    """Parsed and spoken, the voices loaded leniently (a listing is useful even when one is missing)."""
    return _parsed(options) + voices_stage(lenient=True) + Stage("spoken", speak_stage)


def verify_rendered_stages(options: Options, audio: Path | None = None) -> Stages[Path, Verification]:
    """`podcast verify`: the listing's stages, then the episode rendered from the script heard
    where its report says each segment and sentence lies (`audio`: another copy of the MP3)."""
    return listing_stages(options) + Stage[Script, Verification]("listen", lambda s: heard(s, options, audio))


def preflight_stages(options: Options) -> Stages[Path, Script]:
    """Everything that can be wrong with the inputs, before any synthesis (batch planning)."""
    return _parsed(options, drop_pins=True) + voices_stage() + Stage("preflight", preflight)


def lint_stages() -> Stages[Script, Script]:
    """What `podcast check` runs on that script: the inputs (a voice that did not load first),
    and each voice's model itself."""
    return Stage("preflight", functools.partial(preflight, publishing=False)) + Stage("models", models_load)


def render_stages(options: Options, timings: dict[str, float]) -> Stages[Path, Episode]:
    """The whole render; `timings` fills in as stages finish and goes into the report."""
    return preflight_stages(options) + front_stages(options) + _mix_master(options) + finish_stages(options, timings)


def finish_stages(options: Options, timings: dict[str, float]) -> Stages[Mastered, Episode]:
    """The master to the packaged episode; with `render --verify` (or `[verify] on`), listened to
    first: listen, retake broken segments into the cache, and where a take was kept the remaster
    stages and listen again; then package."""

    def packaged(verified: Verified) -> Episode:
        return package(
            verified, output_folder(verified.mastered.mix.track.script, options), timings, options.inputs_digest
        )

    if not options.verify:
        return Stages((Stage[Mastered, Episode]("package", lambda m: packaged(Verified(m))),))
    return (
        Stage[Mastered, Listened]("listen", listen_mastered)
        + Stage[Listened, Retaken]("retake", lambda heard: retake(heard, segment_cache(_script(heard), options)))
        + Stage[Retaken, Retaken]("remaster", lambda r: _remaster(r, options))
        + Stage[Retaken, Verified]("conclude", conclude)
        + Stage[Verified, Episode]("package", packaged)
    )


def _script(heard: Listened) -> Script:
    return heard.mastered.mix.track.script


def _remaster(retaken: Retaken, options: Options) -> Retaken:
    """Where a retake kept a better take: the episode mixed and mastered again from the cache
    (remaster_stages), and heard again; else as it was."""
    if not retaken.kept:
        return retaken
    return remastered(retaken, run(remaster_stages(options), _script(retaken.listened)))


def remaster_stages(options: Options) -> Stages[Script, Mastered]:
    """A spoken script to a mastered episode again, from the cache: after a verification kept
    a better take of a segment (input: the Script)."""
    return front_stages(options, speak=False) + _mix_master(options)


def _mix_master(options: Options) -> Stages[SpeechTrack, Mastered]:
    return Stage[SpeechTrack, Mix]("mix", lambda track: mix(track, options.workdir)) + Stage[Mix, Mastered](
        "master", lambda m: master_stage(m, options.workdir)
    )


def draft_stages(options: Options, timings: dict[str, float]) -> Stages[Path, Episode]:
    """The render in the draft voice (eSpeak NG), outputs named <slug>-draft."""
    return render_stages(dataclasses.replace(options, draft=True), timings)


def episode_stages(options: Options, timings: dict[str, float]) -> Stages[Path, Episode]:
    """The render the options ask for: `draft_stages` with --draft, else `render_stages`."""
    return draft_stages(options, timings) if options.draft else render_stages(options, timings)


def _preview_tail(options: Options, pick: Stages[Script, Script]) -> Stages[Script, Path]:
    # The voices before the spoken text, which uses their lexicons; a voice that does not
    # load stops the preview only when the chosen segment is in it (the preflight stage).
    return (
        voices_stage(lenient=True)
        + spoken_stage(options)
        + pick
        + Stage("preflight", preflight_voices)
        + Stage[Script, Script]("output", lambda script: probe_preview(script, options))
        + front_stages(options, speak=False)
        + Stage("master", master_preview(options))
    )


def preview_stages(options: Options, segment_ref: str) -> Stages[Path, Path]:
    """The episode's list cut short: one segment, mastered to the episode's loudness, as WAV."""
    select = Stage[Script, Script]("select", lambda s: select_segment(s, segment_ref))
    return _parsed(options) + _preview_tail(options, Stages((select,)))


def preview_text_stages(options: Options, voice: str | None) -> Stages[str, Path]:
    """`preview --text`: the text as a one-segment script, then as a preview (input: the text)."""
    parse = Stage[str, Script]("parse", lambda text: text_script(text, settings_for(None, options.config), voice))
    drafted: Stages[Script, Script] = Stages((Stage("draft", draft),)) if options.draft else nothing()
    return parse + drafted + _preview_tail(options, nothing())


def takes_stages(options: Options, segment_ref: str, count: int) -> Stages[Path, Path]:
    """`podcast takes`: the episode spoken, then takes 0..count of one segment, each mastered in
    its place between the segments around it, and the audition page (input: the episode path)."""
    return (
        _parsed(options)
        + voices_stage(lenient=True)
        + spoken_stage(options)
        + Stage("preflight", preflight_voices)
        + Stage[Script, Path]("takes", lambda script: audition(script, segment_ref, count, options))
    )


def audition(script: Script, segment_ref: str, count: int, options: Options) -> Path:
    """The takes stage: each take of the segment, in its clip, run through the front stages and
    mastered (_previews.py makes the clips, the folder and the page)."""
    chosen = script.segment(segment_ref)
    voice = script_voices(script)[chosen.voice]
    folder, made = takes_folder(script, chosen, options)
    made_takes = []
    for k in range(count + 1):
        wav = made / f"take-{k}.wav"
        track = run(
            front_stages(dataclasses.replace(options, preview_file=wav), speak=False), take_clip(script, chosen, k)
        )
        master_preview(dataclasses.replace(options, preview_file=wav))(track)
        made_takes.append(take(track, chosen, voice, k, wav))
    return audition_page(script, chosen, tuple(made_takes), folder, made, options)
