"""End to end with the real Piper voice, the generated music and real ffmpeg:
the MP3 as decoded is measured, and its chapters are read back two ways."""

import json
import re

import numpy as np
import pytest
from mutagen.id3 import ID3
from mutagen.mp3 import MP3, BitrateMode

from conftest import podcast, write
from pipeline._notes import DEFAULT_DISCLOSURE
from pipeline.sound import ffmpeg

# Uses ffmpeg or eSpeak NG: CI runs these again with the distribution's own tools.
pytestmark = [pytest.mark.tools, pytest.mark.slow]  # end-to-end renders

SHORT = """---
title: End to End
episode: 7
date: 2026-11-20
description: A short test episode.
---

Welcome to a short test of the whole pipeline. It has three chapters.

## Second chapter

This chapter starts after a pause. The marker must sit in that pause.

## Third chapter

And this is the last thing you will hear before the outro music.
"""


def decode(mp3, rate=44100):
    proc = ffmpeg.run(["-i", mp3, "-ac", "1", "-ar", rate, "-f", "s16le", "pipe:1"])
    return np.frombuffer(proc.stdout, "<i2").astype(np.float32) / 32768


def ffmpeg_chapters(mp3):
    proc = ffmpeg.run(["-i", mp3, "-f", "ffmetadata", "pipe:1"])
    text = proc.stdout.decode()
    return [
        (int(s) / 1000, int(e) / 1000, t)
        for s, e, t in re.findall(r"\[CHAPTER\]\nTIMEBASE=1/1000\nSTART=(\d+)\nEND=(\d+)\ntitle=(.*)", text)
    ]


def mutagen_chapters(mp3):
    tags = ID3(mp3)
    toc = tags.getall("CTOC")[0]
    chaps = {c.element_id: c for c in tags.getall("CHAP")}
    return toc, [
        (chaps[i].start_time / 1000, chaps[i].end_time / 1000, chaps[i].sub_frames["TIT2"].text[0])
        for i in toc.child_element_ids
    ]


def rms_db(x):
    return 10 * np.log10(np.mean(x.astype(np.float64) ** 2) + 1e-12)


def first_sound(samples, start, rate=44100, threshold_db=-45.0):
    """Seconds where 5 ms windows from `start` first rise above the threshold."""
    win = rate // 200
    i = int(start * rate)
    while i + win < len(samples):
        if rms_db(samples[i : i + win]) > threshold_db:
            return i / rate
        i += win
    return None


def last_sound(samples, end, rate=44100, threshold_db=-45.0):
    """Seconds where 5 ms windows before `end` were last above the threshold."""
    win = rate // 200
    i = int(end * rate)
    while i - win > 0:
        if rms_db(samples[i - win : i]) > threshold_db:
            return i / rate
        i -= win
    return 0.0


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    root = tmp_path_factory.mktemp("show")
    write(root / "podcast.toml", '[show]\ntitle = "Test Show"\nauthor = "Test Author"\n')
    episode = write(root / "End To End.md", SHORT)
    out = root / "out"
    r = podcast("render", episode, "-o", out)
    assert r.code == 0, r.stderr
    return out


def test_outputs_exist_and_nothing_else(rendered):
    assert sorted(p.name for p in rendered.iterdir()) == [
        "end-to-end.chapters.json",
        "end-to-end.mp3",
        "end-to-end.report.html",
        "end-to-end.report.json",
        "end-to-end.srt",
        "end-to-end.transcript.json",
        "end-to-end.vtt",
    ]


def test_loudness_of_the_decoded_mp3(rendered):
    loud = ffmpeg.measure_loudness(rendered / "end-to-end.mp3")
    assert abs(loud.integrated - -16.0) <= 0.5
    assert loud.true_peak <= -1.0
    report = json.loads((rendered / "end-to-end.report.json").read_text())
    assert report["loudness"]["integrated_lufs"] == pytest.approx(loud.integrated, abs=0.05)
    assert report["loudness"]["true_peak_dbtp"] == pytest.approx(loud.true_peak, abs=0.05)
    assert report["loudness"]["lra_lu"] == pytest.approx(loud.lra, abs=0.05)


def test_format_and_tags(rendered):
    info = MP3(rendered / "end-to-end.mp3").info
    assert info is not None
    assert (info.sample_rate, info.channels, info.bitrate) == (44100, 2, 128000)
    assert info.bitrate_mode == BitrateMode.CBR
    tags = ID3(rendered / "end-to-end.mp3")
    assert tags.version[:2] == (2, 3)
    assert str(tags["TIT2"]) == "End to End" and str(tags["TPE1"]) == "Test Author"
    assert str(tags["TALB"]) == "Test Show" and str(tags["TRCK"]) == "7"
    assert (
        str(tags["TCON"]) == "Podcast" and str(tags.getall("COMM")[0]) == "A short test episode.\n" + DEFAULT_DISCLOSURE
    )
    assert str(tags["TSSE"]).startswith("podcast-pipeline ")
    assert "2026" in str(tags.get("TYER", tags.get("TDRC")))


def test_chapters_read_back_and_sit_in_the_pause(rendered):
    path = rendered / "end-to-end.mp3"
    duration = ffmpeg.probe(path).duration
    toc, chapters = mutagen_chapters(path)
    assert toc.flags == 3  # top-level and ordered
    assert [t for _, _, t in chapters] == ["Introduction", "Second chapter", "Third chapter"]
    assert chapters[0][0] == 0
    assert chapters[-1][1] == pytest.approx(duration, abs=0.01)
    assert all(a[1] == b[0] for a, b in zip(chapters, chapters[1:]))
    from_ffmpeg = ffmpeg_chapters(path)
    assert [t for _, _, t in from_ffmpeg] == [t for _, _, t in chapters]
    for (s1, _, _), (s2, _, _) in zip(chapters, from_ffmpeg):
        assert abs(s1 - s2) <= 0.05

    samples = decode(path)
    report = json.loads((rendered / "end-to-end.report.json").read_text())
    firsts: dict[int, dict] = {}
    for seg in report["segments"]:
        firsts.setdefault(seg["chapter"], seg)
    for n, (start, _, title) in enumerate(chapters[1:], start=2):
        # The mark is in the middle of the silence between the chapter before and the first
        # words (the stated rule), measured on the decoded MP3: at least 250 ms of silence on
        # each side (the chapter pause is 1.6 s), the two sides equal within 60 ms (5 ms
        # windows, the threshold, an MP3 frame), and the first sound after it is this chapter's.
        before, after = start - last_sound(samples, start), first_sound(samples, start) - start
        assert before >= 0.25 and after >= 0.25, (title, before, after)
        assert abs(before - after) <= 0.06, (title, before, after)
        assert abs(start + after - firsts[n]["speech_start"]) <= 0.05, (title, start + after, firsts[n])


def test_chapters_json(rendered):
    doc = json.loads((rendered / "end-to-end.chapters.json").read_text())
    _, chapters = mutagen_chapters(rendered / "end-to-end.mp3")
    assert doc["version"].startswith("1.")
    assert [(c["startTime"], c["title"]) for c in doc["chapters"]] == [
        (pytest.approx(s, abs=0.002), t) for s, _, t in chapters
    ]


def test_intro_plays_alone_then_voice(rendered):
    samples = decode(rendered / "end-to-end.mp3")
    report = json.loads((rendered / "end-to-end.report.json").read_text())
    first_words = report["segments"][0]["speech_start"]
    assert first_words == pytest.approx(4.0, abs=0.2)  # the default lead-in
    assert rms_db(samples[int(0.5 * 44100) : int(3.0 * 44100)]) > -35  # music alone
    # the outro rises after the last words and fades out to silence
    assert rms_db(samples[-int(0.3 * 44100) :]) < -50
    assert set(report["stages"]) >= {"parse", "preflight", "spoken", "synthesize", "speech", "mix", "master"}


def test_real_transcript_renders_with_five_chapters(real_render):
    mp3 = real_render / "2017-03-21-linux-kernel-podcast.mp3"
    _, chapters = mutagen_chapters(mp3)
    assert [t for _, _, t in chapters] == [
        "Introduction",
        "Intel 5-level paging",
        "Heterogeneous Memory Management",
        "Ongoing Development",
        "Leave a Reply",
    ]
    assert len(ffmpeg_chapters(mp3)) == 5
    loud = ffmpeg.measure_loudness(mp3)
    assert abs(loud.integrated - -16.0) <= 0.5 and loud.true_peak <= -1.0
    report = json.loads((real_render / "2017-03-21-linux-kernel-podcast.report.json").read_text())
    assert len(report["segments"]) == 35 and report["duration"] > 600


def test_mono_v24_artwork_no_music(tmp_path):
    """Mono at -19 LUFS, ID3v2.4, cover art, and no music at all."""
    cover = tmp_path / "cover.png"
    ffmpeg.run(["-f", "lavfi", "-i", "color=c=orange:s=1400x1400", "-frames:v", "1", "-pix_fmt", "rgb24", cover])
    episode = write(
        tmp_path / "mono.md",
        "---\ntitle: Mono\nartwork: cover.png\nintro: none\n---\n\nJust one short paragraph, spoken in mono.\n",
    )
    r = podcast(
        "render", episode, "-o", tmp_path / "out", "--mono", "--loudness", "-19", "--outro", "none", "--id3", "4"
    )
    assert r.code == 0, r.stderr
    mp3 = tmp_path / "out" / "mono.mp3"
    loud = ffmpeg.measure_loudness(mp3)
    assert abs(loud.integrated - -19.0) <= 0.5 and loud.true_peak <= -1.0
    assert ffmpeg.probe(mp3).channels == 1
    tags = ID3(mp3)
    assert tags.version[:2] == (2, 4)
    apic = tags.getall("APIC")[0]
    assert apic.mime == "image/png" and apic.data == cover.read_bytes()
    report = json.loads((tmp_path / "out" / "mono.report.json").read_text())
    assert report["music"]["intro"] is None and report["music"]["outro"] is None
    assert report["segments"][0]["start"] == pytest.approx(0.5)  # the silence lead without an intro
    _, chapters = mutagen_chapters(mp3)
    assert [t for _, _, t in chapters] == ["Introduction"]


@pytest.mark.parametrize(
    "flags, needle",
    [
        (["--intro", "missing-intro.flac"], "intro music"),
        (["--outro", "fake.mp3"], "outro music"),
    ],
)
def test_bad_music_fails_before_synthesis(tmp_path, flags, needle):
    write(tmp_path / "fake.mp3", "not audio at all")
    episode = write(tmp_path / "ep.md", "Hello there.\n")
    r = podcast("render", episode, "-o", "out", *flags, cwd=tmp_path)
    assert r.code == 1 and "Traceback" not in r.stderr
    errors = [l for l in r.stderr.splitlines() if l.startswith("podcast: error:")]
    assert len(errors) == 1 and needle in errors[0] and flags[1] in errors[0]
    assert not re.search(r"speech \d+/\d+", r.stderr)  # no synthesis was started
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


def test_bad_artwork_fails_before_synthesis(tmp_path):
    write(tmp_path / "cover.jpg", "text pretending to be a picture")
    episode = write(tmp_path / "ep.md", "---\nartwork: cover.jpg\n---\n\nHello there.\n")
    r = podcast("render", episode, "-o", "out", cwd=tmp_path)
    assert r.code == 1 and "not a JPEG or PNG image" in r.stderr and not re.search(r"speech \d+/\d+", r.stderr)


def parse_vtt(path):
    blocks = path.read_text().split("\n\n")[1:]
    cues = []
    for block in blocks:
        lines = block.strip().splitlines()
        start, end = lines[1].split(" --> ")
        cue = re.match(r"<v ([^>]*)>(.*)", "\n".join(lines[2:]), re.S)
        assert cue, block
        speaker, text = cue.groups()
        cues.append((_seconds(start), _seconds(end), speaker, text))
    return cues


def _seconds(stamp):
    h, m, s = stamp.replace(",", ".").split(":")
    return int(h) * 3600 + int(m) * 60 + float(s)


def test_transcripts_match_the_audio(rendered):
    mp3 = rendered / "end-to-end.mp3"
    cues = parse_vtt(rendered / "end-to-end.vtt")
    report = json.loads((rendered / "end-to-end.report.json").read_text())
    # the script text, not the spoken text
    assert [c[3].replace("\n", " ") for c in cues] == [
        "Welcome to a short test of the whole pipeline.",
        "It has three chapters.",
        "This chapter starts after a pause.",
        "The marker must sit in that pause.",
        "And this is the last thing you will hear before the outro music.",
    ]
    assert {c[2] for c in cues} == {"Test Author"}
    srt = (rendered / "end-to-end.srt").read_text()
    assert srt.startswith("1\n") and "Welcome to a short test" in srt
    samples = decode(mp3)
    music_off = report["music"]["speech_offset"] + 1.5 + 3.0  # intro hold + fade: the music is gone
    checked = 0
    for start, end, _, text in cues:
        assert end > start
        if start < music_off + 0.3:
            continue
        onset = first_sound(samples, start - 0.25)
        assert onset is not None and abs(onset - start) <= 0.05, (text, onset, start)
        checked += 1
    assert checked >= 3


def test_two_speakers_two_voices(tmp_path):
    from pipeline import _stages as st
    from pipeline._bodies import speak_stage
    from pipeline.synthesis.cache import SegmentCache
    from pipeline.synthesis.speech import cache_key, load_voices, track_sample_rate

    write(
        tmp_path / "podcast.toml",
        '[show]\ntitle = "Duo"\nauthor = "Duo Team"\n[music]\nintro = "none"\noutro = "none"\n',
    )
    episode = write(
        tmp_path / "duo.md",
        "---\nspeakers:\n  HOST: joe\n  GUEST: espeak\n---\n\n"
        "HOST: Welcome to the show. My guest speaks with another voice.\n\n"
        "GUEST: Thank you. I am the robot in the room.\n\n"
        "HOST: And back to the host for the last word.\n",
    )
    r = podcast("render", episode, "-o", tmp_path / "out")
    assert r.code == 0, r.stderr
    report = json.loads((tmp_path / "out" / "duo.report.json").read_text())
    assert [(s["speaker"], s["voice"]) for s in report["segments"]] == [
        ("HOST", "joe"),
        ("GUEST", "espeak"),
        ("HOST", "joe"),
    ]
    assert sorted(report["voices"]) == ["espeak", "joe"]
    # each paragraph's audio is the synthesis of its own speaker's voice: the cache holds exactly
    # that (segment, voice) entry, with the length the report placed in the episode
    script = st.run([st.parse_stage(st.Options()), st.Stage("spoken", speak_stage)], episode)
    voices = load_voices(script)
    cache = SegmentCache(tmp_path / ".podcast-cache")
    rate = track_sample_rate(script, voices)
    for seg, placed in zip(script.segments, report["segments"]):
        entry = cache.get(cache_key(seg, voices[seg.voice], rate))
        assert entry is not None and entry.duration == pytest.approx(placed["duration"], abs=0.002)
        other = "espeak" if seg.voice == "joe" else "joe"
        assert cache.get(cache_key(seg, voices[other], rate)) is None
    cues = parse_vtt(tmp_path / "out" / "duo.vtt")
    # HOST speaks with the narrator's voice (joe), so it is the narrator's name (the author here):
    # one voice, one speaker; GUEST has no name, so its label
    assert [c[2] for c in cues][:3] == ["Duo Team", "Duo Team", "GUEST"]
    loud = ffmpeg.measure_loudness(tmp_path / "out" / "duo.mp3")
    assert abs(loud.integrated + 16) <= 0.5 and loud.true_peak <= -1.0


def test_the_example_is_two_hosts_in_two_kokoro_voices(tmp_path):
    """`make episode`: the example show as shipped, with the built-in default voices (no
    $PODCAST_VOICE), renders its two hosts with two Kokoro voices, and each is heard."""
    import shutil

    from conftest import EXAMPLE

    show = tmp_path / "show"
    shutil.copytree(EXAMPLE.parent, show, ignore=shutil.ignore_patterns(".podcast-cache", "out"))
    env = {"PODCAST_VOICE": None, "PODCAST_CACHE": str(tmp_path / "cache")}
    r = podcast("render", show / EXAMPLE.name, "-o", tmp_path / "out", env=env)
    assert r.code == 0, r.stderr
    report = json.loads((tmp_path / "out" / "example.report.json").read_text())
    assert sorted(report["voices"]) == ["heart", "michael"]
    assert {(s["speaker"], s["voice"]) for s in report["segments"]} == {("OWEN", "michael"), ("MAYA", "heart")}
    cues = parse_vtt(tmp_path / "out" / "example.vtt")
    assert {c[2] for c in cues} == {"Owen", "Maya"}
    loud = ffmpeg.measure_loudness(tmp_path / "out" / "example.mp3")
    assert abs(loud.integrated + 16) <= 0.5 and loud.true_peak <= -1.0
    assert len(report["chapters"]) == 3


def test_draft_render_is_fast_structure(tmp_path):
    episode = write(tmp_path / "ep.md", SHORT)
    r = podcast("render", episode, "-o", tmp_path / "out", "--draft")
    assert r.code == 0, r.stderr
    report = json.loads((tmp_path / "out" / "ep-draft.report.json").read_text())
    assert report["voices"] == ["espeak"] and len(report["chapters"]) == 3
    assert not (tmp_path / "out" / "ep.mp3").exists()  # a draft never takes the real episode's name


def test_every_output_holds_the_timeline_the_master_made(tmp_path, monkeypatch):
    """One timeline: the master stage's, read back from report.json through the one reader, is the
    same to the millisecond (sentence starts included); ID3 CHAP, chapters.json, report.json and
    the site page put every chapter at the same place."""
    from pipeline import _stages as stages
    from pipeline.app._batch import render_batch
    from pipeline.publish import rendered
    from pipeline.show import site

    write(tmp_path / "podcast.toml", '[show]\ntitle = "Test Show"\n')
    episode = write(tmp_path / "t.md", SHORT)
    from pipeline.publish.package import package

    made = []

    def spy(verified, *args):  # the package stage, noting the master it was given
        made.append(verified.mastered)
        return package(verified, *args)

    monkeypatch.setattr(stages, "package", spy)
    out = tmp_path / "out"
    [outcome] = render_batch([episode], stages.Options(show_progress=False, output_dir=out), jobs_n=1, force=True)
    assert outcome.status == "rendered", outcome.error
    [mastered] = made
    timeline = mastered.timeline
    assert len(timeline.chapters) == 3 and [len(s.sentences or ()) for s in timeline.segments] == [2, 2, 1]
    assert rendered.read_timeline(out / "t.report.json") == timeline.rounded()
    assert rendered.read_report(out / "t.report.json").timeline == timeline.rounded()
    ms = [(round(c.start * 1000), round(c.end * 1000), c.title) for c in timeline.chapters]
    _, chaps = mutagen_chapters(out / "t.mp3")
    assert [(round(s * 1000), round(e * 1000), t) for s, e, t in chaps] == ms
    doc = json.loads((out / "t.chapters.json").read_text())
    assert [(round(c["startTime"] * 1000), round(c["endTime"] * 1000), c["title"]) for c in doc["chapters"]] == ms
    report = json.loads((out / "t.report.json").read_text())
    assert [(round(c["start"] * 1000), round(c["end"] * 1000), c["title"]) for c in report["chapters"]] == ms
    site.build(out, tmp_path / "web")
    page = (tmp_path / "web" / "t.html").read_text()
    marks = re.findall(r'data-chapter data-start="([\d.]+)" data-end="([\d.]+)"', page)
    assert [(round(float(s) * 1000), round(float(e) * 1000)) for s, e in marks] == [m[:2] for m in ms]
