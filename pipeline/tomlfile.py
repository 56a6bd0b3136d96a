"""TOML, read the one way: the standard library's parser (tomli before Python 3.11),
with a syntax error reported as a one-line error naming the file."""

from __future__ import annotations

import sys
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

from .errors import ConfigError, PipelineError

TOMLDecodeError = tomllib.TOMLDecodeError


def loads(text: str) -> dict[str, Any]:
    """Parse TOML that is the package's own (a syntax error there is a bug, not the user's)."""
    return tomllib.loads(text)


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
    raise error(f"{where} must be {' or '.join(k.__name__ for k in kinds)}, not {value!r}")


def parse(text: str, where: object, error: type[PipelineError] = ConfigError) -> dict[str, Any]:
    """Parse a user's TOML file: `error` ("<where>: invalid TOML: ...") for a syntax error."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise error(f"{where}: invalid TOML: {exc}") from None
