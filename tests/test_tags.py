"""ID3 tags and chapter frames (tags.py reaches into mutagen's private ID3._write:
these tests fail, instead of a user's render, if a mutagen release changes it)."""

import re

import pytest
from mutagen.id3 import ID3

from conftest import untagged_mp3
from pipeline.publish.tags import _ChapterOrderedID3, write_tags
from pipeline.sound import ffmpeg
from pipeline.sound.timeline import ChapterSpan

# Uses ffmpeg or eSpeak NG: CI runs these again with the distribution's own tools.
pytestmark = pytest.mark.tools

# Longest title first: mutagen, left alone, writes frames smallest first.
CHAPTERS = [
    ChapterSpan("A much longer opening chapter title than the others", 0.0, 1.0),
    ChapterSpan("Middle part", 1.0, 2.0),
    ChapterSpan("End", 2.0, 3.0),
]


def mp3(tmp_path):
    return untagged_mp3(tmp_path / "t.mp3")


def chap_order(path):
    raw = path.read_bytes()
    return [m.group(1).decode() for m in re.finditer(rb"CHAP.{6}(chp\d)\x00", raw, re.S)]


def test_chap_frames_are_written_in_time_order(tmp_path):
    path = mp3(tmp_path)
    write_tags(
        path,
        title="T",
        artist="A",
        album="S",
        track=1,
        date="2026-11-25",
        description=None,
        artwork=None,
        chapters=CHAPTERS,
        duration=3.0,
    )
    assert chap_order(path) == ["chp0", "chp1", "chp2"]
    tags = ID3(path)
    assert [tags[f"CHAP:chp{i}"].sub_frames["TIT2"].text[0] for i in range(3)] == [c.title for c in CHAPTERS]
    meta = ffmpeg.run(["-i", path, "-f", "ffmetadata", "-"]).stdout.decode()
    assert re.findall(r"title=(.*)", meta)[-3:] == [c.title for c in CHAPTERS]


def test_the_override_is_what_orders_them(tmp_path):
    """Without the override mutagen writes the frames out of order: the test above can fail."""
    plain, ours = mp3(tmp_path), tmp_path / "ours.mp3"
    ours.write_bytes(plain.read_bytes())
    from mutagen.id3 import CHAP, TIT2

    for cls, path in ((ID3, plain), (_ChapterOrderedID3, ours)):
        tags = cls()
        for i, c in enumerate(CHAPTERS):
            tags.add(
                CHAP(
                    element_id=f"chp{i}",
                    start_time=int(c.start * 1000),
                    end_time=int(c.end * 1000),
                    sub_frames=[TIT2(encoding=3, text=c.title)],
                )
            )
        tags.save(path, v2_version=3)
    assert chap_order(plain) != ["chp0", "chp1", "chp2"]
    assert chap_order(ours) == ["chp0", "chp1", "chp2"]
