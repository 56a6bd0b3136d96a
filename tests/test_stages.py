"""The stage lists (assembled in _stages.py only), the up-to-date digest, batch
planning's refusals, and the file-system chores the stages stand on."""

import dataclasses
import fcntl
import multiprocessing
import os
from pathlib import Path

import pytest

from conftest import write
from pipeline import _bodies as bodies
from pipeline import _facade as facade
from pipeline import _stages as stages
from pipeline._bodies import speak_stage
from pipeline._digest import inputs_digest
from pipeline._fsutil import atomic_path, clean_stale
from pipeline.app._batch import Outcome, Progress, plan
from pipeline.errors import InternalError, PipelineError, ScriptError, VoiceError
from pipeline.synthesis.speech import load_voices

EPISODE = "# Title\n\nFirst words here.\n\n## Two\n\nMore words there.\n"


def names(stage_list):
    return [s.name for s in stage_list]


def test_the_named_lists():
    o = stages.Options()
    head = ["parse", "pins", "voices", "preflight"]
    tail = ["spoken", "synthesize", "speech", "mix", "master", "package"]
    assert names(stages.render_stages(o, {})) == [*head, *tail]
    assert names(stages.draft_stages(o, {})) == ["parse", "draft", "voices", "preflight", *tail]
    assert names(stages.episode_stages(dataclasses.replace(o, draft=True), {})) == names(stages.draft_stages(o, {}))
    assert names(stages.preflight_stages(o)) == head
    assert names(stages.listing_stages(o)) == ["parse", "pins", "voices", "spoken"]
    assert names(stages.verify_rendered_stages(o)) == ["parse", "pins", "voices", "spoken", "listen"]
    assert names(stages.parse_stages(o)) == ["parse", "pins", "voices"]
    assert names(stages.lint_stages()) == ["preflight", "models"]
    assert names(stages.remaster_stages(o)) == ["synthesize", "speech", "mix", "master"]
    assert names(stages.render_stages(dataclasses.replace(o, verify=True), {}))[-5:] == [
        "listen",
        "retake",
        "remaster",
        "conclude",
        "package",
    ]
    preview = ["voices", "spoken", "select", "preflight", "output", "synthesize", "speech", "master"]
    assert names(stages.preview_stages(o, "1")) == ["parse", "pins", *preview]
    assert names(stages.takes_stages(o, "1", 3)) == ["parse", "pins", "voices", "spoken", "preflight", "takes"]
    assert names(stages.preview_text_stages(o, None)) == ["parse", *(n for n in preview if n != "select")]
    assert names(stages.preview_text_stages(dataclasses.replace(o, draft=True), None))[:2] == ["parse", "draft"]


def test_voices_load_once_and_travel_with_the_script(tmp_path, monkeypatch):
    path = write(tmp_path / "ep.md", EPISODE)
    calls = []

    def counted(script):
        calls.append(1)
        return load_voices(script)

    monkeypatch.setattr(bodies, "load_voices", counted)
    script = stages.run(stages.preflight_stages(stages.Options()), path)
    assert set(script.loaded_voices) == {"joe"} and len(calls) == 1
    spoken = stages.run([stages.Stage("spoken", speak_stage)], script)
    assert spoken.loaded_voices is script.loaded_voices and len(calls) == 1


def _two_voice_show(root: Path) -> Path:
    write(root / "podcast.toml", '[speech]\nvoice = "tone"\n[music]\nintro = "none"\noutro = "none"\n')
    write(root / "voices" / "tone.toml", 'engine = "tone"\nmodel = "-"\n')
    write(root / "voices" / "guest.toml", 'engine = "tone"\nmodel = "-"\n')
    return write(
        root / "ep.md",
        "---\nspeakers:\n  GUEST: guest\n---\n# Ep\n\nThe host says a first paragraph, long enough to measure.\n\n"
        "GUEST: And the guest answers with a second one, also long enough.\n",
    )


@pytest.fixture
def voice_loads(monkeypatch):
    """How often each voice file was read."""
    from collections import Counter

    from pipeline.synthesis import voices

    loads: Counter = Counter()
    real = voices.load_voice_file
    monkeypatch.setattr(voices, "load_voice_file", lambda path: loads.update([Path(path).name]) or real(path))
    return loads


@pytest.mark.tools
def test_each_command_loads_each_voice_file_once(cli_inproc, tmp_path, tone_voice, voice_loads):
    """`segments`, `check` and `preview` each load each voice file once."""
    episode = _two_voice_show(tmp_path)
    for args in (
        ["segments", episode],
        ["check", episode],
        ["preview", episode, "2", "-o", tmp_path / "two.wav"],
        [
            "preview",
            "--text",
            "Words in the show's voice, enough of them to be measured.",
            "--config",
            tmp_path / "podcast.toml",
            "-o",
            tmp_path / "t.wav",
        ],
    ):
        voice_loads.clear()
        r = cli_inproc(*args)
        assert r.code == 0, (args, r.stderr)
        expected = {"tone.toml": 1} if "--text" in args else {"tone.toml": 1, "guest.toml": 1}
        assert dict(voice_loads) == expected, args


@pytest.mark.tools
def test_a_broken_voice_stops_only_what_needs_it(cli_inproc, tmp_path, tone_voice, voice_loads):
    episode = _two_voice_show(tmp_path)
    write(tmp_path / "voices" / "guest.toml", 'engine = "tone"\n')  # no model
    r = cli_inproc("preview", episode, "1", "-o", tmp_path / "one.wav")  # the host's segment
    assert r.code == 0, r.stderr
    r = cli_inproc("preview", episode, "2", "-o", tmp_path / "two.wav")
    assert r.code == 1 and f"podcast: error: {episode}: " in r.stderr and "missing 'model'" in r.stderr
    voice_loads.clear()
    r = cli_inproc("segments", episode)
    assert r.code == 0 and "second one" in r.stdout
    assert [line for line in r.stderr.splitlines() if "missing 'model'" in line] != []
    assert voice_loads["guest.toml"] == 1
    voice_loads.clear()
    r = cli_inproc("check", episode)
    assert r.code == 1 and len([line for line in r.stderr.splitlines() if "missing 'model'" in line]) == 1
    assert voice_loads["guest.toml"] == 1


def test_run_times_every_stage_and_names_the_stage_of_an_os_error():
    timings: dict[str, float] = {}
    assert stages.run([stages.Stage("a", lambda v: v + 1), stages.Stage("b", lambda v: v * 2)], 1, timings) == 4
    assert set(timings) == {"a", "b"}

    def fail(_):
        raise PermissionError(13, "denied")

    with pytest.raises(PermissionError) as err:
        stages.run([stages.Stage("package", fail)], None)
    assert getattr(err.value, "stage", None) == "package"  # run() names the stage on the OSError


def test_progress_is_a_callback(tmp_path):
    seen = []

    def progress(items, slug):
        seen.append(slug)
        return items

    options = stages.Options(progress=progress)
    wrap = stages._progress(options, "slug")
    assert list(wrap([1, 2])) == [1, 2] and seen == ["slug"]


def test_naming_keeps_the_error_type_and_puts_the_location_in_data(tmp_path):
    script = stages.run(stages.parse_stages(stages.Options()), write(tmp_path / "ep.md", EPISODE))
    with pytest.raises(VoiceError) as err:
        with bodies.naming(script):
            raise VoiceError("unknown voice 'x'")
    assert err.value.file == script.path and err.value.message == "unknown voice 'x'"
    assert str(err.value) == f"{script.path}: unknown voice 'x'"
    with pytest.raises(ScriptError) as err2:  # already located: untouched, still a ScriptError
        with bodies.naming(script):
            raise ScriptError(script.path, "bad", 3)
    assert (err2.value.line, str(err2.value)) == (3, f"{script.path}:3: bad")
    with pytest.raises(VoiceError) as err3:  # about another file: it stays there, the script goes in front
        with bodies.naming(script):
            raise VoiceError("no model", file="voices/x.toml")
    assert str(err3.value) == f"{script.path}: voices/x.toml: no model"
    # It was flattened into the message: `podcast check` then reported it at the script.
    assert (err3.value.file, err3.value.within, err3.value.message) == ("voices/x.toml", script.path, "no model")


def test_an_error_renders_its_location_once():
    """An error shows its location (file, line, segment) once, in front of its message."""
    assert str(PipelineError("boom", file="a.md", line=3, segment=2)) == "a.md:3: segment 2: boom"
    assert str(PipelineError("boom", segment=2)) == "segment 2: boom"
    assert str(PipelineError("boom", file="v.toml").during("a.md")) == "a.md: v.toml: boom"
    assert str(PipelineError("boom").during("a.md")) == "a.md: boom"
    assert str(PipelineError("boom", file="a.md").during("a.md")) == "a.md: boom"


def test_errors_cross_processes_with_their_location():
    import pickle

    err = pickle.loads(pickle.dumps(ScriptError("a.md", "bad", 4)))
    assert (type(err), err.file, err.line, str(err)) == (ScriptError, "a.md", 4, "a.md:4: bad")
    plain = pickle.loads(pickle.dumps(PipelineError("x", segment=2)))
    assert (plain.segment, str(plain)) == (2, "segment 2: x")
    inner = pickle.loads(pickle.dumps(PipelineError("x", file="v.toml").during("a.md")))
    assert (inner.file, inner.within, str(inner)) == ("v.toml", "a.md", "a.md: v.toml: x")
    # A worker's outcome comes back with its failure's type, so a bug still exits 70.
    bug = Outcome(Path("a.md"), "failed", failure=InternalError("internal error: KeyError: 'x'", file=Path("a.md")))
    back = pickle.loads(pickle.dumps(bug))
    assert (back.failure.exit_code, back.error) == (70, "a.md: internal error: KeyError: 'x'")


# ---------------------------------------------------------------- the up-to-date digest


def _digest(show: Path, toml: str) -> str:
    write(show / "podcast.toml", toml)
    script = stages.run(stages.preflight_stages(stages.Options()), show / "ep.md")
    return inputs_digest(script)


@pytest.mark.tools
def test_digest_counts_only_what_reaches_the_output(tmp_path):
    write(tmp_path / "ep.md", EPISODE)
    base = _digest(tmp_path, '[show]\ntitle = "S"\n')
    assert _digest(tmp_path, '[show]\ntitle = "S"\n[batch]\njobs = 3\n') == base
    assert _digest(tmp_path, '[show]\ntitle = "S"\n[paths]\noutput = "elsewhere"\n') == base
    assert _digest(tmp_path, '[show]\ntitle = "S"\n[speech]\nthreads = 1\n[site]\noutput = "site"\n') == base
    assert _digest(tmp_path, '[show]\ntitle = "S"\n[master]\nloudness = -19.0\n') != base
    assert _digest(tmp_path, '[show]\ntitle = "Other"\n') != base  # the tags


@pytest.mark.tools
def test_digest_counts_what_reaches_the_spoken_text(tmp_path, monkeypatch):
    """The show's lexicon, a voice's lexicon and the normalizer change the spoken text,
    so the audio: each changes the digest; an unchanged lexicon leaves it alone."""
    from pipeline.text import normalize

    write(tmp_path / "ep.md", "# Title\n\nThe statx call.\n")
    toml = '[show]\ntitle = "S"\n'
    base = _digest(tmp_path, toml)
    write(tmp_path / "lexicon.toml", '[words]\nstatx = "stat ex"\n')
    edited = _digest(tmp_path, toml)
    assert edited != base
    assert _digest(tmp_path, toml) == edited  # unchanged: up to date
    write(tmp_path / "lexicon.toml", '# a comment\n[words]\nstatx = "stat ex"   # said so\n')
    assert _digest(tmp_path, toml) == edited  # the same entries: the same spoken text
    voice = (Path(normalize.__file__).parents[2] / "data" / "voices" / "espeak.toml").read_text()
    write(tmp_path / "voices" / "mine.toml", voice)
    mine = _digest(tmp_path, toml + '[speech]\nvoice = "mine"\n')
    write(tmp_path / "voices" / "mine.toml", voice + '[lexicon.words]\nstatx = "stats"\n')
    assert _digest(tmp_path, toml + '[speech]\nvoice = "mine"\n') != mine
    monkeypatch.setattr(normalize, "VERSION", normalize.VERSION + "-changed")  # the rules' fingerprint
    normalize.fingerprint.cache_clear()
    try:
        assert _digest(tmp_path, toml) != edited
    finally:
        monkeypatch.undo()
        normalize.fingerprint.cache_clear()


def test_the_normalizer_fingerprint_covers_its_dictionary_vocabularies_and_num2words(monkeypatch):
    from pipeline.text import normalize

    before = normalize.fingerprint()
    for module, name, value in (
        (normalize.words, "_dictionary_bytes", lambda: b"another word list"),
        (normalize, "VERSION", "another"),
        (normalize.vocab, "digest", lambda: b"another vocabulary"),
    ):
        with monkeypatch.context() as m:
            m.setattr(module, name, value)
            normalize.fingerprint.cache_clear()
            assert normalize.fingerprint() != before, name
    with monkeypatch.context() as m:
        m.setattr("importlib.metadata.version", lambda dist: "0.0-other" if dist == "num2words" else "1")
        normalize.fingerprint.cache_clear()
        assert normalize.fingerprint() != before
    normalize.fingerprint.cache_clear()
    assert normalize.fingerprint() == before


@pytest.mark.tools
def test_the_draft_voice_counts_only_in_a_draft(tmp_path):
    """`speech.draft_voice` reaches only a --draft render's output (as that render's voice)."""
    from pipeline.text import normalize

    write(tmp_path / "ep.md", EPISODE)
    voice = (Path(normalize.__file__).parents[2] / "data" / "voices" / "espeak.toml").read_text()
    write(tmp_path / "voices" / "other.toml", voice.replace("length_scale = 1.0", "length_scale = 1.2"))

    def digest(draft_voice: str, draft: bool) -> str:
        write(tmp_path / "podcast.toml", f'[show]\ntitle = "S"\n[speech]\ndraft_voice = "{draft_voice}"\n')
        script = stages.run(stages.preflight_stages(stages.Options(draft=draft)), tmp_path / "ep.md")
        return inputs_digest(script)

    assert digest("other", False) == digest("espeak", False)
    assert digest("other", True) != digest("espeak", True)


@pytest.mark.tools
def test_changing_jobs_or_output_folder_leaves_an_episode_up_to_date(tmp_path, monkeypatch):
    """A report carrying the digest is all `up_to_date` reads: planning with a changed
    `[batch] jobs` or output folder skips; a changed loudness target renders."""
    import json

    monkeypatch.setenv("PODCAST_CACHE", str(tmp_path / "cache"))
    ep = write(tmp_path / "ep.md", EPISODE)
    monkeypatch.chdir(tmp_path)  # the default output folder, out/, is found from here
    write(tmp_path / "podcast.toml", '[music]\nintro = "none"\noutro = "none"\n')
    todo, skipped, failed = plan([ep], stages.Options(), 1, False)
    assert not failed and len(todo) == 1
    job = todo[0]
    for out in (job.out_dir, tmp_path / "other"):
        out.mkdir(exist_ok=True)
        for ext in (".mp3", ".chapters.json", ".transcript.json"):  # the outputs up_to_date looks for
            (out / f"{job.slug}{ext}").write_bytes(b"x")
        (out / f"{job.slug}.report.json").write_text(json.dumps({"inputs": job.options.inputs_digest}))
    write(tmp_path / "podcast.toml", '[music]\nintro = "none"\noutro = "none"\n[batch]\njobs = 4\n')
    assert len(plan([ep], stages.Options(), 1, False)[1]) == 1
    assert len(plan([ep], stages.Options(output_dir=tmp_path / "other"), 1, False)[1]) == 1
    write(tmp_path / "podcast.toml", '[music]\nintro = "none"\noutro = "none"\n[master]\nloudness = -19.0\n')
    todo, skipped, _ = plan([ep], stages.Options(), 1, False)
    assert len(todo) == 1 and not skipped


# ---------------------------------------------------------------- batch planning


@pytest.mark.tools
def test_planning_refuses_two_episodes_writing_one_slug(tmp_path, monkeypatch):
    """Batch planning and `podcast check` refuse the second script of one output file in the
    same words, naming the file it would write and the script that writes it first."""
    from pipeline.app._check import check_all

    monkeypatch.setenv("PODCAST_CACHE", str(tmp_path / "cache"))
    a = write(tmp_path / "a" / "show.md", EPISODE)
    b = write(tmp_path / "b" / "show.md", EPISODE)
    options = stages.Options(output_dir=tmp_path / "out")
    todo, skipped, failed = plan([a, b], options, 2, True)
    assert [j.episode for j in todo] == [a] and not skipped
    assert [o.status for o in failed] == ["failed"]
    message = f"writes {(tmp_path / 'out').resolve() / 'show.mp3'}, as {a} does; rename one of them"
    assert failed[0].error == f"{b}: {message}"
    assert [(p.file, p.message) for p in check_all([a, b], options) if p.fatal] == [(b, message)]


@pytest.mark.tools
def test_planning_keeps_the_folder_an_os_error_names_as_data(tmp_path, monkeypatch):
    """Planning keeps the folder an OS error names as the error's location (data), not in its message."""
    monkeypatch.setenv("PODCAST_CACHE", str(tmp_path / "cache"))
    ep = write(tmp_path / "ep.md", EPISODE)
    out = write(tmp_path / "out", "a file")
    _, _, failed = plan([ep], stages.Options(output_dir=out), 1, True)
    failure = failed[0].failure
    assert failure is not None
    assert (failure.file, failure.within, failure.message) == (str(out), ep, "not a folder")
    assert failed[0].error == f"{ep}: {out}: not a folder"


def test_progress_events_are_not_outcomes():
    event = Progress("slug", 1, 3)
    assert not hasattr(event, "status")


# ---------------------------------------------------------------- fsutil's temporaries


def _killed_writer(target: str, ready, go) -> None:
    with atomic_path(Path(target)) as tmp:
        tmp.write_bytes(b"half")
        ready.set()
        go.wait(30)
        os._exit(9)  # killed half way: no clean-up runs


def test_a_killed_writers_temporary_is_removed_by_the_next_writer(tmp_path):
    target = tmp_path / "out.mp3"
    ctx = multiprocessing.get_context("spawn")
    ready, go = ctx.Event(), ctx.Event()
    proc = ctx.Process(target=_killed_writer, args=(str(target), ready, go))
    proc.start()
    assert ready.wait(30)
    left = list(tmp_path.glob(".out.mp3.*.part*"))
    assert len(left) == 1
    clean_stale(target)  # its writer is alive (lock held): left alone
    assert left[0].exists()
    go.set()
    proc.join(30)
    assert proc.exitcode == 9 and left[0].exists()
    with atomic_path(target) as tmp:  # the next writer finds the lock free and removes it
        assert not left[0].exists()
        tmp.write_bytes(b"whole")
    assert target.read_bytes() == b"whole" and not list(tmp_path.glob(".out.mp3.*"))


def test_a_live_writers_lock_is_held(tmp_path):
    with atomic_path(tmp_path / "f.txt") as tmp:
        fd = os.open(tmp, os.O_RDONLY)
        try:
            with pytest.raises(BlockingIOError):
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        finally:
            os.close(fd)


@pytest.mark.parametrize("where", ["start", "end"])
def test_the_spoken_ai_disclosure_is_a_segment(tmp_path, cli_inproc, where):
    """show.ai_disclosure_spoken: the line, in the show's voice, as the first or last words."""
    import json

    toml = f'[show]\ntitle = "S"\nai_disclosure_spoken = "{where}"\nai_disclosure_line = "Read by a machine."\n'
    write(tmp_path / "podcast.toml", toml + '[speech]\nvoice = "espeak"\n')
    write(tmp_path / "ep.md", "---\ntitle: T\n---\n\nHello there.\n\n## Two\n\nSecond part.\n")
    r = cli_inproc("segments", tmp_path / "ep.md", "--json")
    assert r.code == 0, r.stderr
    doc = json.loads(r.stdout)
    texts = [s["text"] for s in doc["segments"]]
    line = "Read by a machine."
    assert texts == (
        [line, "Hello there.", "Second part."] if where == "start" else ["Hello there.", "Second part.", line]
    )
    assert [s["index"] for s in doc["segments"]] == [1, 2, 3]
    assert [c["segments"] for c in doc["chapters"]] == ([[1, 2], [3]] if where == "start" else [[1], [2, 3]])
    assert {s["voice"] for s in doc["segments"]} == {"espeak"}
    write(tmp_path / "podcast.toml", '[show]\nai_disclosure_spoken = "before"\n')
    r = cli_inproc("segments", tmp_path / "ep.md")
    assert r.code == 1 and "show.ai_disclosure_spoken must be one of 'none', 'start', 'end'" in r.stderr


def test_the_report_page_is_drawn_only_from_a_checked_report(tmp_path):
    """`podcast report`: a file name in the report (the MP3 to measure) that leaves its folder
    is one line naming the key, before anything is opened (it measured ../../etc/passwd)."""
    import json

    from pipeline.errors import MediaError

    secret = write(tmp_path / "secret.mp3", b"\xff\xfb" + bytes(100))
    report = {"episode": {"slug": "ep"}, "duration": 1.0, "segments": [], "outputs": {"mp3": "../secret.mp3"}}
    path = write(tmp_path / "out" / "ep.report.json", json.dumps(report))
    with pytest.raises(MediaError, match=r"ep\.report\.json: not a render report \(outputs\.mp3: must be a plain"):
        facade.report_page(path, stages.Options())
    assert secret.read_bytes() == b"\xff\xfb" + bytes(100)
