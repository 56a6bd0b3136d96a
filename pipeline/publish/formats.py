"""The extra formats beside the MP3 (`[master] formats`): AAC in M4A and Opus in Ogg.

Each is mastered from the same mix by the same algorithm as the MP3 (sound/master.py:
gain and limiter calibrated for its encoder, loudness and true peak measured on the file
as decoded), then given the episode's metadata:

- M4A: chapters as both a QuickTime chapter track (Apple's players) and a Nero `chpl`
  atom (most others, mutagen), written by ffmpeg from an FFMETADATA file while the AAC
  stream is copied; then the iTunes atoms (title, artist, album, track, date, genre,
  description, tool, cover art as `covr`) with mutagen.
- Opus: Vorbis comments with mutagen: the same fields, chapters in the Chapter
  Extension's form (`CHAPTER000=00:00:00.000`, `CHAPTER000NAME=...`, read by ffmpeg,
  VLC and others) and the cover as a `METADATA_BLOCK_PICTURE`.

Every step is deterministic (bitexact muxing: no version strings, a fixed Ogg serial), so
the same episode gives the same bytes and the feed can publish their hash.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from .._clock import clock_ms
from .._config import MasterSettings
from .._fsutil import atomic_path
from ..errors import MediaError
from ..sound import ffmpeg
from ..sound.master import ALTERNATE_EXT, Mastered, MasterResult, aac_kbps, master_alternate, opus_kbps
from ..sound.timeline import ChapterSpan
from .tags import TOOL, artwork_mime

# Per format: MIME type (RFC 4337 / RFC 7845), RFC 6381 codecs string, a title for the feed.
MEDIA: dict[str, tuple[str, str, str]] = {
    "m4a": ("audio/mp4", "mp4a.40.2", "AAC"),
    "opus": ("audio/ogg", "opus", "Opus"),
}


@dataclass(frozen=True)
class Metadata:
    title: str
    artist: str
    album: str
    track: int | None
    date: str | None
    description: str | None
    genre: str
    artwork: Path | None
    chapters: Sequence[ChapterSpan]


def write_formats(mastered: Mastered, out_dir: Path, meta: Metadata) -> dict[str, dict[str, Any]]:
    """Master, tag and write each extra format; {format: its report entry}."""
    settings = mastered.mix.track.script.settings.master
    out: dict[str, dict[str, Any]] = {}
    for fmt in settings.formats:
        result = master_alternate(mastered, fmt)
        dst = out_dir / f"{mastered.mix.track.script.slug}.{ALTERNATE_EXT[fmt]}"
        with atomic_path(dst) as tmp:
            if fmt == "m4a":
                write_m4a(result.path, tmp, meta)
            else:
                tmp.write_bytes(result.path.read_bytes())
                tag_opus(tmp, meta)
        out[fmt] = report_entry(fmt, dst, result, settings)
    return out


def report_entry(fmt: str, path: Path, result: MasterResult, settings: MasterSettings) -> dict[str, Any]:
    info = ffmpeg.probe(path)
    return {
        "file": path.name,
        "codec": "aac" if fmt == "m4a" else "opus",
        "bitrate_kbps": aac_kbps(settings) if fmt == "m4a" else opus_kbps(settings),  # nominal
        "sample_rate": info.sample_rate,
        "channels": settings.channels,
        "duration": round(info.duration, 3),
        "bytes": path.stat().st_size,
        "sha256": sha256_base64(path),
        "integrated_lufs": round(result.loudness.integrated, 2),
        "true_peak_dbtp": round(result.loudness.true_peak, 2),
        "gain_db": round(result.gain_db, 2),
        "passes": result.passes,
    }


def sha256_base64(path: Path) -> str:
    """The file's SHA-256 in standard base64 (as an SRI integrity string carries it)."""
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return base64.b64encode(digest.digest()).decode("ascii")


# ---------------------------------------------------------------- M4A


def ffmetadata(chapters: Sequence[ChapterSpan]) -> str:
    """ffmpeg's FFMETADATA1 text with one [CHAPTER] per chapter (milliseconds)."""

    def esc(text: str) -> str:
        return "".join("\\" + ch if ch in "=;#\\\n" else ch for ch in text)

    lines = [";FFMETADATA1"]
    for c in chapters:
        start, end = round(c.start * 1000), round(c.end * 1000)
        lines += ["[CHAPTER]", "TIMEBASE=1/1000", f"START={start}", f"END={max(end, start)}", f"title={esc(c.title)}"]
    return "\n".join(lines) + "\n"


def write_m4a(src: Path, dst: Path, meta: Metadata) -> None:
    """The AAC stream copied with chapters (ffmpeg), then the iTunes atoms (mutagen)."""
    if meta.chapters:
        chapters = src.with_name(f"{src.stem}.chapters.txt")
        chapters.write_text(ffmetadata(meta.chapters), encoding="utf-8")
        ffmpeg.run(
            [
                "-i",
                src,
                "-f",
                "ffmetadata",
                "-i",
                chapters,
                "-map",
                "0:a",
                "-map_chapters",
                "1",
                "-c",
                "copy",
                "-fflags",
                "+bitexact",
                "-movflags",
                "+faststart",
                "-f",
                "ipod",
                "-y",
                dst,
            ],
            what=f"adding chapters to {dst.name}",
        )
    else:
        dst.write_bytes(src.read_bytes())
    tag_m4a(dst, meta)


def tag_m4a(path: Path, meta: Metadata) -> None:
    from mutagen.mp4 import MP4, MP4Cover

    try:
        audio = MP4(path)
    except Exception as exc:  # mutagen raises its own error kinds
        raise MediaError(f"{path.name}: cannot tag the M4A: {exc}") from None
    if audio.tags is None:
        audio.add_tags()
    tags = audio.tags
    assert tags is not None
    tags["\xa9nam"] = [meta.title]
    if meta.artist:
        tags["\xa9ART"] = [meta.artist]
    if meta.album:
        tags["\xa9alb"] = [meta.album]
    if meta.track is not None:
        tags["trkn"] = [(meta.track, 0)]
    if meta.date:
        tags["\xa9day"] = [meta.date]
    if meta.genre:
        tags["\xa9gen"] = [meta.genre]
    if meta.description:
        tags["desc"] = [meta.description]
        tags["\xa9cmt"] = [meta.description]
    tags["\xa9too"] = [TOOL]
    if meta.artwork is not None:
        kind = MP4Cover.FORMAT_PNG if artwork_mime(meta.artwork) == "image/png" else MP4Cover.FORMAT_JPEG
        tags["covr"] = [MP4Cover(meta.artwork.read_bytes(), imageformat=kind)]
    audio.save()


# ---------------------------------------------------------------- Opus


def tag_opus(path: Path, meta: Metadata) -> None:
    from mutagen.flac import Picture
    from mutagen.oggopus import OggOpus

    try:
        audio = OggOpus(path)
    except Exception as exc:  # mutagen raises its own error kinds
        raise MediaError(f"{path.name}: cannot tag the Opus file: {exc}") from None
    tags = audio.tags
    assert tags is not None
    tags.clear()
    tags["TITLE"] = meta.title
    if meta.artist:
        tags["ARTIST"] = meta.artist
    if meta.album:
        tags["ALBUM"] = meta.album
    if meta.track is not None:
        tags["TRACKNUMBER"] = str(meta.track)
    if meta.date:
        tags["DATE"] = meta.date
    if meta.genre:
        tags["GENRE"] = meta.genre
    if meta.description:
        tags["DESCRIPTION"] = meta.description
    tags["ENCODER"] = TOOL
    for i, c in enumerate(meta.chapters):
        tags[f"CHAPTER{i:03d}"] = clock_ms(c.start)
        tags[f"CHAPTER{i:03d}NAME"] = c.title
    if meta.artwork is not None:
        picture = Picture()
        picture.type = 3  # front cover
        picture.mime = artwork_mime(meta.artwork)
        picture.desc = "Cover"
        picture.data = meta.artwork.read_bytes()
        tags["METADATA_BLOCK_PICTURE"] = base64.b64encode(picture.write()).decode("ascii")
    audio.save()
