"""The ID3 tag as strict readers see it: eyeD3, mutagen and ffmpeg (ffprobe's demuxer, through
`-f ffmetadata`) read the date and every tag from both the v2.3 (TYER/TDAT/TIME, nothing
v2.4-only) and the v2.4 (TDRC) tag."""

import eyed3
import pytest
from mutagen.id3 import ID3

from conftest import untagged_mp3
from pipeline.publish.tags import write_tags
from pipeline.sound import ffmpeg
from pipeline.sound.timeline import ChapterSpan

pytestmark = pytest.mark.tools

# Frames ID3v2.3 does not have (ID3v2.4 section 4.2.5 and the v2.3 -> v2.4 changes).
V24_ONLY = {"TDRC", "TDRL", "TDEN", "TDOR", "TDTG", "TIPL", "TMCL", "TMOO", "TPRO", "TSOA", "TSOP", "TSOT", "TSST"}


def tagged(tmp_path, version, date="2026-11-25T09:30", **kw):
    path = tmp_path / f"v{version}.mp3"
    untagged_mp3(path)
    kw.setdefault("description", "<p>About <b>loudness</b> &amp; peaks</p>")
    write_tags(
        path,
        title="Why Loudness Matters",
        artist="Ada Host",
        album="Signal Path",
        track=7,
        date=date,
        artwork=None,
        chapters=[ChapterSpan("One", 0.0, 1.5), ChapterSpan("Two", 1.5, 3.0)],
        duration=3.0,
        version=version,
        **kw,
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
    assert tags.getall("COMM")[0].text == ["About loudness & peaks"]


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
    assert tag.comments[0].text == "About loudness & peaks"


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
    assert meta["album"] == "Signal Path" and meta["track"] == "7" and meta["comment"] == "About loudness & peaks"
    assert chapters == 2


def test_date_only(tmp_path):
    tags = ID3(tagged(tmp_path, 3, date="2026-01-02"), translate=False)
    assert str(tags["TYER"]) == "2026" and str(tags["TDAT"]) == "0201" and "TIME" not in tags


@pytest.mark.parametrize(
    "date, fields",
    [
        ("2026-11-05T09:30", (2026, 11, 5, 9, 30)),  # eyeD3 drops TDAT "0511" and TIME "0930"
        ("2026-01-02T00:05", (2026, 1, 2, 0, 5)),
        ("2026-11-25T10:30", (2026, 11, 25, 10, 30)),
        ("2026-03-04", (2026, 3, 4, None, None)),
    ],
)
def test_v23_whole_date_in_eyed3_mutagen_and_ffmpeg(tmp_path, date, fields):
    """eyeD3 0.9.9 reads the v2.3 recording date as the year alone when the day is 1-9 or the time
    before 10:00 (it checks TDAT and TIME as years); it reads the whole date from XDOR."""
    path = tagged(tmp_path, 3, date=date)
    tag = eyed3.load(str(path)).tag
    for got in (tag.release_date, tag.getBestDate()):
        assert (got.year, got.month, got.day, got.hour, got.minute) == fields, str(got)
    assert str(ID3(path)["TDRC"]).startswith(date.replace("T", " "))  # mutagen: TYER+TDAT+TIME as one timestamp
    assert ffmetadata(path)[0]["date"] == date.replace("T", " ")
    assert not V24_ONLY & {k[:4] for k in ID3(path, translate=False).keys()}


def test_html_description_is_plain_text_in_every_reader(tmp_path):
    html = "<p>About <b>loudness</b> &amp; peaks.</p>\n<p>Then <i>true</i>\n peak &eacute;t&#233;.<br>Bye</p><script>x()</script>"
    for version in (3, 4):
        path = tagged(tmp_path, version, description=html)
        text = "About loudness & peaks.\nThen true peak été.\nBye"
        assert ID3(path).getall("COMM")[0].text == [text]
        assert eyed3.load(str(path)).tag.comments[0].text == text
        raw = ffmpeg.run(["-i", path, "-f", "ffmetadata", "-"]).stdout.decode()
        assert "comment=About loudness & peaks.\\\nThen true peak été.\\\nBye\n" in raw  # ffmetadata escapes a new line


def test_plain_text_description_stays_as_written(tmp_path):
    path = tagged(tmp_path, 3, description="Q&A: is x < y? AT&T says so")
    assert ID3(path).getall("COMM")[0].text == ["Q&A: is x < y? AT&T says so"]


@pytest.mark.parametrize(
    "language, code", [("de-AT", "deu"), ("fr", "fra"), ("es", "spa"), ("en-US", "eng"), ("fil", "fil")]
)
def test_comment_language_is_the_shows(tmp_path, language, code):
    path = tagged(tmp_path, 3, language=language)
    assert ID3(path).getall("COMM")[0].lang == code
    assert eyed3.load(str(path)).tag.comments[0].lang == code.encode()


def test_id3_language_codes():
    from pipeline.publish.tags import id3_language

    assert [id3_language(t) for t in ("de-AT", "fr", "es", "en-US", "zh-Hant-TW", "NL", "yue", "zz")] == [
        "deu",
        "fra",
        "spa",
        "eng",
        "zho",
        "nld",
        "yue",
        "und",
    ]


def test_chapter_titles_from_headings_are_plain_text(tmp_path):
    """A heading's inline HTML and entities are gone before the CHAP frame (the Markdown reader)."""
    from pipeline._config import Settings
    from pipeline.parse.script import load_script

    script = tmp_path / "ep.md"
    script.write_text("# T\n\n## The <em>big</em> one &amp; more\n\nHello there.\n", encoding="utf-8")
    titles = [c.title for c in load_script(script, Settings()).chapters]
    path = tmp_path / "c.mp3"
    untagged_mp3(path)
    write_tags(
        path,
        title="T",
        artist="",
        album="",
        track=None,
        date=None,
        description=None,
        artwork=None,
        chapters=[ChapterSpan(t, 0.0, 3.0) for t in titles],
        duration=3.0,
    )
    assert [c.title for c in eyed3.load(str(path)).tag.chapters] == ["The big one & more"]
