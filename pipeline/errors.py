"""One exception hierarchy; every message is written for the podcaster.

`cli.main()` maps these to exit codes and prints `str(error)` on one line:

    0    done
    1    a problem with the input or the media (any PipelineError; a full disk, a
         read-only folder), or `check` found something to fix
    2    bad usage (UsageError: a flag, a SEGMENT the script lacks, a missing argument)
    70   an internal error: a bug (one line; the traceback with --debug)
    128+N  interrupted by signal N (130: Ctrl-C, 143: SIGTERM)

A single-episode render exits with its episode's code; a render of several exits 1
if any failed, 70 if one failed on a bug (InternalError).

An error carries where it happened as data (`file`, `line`, `segment`), not baked into
its message: `str()` renders them once, in front (`file:line: segment N: message`), and
`podcast check` reads them as they are.  An error about another file (a voice's, the
cache's) met while working on a script keeps that file, and names the script in front
of it (`within`: `script: file: message`).
"""

from __future__ import annotations

from typing import Any

EXIT_INTERNAL = 70  # a bug: not something the user caused


class PipelineError(Exception):
    """Base of every error the user can do something about."""

    exit_code = 1

    def __init__(
        self,
        message: str = "",
        *,
        file: object = None,
        line: int | None = None,
        segment: int | None = None,
        within: object = None,
    ):
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line
        self.segment = segment
        self.within = within  # the script whose work it stopped, when `file` is another one

    def during(self, script: object) -> "PipelineError":
        """This error stopped the work on `script`: where it names no file, it happened there;
        an error about another file keeps that file and names `script` in front.  Returns the
        same error."""
        if self.file is None:
            self.file = script
        elif str(self.file) != str(script) and self.within is None:
            self.within = script
        return self

    @property
    def where(self) -> str | None:
        if self.file is None:
            return None
        return f"{self.file}:{self.line}" if self.line else f"{self.file}"

    def __str__(self) -> str:
        parts = [str(self.within)] if self.within is not None else []
        parts += [self.where or "", f"segment {self.segment}" if self.segment is not None else "", self.message]
        return ": ".join(p for p in parts if p)

    def __reduce__(self) -> tuple[Any, ...]:  # across processes with its location
        return (_rebuild, (type(self), self.__dict__))


def _rebuild(cls: type[PipelineError], state: dict[str, Any]) -> PipelineError:
    err: PipelineError = cls.__new__(cls)
    Exception.__init__(err, state.get("message", ""))
    err.__dict__.update(state)
    return err


class UsageError(PipelineError):
    """A command-line argument that cannot be used (bad index, unknown flag value)."""

    exit_code = 2


class InternalError(PipelineError):
    """A bug met in one episode of a render, carried as that episode's failure so that the
    other episodes go on; exits 70 like any other bug."""

    exit_code = EXIT_INTERNAL


class ScriptError(PipelineError):
    """An episode script that cannot be read or parsed."""

    def __init__(self, path: object, problem: str, line: int | None = None):
        super().__init__(problem, file=path, line=line)

    @property
    def path(self) -> object:
        return self.file

    @property
    def problem(self) -> str:
        return self.message


class ConfigError(PipelineError):
    """A podcast.toml, voice file or setting that is invalid."""


class VoiceError(PipelineError):
    """An unknown voice, or a voice whose model cannot be loaded."""


class SynthesisError(PipelineError):
    """The TTS engine failed on a piece of text."""


class CacheError(PipelineError):
    """The segment cache holds something that cannot be used, or cannot keep what it was given."""


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
    "EEXIST": "something of this name is already there, where a folder or file was to be made: move or remove it",
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

    path = _full_folder(exc, where) if name in ("ENOSPC", "EDQUOT") else exc.filename
    path = path if path is not None else where
    # Our own words where the code that raised it chose some, else the same words for every errno.
    text = exc.strerror if exc.strerror and exc.strerror != os.strerror(exc.errno or 0) else _OS_PROBLEMS[name]
    if name in ("ENOSPC", "EDQUOT") and needed and "needed" not in text:
        from ._fsutil import human_size

        text += f" (about {human_size(needed)} needed)"
    return PipelineError(text, file=path)


def _full_folder(exc: OSError, where: object) -> object:
    """Where a full disk is, as the user knows it: the folder that was being written.  A copy's
    error names its source first (shutil puts the destination second): the destination is the
    one that filled.  A file inside `where` (the folder the caller was writing: the output
    folder) is that folder; a file of a run's temporary work folder is that work folder."""
    import os
    from pathlib import Path

    from ._fsutil import WORK_PREFIX

    target = exc.filename2 if getattr(exc, "filename2", None) is not None else exc.filename
    if target is None:
        return where
    full = os.path.abspath(os.fsdecode(target))
    if where is not None:
        folder = os.path.abspath(os.fsdecode(str(where)))
        if full == folder or full.startswith(folder.rstrip(os.sep) + os.sep):
            return where
    parts = Path(full).parts
    for n, part in enumerate(parts):
        if part.startswith(WORK_PREFIX):
            return Path(*parts[: n + 1])
    return target
