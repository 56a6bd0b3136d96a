"""Input discovery: episode scripts from files, folders and glob patterns.

Used by every command that takes several episodes (`render`, `check`,
`cache prune --unused`), so it lives below all of them.
"""

from __future__ import annotations

import glob
from pathlib import Path
from typing import Sequence

from .errors import UsageError

SCRIPT_SUFFIXES = (".md", ".markdown", ".txt")


def collect(specs: Sequence[str | Path]) -> list[Path]:
    """Episode files from files, folders (searched recursively) and glob patterns, in a stable order."""
    found: dict[Path, None] = {}
    for spec in map(str, specs):
        if not spec.strip():  # Path("") is the current folder: every script under it
            raise UsageError("an empty episode path (give a script, a folder or a pattern)")
        if any(ch in spec for ch in "*?[") and not Path(spec).exists():
            matches = sorted(glob.glob(spec, recursive=True))
            if not matches:
                raise UsageError(f"{spec}: no episode matches this pattern")
            paths = [Path(m) for m in matches if Path(m).is_file()]
        elif Path(spec).is_dir():
            folder = Path(spec)
            paths = sorted(
                p
                for p in folder.rglob("*")
                if p.suffix.lower() in SCRIPT_SUFFIXES
                and p.is_file()
                and not any(part.startswith(".") for part in p.relative_to(folder).parts)
                and p.name.lower() not in ("readme.md",)
            )
            if not paths:
                raise UsageError(f"{spec}: no episode scripts (.md, .txt) in this folder")
        else:
            paths = [Path(spec)]  # a missing file is reported by validation, with the others
        for p in paths:
            found.setdefault(p, None)
    return list(found)
