"""TOML, read the one way: the standard library's parser (tomli before Python 3.11),
with a syntax error reported as a one-line error naming the file."""

from __future__ import annotations

import os
import reprlib
import sys
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

from ._fsutil import read_input
from .errors import ConfigError, PipelineError

TOMLDecodeError = tomllib.TOMLDecodeError


def loads(text: str) -> dict[str, Any]:
    """Parse TOML that is the package's own (a syntax error there is a bug, not the user's)."""
    return tomllib.loads(text)


_SHORT = reprlib.Repr()
_SHORT.maxlevel, _SHORT.maxstring, _SHORT.maxother, _SHORT.maxlist, _SHORT.maxdict = 3, 80, 80, 6, 4


def shown(value: Any) -> str:
    """A value as an error message quotes it: repr(), cut short (a 10 MB string or a list
    nested 900 deep is quoted in a few dozen characters, not in full)."""
    return _SHORT.repr(value)


def typed(value: Any, kind: type | tuple[type, ...], where: str, error: type[PipelineError] = ConfigError) -> Any:
    """A TOML value checked against the type a dataclass field wants (the one validator
    behind settings and voice files): a bool is only a bool, an int is also a float
    (and becomes one).  `error` ("<where> must be <kind>, not <value>") otherwise."""
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if float in kinds and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, bool) and bool not in kinds:
        ok = False
    else:
        ok = isinstance(value, kinds)
    if ok:
        return value
    raise error(f"{where} must be {' or '.join(k.__name__ for k in kinds)}, not {shown(value)}")


def parse(text: str, where: object, error: type[PipelineError] = ConfigError) -> dict[str, Any]:
    """Parse a user's TOML file: `error` ("<where>: invalid TOML: ...") for a syntax error,
    and for arrays or tables nested deeper than the parser goes (thousands of `[`)."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise error(f"{where}: invalid TOML: {exc}") from None
    except RecursionError:
        raise error(f"{where}: invalid TOML: arrays or tables nested too deeply") from None


def read(path: Path, kind: str, error: type[PipelineError] = ConfigError) -> dict[str, Any]:
    """A user's TOML file of `kind` (a name in _fsutil.INPUT_LIMITS: "settings file",
    "lexicon", "voice file", "takes file"), read the one way: a regular file of sane size
    (_fsutil.read_input), UTF-8, parsed; every problem `error`, one line naming the file.
    FileNotFoundError goes to the caller, for whom a missing file may be no problem."""
    if not os.path.lexists(path):
        raise FileNotFoundError(2, "no such file", str(path))
    data = read_input(path, kind, error)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise error(f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})", file=path) from None
    return parse(text, path, error)
