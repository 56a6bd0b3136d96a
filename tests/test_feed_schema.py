"""Every podcast: element of a feed with every feature on, validated against the namespace's
rules (tests/data/schema/podcast-namespace.xsd: required attributes, types, lengths and
enumerations from the specification), and the feed as a whole read by feed readers
elsewhere (test_feed.py)."""

import json
from pathlib import Path

import pytest
from lxml import etree

from test_feed import GUESTED, NUMBERED, fake_feed

PODCAST = "https://podcastindex.org/namespace/1.0"
SCHEMA = etree.XMLSchema(etree.parse(str(Path(__file__).parent / "data" / "schema" / "podcast-namespace.xsd")))

EVERYTHING = """new_feed_url = "https://new.example.com/feed.xml"
license = "CC-BY-4.0"
license_url = "https://creativecommons.org/licenses/by/4.0/"
funding_url = "https://example.com/support"
medium = "podcast"
txt = ["appleid-123"]
locked = true

[show.season_names]
2 = "The second year"

[show.speaker_roles]
GUEST = "guest"

[show.speaker_images]
narrator = "https://example.com/ada.jpg"

[site]
url = "https://example.com/site/"
"""


def invalid(root):
    """(tag, first error) for each podcast: element the schema refuses."""
    found = []
    for el in root.iter(f"{{{PODCAST}}}*"):
        if el.getparent().tag.startswith(f"{{{PODCAST}}}"):
            continue  # a child: validated with its parent
        alone = etree.fromstring(etree.tostring(el))
        if not SCHEMA.validate(alone):
            found.append((etree.QName(el).localname, str(SCHEMA.error_log.last_error)))
    return found


def test_every_podcast_element_is_valid(tmp_path):
    front = NUMBERED.replace("date: 2026-11-20\n", "date: 2026-11-20\nepisode_display: Bonus 5\n")
    episodes = {"numbered.md": front, "guested.md": GUESTED}
    root, out = fake_feed(tmp_path, extra=EVERYTHING, episodes=episodes)
    for report_path in out.glob("*.report.json"):  # an extra format, for alternateEnclosure
        slug = report_path.name[: -len(".report.json")]
        (out / f"{slug}.opus").write_bytes(b"opus bytes" * 50)
        report = json.loads(report_path.read_text())
        report["alternates"] = {"opus": {"file": f"{slug}.opus"}}
        report_path.write_text(json.dumps(report))
    root, _ = fake_feed(tmp_path)
    tags = {etree.QName(el).localname for el in root.iter(f"{{{PODCAST}}}*")}
    expected = {"guid", "medium", "license", "funding", "txt", "locked", "season", "episode", "person"}
    expected |= {"transcript", "chapters", "soundbite", "alternateEnclosure", "source", "integrity"}
    assert expected <= tags, expected - tags
    assert invalid(root) == []


@pytest.mark.parametrize(
    "element",
    [
        '<podcast:person xmlns:podcast="{ns}" role="Guest Host!">Ada</podcast:person>',
        '<podcast:transcript xmlns:podcast="{ns}" url="guested.vtt" type="text/vtt"/>',
        '<podcast:episode xmlns:podcast="{ns}" display="{long}">5</podcast:episode>',
        '<podcast:soundbite xmlns:podcast="{ns}" startTime="-1" duration="20">x</podcast:soundbite>',
        '<podcast:medium xmlns:podcast="{ns}">radio</podcast:medium>',
        '<podcast:alternateEnclosure xmlns:podcast="{ns}" type="audio/mpeg"/>',
    ],
)
def test_the_schema_refuses_what_the_namespace_does(element):
    """The schema is not a rubber stamp: a relative URL, a role that is no taxonomy word, a
    display over 32 characters, a negative time, an unknown medium, an enclosure with no source."""
    assert not SCHEMA.validate(etree.fromstring(element.format(ns=PODCAST, long="x" * 33)))
