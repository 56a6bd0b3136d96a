"""The render report's page: its data (waveform and loudness series measured right, on signals of
known levels), its JSON, and `podcast report`.  The page in a browser: tests/test_report_browser.py."""

import json
import math

import numpy as np
import pytest

from conftest import write
from pipeline._config import MasterSettings, MusicSettings
from pipeline.publish import report_page
from pipeline.sound import ffmpeg, music, overview
from pipeline.sound.master import Source, master, mp3_output

pytestmark = pytest.mark.tools  # ffmpeg measures

RATE = 44100


def tones(path, parts, rate=RATE):
    """A stereo WAV of (seconds, amplitude) parts of a 1 kHz sine (amplitude 0: silence)."""
    chunks = []
    for seconds, amplitude in parts:
        t = np.arange(int(round(seconds * rate))) / rate
        chunks.append(amplitude * np.sin(2 * np.pi * 1000 * t))
    mono = np.concatenate(chunks)
    pcm = (np.stack([mono, mono], axis=1) * 32767).round().astype("<i2")
    raw = path.with_suffix(".raw")
    raw.write_bytes(pcm.tobytes())
    ffmpeg.run(["-f", "s16le", "-ar", rate, "-ac", 2, "-i", raw, "-y", path])
    return path


# A 1 kHz sine of amplitude A in both channels reads 20 log10(A) LUFS (EBU R128: K-weighting is
# +0.691 dB at 1 kHz, which the -0.691 of the formula cancels; two channels add 3 dB to the 1/2 of a
# sine's mean square); its true peak is 20 log10(A) dBTP.
LOUD, QUIET = 0.5, 0.1  # -6.02 and -20 LUFS


@pytest.fixture(scope="module")
def signal(tmp_path_factory):
    return tones(tmp_path_factory.mktemp("tones") / "tones.wav", [(3.0, LOUD), (3.0, QUIET), (2.0, 0.0)])


def test_frames_of_known_levels(signal):
    loud, frames = ffmpeg.measure_overview(signal)
    assert len(frames) == 80  # 8 s in 100 ms frames
    assert frames.high[:30] == pytest.approx(LOUD, abs=0.002) and frames.low[:30] == pytest.approx(-LOUD, abs=0.002)
    assert frames.high[31:60] == pytest.approx(QUIET, abs=0.002) and frames.low[31:60] == pytest.approx(
        -QUIET, abs=0.002
    )
    assert frames.high[61:] == pytest.approx(0.0, abs=1e-4) and frames.low[61:] == pytest.approx(0.0, abs=1e-4)
    # momentary: 400 ms windows, settled 0.4 s into each part; short-term: 3 s
    assert frames.momentary[5:30] == pytest.approx(20 * math.log10(LOUD), abs=0.2)
    assert frames.momentary[35:60] == pytest.approx(20 * math.log10(QUIET), abs=0.2)
    assert (frames.momentary[65:] <= -70).all()
    assert frames.short_term[29] == pytest.approx(20 * math.log10(LOUD), abs=0.2)
    assert frames.short_term[59] == pytest.approx(20 * math.log10(QUIET), abs=0.2)
    assert np.nanmax(frames.true_peak) == pytest.approx(loud.true_peak, abs=0.05)
    assert loud.true_peak == pytest.approx(20 * math.log10(LOUD), abs=0.2)
    assert int(np.nanargmax(frames.true_peak)) < 30  # in the loud part


def test_overview_columns(signal):
    _, frames = ffmpeg.measure_overview(signal)
    ov = overview.overview(frames, columns=4)
    assert ov is not None
    assert (ov["per_column"], ov["columns"], ov["step"]) == (20, 4, 2.0)
    assert ov["wave_max"] == [500, 500, 100, 0] and ov["wave_min"] == [-500, -500, -100, 0]
    assert ov["momentary_max"][0] == pytest.approx(-6.0, abs=0.2)
    assert ov["momentary_max"][2] == pytest.approx(-20.0, abs=0.2)
    assert ov["short_term"][3] < -20.0  # silence pulls the 3 s window down
    assert ov["true_peak"]["dbtp"] == pytest.approx(-6.0, abs=0.2) and ov["true_peak"]["at"] < 3.0
    # many frames: never more than COLUMNS columns, and the columns span the whole signal
    zeros = np.zeros(15361)
    many = overview.Frames(zeros, zeros, zeros, zeros, zeros)
    big = overview.overview(many)
    assert big is not None
    assert big["columns"] <= overview.COLUMNS and big["columns"] * big["step"] >= 1536.1


def test_waveform_blocks_of_whole_columns():
    """The meter prints a waveform block per column, not per frame (sized from the episode's length)."""
    assert overview.block_frames(None, RATE) == 1 and overview.block_frames(8.0, RATE) == 1
    assert overview.block_frames(1536.0, RATE) == 13  # the real transcript: 1182 columns of 1.3 s
    assert overview.block_frames(1536.0, 11025) == 1  # no whole number of samples in 100 ms
    assert "asetnsamples=n=57330:" in overview.block_filters(RATE, 13)
    n = np.zeros(10)
    frames = overview.Frames(
        n - 20, n - 20, n - 3, np.array([-1, -2, -3, -4, -5]) / 10, np.array([1, 2, 3, 4, 5]) / 10, 2
    )
    ov = overview.overview(frames, columns=5)
    assert ov is not None and ov["per_column"] == 2 and ov["wave_max"] == [100, 200, 300, 400, 500]
    ov = overview.overview(frames, columns=3)
    assert (
        ov is not None
        and ov["per_column"] == 4
        and ov["wave_max"] == [200, 400, 500]
        and ov["wave_min"] == [-200, -400, -500]
    )


def test_the_master_measures_the_overview_while_encoding(signal, tmp_path):
    """The render's path: the frames come from the meter that measures the MP3 as it is encoded,
    aligned with the file as a player decodes it (the encoder's delay skipped)."""
    settings = MasterSettings(loudness=-16.0)
    result = master(Source.file(signal, settings), tmp_path / "m.mp3", settings, mp3_output(settings))
    frames = result.loudness.frames
    assert frames is not None and abs(len(frames) - 80) <= 1
    _, again = ffmpeg.measure_overview(tmp_path / "m.mp3")
    n = min(len(frames), len(again))
    assert frames.high[:n] == pytest.approx(again.high[:n], abs=0.01)
    assert frames.momentary[5:n] == pytest.approx(again.momentary[5:n], abs=0.1)


def test_parse_log_reads_ffmpeg_lines():
    log = (
        "[Parsed_ebur128_0 @ 0x1] t: 0.0999773  TARGET:-23 LUFS    M:-120.7 S:-120.7     I: -70.0 LUFS"
        "       LRA:   0.0 LU  FTPK: -10.1  -8.2 dBFS  TPK: -10.1  -8.2 dBFS\n"
        "[Parsed_ametadata_4 @ 0x2] frame:0    pts:0       pts_time:0\n"
        "[Parsed_ametadata_4 @ 0x2] lavfi.astats.Overall.Min_level=-0.389962\n"
        "[Parsed_ametadata_4 @ 0x2] lavfi.astats.Overall.Max_level=0.184509\n"
        "[Parsed_ebur128_0 @ 0x1] t: 0.199977   TARGET:-23 LUFS    M: -16.4 S: -16.2     I: -16.0 LUFS"
        "       LRA:   2.7 LU  FTPK:  -inf  -2.8 dBFS  TPK:  -1.5  -1.5 dBFS\n"
    )
    frames = overview.parse_log(log)
    assert list(frames.momentary) == [-120.7, -16.4] and list(frames.short_term) == [-120.7, -16.2]
    assert list(frames.true_peak) == [-8.2, -2.8]
    assert frames.low[0] == -0.389962 and frames.high[0] == 0.184509 and math.isnan(frames.high[1])


def test_music_envelope_points():
    m = MusicSettings()
    intro = music.envelope_points(music.intro_parts(m), 0.0, 100.0)
    assert intro[0] == [0.0, None] and intro[1] == [0.05, 0.0]
    assert [m.lead_in, m.duck_db] in intro  # ducked as the voice comes in
    assert intro[-1] == [m.lead_in + m.intro_hold + m.intro_fade, None]
    outro = music.envelope_points(music.outro_parts(m, 3.0), 50.0, 56.0)  # cut at the episode's end
    last = outro[-1][0]
    assert outro[0] == [50.0, None] and last is not None and last <= 56.0 and [53.0, m.duck_db] in outro


def test_report_json_keeps_number_lists_on_one_line():
    report = {"overview": {"wave_max": list(range(1200)), "momentary_max": [-16.5, None]}, "voices": ["a", "b"]}
    text = report_page.dumps(report)
    assert json.loads(text) == report
    assert len(text.splitlines()) < 12  # not one line per number
    assert '"wave_max": [0,1,2,' in text


def fake_render(folder, signal, **segment):
    """A report as a render leaves it (a hand-made one, with an MP3 of known levels and no overview)."""
    mp3 = folder / "ep.mp3"
    folder.mkdir(parents=True, exist_ok=True)
    ffmpeg.run(["-i", signal, "-c:a", "libmp3lame", "-b:a", "128k", "-y", mp3])
    report = {
        "tool": "podcast-pipeline test",
        "show": {"language": "en"},
        "episode": {"file": "ep.md", "slug": "ep", "title": "Tones & <Things>"},
        "duration": 8.0,
        "loudness": {"integrated_lufs": -10.0, "true_peak_dbtp": -6.0, "lra_lu": 8.0, "target_lufs": -16.0},
        "chapters": [{"title": "Loud", "start": 0.0, "end": 3.0}, {"title": "Quiet", "start": 3.0, "end": 8.0}],
        "segments": [
            {"index": 1, "id": "a", "chapter": 1, "voice": "joe", "start": 0.0, "speech_start": 0.0, "duration": 3.0},
            {"index": 2, "id": "b", "chapter": 2, "voice": "joe", "start": 3.0, "speech_start": 3.2, "duration": 3.0}
            | segment,
        ],
        "stages": {"master": 1.0},
        "outputs": {"mp3": "ep.mp3", "report": "ep.report.json"},
    }
    path = write(folder / "ep.report.json", json.dumps(report))
    return path


def test_podcast_report_measures_a_report_without_the_overview(cli, tmp_path, signal):
    path = fake_render(
        tmp_path / "out",
        signal,
        text="Quiet now.",
        words=2,
        take=3,
        pinned=True,
        verdict="suspect",
        wer=0.35,
        findings=[{"kind": "gap", "text": "a 1.2 s gap inside the sentence", "time": 4.5}],
    )
    r = cli("report", path)
    assert r.code == 0, r.stderr
    page = tmp_path / "out" / "ep.report.html"
    assert r.stdout.strip() == str(page)
    report = json.loads(path.read_text())
    assert report["overview"]["measured"].startswith("from the MP3") and max(report["overview"]["wave_max"]) >= 480
    html = page.read_text()
    assert "Tones &amp; &lt;Things&gt;" in html and "<Things>" not in html  # escaped
    assert 'src="ep.mp3"' in html and "http" not in html.replace("http-equiv", "")  # nothing from elsewhere
    assert 'data-mark="finding" data-start="4.500"' in html and "a 1.2 s gap inside the sentence" in html
    assert 'data-mark="suspect" data-start="3.000"' in html
    assert "3 <strong>pinned</strong>" in html and "take 3 (pinned)" in html
    # again, with the overview now in the report: nothing is measured, the page is the same
    r = cli("report", path)
    assert r.code == 0 and page.read_text() == html


def test_podcast_report_errors_are_one_line(cli_inproc, tmp_path):
    r = cli_inproc("report", tmp_path / "nowhere.md")
    assert r.code == 1 and len(r.stderr.strip().splitlines()) == 1 and "nowhere.md" in r.stderr
    write(tmp_path / "ep.md", "# Ep\n\nNever rendered.\n")
    r = cli_inproc("report", tmp_path / "ep.md", "-o", tmp_path / "out")
    assert r.code == 1 and len(r.stderr.strip().splitlines()) == 1
    assert "ep.report.json" in r.stderr and "run podcast render first" in r.stderr
    write(tmp_path / "out" / "bad.report.json", "{not json")
    r = cli_inproc("report", tmp_path / "out" / "bad.report.json")
    assert r.code == 1 and "not a render report" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    write(
        tmp_path / "out" / "lost.report.json", json.dumps({"episode": {"slug": "lost"}, "duration": 1, "segments": []})
    )
    r = cli_inproc("report", tmp_path / "out" / "lost.report.json")  # no overview, and no MP3 to measure
    assert r.code == 1 and "lost.mp3" in r.stderr and "Traceback" not in r.stderr
    r = cli_inproc("report")
    assert r.code == 2


@pytest.mark.parametrize("overview", [{"x": 1}, {"step": "inf", "columns": 1}, [1, 2], {"step": 0.5, "columns": 2}])
def test_podcast_report_measures_again_over_a_damaged_overview(cli_inproc, tmp_path, signal, overview):
    path = fake_render(tmp_path / "out", signal)
    report = json.loads(path.read_text())
    report["overview"] = overview
    path.write_text(json.dumps(report))
    r = cli_inproc("report", path)
    assert r.code == 0, r.stderr
    assert "overview is damaged" in r.stderr
    assert json.loads(path.read_text())["overview"]["measured"].startswith("from the MP3")


@pytest.mark.parametrize(
    "field, value", [("segments", [7, "x"]), ("stages", [1]), ("loudness", "loud"), ("episode", [])]
)
def test_a_report_field_of_the_wrong_kind_is_one_line(cli_inproc, tmp_path, signal, field, value):
    path = fake_render(tmp_path / "out", signal)
    report = json.loads(path.read_text())
    report[field] = value
    path.write_text(json.dumps(report))
    r = cli_inproc("report", path)
    assert r.code == 1, (r.code, r.stderr)
    assert len(r.stderr.strip().splitlines()) == 1 and "ep.report.json" in r.stderr and "Traceback" not in r.stderr


def test_the_report_page_shows_the_episode_duration_as_the_terminal_site_and_feed_do():
    """An episode's duration is one string everywhere it is shown as M:SS (_clock.clock:
    whole seconds, halves up): 119.6 s is 2:00 on the report page too, as in the terminal
    summary, on the show's site and in itunes:duration (120)."""
    from pipeline._clock import clock, whole_seconds

    report = {"episode": {"file": "ep.md", "slug": "ep", "title": "T"}, "duration": 119.6, "segments": []}
    meta = report_page.render(report).split('<p class="meta">', 1)[1].split("</p>", 1)[0]
    assert clock(119.6) == "2:00" and whole_seconds(119.6) == 120
    assert meta.split(" · ")[1] == clock(119.6)


# ---------------------------------------------------------------- hostile reports (issue 22, h22)


def _report_with(path, **fields):
    report = json.loads(path.read_text())
    for dotted, value in fields.items():
        where, *keys = dotted.split("__")
        target = report
        for key in [where, *keys][:-1]:
            target = target[int(key)] if isinstance(target, list) else target.setdefault(key, {})
        last = [where, *keys][-1]
        if isinstance(target, list):
            target[int(last)] = value
        else:
            target[last] = value
    path.write_text(json.dumps(report))
    return report


@pytest.mark.parametrize(
    "name, href",
    [
        ("ep #1 100% ?.mp3", "ep%20%231%20100%25%20%3F.mp3"),
        ("épisode.mp3", "%C3%A9pisode.mp3"),
        ("javascript:alert(1).mp3", "javascript%3Aalert%281%29.mp3"),
    ],
)
def test_the_page_links_its_mp3_by_a_percent_encoded_name(name, href):
    """The MP3's name goes into src/href as a relative URL path: `#`, `?`, `%`, spaces, non-ASCII
    and a scheme-like `x:` prefix are percent-encoded, so the link works from file:// whatever
    the name."""
    report = {"episode": {"slug": "ep"}, "duration": 1.0, "segments": [], "outputs": {"mp3": name}}
    html = report_page.render(report)
    assert f'src="{href}"' in html and f'href="{href}"' in html


@pytest.mark.parametrize(
    "fields, key",
    [
        ({"music": {"envelope": {"intro": [[1e400, 0.0], [2.0, None]]}}}, "music.envelope.intro[0]"),
        ({"music": {"envelope": {"outro": [[1.0, "loud"]]}}}, "music.envelope.outro[0]"),
        ({"music": {"envelope": {"intro": "x"}}}, "music.envelope.intro"),
        ({"music": {"envelope": [1]}}, "music.envelope"),
        ({"tools": {"engines": "piper"}}, "tools.engines"),
        ({"tools": {"engines": {"piper": [1, 2]}}}, "tools.engines.piper"),
        ({"tools": {"ffmpeg": "x"}}, "tools.ffmpeg"),
        ({"tools": 7}, "tools"),
        ({"segments__0__start": 1e400}, "segments[0].start"),
        ({"segments__0__duration": -1}, "segments[0].duration"),
        ({"segments__1__index": [1]}, "segments[1].index"),
        ({"segments__1__chapter": "one"}, "segments[1].chapter"),
        ({"segments__0__text": 5}, "segments[0].text"),
        ({"segments__0__findings": [5]}, "segments[0].findings[0]"),
        ({"segments__0__findings": [{"kind": "gap", "time": "soon"}]}, "segments[0].findings[0].time"),
        ({"segments__0__wer": "x"}, "segments[0].wer"),
        ({"segments__0__readings": 3}, "segments[0].readings"),
        ({"segments": 5}, "segments"),
        ({"segments": [None]}, "segments[0]"),
        ({"stages": {"master": "slow"}}, "stages.master"),
        ({"loudness": {"target_lufs": "loud"}}, "loudness.target_lufs"),
        ({"verify": {"readings": [7]}}, "verify.readings[0]"),
        ({"voices": 5}, "voices"),
    ],
)
def test_a_report_field_the_page_draws_of_the_wrong_kind_is_one_line_naming_it(
    cli_inproc, tmp_path, signal, fields, key
):
    """A hand-edited or foreign report: exit 1, one line naming the report and the key, nothing
    written (no traceback, no exit 70, no page drawn from half of it)."""
    path = fake_render(tmp_path / "out", signal)
    _report_with(path, **fields)
    r = cli_inproc("report", path)
    assert r.code == 1, (r.code, r.stderr)
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "ep.report.json" in lines[0] and key in lines[0], lines
    assert "not a render report (not a render report" not in lines[0]
    assert not (tmp_path / "out" / "ep.report.html").exists()


@pytest.mark.parametrize(
    "text",
    [
        "",
        "5",
        '{"segments": 5}',
        '{"segments": [5]}',
        '{"segments": [{}]}',
        '{"segments": [{"index": []}]}',
        '{"segments": [{"index": 1, "wer": "x"}]}',
        '{"segments": [{"index": 1, "readings": [5]}]}',
        '{"segments": "abc"}',
    ],
)
def test_a_damaged_verification_beside_the_report_is_a_warning_naming_it(cli_inproc, tmp_path, signal, text):
    """`<slug>.verify.json` is the listening check's, not the report: damaged, it is a warning
    naming it (and the key), and the page is drawn from the report alone."""
    path = fake_render(tmp_path / "out", signal)
    _report_with(path, outputs={"mp3": "ep.mp3", "report": "ep.report.json", "verify": "ep.verify.json"})
    write(tmp_path / "out" / "ep.verify.json", text)
    r = cli_inproc("report", path)
    assert r.code == 0, r.stderr
    assert "ep.verify.json" in r.stderr and "warning" in r.stderr and "ep.report.json:" not in r.stderr
    assert (tmp_path / "out" / "ep.report.html").is_file()


def test_a_segment_without_a_take_is_shown_as_the_renders_own_take_0(signal):
    """Take numbers are `podcast takes`' (0 is the render's own): a report without `take` (written
    before takes) shows 0, not 1, which would name another take."""
    report = {
        "episode": {"slug": "ep"},
        "duration": 3.0,
        "segments": [{"index": 1, "id": "a", "voice": "joe", "start": 0.0, "duration": 3.0}],
    }
    html = report_page.render(report)
    assert "take 0, " in html and "take 1" not in html
    assert "<td>0</td>" in html


def test_an_overview_wider_than_an_overview_is_measured_again(cli_inproc, tmp_path, signal):
    """An overview is at most overview.COLUMNS columns; a report claiming more (a huge page drawn
    from a hostile report) is damaged: measured again from the MP3."""
    path = fake_render(tmp_path / "out", signal)
    n = overview.COLUMNS + 1
    _report_with(
        path,
        overview={
            "step": 0.01,
            "columns": n,
            "wave_min": [0] * n,
            "wave_max": [0] * n,
            "momentary_max": [-20.0] * n,
            "short_term": [-20.0] * n,
        },
    )
    r = cli_inproc("report", path)
    assert r.code == 0, r.stderr
    assert "overview is damaged" in r.stderr
    assert json.loads(path.read_text())["overview"]["columns"] <= overview.COLUMNS


def test_podcast_report_expands_a_glob_of_reports(cli_inproc, tmp_path, signal):
    """EPISODE may be a glob pattern (quoted, as a shell leaves it when nothing matches there):
    `podcast report 'out/*.report.json'` draws every report it matches."""
    path = fake_render(tmp_path / "out", signal)
    r = cli_inproc("report", tmp_path / "out" / "*.report.json")
    assert r.code == 0, r.stderr
    assert r.stdout.strip() == str(report_page.page_path(path)) and report_page.page_path(path).is_file()


def test_the_page_places_chapters_and_segments_where_the_timeline_says():
    """Every position the page draws is the episode's Timeline's (the one the master made, or the
    one read back from the report): a mark at 30 s of a 60 s episode is drawn at 50%."""
    from pipeline.sound.timeline import ChapterSpan, SegmentSpan, Timeline

    report = {"episode": {"slug": "ep"}, "duration": 60.0, "segments": [{"index": 1, "id": "a", "voice": "v"}]}
    timeline = Timeline(
        60.0, (ChapterSpan("One", 0.0, 30.0), ChapterSpan("Two", 30.0, 60.0)), (SegmentSpan(1, "a", 15.0, 15.5, 30.0),)
    )
    page = report_page.context(report, timeline=timeline)
    assert [(c["title"], c["left"]) for c in page["chapters"]] == [("One", "0.000"), ("Two", "50.000")]
    [segment] = page["segments"]
    assert (segment["start"], segment["duration"], segment["left"], segment["width"]) == (
        15.0,
        30.0,
        "25.000",
        "50.000",
    )


def test_a_hand_made_report_is_drawn_through_the_one_timeline_reader():
    """Without a timeline, the page reads the report's positions through publish/rendered's
    reader, which names the key of a position that is not seconds."""
    from pipeline.publish.rendered import ReportError

    report = {"episode": {"slug": "ep"}, "duration": 60.0, "segments": [{"index": 1, "id": "a", "start": "soon"}]}
    with pytest.raises(ReportError, match=r"segments\[0\]\.start"):
        report_page.render(report)
