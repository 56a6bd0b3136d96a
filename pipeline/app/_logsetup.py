"""Logging set-up for the command line and for batch worker processes: one line per
message, prefixed `podcast:`, on stderr."""

from __future__ import annotations

import contextlib
import logging
import sys
from typing import Callable, Iterator, Sequence


def setup_logging(debug: bool, quiet: bool) -> None:
    level = logging.DEBUG if debug else logging.WARNING if quiet else logging.INFO
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_Formatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.WARNING)
    logging.getLogger("pipeline").setLevel(level)
    if debug:
        root.setLevel(logging.DEBUG)


class _Formatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        msg = record.getMessage()
        if record.levelno >= logging.WARNING:
            return f"podcast: {record.levelname.lower()}: {msg}"
        if record.levelno <= logging.DEBUG:
            return f"podcast: debug: {record.name}: {msg}"
        return f"podcast: {msg}"


# ---------------------------------------------------------------- each warning once


class _Recorder(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextlib.contextmanager
def recorded() -> Iterator[list[str]]:
    """The warnings logged inside the block (printed as usual too)."""
    recorder = _Recorder()
    root = logging.getLogger()
    root.addHandler(recorder)
    try:
        yield recorder.messages
    finally:
        root.removeHandler(recorder)


@contextlib.contextmanager
def _dropping(drop: Callable[[logging.LogRecord], bool]) -> Iterator[None]:
    class Drop(logging.Filter):
        def filter(self, record: logging.LogRecord) -> bool:
            return not drop(record)

    dropped = Drop()
    handlers = list(logging.getLogger().handlers)
    for handler in handlers:
        handler.addFilter(dropped)
    try:
        yield
    finally:
        for handler in handlers:
            handler.removeFilter(dropped)


def not_again(messages: Sequence[str]) -> contextlib.AbstractContextManager[None]:
    """Inside the block, the warnings in `messages` (already printed) are not printed again."""
    shown = set(messages)
    return _dropping(lambda r: r.levelno == logging.WARNING and r.getMessage() in shown)


def quiet(logger: str) -> contextlib.AbstractContextManager[None]:
    """Inside the block, `logger` and the loggers under it print no warnings (errors still)."""
    return _dropping(lambda r: r.levelno == logging.WARNING and (r.name == logger or r.name.startswith(logger + ".")))
