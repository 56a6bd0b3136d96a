"""Speaker display names: one name per voice, the same in every output (WebVTT `<v Name>`,
SRT, podcast:person).

`show.speaker_names` in podcast.toml (and `speaker_names:` in front matter, laid over it)
maps speaker labels, and `narrator` for paragraphs without a label, to names.  A label
without a name whose voice is one that already has a name (the narrator's, say) takes that
name, so the host's voice never turns into two speakers; other labels are shown as written.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._showmeta import NARRATOR

if TYPE_CHECKING:
    from ..parse.script import Script


def narrator_name(script: Script) -> str:
    show = script.settings.show
    return show.speaker_names.get(NARRATOR) or show.author or "Host"


def display_names(script: Script) -> dict[str | None, str]:
    """{label: name} for every label the script declares, with None for the narrator."""
    names = script.settings.show.speaker_names
    out: dict[str | None, str] = {None: narrator_name(script)}
    by_voice = {script.settings.speech.voice: out[None]}
    for label, voice in script.speakers.items():  # named labels first: they claim their voices
        if label in names:
            out[label] = names[label]
            by_voice.setdefault(voice, names[label])
    for label, voice in script.speakers.items():
        if label not in out:
            out[label] = by_voice.setdefault(voice, label)
    return out


def people(script: Script) -> list[str]:
    """The names of those who speak in this episode, in order of first appearance."""
    names = display_names(script)
    return list(dict.fromkeys(names.get(s.speaker, s.speaker or names[None]) for s in script.segments))


def speakers_with_labels(script: Script) -> list[tuple[str, str | None]]:
    """(name, label) of those who speak in this episode, in order of first appearance: the
    first label each name is spoken under (None for the narrator), for podcast:person's role."""
    names = display_names(script)
    out: dict[str, str | None] = {}
    for s in script.segments:
        name = names.get(s.speaker, s.speaker or names[None])
        out.setdefault(name, s.speaker if name != names[None] else None)
    return list(out.items())
