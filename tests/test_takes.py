"""Takes a producer chooses (`podcast takes`, `podcast pin`): the take variations, the pins file
beside the script, and the workflow end to end with the real voice and a real browser."""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
from pathlib import Path

import numpy as np
import pytest

from conftest import Result, podcast, write
from pipeline.errors import ConfigError
from pipeline.synthesis import takes
from pipeline.synthesis.engines import Voice


def kokoro_voice(**kw) -> Voice:
    return Voice(name="k", engine="kokoro", model="af_heart", **kw)


def test_a_deterministic_engine_takes_vary_pace_and_pause_and_a_seeded_one_keeps_its_voice():
    base = kokoro_voice(sentence_pause=0.15)
    assert takes.take_voice(base, 0) is base
    seen = {(v.length_scale, v.sentence_pause) for v in (takes.take_voice(base, k) for k in range(1, 13))}
    assert len(seen) == 12  # every take is its own
    one = takes.take_voice(base, 1)
    assert one.length_scale == pytest.approx(1.06) and one.sentence_pause == 0.15
    assert takes.take_voice(kokoro_voice(length_scale=0.9), 2).length_scale == pytest.approx(0.9 * 0.95)
    piper = Voice(name="p", engine="piper", model="x")
    assert takes.take_voice(piper, 3) is piper and "seed" in takes.describe(piper, 3)
    assert takes.describe(base, 1) == "6% slower" and takes.describe(base, 0) == "the render's own take"


def test_pins_round_trip_and_an_empty_set_removes_the_file(tmp_path):
    path = takes.pins_path(tmp_path / "ep.md")
    assert path.name == "ep.takes.toml" and takes.load(path) == {}
    pins = {"ab12cd34": takes.Pin("ab12cd34", "michael", 2, 3), "ff00ff00": takes.Pin("ff00ff00", 'we"ird', 0, 1)}
    takes.save(path, pins)
    assert takes.load(path) == pins
    takes.save(path, {})
    assert not path.exists()


@pytest.mark.parametrize(
    "text, key",
    [
        ("[[pin]]\nid = 'a'\nvoice = 'v'\ntake = 100\n", "'take' must be a whole number from 0 to 99"),
        ("[[pin]]\nid = 'a'\nvoice = 'v'\ntake = true\n", "'take'"),
        ("[[pin]]\nvoice = 'v'\ntake = 1\n", "'id'"),
        ("[[pin]]\nid = 'a'\ntake = 1\n", "'voice'"),
        ("pin = 3\n", "'pin' must be a list of tables"),
        ("[[pin]\n", "not valid TOML"),
    ],
)
def test_a_bad_pins_file_is_one_line_naming_the_file_and_key(tmp_path, text, key):
    path = write(tmp_path / "ep.takes.toml", text)
    with pytest.raises(ConfigError) as err:
        takes.load(path)
    assert str(path) in str(err.value) and key in str(err.value) and "\n" not in str(err.value)


def test_a_pins_file_that_is_a_fifo_is_refused_not_read(tmp_path):
    path = tmp_path / "ep.takes.toml"
    os.mkfifo(path)
    with pytest.raises(ConfigError, match="FIFO"):
        takes.load(path)


def test_the_pins_stage_sets_takes_and_drops_a_pin_whose_segment_changed(tmp_path, caplog):
    from pipeline import _stages as stages

    episode = write(tmp_path / "ep.md", "# T\n\nFirst paragraph here.\n\nSecond paragraph here.\n")
    script = stages.run([stages.parse_stage(stages.Options())], episode)
    first, second = script.segments
    takes.save(
        takes.pins_path(episode),
        {
            first.id: takes.Pin(first.id, first.voice, 2, 1),
            "deadbeef": takes.Pin("deadbeef", second.voice, 1, 2),  # that text is gone
            second.id: takes.Pin(second.id, "another-voice", 1, 2),  # the voice changed
        },
    )
    listed = stages.run([stages.parse_stage(stages.Options()), stages.pins_stage(drop=False)], episode)
    assert [s.take for s in listed.segments] == [2, None]
    assert len(takes.load(takes.pins_path(episode))) == 3  # a listing leaves the file alone
    assert "segment's text changed" in caplog.text and "segment's voice changed" in caplog.text
    stages.run([stages.parse_stage(stages.Options()), stages.pins_stage(drop=True)], episode)
    assert list(takes.load(takes.pins_path(episode))) == [first.id]  # a render drops them from the file


def test_a_pinned_take_is_synthesized_with_its_own_key_and_kept_by_prune(tmp_path, tone_voice):
    """The tone engine (unseeded): the pinned take's audio comes from the varied voice."""
    from conftest import RATE
    from pipeline._config import Settings
    from pipeline.parse.script import load_script
    from pipeline.synthesis.cache import SegmentCache
    from pipeline.synthesis.speech import cache_key, render_segment
    from pipeline.text.spoken import speak

    script = speak(load_script(write(tmp_path / "ep.md", "A sentence. And another one.\n"), Settings()))
    segment = script.segments[0]
    cache = SegmentCache(tmp_path / "cache")
    own = render_segment(segment, tone_voice, cache, RATE)
    pinned = render_segment(dataclasses.replace(segment, take=3), tone_voice, cache, RATE)
    varied = takes.take_voice(tone_voice, 3)
    assert pinned.entry.key == cache_key(segment, varied, RATE, 3) != own.entry.key
    assert pinned.sentences[1].start > own.sentences[1].start  # take 3: a longer pause between sentences


def test_pin_usage_errors_exit_2_and_name_what_is_wrong(tmp_path, cli_inproc):
    episode = write(tmp_path / "ep.md", "# T\n\nOne paragraph.\n")
    for args, words in (
        ([str(episode), "1"], "pin needs EPISODE SEGMENT TAKE"),
        ([str(episode), "1", "100"], "a take is a number from 0 to 99"),
        ([str(episode), "5", "1"], "segment 5 is out of range"),
        ([str(episode), "1", "2", "--clear"], "--clear takes EPISODE [SEGMENT]"),
    ):
        r = cli_inproc("pin", *args)
        assert r.code == 2 and words in r.stderr and "Traceback" not in r.stderr, (args, r.stderr)
        assert len(r.stderr.strip().splitlines()) == 1
    assert not takes.pins_path(episode).exists()  # nothing half-written
    r = cli_inproc("pin", tmp_path / "missing.md", "1", "1")
    assert r.code == 1 and "missing.md" in r.stderr and "Traceback" not in r.stderr


# ---------------------------------------------------------------- end to end: the real voice, a browser

EPISODE = "# Takes\n\nThe first paragraph sets the scene.\n\nThe second one is the line we audition.\n\nAnd the third paragraph closes it.\n"


@pytest.fixture(scope="module")
def auditioned(tmp_path_factory):
    root = tmp_path_factory.mktemp("takes")
    write(root / "ep.md", EPISODE)

    def run(*args: str) -> Result:
        r = podcast(*args, cwd=root, env={"PODCAST_CACHE": str(root / "cache")})
        assert r.code == 0, r.stderr
        return r

    page = root / run("takes", "ep.md", "2", "-n", "2", "-o", "takes", "-q").stdout.strip()
    return root, page, run


@pytest.mark.slow
@pytest.mark.tools
def test_takes_pin_and_render_end_to_end(auditioned):
    root, page, podcast = auditioned
    assert page == root / "takes" / "index.html"
    wavs = sorted(p.name for p in page.parent.glob("*.wav"))
    assert wavs == ["take-0.wav", "take-1.wav", "take-2.wav"]
    import soundfile

    audio = [soundfile.read(page.parent / w)[0] for w in wavs]
    assert not np.array_equal(audio[0][:48000], audio[1][:48000]) or len(audio[0]) != len(audio[1])
    html = page.read_text()
    assert "podcast pin ep.md 2 1" in html and 'src="take-1.wav"' in html

    podcast("render", "ep.md", "-o", "out", "-q")
    before = json.loads((root / "out" / "ep.report.json").read_text())
    assert before["synthesis"] == {"synthesized": 0, "from_cache": 3}  # takes made every segment

    podcast("pin", "ep.md", "2", "2")
    podcast("render", "ep.md", "-o", "out", "-q")
    report = json.loads((root / "out" / "ep.report.json").read_text())
    assert report["synthesis"] == {"synthesized": 0, "from_cache": 3}  # re-mastered from the cache
    assert [(s["take"], s["pinned"]) for s in report["segments"]] == [(0, False), (2, True), (0, False)]
    podcast("cache", "prune", "--unused", "ep.md")  # keeps what the episode uses, the pinned take too
    podcast("render", "ep.md", "-o", "out", "-q", "--force")
    report = json.loads((root / "out" / "ep.report.json").read_text())
    assert report["synthesis"] == {"synthesized": 0, "from_cache": 3}

    shutil.rmtree(root / "cache")  # a wiped cache makes the pinned take again, the same take
    proc = podcast("render", "ep.md", "-o", "again", "--force")
    assert "the pinned take 2 is not in the cache" in proc.stderr
    a = (root / "out" / "ep.mp3").read_bytes()
    b = (root / "again" / "ep.mp3").read_bytes()
    assert a == b

    write(root / "ep.md", EPISODE.replace("the line we audition", "the line we changed"))
    proc = podcast("render", "ep.md", "-o", "out")
    assert "the pinned take 2 of segment 2 is dropped" in proc.stderr
    assert not takes.pins_path(root / "ep.md").exists()


@pytest.mark.slow
@pytest.mark.tools
def test_the_audition_page_in_a_browser_plays_each_take_from_its_start(auditioned, browser):
    import axe_playwright_python as axe

    _, page_path, _ = auditioned
    page = browser.new_page()
    try:
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto(page_path.as_uri())
        players = page.locator("audio")
        assert players.count() == 3
        assert players.nth(1).get_attribute("aria-label") == "Take 1 of segment 2, in context"
        start = float(players.nth(1).get_attribute("data-start"))
        assert start > 1.0  # after the first paragraph
        page.get_by_role("button", name="Play take 1 from its start").click()
        page.wait_for_function("document.querySelectorAll('audio')[1].currentTime > 0")
        assert page.evaluate("document.querySelectorAll('audio')[1].currentTime") >= start - 0.05
        assert all(u.startswith("file://") for u in requests)
        page.evaluate((Path(axe.__file__).parent / "axe.min.js").read_text(encoding="utf-8"))
        assert page.evaluate("axe.run().then(r => r.violations.map(v => v.id))") == []
    finally:
        page.close()


def test_takes_refuses_draft_before_any_synthesis(cli_inproc, tmp_path):
    """A draft voice's takes cannot be pinned (a pin is kept for the segment's own voice): `takes
    --draft` is bad usage, exit 2, one line, before anything is synthesized or written."""
    episode = write(tmp_path / "ep.md", "# T\n\nOne paragraph.\n\nAnother one.\n")
    r = cli_inproc("takes", episode, "1", "--draft", "-o", tmp_path / "aud")
    assert r.code == 2, (r.code, r.stderr)
    assert len(r.stderr.strip().splitlines()) == 1 and "--draft" in r.stderr
    assert not (tmp_path / "aud").exists() and not (tmp_path / "cache").exists()


def test_takes_into_a_folder_whose_index_html_is_not_an_audition_is_refused_before_synthesis(cli_inproc, tmp_path):
    """`-o DIR` whose index.html is someone's own page (or not a file): bad usage as `site -o`'s,
    exit 2, one line naming it, the page untouched, nothing synthesized.  An earlier audition's
    page is replaced as before."""
    write(tmp_path / "podcast.toml", '[speech]\nvoice = "espeak"\n[music]\nintro = "none"\noutro = "none"\n')
    episode = write(tmp_path / "ep.md", "# T\n\nOne paragraph.\n\nAnother one.\n")
    mine = write(tmp_path / "site" / "index.html", "<!doctype html><title>My home page</title>")
    r = cli_inproc("takes", episode, "1", "-n", "1", "-o", tmp_path / "site")
    assert r.code == 2, (r.code, r.stderr)
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "site/index.html" in lines[0] and "audition" in lines[0], lines
    assert mine.read_text() == "<!doctype html><title>My home page</title>"
    assert sorted(p.name for p in (tmp_path / "site").iterdir()) == ["index.html"]
    assert not list((tmp_path / "cache").glob("segments/*/*.json"))  # nothing synthesized
    (tmp_path / "odd" / "index.html").mkdir(parents=True)
    r = cli_inproc("takes", episode, "1", "-n", "1", "-o", tmp_path / "odd")
    assert r.code == 2 and "odd/index.html" in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr


def test_a_deterministic_engines_takes_stay_within_the_voices_range_up_to_the_last_take():
    """Take k of Kokoro or eSpeak NG stays a small variation whatever k (up to MAX_TAKE): at most
    a third slower or faster and 1.2 s more pause, never a pace the signal checks would flag."""
    base = kokoro_voice(sentence_pause=0.15)
    for k in range(1, takes.MAX_TAKE + 1):
        v = takes.take_voice(base, k)
        assert v.length_scale is not None and v.sentence_pause is not None
        assert 0.75 <= v.length_scale <= 1.34, (k, v.length_scale)
        assert 0.15 <= v.sentence_pause <= 0.15 + 1.2 + 1e-9, (k, v.sentence_pause)


def test_the_audition_page_is_in_the_shows_language_and_escapes_what_it_shows(tmp_path):
    """The page's lang is the show's (a screen reader reads a Spanish segment as Spanish); the
    segment's text, the title, the voice and the pin line are HTML-escaped."""
    from pipeline.publish import audition

    evil = "</script><script>alert(1)</script><img src=x onerror=alert(2)> \"q\" 'a'"
    made = tmp_path / "made"
    made.mkdir()
    a = audition.Audition(
        tmp_path / f"{evil}.md",
        evil,
        2,
        evil,
        evil,
        (audition.Take(0, made / "take-0.wav", evil, 1.0, 2.0),),
        language="es",
    )
    html = audition.write(a, made).read_text()
    assert '<html lang="es">' in html
    assert "<img src=x" not in html and "<script>alert" not in html and html.count("<script>") == 1


@pytest.mark.parametrize(
    "text, key",
    [
        ("[[pins]]\nid = 'a'\nvoice = 'v'\ntake = 1\n", "unknown key 'pins'"),
        ("[[pin]]\nid = 'a'\nvoice = 'v'\ntake = 1\ntak = 2\n", "pin 1: unknown key 'tak'"),
    ],
)
def test_a_pins_file_key_it_does_not_know_is_one_line_naming_it(tmp_path, text, key):
    """A misspelt key (`[[pins]]`, `tak =`) is an error naming it, as in podcast.toml, not a pin
    silently lost."""
    path = write(tmp_path / "ep.takes.toml", text)
    with pytest.raises(ConfigError) as err:
        takes.load(path)
    assert str(path) in str(err.value) and key in str(err.value) and "\n" not in str(err.value)


def test_two_scripts_sharing_a_name_do_not_take_each_others_pins(tmp_path):
    """`x.md` and `x.txt` share `x.takes.toml`: the file records whose pins it holds, and the other
    script stops with one line naming it instead of dropping those pins as changed segments."""
    from pipeline import _facade as facade
    from pipeline import _stages as stages

    md = write(tmp_path / "x.md", "# X\n\nFirst paragraph of md.\n\nSecond paragraph of md.\n")
    txt = write(tmp_path / "x.txt", "First line of txt.\n\nSecond line of txt.\n")
    facade.pin(md, stages.Options(), "2", 1)
    with pytest.raises(ConfigError) as err:
        stages.run([stages.parse_stage(stages.Options()), stages.pins_stage(drop=True)], txt)
    message = str(err.value)
    assert "x.takes.toml" in message and "x.md" in message and "\n" not in message, message
    with pytest.raises(ConfigError):
        facade.pin(txt, stages.Options(), "1", 2)
    assert len(takes.load(takes.pins_path(md))) == 1  # x.md's pin is still there
    listed = stages.run([stages.parse_stage(stages.Options()), stages.pins_stage(drop=True)], md)
    assert [s.take for s in listed.segments] == [None, 1]
