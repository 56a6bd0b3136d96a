"""Word-timed transcripts, end to end with the real Piper voice: every cue, the
ones that continue a long sentence included, starts where its first word is
heard in the decoded MP3; SRT and WebVTT keep their line rules; the JSON
transcript has the Podcasting 2.0 shape, word by word."""

import json
import re

import numpy as np
import pytest

from conftest import podcast, write
from pipeline.sound import ffmpeg

# Uses ffmpeg: CI runs these again with the distribution's own tools.
pytestmark = [pytest.mark.tools, pytest.mark.slow]

RATE = 44100
WINDOW = RATE // 200  # 5 ms
TOLERANCE = 0.05

SCRIPT = """---
title: Word Timing
speakers: {HOST: joe, GUEST: joe}
speaker_names: {HOST: Ann Host, GUEST: Bo Guest}
---

HOST: Welcome.

## Long sentences

HOST: The kernel release came out on a Sunday evening, after a week of quiet fixes, and the maintainers said that the next cycle would bring the new page table code, the memory tagging work, and a long list of driver updates for network cards.

GUEST: Version 4.11-rc3 fixed a typo in the ARMv8.3 code, which had broken the build on x86-64 systems for about 5% of the people who tried it.

GUEST: Thanks to that fix, builds on every architecture we test went green again; the remaining failures, which are few, are in drivers nobody has touched since 2009.

HOST: Next week, we look at three stories, each with a long history, a short fix, and a lesson for anyone who maintains a driver, a file system, or a build farm of their own.

HOST: That is all for this week, and thank you for listening.
"""


def decode(mp3):
    proc = ffmpeg.run(["-i", mp3, "-ac", "1", "-ar", RATE, "-f", "s16le", "pipe:1"])
    return np.frombuffer(proc.stdout, "<i2").astype(np.float32) / 32768


def loud(samples, i, threshold_db=-45.0):
    block = samples[max(0, i) : i + WINDOW].astype(np.float64)
    return block.size > 0 and 10 * np.log10(np.mean(block**2) + 1e-12) > threshold_db


def heard(samples, t):
    """Where the sound after the pause nearest `t` begins: a pause is 15 ms under -45 dB
    ending between 100 ms before `t` and 50 ms after it (the tail of the word before can
    flicker around the threshold, and so can a fricative: not a pause).  None where the
    voice does not stop near `t` (a cue that starts inside a run of words)."""
    lo, hi = int((t - 0.1) * RATE) // WINDOW, int((t + TOLERANCE) * RATE) // WINDOW
    best, run = None, 0
    for w in range(lo - 3, hi + 1):
        if not loud(samples, w * WINDOW):
            run += 1
            continue
        if run >= 3 and w >= lo and (best is None or abs(w * WINDOW / RATE - t) < abs(best - t)):
            best = w * WINDOW / RATE
        run = 0
    if best is None and run >= 3:  # still silent at t + 50 ms: the first sound after it
        w = hi + 1
        while w * WINDOW < len(samples) - WINDOW and not loud(samples, w * WINDOW):
            w += 1
        best = w * WINDOW / RATE
    return best


def seconds(stamp):
    h, m, s = stamp.replace(",", ".").split(":")
    return int(h) * 3600 + int(m) * 60 + float(s)


def parse_cues(path):
    """(start, end, lines) of every cue of a WebVTT or SRT file."""
    text = path.read_text(encoding="utf-8")
    blocks = text.strip().split("\n\n")
    if blocks[0] == "WEBVTT":
        blocks = blocks[1:]
    out = []
    for block in blocks:
        lines = block.split("\n")
        assert lines[0].isdigit(), block
        start, end = lines[1].split(" --> ")
        out.append((seconds(start), seconds(end), lines[2:]))
    return out


def vtt_text(line):
    """A WebVTT line as shown: the voice span is markup, not text."""
    return re.sub(r"<v [^>]*>|</v>", "", line).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def voice_of(line: str) -> str:
    """The speaker a WebVTT cue's first line opens with (`<v Name>`)."""
    found = re.match(r"<v ([^>]+)>", line)
    assert found, f"no voice span: {line!r}"
    return found.group(1)


def check_line_rules(out, slug, speakers):
    vtt = parse_cues(out / f"{slug}.vtt")
    srt = parse_cues(out / f"{slug}.srt")
    for _, _, lines in vtt:
        assert 1 <= len(lines) <= 2 and all(len(vtt_text(line)) <= 42 for line in lines), lines
        assert re.match(r"<v [^>]+>", lines[0])
    for _, _, lines in srt:
        assert 1 <= len(lines) <= 2 and all(len(line) <= 32 for line in lines), lines
    # two lines are balanced: no lone word on the second line that the first could keep company
    from test_transcripts import lone_word_could_move

    assert not [lines for _, _, lines in srt if lone_word_could_move(lines, 32)]
    assert not [lines for _, _, lines in vtt if lone_word_could_move([vtt_text(line) for line in lines], 42)]
    # the speaker's name opens an SRT cue exactly where the speaker changes (with several)
    named = [next((s for s in speakers if lines[0].startswith(f"{s}:")), None) for _, _, lines in srt]
    voices = [voice_of(lines[0]) for _, _, lines in vtt]
    changes = [v for k, v in enumerate(voices) if k == 0 or v != voices[k - 1]]
    assert [n for n in named if n] == (changes if len(speakers) > 1 else [])
    for cues in (vtt, srt):
        assert all(a[1] <= b[0] for a, b in zip(cues, cues[1:]))
        assert all(end > start for start, end, _ in cues)
    return vtt, srt


def check_json_transcript(out, slug, duration):
    doc = json.loads((out / f"{slug}.transcript.json").read_text(encoding="utf-8"))
    # the shape of the Podcasting 2.0 JSON transcript
    assert set(doc) == {"version", "segments"} and doc["version"] == "1.0.0"
    assert isinstance(doc["segments"], list) and doc["segments"]
    for seg in doc["segments"]:
        assert set(seg) == {"speaker", "startTime", "endTime", "body"}, seg
        assert isinstance(seg["speaker"], str) and seg["speaker"]
        assert isinstance(seg["body"], str) and seg["body"] and " " not in seg["body"]  # one word each
        assert all(isinstance(seg[k], (int, float)) and not isinstance(seg[k], bool) for k in ("startTime", "endTime"))
        assert 0 <= seg["startTime"] <= seg["endTime"] <= duration
    starts = [s["startTime"] for s in doc["segments"]]
    assert starts == sorted(starts)  # word times are monotonic
    segments = doc["segments"]  # and no two overlap
    assert not [(a, b) for a, b in zip(segments, segments[1:]) if a["endTime"] > b["startTime"]]
    return doc["segments"]


def check_cues_start_at_words(cues, words, text_of):
    """Each cue starts at the start of the word it opens with (or, where a word longer than a
    line was cut, inside that word)."""
    for start, _, lines in cues:
        first = text_of(lines)
        at = [w for w in words if abs(w["startTime"] - start) <= 0.0015 and w["body"].startswith(first)]
        inside = [w for w in words if w["startTime"] < start < w["endTime"] and first in w["body"][1:]]
        assert at or inside, (first, start)


def measure(samples, starts, skip):
    """Offsets (measured onset - start) of every start the audio can be measured at, and how many it cannot."""
    offsets, run_on = [], 0
    for t in starts:
        if skip(t):
            continue
        onset = heard(samples, t)
        if onset is None:
            run_on += 1
        else:
            offsets.append(onset - t)
    return offsets, run_on


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    root = tmp_path_factory.mktemp("words")
    write(root / "podcast.toml", '[show]\ntitle = "Test Show"\nauthor = "Test Author"\n[music]\noutro = "none"\n')
    episode = write(root / "words.md", SCRIPT)
    out = root / "out"
    r = podcast("render", episode, "-o", out, env={"PODCAST_CACHE": str(root / "cache")})
    assert r.code == 0, r.stderr
    return out


def test_outputs_and_report(rendered):
    assert (rendered / "words.transcript.json").is_file()
    assert not list(rendered.glob(".*"))  # no temporaries
    report = json.loads((rendered / "words.report.json").read_text())
    assert report["outputs"]["transcript"] == "words.transcript.json"
    assert all((rendered / name).is_file() for name in report["outputs"].values())


def test_every_cue_starts_where_its_first_word_is_heard(rendered):
    samples = decode(rendered / "words.mp3")
    report = json.loads((rendered / "words.report.json").read_text())
    music_off = report["music"]["speech_offset"] + 1.5 + 3.0  # intro hold and fade: the music is gone
    vtt, srt = check_line_rules(rendered, "words", ["Ann Host", "Bo Guest"])
    words = check_json_transcript(rendered, "words", ffmpeg.probe(rendered / "words.mp3").duration)
    check_cues_start_at_words(vtt, words, lambda lines: vtt_text(lines[0]).split()[0])
    check_cues_start_at_words(srt, words, lambda lines: re.sub(r"^(Ann Host|Bo Guest): ", "", lines[0]).split()[0])
    sentence_starts = {
        round(s["startTime"], 3)
        for k, s in enumerate(words)
        if k == 0 or words[k - 1]["body"].endswith((".", "!", "?"))
    }
    for cues in (vtt, srt):
        starts = [start for start, _, _ in cues]
        offsets, run_on = measure(samples, starts, lambda t: t < music_off)
        assert all(abs(x) <= TOLERANCE for x in offsets), offsets
        # long sentences are split into several cues, and those continuations are measured too
        continuations, _ = measure(samples, starts, lambda t: t < music_off or round(t, 3) in sentence_starts)
        assert len(continuations) >= 4
    # and every word that follows a pause is heard where the transcript says it starts
    after_pause = [
        w["startTime"]
        for k, w in enumerate(words)
        if k and w["startTime"] - words[k - 1]["endTime"] >= 0.1 and w["startTime"] > music_off
    ]
    offsets, run_on = measure(samples, after_pause, lambda t: False)
    assert len(after_pause) >= 8 and run_on == 0
    assert all(abs(x) <= TOLERANCE for x in offsets), offsets


def test_written_words_all_there_with_their_speakers(rendered):
    words = json.loads((rendered / "words.transcript.json").read_text())["segments"]
    body = [line.split(": ", 1)[1] for line in SCRIPT.split("---")[2].splitlines() if ": " in line]
    assert [w["body"] for w in words] == " ".join(body).split()
    assert [w["speaker"] for w in words][:2] == ["Ann Host", "Ann Host"] and "Bo Guest" in {w["speaker"] for w in words}


def test_real_transcript_transcripts(real_render):
    """The long real script: every cue keeps the line rules; cues start where their words are heard."""
    slug = "2017-03-21-linux-kernel-podcast"
    mp3 = real_render / f"{slug}.mp3"
    duration = ffmpeg.probe(mp3).duration
    vtt, srt = check_line_rules(real_render, slug, [])
    words = check_json_transcript(real_render, slug, duration)
    assert len(words) > 1500
    check_cues_start_at_words(vtt, words, lambda lines: vtt_text(lines[0]).split()[0])
    check_cues_start_at_words(srt, words, lambda lines: lines[0].split()[0])
    report = json.loads((real_render / f"{slug}.report.json").read_text())
    music_off = report["music"]["speech_offset"] + 1.5 + 3.0
    outro = report["segments"][-1]["start"] + report["segments"][-1]["duration"] - 3.5  # the outro comes in
    samples = decode(mp3)
    for cues in (vtt, srt):
        offsets, run_on = measure(samples, [s for s, _, _ in cues], lambda t: t < music_off or t > outro)
        assert all(abs(x) <= TOLERANCE for x in offsets), sorted(offsets, key=abs)[-5:]
        # most cues can be measured: cues end after punctuation or a pause where the words allow it
        assert len(offsets) >= 0.85 * (len(offsets) + run_on), (len(offsets), run_on)
