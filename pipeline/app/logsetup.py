"""Logging set-up for the command line and for batch worker processes: one line per
message, prefixed `podcast:`, on stderr."""

from __future__ import annotations

import logging
import sys


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
