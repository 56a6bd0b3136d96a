"""The show's web page: built from real renders, served with HTTP ranges, tested in a
real browser (Debian's Chromium, driven by Playwright)."""

import json
import os
import re
import shutil
import subprocess
import sys
import threading
import urllib.request

import pytest

from conftest import write
from pipeline.publish import site
from pipeline.publish.serve import server

# Uses ffmpeg (renders): CI runs these again with the distribution's own tools.
pytestmark = [pytest.mark.tools, pytest.mark.slow]  # end-to-end renders

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
browser_only = pytest.mark.skipif(CHROMIUM is None, reason="no chromium installed (.ci/run installs Debian's)")

EPISODE = """---
title: "Pages & <Players>"
episode: 7
date: 2026-11-20
description: "A short episode about <b>seeking</b> & highlighting."
---
# Ignored show heading

The first chapter starts here. It has two sentences.

## The middle

This is the middle chapter, spoken after a pause.

## The end

And this is where it ends. Thank you for listening.
"""


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """Two real renders (the real Piper voice) and a draft, in one output folder."""
    root = tmp_path_factory.mktemp("show")
    write(root / "podcast.toml", '[show]\ntitle = "Signal & Noise"\n[music]\nintro = "none"\noutro = "none"\n')
    write(root / "seek.md", EPISODE)
    write(root / "older.md", "---\ntitle: Older\nepisode: 6\ndate: 2026-11-01\n---\n# Older\n\nAn older one.\n")
    env = {"PODCAST_CACHE": str(root / "cache")}
    for args in (["seek.md", "older.md"], ["--draft", "older.md"]):
        proc = subprocess.run(
            [sys.executable, "-m", "pipeline", "render", *args, "-o", "out", "-q"],
            cwd=root,
            capture_output=True,
            text=True,
            env={**os.environ, **env},
            timeout=600,
        )
        assert proc.returncode == 0, proc.stderr
    return root / "out"


@pytest.fixture(scope="module")
def built(rendered, tmp_path_factory):
    out = tmp_path_factory.mktemp("site")
    site.build(rendered, out)
    return out


@pytest.fixture(scope="module")
def served(built):
    httpd = server(built, port=0)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_pages_list_episodes_newest_first_without_drafts(built, rendered):
    index = (built / "index.html").read_text()
    assert index.index("seek.html") < index.index("older.html")
    assert "draft" not in index and not (built / "older-draft.html").exists()
    assert "<title>Signal &amp; Noise</title>" in index  # the show's title, from the reports
    page = (built / "seek.html").read_text()
    assert "Pages &amp; &lt;Players&gt;" in page and "<Players>" not in page  # escaped, not markup
    assert "&lt;b&gt;seeking&lt;/b&gt;" in page
    assert (built / "media" / "seek.mp3").read_bytes() == (rendered / "seek.mp3").read_bytes()
    report = json.loads((rendered / "seek.report.json").read_text())
    starts = [float(x) for x in re.findall(r'data-chapter data-start="([\d.]+)"', page)]
    assert starts == pytest.approx([c["start"] for c in report["chapters"]], abs=0.001)


def test_no_resources_from_elsewhere(built):
    for page in built.glob("*.html"):
        text = page.read_text()
        refs = re.findall(r'(?:src|href)="([^"]*)"', text)
        assert refs and not [r for r in refs if re.match(r"(?i)^(https?:)?//", r)], page
        assert "@import" not in (built / "site.css").read_text() and "url(" not in (built / "site.css").read_text()


def test_building_twice_gives_the_same_bytes(rendered, built, tmp_path):
    site.build(rendered, tmp_path)
    for page in built.glob("*.html"):
        assert (tmp_path / page.name).read_bytes() == page.read_bytes()


def test_the_server_answers_byte_ranges(served, built):
    data = (built / "media" / "seek.mp3").read_bytes()
    req = urllib.request.Request(f"{served}/media/seek.mp3", headers={"Range": "bytes=100-199"})
    with urllib.request.urlopen(req) as r:
        assert r.status == 206 and r.headers["Content-Range"] == f"bytes 100-199/{len(data)}"
        assert r.read() == data[100:200]
    req = urllib.request.Request(f"{served}/media/seek.mp3", headers={"Range": "bytes=-10"})
    with urllib.request.urlopen(req) as r:
        assert r.status == 206 and r.read() == data[-10:]
    with urllib.request.urlopen(f"{served}/media/seek.mp3") as r:
        assert r.status == 200 and r.headers["Accept-Ranges"] == "bytes" and r.read() == data


def test_cli_writes_the_site(rendered, tmp_path, cli):
    r = cli("site", rendered, "-o", tmp_path / "web")
    assert r.code == 0, r.stderr
    assert (tmp_path / "web" / "index.html").is_file() and (tmp_path / "web" / "seek.html").is_file()
    r = cli("site", tmp_path / "nothing-here", "-o", tmp_path / "web2")
    assert r.code == 2 and "not a folder" in r.stderr and "Traceback" not in r.stderr  # as podcast feed says it


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is in the test extra")
    if CHROMIUM is None:
        pytest.skip("no chromium installed (.ci/run installs Debian's)")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--autoplay-policy=no-user-gesture-required"]
        )
        yield b
        b.close()


@pytest.fixture
def page(browser, served):
    context = browser.new_context()
    pg = context.new_page()
    elsewhere = []
    pg.on("request", lambda r: None if r.url.startswith(served) else elsewhere.append(r.url))
    pg.goto(f"{served}/seek.html")
    pg.wait_for_function("document.getElementById('player').readyState >= 1")
    yield pg
    assert elsewhere == []  # nothing fetched from anywhere but the site
    context.close()


PLAYER = "document.getElementById('player')"


def now(pg):
    return pg.evaluate(f"{PLAYER}.currentTime")


def current(pg, kind):
    """(start, end) of the highlighted cue or chapter."""
    return pg.evaluate(f"""(() => {{ const el = document.querySelector('[data-{kind}].current');
        return el ? [parseFloat(el.dataset.start), parseFloat(el.dataset.end)] : null; }})()""")


def wait_highlight_follows(pg):
    """The highlighted cue is the one being spoken (the last that started), once the page caught up."""
    pg.wait_for_function(
        f"""(() => {{
        const t = {PLAYER}.currentTime, cue = document.querySelector('[data-cue].current');
        return cue && parseFloat(cue.dataset.start) <= t + 0.001 &&
               ![...document.querySelectorAll('[data-cue]')].some(
                   c => parseFloat(c.dataset.start) <= t + 0.001 && parseFloat(c.dataset.start) > parseFloat(cue.dataset.start));
    }})()""",
        timeout=5000,
    )


@browser_only
def test_the_audio_is_the_episode(page, rendered):
    report = json.loads((rendered / "seek.report.json").read_text())
    assert page.evaluate(f"{PLAYER}.duration") == pytest.approx(report["duration"], abs=0.1)


@browser_only
def test_clicking_a_chapter_seeks_and_the_highlight_follows(page, rendered):
    chapters = json.loads((rendered / "seek.report.json").read_text())["chapters"]
    page.click("text=The middle")
    t = now(page)
    assert chapters[1]["start"] - 0.05 <= t <= chapters[1]["start"] + 1.0  # seeked there (and maybe playing)
    page.wait_for_function(
        f"document.querySelector('[data-chapter].current') && "
        f"document.querySelector('[data-chapter].current').dataset.start === "
        f"'{chapters[1]['start']:.3f}'",
        timeout=5000,
    )
    assert page.get_attribute("[data-chapter].current", "aria-current") == "location"
    page.wait_for_function(f"{PLAYER}.currentTime > {chapters[1]['start'] + 1.0}", timeout=10000)  # it plays
    wait_highlight_follows(page)
    start, end = current(page, "cue")
    assert start <= now(page) and "middle chapter" in page.inner_text("[data-cue].current")


@browser_only
def test_keyboard_and_transcript_seek(page, rendered):
    chapters = json.loads((rendered / "seek.report.json").read_text())["chapters"]
    page.focus("[data-chapter]:nth-child(3) button")
    page.keyboard.press("Enter")
    assert chapters[2]["start"] - 0.05 <= now(page) <= chapters[2]["start"] + 1.0
    wait_highlight_follows(page)
    # A transcript timestamp is a button too: the first cue.
    page.evaluate(f"{PLAYER}.pause()")
    first = page.locator("[data-cue] button").first
    first.click()
    target = float(first.get_attribute("data-seek"))
    assert target - 0.05 <= now(page) <= target + 1.0
    wait_highlight_follows(page)
    assert "first chapter starts here" in page.inner_text("[data-cue].current")


@browser_only
def test_accessible_names(page):
    assert page.get_attribute("html", "lang") == "en"
    assert "episode audio" in page.get_attribute("#player", "aria-label")
    names = page.evaluate(
        "[...document.querySelectorAll('button')].map(b => b.getAttribute('aria-label') || b.innerText)"
    )
    assert names and all(n.strip() for n in names)
    assert page.locator("nav[aria-labelledby=chapters-heading] button").count() == 3


def test_a_render_refreshes_the_configured_site(rendered, cli):
    root = rendered.parent
    toml = root / "podcast.toml"
    before = toml.read_text()
    try:
        write(toml, before + '[site]\noutput = "web"\n')
        r = cli(
            "render", root / "older.md", "-o", rendered, "--force", cwd=root, env={"PODCAST_CACHE": str(root / "cache")}
        )
        assert r.code == 0, r.stderr
        index = (root / "web" / "index.html").read_text()
        assert "seek.html" in index and "older.html" in index  # the whole folder, not just this render
    finally:
        write(toml, before)
