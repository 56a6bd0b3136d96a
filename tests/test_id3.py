"""The ID3 tag as strict readers see it: eyeD3, mutagen and ffmpeg (ffprobe's demuxer, through
`-f ffmetadata`) read the date and every tag from both the v2.3 (TYER/TDAT/TIME, nothing
v2.4-only) and the v2.4 (TDRC) tag."""

import eyed3
import pytest
from mutagen.id3 import ID3

from conftest import untagged_mp3
from pipeline.publish.tags import ChapterSpan, write_tags
from pipeline.sound import ffmpeg

pytestmark = pytest.mark.tools

# Frames ID3v2.3 does not have (ID3v2.4 section 4.2.5 and the v2.3 -> v2.4 changes).
V24_ONLY = {"TDRC", "TDRL", "TDEN", "TDOR", "TDTG", "TIPL", "TMCL", "TMOO", "TPRO", "TSOA", "TSOP", "TSOT", "TSST"}


def tagged(tmp_path, version, date="2026-11-25T09:30"):
    path = tmp_path / f"v{version}.mp3"
    untagged_mp3(path)
    write_tags(
        path,
        title="Why Loudness Matters",
        artist="Ada Host",
        album="Signal Path",
        track=7,
        date=date,
        description="About <loudness> & peaks",
        artwork=None,
        chapters=[ChapterSpan("One", 0.0, 1.5), ChapterSpan("Two", 1.5, 3.0)],
        duration=3.0,
        version=version,
    )
    return path


def ffmetadata(path):
    text = ffmpeg.run(["-i", path, "-f", "ffmetadata", "-"]).stdout.decode()
    head = text.split("[CHAPTER]")[0]
    return dict(line.split("=", 1) for line in head.splitlines()[1:] if "=" in line), text.count("[CHAPTER]")


def test_v23_has_the_date_in_v23_frames_only(tmp_path):
    path = tagged(tmp_path, 3)
    tags = ID3(path, translate=False)
    assert tags.version == (2, 3, 0)
    assert not V24_ONLY & {k[:4] for k in tags.keys()}
    assert str(tags["TYER"]) == "2026" and str(tags["TDAT"]) == "2511" and str(tags["TIME"]) == "0930"
    assert str(tags["TIT2"]) == "Why Loudness Matters" and str(tags["TPE1"]) == "Ada Host"
    assert str(tags["TALB"]) == "Signal Path" and str(tags["TRCK"]) == "7"
    assert tags.getall("COMM")[0].text == ["About <loudness> & peaks"]


def test_v23_date_read_by_eyed3(tmp_path):
    tag = eyed3.load(str(tagged(tmp_path, 3))).tag
    assert tag.version == (2, 3, 0)
    date = tag.recording_date
    # The day only: eyeD3 0.9.9 parses a v2.3 TIME frame ("0930", HHMM as the spec says) as a
    # date, logs "Invalid date: 0930" and drops it; mutagen and ffmpeg read the time.
    assert (date.year, date.month, date.day) == (2026, 11, 25)
    assert tag.title == "Why Loudness Matters" and tag.artist == "Ada Host" and tag.album == "Signal Path"
    assert tag.track_num[0] == 7
    assert [c.title for c in tag.chapters] == ["One", "Two"]
    assert tag.comments[0].text == "About <loudness> & peaks"


def test_v24_date_read_by_eyed3_and_mutagen(tmp_path):
    path = tagged(tmp_path, 4)
    tags = ID3(path, translate=False)
    assert tags.version == (2, 4, 0)
    assert "TYER" not in tags and "TDAT" not in tags
    assert b"TDRC" in path.read_bytes() and b"\x002026-11-25T09:30\x00" in path.read_bytes()  # ISO 8601, with T
    tag = eyed3.load(str(path)).tag
    assert tag.version == (2, 4, 0)
    date = tag.recording_date
    assert (date.year, date.month, date.day, date.hour, date.minute) == (2026, 11, 25, 9, 30)
    assert [c.title for c in tag.chapters] == ["One", "Two"]


@pytest.mark.parametrize("version", [3, 4])
def test_ffmpeg_reads_date_and_tags(tmp_path, version):
    meta, chapters = ffmetadata(tagged(tmp_path, version))
    assert meta["date"] == "2026-11-25 09:30" if version == 3 else meta["date"] == "2026-11-25T09:30", meta
    assert meta["title"] == "Why Loudness Matters" and meta["artist"] == "Ada Host"
    assert meta["album"] == "Signal Path" and meta["track"] == "7" and meta["comment"] == "About <loudness> & peaks"
    assert chapters == 2


def test_date_only(tmp_path):
    tags = ID3(tagged(tmp_path, 3, date="2026-01-02"), translate=False)
    assert str(tags["TYER"]) == "2026" and str(tags["TDAT"]) == "0201" and "TIME" not in tags
