"""The show's feed, from a real render of three episodes (eSpeak NG voice, no music, so it
takes seconds): parsed back by feedparser and podcastparser, every required tag there,
enclosure lengths equal to the files, GUIDs kept across a re-render and a file rename,
the same bytes from the same inputs, and the chapters the same in MP3, JSON and feed."""

import json
import os
import re
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import feedparser
import podcastparser
import pytest
from lxml import etree
from mutagen.id3 import ID3
from PIL import Image

from conftest import Result, podcast, write
from pipeline._clock import whole_seconds
from pipeline._notes import DEFAULT_DISCLOSURE
from pipeline._showmeta import PODCAST_GUID_NAMESPACE
from pipeline.show.feed import ITUNES, PODCAST

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
    assert proc.code == 0, proc.stderr
    return show / "out"


def run(show: Path, *args: object) -> Result:
    """`podcast ARGS` in the show's folder, with the show's own cache."""
    return podcast(*args, cwd=show, env={"PODCAST_CACHE": str(show / "cache")})


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
        assert int(entry.itunes_duration) == whole_seconds(report["duration"])
    two, one = feed.entries
    assert two.itunes_season == "1" and two.itunes_episode == "2" and two.itunes_episodetype == "full"
    assert two.published == "Wed, 25 Nov 2026 09:30:00 +0100"
    assert one.published == "Fri, 20 Nov 2026 00:00:00 +0000"
    # HTML kept, escaped in the XML; two chapters are too few for timestamps; the AI disclosure
    # the safe HTML subset in CDATA: paragraphs, the markup the author wrote, & as an entity
    assert one.summary == f"<p>Why <em>loudness</em> matters &amp; what -16 LUFS means.</p><p>{DEFAULT_DISCLOSURE}</p>"
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
    assert episodes[1]["description_html"].startswith("<p>Why <em>loudness</em> matters &amp; what -16 LUFS means.</p>")
    assert episodes[1]["description"].startswith("Why loudness matters & what -16 LUFS means.")
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
    assert one["transcript_url"] in (BASE + "one.vtt", BASE + "one.srt", BASE + "one.transcript.json")
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
    assert ch.find("description").text == "<p>Sound, from an idea to your ears. <b>Weekly</b> &amp; free.</p>"
    assert (
        b"<![CDATA[<p>Sound, from an idea to your ears. <b>Weekly</b> &amp; free.</p>]]>"
        in (rendered / "feed.xml").read_bytes()
    )
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
        assert types == ["application/json", "application/x-subrip", "text/vtt"]
        for el in [item.find(pc("chapters")), *item.findall(pc("transcript"))]:
            assert (rendered / el.get("url").removeprefix(BASE)).is_file()
        assert [(p.text, p.get("role")) for p in item.findall(pc("person"))] == [("Ada Lovelace", "host")]


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
    assert proc.code == 0, proc.stderr
    assert (show / "again.xml").read_bytes() == before  # same inputs, same bytes
    proc = run(show, "render", "episodes/two.md", "--force")
    assert proc.code == 0, proc.stderr
    assert items(rendered / "feed.xml") == first  # a re-render changes no guid (nor URL)
    shutil.move(show / "episodes" / "one.md", show / "episodes" / "renamed.md")
    proc = run(show, "render", "episodes/renamed.md")
    assert proc.code == 0, proc.stderr
    after = items(rendered / "feed.xml")
    assert after["Loudness & you"][0] == first["Loudness & you"][0]  # same guid after the rename
    assert after["Loudness & you"][1] == BASE + "renamed.mp3"
    assert after["Chapters"] == first["Chapters"]


def test_feed_command_needs_a_folder(show):
    proc = run(show, "feed", "no-such-folder")
    assert proc.code == 2 and "not a folder" in proc.stderr


def test_feed_only_settings_do_not_rerender(show, rendered):
    """Changing the show's description reaches the feed without re-rendering any episode."""
    toml = (show / "podcast.toml").read_text()
    feed_only = (
        'license = "CC-BY-4.0"\nai_disclosure_text = "Machine voices."\nanalytics_prefix = "https://op3.dev/e/"\n'
    )
    changed = toml.replace('description = "Sound,', 'description = "Now: sound,')
    (show / "podcast.toml").write_text(changed.replace("[show]\n", "[show]\n" + feed_only))
    try:
        proc = run(show, "render", "episodes")
        assert proc.code == 0, proc.stderr
        assert "rendered (" not in proc.stderr and "up to date, skipped" in proc.stderr
        assert b"Now: sound, from an idea" in (rendered / "feed.xml").read_bytes()
        assert b"Machine voices." in (rendered / "feed.xml").read_bytes()
    finally:
        (show / "podcast.toml").write_text(toml)


# ---------------------------------------------------------------- the feed from outputs on disk
# (what a render leaves, written by hand: no synthesis, so each case takes milliseconds)

FAKE_TOML = f"""[show]
title = "Signal Path"
description = "Sound, from an idea to your ears."
author = "Ada Lovelace"
owner_name = "Ada Lovelace"
owner_email = "ada@example.com"
language = "en"
categories = ["Technology"]
base_url = "{BASE}"
artwork = "cover.jpg"
{{extra}}
[show.speaker_names]
narrator = "Ada Lovelace"
GUEST = "Grace Hopper"

[speech]
voice = "espeak"
"""

GUESTED = """---
title: With a guest
date: 2026-11-20
description: Two people talk.
speakers:
  GUEST: joe
---

Welcome.

GUEST: Thank you for having me.
"""

CHAPTERS = [(0.0, "Introduction"), (12.4, "Loudness"), (75.5, "True peak")]


def fake_show(root, extra="", episodes=None, duration=43.5, chapters=CHAPTERS, out="out"):
    """A show folder and its output folder as a render leaves them (MP3, report, chapters,
    transcripts), for the scripts in `episodes` ({name: text})."""
    from pipeline._config import settings_for
    from pipeline.parse.script import load_script

    Image.new("RGB", (1400, 1400), "orange").save(root / "cover.jpg", "JPEG")
    write(root / "podcast.toml", FAKE_TOML.replace("{extra}", extra))
    out_dir = root / out
    out_dir.mkdir(exist_ok=True)
    for name, text in (episodes or {"guested.md": GUESTED}).items():
        path = write(root / "episodes" / name, text)
        script = load_script(path, settings_for(path))
        slug = script.slug
        (out_dir / f"{slug}.mp3").write_bytes(b"\xff\xfb" + bytes(998))
        doc = {"chapters": [{"startTime": s, "title": t} for s, t in chapters]}
        write(out_dir / f"{slug}.chapters.json", json.dumps(doc))
        report = {
            "episode": {"file": str(path), "slug": slug, "title": script.meta.title, "date": script.meta.date},
            "show": {"title": "Signal Path"},
            "duration": duration,
            "chapters": [{"title": t, "start": s, "end": s + 1} for s, t in chapters],
        }
        write(out_dir / f"{slug}.report.json", json.dumps(report))
        write(out_dir / f"{slug}.vtt", "WEBVTT\n\n00:00.000 --> 00:01.000\n<v Ada Lovelace>Welcome.\n")
        write(out_dir / f"{slug}.srt", "1\n00:00:00,000 --> 00:00:01,000\nWelcome.\n")
        write(out_dir / f"{slug}.transcript.json", '{"version": "1.0.0", "segments": []}\n')
    return out_dir


def fake_feed(root, include_future=False, **kwargs):
    from pipeline.show.feed import find_show, write_feed

    out_dir = fake_show(root, **kwargs) if not (root / "podcast.toml").exists() else root / "out"
    path = write_feed(find_show(root / "out"), include_future=include_future)
    return etree.parse(str(path)).getroot(), out_dir


def test_person_role_group_img_href(tmp_path):
    """A speaker's configured role is published (a guest is a guest: no role means host), with
    the group and the speaker's image."""
    extra = """
[show.speaker_roles]
GUEST = "guest"

[show.speaker_images]
narrator = "https://example.com/ada.jpg"

[show.speaker_links]
GUEST = "https://example.com/grace"
"""
    root, _ = fake_feed(tmp_path, extra=extra)
    (item,) = root.iter("item")
    people = {p.text: dict(p.attrib) for p in item.findall(pc("person"))}
    assert people == {
        "Ada Lovelace": {"role": "host", "group": "cast", "img": "https://example.com/ada.jpg"},
        "Grace Hopper": {"role": "guest", "group": "cast", "href": "https://example.com/grace"},
    }


def test_undeclared_role_is_guest_for_a_labelled_speaker(tmp_path):
    root, _ = fake_feed(tmp_path)
    (item,) = root.iter("item")
    assert [(p.text, p.get("role")) for p in item.findall(pc("person"))] == [
        ("Ada Lovelace", "host"),
        ("Grace Hopper", "guest"),
    ]


def test_a_role_outside_the_taxonomy_names_the_key(tmp_path):
    from pipeline._config import load_settings
    from pipeline.errors import ConfigError

    write(tmp_path / "podcast.toml", '[show.speaker_roles]\nGUEST = "sidekick"\n')
    with pytest.raises(ConfigError, match=r"show\.speaker_roles .*'GUEST' has 'sidekick'"):
        load_settings(tmp_path / "podcast.toml")


def test_json_transcript_in_the_feed(tmp_path):
    """The word-level JSON transcript is listed beside the cue transcripts."""
    root, _ = fake_feed(tmp_path)
    (item,) = root.iter("item")
    found = {t.get("type"): t for t in item.findall(pc("transcript"))}
    assert set(found) == {"text/vtt", "application/x-subrip", "application/json"}
    assert found["application/json"].get("url") == BASE + "guested.transcript.json"
    assert found["application/json"].get("rel") is None  # captions are the timed-text files


def test_feed_from_another_folder_is_an_error_and_writes_nothing(tmp_path, cli_inproc):
    """`podcast feed` or `site` given the scripts' folder from elsewhere is an error naming where
    the outputs are, and writes nothing (no empty feed, no ./out)."""
    show = tmp_path / "show"
    show.mkdir()
    fake_show(show)  # rendered into show/out
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    for command in ("feed", "site"):
        r = cli_inproc(command, show / "episodes", cwd=elsewhere)
        assert r.code == 1, (command, r.stderr)
        assert "nothing rendered" in r.stderr and str(elsewhere / "out") in r.stderr, r.stderr
        assert len(r.stderr.strip().splitlines()) == 1
        assert list(elsewhere.iterdir()) == []  # wrote nowhere


def test_feed_and_site_take_a_render_output_folder(tmp_path, cli_inproc):
    """`podcast feed` and `podcast site` take the folder `render -o DIR` wrote, and find the show there."""
    show = tmp_path / "show"
    show.mkdir()
    out_dir = fake_show(show, out="elsewhere-out")
    r = cli_inproc("feed", out_dir, cwd=tmp_path)
    assert r.code == 0, r.stderr
    feed = feedparser.parse((out_dir / "feed.xml").read_bytes())
    assert [e.title for e in feed.entries] == ["With a guest"]
    r = cli_inproc("site", out_dir, "-o", tmp_path / "site", cwd=tmp_path)
    assert r.code == 0, r.stderr
    assert (tmp_path / "site" / "index.html").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache", "show", "site"] or not (tmp_path / "out").exists()
    # and the show's folder, with the outputs elsewhere, says where it looked
    r = cli_inproc("feed", show, cwd=show)
    assert r.code == 1 and str(show / "out") in r.stderr and "render -o DIR" in r.stderr
    # run from elsewhere, the show's folder whose outputs are beside podcast.toml: the error points there
    fake_show(show)
    r = cli_inproc("feed", show / "episodes", cwd=tmp_path)
    assert r.code == 1 and f"they are in {show / 'out'}, give that folder" in r.stderr
    r = cli_inproc("feed", show / "episodes", cwd=show)  # from the show's folder, as render ran
    assert r.code == 0, r.stderr


def test_an_empty_folder_says_where_it_looked(tmp_path, cli_inproc):
    (tmp_path / "empty").mkdir()
    r = cli_inproc("feed", tmp_path / "empty")
    assert r.code != 0 and str(tmp_path / "empty") in r.stderr


FUTURE = """---
title: Next year
date: 2999-01-01
---

Not yet.
"""


def test_a_scheduled_episode_waits_for_its_date(tmp_path, caplog):
    """An episode dated in the future is left out of the feed until its date (with a warning)."""
    fake_show(tmp_path, episodes={"guested.md": GUESTED, "future.md": FUTURE})
    with caplog.at_level("WARNING"):
        root, _ = fake_feed(tmp_path)
    assert [i.findtext("title") for i in root.iter("item")] == ["With a guest"]
    assert "not in the feed until 2999-01-01" in caplog.text and "--include-future" in caplog.text
    root, _ = fake_feed(tmp_path, include_future=True)
    assert [i.findtext("title") for i in root.iter("item")] == ["Next year", "With a guest"]


def test_scheduled_compares_with_the_clock():
    import datetime as dt

    from pipeline.show.feed import scheduled

    now = dt.datetime(2026, 12, 1, 12, tzinfo=dt.timezone.utc)
    assert scheduled("2026-12-02", now) and not scheduled("2026-12-01", now)
    assert scheduled("2026-12-01T13:00:00+00:00", now) and not scheduled("2026-12-01T13:00:00+02:00", now)
    assert not scheduled(None, now)


UNNUMBERED = """---
title: A title
date: 2026-11-20
---

Text.
"""


def test_guid_survives_a_date_title_and_name_change_once_published(tmp_path, caplog):
    """Once published, an unnumbered episode keeps its guid through a change of date, title and
    file name (listeners get no duplicate)."""
    fake_show(tmp_path, episodes={"ep.md": UNNUMBERED})
    root, out_dir = fake_feed(tmp_path)
    (guid,) = [i.findtext("guid") for i in root.iter("item")]
    script = tmp_path / "episodes" / "ep.md"
    script.write_text(UNNUMBERED.replace("2026-11-20", "2026-11-21"))
    with caplog.at_level("WARNING"):
        root, _ = fake_feed(tmp_path)
    assert [i.findtext("guid") for i in root.iter("item")] == [guid]
    assert f"guid: {guid}" in caplog.text and "new guid" in caplog.text
    # then a new title too, and a new file name (one at a time, each seen by a feed)
    script.write_text(UNNUMBERED.replace("2026-11-20", "2026-11-22").replace("A title", "A better title"))
    assert [i.findtext("guid") for i in fake_feed(tmp_path)[0].iter("item")] == [guid]
    script.rename(tmp_path / "episodes" / "renamed.md")
    for ext in (".mp3", ".report.json", ".chapters.json", ".vtt", ".srt", ".transcript.json"):
        (out_dir / f"ep{ext}").rename(out_dir / f"renamed{ext}")
    report = json.loads((out_dir / "renamed.report.json").read_text())
    report["episode"].update(slug="renamed", file=str(tmp_path / "episodes" / "renamed.md"))
    (out_dir / "renamed.report.json").write_text(json.dumps(report))  # as the render of the new name writes it
    assert [i.findtext("guid") for i in fake_feed(tmp_path)[0].iter("item")] == [guid]


def test_one_duration_rule(tmp_path):
    """One rule for a duration in whole seconds, in the feed as on the clock the terminal and the
    site show: halves up (43.5 s is 44 s, 0:44), never floored, never rounded to even."""
    from pipeline._clock import clock, whole_seconds

    root, _ = fake_feed(tmp_path, duration=43.5)
    (item,) = root.iter("item")
    assert item.findtext(itunes("duration")) == "44"
    assert clock(43.5) == "0:44"
    assert clock(42.5) == "0:43"  # not to even (0:42)
    assert whole_seconds(42.5) == 43 and whole_seconds(42.499) == 42  # not banker's rounding
    assert clock(3599.5) == "1:00:00"


def test_ai_disclosure_and_chapters_in_the_description(tmp_path):
    from pipeline._notes import DEFAULT_DISCLOSURE

    root, _ = fake_feed(tmp_path)
    (item,) = root.iter("item")
    description = item.findtext("description")
    assert description == (
        "<p>Two people talk.</p><p>00:00 Introduction<br>\n00:12 Loudness<br>\n01:16 True peak</p>"
        f"<p>{DEFAULT_DISCLOSURE}</p>"
    )
    psc = item.find("{http://podlove.org/simple-chapters}chapters")
    assert psc.get("version") == "1.2"
    assert [(c.get("start"), c.get("title")) for c in psc] == [
        ("00:00:00.000", "Introduction"),
        ("00:00:12.400", "Loudness"),
        ("00:01:15.500", "True peak"),
    ]


def test_fewer_than_three_chapters_are_not_in_the_description(tmp_path):
    root, _ = fake_feed(tmp_path, chapters=CHAPTERS[:2])
    assert "00:00" not in next(root.iter("item")).findtext("description")


def test_disclosure_text_and_switches(tmp_path):
    extra = 'ai_disclosure_text = "Voiced by a machine."\nchapters_in_description = false\n'
    root, _ = fake_feed(tmp_path, extra=extra)
    assert next(root.iter("item")).findtext("description") == "<p>Two people talk.</p><p>Voiced by a machine.</p>"
    (tmp_path / "podcast.toml").write_text(FAKE_TOML.replace("{extra}", "ai_disclosure = false\n"))
    root, _ = fake_feed(tmp_path)
    assert "00:00 Introduction" in next(root.iter("item")).findtext("description")
    assert "machine" not in next(root.iter("item")).findtext("description")


NUMBERED = """---
title: Numbered
season: 2
episode: 5
date: 2026-11-20
---

Text.
"""


def test_what_hosts_read(tmp_path):
    extra = """new_feed_url = "https://new.example.com/feed.xml"
license = "CC-BY-4.0"
license_url = "https://creativecommons.org/licenses/by/4.0/"
funding_url = "https://example.com/support"
medium = "podcast"
txt = ["appleid-123"]
analytics_prefix = "https://op3.dev/e/"

[show.season_names]
2 = "The second year"

[site]
url = "https://example.com/site/"
"""
    root, _ = fake_feed(tmp_path, extra=extra, episodes={"numbered.md": NUMBERED})
    ch = root.find("channel")
    assert ch.findtext(itunes("new-feed-url")) == "https://new.example.com/feed.xml"
    assert ch.findtext(pc("medium")) == "podcast"
    assert ch.find(pc("license")).text == "CC-BY-4.0"
    assert ch.find(pc("license")).get("url") == "https://creativecommons.org/licenses/by/4.0/"
    assert ch.find(pc("funding")).get("url") == "https://example.com/support"
    assert ch.find(pc("funding")).text == "Support the show"
    assert [t.text for t in ch.findall(pc("txt"))] == ["appleid-123"]
    (item,) = root.iter("item")
    assert item.findtext("link") == "https://example.com/site/numbered.html"
    assert item.find(pc("season")).text == "2" and item.find(pc("season")).get("name") == "The second year"
    assert item.findtext(pc("episode")) == "5"
    assert item.find("enclosure").get("url") == "https://op3.dev/e/media.example.com/signal-path/numbered.mp3"
    bite = item.find(pc("soundbite"))
    assert (bite.get("startTime"), bite.get("duration"), bite.text) == ("12.400", "60.000", "Loudness")
    # the readers still read it, and the Podcasting 2.0-aware one sees the podcast: tags
    data = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    feed = feedparser.parse(data)
    assert feed.bozo == 0 and feed.entries[0].link == "https://example.com/site/numbered.html"
    import io

    assert podcastparser.parse(BASE + "feed.xml", io.BytesIO(data))["episodes"][0]["title"] == "Numbered"
    from pg_podcast_toolkit import Podcast

    parsed = Podcast(data, feed_url=BASE + "feed.xml")
    (episode,) = parsed.items
    tags = episode.namespaces.get("podcast") or episode.namespaces["default"]  # it drops the prefix with lxml
    assert {"season", "episode", "soundbite", "transcript", "chapters", "person"} <= set(tags)
    seasons = tags["season"] if isinstance(tags["season"], list) else [tags["season"]]  # itunes: and podcast:
    assert {"attributes": {"name": "The second year"}, "value": "2"} in seasons
    assert tags["person"]["attributes"]["role"] == "host"
    channel = parsed.namespaces.get("podcast") or parsed.namespaces["default"]
    assert channel["license"]["value"] == "CC-BY-4.0" and channel["medium"]["value"] == "podcast"


def test_an_analytics_prefix_must_end_with_a_slash(tmp_path):
    from pipeline._config import load_settings
    from pipeline.errors import ConfigError

    write(tmp_path / "podcast.toml", '[show]\nanalytics_prefix = "https://op3.dev/e"\n')
    with pytest.raises(ConfigError, match=r"show\.analytics_prefix must end with '/'"):
        load_settings(tmp_path / "podcast.toml")


def test_front_matter_display_soundbite_and_roles(tmp_path):
    front = NUMBERED.replace(
        "date: 2026-11-20\n",
        "date: 2026-11-20\nepisode_display: Bonus 5\nsoundbite: {start: 3, duration: 20}\n"
        "speaker_roles: {narrator: narrator}\n",
    )
    root, _ = fake_feed(tmp_path, episodes={"numbered.md": front})
    (item,) = root.iter("item")
    assert item.find(pc("episode")).get("display") == "Bonus 5"
    bite = item.find(pc("soundbite"))
    assert (bite.get("startTime"), bite.get("duration"), bite.text) == ("3.000", "20.000", "Numbered")
    assert [(p.text, p.get("role")) for p in item.findall(pc("person"))] == [("Ada Lovelace", "narrator")]


@pytest.mark.parametrize(
    "front, needle",
    [
        ("episode_display: " + "x" * 33 + "\n", "'episode_display' must be text of at most 32"),
        ("soundbite: {start: 3}\n", "'soundbite' must be {start: seconds"),
        ("speaker_roles: {GUEST: boss}\n", "'speaker_roles' must map speaker labels to a role"),
    ],
)
def test_bad_front_matter_for_the_feed(tmp_path, front, needle):
    from pipeline._config import Settings
    from pipeline.errors import PipelineError
    from pipeline.parse.script import load_script

    path = write(tmp_path / "ep.md", f"---\ntitle: T\n{front}---\n\nHello.\n")
    with pytest.raises(PipelineError, match=re.escape(needle)):
        load_script(path, Settings())


def test_alternate_formats_are_alternate_enclosures_with_source_and_integrity(tmp_path):
    """[master] formats: each extra file the render's report lists is a podcast:alternateEnclosure
    beside the MP3 (the default one), each with podcast:source and an SRI sha256 of its bytes."""
    import base64
    import hashlib

    root, out = fake_feed(tmp_path)
    assert not list(root.iter(pc("alternateEnclosure")))  # no extra formats rendered
    [report_path] = out.glob("*.report.json")
    slug = report_path.name[: -len(".report.json")]
    (out / f"{slug}.m4a").write_bytes(b"not really AAC, but bytes to hash" * 100)
    (out / f"{slug}.opus").write_bytes(b"a stale file the report does not list")
    report = json.loads(report_path.read_text())
    report["alternates"] = {"m4a": {"file": f"{slug}.m4a"}}
    report_path.write_text(json.dumps(report))
    root, _ = fake_feed(tmp_path)
    alts = root.find("channel/item").findall(pc("alternateEnclosure"))
    assert [(a.get("type"), a.get("title"), a.get("codecs"), a.get("default")) for a in alts] == [
        ("audio/mpeg", "MP3", "mp3", "true"),
        ("audio/mp4", "AAC", "mp4a.40.2", None),
    ]
    for alt, name in zip(alts, [f"{slug}.mp3", f"{slug}.m4a"]):
        data = (out / name).read_bytes()
        assert alt.get("length") == str(len(data))
        assert int(alt.get("bitrate")) == round(len(data) * 8 / report["duration"])
        [source] = alt.findall(pc("source"))
        assert (source.get("uri"), source.get("contentType")) == (BASE + name, alt.get("type"))
        [integrity] = alt.findall(pc("integrity"))
        sri = "sha256-" + base64.b64encode(hashlib.sha256(data).digest()).decode()
        assert (integrity.get("type"), integrity.get("value")) == ("sri", sri)


# A render's output folder is data: a report, a chapters file or the old feed there may be
# damaged or hostile (what a render leaves, edited by hand).


@pytest.mark.parametrize("duration", [float("inf"), float("nan"), -5, 1e300, "43.5 s", None, [43.5]])
def test_a_damaged_report_duration_is_not_published_the_mp3_is_measured(tmp_path, caplog, duration):
    """Every field read from a report is checked before use: a duration that is not a finite
    number of seconds in range never reaches <itunes:duration>; the feed warns (naming the
    report and the key) and measures the MP3, as for an episode without a report."""
    from conftest import untagged_mp3

    out = fake_show(tmp_path)
    (out / "guested.mp3").unlink()
    untagged_mp3(out / "guested.mp3")  # three seconds
    report = json.loads((out / "guested.report.json").read_text())
    report["duration"] = duration
    (out / "guested.report.json").write_text(json.dumps(report))
    root, _ = fake_feed(tmp_path)
    (item,) = root.iter("item")
    assert item.findtext(itunes("duration")) == "3"
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert any("guested.report.json: duration: must be" in w for w in warnings), warnings


def test_an_unmeasurable_episode_is_left_out_of_the_feed_and_the_rest_published(tmp_path, caplog):
    """A damaged report and an MP3 that is no audio: that episode is left out with a warning,
    the others are in the feed."""
    out = fake_show(tmp_path, episodes={"guested.md": GUESTED, "other.md": GUESTED.replace("guest", "other")})
    report = json.loads((out / "guested.report.json").read_text())
    report["duration"] = "long"
    (out / "guested.report.json").write_text(json.dumps(report))
    root, _ = fake_feed(tmp_path)
    assert [i.findtext("title") for i in root.iter("item")] == ["With a other"]
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert any("guested.md: not in the feed" in w and "not a readable audio file" in w for w in warnings), warnings


@pytest.mark.parametrize("command", ["feed", "site"])
def test_a_hostile_report_slug_writes_nothing_outside_and_the_command_goes_on(tmp_path, cli_inproc, command):
    """`podcast feed` and `podcast site` on an output folder holding a report whose slug is a
    path (../victim/x): one warning naming the report and the key, nothing written outside
    the folder, the other episodes published, exit 0."""
    out = fake_show(tmp_path)
    victim = tmp_path / "victim"
    victim.mkdir()
    write(victim / "x.mp3", b"\xff\xfb" + bytes(998))
    report = json.loads((out / "guested.report.json").read_text())
    report["episode"]["slug"] = "../victim/x"
    write(out / "evil.report.json", json.dumps(report))
    r = cli_inproc(command, out, "-o", tmp_path / ("web" if command == "site" else "feed.xml"))
    assert r.code == 0, r.stderr
    assert sorted(p.name for p in victim.iterdir()) == ["x.mp3"]
    warnings = [line for line in r.stderr.splitlines() if "warning" in line]
    assert len(warnings) == 1 and f"{out / 'evil.report.json'}: episode.slug: must be a plain file name" in warnings[0]
    if command == "site":
        assert (tmp_path / "web" / "guested.html").is_file()
    else:
        assert [i.findtext("title") for i in etree.parse(str(tmp_path / "feed.xml")).iter("item")] == ["With a guest"]


@pytest.mark.parametrize("command", ["feed", "site"])
def test_damaged_reports_in_an_output_folder_never_exit_70(tmp_path, cli_inproc, command):
    """Infinity, text or a list as the duration, malformed chapters, a date that is a number:
    each report is one warning; the command exits 0 with what it could use."""
    from conftest import untagged_mp3

    out = fake_show(
        tmp_path,
        episodes={
            f"{n}.md": GUESTED.replace("With a guest", f"Episode {n}").replace("2026-11-20", f"2026-11-1{i}")
            for i, n in enumerate("abcdef")
        },
    )
    for n in "abcdef":  # f is sound
        (out / f"{n}.mp3").unlink()
        untagged_mp3(out / f"{n}.mp3")
    damage = {
        "a": ("duration", float("inf")),
        "b": ("duration", [1]),
        "c": ("chapters", [{"title": "x", "start": "soon"}]),
        "d": ("date", 20261120),
        "e": ("duration", "long"),
    }
    for n, (key, value) in damage.items():
        report = json.loads((out / f"{n}.report.json").read_text())
        (report["episode"] if key == "date" else report)[key] = value
        (out / f"{n}.report.json").write_text(json.dumps(report))
    r = cli_inproc(command, out, "-o", tmp_path / ("web" if command == "site" else "feed.xml"))
    assert r.code == 0, r.stderr
    assert "internal error" not in r.stderr
    warnings = [line for line in r.stderr.splitlines() if "warning" in line]
    assert sorted(w.split(".report.json: ")[1].split(":")[0] for w in warnings) == [
        "chapters[0].start",
        "duration",
        "duration",
        "duration",
        "episode.date",
    ]


def test_control_characters_in_an_old_script_are_removed_from_the_feed(tmp_path, caplog):
    """A script rendered before `check` refused control characters: the feed is written
    without them (lxml refuses them), with a warning naming the key."""
    bell = GUESTED.replace("title: With a guest", 'title: "With a\\a guest"').replace(
        "description: Two people talk.", 'description: "Two\\x01 people talk."'
    )
    root, out = fake_feed(tmp_path, episodes={"guested.md": bell}, chapters=[(0.0, "Intro"), (12.4, "Lou\x02dness")])
    (item,) = root.iter("item")
    assert item.findtext("title") == "With a guest" and "Two people talk." in item.findtext("description")
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert any("front matter 'title' has a control character (U+0007)" in w for w in warnings), warnings
    assert any("guested.chapters.json: chapters[1].title has a control character" in w for w in warnings), warnings


@pytest.mark.parametrize(
    "doc", ['{"chapters": "Intro"}', '{"chapters": [{"startTime": "x", "title": "Intro"}]}', "[" * 100_000, "\xff"]
)
def test_a_damaged_chapters_file_gives_way_to_the_report(tmp_path, caplog, doc):
    out = fake_show(tmp_path)
    (out / "guested.chapters.json").write_bytes(doc.encode("latin-1"))
    root, _ = fake_feed(tmp_path)
    (item,) = root.iter("item")
    chapters = [c.get("title") for c in item.iter("{http://podlove.org/simple-chapters}chapter")]
    assert chapters == [t for _, t in CHAPTERS]  # the report's
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert any("guested.chapters.json: " in w for w in warnings), warnings


def feed_in_a_process(out, cache):
    """`podcast feed OUT` in a process of its own, with a time limit: what it is tested for may hang."""
    return subprocess.run(
        [sys.executable, "-m", "pipeline", "feed", str(out)],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PODCAST_CACHE": str(cache)},
    )


def test_the_old_feed_as_a_fifo_is_an_error_not_a_hang(tmp_path):
    """The feed being replaced is read for its guids: a FIFO there is refused, never opened."""
    out = fake_show(tmp_path)
    os.mkfifo(out / "feed.xml")
    proc = feed_in_a_process(out, tmp_path / "cache")
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr.strip() == f"podcast: error: {out / 'feed.xml'}: cannot be read as the feed to update " + (
        "(is a FIFO (named pipe), not a regular feed)"
    )


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_show_art_that_is_no_regular_file_is_an_error_not_a_hang(tmp_path, kind):
    """`podcast feed` copies the show's art beside the feed: show art that is a FIFO or a device
    is one line naming the setting, never opened."""
    out = fake_show(tmp_path)
    (tmp_path / "cover.jpg").unlink()
    if kind == "fifo":
        os.mkfifo(tmp_path / "cover.jpg")
    else:
        (tmp_path / "cover.jpg").symlink_to("/dev/zero")
    proc = feed_in_a_process(out, tmp_path / "cache")
    assert proc.returncode == 1, proc.stderr
    what = "a FIFO (named pipe)" if kind == "fifo" else "a device"
    assert proc.stderr.strip() == (
        f"podcast: error: {tmp_path / 'podcast.toml'}: show.artwork {tmp_path / 'cover.jpg'}: "
        f"is {what}, not a regular picture"
    )


HOSTILE_DESCRIPTION = (
    "How <![CDATA[ works in XML, and why. Vec<T> and Option<String>; we compare a<b and c>d. "
    "The <template> element, <b>bold</b> &amp; more."
)
SHOWN_DESCRIPTION = (
    "How <![CDATA[ works in XML, and why. Vec<T> and Option<String>; we compare a<b and c>d. "
    "The <template> element, bold & more."
)


def test_a_description_says_the_same_words_in_the_feed_the_site_and_the_tags(tmp_path):
    """A description is published as written (a `<` that starts no element is text) and as
    the same words everywhere: the feed item, the episode's page and the MP3's comment."""
    Image.new("RGB", (1400, 1400), "orange").save(tmp_path / "cover.jpg", "JPEG")
    write(tmp_path / "podcast.toml", TOML)
    front = json.dumps(HOSTILE_DESCRIPTION)
    write(tmp_path / "ep.md", f"---\ntitle: Words\ndate: 2026-01-01\ndescription: {front}\n---\n\nHello there.\n")
    checked = run(tmp_path, "check", "ep.md")
    assert checked.code == 0 and "description" not in checked.stderr, checked.stderr
    proc = run(tmp_path, "render", "ep.md")
    assert proc.code == 0, proc.stderr
    item = etree.parse(str(tmp_path / "out" / "feed.xml")).find("channel/item")
    from pipeline.publish.html import plain_text

    assert plain_text(item.findtext("description")).startswith(SHOWN_DESCRIPTION)
    comment = ID3(tmp_path / "out" / "ep.mp3").getall("COMM")[0].text[0]
    assert comment.split("\n")[0] == SHOWN_DESCRIPTION
    assert run(tmp_path, "site").code == 0
    page = (tmp_path / "site" / "ep.html").read_text()
    assert plain_text(page).find(SHOWN_DESCRIPTION) >= 0
