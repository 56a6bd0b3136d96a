"""A local web server for the show's site that answers HTTP Range requests.

Browsers fetch `<audio>` in byte ranges and can only seek when the server
answers them (206 Partial Content); Python's `http.server` does not, so
`podcast site --serve` (and the browser tests) use this handler.  For
previewing on this machine only: it binds to 127.0.0.1 by default.
"""

from __future__ import annotations

import functools
import io
import logging
import os
import re
import sys
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any, AnyStr, BinaryIO

if TYPE_CHECKING:
    from _typeshed import SupportsRead, SupportsWrite

_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
log = logging.getLogger("pipeline")


class RangeRequestHandler(SimpleHTTPRequestHandler):
    """SimpleHTTPRequestHandler plus single byte ranges (what browsers ask for media)."""

    _range: int | None = None  # the length of the range being sent

    def send_head(self) -> io.BytesIO | BinaryIO | None:
        self._range = None
        header = self.headers.get("Range")
        path = self.translate_path(self.path)
        if "\x00" in path:  # no file has it; open() would raise ValueError, not OSError
            self.send_error(HTTPStatus.BAD_REQUEST, "A path cannot hold a NUL byte")
            return None
        if header is None or not os.path.isfile(path):
            return super().send_head()
        m = _RANGE.match(header.strip())
        size = os.path.getsize(path)
        if not m or (not m.group(1) and not m.group(2)):
            return super().send_head()  # several ranges or a malformed header: the whole file
        if m.group(1):
            start, end = int(m.group(1)), int(m.group(2)) if m.group(2) else size - 1
        else:  # the last N bytes
            start, end = max(0, size - int(m.group(2))), size - 1
        if start >= size or start > end:
            self.send_response(HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE)
            self.send_header("Content-Range", f"bytes */{size}")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        end = min(end, size - 1)
        f = open(path, "rb")
        f.seek(start)
        self._range = end - start + 1
        self.send_response(HTTPStatus.PARTIAL_CONTENT)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        self.send_header("Content-Length", str(self._range))
        self.send_header("Accept-Ranges", "bytes")
        self.end_headers()
        return f

    def end_headers(self) -> None:
        if self._range is None:
            self.send_header("Accept-Ranges", "bytes")
        super().end_headers()

    def copyfile(self, source: SupportsRead[AnyStr], outputfile: SupportsWrite[AnyStr]) -> None:
        remaining = self._range
        if remaining is None:
            return super().copyfile(source, outputfile)
        while remaining > 0:
            block = source.read(min(64 * 1024, remaining))
            if not block:
                break
            outputfile.write(block)
            remaining -= len(block)

    def log_message(self, format: str, *args: Any) -> None:  # quiet: the command says where it serves
        pass


class SiteServer(ThreadingHTTPServer):
    """A request that fails in a way the handler did not foresee is one warning line, not
    socketserver's traceback on the terminal; the server goes on."""

    def handle_error(self, request: Any, client_address: Any) -> None:
        exc = sys.exc_info()[1]
        log.warning("site server: a request from %s failed: %s: %s", client_address[0], type(exc).__name__, exc)


def handler(folder: Path) -> Any:
    """The request handler that serves `folder`."""
    return functools.partial(RangeRequestHandler, directory=str(folder))


def server(folder: Path, host: str = "127.0.0.1", port: int = 8000) -> SiteServer:
    """A server for `folder` (port 0: any free port), bound; call serve_forever() on it.
    OSError when the port cannot be had (in use, or privileged)."""
    return SiteServer((host, port), handler(folder))
