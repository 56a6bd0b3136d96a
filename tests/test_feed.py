"""The show's feed, from a real render of three episodes (eSpeak NG voice, no music, so it
takes seconds): parsed back by feedparser and podcastparser, every required tag there,
enclosure lengths equal to the files, GUIDs kept across a re-render and a file rename,
the same bytes from the same inputs, and the chapters the same in MP3, JSON and feed."""

import json
import os
import shutil
import subprocess
import sys
import uuid

import feedparser
import podcastparser
import pytest
from lxml import etree
from mutagen.id3 import ID3
from PIL import Image

from conftest import write
from pipeline.publish.feed import ITUNES, PODCAST
from pipeline.showmeta import PODCAST_GUID_NAMESPACE

pytestmark = pytest.mark.tools

BASE = "https://media.example.com/signal-path/"
TOML = f"""[show]
title = "Signal Path"
description = "Sound, from an idea to your ears. <b>Weekly</b> & free."
author = "The Signal Path team"
owner_name = "Ada Lovelace"
owner_email = "ada@example.com"
language = "en-GB"
categories = ["Technology", "Arts/Design"]
explicit = false
website = "https://example.com/signal-path"
base_url = "{BASE}"
copyright = "© 2026 The Signal Path team"
type = "episodic"
locked = true
artwork = "cover.jpg"

[show.speaker_names]
narrator = "Ada Lovelace"

[speech]
voice = "espeak"

[music]
intro = "none"
outro = "none"
"""

EP1 = """---
title: "Loudness & you"
episode: 1
date: 2026-11-20
description: "Why <em>loudness</em> matters & what -16 LUFS means."
speakers:
  HOST: espeak
---

Welcome to the first episode.

## Second chapter

HOST: The host label speaks with the narrator's voice.
"""

EP2 = """---
title: Chapters
season: 1
episode: 2
episode_type: full
explicit: false
date: 2026-11-25 09:30:00+01:00
description: Marks in the pause.
artwork: ../own.png
---

A short second episode.
"""

UNDATED = """---
title: Not yet published
---

No date, so not in the feed.
"""


def itunes(tag):
    return f"{{{ITUNES}}}{tag}"


def pc(tag):
    return f"{{{PODCAST}}}{tag}"


@pytest.fixture(scope="module")
def show(tmp_path_factory):
    root = tmp_path_factory.mktemp("show")
    Image.new("RGB", (1400, 1400), "orange").save(root / "cover.jpg", "JPEG")
    Image.new("RGB", (1500, 1500), "teal").save(root / "own.png", "PNG")  # episode two's own art
    write(root / "podcast.toml", TOML)
    write(root / "episodes" / "one.md", EP1)
    write(root / "episodes" / "two.md", EP2)
    write(root / "episodes" / "undated.md", UNDATED)
    return root


@pytest.fixture(scope="module")
def rendered(show):
    proc = run(show, "render", "episodes", "-j", "1")
    assert proc.returncode == 0, proc.stderr
    return show / "out"


def run(show, *args):
    env = {**os.environ, "PODCAST_CACHE": str(show / "cache")}
    return subprocess.run(
        [sys.executable, "-m", "pipeline", *args], cwd=show, capture_output=True, text=True, env=env, timeout=600
    )


def test_render_writes_the_feed(rendered):
    assert (rendered / "feed.xml").is_file()
    covers = sorted(p.name for p in rendered.glob("cover-*.jpg"))
    assert len(covers) == 1  # the show's art, once, beside the outputs


def test_feedparser_reads_it(rendered, show):
    feed = feedparser.parse((rendered / "feed.xml").read_bytes())
    assert feed.bozo == 0, feed.bozo_exception
    assert feed.version == "rss20"
    ch = feed.feed
    assert ch.title == "Signal Path" and ch.language == "en-GB"
    assert ch.author_detail.email == "ada@example.com" or ch.publisher_detail.email == "ada@example.com"
    assert ch.image.href == BASE + sorted(p.name for p in rendered.glob("cover-*.jpg"))[0]
    assert [t["term"] for t in ch.tags] == ["Technology", "Arts", "Design"]
    # feedparser 6 reads only "yes"/"true" (True) and "clean" (False); "false", Apple's spelling, is None
    assert ch.itunes_explicit is None and "itunes_explicit" in ch
    assert [e.title for e in feed.entries] == ["Chapters", "Loudness & you"]  # newest first, undated left out
    for entry in feed.entries:
        enclosure = entry.enclosures[0]
        name = enclosure.href.removeprefix(BASE)
        assert enclosure.type == "audio/mpeg" and int(enclosure.length) == (rendered / name).stat().st_size
        report = json.loads((rendered / name.replace(".mp3", ".report.json")).read_text())
        assert int(entry.itunes_duration) == round(report["duration"])
    two, one = feed.entries
    assert two.itunes_season == "1" and two.itunes_episode == "2" and two.itunes_episodetype == "full"
    assert two.published == "Wed, 25 Nov 2026 09:30:00 +0100"
    assert one.published == "Fri, 20 Nov 2026 00:00:00 +0000"
    assert one.summary == "Why <em>loudness</em> matters & what -16 LUFS means."  # HTML kept, escaped in the XML
    assert one.podcast_chapters["url"] == BASE + "one.chapters.json"


def test_podcastparser_reads_it(rendered):
    with open(rendered / "feed.xml", "rb") as f:
        parsed = podcastparser.parse(BASE + "feed.xml", f)
    assert parsed["title"] == "Signal Path" and parsed["type"] == "episodic"
    assert parsed["cover_url"].startswith(BASE + "cover-")
    assert parsed["itunes_owner"] == {"name": "Ada Lovelace", "email": "ada@example.com"}
    assert parsed["itunes_categories"] == [["Technology"], ["Arts", "Design"]]
    episodes = parsed["episodes"]
    assert [e["title"] for e in episodes] == ["Chapters", "Loudness & you"]
    for e in episodes:
        (enclosure,) = e["enclosures"]
        assert enclosure["file_size"] == (rendered / enclosure["url"].removeprefix(BASE)).stat().st_size
        assert enclosure["mime_type"] == "audio/mpeg" and e["total_time"] > 0
        uuid.UUID(e["guid"])
    assert (episodes[0]["number"], episodes[0]["season"], episodes[0]["type"]) == (2, 1, "full")
    assert episodes[1]["description_html"] == "Why <em>loudness</em> matters & what -16 LUFS means."
    assert episodes[1]["description"] == "Why loudness matters & what -16 LUFS means."
    assert "chapters_json_url" not in episodes[0]  # the spec's namespace URI, which podcastparser 0.6 skips


def test_podcastparser_reads_the_podcast_elements_under_its_alias(rendered):
    """The spec says readers must treat its GitHub URL as the same namespace; podcastparser
    knows only that one.  Under it, our podcast: elements are read as meant."""
    data = (
        (rendered / "feed.xml")
        .read_bytes()
        .replace(PODCAST.encode(), b"https://github.com/Podcastindex-org/podcast-namespace/blob/main/docs/1.0.md")
    )
    (rendered.parent / "alias.xml").write_bytes(data)
    with open(rendered.parent / "alias.xml", "rb") as f:
        one = podcastparser.parse(BASE + "feed.xml", f)["episodes"][1]
    assert one["chapters_json_url"] == BASE + "one.chapters.json"
    assert one["transcript_url"] in (BASE + "one.vtt", BASE + "one.srt")
    assert [p["name"] for p in one["persons"]] == ["Ada Lovelace"]


def test_every_required_tag(rendered):
    root = etree.parse(str(rendered / "feed.xml")).getroot()
    assert root.tag == "rss" and root.get("version") == "2.0"
    assert root.nsmap["podcast"] == "https://podcastindex.org/namespace/1.0"
    ch = root.find("channel")
    for tag in [
        "title",
        "link",
        "description",
        "language",
        "copyright",
        "image",
        itunes("image"),
        itunes("author"),
        itunes("owner"),
        itunes("category"),
        itunes("explicit"),
        itunes("type"),
        pc("guid"),
        pc("locked"),
        "{http://www.w3.org/2005/Atom}link",
    ]:
        assert ch.find(tag) is not None, tag
    assert ch.find("description").text == "Sound, from an idea to your ears. <b>Weekly</b> & free."
    assert b"&lt;b&gt;Weekly&lt;/b&gt; &amp; free." in (rendered / "feed.xml").read_bytes()
    assert ch.find(itunes("explicit")).text == "false"
    assert ch.find(pc("locked")).text == "yes" and ch.find(pc("locked")).get("owner") == "ada@example.com"
    assert ch.find(pc("guid")).text == str(uuid.uuid5(PODCAST_GUID_NAMESPACE, "media.example.com/signal-path/feed.xml"))
    assert ch.find("{http://www.w3.org/2005/Atom}link").get("href") == BASE + "feed.xml"
    for item in ch.findall("item"):
        for tag in [
            "title",
            "description",
            "guid",
            "pubDate",
            "enclosure",
            itunes("duration"),
            itunes("episode"),
            itunes("episodeType"),
            pc("chapters"),
            pc("transcript"),
            pc("person"),
        ]:
            assert item.find(tag) is not None, tag
        assert item.find("guid").get("isPermaLink") == "false"
        assert item.find(pc("chapters")).get("type") == "application/json+chapters"
        types = sorted(t.get("type") for t in item.findall(pc("transcript")))
        assert types == ["application/x-subrip", "text/vtt"]
        for el in [item.find(pc("chapters")), *item.findall(pc("transcript"))]:
            assert (rendered / el.get("url").removeprefix(BASE)).is_file()
        assert [p.text for p in item.findall(pc("person"))] == ["Ada Lovelace"]


def test_episode_art_beside_the_outputs(rendered):
    root = etree.parse(str(rendered / "feed.xml")).getroot()
    show_art = root.find("channel").find(itunes("image")).get("href")
    two, one = root.iter("item")
    assert one.find(itunes("image")) is None  # the show's art
    own = two.find(itunes("image")).get("href")
    assert own != show_art and own.endswith(".png")
    for href in (show_art, own):
        assert (rendered / href.removeprefix(BASE)).is_file()
    assert (rendered / own.removeprefix(BASE)).read_bytes() == (rendered.parent / "own.png").read_bytes()
    assert ID3(rendered / "two.mp3").getall("APIC")[0].data == (rendered.parent / "own.png").read_bytes()


def test_one_voice_one_name_in_transcripts(rendered):
    """The narrator and HOST: (same voice) are one speaker, named as podcast.toml says."""
    vtt = (rendered / "one.vtt").read_text()
    assert set(line.split(">")[0] for line in vtt.splitlines() if line.startswith("<v ")) == {"<v Ada Lovelace"}
    assert "HOST" not in (rendered / "one.srt").read_text()


def test_chapters_the_same_in_mp3_json_and_feed(rendered):
    tags = ID3(rendered / "one.mp3")
    chap = sorted((c.start_time, c.sub_frames["TIT2"].text[0]) for c in tags.getall("CHAP"))
    doc = json.loads((rendered / "one.chapters.json").read_text())
    assert [(round(c["startTime"] * 1000), c["title"]) for c in doc["chapters"]] == chap
    report = json.loads((rendered / "one.report.json").read_text())
    assert [(round(c["start"] * 1000), c["title"]) for c in report["chapters"]] == chap
    assert len(chap) == 2 and chap[1][0] > 0


def items(path):
    root = etree.parse(str(path)).getroot()
    return {i.find("title").text: (i.find("guid").text, i.find("enclosure").get("url")) for i in root.iter("item")}


def test_same_inputs_same_bytes_and_guids_survive_rerender_and_rename(rendered, show):
    before = (rendered / "feed.xml").read_bytes()
    first = items(rendered / "feed.xml")
    proc = run(show, "feed", "episodes", "-o", "again.xml")
    assert proc.returncode == 0, proc.stderr
    assert (show / "again.xml").read_bytes() == before  # same inputs, same bytes
    proc = run(show, "render", "episodes/two.md", "--force")
    assert proc.returncode == 0, proc.stderr
    assert items(rendered / "feed.xml") == first  # a re-render changes no guid (nor URL)
    shutil.move(show / "episodes" / "one.md", show / "episodes" / "renamed.md")
    proc = run(show, "render", "episodes/renamed.md")
    assert proc.returncode == 0, proc.stderr
    after = items(rendered / "feed.xml")
    assert after["Loudness & you"][0] == first["Loudness & you"][0]  # same guid after the rename
    assert after["Loudness & you"][1] == BASE + "renamed.mp3"
    assert after["Chapters"] == first["Chapters"]


def test_feed_command_needs_a_folder(show):
    proc = run(show, "feed", "no-such-folder")
    assert proc.returncode == 2 and "not a folder" in proc.stderr


def test_feed_only_settings_do_not_rerender(show, rendered):
    """Changing the show's description reaches the feed without re-rendering any episode."""
    toml = (show / "podcast.toml").read_text()
    (show / "podcast.toml").write_text(toml.replace('description = "Sound,', 'description = "Now: sound,'))
    try:
        proc = run(show, "render", "episodes")
        assert proc.returncode == 0, proc.stderr
        assert "rendered (" not in proc.stderr and "up to date, skipped" in proc.stderr
        assert b"Now: sound, from an idea" in (rendered / "feed.xml").read_bytes()
    finally:
        (show / "podcast.toml").write_text(toml)


def test_alternate_formats_are_alternate_enclosures_with_source_and_integrity(rendered, show, tmp_path):
    """[master] formats: each extra file the render's report lists is a podcast:alternateEnclosure
    beside the MP3 (the default one), each with podcast:source and an SRI sha256 of its bytes."""
    import base64
    import hashlib

    from pipeline.publish import feed

    assert not list(etree.parse(str(rendered / "feed.xml")).getroot().iter(pc("alternateEnclosure")))
    out = tmp_path / "out"
    shutil.copytree(rendered, out)
    (out / "two.m4a").write_bytes(b"not really AAC, but bytes to hash" * 100)
    (out / "two.opus").write_bytes(b"a stale file the report does not list")
    report = json.loads((out / "two.report.json").read_text())
    report["alternates"] = {"m4a": {"file": "two.m4a"}}
    (out / "two.report.json").write_text(json.dumps(report))
    settings, scripts = feed.show_scripts(show / "episodes", None)
    root = etree.fromstring(feed.build(settings, feed.items(scripts, settings, out), out))
    item = next(i for i in root.iter("item") if i.find("title").text == "Chapters")
    alts = item.findall(pc("alternateEnclosure"))
    assert [(a.get("type"), a.get("title"), a.get("codecs"), a.get("default")) for a in alts] == [
        ("audio/mpeg", "MP3", "mp3", "true"),
        ("audio/mp4", "AAC", "mp4a.40.2", None),
    ]
    for alt, name in zip(alts, ["two.mp3", "two.m4a"]):
        data = (out / name).read_bytes()
        assert alt.get("length") == str(len(data))
        assert int(alt.get("bitrate")) == round(len(data) * 8 / report["duration"])
        [source] = alt.findall(pc("source"))
        assert (source.get("uri"), source.get("contentType")) == (BASE + name, alt.get("type"))
        [integrity] = alt.findall(pc("integrity"))
        sri = "sha256-" + base64.b64encode(hashlib.sha256(data).digest()).decode()
        assert (integrity.get("type"), integrity.get("value")) == ("sri", sri)
    other = next(i for i in root.iter("item") if i.find("title").text != "Chapters")
    assert other.findall(pc("alternateEnclosure")) == []  # no extra formats rendered
