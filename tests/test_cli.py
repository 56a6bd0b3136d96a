"""The public `podcast` command, run as a user runs it (a fresh process)."""

import contextlib
import json
import os
import re
import subprocess
import sys
import wave

import numpy as np
import pytest

from conftest import EXAMPLE, ROOT, read_only, write
from pipeline import __version__, _preflight
from pipeline import _stages as stages
from pipeline.sound import ffmpeg

# Uses ffmpeg or eSpeak NG: CI runs these again with the distribution's own tools.
pytestmark = pytest.mark.tools


def test_version_and_help(cli):
    r = cli("--version")
    assert r.code == 0 and r.stdout.strip() == f"podcast {__version__}"
    for command in ("segments", "preview", "render", "voices"):
        r = cli(command, "--help")
        assert r.code == 0 and "usage: podcast" in r.stdout


def test_segments_json_shape(cli_inproc, real_transcript):
    r = cli_inproc("segments", real_transcript, "--json")
    assert r.code == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["schema"] == 1 and data["title"] == "Linux Kernel Podcast for 2017/03/21"
    assert [c["title"] for c in data["chapters"]][1] == "Intel 5-level paging"
    seg = data["segments"][6]
    assert set(seg) == {
        "index",
        "id",
        "chapter",
        "chapter_title",
        "speaker",
        "voice",
        "line",
        "pause_before",
        "text",
        "spoken",
        "sentences",
    }
    assert (seg["index"], seg["chapter"], seg["chapter_title"], seg["voice"]) == (7, 2, "Intel 5-level paging", "joe")
    assert all("\u201c" not in s["spoken"] for s in data["segments"])


def test_segments_human(cli_inproc):
    r = cli_inproc("segments", EXAMPLE)
    assert r.code == 0
    assert "## 2. What loudness is" in r.stdout and "spoken:" in r.stdout


def test_segments_warns_about_an_unknown_voice(cli_inproc, tmp_path):
    episode = write(tmp_path / "ep.md", "---\nvoice: nobody\n---\n# Ep\n\nA paragraph.\n")
    r = cli_inproc("segments", episode)
    assert r.code == 0 and "A paragraph." in r.stdout  # the listing is still useful
    warnings = [line for line in r.stderr.splitlines() if "warning" in line]
    assert len(warnings) == 1 and f"{episode}: unknown voice 'nobody'" in warnings[0]
    r = cli_inproc("render", episode, "-o", tmp_path / "out")
    assert r.code == 1 and "unknown voice 'nobody'" in r.stderr and not (tmp_path / "out").exists()


def test_voices(cli_inproc):
    r = cli_inproc("voices", "--json")
    joe = next(v for v in json.loads(r.stdout) if v["name"] == "joe")
    assert joe == {**joe, "engine": "piper", "language": "en_US", "sample_rate": 22050, "available": True}


def _wav(path):
    with wave.open(str(path), "rb") as w:
        return w.getframerate(), w.getnchannels(), w.getnframes(), np.frombuffer(w.readframes(w.getnframes()), "<i2")


@pytest.mark.slow  # the real voice
def test_preview_real_segment(cli, tmp_path):
    """The real voice (Kokoro heart) through the public command: a sound WAV, the same bytes twice."""
    out = tmp_path / "seg.wav"
    segment = json.loads(cli("segments", EXAMPLE, "--json").stdout)["segments"][1]
    assert segment["voice"] == "heart"
    r = cli("preview", EXAMPLE, "2", "-o", out)
    assert r.code == 0, r.stderr
    assert r.stdout.strip() == str(out)
    rate, channels, frames, samples = _wav(out)
    assert (rate, channels) == (44100, 2)
    seconds = frames / rate
    words = len(segment["spoken"].split())
    assert 0.25 * words <= seconds <= 0.6 * words  # a natural speaking rate
    assert np.abs(samples).max() > 3000  # not silence
    loud = ffmpeg.measure_loudness(out)
    assert abs(loud.integrated - -16.0) <= 0.5 and loud.true_peak <= -1.0

    again = tmp_path / "again.wav"
    assert cli("preview", EXAMPLE, "2", "-o", again).code == 0
    assert again.read_bytes() == out.read_bytes()


@pytest.mark.slow  # the real voice
def test_preview_by_id_and_text(cli, tmp_path):
    ids = [s["id"] for s in json.loads(cli("segments", EXAMPLE, "--json").stdout)["segments"]]
    r = cli("preview", EXAMPLE, ids[-1], "-o", tmp_path / "last.wav")
    assert r.code == 0, r.stderr
    r = cli("preview", "--text", "Testing, one two three.", "--voice", "joe", "-o", tmp_path / "t.wav")
    assert r.code == 0, r.stderr
    assert _wav(tmp_path / "t.wav")[2] > 44100


def _fails_cleanly(r, *needles):
    assert r.code != 0
    assert "Traceback" not in r.stderr
    lines = [l for l in r.stderr.splitlines() if l.startswith("podcast: error:")]
    assert len(lines) == 1, r.stderr
    for needle in needles:
        assert needle in lines[0]


@pytest.mark.parametrize(
    "content, needle",
    [
        ("", "is empty"),
        ("   \n\n \t\n", "is empty"),
        (b"\x00\x01\x02binary\xff", "binary file"),
        ("S\u00e9bastien".encode("latin-1"), "not UTF-8"),
        ("---\ntitle: x\nHello.\n", "front matter is not closed"),
        ("---\ntitle: [x\n---\nHello.\n", "not valid YAML"),
        ("## Heading\n\n## Another\n", "no paragraphs to speak"),
        ("\U0001f600 \u2728 *** ###\n", "no paragraphs to speak"),
        ("---\nvoice: nobody\n---\n\nHello.\n", "unknown voice 'nobody'"),
    ],
)
def test_bad_input_preview(cli_inproc, tmp_path, content, needle):
    script = write(tmp_path / "bad.md", content)
    out = tmp_path / "out.wav"
    r = cli_inproc("preview", script, "1", "-o", out)
    _fails_cleanly(r, needle)
    assert not out.exists()
    assert not list(tmp_path.glob(".out.wav*"))  # no temporary left behind


def test_segment_out_of_range(cli_inproc, tmp_path):
    """A SEGMENT the script does not have is bad usage (exit 2, as errors.py says of an index)."""
    r = cli_inproc("preview", EXAMPLE, "99", "-o", tmp_path / "x.wav")
    _fails_cleanly(r, "segment 99 is out of range (the script has 1 to 10)")
    assert r.code == 2
    assert not (tmp_path / "x.wav").exists()
    r = cli_inproc("preview", EXAMPLE, "zzz", "-o", tmp_path / "x.wav")
    _fails_cleanly(r, "no segment with id 'zzz'")
    assert r.code == 2


def test_usage_errors(cli_inproc, tmp_path):
    _fails_cleanly(cli_inproc("preview", EXAMPLE), "preview needs EPISODE and SEGMENT")
    _fails_cleanly(cli_inproc("preview", EXAMPLE, "1", "-o", tmp_path / "x.mp3"), "preview writes WAV")
    _fails_cleanly(cli_inproc("preview", "--text", "\U0001f600"), "nothing a voice can say")
    for text in ("[pause]", "<!-- x -->", "[pause 2s] <!-- a note -->"):  # read as a script's paragraph is
        r = cli_inproc("preview", "--text", text, "-o", tmp_path / "silent.wav")
        _fails_cleanly(r, "nothing a voice can say")
        assert r.code == 2 and not (tmp_path / "silent.wav").exists()
    r = cli_inproc("segments", tmp_path / "missing.md")
    _fails_cleanly(r, "missing.md: no such file")


def test_debug_shows_traceback(cli, tmp_path):
    r = cli("--debug", "segments", write(tmp_path / "e.md", ""))
    assert r.code == 1 and "Traceback" in r.stderr


# ---------------------------------------------------------------- exit codes


def _tone_show(tmp_path, *names):
    """A show on the tone engine (see conftest), without music: its episodes' paths."""
    write(tmp_path / "podcast.toml", '[speech]\nvoice = "tone"\n[music]\nintro = "none"\noutro = "none"\n')
    write(tmp_path / "voices" / "tone.toml", 'engine = "tone"\nmodel = "-"\n')
    return [write(tmp_path / f"{name}.md", f"# {name}\n\nHello from {name}.\n") for name in names or ("ep",)]


def _bug(*args):
    raise RuntimeError("a bug")


def _error_lines(r):
    return [l for l in r.stderr.splitlines() if l.startswith("podcast: ") and "error" in l]


def test_a_bug_in_a_single_render_exits_70(cli_inproc, tmp_path, tone_voice, monkeypatch):
    """A bug met while planning or rendering a single episode is an internal error: one line,
    exit 70 (not the exit 1 of a problem with the input)."""
    (episode,) = _tone_show(tmp_path)
    for where in ("preflight", "mix"):  # batch planning; the render itself
        with monkeypatch.context() as m:
            m.setattr(stages, where, _bug)
            r = cli_inproc("render", episode, "-o", tmp_path / "out")
        lines = _error_lines(r)
        assert r.code == 70 and len(lines) == 1, (where, r.code, r.stderr)
        assert f"{episode}: internal error: RuntimeError: a bug" in lines[0] and "Traceback" not in r.stderr


def test_a_batch_exits_70_when_an_episode_failed_on_a_bug(cli_inproc, tmp_path, tone_voice, monkeypatch):
    good, bad = _tone_show(tmp_path, "good", "bad")
    real = _preflight.preflight
    monkeypatch.setattr(stages, "preflight", lambda s: _bug() if s.path.name == "bad.md" else real(s))
    r = cli_inproc("render", good, bad, "-o", tmp_path / "out", "-j", "1")
    assert r.code == 70, r.stderr
    assert re.search(r"good\.md\s+rendered", r.stdout) and re.search(r"bad\.md\s+failed", r.stdout)
    assert f"failed: {bad}: internal error: RuntimeError: a bug" in r.stdout


def test_usage_error_in_planning_exits_2(cli_inproc, tmp_path, tone_voice, monkeypatch):
    """`render --verify` without the verify extra is bad usage (exit 2), found while planning."""
    from pipeline.verify import recognizer

    (episode,) = _tone_show(tmp_path)
    monkeypatch.setattr(recognizer, "available", lambda: "--verify needs the verify extra")
    r = cli_inproc("render", episode, "--verify", "-o", tmp_path / "out")
    _fails_cleanly(r, str(episode), "--verify needs the verify extra")
    assert r.code == 2


def test_debug_prints_the_traceback_of_a_bug_and_exits_70(cli_inproc, tmp_path, monkeypatch):
    """With --debug a bug prints its traceback and main() still returns 70 (it never re-raises)."""
    monkeypatch.setattr(stages, "preflight_voices", _bug)
    r = cli_inproc("--debug", "preview", EXAMPLE, "1", "-o", tmp_path / "x.wav")
    assert r.code == 70 and "Traceback" in r.stderr and "RuntimeError: a bug" in r.stderr, r.stderr
    assert "podcast: internal error: RuntimeError: a bug" in r.stderr


EXIT_CODES = [
    ("0", "done"),
    ("1", "a problem with the input or media"),
    ("2", "bad usage"),
    ("70", "an internal error: a bug"),
    ("130", "interrupted (SIGINT)"),
    ("143", "stopped (SIGTERM)"),
]


def test_help_lists_the_exit_codes_as_the_readme_does(cli_inproc):
    """`podcast --help` listed no exit codes."""
    r = cli_inproc("--help")
    assert r.code == 0
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    for code, meaning in EXIT_CODES:
        assert re.search(rf"^\s*{code}\s+{re.escape(meaning)}", r.stdout, re.M), (code, r.stdout)
        assert f"{code} {meaning}" in readme, code


def test_cache_that_is_a_file_is_named_once(cli_inproc, tmp_path):
    """`cache info` said `cache X: X is not a folder`."""
    cache = write(tmp_path / "cachefile", "x")
    r = cli_inproc("cache", "info", env={"PODCAST_CACHE": str(cache)})
    _fails_cleanly(r, "the segment cache is not a folder")
    assert r.code == 1 and r.stderr.count(str(cache)) == 1


def test_broken_show_config(cli_inproc, tmp_path):
    write(tmp_path / "podcast.toml", "[master]\nloudness = 'very'\n")
    _fails_cleanly(cli_inproc("segments", write(tmp_path / "ep.md", "Hi.\n")), "master.loudness must be float")


@pytest.mark.slow  # the real voice
def test_cached_preview_loads_no_engine(cli, tmp_path):
    """A segment already in the cache is previewed without loading the voice model."""
    first = cli("--debug", "preview", EXAMPLE, "4", "-o", tmp_path / "a.wav")
    assert first.code == 0, first.stderr
    assert "loaded the Kokoro model" in first.stderr  # segment 4: MAYA, a Kokoro voice
    again = cli("--debug", "preview", EXAMPLE, "4", "-o", tmp_path / "b.wav")
    assert again.code == 0, again.stderr
    assert "Kokoro" not in again.stderr and "onnxruntime" not in again.stderr
    assert (tmp_path / "a.wav").read_bytes() == (tmp_path / "b.wav").read_bytes()


@pytest.mark.slow  # the real voice
def test_cache_info_and_prune(cli, tmp_path):
    assert cli("preview", EXAMPLE, "1", "-o", tmp_path / "one.wav").code == 0
    assert cli("preview", EXAMPLE, "2", "-o", tmp_path / "two.wav").code == 0
    info = json.loads(cli("cache", "info", "--json").stdout)
    assert info["entries"] == 2 and info["location"] == str(tmp_path / "cache")
    assert info["voices"] == {"michael": 1, "heart": 1}  # the example's two hosts
    human = cli("cache", "info").stdout
    assert "entries:  2" in human
    one = write(tmp_path / "only-one.md", EXAMPLE.read_text().split("\n\nMAYA: And I'm Maya.")[0])
    r = cli("cache", "prune", "--unused", one)
    assert r.code == 0 and "removed 1 entries" in r.stdout
    assert json.loads(cli("cache", "info", "--json").stdout)["entries"] == 1
    r = cli("cache", "prune", "--older-than", "0")
    assert r.code == 0 and json.loads(cli("cache", "info", "--json").stdout)["entries"] == 0
    _fails_cleanly(cli("cache", "prune"), "needs --older-than")


# ---------------------------------------------------------------- pipes, encodings, flag values (#24)

KOREAN = "---\ntitle: 한국어 제목\ndate: 2026-01-01\n---\n\n안녕하세요. Hello there, in English too.\n"


def _espeak_show(tmp_path, text: str = KOREAN, name: str = "한국.md"):
    write(tmp_path / "podcast.toml", '[speech]\nvoice = "espeak"\n[music]\nintro = "none"\noutro = "none"\n')
    return write(tmp_path / name, text)


def _run(tmp_path, *args, stdout=subprocess.PIPE, env=None):
    return subprocess.run(
        [sys.executable, "-m", "pipeline", *map(str, args)],
        stdout=stdout,
        stderr=subprocess.PIPE,
        cwd=tmp_path,
        env={**os.environ, "PODCAST_CACHE": str(tmp_path / "cache"), **(env or {})},
        timeout=300,
    )


@pytest.mark.parametrize(
    "args",
    [("segments", "long.md"), ("segments", "long.md", "--json"), ("cache", "info"), ("voices",)],
)
def test_a_closed_pipe_is_a_normal_end(tmp_path, args):
    """`podcast segments ep.md | head`: the reader went away, which is how such a pipe ends,
    not a bug: exit 0 and nothing on stderr."""
    _espeak_show(tmp_path, "\n\n".join(f"Paragraph {n} has a few words in it." for n in range(3000)), "long.md")
    read, write_end = os.pipe()
    os.close(read)  # as `head` leaves it: nobody reads any more
    try:
        proc = _run(tmp_path, "-q", *args, stdout=write_end)
    finally:
        os.close(write_end)
    assert (proc.returncode, proc.stderr.decode()) == (0, "")


def test_a_stdout_that_cannot_encode_a_title_degrades_and_does_not_crash(tmp_path):
    """PYTHONIOENCODING=ascii (a C locale, a log collector): a finished render of an episode
    with a Korean title and file name prints its lines with escapes, exit 0."""
    episode = _espeak_show(tmp_path)
    env = {"PYTHONIOENCODING": "ascii"}
    proc = _run(tmp_path, "segments", episode, env=env)
    assert proc.returncode == 0, proc.stderr.decode()
    assert b"\\ud55c\\uad6d\\uc5b4" in proc.stdout  # 한국어, escaped
    proc = _run(tmp_path, "render", episode, "-o", "out", env=env)
    assert proc.returncode == 0, proc.stderr.decode()
    assert (tmp_path / "out" / "한국.mp3").is_file() and proc.stdout.strip().endswith(b"\\ud55c\\uad6d.mp3")


def test_a_scheduler_flag_that_is_no_address_is_bad_usage(cli_inproc, tmp_path, tone_voice):
    (episode,) = _tone_show(tmp_path)
    r = cli_inproc("render", episode, "--scheduler", "notaurl", "-o", tmp_path / "out")
    assert r.code == 2 and "--scheduler: must be a Dask scheduler address such as tcp://host:8786" in r.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("command", ["render", "check"])
def test_a_scheduler_setting_that_is_no_address_names_the_key(cli_inproc, tmp_path, tone_voice, command):
    """[batch] scheduler that is no Dask address is one line naming the key (exit 1), from
    `render` and from `check` alike."""
    (episode,) = _tone_show(tmp_path)
    with (tmp_path / "podcast.toml").open("a") as f:
        f.write('[batch]\nscheduler = "notaurl"\n')
    r = cli_inproc(command, episode, *(["-o", tmp_path / "out"] if command == "render" else []))
    assert r.code == 1, r.stderr
    assert "batch.scheduler must be a Dask scheduler address such as tcp://host:8786, not 'notaurl'" in r.stderr
    assert "internal error" not in r.stderr and not (tmp_path / "out").exists()


def test_a_port_out_of_range_is_bad_usage_before_anything_is_written(cli_inproc, tmp_path):
    from test_feed import fake_show

    out = fake_show(tmp_path)
    r = cli_inproc("site", out, "--serve", "--port", "99999", "-o", tmp_path / "web")
    assert r.code == 2 and "--port" in r.stderr and "0 to 65535" in r.stderr, r.stderr
    assert not (tmp_path / "web").exists()


def test_a_port_in_use_is_one_line_before_anything_is_written(cli_inproc, tmp_path):
    import socket

    from test_feed import fake_show

    out = fake_show(tmp_path)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        r = cli_inproc("site", out, "--serve", "--port", port, "-o", tmp_path / "web")
    assert r.code == 1, r.stderr
    assert r.stderr.strip().splitlines() == [
        f"podcast: error: --port {port}: cannot serve on 127.0.0.1:{port}: address already in use; "
        f"give another port (0: any free one)"
    ]
    assert not (tmp_path / "web").exists()


# ---------------------------------------------------------------- [site] output after a render (#24)


def test_a_draft_render_leaves_the_site_alone(cli_inproc, tmp_path, tone_voice):
    """Drafts are not on the show's page: a `render --draft` of a show with [site] output
    renders and leaves the site as it is."""
    (episode,) = _tone_show(tmp_path)
    with (tmp_path / "podcast.toml").open("a") as f:
        f.write('[site]\noutput = "web"\n')
    r = cli_inproc("render", "--draft", episode, "-o", tmp_path / "out")
    assert r.code == 0, r.stderr
    assert (tmp_path / "out" / "ep-draft.mp3").is_file() and not (tmp_path / "web").exists()
    assert "error" not in r.stderr


@pytest.mark.parametrize("kind", ["file", "read-only"])
def test_a_site_folder_that_cannot_be_written_is_found_before_synthesis(cli_inproc, tmp_path, tone_voice, kind):
    """[site] output that is a file or a read-only folder: one line naming it, before any
    synthesis, in `render` and in `check`.  Read-only by
    permissions, or as root (who ignores them) by a read-only bind mount."""
    (episode,) = _tone_show(tmp_path)
    with (tmp_path / "podcast.toml").open("a") as f:
        f.write('[site]\noutput = "web"\n')
    web = tmp_path / "web"
    if kind == "file":
        write(web, "not a folder")
        why = "not a folder"
    else:
        web.mkdir()
        why = "read-only file system" if os.geteuid() == 0 else "permission denied"
    with read_only(web) if kind == "read-only" else contextlib.nullcontext():
        r = cli_inproc("render", episode, "-o", tmp_path / "out")
        assert r.code == 1, r.stderr
        assert _error_lines(r) == [f"podcast: error: {episode}: site.output {web}: {why}"], r.stderr
        assert not (tmp_path / "out" / "ep.mp3").exists() and not list((tmp_path / "cache").rglob("*.flac"))
        r = cli_inproc("check", episode)
        assert r.code == 1 and f"site.output {web}" in r.stderr, r.stderr


# ---------------------------------------------------------------- each warning once (#24)

WARNED = "# T\n\nHello there.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```\ncode\n```\n\nThe end.\n"


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_render_prints_each_parse_warning_once(tmp_path, jobs):
    """Planning parses every episode, and so does its render: each warning of a script is
    printed once, whether the render runs in this process or in a worker of a parallel batch."""
    _espeak_show(tmp_path, WARNED, "warned.md")
    write(tmp_path / "other.md", "# Other\n\nA second episode.\n")
    proc = _run(tmp_path, "render", "warned.md", "other.md", "-o", "out", "-j", jobs)
    assert proc.returncode == 0, proc.stderr.decode()
    warnings = [line for line in proc.stderr.decode().splitlines() if "warning" in line]
    assert warnings == [
        "podcast: warning: warned.md:5: table skipped (a table is not read aloud)",
        "podcast: warning: warned.md:9: fenced code block skipped (code is not read aloud)",
    ]


def test_a_render_that_updates_the_feed_prints_each_parse_warning_once(tmp_path, cli_inproc):
    """After a render, the feed is written from every script of the show, read again: each
    parse warning is still printed once, with the path as the command line spelled it."""
    from PIL import Image

    from test_feed import FAKE_TOML

    Image.new("RGB", (1400, 1400), "orange").save(tmp_path / "cover.jpg", "JPEG")
    write(tmp_path / "podcast.toml", FAKE_TOML.replace("{extra}", "") + '[music]\nintro = "none"\noutro = "none"\n')
    write(tmp_path / "episodes" / "warned.md", "---\ntitle: T\ndate: 2026-01-02\n---\n" + WARNED)
    r = cli_inproc("render", "episodes/warned.md", "-q")
    assert r.code == 0, r.stderr
    assert (tmp_path / "out" / "feed.xml").is_file()
    assert r.stderr.splitlines() == [
        "podcast: warning: episodes/warned.md:9: table skipped (a table is not read aloud)",
        "podcast: warning: episodes/warned.md:13: fenced code block skipped (code is not read aloud)",
    ]


def test_a_closed_pipe_keeps_the_exit_status(tmp_path):
    """A command whose reader went away still does all its work and exits with its own status:
    `podcast check bad.md | head` is 1 when the script has problems (not 0, not 70)."""
    _espeak_show(tmp_path, "---\nvoice: nobody\n---\n\nHello there.\n", "bad.md")
    read, write_end = os.pipe()
    os.close(read)
    try:
        proc = _run(tmp_path, "check", "bad.md", stdout=write_end)
    finally:
        os.close(write_end)
    assert proc.returncode == 1 and b"error" in proc.stderr and b"internal" not in proc.stderr, proc.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["check", ""],
        ["render", ""],
        ["verify", ""],
        ["report", ""],
        ["segments", ""],
        ["preview", "", "1"],
        ["takes", "", "1"],
        ["render", "ep.md", "-o", ""],
        ["feed", "-o", "", "."],
        ["site", ""],
        ["check", "ep.md", "--config", ""],
    ],
)
def test_an_empty_path_on_the_command_line_is_bad_usage_not_the_current_folder(tmp_path, cli_inproc, args):
    """An empty path on the command line is bad usage (exit 2), named, before any work: never
    Path(""), the current folder (whose scripts it would check or render, or write into)."""
    write(tmp_path / "ep.md", "# Ep\n\nHello.\n")
    r = cli_inproc(*args)
    assert r.code == 2, r.stderr
    last = r.stderr.strip().splitlines()[-1]
    assert "empty" in last and "Traceback" not in r.stderr, last
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ep.md"]


def test_report_of_several_episodes_goes_past_one_that_fails(cli_inproc, tmp_path, tone_voice):
    """As a batch does: an episode that cannot be reported is one line naming it, the others'
    pages are still written, and the exit status is the failure's."""
    done, missing = _tone_show(tmp_path, "done", "missing")
    r = cli_inproc("render", done, "-o", tmp_path / "out")
    assert r.code == 0, r.stderr
    (tmp_path / "out" / "done.report.html").unlink()
    r = cli_inproc("report", missing, done, "-o", tmp_path / "out")
    assert r.code == 1, r.stderr
    errors = _error_lines(r)
    assert len(errors) == 1 and "missing.md" in errors[0], r.stderr
    assert (tmp_path / "out" / "done.report.html").is_file()
