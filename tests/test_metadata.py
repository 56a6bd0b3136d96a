"""Show and episode metadata: every bad value is one clear error, naming the key, before any
synthesis (render) and from `podcast check`."""

import re
import uuid

import pytest
from PIL import Image

from conftest import write
from pipeline._config import Settings
from pipeline._showmeta import PODCAST_GUID_NAMESPACE
from pipeline.parse.script import EpisodeMeta
from pipeline.show.derive import episode_guid, podcast_guid

GOOD = """[show]
title = "Signal Path"
description = "A show."
author = "The Team"
owner_email = "team@example.com"
base_url = "https://example.com/podcast/"
categories = ["Technology"]
artwork = "cover.jpg"
"""


def cover(path, size=(1400, 1400), mode="RGB", fmt="JPEG"):
    Image.new(mode, size, "orange" if mode == "RGB" else None).save(path, fmt)
    return path


def show(tmp_path, toml=GOOD, front=""):
    cover(tmp_path / "cover.jpg")
    write(tmp_path / "podcast.toml", toml)
    return write(tmp_path / "ep.md", f"---\ntitle: One\ndate: 2026-11-25\n{front}---\n\nHello there.\n")


def one_error(result, *needles):
    assert result.code == 1, result.stderr
    errors = [l for l in result.stderr.splitlines() if l.startswith("podcast: error:")]
    assert len(errors) == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert not re.search(r"speech \d+/\d+", result.stderr)  # no synthesis was started
    for needle in needles:
        assert needle in errors[0], errors[0]
    return errors[0]


@pytest.mark.parametrize(
    "line, needles",
    [
        ('categories = ["Technologie"]', ["show.categories", "'Technologie' is not an Apple Podcasts category"]),
        ('categories = ["Arts/Cooking"]', ["show.categories", "'Cooking' is not a subcategory of 'Arts'"]),
        ('owner_email = "host at example.com"', ["show.owner_email", "must be an e-mail address"]),
        ('owner_email = "host@example"', ["show.owner_email", "must be an e-mail address"]),
        ('base_url = "ftp://example.com/podcast"', ["show.base_url", "http:// or https://"]),
        ('base_url = "example.com/podcast"', ["show.base_url", "http:// or https://"]),
        ('website = "javascript:alert(1)"', ["show.website", "http:// or https://"]),
        ('type = "weekly"', ["show.type", "episodic, serial"]),
        ('guid = "not-a-uuid"', ["show.guid", "must be a UUID"]),
        ('language = "English (US)"', ["show.language", "language code"]),
        ('explicit = "no"', ["show.explicit", "must be bool"]),
    ],
)
def test_bad_show_values_stop_the_render_before_synthesis(tmp_path, cli_inproc, line, needles):
    key = line.split(" =")[0]
    toml = "\n".join(l for l in GOOD.splitlines() if not l.startswith(key + " ")) + "\n" + line + "\n"
    episode = show(tmp_path, toml)
    error = one_error(cli_inproc("render", episode, "-o", "out"), "podcast.toml", *needles)
    assert not (tmp_path / "out").exists()
    checked = cli_inproc("check", episode)
    assert checked.code == 1 and needles[0] in checked.stderr, checked.stderr
    assert error.count("\n") == 0


@pytest.mark.parametrize(
    "image, needle",
    [
        (dict(size=(1400, 1200)), "1400x1200 px is not square"),
        (dict(size=(300, 300)), "300x300 px; cover art must be 1400 to 3000 px square"),
        (dict(size=(3200, 3200)), "3200x3200 px; cover art must be 1400 to 3000 px square"),
        (dict(mode="RGBA", fmt="PNG"), "colour mode RGBA; cover art must be RGB"),
        (dict(mode="L"), "colour mode L; cover art must be RGB"),
        (dict(fmt="GIF", mode="P"), "not a JPEG or PNG image"),
    ],
)
def test_bad_artwork_is_one_error_before_synthesis(tmp_path, cli_inproc, image, needle):
    episode = show(tmp_path)
    cover(tmp_path / "cover.jpg", **image)
    one_error(cli_inproc("render", episode, "-o", "out"), "cover.jpg", needle)
    checked = cli_inproc("check", episode)
    assert checked.code == 1 and needle in checked.stderr, checked.stderr


def palette_png(path, transparent=False):
    image = Image.new("RGB", (1400, 1400), "orange").convert("P", palette=Image.Palette.ADAPTIVE, colors=8)
    image.save(path, "PNG", **({"transparency": 0} if transparent else {}))
    return path


def test_palette_png_is_published_as_rgb(tmp_path):
    """A palette PNG without transparency is accepted and published converted to RGB."""
    import hashlib

    from mutagen.id3 import ID3

    from conftest import untagged_mp3
    from pipeline.publish.artwork import check_cover, copy_cover, cover_bytes, cover_name
    from pipeline.publish.tags import write_tags

    art = palette_png(tmp_path / "cover.png")
    assert check_cover(art) == ".png"
    data = cover_bytes(art)
    assert data == cover_bytes(art) and data != art.read_bytes()  # deterministic, and converted
    name = cover_name(art)
    assert name == f"cover-{hashlib.sha256(data).hexdigest()[:12]}.png"
    copied = copy_cover(art, tmp_path / "out", name)
    with Image.open(copied) as image:
        assert image.mode == "RGB" and image.size == (1400, 1400) and image.getpixel((5, 5)) == (255, 165, 0)
    mp3 = untagged_mp3(tmp_path / "t.mp3")
    write_tags(
        mp3,
        title="T",
        artist="",
        album="",
        track=None,
        date=None,
        description=None,
        artwork=art,
        chapters=[],
        duration=3.0,
    )
    apic = ID3(mp3).getall("APIC")[0]
    assert apic.mime == "image/png" and apic.data == data


def test_palette_png_with_transparency_is_refused(tmp_path):
    from pipeline.errors import MediaError
    from pipeline.publish.artwork import check_cover

    with pytest.raises(MediaError, match="colour mode P with transparency; cover art must be RGB"):
        check_cover(palette_png(tmp_path / "cover.png", transparent=True))


def test_good_artwork_passes_check(tmp_path, cli_inproc):
    episode = show(tmp_path)
    cover(tmp_path / "cover.jpg", size=(3000, 3000))
    checked = cli_inproc("check", episode)
    assert "artwork" not in checked.stderr and "show." not in checked.stderr, checked.stderr


def test_a_feed_needs_its_fields(tmp_path, cli_inproc):
    """With base_url set, what the feed lacks is found before synthesis too."""
    toml = "\n".join(l for l in GOOD.splitlines() if not l.startswith(("description", "categories"))) + "\n"
    one_error(
        cli_inproc("render", show(tmp_path, toml), "-o", "out"),
        "show.description is needed for the feed",
        "show.categories is needed for the feed",
    )


@pytest.mark.parametrize(
    "front, needle",
    [
        ("season: 0\n", "'season' must be a whole number from 1"),
        # feed readers keep these in a 32-bit int
        ("season: 99999999999999999999\n", "'season' must be a whole number from 1 to 2147483647, not 9999"),
        ("episode: 99999999999999999999999\n", "'episode' must be a whole number from 0 to 2147483647, not 9999"),
        ("episode: 2147483648\n", "'episode' must be a whole number from 0 to 2147483647"),
        ("episode_type: special\n", "'episode_type' must be one of full, trailer, bonus"),
        ("explicit: maybe\n", "'explicit' must be true or false"),
        ("guid: ''\n", "'guid' must be text"),
        ("speaker_names: [Ada]\n", "'speaker_names' must map speaker labels"),
    ],
)
def test_bad_front_matter_values(tmp_path, cli_inproc, front, needle):
    episode = show(tmp_path, front=front)
    one_error(cli_inproc("render", episode, "-o", "out"), "ep.md", needle)


def test_bad_date(tmp_path, cli_inproc):
    episode = write(tmp_path / "ep.md", "---\ndate: 25/11/2026\n---\n\nHello.\n")
    one_error(cli_inproc("render", episode, "-o", "out"), "'date' must be YYYY-MM-DD")


def test_dates_with_time_and_offset(tmp_path):
    from pipeline.parse.script import load_script

    for given, date, published in [
        ("2026-11-25", "2026-11-25", None),
        ("2026-11-25 09:30", "2026-11-25", "2026-11-25T09:30:00"),
        ("2026-11-25T09:30:00+01:00", "2026-11-25", "2026-11-25T09:30:00+01:00"),
        ("'2026-11-25T08:30:00Z'", "2026-11-25", "2026-11-25T08:30:00+00:00"),
    ]:
        path = write(tmp_path / "ep.md", f"---\ndate: {given}\n---\n\nHello.\n")
        meta = load_script(path, Settings()).meta
        assert (meta.date, meta.published) == (date, published), given


def test_podcast_guid_follows_podcasting_2_0():
    """UUIDv5 of the feed URL without scheme and trailing slash, in the spec's namespace."""
    s = Settings().apply({"show": {"base_url": "https://example.com/podcast/"}}, "t", None).show
    assert podcast_guid(s) == str(uuid.uuid5(PODCAST_GUID_NAMESPACE, "example.com/podcast/feed.xml"))
    s2 = Settings().apply({"show": {"feed_url": "http://feeds.example.org/show/"}}, "t", None).show
    assert podcast_guid(s2) == str(uuid.uuid5(PODCAST_GUID_NAMESPACE, "feeds.example.org/show"))
    # The spec's own example: https://mp3s.nashownotes.com/pc20rss.xml
    s3 = Settings().apply({"show": {"feed_url": "https://mp3s.nashownotes.com/pc20rss.xml"}}, "t", None).show
    assert podcast_guid(s3) == "917393e3-1b1e-5cef-ace4-edaa54e1f810"
    fixed = Settings().apply({"show": {"guid": "917393E3-1B1E-5CEF-ACE4-EDAA54E1F810"}}, "t", None).show
    assert podcast_guid(fixed) == "917393e3-1b1e-5cef-ace4-edaa54e1f810"


def test_episode_guid_depends_on_identity_not_file_or_title():
    s = Settings().apply({"show": {"base_url": "https://example.com/podcast/"}}, "t", None).show
    a = episode_guid(s, EpisodeMeta(title="One", episode=3, season=2, date="2026-11-25"))
    assert a == episode_guid(s, EpisodeMeta(title="One, retitled", episode=3, season=2, date="2026-12-01"))
    assert a != episode_guid(s, EpisodeMeta(title="One", episode=4, season=2))
    assert episode_guid(s, EpisodeMeta(title="x", guid="my-own")) == "my-own"
    dated = episode_guid(s, EpisodeMeta(title="x", date="2026-11-25"))
    assert dated == episode_guid(s, EpisodeMeta(title="y", date="2026-11-25")) != a
    assert episode_guid(s, EpisodeMeta(title="x")) is None
