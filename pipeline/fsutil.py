"""Outputs appear atomically: written under a temporary name beside the
target, then renamed over it, so an interrupted run leaves no half-file.

The writer holds an exclusive lock on its temporary file while it writes.
The kernel drops that lock when the writer dies, even by kill -9, so the
next writer of the same target can tell a leftover (lock free: deleted)
from a file another live process is still writing (lock held: left alone).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import tempfile
from pathlib import Path
from typing import Iterator


def clean_stale(target: Path) -> None:
    """Remove temporaries of `target` whose writers no longer exist."""
    for tmp in target.parent.glob(f".{target.name}.*.part*"):
        try:
            fd = os.open(tmp, os.O_RDONLY)
        except FileNotFoundError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            continue  # a live writer
        else:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
        finally:
            os.close(fd)


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path to write; on success it becomes `target`."""
    target.parent.mkdir(parents=True, exist_ok=True)
    clean_stale(target)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=f".part{target.suffix}", dir=target.parent)
    fcntl.flock(fd, fcntl.LOCK_EX)  # held until we are done (or dead)
    tmp_path = Path(tmp)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp_path, 0o666 & ~umask)  # mkstemp makes 0600; outputs are ordinary files
    try:
        yield tmp_path
        os.replace(tmp_path, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp_path.unlink()
        os.close(fd)


def write_text_atomic(target: Path, text: str) -> None:
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8")
