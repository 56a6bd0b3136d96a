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
