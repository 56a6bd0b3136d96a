"""Speaker display names: one name per voice, from podcast.toml and front matter."""

from conftest import write
from pipeline._config import settings_for
from pipeline.parse.script import load_script
from pipeline.publish.speakers import display_names, people

SCRIPT = """---
title: Names
speakers:
  HOST: joe
  GUEST: espeak
{extra}---

Hello from the narrator.

HOST: Hello from the host label, the same voice.

GUEST: And a guest.
"""


def load(tmp_path, toml="", extra=""):
    write(tmp_path / "podcast.toml", f'[show]\ntitle = "Show"\nauthor = "The Team"\n{toml}')
    path = write(tmp_path / "ep.md", SCRIPT.format(extra=extra))
    return load_script(path, settings_for(path))


def test_one_voice_is_one_speaker(tmp_path):
    """One voice is one speaker: unlabeled paragraphs and HOST: paragraphs, spoken by the same
    voice, carry the same name; a speaker with no name keeps its label."""
    names = display_names(load(tmp_path))
    assert names[None] == names["HOST"] == "The Team"
    assert names["GUEST"] == "GUEST"


def test_names_from_podcast_toml(tmp_path):
    script = load(tmp_path, toml='[show.speaker_names]\nnarrator = "Ada Lovelace"\nGUEST = "Grace Hopper"\n')
    assert display_names(script) == {None: "Ada Lovelace", "HOST": "Ada Lovelace", "GUEST": "Grace Hopper"}
    assert people(script) == ["Ada Lovelace", "Grace Hopper"]


def test_front_matter_names_lay_over_the_show(tmp_path):
    script = load(
        tmp_path,
        toml='[show.speaker_names]\nnarrator = "Ada Lovelace"\nGUEST = "Grace Hopper"\n',
        extra="speaker_names:\n  GUEST: Katherine Johnson\n",
    )
    assert display_names(script)["GUEST"] == "Katherine Johnson"
    assert display_names(script)[None] == "Ada Lovelace"
