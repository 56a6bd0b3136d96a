"""`podcast verify`'s stage body: an episode rendered earlier, heard where its report says
each segment and sentence lies (the listen stage of `_stages.verify_rendered_stages`)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from ._bodies import naming, output_folder
from ._options import Options
from ._preflight import use_tools
from .parse.script import Script
from .publish.rendered import rendered_timeline
from .verify.doc import Verification
from .verify.listen import listen
from .verify.recognizer import load_audio


def heard(script: Script, options: Options, audio: Path | None = None) -> Verification:
    """The rendered MP3 (or `audio`, another copy of it) heard against the script; one-line
    errors naming the report or the audio when they are missing, damaged or not this script's."""
    with naming(script):
        use_tools(script.settings)
        mp3, timeline = rendered_timeline(script, output_folder(script, options), audio)
        verification = listen(script, timeline, load_audio(mp3, timeline, script.slug))
    return dataclasses.replace(verification, audio=str(mp3))
