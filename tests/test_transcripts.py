"""Transcript formats and cue splitting (timings from a fake mix)."""

from dataclasses import dataclass

import pytest

from pipeline import transcripts
from pipeline.transcripts import CUE, LINE, Cue, srt, webvtt


def test_long_sentence_is_split_evenly_and_keeps_its_start():
    text = " ".join(["word"] * 60)  # 299 characters
    cues = transcripts._split(text, 10.0, 40.0, "Host")
    assert len(cues) == 4
    assert cues[0].start == 10.0 and cues[-1].end == pytest.approx(40.0)
    assert all(len(c.text) <= CUE for c in cues)
    assert max(len(c.text) for c in cues) - min(len(c.text) for c in cues) <= 10
    assert all(a.end == pytest.approx(b.start) for a, b in zip(cues, cues[1:]))
    assert " ".join(c.text for c in cues) == text


def test_webvtt_format():
    out = webvtt([Cue(4.0011, 6.5, "Hello <there> & welcome to a show about the journey sound takes", "Ann & Bo"),
                  Cue(3725.25, 3726.0, "Bye.", "Guest")])
    assert out.startswith("WEBVTT\n\n1\n00:00:04.001 --> 00:00:06.500\n<v Ann &amp; Bo>Hello &lt;there&gt; &amp; welcome")
    assert "\n2\n01:02:05.250 --> 01:02:06.000\n<v Guest>Bye.\n" in out
    assert all(len(line) <= LINE + len("<v Ann &amp; Bo>") + 12 for line in out.splitlines())


def test_srt_format_names_speakers_only_when_there_are_several():
    one = srt([Cue(0.5, 1.0, "Hi.", "Host"), Cue(1.0, 2.0, "Again.", "Host")])
    assert one == "1\n00:00:00,500 --> 00:00:01,000\nHi.\n\n2\n00:00:01,000 --> 00:00:02,000\nAgain.\n"
    two = srt([Cue(0.5, 1.0, "Hi.", "Host"), Cue(1.0, 2.0, "Hello.", "Guest")])
    assert "Host: Hi." in two and "Guest: Hello." in two


@dataclass
class _Timing:
    text: str
    start: float
    duration: float


def test_cues_use_script_text_and_the_intro_offset():
    from types import SimpleNamespace as NS

    seg = NS(written=("Linux 4.11-rc3 is out.", "It's big."), speaker=None)
    placed = NS(segment=seg, sentences=(_Timing("Linux four point eleven...", 1.0, 2.0), _Timing("It's big.", 3.5, 1.0)))
    script = NS(settings=NS(show=NS(author="Ann", speaker_names={}), speech=NS(voice="joe")), speakers={})
    mix = NS(track=NS(script=script, placed=(placed,)), speech_offset=4.0)
    cues = transcripts.cues(mix)
    assert [(c.start, c.text, c.speaker) for c in cues] == [(5.0, "Linux 4.11-rc3 is out.", "Ann"),
                                                            (7.5, "It's big.", "Ann")]
    assert cues[0].end <= cues[1].start
