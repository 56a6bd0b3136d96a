"""The normalizer's vocabularies: TOML files in `pipeline/data/normalize/`, each read once."""

from __future__ import annotations

import functools
import hashlib
from importlib import resources
from typing import TYPE_CHECKING, Any

from ... import _tomlfile as tomlfile

if TYPE_CHECKING:  # importlib.resources.abc is 3.11+
    from importlib.resources.abc import Traversable

FILES = (
    "abbreviations",
    "addresses",
    "dates",
    "digits",
    "electronic",
    "money",
    "numbers",
    "symbols",
    "units",
    "versions",
    "words",
)


def _folder() -> Traversable:
    return resources.files("pipeline").joinpath("data").joinpath("normalize")


@functools.cache
def raw(name: str) -> bytes:
    return _folder().joinpath(f"{name}.toml").read_bytes()


@functools.cache
def load(name: str) -> dict[str, Any]:
    """One vocabulary file, parsed."""
    return tomlfile.loads(raw(name).decode("utf-8"))


def digest() -> bytes:
    """Every vocabulary file, hashed: part of the normalizer's fingerprint."""
    return b"".join(hashlib.sha256(raw(name)).digest() for name in FILES)
