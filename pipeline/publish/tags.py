"""ID3 tags and chapter frames, written with mutagen.

Chapters follow the ID3v2 Chapter Frame Addendum: one CHAP frame per chapter
(start and end in milliseconds, its title as a TIT2 sub-frame) and one
top-level, ordered CTOC frame listing them, which is what podcast apps,
ffprobe and mutagen read back.

The description may be HTML (the feed and the site carry it as such); an ID3 comment is
plain text, so it gets the description's text: tags gone, entities undone, a paragraph or
line break a new line.  The comment's language is the show's (`show.language`, a BCP 47
tag) as the ISO 639-2 code ID3 wants.
"""

from __future__ import annotations

import functools
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from mutagen.id3 import (
    APIC,
    CHAP,
    COMM,
    CTOC,
    ID3,
    TALB,
    TCON,
    TDAT,
    TDRC,
    TIME,
    TIT2,
    TLEN,
    TPE1,
    TRCK,
    TSSE,
    TYER,
    CTOCFlags,
    Frame,
    TextFrame,
)

from .. import __version__
from ..errors import MediaError
from ..sound.timeline import ChapterSpan
from .html import plain_text

if TYPE_CHECKING:
    from mutagen.id3._util import ID3SaveConfig

TOOL = f"podcast-pipeline {__version__}"


class _ChapterOrderedID3(ID3):
    """mutagen orders frames by size, but ffprobe and many podcast apps list
    CHAP frames in file order: write them last, by start time."""

    def _write(self, config: ID3SaveConfig) -> bytes:
        from mutagen.id3._tags import save_frame

        chapters = sorted(self.getall("CHAP"), key=lambda f: f.start_time)
        self.delall("CHAP")
        try:
            head = super()._write(config)  # type: ignore[no-untyped-call]  # mutagen's, unannotated
        finally:
            for frame in chapters:
                self.add(frame)
        return head + b"".join(save_frame(f, config=config) for f in chapters)


# An ID3 frame holds at most 256 MB and podcast apps want a few hundred KB; past this it is a mistake.
MAX_ARTWORK_BYTES = 10_000_000


def artwork_mime(path: Path) -> str:
    """The MIME type of cover art, from its first bytes; a clear error if it is not an image."""
    from .._fsutil import read_regular

    try:  # not read at all unless it is a regular file of sane size: a FIFO would block
        head = read_regular(path, "picture", MAX_ARTWORK_BYTES, limit=8)
    except OSError as exc:
        raise MediaError(f"artwork {path}: {exc.strerror or 'cannot be read'}") from None
    except ValueError as exc:
        hint = " (podcast apps want a few hundred KB)" if "at most" in str(exc) else ""
        raise MediaError(f"artwork {path}: {exc}{hint}") from None
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    raise MediaError(f"artwork {path}: not a JPEG or PNG image")


def write_tags(
    path: Path,
    *,
    title: str,
    artist: str,
    album: str,
    track: int | None,
    date: str | None,
    description: str | None,
    artwork: Path | None,
    chapters: Sequence[ChapterSpan],
    duration: float,
    version: int = 3,
    genre: str = "Podcast",
    language: str = "en",
) -> None:
    """`description`: HTML or plain text (written as plain text); `language`: a BCP 47 tag."""
    tags = _ChapterOrderedID3()  # the encoder wrote none; this is the only tag
    tags.add(TIT2(encoding=3, text=title))
    if artist:
        tags.add(TPE1(encoding=3, text=artist))
    if album:
        tags.add(TALB(encoding=3, text=album))
    if track is not None:
        tags.add(TRCK(encoding=3, text=str(track)))
    if date:
        for frame in date_frames(date, version):
            tags.add(frame)
    tags.add(TCON(encoding=3, text=genre))
    text = plain_text(description, lines=True) if description else ""
    if text:
        tags.add(COMM(encoding=3, lang=id3_language(language), desc="", text=text))
    tags.add(TSSE(encoding=3, text=TOOL))
    tags.add(TLEN(encoding=3, text=str(int(round(duration * 1000)))))
    if artwork is not None:
        tags.add(APIC(encoding=3, mime=artwork_mime(artwork), type=3, desc="Cover", data=_artwork_bytes(artwork)))
    ids = [f"chp{i}" for i in range(len(chapters))]
    for element_id, chapter in zip(ids, chapters):
        tags.add(
            CHAP(
                element_id=element_id,
                start_time=int(round(chapter.start * 1000)),
                end_time=int(round(chapter.end * 1000)),
                start_offset=0xFFFFFFFF,
                end_offset=0xFFFFFFFF,
                sub_frames=[TIT2(encoding=3, text=chapter.title)],
            )
        )
    if chapters:
        tags.add(
            CTOC(
                element_id="toc",
                flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED,
                child_element_ids=ids,
                sub_frames=[TIT2(encoding=3, text="Chapters")],
            )
        )
    if version == 3:
        tags.update_to_v23()  # nothing v2.4-only (mutagen leaves that to the caller)
    tags.save(path, v2_version=version)


def _artwork_bytes(path: Path) -> bytes:
    from .._fsutil import read_regular
    from .artwork import cover_bytes

    try:
        read_regular(path, "picture", MAX_ARTWORK_BYTES, limit=8)  # a regular file of sane size
        return cover_bytes(path)  # a palette PNG as RGB
    except (OSError, ValueError) as exc:
        raise MediaError(f"artwork {path}: {getattr(exc, 'strerror', None) or exc}") from None


def date_frames(date: str, version: int) -> list:
    """The recording date: ID3v2.4's TDRC (an ISO 8601 timestamp, to the minute or second when
    given), or ID3v2.3's TYER (YYYY), TDAT (DDMM) and, with a time, TIME (HHMM), as digits in Latin-1.

    v2.3 with a day also gets XDOR (the ISO 8601 date, and time to the minute), the original
    release date as eyeD3 writes it: eyeD3 (0.9.9) checks each of TDAT and
    TIME as if it were a date, so it drops a TDAT of day 1 to 9 ("0511" is no year it accepts)
    and a TIME before 10:00, and its recording date is then the year alone.  The spec's DDMM and
    HHMM are the only forms mutagen and ffmpeg read (four digits exactly), so no TDAT/TIME layout
    serves all three; eyeD3 reads the whole date from XDOR (`release_date`, `getBestDate()`).
    XDOR is an experimental frame (X...), which ID3v2.3 allows and other readers skip."""
    if version == 4:
        return [TDRC(encoding=0, text=date)]
    frames: list[Frame] = [TYER(encoding=0, text=date[:4])]
    if len(date) >= 10:
        frames.append(TDAT(encoding=0, text=date[8:10] + date[5:7]))
    if len(date) >= 16:
        frames.append(TIME(encoding=0, text=date[11:13] + date[14:16]))
    if len(date) >= 10:
        frames.append(XDOR(encoding=0, text=date[:16] if len(date) >= 16 else date[:10]))  # type: ignore[no-untyped-call]  # mutagen's, unannotated
    return frames


class XDOR(TextFrame):
    """eyeD3's v2.3 original release date (ISO 8601), which mutagen does not know."""


def id3_language(tag: str) -> str:
    """The ISO 639-2 code of a BCP 47 language tag's language (de-AT: deu, fr: fra, en-US: eng);
    a three-letter primary subtag is one already; "und" (undetermined) for an unknown code."""
    primary = tag.split("-")[0].lower()
    if len(primary) == 3 and primary.isalpha():
        return primary
    return _iso639().get(primary, "und")


@functools.cache
def _iso639() -> dict[str, str]:
    text = resources.files("pipeline").joinpath("data").joinpath("iso639.tsv").read_text(encoding="utf-8")
    return dict(line.split("\t")[:2] for line in text.splitlines() if line and not line.startswith("#"))
