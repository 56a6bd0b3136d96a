"""The render report's page in a real browser (Debian's Chromium, driven by Playwright), opened
from file:// as a producer opens it: marks where the report says, seeking, keyboard, axe-core."""

import json
import shutil
from pathlib import Path

import pytest

from conftest import podcast, write

pytestmark = [pytest.mark.tools, pytest.mark.slow]  # a real render


EPISODE = """---
title: "Desk & <Report>"
---
# Show

The first chapter starts here. It has two sentences.

A second paragraph, so the chapter has two segments.

## The middle

This is the middle chapter, spoken after a pause.

## The end

And this is where it ends. Thank you for listening.
"""


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """A real render (the Piper voice, the generated intro and outro music)."""
    root = tmp_path_factory.mktemp("desk")
    write(root / "ep.md", EPISODE)
    r = podcast("render", "ep.md", "-o", "out", "-q", cwd=root, env={"PODCAST_CACHE": str(root / "cache")})
    assert r.code == 0, r.stderr
    return root / "out"


@pytest.fixture(scope="module")
def report(rendered):
    return json.loads((rendered / "ep.report.json").read_text())


@pytest.fixture(scope="module")
def with_findings(rendered, tmp_path_factory):
    """The same render, its report given what the signal checks and takes will add (findings per
    segment, a take and a pin, a listening verdict), and the page rebuilt by `podcast report`."""
    folder = tmp_path_factory.mktemp("findings")
    for name in ("ep.mp3", "ep.report.json"):
        shutil.copy(rendered / name, folder / name)
    report = json.loads((folder / "ep.report.json").read_text())
    seg = report["segments"][2]
    seg.update(
        take=2,
        pinned=True,
        verdict="broken",
        wer=0.5,
        findings=[{"kind": "clipped", "text": "3 clipped samples", "time": seg["start"] + 0.7}],
    )
    (folder / "ep.report.json").write_text(json.dumps(report))
    r = podcast("report", folder / "ep.report.json")
    assert r.code == 0, r.stderr
    return folder, report


def test_the_render_writes_the_page(rendered, report):
    assert report["outputs"]["page"] == "ep.report.html" and (rendered / "ep.report.html").is_file()
    ov = report["overview"]
    assert ov["measured"] == "while encoding" and ov["columns"] * ov["step"] >= report["duration"] - ov["step"]
    assert len(ov["wave_min"]) == len(ov["wave_max"]) == len(ov["momentary_max"]) == ov["columns"]
    assert report["music"]["envelope"]["intro"][0] == [0.0, None] and report["music"]["envelope"]["outro"]
    assert all(isinstance(s["cached"], bool) and s["text"] and s["words"] > 0 for s in report["segments"])
    assert "page" in report["stages"]
    html = (rendered / "ep.report.html").read_text()
    assert "Desk &amp; &lt;Report&gt;" in html and "<Report>" not in html
    for ref in ("http://", "https://", 'src="//', "@import", "url("):
        assert ref not in html  # nothing from elsewhere; the MP3 by its name
    assert 'src="ep.mp3"' in html


def open_page(browser, path: Path):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    elsewhere, errors = [], []
    pg.on("request", lambda r: None if r.url.startswith("file://") else elsewhere.append(r.url))
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.goto(path.as_uri())
    pg.wait_for_function("document.getElementById('player').readyState >= 1")
    return context, pg, elsewhere, errors


@pytest.fixture
def page(browser, rendered):
    context, pg, elsewhere, errors = open_page(browser, rendered / "ep.report.html")
    yield pg
    assert elsewhere == [] and errors == []
    context.close()


PLAYER = "document.getElementById('player')"


def now(pg):
    return pg.evaluate(f"{PLAYER}.currentTime")


def fraction(pg, selector, edge="left"):
    """Where an element sits across the timeline, 0..1 (its left edge or its centre)."""
    return pg.evaluate(
        """([sel, edge]) => {
        const el = document.querySelector(sel), lane = document.querySelector('.segments-lane');
        const a = el.getBoundingClientRect(), b = lane.getBoundingClientRect();
        return ((edge === 'centre' ? a.left + a.width / 2 : a.left) - b.left) / b.width; }""",
        [selector, edge],
    )


def test_marks_are_where_the_report_says(page, report):
    d = report["duration"]
    width = page.evaluate("document.querySelector('.segments-lane').getBoundingClientRect().width")
    px = 1.5 / width  # a pixel and a half
    for i, c in enumerate(report["chapters"]):
        assert fraction(page, f".mark.chapter:nth-of-type({i + 1})", "centre") == pytest.approx(c["start"] / d, abs=px)
    for s in report["segments"]:
        sel = f'.seg[data-index="{s["index"]}"]'
        assert fraction(page, sel) == pytest.approx(s["start"] / d, abs=px)
        right = page.evaluate(
            f"""(() => {{ const a = document.querySelector('{sel}').getBoundingClientRect(),
            b = document.querySelector('.segments-lane').getBoundingClientRect(); return (a.right - b.left) / b.width; }})()"""
        )
        assert right == pytest.approx((s["start"] + s["duration"]) / d, abs=px)
    peak = report["overview"]["true_peak"]
    assert fraction(page, ".mark.peak", "centre") == pytest.approx(peak["at"] / d, abs=px)
    # the waveform and loudness charts span the whole timeline: their x is the episode's time
    for chart in ("svg.wave", "svg.loudness", "svg.music"):
        box = page.evaluate(
            f"(() => {{ const r = document.querySelector('{chart}').getBoundingClientRect(); return [r.left, r.width]; }})()"
        )
        lane = page.evaluate(
            "(() => { const r = document.querySelector('.segments-lane').getBoundingClientRect(); return [r.left, r.width]; })()"
        )
        assert box == pytest.approx(lane, abs=1)
        view_width = float(page.get_attribute(chart, "viewBox").split()[2])  # in columns of the overview
        assert view_width * report["overview"]["step"] == pytest.approx(d, abs=0.01)


def test_clicking_a_segment_seeks_the_player_to_it(page, report):
    seg = report["segments"][3]
    page.click(f'.seg[data-index="{seg["index"]}"]')
    assert seg["start"] - 0.05 <= now(page) <= seg["start"] + 1.0
    page.wait_for_function(f"document.querySelector('tr[data-index=\"{seg['index']}\"]').classList.contains('current')")
    # the table's time button too, and a chapter mark
    page.evaluate(f"{PLAYER}.pause()")
    other = report["segments"][1]
    page.click(f'tr[data-index="{other["index"]}"] button')
    assert other["start"] - 0.05 <= now(page) <= other["start"] + 1.0
    chapter = report["chapters"][2]
    page.click(".mark.chapter:nth-of-type(3)")
    assert chapter["start"] - 0.05 <= now(page) <= chapter["start"] + 1.0


def test_keyboard_and_tooltip(page, report):
    seg = report["segments"][2]
    page.focus(f'.seg[data-index="{seg["index"]}"]')
    tip = page.locator("#tip")
    assert tip.is_visible() and seg["text"] in tip.inner_text() and seg["voice"] in tip.inner_text()
    assert ("cached" if seg["cached"] else "synthesized") in tip.inner_text()
    page.keyboard.press("Enter")
    assert seg["start"] - 0.05 <= now(page) <= seg["start"] + 1.0
    page.keyboard.press("Tab")  # on to the next segment: the tip follows
    assert report["segments"][3]["text"] in tip.inner_text()
    # every button has a name, the player its label
    assert "episode audio" in page.get_attribute("#player", "aria-label")
    names = page.evaluate(
        "[...document.querySelectorAll('button')].map(b => b.getAttribute('aria-label') || b.innerText)"
    )
    assert names and all(n.strip() for n in names)


def test_findings_take_and_pin_from_the_report(browser, with_findings):
    folder, report = with_findings
    seg = report["segments"][2]
    context, pg, elsewhere, errors = open_page(browser, folder / "ep.report.html")
    try:
        d = report["duration"]
        finding = seg["findings"][0]
        width = pg.evaluate("document.querySelector('.segments-lane').getBoundingClientRect().width")
        assert fraction(pg, ".mark.finding", "centre") == pytest.approx(finding["time"] / d, abs=1.5 / width)
        assert fraction(pg, ".mark.suspect.broken") == pytest.approx(seg["start"] / d, abs=1.5 / width)
        pg.click(".mark.finding")
        assert finding["time"] - 0.05 <= now(pg) <= finding["time"] + 1.0
        row = pg.inner_text(f'tr[data-index="{seg["index"]}"]')
        assert "broken" in row and "0.50" in row and "2 pinned" in row and "3 clipped samples" in row
        assert elsewhere == [] and errors == []
    finally:
        context.close()


def test_axe_core_finds_no_violations(page, browser, with_findings):
    import axe_playwright_python as axe  # the test extra: axe-core's own build, no network

    script = (Path(axe.__file__).parent / "axe.min.js").read_text(encoding="utf-8")
    context, other, _, _ = open_page(browser, with_findings[0] / "ep.report.html")
    try:
        for pg in (page, other):
            pg.evaluate(script)
            violations = pg.evaluate(
                "axe.run().then(r => r.violations.map(v => [v.id, v.help, v.nodes.map(n => n.target.join(' '))]))"
            )
            assert violations == []
    finally:
        context.close()
