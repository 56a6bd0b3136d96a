"""Voices are data: TOML files in the project's `voices/` and the show's `voices/`.

A voice names its engine, model and synthesis settings.  Loading checks that
the model exists, so a broken voice fails before any synthesis starts.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path
from typing import Any

from .. import _tomlfile as tomlfile
from .._config import SECONDS, Rule, Settings, number_problem
from .._fsutil import check_input, input_problem, read_input, resolve_against
from ..errors import VoiceError
from ..text.lexicon import LEXICON_NAME, Lexicon, phoneme_problem, show_lexicon
from ..text.lexicon import parse as parse_lexicon
from .engines import Voice, engine_class

__all__ = ["Voice", "available_voice_names", "load_voice", "load_voice_file"]


def builtin_dir() -> Path:
    """The voices shipped inside the package (a folder on disk: model paths resolve against it)."""
    return Path(str(resources.files("pipeline") / "data" / "voices"))


_FIELDS: dict[str, Any] = {
    "engine": str,
    "model": str,
    "config": str,
    "language": str,
    "description": str,
    "gender": str,
    "license": str,
    "speakers": Path,
    "speaker_wav": Path,
}
_SYNTHESIS: dict[str, Any] = {
    "speaker": (int, str),
    "length_scale": float,
    "noise_scale": float,
    "noise_w_scale": float,
    "sentence_pause": float,
    "paragraph_pause": float,
}
# What the engines can use (Piper's and Coqui's VITS scales, eSpeak NG's speed from the length
# scale): a bad number stops the voice loading, before any synthesis, not the engine mid-render.
_RANGES: dict[str, Rule] = {
    "speaker": ((lambda v: v >= 0), "a speaker id from 0, or a speaker's name"),
    "length_scale": ((lambda v: 0.1 <= v <= 5), "between 0.1 and 5 (1: the model's pace; more is slower)"),
    "noise_scale": ((lambda v: 0 <= v <= 2), "between 0 and 2"),
    "noise_w_scale": ((lambda v: 0 <= v <= 2), "between 0 and 2"),
    "sentence_pause": SECONDS,
    "paragraph_pause": SECONDS,
}
# Coqui's own names for the model fields, so a Coqui user's voice reads as they know it.
_ALIASES = {"model_path": "model", "model_name": "model", "config_path": "config"}


def voice_dirs(settings: Settings) -> list[Path]:
    """Where voices are looked up: the show's own `voices/` first."""
    dirs = []
    if settings.show_dir is not None:
        dirs.append(settings.show_dir / "voices")
    dirs.append(builtin_dir())
    return [d for d in dirs if d.is_dir()]


# The kind of file (_fsutil.INPUT_LIMITS) each path setting names.
_FILE_KINDS = {"speakers": "speakers file", "speaker_wav": "reference recording"}


def _existing_file(value: Any, base: Path, where: str, kind: str) -> str:
    if not isinstance(value, str) or not value:
        raise VoiceError(f"{where} must be a file path, not {tomlfile.shown(value)}")
    file = resolve_against(value, base)
    if not os.path.lexists(file):
        raise VoiceError(f"{where}: {file} does not exist")
    try:  # a FIFO or a device would block whatever reads it; a folder is no file
        check_input(file, kind)
    except (OSError, ValueError) as exc:
        raise VoiceError(f"{where}: {file} {input_problem(exc, kind)}") from None
    return str(file.resolve())


def load_voice_file(path: Path) -> Voice:
    where = str(path)
    try:
        data = tomlfile.read(path, "voice file", VoiceError)
    except FileNotFoundError:
        raise VoiceError(f"{where}: no such file") from None
    synthesis = data.pop("synthesis", {})
    if not isinstance(synthesis, dict):
        raise VoiceError(f"[synthesis] must be a table of settings, not {tomlfile.shown(synthesis)}", file=where)
    lexicon_table = data.pop("lexicon", {})
    if not isinstance(lexicon_table, dict):
        raise VoiceError(
            f"[lexicon] must be a table ([lexicon.words]), not {tomlfile.shown(lexicon_table)}", file=where
        )
    lexicon = parse_lexicon(lexicon_table, f"{where} [lexicon]")
    values: dict[str, Any] = {}
    given: dict[str, str] = {}  # field -> the key that set it (aliases share a field)
    for table, known in ((data, _FIELDS), (synthesis, _SYNTHESIS)):
        for key, value in table.items():
            name = _ALIASES.get(key, key) if table is data else key
            kind = known.get(name)
            if kind is None:
                names = [*known, *_ALIASES] if table is data else list(known)
                raise VoiceError(f"{where}: unknown voice setting {tomlfile.shown(key)} (known: {', '.join(names)})")
            if name in given:
                raise VoiceError(f"{where}: {given[name]!r} and {key!r} both set the {name}; give one of them")
            given[name] = key
            if kind is Path:
                value = _existing_file(value, path.parent, f"{where}: {key}", _FILE_KINDS[name])
            else:
                value = tomlfile.typed(value, kind, f"{where}: {key}", VoiceError)
                problem = number_problem(value, _RANGES.get(name))
                if problem:
                    raise VoiceError(f"{key} {problem}", file=where)
            values[name] = value
    for key in ("engine", "model"):
        if key not in values:
            raise VoiceError(f"{where}: missing {key!r}")
    engine = engine_class(values["engine"], where)
    values["model"] = engine.resolve_model(values["model"], path.parent, where)
    values["config"] = engine.model_config(values["model"], values.get("config"), path.parent, where)
    voice = Voice(name=path.stem, file=str(path), lexicon=lexicon, **values)
    settings_check = getattr(engine, "check_settings", None)  # what the engine can tell without its model
    if settings_check is not None:
        settings_check(voice)
    return voice


def find_voice_file(name: str, settings: Settings) -> Path | None:
    for folder in voice_dirs(settings):
        path = folder / f"{name}.toml"
        if os.path.lexists(path):  # a FIFO or a folder too: loading it says what is wrong
            return path
    return None


def load_voice(name: str, settings: Settings) -> Voice:
    path = find_voice_file(name, settings)
    if path is None:
        known = ", ".join(sorted(available_voice_names(settings))) or "none"
        raise VoiceError(f"unknown voice {name!r} (available: {known})")
    voice = load_voice_file(path)
    check_lexicon_phonemes(voice, settings)
    return voice


def check_lexicon_phonemes(voice: Voice, settings: Settings) -> None:
    """The `[[phonemes]]` of the voice's lexicon and the show's lexicon.toml are ones the voice
    can say (engines that name their phonemes: Piper, Kokoro); a ConfigError naming the file
    and the key otherwise, before any synthesis."""
    phonemes = getattr(engine_class(voice.engine), "phonemes", None)
    if phonemes is None:
        return
    for lexicon in (voice.lexicon, _show_phonemes(settings)):
        if lexicon:
            problem = phoneme_problem(lexicon, phonemes(voice), voice.name)
            if problem is not None:
                raise problem


def _show_phonemes(settings: Settings) -> Lexicon:
    """The show's lexicon, when it has phoneme entries at all (a large one is read only then)."""
    path = settings.show_dir / LEXICON_NAME if settings.show_dir is not None else None
    if path is None or not path.is_file():
        return Lexicon()
    try:
        if b"[[" not in read_input(path, "lexicon"):
            return Lexicon()
    except (OSError, ValueError):
        return Lexicon()  # reading it for the spoken text says what is wrong with it
    return show_lexicon(settings.show_dir)


def available_voice_names(settings: Settings) -> list[str]:
    names: dict[str, None] = {}
    for folder in voice_dirs(settings):
        for path in sorted(folder.glob("*.toml")):
            names.setdefault(path.stem, None)
    return list(names)
