"""The extra formats ([master] formats): AAC in M4A and Opus in Ogg, rendered end to end with
the fast Piper voice and real ffmpeg, read back with ffprobe, mutagen and ffmpeg's own decoder."""

import base64
import hashlib
import json
import re
import shutil
import subprocess

import pytest
from mutagen.flac import Picture
from mutagen.mp4 import MP4, MP4Cover
from mutagen.oggopus import OggOpus
from PIL import Image

from conftest import podcast, write
from pipeline._clock import clock_ms
from pipeline._notes import DEFAULT_DISCLOSURE
from pipeline.publish.formats import ffmetadata, sha256_base64
from pipeline.sound import ffmpeg
from pipeline.sound.timeline import ChapterSpan

SCRIPT = """---
title: Formats
episode: 3
date: 2026-11-20
description: "Three chapters; one title has = ; # and a backslash \\\\."
---

Welcome to a short test of the extra formats. It has three chapters.

## Second = chapter; #2

This chapter starts after a pause.

## Third chapter

And this is the last thing you will hear.
"""

TOML = """[show]
title = "Format Show"
author = "Test Author"
artwork = "cover.jpg"
[speech]
voice = "joe"
[master]
formats = ["m4a", "opus"]
"""

TITLES = ["Introduction", "Second = chapter; #2", "Third chapter"]


def test_ffmetadata_escapes_what_ffmpeg_would_read_as_syntax():
    text = ffmetadata([ChapterSpan("a=b;c#d\\e", 0.0, 1.5), ChapterSpan("Two", 1.5, 3.0004)])
    assert text.startswith(";FFMETADATA1\n[CHAPTER]\nTIMEBASE=1/1000\nSTART=0\nEND=1500\n")
    assert "title=a\\=b\\;c\\#d\\\\e\n" in text and "START=1500\nEND=3000\ntitle=Two\n" in text


def test_clock_ms_is_the_chapter_extensions_form():
    assert clock_ms(0) == "00:00:00.000"
    assert clock_ms(3723.4567) == "01:02:03.457"


def test_sha256_base64_is_the_sri_digest(tmp_path):
    path = write(tmp_path / "f", b"abc")
    assert sha256_base64(path) == "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0="  # sha256("abc"), base64


# ---------------------------------------------------------------- end to end


def render(root, out):
    r = podcast("render", root / "formats.md", "-o", out, "-q", env={"PODCAST_CACHE": str(root / "cache")})
    assert r.code == 0, r.stderr
    return out


@pytest.fixture(scope="module")
def show(tmp_path_factory):
    root = tmp_path_factory.mktemp("formats")
    Image.new("RGB", (1400, 1400), "purple").save(root / "cover.jpg", "JPEG")
    write(root / "podcast.toml", TOML)
    write(root / "formats.md", SCRIPT)
    return root


@pytest.fixture(scope="module")
def rendered(show):
    return render(show, show / "out")


def report(rendered):
    return json.loads((rendered / "formats.report.json").read_text())


def ffprobe(path):
    found = shutil.which("ffprobe")
    if not found:
        pytest.skip("no ffprobe (CI installs Debian's ffmpeg, which has it)")
    proc = subprocess.run(
        [found, "-v", "error", "-print_format", "json", "-show_format", "-show_streams", "-show_chapters", str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(proc.stdout)


def ffmpeg_chapters(path):
    """Chapters as the ffmpeg in use reads them (its ffmetadata output)."""
    text = ffmpeg.run(["-i", path, "-f", "ffmetadata", "pipe:1"]).stdout.decode()
    return [
        (int(s) * int(num) / int(den), re.sub(r"\\(.)", r"\1", t))
        for num, den, s, t in re.findall(r"\[CHAPTER\]\nTIMEBASE=(\d+)/(\d+)\nSTART=(\d+)\nEND=\d+\ntitle=(.*)", text)
    ]


def chapter_starts(rendered):
    doc = json.loads((rendered / "formats.chapters.json").read_text())
    return [(c["startTime"], c["title"]) for c in doc["chapters"]]


@pytest.mark.tools
@pytest.mark.slow
def test_outputs_beside_the_mp3_and_in_the_report(rendered):
    names = {p.name for p in rendered.iterdir()}
    assert {"formats.mp3", "formats.m4a", "formats.opus"} <= names
    r = report(rendered)
    assert (r["outputs"]["m4a"], r["outputs"]["opus"]) == ("formats.m4a", "formats.opus")
    assert set(r["alternates"]) == {"m4a", "opus"}
    for entry in r["alternates"].values():
        path = rendered / entry["file"]
        assert entry["bytes"] == path.stat().st_size
        assert entry["sha256"] == base64.b64encode(hashlib.sha256(path.read_bytes()).digest()).decode()
    assert r["stages"]["formats"] > 0


@pytest.mark.tools
@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["m4a", "opus"])
def test_loudness_and_true_peak_of_the_decoded_file(rendered, fmt):
    loud = ffmpeg.measure_loudness(rendered / f"formats.{fmt}")
    assert abs(loud.integrated - -16.0) <= 0.5
    assert loud.true_peak <= -1.0
    entry = report(rendered)["alternates"][fmt]
    assert entry["integrated_lufs"] == pytest.approx(loud.integrated, abs=0.05)
    assert entry["true_peak_dbtp"] == pytest.approx(loud.true_peak, abs=0.05)


@pytest.mark.tools
@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["m4a", "opus"])
def test_ffprobe_reads_codec_duration_chapters_and_cover(rendered, fmt):
    info = ffprobe(rendered / f"formats.{fmt}")
    audio = [s for s in info["streams"] if s["codec_type"] == "audio"]
    assert len(audio) == 1 and audio[0]["channels"] == 2
    assert (audio[0]["codec_name"], audio[0]["sample_rate"]) == (
        ("aac", "44100") if fmt == "m4a" else ("opus", "48000")
    )
    duration = report(rendered)["duration"]  # the MP3's, as decoded
    assert float(info["format"]["duration"]) == pytest.approx(duration, abs=0.03)
    assert [c["tags"]["title"] for c in info["chapters"]] == TITLES
    expected = chapter_starts(rendered)
    for c, (start, _) in zip(info["chapters"], expected):
        assert float(c["start_time"]) == pytest.approx(start, abs=0.0015)
    pictures = [s for s in info["streams"] if s.get("disposition", {}).get("attached_pic")]
    assert len(pictures) == 1 and pictures[0]["codec_name"] == "mjpeg"
    # MP4 tags are the file's, Vorbis comments the stream's
    tags = {k.lower(): v for k, v in {**info["format"].get("tags", {}), **audio[0].get("tags", {})}.items()}
    assert (tags["title"], tags["artist"], tags["album"]) == ("Formats", "Test Author", "Format Show")


@pytest.mark.tools
@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["m4a", "opus"])
def test_the_ffmpeg_in_use_reads_the_chapters(rendered, fmt):
    got = ffmpeg_chapters(rendered / f"formats.{fmt}")
    assert [t for _, t in got] == TITLES
    for (s1, _), (s2, _) in zip(got, chapter_starts(rendered)):
        assert s1 == pytest.approx(s2, abs=0.0015)
    assert ffmpeg.probe(rendered / f"formats.{fmt}").duration == pytest.approx(report(rendered)["duration"], abs=0.03)


@pytest.mark.tools
@pytest.mark.slow
def test_mutagen_reads_the_m4a(rendered, show):
    m4a = MP4(rendered / "formats.m4a")
    tags, info = m4a.tags, m4a.info
    assert m4a.chapters is not None and tags is not None and info is not None
    assert [(round(c.start, 3), c.title) for c in m4a.chapters] == [
        (pytest.approx(s, abs=0.0015), t) for s, t in chapter_starts(rendered)
    ]
    assert tags["\xa9nam"] == ["Formats"] and tags["\xa9ART"] == ["Test Author"] and tags["\xa9alb"] == ["Format Show"]
    assert tags["trkn"] == [(3, 0)] and tags["\xa9day"] == ["2026-11-20"] and tags["\xa9gen"] == ["Podcast"]
    # the description and the AI disclosure, as plain text
    assert tags["desc"] == ["Three chapters; one title has = ; # and a backslash \\.\n" + DEFAULT_DISCLOSURE]
    assert tags["\xa9too"][0].startswith("podcast-pipeline ")
    [cover] = tags["covr"]
    assert cover.imageformat == MP4Cover.FORMAT_JPEG and bytes(cover) == (show / "cover.jpg").read_bytes()
    # mutagen does not apply the edit list that drops AAC's priming samples: 1024 more, at most
    assert info.length == pytest.approx(report(rendered)["duration"], abs=0.05)
    assert (info.codec, info.sample_rate, info.channels) == ("mp4a.40.2", 44100, 2)


@pytest.mark.tools
@pytest.mark.slow
def test_mutagen_reads_the_opus(rendered, show):
    opus = OggOpus(rendered / "formats.opus")
    tags, info = opus.tags, opus.info
    assert tags is not None and info is not None
    assert tags["TITLE"] == ["Formats"] and tags["ARTIST"] == ["Test Author"] and tags["ALBUM"] == ["Format Show"]
    assert tags["TRACKNUMBER"] == ["3"] and tags["DATE"] == ["2026-11-20"] and tags["GENRE"] == ["Podcast"]
    chapters = [(tags[f"CHAPTER{i:03d}"][0], tags[f"CHAPTER{i:03d}NAME"][0]) for i in range(3)]
    assert chapters == [(clock_ms(s), t) for s, t in chapter_starts(rendered)]
    assert "CHAPTER003" not in tags
    picture = Picture(base64.b64decode(tags["METADATA_BLOCK_PICTURE"][0]))
    assert (picture.type, picture.mime) == (3, "image/jpeg") and picture.data == (show / "cover.jpg").read_bytes()
    # from the last granule position: Debian's ffmpeg 5.1 ends the stream 34 ms early in the outro's silence
    assert info.length == pytest.approx(report(rendered)["duration"], abs=0.05)
    assert info.channels == 2


@pytest.mark.tools
@pytest.mark.slow
def test_the_same_episode_gives_the_same_bytes(rendered, show, tmp_path):
    again = render(show, tmp_path / "again")  # from the segment cache: mixed, mastered, encoded anew
    for name in ("formats.mp3", "formats.m4a", "formats.opus"):
        assert (again / name).read_bytes() == (rendered / name).read_bytes(), name
    assert report(again)["alternates"] == report(rendered)["alternates"]
    (again / "formats.opus").unlink()  # an output missing: the episode is not up to date
    render(show, again)
    assert (again / "formats.opus").read_bytes() == (rendered / "formats.opus").read_bytes()
