"""Timing of the speech track, with a fake engine (tones, not speech): the
pauses, chapter marks and sentence positions are pure arithmetic."""

import dataclasses

import numpy as np
import pytest

from conftest import RATE, read_wav, write
from pipeline._config import Settings
from pipeline.errors import SynthesisError
from pipeline.parse.script import load_script
from pipeline.synthesis.assemble import speech_track
from pipeline.synthesis.cache import SegmentCache
from pipeline.synthesis.speech import Rendered, render_segment, segment_seed, synthesize
from pipeline.text.spoken import speak

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


def test_an_engine_failure_carries_its_segment_and_line_as_data(script, tone_voice, tmp_path, monkeypatch):
    """An engine failure carries its segment and line as data, not written into the message."""
    from conftest import ToneEngine

    def broken(self, text, seed):
        raise ValueError("the engine broke")

    monkeypatch.setattr(ToneEngine, "synthesize", broken)
    voices = {name: tone_voice for name in script.voices()}
    with pytest.raises(SynthesisError) as err:
        synthesize(script, SegmentCache(tmp_path / "cache"), voices=voices)
    first = script.segments[0]
    assert (err.value.file, err.value.line, err.value.segment) == (script.path, first.line, 1)
    assert str(err.value) == f"{script.path}:{first.line}: segment 1: the engine broke"

    # A segment with nothing to say: its own error knows the segment; synthesize adds the file.
    empty = dataclasses.replace(script.segments[0], sentences=())
    with pytest.raises(SynthesisError) as err:
        synthesize(script.replace_segments({empty.id: empty}), SegmentCache(tmp_path / "cache"), voices=voices)
    assert str(err.value) == f"{script.path}:{first.line}: segment 1: nothing to say (id {first.id})"


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
    # the second chapter starts in the middle of the silence between the last sound of the
    # chapter before (the tone runs to the end of its segment) and its own first words
    last_sound = p2.start + p2.duration
    assert track.chapters[1].start == pytest.approx((last_sound + p3.onset) / 2, abs=0.002)
    assert track.chapters[1].speech_start == pytest.approx(p3.onset, abs=1e-6)
    samples, rate, channels = read_wav(track.path)
    assert (rate, channels) == (RATE, 1)
    assert len(samples) / RATE == pytest.approx(track.duration, abs=1e-4)
    # silence really is where the track says the pause is
    gap = samples[int((p3.start - 2.5) * RATE) : int(p3.start * RATE)]
    assert np.abs(gap).max() == 0
    assert np.abs(samples[int(p3.onset * RATE) : int((p3.onset + 0.05) * RATE)]).max() > 1000
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


def test_engines_without_word_times_get_them_from_the_audio(tmp_path, tone_voice):
    """The tone engine says nothing about words: each token gets a share of its sentence's
    sound by its letters, on the track's timeline."""
    script = speak(load_script(write(tmp_path / "ep.md", "Alpha beta, gamma delta epsilon.\n"), Settings()))
    r = render_segment(script.segments[0], tone_voice, SegmentCache(tmp_path / "cache"), RATE)
    (sentence,) = r.sentences
    words = sentence.words
    assert [w.text for w in words] == ["Alpha", "beta,", "gamma", "delta", "epsilon."]
    assert words[0].start == pytest.approx(sentence.start, abs=0.011)  # the tone starts after 50 ms
    assert words[-1].end == pytest.approx(sentence.start + sentence.duration, abs=0.011)
    assert all(a.end == pytest.approx(b.start) for a, b in zip(words, words[1:]))
    spans = [w.end - w.start for w in words]
    assert spans[0] == pytest.approx(spans[2]) and spans[4] > spans[3]  # 5 letters each; 7 > 5
    track = speech_track(Rendered(script, (r,), RATE), tmp_path / "speech.wav")
    placed = track.placed[0].sentences[0].words
    assert placed[0].start == pytest.approx(track.placed[0].start + words[0].start)


def test_estimated_words_follow_the_pauses():
    from pipeline.synthesis.words import estimate_words

    tone = (8000 * np.sin(np.arange(int(0.5 * RATE)) / 5)).astype(np.int16)
    quiet = np.zeros(int(0.3 * RATE), np.int16)
    samples = np.concatenate([quiet, tone, quiet, tone])  # two phrases, the second after a pause
    got = estimate_words(["Short,", "then", "more", "words."], samples, RATE)
    assert got[0].start == pytest.approx(0.3, abs=0.011) and got[0].end == pytest.approx(0.8, abs=0.011)
    assert got[1].start == pytest.approx(1.1, abs=0.011)  # where the second phrase is heard
    assert got[3].end == pytest.approx(1.6, abs=0.011)


def test_cache_entry_without_word_times_is_synthesized_again(script, tone_voice, tmp_path):
    """An index from before word timings: the segment is synthesized again (the same samples)
    and its index rewritten with them."""
    import json

    from pipeline.synthesis.cache import WORDS

    cache = SegmentCache(tmp_path / "cache")
    first = render_segment(script.segments[0], tone_voice, cache, RATE)
    index = first.entry.audio.with_suffix(".json")
    meta = json.loads(index.read_text())
    del meta["words"], meta["words_version"]
    index.write_text(json.dumps(meta))
    stripped = cache.get(first.entry.key)
    assert stripped is not None and stripped.words is None
    again = render_segment(script.segments[0], tone_voice, cache, RATE)
    assert not again.cached and again.sentences == first.sentences
    assert np.array_equal(again.samples(), first.samples())
    assert json.loads(index.read_text())["words_version"] == WORDS
    assert render_segment(script.segments[0], tone_voice, cache, RATE).cached


def test_the_speech_track_carries_the_signal_checks_findings(tmp_path, tone_voice, monkeypatch):
    """A sentence with a 2 s hole inside is found, at its place in its segment; the others are clean."""
    from conftest import ToneEngine

    plain = ToneEngine.synthesize

    def holed(self, text, seed):
        chunks = list(plain(self, text, seed))
        if "hole" in text:
            tone = chunks[0].samples
            chunks = [
                dataclasses.replace(chunks[0], samples=np.concatenate([tone, np.zeros(2 * RATE, np.int16), tone]))
            ]
        yield from chunks

    monkeypatch.setattr(ToneEngine, "synthesize", holed)
    text = "A first sentence that is quite long. And then a hole appears here.\n\nThe last one is clean too.\n"
    script = speak(load_script(write(tmp_path / "ep.md", text), Settings()))
    cache = SegmentCache(tmp_path / "cache")
    rendered = Rendered(script, tuple(render_segment(s, tone_voice, cache, RATE) for s in script.segments), RATE)
    first, second = speech_track(rendered, tmp_path / "speech.wav").placed
    assert second.findings == ()
    (gap,) = first.findings
    assert (gap.kind, gap.sentence) == ("gap", 1)
    hole_sentence = first.sentences[1]  # placed on the track; the finding is relative to its segment
    tone = 0.01 * len("And then a hole appears here.")
    assert gap.time == pytest.approx(hole_sentence.start - first.start + tone, abs=0.02)


def test_a_shared_budget_of_cores_bounds_the_sentences_spoken_at_once(tmp_path, tone_voice, monkeypatch):
    """A local batch's workers draw on one budget (speech.share_cores): a render with four
    sentence threads speaks one sentence at a time on a budget of one, and several without it."""
    import threading
    import time

    from conftest import ToneEngine
    from pipeline.synthesis import speech

    text = "\n\n".join(f"Paragraph {n}. It has two sentences." for n in range(4))
    settings = Settings()
    settings = dataclasses.replace(settings, speech=dataclasses.replace(settings.speech, threads=4))
    script = speak(load_script(write(tmp_path / "ep.md", text), settings))
    voices = {name: tone_voice for name in script.voices()}
    lock, now, most = threading.Lock(), [0], [0]
    tone = ToneEngine.synthesize

    def counted(self, sentence, seed):
        with lock:
            now[0] += 1
            most[0] = max(most[0], now[0])
        time.sleep(0.05)
        with lock:
            now[0] -= 1
        yield from tone(self, sentence, seed)

    monkeypatch.setattr(ToneEngine, "synthesize", counted)
    synthesize(script, SegmentCache(tmp_path / "free"), voices=voices)
    assert most[0] > 1
    most[0] = 0
    speech.share_cores(threading.BoundedSemaphore(1))
    try:
        budgeted = synthesize(script, SegmentCache(tmp_path / "budget"), voices=voices)
    finally:
        speech.share_cores(None)
    assert most[0] == 1
    assert len(budgeted.segments) == 4
