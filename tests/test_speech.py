"""Timing of the speech track, with a fake engine (tones, not speech): the
pauses, chapter marks and sentence positions are pure arithmetic."""


import numpy as np
import pytest

from pipeline.config import Settings
from pipeline.script import load_script
from pipeline.cache import SegmentCache
from pipeline.speech import Rendered, render_segment, segment_seed, speech_track
from pipeline.spoken import speak

from conftest import read_wav, RATE, write

# Uses ffmpeg or eSpeak NG: CI runs these again with the distribution's own tools.
pytestmark = pytest.mark.tools

@pytest.fixture
def script(tmp_path):
    text = "One. Two two.\n\nThree.\n\n## Next\n\n[pause 2s]\n\nFour four four.\n"
    return speak(load_script(write(tmp_path / "ep.md", text), Settings()))


def test_sentence_timings_within_a_segment(script, tone_voice, tmp_path):
    r = render_segment(script.segments[0], tone_voice, SegmentCache(tmp_path / "cache"), RATE)
    one, two = r.sentences
    assert (one.text, two.text) == ("One.", "Two two.")
    # a sentence starts at its first sound, after the engine's 50 ms lead-in
    assert one.start == pytest.approx(0.05, abs=0.002)
    assert one.duration == pytest.approx(0.04, abs=0.002)
    assert two.start == pytest.approx(0.05 + 0.04 + 0.2 + 0.05, abs=0.002)
    assert r.duration == pytest.approx(two.start + two.duration, abs=1e-4)
    assert r.onset == pytest.approx(0.05, abs=0.002)


def test_track_layout(script, tmp_path, tone_voice):
    cache = SegmentCache(tmp_path / "cache")
    rendered = Rendered(script, tuple(render_segment(s, tone_voice, cache, RATE) for s in script.segments), RATE)
    track = speech_track(rendered, tmp_path / "speech.wav")
    s = Settings().speech
    p1, p2, p3 = track.placed
    assert p1.start == 0
    assert p2.start == pytest.approx(p1.start + p1.duration + s.paragraph_pause, abs=1e-4)
    assert p3.start == pytest.approx(p2.start + p2.duration + s.chapter_pause + 2.0, abs=1e-4)
    assert [c.title for c in track.chapters] == ["Introduction", "Next"]
    assert track.chapters[0].start == 0
    # the second chapter starts in the pause, just before its first words
    assert p3.start <= track.chapters[1].start < p3.onset
    assert p3.onset - track.chapters[1].start == pytest.approx(0.02, abs=0.002)
    samples, rate, channels = read_wav(track.path)
    assert (rate, channels) == (RATE, 1)
    assert len(samples) / RATE == pytest.approx(track.duration, abs=1e-4)
    # silence really is where the track says the pause is
    gap = samples[int((p3.start - 2.5) * RATE): int(p3.start * RATE)]
    assert np.abs(gap).max() == 0
    assert np.abs(samples[int(p3.onset * RATE): int((p3.onset + 0.05) * RATE)]).max() > 1000
    # sentence positions are relative to the track
    assert p1.sentences[1].start == pytest.approx(p1.start + 0.05 + 0.04 + 0.2 + 0.05, abs=0.002)


def test_seed_depends_on_content_only(script, tmp_path):
    moved = speak(load_script(write(tmp_path / "other.md", "Intro.\n\nOne. Two two.\n"), Settings()))
    assert segment_seed(script.segments[0], 0) == segment_seed(moved.segments[1], 0)
    assert segment_seed(script.segments[0], 0) != segment_seed(script.segments[0], 1)
    assert segment_seed(script.segments[0], 0) != segment_seed(script.segments[1], 0)


def test_a_voice_can_set_its_own_paragraph_pause(script, tmp_path, tone_voice):
    import dataclasses

    slow = dataclasses.replace(tone_voice, paragraph_pause=2.5)
    cache = SegmentCache(tmp_path / "cache")
    rendered = Rendered(script, tuple(render_segment(s, slow, cache, RATE) for s in script.segments), RATE)
    p1, p2, _ = speech_track(rendered, tmp_path / "speech.wav").placed
    assert p2.start == pytest.approx(p1.start + p1.duration + 2.5, abs=1e-4)
