"""Text-to-speech podcast production: episode scripts to finished episodes.

The Python API (README: "Python API"): `render`, `preview` and `speak`, the values they
return and the errors they raise.  The API is the top layer (`app/_api`), loaded on first
use, so importing the package loads nothing above the shared leaves.
"""

import importlib as _importlib
import typing as _typing

from .errors import (
    CacheError,
    ConfigError,
    InternalError,
    MediaError,
    PipelineError,
    ScriptError,
    SynthesisError,
    UsageError,
    VoiceError,
)

if _typing.TYPE_CHECKING:
    from .app._api import Chapter, Episode, Speech, preview, render, speak

__version__ = "0.1.0"

__all__ = [
    "CacheError",
    "Chapter",
    "ConfigError",
    "Episode",
    "InternalError",
    "MediaError",
    "PipelineError",
    "ScriptError",
    "Speech",
    "SynthesisError",
    "UsageError",
    "VoiceError",
    "preview",
    "render",
    "speak",
]

_API = ("Chapter", "Episode", "Speech", "preview", "render", "speak")  # in app/_api.py

if not _typing.TYPE_CHECKING:  # for type checkers the names are the imports above

    def __getattr__(name: str) -> _typing.Any:
        if name in _API:
            value = getattr(_importlib.import_module(".app._api", __name__), name)
            globals()[name] = value
            return value
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
