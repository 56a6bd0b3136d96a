"""One exception hierarchy; every message is written for the podcaster.

`cli.main()` maps these to exit codes and prints `str(error)` on one line.
"""

from __future__ import annotations


class PipelineError(Exception):
    """Base of every error the user can do something about."""

    exit_code = 1


class UsageError(PipelineError):
    """A command-line argument that cannot be used (bad index, unknown flag value)."""

    exit_code = 2


class ScriptError(PipelineError):
    """An episode script that cannot be read or parsed."""

    def __init__(self, path: object, problem: str, line: int | None = None):
        where = f"{path}:{line}" if line else f"{path}"
        super().__init__(f"{where}: {problem}")
        self.path = path
        self.problem = problem
        self.line = line


class ConfigError(PipelineError):
    """A podcast.toml, voice file or setting that is invalid."""


class VoiceError(PipelineError):
    """An unknown voice, or a voice whose model cannot be loaded."""


class SynthesisError(PipelineError):
    """The TTS engine failed on a piece of text."""


class MediaError(PipelineError):
    """ffmpeg failed, or an audio file is missing or unreadable."""


class Interrupted(KeyboardInterrupt):
    """SIGINT or SIGTERM arrived: stop, clean up, exit 128 + the signal's number.

    A KeyboardInterrupt, so nothing that catches Exception swallows it; a batch
    fills in which episodes finished before it arrived."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum
        self.finished: list[str] = []
        self.unfinished: list[str] = []

    @property
    def exit_code(self) -> int:
        return 128 + self.signum


# What an OSError's errno means to a podcaster; anything else is a bug.
_OS_PROBLEMS = {
    "ENOSPC": "no space left on the device",
    "EDQUOT": "disk quota exceeded",
    "EROFS": "read-only file system",
    "EACCES": "permission denied",
    "EPERM": "operation not permitted",
    "ENOTDIR": "not a folder",
    "EISDIR": "is a folder",
    "EEXIST": "already exists",
    "ENOENT": "no such file or folder",
    "ENAMETOOLONG": "file name too long",
    "EMFILE": "too many open files",
    "EIO": "input/output error",
}


def user_os_error(exc: OSError, where: object = None, needed: int | None = None) -> PipelineError | None:
    """An OSError the user can do something about (a full disk, a read-only folder, permissions)
    as one line naming the path: the file the error names, else `where` (the folder being
    written).  None for other errors, which stay bugs."""
    import errno

    name = errno.errorcode.get(exc.errno or 0, "")
    if name not in _OS_PROBLEMS:
        return None
    import os

    path = exc.filename if exc.filename is not None else where
    # Our own words where the code that raised it chose some, else the same words for every errno.
    text = exc.strerror if exc.strerror and exc.strerror != os.strerror(exc.errno) else _OS_PROBLEMS[name]
    if name in ("ENOSPC", "EDQUOT") and needed and "needed" not in text:
        from .fsutil import human_size

        text += f" (about {human_size(needed)} needed)"
    return PipelineError(f"{path}: {text}" if path is not None else text)
