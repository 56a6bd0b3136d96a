"""Takes a producer chooses: other renditions of one segment, and the pins that keep one.

Take 0 is the render's own.  Take k of a seeded engine (Piper, Coqui) is the same text
with other noise seeds (the seeds of attempt k); a deterministic engine (Kokoro, eSpeak NG)
says the same thing the same way whatever the seed, so its take k is a small variation
within the voice's range instead: a little slower or faster, a longer pause between
sentences.  Either way a take is a pure function of the text, the voice and k, so a wiped
cache re-creates a pinned take exactly.

Pins are data next to the script, not in the cache: `<script>.takes.toml`, the script's file
name and one entry per pinned segment with the segment's id (its text) and voice when it was
pinned.  A pin whose
segment changed (no segment has that id and voice any more) is dropped with a warning.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from .. import _tomlfile as tomlfile
from .._fsutil import INPUT_LIMITS, read_input, write_text_atomic
from ..errors import ConfigError
from .engines import Voice, engine_class

log = logging.getLogger(__name__)

SUFFIX = ".takes.toml"
MAX_TAKE = 99
MAX_BYTES = INPUT_LIMITS["takes file"]
PIN_KEYS = ("segment", "id", "voice", "take")
# A deterministic engine's takes: (length_scale factor, extra pause between sentences), said.
VARIATIONS = (
    (1.06, 0.0, "6% slower"),
    (0.95, 0.0, "5% faster"),
    (1.0, 0.25, "a longer pause between sentences"),
    (1.10, 0.1, "10% slower, a little more pause"),
    (0.92, 0.0, "8% faster"),
    (1.03, 0.4, "3% slower, a long pause between sentences"),
)


@dataclass(frozen=True)
class Pin:
    id: str  # the segment's id: a digest of its text
    voice: str
    take: int
    segment: int  # its number when pinned (for people reading the file)


def seeded(voice: Voice) -> bool:
    return bool(getattr(engine_class(voice.engine), "seeded", False))


def take_voice(voice: Voice, take: int) -> Voice:
    """The voice that says take `take`: itself for a seeded engine (the seeds differ), else a variation."""
    if take <= 0 or seeded(voice):
        return voice
    factor, pause, _ = VARIATIONS[(take - 1) % len(VARIATIONS)]
    strength = _strength((take - 1) // len(VARIATIONS))
    return dataclasses.replace(
        voice,
        length_scale=round((voice.length_scale or 1.0) * factor**strength, 4),
        sentence_pause=round(voice.sentence_pause + pause * strength, 3),
    )


def _strength(rounds: int) -> float:
    """How far a move of the table goes on its `rounds`-th time round: once, twice, then a little
    further each time but never past three times (take 99 is still the voice: at most a third
    slower or faster, 1.2 s more pause)."""
    return 1 + 2 * rounds / (rounds + 1)


def describe(voice: Voice, take: int) -> str:
    """What makes take `take` different, in words (the audition page)."""
    if take <= 0:
        return "the render's own take"
    if seeded(voice):
        return f"other noise seeds (attempt {take})"
    return VARIATIONS[(take - 1) % len(VARIATIONS)][2] + (" (stronger)" if take > len(VARIATIONS) else "")


def pins_path(script: Path) -> Path:
    return script.with_name(script.stem + SUFFIX)


def load(path: Path, script: Path | None = None) -> dict[str, Pin]:
    """The pins beside a script, by segment id ({} when there is no file).  With `script`: a file
    that records another script's name (`x.md` and `x.txt` share `x.takes.toml`) is an error
    naming both, so that neither script takes the other's pins for changed segments."""
    if not os.path.lexists(path):
        return {}
    raw = read_input(path, "takes file", ConfigError)  # a regular file of sane size: one line naming it otherwise
    try:
        data = tomlfile.loads(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from None
    except RecursionError:
        raise ConfigError(f"{path}: not valid TOML (arrays or tables nested too deeply)") from None
    for key in data:
        if key not in ("script", "pin"):
            raise ConfigError(f"{path}: unknown key {tomlfile.shown(key)} (known: script, pin)")
    owner = data.get("script")
    if owner is not None and not isinstance(owner, str):
        raise ConfigError(f"{path}: 'script' must be the script's file name")
    if script is not None and owner is not None and owner != script.name:
        raise ConfigError(
            f"{path}: holds the pins of {owner}, not of {script.name}: two scripts share the name "
            f"{script.stem!r} (rename one), or the script was renamed (then set script = "
            f"{json.dumps(script.name)} in this file)"
        )
    entries = data.get("pin", [])
    if not isinstance(entries, list):
        raise ConfigError(f"{path}: 'pin' must be a list of tables ([[pin]])")
    pins: dict[str, Pin] = {}
    for n, e in enumerate(entries, 1):
        where = f"{path}: pin {n}"
        if not isinstance(e, dict):
            raise ConfigError(f"{where}: must be a table")
        for key in e:
            if key not in PIN_KEYS:
                raise ConfigError(f"{where}: unknown key {tomlfile.shown(key)} (known: {', '.join(PIN_KEYS)})")
        ident, voice, take, segment = e.get("id"), e.get("voice"), e.get("take"), e.get("segment", 0)
        if not isinstance(ident, str) or not ident:
            raise ConfigError(f"{where}: 'id' must be the segment's id (see `podcast segments`)")
        if not isinstance(voice, str) or not voice:
            raise ConfigError(f"{where}: 'voice' must be a voice name")
        if not isinstance(take, int) or isinstance(take, bool) or not 0 <= take <= MAX_TAKE:
            raise ConfigError(f"{where}: 'take' must be a whole number from 0 to {MAX_TAKE}")
        if not isinstance(segment, int) or isinstance(segment, bool) or segment < 0:
            raise ConfigError(f"{where}: 'segment' must be a segment number")
        pins[ident] = Pin(ident, voice, take, segment)
    return pins


def save(path: Path, pins: Mapping[str, Pin], script: Path | None = None) -> None:
    """Write the pins (atomically) with the name of the `script` they belong to, or remove the
    file when none is left."""
    if not pins:
        path.unlink(missing_ok=True)
        return
    lines = [
        "# Takes chosen with `podcast pin` (see `podcast takes`): each is used by every render",
        "# until its segment's text or voice changes.  `podcast pin --clear` removes them.",
        *([f"script = {json.dumps(script.name)}"] if script is not None else []),
    ]
    for p in sorted(pins.values(), key=lambda p: (p.segment, p.id)):
        lines += [
            "",
            "[[pin]]",
            f"segment = {p.segment}",
            f"id = {json.dumps(p.id)}",
            f"voice = {json.dumps(p.voice)}",
            f"take = {p.take}",
        ]
    try:
        write_text_atomic(path, "\n".join(lines) + "\n")
    except OSError as exc:  # a read-only folder: the pins file it names, not its temporary
        raise type(exc)(exc.errno, exc.strerror, str(path)) from None
