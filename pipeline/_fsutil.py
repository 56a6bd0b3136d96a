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
from typing import TYPE_CHECKING, Any, BinaryIO, Callable, Iterator, TypeVar

if TYPE_CHECKING:  # the caller's error class is passed in: errors.py words OS errors with this module's help
    from .errors import PipelineError


T = TypeVar("T")


def resolve_against(value: str | Path, base: Path | None) -> Path:
    """The one way a setting's path is read: `~` expanded, and a relative path taken
    relative to `base` (the folder of the file that set it), when there is one."""
    path = Path(value).expanduser()
    return base / path if base is not None and not path.is_absolute() else path


def clean_stale(target: Path) -> None:
    """Remove temporaries of `target` whose writers no longer exist (what is no regular
    file there, a FIFO or a folder, no writer of ours made: it goes too)."""
    for tmp in target.parent.glob(f".{target.name}.*.part*"):
        if tmp.is_symlink() or not tmp.is_file():
            remove(tmp)
            continue
        try:
            fd = os.open(tmp, os.O_RDONLY | os.O_NONBLOCK)
        except FileNotFoundError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            continue  # a live writer
        else:
            remove(tmp)
        finally:
            os.close(fd)


def remove(path: Path) -> None:
    """Remove whatever is at `path`: a file, a link (not what it points to), a FIFO, a folder
    and everything in it.  Nothing there is fine."""
    import shutil

    try:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()
    except FileNotFoundError:
        pass


@contextlib.contextmanager
def atomic_path(target: Path, durable: bool = False) -> Iterator[Path]:
    """Yield a temporary path to write; on success it becomes `target`.

    The temporary is locked while it is written, so a writer killed half way leaves one
    that the next writer of `target` (or `cache prune`) removes.  `durable`: the data
    is on the disk (fsync) before the name points at it (the segment cache's entries)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    clean_stale(target)
    fd, tmp_path = _locked_temporary(target)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp_path, 0o666 & ~umask)  # mkstemp makes 0600; outputs are ordinary files
    try:
        yield tmp_path
        if durable:
            _fsync(tmp_path)
        os.replace(tmp_path, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp_path.unlink()
        os.close(fd)


def _locked_temporary(target: Path) -> tuple[int, Path]:
    """A new temporary beside `target`, locked (held until we are done, or dead).

    Between its creation and its lock another writer's `clean_stale` may take it for a
    dead writer's and remove it: then the lock is on a file that has no name, and we
    make another."""
    while True:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=f".part{target.suffix}", dir=target.parent)
        fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            if os.stat(tmp).st_ino == os.fstat(fd).st_ino:
                return fd, Path(tmp)
        except FileNotFoundError:
            pass
        os.close(fd)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_text_atomic(target: Path, text: str) -> None:
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8")


def write_bytes_atomic(target: Path, data: bytes, durable: bool = False) -> None:
    """The one way to replace a file's bytes all at once (see `atomic_path`)."""
    with atomic_path(target, durable) as tmp:
        tmp.write_bytes(data)


# ---------------------------------------------------------------- regular files only


def regular_file(path: Path, what: str, max_bytes: int | None = None) -> os.stat_result:
    """Stat `path` and refuse anything that is not a regular file of at most `max_bytes`,
    before it is opened: a FIFO, a device (/dev/zero) or a socket would block or never end.
    Raises ValueError with the problem in words (the caller names the file)."""
    import stat

    st = os.stat(path)  # FileNotFoundError, PermissionError: the caller's to word
    if stat.S_ISDIR(st.st_mode):
        raise ValueError("is a folder, not a file")
    if not stat.S_ISREG(st.st_mode):
        kind = (
            "a FIFO (named pipe)"
            if stat.S_ISFIFO(st.st_mode)
            else "a device"
            if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode)
            else "a socket"
            if stat.S_ISSOCK(st.st_mode)
            else "not a regular file"
        )
        raise ValueError(f"is {kind}, not a regular {what}")
    if max_bytes is not None and st.st_size > max_bytes:
        raise ValueError(f"is {_size(st.st_size)}; {article(what)} {what} is at most {_size(max_bytes)}")
    return st


def read_regular(path: Path, what: str, max_bytes: int, limit: int | None = None) -> bytes:
    """The first `limit` bytes (default all) of a regular file of at most `max_bytes`,
    opened without blocking (O_NONBLOCK), so a file swapped for a FIFO after the check cannot hang us."""
    regular_file(path, what, max_bytes)
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    try:
        import stat

        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise ValueError(f"is not a regular {what}")
        with os.fdopen(fd, "rb", closefd=False) as f:
            return f.read(max_bytes + 1 if limit is None else limit)
    finally:
        os.close(fd)


# ---------------------------------------------------------------- input files

# The most bytes the program reads of each kind of file it is given or keeps (see `read_input`):
# far above any real one, so that a larger file is the wrong file (or /dev/zero behind a link).
INPUT_LIMITS: dict[str, int] = {
    "script": 20_000_000,
    "settings file": 10_000_000,  # podcast.toml, --config
    "lexicon": 100_000_000,  # a 100,000-word pronunciation dictionary is a few MB
    "voice file": 10_000_000,  # a voice's TOML (its lexicon may be large too)
    "model file": 8_000_000_000,  # .onnx, a Coqui checkpoint (XTTS: about 2 GB)
    "model config": 50_000_000,  # Piper's .onnx.json, Coqui's config.json
    "speakers file": 50_000_000,  # Coqui's speakers file
    "reference recording": 500_000_000,  # Coqui's speaker_wav
    "Kokoro style file": 2_000_000,  # 510 x 256 float32: 522 KB
    "takes file": 1 << 20,  # <script>.takes.toml: a few lines per pinned segment
    "cache index": 50_000_000,  # a segment's JSON: sentences and word timings
    "cache audio": 2_000_000_000,  # a segment's FLAC
    "take record": 1_000_000,
    "lease": 100_000_000,  # the keys a render holds
    "spoken-text file": 500_000_000,  # the spoken sentences of one episode
    "tool probe": 1_000_000,  # what an ffmpeg was found to be, kept in ~/.cache/podcast-pipeline
    "audio file": 500_000_000,  # intro and outro music (sound/music.py), an MP3 to verify
    "picture": 10_000_000,  # artwork (publish/tags.py, artwork.py)
    "episode report": 50_000_000,  # <slug>.report.json, <slug>.chapters.json in an output folder
}


def read_input(path: Path, kind: str, error: type[PipelineError] | None = None, max_bytes: int | None = None) -> bytes:
    """The one way a file the program reads is read: all of a regular file of at most the
    limit for its `kind` (INPUT_LIMITS, or `max_bytes`), opened without blocking.  A FIFO,
    a device, a folder or a file over the limit is refused before it is read.

    `error` (a PipelineError class): raised as one line naming the file ("no such file",
    "is a FIFO (named pipe), not a regular lexicon", "cannot read: permission denied").
    Without it the OSError or ValueError of `read_regular` goes to the caller."""
    return _as_input(read_regular, path, kind, error, max_bytes)


def check_input(
    path: Path, kind: str, error: type[PipelineError] | None = None, max_bytes: int | None = None
) -> os.stat_result:
    """`read_input`'s checks without the read: for a file another library opens (a model, a
    recording), so that it is a regular file of sane size before that library blocks on it."""
    return _as_input(regular_file, path, kind, error, max_bytes)


def _as_input(
    step: Callable[[Path, str, int], T], path: Path, kind: str, error: type[PipelineError] | None, max_bytes: int | None
) -> T:
    """`step` (read or check) at the limit for `kind`; its OSError or ValueError as `error`, when given."""
    limit = INPUT_LIMITS[kind] if max_bytes is None else max_bytes
    if error is None:
        return step(path, kind, limit)
    try:
        return step(path, kind, limit)
    except (OSError, ValueError) as exc:
        raise error(input_problem(exc, kind), file=path) from None


def input_problem(exc: OSError | ValueError, kind: str) -> str:
    """What `read_input` or `check_input` found wrong with a file, in words (without its name)."""
    if isinstance(exc, FileNotFoundError):
        return "no such file"
    if isinstance(exc, IsADirectoryError):
        return f"is a folder, not {article(kind)} {kind}"
    if isinstance(exc, OSError):
        return f"cannot read: {(exc.strerror or str(exc)).lower()}"
    text = str(exc)
    return f"is a folder, not {article(kind)} {kind}" if text == "is a folder, not a file" else text


def article(noun: str) -> str:
    """ "a" or "an", as `noun` is said ("an audio file", "a voice file", "a UTF-8 file")."""
    return "an" if noun[:1].lower() in "aeio" else "a"


@contextlib.contextmanager
def open_input(path: Path, kind: str) -> Iterator[BinaryIO]:
    """A regular file of at most its kind's limit, open for reading (to hash or stream it);
    refused as `read_regular` refuses it (OSError, ValueError) otherwise."""
    import stat

    check_input(path, kind)
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise ValueError(f"is not a regular {kind}")
        with os.fdopen(fd, "rb", closefd=False) as f:
            yield f
    finally:
        os.close(fd)


def read_json(path: Path, kind: str) -> Any:
    """A JSON file the program keeps for itself (a cache's index, its spoken text): ValueError
    for anything that is not one (not a regular file, too large, not JSON, not UTF-8, nested
    past the parser's depth), so that the caller discards it; FileNotFoundError when absent."""
    import json

    data = read_input(path, kind)
    try:
        return json.loads(data.decode("utf-8"))
    except RecursionError:
        raise ValueError("nested too deeply") from None


def _size(n: float) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1000
    return f"{n} bytes"  # pragma: no cover


human_size = _size


# ---------------------------------------------------------------- output folders


def probe_writable(folder: Path, create: bool = True) -> None:
    """Make sure `folder` is (or can become) a folder we can write: create it if asked,
    then write and remove a probe file.  Without `create` (for `check`), the nearest
    existing folder on its path must be writable.  Raises OSError naming the path."""
    folder = Path(folder)
    if not create:
        existing = folder
        while not existing.exists() and existing != existing.parent:
            existing = existing.parent
        if not existing.is_dir():
            raise NotADirectoryError(20, "not a folder", str(existing))
        if existing != folder:
            if not os.access(existing, os.W_OK | os.X_OK):
                raise PermissionError(13, "cannot create a folder here (permission denied or read-only)", str(existing))
            return
    if folder.exists() and not folder.is_dir():
        raise NotADirectoryError(20, "not a folder", str(folder))
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".podcast-probe-", dir=folder)
    except OSError as exc:  # name the folder, not the probe
        raise type(exc)(exc.errno, exc.strerror, str(folder)) from None
    try:
        os.write(fd, b"probe")
    finally:
        os.close(fd)
        with contextlib.suppress(FileNotFoundError):
            os.unlink(probe)


def check_space(folder: Path, needed: int, what: str) -> None:
    """Raise OSError(ENOSPC) naming `folder` when it has less than `needed` bytes free."""
    import errno
    import shutil

    existing = Path(folder)
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    try:
        free = shutil.disk_usage(existing).free
    except OSError:
        return  # cannot tell: the write itself will say
    if free < needed:
        raise OSError(
            errno.ENOSPC, f"not enough space for {what}: about {_size(needed)} needed, {_size(free)} free", str(folder)
        )


# ---------------------------------------------------------------- work folders


WORK_PREFIX = "podcast-work-"
LOCK_NAME = ".lock"
UNLOCKED_GRACE = 3600  # a work folder without a lock file this old is abandoned (it crashed while being made)


@contextlib.contextmanager
def work_dir(base: Path | None = None) -> Iterator[Path]:
    """A temporary folder for one run, removed when the run ends (normally, by an
    exception or by SIGINT/SIGTERM, which the command turns into exceptions).

    It holds a lock file locked for its life, like the `.part` files: after a
    kill -9 the kernel releases the lock, and `clean_abandoned()` (run at the
    start of every render and preview, and by `podcast cache prune`) removes it."""
    import shutil

    base = Path(base or tempfile.gettempdir())
    clean_abandoned(base)
    # Made and locked under another name, then renamed: a scan never sees it unlocked.
    fresh = Path(tempfile.mkdtemp(prefix=f".{WORK_PREFIX}", dir=base))
    fd = os.open(fresh / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(fd, fcntl.LOCK_EX)
    path = base / fresh.name[1:]
    os.rename(fresh, path)
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)
        os.close(fd)


def lock_is_free(lock: Path, shared: bool = False) -> bool:
    """True when no live process holds a lock on `lock` (an exclusive one, with `shared`);
    False while one does, or when the file cannot be opened."""
    try:  # without blocking: a FIFO in its place must not hang whoever looks
        fd = os.open(lock, os.O_RDONLY | os.O_NONBLOCK)
    except OSError:
        return False
    try:
        fcntl.flock(fd, (fcntl.LOCK_SH if shared else fcntl.LOCK_EX) | fcntl.LOCK_NB)
    except OSError:
        return False  # held: a live run
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)
        return True
    finally:
        os.close(fd)


def abandoned_work_dirs(base: Path | None = None) -> list[tuple[Path, int]]:
    """Work folders left by runs that died without cleaning up (kill -9, power loss):
    (folder, bytes).  A folder whose lock is held belongs to a live run and is not listed.
    For `podcast cache prune` and `podcast doctor` to report."""
    import time

    base = Path(base or tempfile.gettempdir())
    found = []
    try:
        candidates = sorted([*base.glob(f"{WORK_PREFIX}*"), *base.glob(f".{WORK_PREFIX}*")])
    except OSError:
        return []
    for folder in candidates:
        try:
            if not folder.is_dir() or folder.is_symlink():
                continue
            lock = folder / LOCK_NAME
            if lock.exists():
                if not lock_is_free(lock):
                    continue
            elif time.time() - folder.stat().st_mtime < UNLOCKED_GRACE:
                continue  # being created right now
            found.append((folder, _tree_size(folder)))
        except OSError:
            continue
    return found


def clean_abandoned(base: Path | None = None) -> tuple[int, int]:
    """Remove abandoned work folders: (folders removed, bytes freed)."""
    import shutil

    removed, freed = 0, 0
    for folder, size in abandoned_work_dirs(base):
        shutil.rmtree(folder, ignore_errors=True)
        if not folder.exists():
            removed, freed = removed + 1, freed + size
    return removed, freed


def _tree_size(folder: Path) -> int:
    total = 0
    for root, _, files in os.walk(folder):
        for name in files:
            with contextlib.suppress(OSError):
                total += os.lstat(os.path.join(root, name)).st_size
    return total
