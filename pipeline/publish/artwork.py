"""Cover art as podcast directories want it: JPEG or PNG, RGB, square, 1400 to 3000 pixels
on a side (Apple Podcasts' rule, which the others follow), and of a size a feed reader will
fetch.  Checked at `podcast check` and before any synthesis; copied beside the outputs so the
feed's <itunes:image> has a URL.  A palette PNG without transparency (Pillow's mode P) is
taken: what is published (the copy and the MP3's embedded picture) is the same picture as an
RGB PNG, converted by Pillow the same way, to the same bytes, every time.
"""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

from .._fsutil import atomic_path, check_input, read_input
from ..errors import MediaError

MIN_SIDE, MAX_SIDE = 1400, 3000
MAX_BYTES = 10_000_000  # far above any sane 3000 px JPEG or PNG; directories reject huge files
FORMATS = {"JPEG": ".jpg", "PNG": ".png"}


def check_cover(path: Path) -> str:
    """The file's extension (.jpg or .png) if it is usable podcast cover art; else a
    MediaError saying what is wrong, in one line."""
    from PIL import Image, UnidentifiedImageError

    check_input(path, "picture", MediaError)  # a regular file: a FIFO would block Pillow
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise MediaError(f"artwork {path}: {size / 1e6:.1f} MB; cover art should be under {MAX_BYTES // 1_000_000} MB")
    try:
        with Image.open(path) as image:
            fmt, mode, (width, height) = image.format, image.mode, image.size
            transparent = "transparency" in image.info
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        raise MediaError(f"artwork {path}: not a readable JPEG or PNG image") from None
    if fmt not in FORMATS:
        raise MediaError(f"artwork {path}: {fmt} image; podcast cover art must be JPEG or PNG")
    if width != height:
        raise MediaError(f"artwork {path}: {width}x{height} px is not square; cover art must be square")
    if not MIN_SIDE <= width <= MAX_SIDE:
        raise MediaError(f"artwork {path}: {width}x{height} px; cover art must be {MIN_SIDE} to {MAX_SIDE} px square")
    if mode == "P" and not transparent:
        return FORMATS[fmt]  # published as RGB (cover_bytes)
    if mode != "RGB":
        if mode == "P":
            mode = "P with transparency"
        raise MediaError(f"artwork {path}: colour mode {mode}; cover art must be RGB (no transparency, CMYK or grey)")
    return FORMATS[fmt]


def cover_name(artwork: Path) -> str:
    """The art's file name beside the outputs: cover-<digest>.jpg/.png.  Named by content, so
    the show's and an episode's own art never overwrite each other, the same art is one file,
    and new art is a new URL that apps fetch again."""
    ext = check_cover(artwork)
    return f"cover-{hashlib.sha256(cover_bytes(artwork)).hexdigest()[:12]}{ext}"


def cover_bytes(artwork: Path) -> bytes:
    """The art as published: the file's own bytes, or a palette PNG's picture as an RGB PNG
    (Pillow, no optimizing pass: the same bytes from the same file every time)."""
    data = read_input(artwork, "picture", MediaError)
    if not data.startswith(b"\x89PNG"):
        return data
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        if image.mode != "P":
            return data
        out = io.BytesIO()
        image.convert("RGB").save(out, "PNG")
    return out.getvalue()


def copy_cover(artwork: Path, out_dir: Path, name: str) -> Path:
    """Write the art beside the outputs (atomically; untouched when the bytes are the same)."""
    target = out_dir / name
    data = cover_bytes(artwork)
    if target.is_file() and target.read_bytes() == data:
        return target
    with atomic_path(target) as tmp:
        Path(tmp).write_bytes(data)
    return target
