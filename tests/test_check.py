"""`podcast check`: lint without synthesis."""

import pytest

from conftest import EXAMPLE, write

# Uses ffmpeg or eSpeak NG: CI runs these again with the distribution's own tools.
pytestmark = pytest.mark.tools


def test_clean_scripts_pass(cli_inproc):
    r = cli_inproc("check", EXAMPLE)
    assert r.code == 0, r.stdout + r.stderr
    assert r.stdout.strip() == "1 script checked: no problems"


def test_real_transcript_guesses_are_real_questions(cli_inproc, real_transcript):
    """Names the dictionary lacks and the transcript's typos, each with its reading and a lexicon
    line; nothing the rules or the bundled lexicon know (the issue's list), no noise."""
    r = cli_inproc("check", real_transcript)
    assert r.code == 0, r.stdout + r.stderr
    guesses = [l for l in r.stderr.splitlines() if ": warning: guessed " in l]  # problems go to stderr
    assert r.stdout.strip() == f"1 script checked: no problems, {len(guesses)} warnings to review"
    tokens = [l.split("guessed ", 1)[1].split("'")[1] for l in guesses]
    for token in (
        "Zijlstra",
        "Shutemov",
        "Torvalds",
        "filesytem",
        "structutures",
        "aspiriations",
        "pergatory",
        "clarifcation",
        "eneral",
        "bu",
    ):
        assert token in tokens
    for known in (
        "statx",
        "igvtg",
        "kvzalloc",
        "kmalloc",
        "Bcachefs",
        "fsck",
        "kexec",
        "powerpc",
        "udev",
        "atomisp",
        "mmotm",
        "OpenRISC",
        "PoC",
        "RCpc",
        "RCsc",
        "mm",
        "mce",
        "kvm",
        "dma",
        "pfn",
        "userspace",
        "inode",
        "struct",
        "Loudness",
    ):
        assert known not in tokens
    assert len(tokens) == len({t.lower() for t in tokens}) <= 30
    line = next(l for l in guesses if "'bu'" in l)
    assert line.endswith('says "B U"; to decide, put this under [words] in lexicon.toml: bu = "B U"')
    assert cli_inproc("check", "--strict", real_transcript).code == 1


def test_guesses_name_the_reading_and_strict_fails(cli_inproc, tmp_path):
    write(tmp_path / "podcast.toml", "")
    script = write(tmp_path / "ep.md", "The zqxv module and the Frobnitzky driver.\n")
    r = cli_inproc("check", script)
    assert r.code == 0, r.stdout + r.stderr
    assert (
        f"{script}:1: segment 1: warning: guessed 'zqxv' (a code name that cannot be said as a word: spelled): "
        f'says "Z Q X V"; to decide, put this under [words] in lexicon.toml: zqxv = "Z Q X V"' in r.stderr
    )
    assert "guessed 'Frobnitzky' (a name not in the pronouncing dictionary)" in r.stderr
    assert r.stdout.strip() == "1 script checked: no problems, 2 warnings to review"
    strict = cli_inproc("check", "--strict", script)
    assert strict.code == 1 and "error: guessed 'zqxv'" in strict.stderr
    write(tmp_path / "lexicon.toml", '[words]\nzqxv = "zee queue"\nFrobnitzky = "frob nits key"\n')
    r = cli_inproc("check", "--strict", script)
    assert r.code == 0 and r.stdout.strip() == "1 script checked: no problems"


def test_problems_are_listed_with_their_segment(cli_inproc, tmp_path):
    script = write(
        tmp_path / "ep.md",
        "---\nspeakers: {HOST: joe}\nintro: missing.flac\n---\n\n"
        "HOST: Hello.\n\nGUEST: Hi, the sum ∑ of it.\n\nSay {∑|sum} instead.\n",
    )
    r = cli_inproc("check", script)
    assert r.code == 1 and "Traceback" not in r.stderr
    assert r.stdout.strip() == "1 script checked: 3 problems to fix"  # the summary; problems go to stderr
    lines = r.stderr.strip().splitlines()
    assert f"{script}: error: intro music {tmp_path / 'missing.flac'}: no such file" in lines
    assert any(l.startswith(f"{script}:8: segment 2: error: 'GUEST' looks like a speaker label") for l in lines)
    assert (
        f"{script}:8: segment 2: error: cannot make '∑' speakable; add it to lexicon.toml or write {{∑|...}}" in lines
    )
    assert not any("segment 3" in l for l in lines)  # the inline form fixed it there
    assert len(lines) == 3


def test_unknown_voice_and_unreadable_script(cli_inproc, tmp_path):
    bad_voice = write(tmp_path / "a.md", "---\nvoice: nobody\n---\n\nHello.\n")
    empty = write(tmp_path / "b.md", "")
    r = cli_inproc("check", bad_voice, empty)
    assert r.code == 1
    assert "unknown voice 'nobody'" in r.stderr
    # file:line: message, the file named once
    assert f"{empty}: error: is empty" in r.stderr.splitlines() and r.stderr.count("b.md") == 1
    assert r.stdout.strip() == "2 scripts checked: 2 problems to fix"


def test_a_shared_files_problem_is_reported_at_that_file_once(cli_inproc, tmp_path, monkeypatch):
    """A problem of a file the scripts share (a voice file, the cache) is reported once, at that
    file, as its location, not once for each script that meets it."""
    from pipeline._config import Settings
    from pipeline.errors import VoiceError
    from pipeline.synthesis import voices

    a, b = write(tmp_path / "a.md", "Hello.\n"), write(tmp_path / "b.md", "Hello again.\n")
    cache = write(tmp_path / "cachefile", "not a folder")
    r = cli_inproc("check", a, b, env={"PODCAST_CACHE": str(cache)})
    assert r.stderr.splitlines() == [
        f"{cache}: error: the segment cache is not a folder (set paths.cache or $PODCAST_CACHE to one)"
    ]
    assert r.code == 1 and r.stdout.strip() == "2 scripts checked: 1 problem to fix"

    def bad_voice(path):
        raise VoiceError("unknown voice setting 'bogus'", file=path)

    monkeypatch.setattr(voices, "load_voice_file", bad_voice)
    r = cli_inproc("check", a, b)
    joe = voices.find_voice_file("joe", Settings())  # the bundled voice
    assert r.stderr.splitlines() == [f"{joe}: error: unknown voice setting 'bogus'"]


def test_lexicon_makes_a_token_speakable(cli_inproc, tmp_path):
    write(tmp_path / "podcast.toml", "")
    script = write(tmp_path / "ep.md", "The ∑ operator.\n")
    assert cli_inproc("check", script).code == 1
    write(tmp_path / "lexicon.toml", '[words]\n"∑" = "sigma"\n')
    assert cli_inproc("check", script).code == 0


def test_tokens_the_lexicon_can_say_are_not_proposed_spelled(cli_inproc, tmp_path):
    """EPYC, io_uring, IORING, NGINX...: the bundled lexicon knows a reading said as words, so the
    rules use it and check neither guesses at them nor proposes spelling them letter by letter."""
    from pipeline.app._check import proposal

    write(tmp_path / "podcast.toml", "")
    tokens = ["EPYC", "Epyc", "io_uring", "IORING", "IORING_SETUP_SQPOLL", "NGINX", "kubectl", "GUIs", "SQLite"]
    script = write(tmp_path / "ep.md", f"The {', '.join(tokens)} and Zqxvbrt.\n")
    r = cli_inproc("check", "--strict", script)
    guesses = [l for l in r.stderr.splitlines() if "guessed " in l]
    assert [l.split("guessed ", 1)[1].split("'")[1] for l in guesses] == ["Zqxvbrt"], r.stderr
    # where a guess did come out spelled, the line to paste is the lexicon's spoken reading
    assert proposal("EPYCS", "E P Y C S") == "E P Y C S"
    assert proposal("Nginx", "N G I N X") == "engine X"
    assert proposal("epyc", "E P Y C") == "epic"
    assert proposal("zqxv", "Z Q X V") == "Z Q X V"


PUBLISHED = """[show]
title = "Signal Path"
description = "A show."
owner_email = "team@example.com"
base_url = "https://example.com/podcast/"
categories = ["Technology"]

[speech]
voice = "espeak"
"""


def published_show(tmp_path, toml=PUBLISHED, **episodes):
    write(tmp_path / "podcast.toml", toml)
    for name, front in episodes.items():
        write(tmp_path / f"{name}.md", f"---\ntitle: {name}\n{front}---\n\nHello there.\n")
    return tmp_path


def errors(r):
    return [line for line in r.stderr.splitlines() if ": error: " in line]


def test_what_apple_rejects_is_found_before_synthesis(cli_inproc, tmp_path):
    """What Apple's directory rejects is a problem `podcast check` reports before synthesis: a
    title over 255 characters, a description over 4,000 bytes, no owner e-mail, two episodes
    with the same season and number."""
    toml = PUBLISHED.replace('owner_email = "team@example.com"\n', "")
    show = published_show(
        tmp_path,
        toml,
        long=f"description: '{'é' * 2001}'\nseason: 1\nepisode: 1\n",
        same="season: 1\nepisode: 1\n",
        other="season: 2\nepisode: 1\n",
    )
    (show / "same.md").write_text(f"---\ntitle: {'T' * 256}\nseason: 1\nepisode: 1\n---\n\nHello there.\n")
    r = cli_inproc("check", show)
    assert r.code == 1
    lines = errors(r)
    owner = [line for line in lines if "show.owner_email is needed" in line]
    assert len(owner) == 1 and str(show / "podcast.toml") in owner[0]
    assert any("long.md" in line and "front matter description is 4" in line for line in lines), lines
    assert any("same.md" in line and "front matter title is 256 characters" in line for line in lines), lines
    (dup,) = [line for line in lines if "season 1 episode 1" in line]
    assert "same.md" in dup and "long.md" in dup
    assert not any("other.md" in line for line in lines)
    assert not any("; " in line.split(": error: ", 1)[1] for line in lines if "show." in line)  # one line each


def test_turning_the_ai_disclosure_off_warns(cli_inproc, tmp_path):
    toml = '[show]\ntitle = "Signal Path"\n\n[speech]\nvoice = "espeak"\n'
    show = published_show(tmp_path, toml, one="date: 2026-11-20\n")
    r = cli_inproc("check", show)
    assert r.code == 0 and "ai_disclosure" not in r.stderr, r.stderr
    (show / "podcast.toml").write_text(toml.replace("[show]\n", "[show]\nai_disclosure = false\n"))
    r = cli_inproc("check", show)
    assert r.code == 0, r.stderr
    (warning,) = [line for line in r.stderr.splitlines() if "ai_disclosure" in line]
    assert "warning: show.ai_disclosure = false" in warning and "podcast.toml" in warning


# ---------------------------------------------------------------- control characters (#24)

BELL = """---
title: "Ring the\\a bell"
description: "A\\x01 description."
speaker_names:
  narrator: "Ada\\x02 Lovelace"
---
# Ignored heading

Hello there.

## Second\x03 part

More words here.
"""


def test_control_characters_in_what_is_published_are_errors_naming_the_key(cli_inproc, tmp_path):
    """A control character in a title, a description, a heading or a speaker's name (which the
    feed's XML cannot hold) is an error naming the key: `check` reports each one, and a render
    stops before synthesis."""
    write(tmp_path / "podcast.toml", '[speech]\nvoice = "espeak"\n[music]\nintro = "none"\noutro = "none"\n')
    episode = write(tmp_path / "bell.md", BELL.replace('speaker_names:\n  narrator: "Ada\\x02 Lovelace"\n', ""))
    r = cli_inproc("check", episode)
    assert r.code == 1, r.stderr
    lines = errors(r)
    assert any("front matter 'title' has a control character (U+0007) at character 9" in line for line in lines), lines
    assert any("front matter 'description' has a control character (U+0001)" in line for line in lines), lines
    assert any("chapter 2 title (its heading) has a control character (U+0003)" in line for line in lines), lines
    r = cli_inproc("render", episode, "-o", tmp_path / "out")
    assert r.code == 1 and "front matter 'title' has a control character" in r.stderr, r.stderr
    assert not (tmp_path / "out").exists() and not list((tmp_path / "cache").rglob("*.flac"))
    # a speaker's display name from the front matter, too
    r = cli_inproc("check", write(tmp_path / "names.md", BELL.replace('"Ring the\\a bell"', "Fine")))
    assert r.code == 1 and "show.speaker_names ('narrator') has a control character (U+0002)" in r.stderr, r.stderr


@pytest.mark.parametrize(
    "setting",
    [
        '[show]\ntitle = "Signal\\u0007 Path"',
        '[show]\ncategories = ["Tech\\u0001nology"]',
        '[site.subscribe]\n"A\\u0001pp" = "https://x.example/"',
    ],
)
def test_control_characters_in_the_show_settings_name_the_key(cli_inproc, tmp_path, setting):
    write(tmp_path / "podcast.toml", setting + '\n[speech]\nvoice = "espeak"\n')
    episode = write(tmp_path / "ep.md", "Hello there.\n")
    r = cli_inproc("check", episode)
    assert r.code == 1, r.stderr
    key = setting.split("\n")[1].split(" =")[0].strip('"')
    assert "has a control character" in r.stderr and str(tmp_path / "podcast.toml") in r.stderr, r.stderr
    assert "show.title" in r.stderr or "show.categories" in r.stderr or "site.subscribe" in r.stderr, (key, r.stderr)


def test_a_symbol_no_rule_reads_is_a_warning_naming_its_line_and_token(cli_inproc, tmp_path):
    write(tmp_path / "podcast.toml", "")
    script = write(tmp_path / "ep.md", "# T\n\nPress ⌘ then C | D.\n")
    r = cli_inproc("check", script)
    assert r.code == 0, r.stderr
    assert r.stderr.splitlines() == [
        f"{script}:3: segment 1: warning: '⌘' has a symbol no rule reads, so it is not read aloud; "
        "to say it, write {⌘|...} (or add it to lexicon.toml); to say nothing, remove it"
    ]


def test_a_speakers_key_ending_in_a_colon_is_an_error_naming_the_key(cli_inproc, tmp_path):
    write(tmp_path / "podcast.toml", "")
    script = write(tmp_path / "ep.md", '---\ntitle: T\nspeakers: {"HOST:": joe}\n---\nHOST: Hello there.\n')
    r = cli_inproc("check", script)
    assert r.code == 1
    assert r.stderr.splitlines() == [
        f"{script}:3: error: front matter 'speakers' key 'HOST:' ends in ':' (the colon goes after the label "
        "in the script, not in its name: HOST: joe)"
    ]
