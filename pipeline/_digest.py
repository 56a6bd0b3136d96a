"""The up-to-date digest: a hash of everything that decides an episode's output files,
and of nothing else (so editing `[batch] jobs` or the output folder re-renders nothing).

What counts: the script's bytes, every voice (its settings, its lexicon and its engine's
identity: model files, engine version), the show's lexicon and the normalizer's fingerprint
(its rules' version, the bundled technical lexicon and word list, num2words: with the script,
all that decides the spoken text), the music and artwork files, the settings that reach the audio, the tags or
the sidecars, the takes pinned beside the script, the tool's version and the ffmpeg that encodes.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from pathlib import Path
from typing import Any

from . import __version__
from ._config import Settings, is_media_file
from .parse.script import Script
from .sound import ffmpeg
from .synthesis.cache import file_digest
from .synthesis.engines import engine_class
from .synthesis.speech import load_voices
from .text import normalize
from .text.lexicon import show_lexicon

# Settings sections and keys that never change an output byte: where outputs and the cache
# live, how many episodes run at once, the web page, which podcast.toml was read.  (The
# ffmpeg in use counts through its version and resampler, below.)
IGNORED_SECTIONS = ("paths", "batch", "site", "tools", "config_file")
IGNORED_KEYS = {
    # Results are the same on any number of cores.  The draft voice reaches only a --draft
    # render, whose draft stage makes it speech.voice and every segment's voice: it counts there.
    "speech": ("threads", "draft_voice"),
    # Show settings that only the feed uses: the feed is rewritten after every render anyway.
    "show": (
        "description",
        "owner_name",
        "owner_email",
        "categories",
        "explicit",
        "website",
        "base_url",
        "feed_url",
        "copyright",
        "guid",
        "type",
        "locked",
        "speaker_roles",
        "speaker_images",
        "speaker_links",
        "ai_disclosure",
        "ai_disclosure_text",
        "chapters_in_description",
        "new_feed_url",
        "season_names",
        "license",
        "license_url",
        "funding_url",
        "funding_text",
        "medium",
        "txt",
        "analytics_prefix",
    ),
}


def output_settings(settings: Settings) -> dict[str, Any]:
    """The settings that reach the audio, the tags or the sidecars."""
    out = dataclasses.asdict(settings)
    for name in IGNORED_SECTIONS:
        out.pop(name, None)
    for section, keys in IGNORED_KEYS.items():
        for key in keys:
            out[section].pop(key, None)
    return out


def inputs_digest(script: Script) -> str:
    """Everything a render depends on: same digest, same output (so it can be skipped)."""
    settings = output_settings(script.settings)
    voices = {}
    for name, voice in (dict(script.loaded_voices) or load_voices(script)).items():
        voices[name] = {**dataclasses.asdict(voice), "identity": engine_class(voice.engine).identity(voice)}
    media = {}
    for section, field in (("music", "intro"), ("music", "outro"), ("show", "artwork")):
        value = settings[section][field]
        if is_media_file(value):
            media[f"{section}.{field}"] = file_digest(Path(value))
    # The entries, not the file's bytes: a comment edited in lexicon.toml re-renders nothing.
    lexicon = [list(entry[:3]) for entry in show_lexicon(script.settings.show_dir).entries]
    tool = ffmpeg.current()  # the encoder, resampler and limiter are part of the output
    blob = json.dumps(
        {
            "tool": __version__,
            "script": file_digest(script.path),
            "settings": settings,
            "voices": voices,
            "media": media,
            "lexicon": lexicon,
            "normalizer": normalize.fingerprint(),
            "takes": {s.id: s.take for s in script.segments if s.take is not None},  # `podcast pin`
            "ffmpeg": [tool.version, tool.resampler],
        },
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()
