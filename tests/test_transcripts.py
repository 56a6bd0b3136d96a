"""Transcript formats and cue splitting (timings from a fake mix)."""

from typing import cast

import pytest

from pipeline.publish import transcripts
from pipeline.publish.transcripts import (
    LINE,
    SRT_LINE,
    Cue,
    Word,
    json_transcript,
    layout,
    srt,
    webvtt,
    written_words,
)
from pipeline.sound.mix import Mix
from pipeline.sound.timeline import Timeline
from pipeline.sound.track import SentenceTiming
from pipeline.synthesis.engines import WordTiming

AT_4 = Timeline(0.0, (), (), speech_offset=4.0)  # the speech track starts 4 s into the master


def test_long_sentence_is_split_evenly_and_keeps_its_start():
    text = " ".join(["word"] * 60)  # 299 characters
    # a sentence without word timings: its time shared out by length, then laid out
    cues = layout(transcripts._even(text.split(), 10.0, 40.0), "Host")
    assert len(cues) == 4
    assert cues[0].start == 10.0 and cues[-1].end == pytest.approx(40.0)
    assert all(len(c.text) <= transcripts.LINES * transcripts.LINE for c in cues)
    assert max(len(c.text) for c in cues) - min(len(c.text) for c in cues) <= 10
    assert all(a.end == pytest.approx(b.start) for a, b in zip(cues, cues[1:]))
    assert " ".join(c.text for c in cues) == text


def test_webvtt_format():
    out = webvtt(
        [
            Cue(4.0011, 6.5, "Hello <there> & welcome to a show about the journey sound takes", "Ann & Bo"),
            Cue(3725.25, 3726.0, "Bye.", "Guest"),
        ]
    )
    assert out.startswith(
        "WEBVTT\n\n1\n00:00:04.001 --> 00:00:06.500\n<v Ann &amp; Bo>Hello &lt;there&gt; &amp; welcome"
    )
    assert "\n2\n01:02:05.250 --> 01:02:06.000\n<v Guest>Bye.\n" in out
    assert all(len(line) <= LINE + len("<v Ann &amp; Bo>") + 12 for line in out.splitlines())


def test_srt_format_names_speakers_only_when_there_are_several():
    one = srt([Cue(0.5, 1.0, "Hi.", "Host"), Cue(1.0, 2.0, "Again.", "Host")])
    assert one == "1\n00:00:00,500 --> 00:00:01,000\nHi.\n\n2\n00:00:01,000 --> 00:00:02,000\nAgain.\n"
    two = srt([Cue(0.5, 1.0, "Hi.", "Host"), Cue(1.0, 2.0, "Hello.", "Guest")])
    assert "Host: Hi." in two and "Guest: Hello." in two


def _mix(track: object, speech_offset: float) -> Mix:
    """A stand-in for a Mix with only what the transcripts read of one (the track's script and
    placed segments, the speech offset): a real one would need audio the tests do not make."""
    from types import SimpleNamespace as NS

    return cast(Mix, NS(track=track, speech_offset=speech_offset))


def test_cues_use_script_text_and_the_intro_offset():
    from types import SimpleNamespace as NS

    seg = NS(written=("Linux 4.11-rc3 is out.", "It's big."), speaker=None)
    placed = NS(
        segment=seg,
        sentences=(SentenceTiming("Linux four point eleven...", 1.0, 2.0), SentenceTiming("It's big.", 3.5, 1.0)),
    )
    script = NS(settings=NS(show=NS(author="Ann", speaker_names={}), speech=NS(voice="joe")), speakers={})
    mix = _mix(NS(script=script, placed=(placed,)), 4.0)
    cues = transcripts.cues(mix, AT_4)
    assert [(c.start, c.text, c.speaker) for c in cues] == [
        (5.0, "Linux 4.11-rc3 is out.", "Ann"),
        (7.5, "It's big.", "Ann"),
    ]
    assert cues[0].end <= cues[1].start


# ---------------------------------------------------------------- word timings


def _timed(words, start=0.0, step=0.3, pauses=()):
    """Spoken words at `step` seconds each, with an extra half second after the indices in `pauses`."""
    out, t = [], start
    for k, w in enumerate(words.split()):
        out.append(WordTiming(w, t, t + step * 0.8))
        t += step + (0.5 if k in pauses else 0.0)
    return out


def test_written_words_take_the_times_of_the_spoken_words_they_became():
    spoken = _timed("Linux four point eleven, R C three is out.", start=1.0)
    timing = SentenceTiming("Linux four point eleven, R C three is out.", 1.0, 3.0, tuple(spoken))
    got = written_words("Linux 4.11-rc3 is out.", timing)
    assert [w for w, _, _ in got] == ["Linux", "4.11-rc3", "is", "out."]
    assert got[0][1:] == (spoken[0].start, spoken[0].end)
    assert got[1][1:] == (spoken[1].start, spoken[6].end)  # "four" .. "three"
    assert got[2][1:] == (spoken[7].start, spoken[7].end)
    assert all(a[1] <= b[1] for a, b in zip(got, got[1:]))


def test_a_written_word_with_nothing_spoken_gets_no_time_of_its_own():
    timing = SentenceTiming("Great news.", 0.0, 1.0, tuple(_timed("Great news.")))
    got = written_words("Great 🎉 news.", timing)
    assert got[1][1] == got[1][2] == got[2][1]


@pytest.mark.parametrize("width", [LINE, SRT_LINE])
def test_layout_keeps_two_lines_and_starts_each_cue_at_its_first_word(width):
    text = (
        "The kernel release came out on a Sunday evening, after a week of quiet fixes, and the maintainers "
        "said that the next cycle would bring https://www.kernel.org/pub/linux/kernel/v4.x/testing/ and "
        "the memory tagging work and a long list of driver updates for network cards."
    )
    spoken = _timed(text, start=5.0, pauses=(8, 14))
    items = [(w.text, w.start, w.end) for w in spoken]
    cues = layout(items, "Host", width, prefix="Host:")
    assert len(cues) > 2
    consumed = 0  # characters of the text before the cue
    for c in cues:
        assert 1 <= len(c.lines) <= 2 and all(len(line) <= width for line in c.lines), c.lines
        assert text[consumed:].startswith(c.text)
        word = text[:consumed].count(" ")
        if consumed == 0 or text[consumed - 1] == " ":  # the cue opens with a whole word: its start
            assert c.start == spoken[word].start, (c.text, word)
        else:  # inside the cut URL: inside that word's time
            assert spoken[word].start < c.start < spoken[word].end
        consumed += len(c.text) + (text[consumed + len(c.text) :].startswith(" "))
    assert cues[0].lines[0].startswith("Host: The")
    assert not any(c.lines[0].startswith("Host:") for c in cues[1:])
    assert cues[0].start == spoken[0].start
    assert consumed == len(text)  # every word is there once, in order
    # the pauses after "evening," and "fixes," are where cues end when the words allow it
    assert any(c.text.endswith("fixes,") or c.text.endswith("evening,") for c in cues)


def test_cues_split_a_sentence_at_its_words():
    from types import SimpleNamespace as NS

    written = (
        "After a week of quiet fixes the maintainers said that the next cycle would bring the new page "
        "table code and a long list of driver updates."
    )
    timing = SentenceTiming(written, 2.0, 20.0, tuple(_timed(written, start=2.0)))
    seg = NS(written=(written,), speaker=None)
    mix = _mix(
        NS(
            script=NS(settings=NS(show=NS(author="Ann", speaker_names={}), speech=NS(voice="joe")), speakers={}),
            placed=(NS(segment=seg, sentences=(timing,)),),
        ),
        4.0,
    )
    starts = {w.start + 4.0 for w in timing.words}
    for got in (transcripts.cues(mix, AT_4), transcripts.cues(mix, AT_4, SRT_LINE, names=True)):
        assert len(got) >= 2 and all(c.start in starts for c in got)
        assert all(a.end <= b.start for a, b in zip(got, got[1:]))
    assert transcripts.srt(transcripts.cues(mix, AT_4, SRT_LINE, names=True)).count("Ann:") == 0  # one speaker


def test_srt_names_the_speaker_only_when_it_changes():
    items = [
        Cue(0.0, 1.0, "Hi.", "Host", ("Host: Hi.",)),
        Cue(1.0, 2.0, "Again.", "Host", ("Again.",)),
        Cue(2.0, 3.0, "Hello.", "Guest", ("Guest: Hello.",)),
    ]
    assert srt(items).count("Host:") == 1
    plain = srt([Cue(0.0, 1.0, "Hi.", "Host"), Cue(1.0, 2.0, "Again.", "Host"), Cue(2.0, 3.0, "Hello.", "Guest")])
    assert plain.count("Host:") == 1 and plain.count("Guest:") == 1


def test_json_transcript_shape():
    doc = json_transcript([Word(4.0, 4.25, "Hello,", "Ann"), Word(4.3, 4.6, "world.", "Ann")])
    assert doc == {
        "version": "1.0.0",
        "segments": [
            {"speaker": "Ann", "startTime": 4.0, "endTime": 4.25, "body": "Hello,"},
            {"speaker": "Ann", "startTime": 4.3, "endTime": 4.6, "body": "world."},
        ],
    }


def test_webvtt_reads_back_what_it_wrote(tmp_path):
    items = [
        Cue(1.0, 2.5, "Fish & chips <cheap>", "Ann Host", ("Fish & chips", "<cheap>")),
        Cue(2.5, 4.0, "A second cue.", "Bo Guest"),
    ]
    path = tmp_path / "t.vtt"
    path.write_text(webvtt(items), encoding="utf-8")
    back = transcripts.read_webvtt(path)
    assert [(c.start, c.end, c.text, c.speaker) for c in back] == [
        (1.0, 2.5, "Fish & chips <cheap>", "Ann Host"),
        (2.5, 4.0, "A second cue.", "Bo Guest"),
    ]


def lone_word_could_move(lines, width):
    """A second line of one word that the first line's last word could join, shortening the longer line."""
    if len(lines) != 2 or len(lines[1].split()) != 1 or len(lines[0].split()) < 2:
        return False
    head, last = lines[0].rsplit(" ", 1)
    moved = f"{last} {lines[1]}"
    return len(moved) <= width and max(len(head), len(moved)) < max(map(len, lines))


@pytest.mark.parametrize(
    "text, width, prefix",
    [
        ("Linus Torvalds announces Linux 4.11-rc3,", SRT_LINE, None),
        ("Also a summary of all ongoing active", SRT_LINE, None),
        ("and hopefully there are no similar", SRT_LINE, None),
        ("Hongbo Wang (Intel) announced the", SRT_LINE, None),
        ("Torvalds announces Linux 4.11-rc3,", SRT_LINE, "Host:"),
        ("The kernel release came out on a Sunday evening, after", LINE, None),
    ],
)
def test_two_lines_are_balanced(text, width, prefix):
    """Greedy filling left one-word second lines (52 of 422 SRT cues of the real transcript)."""
    items = [(w.text, w.start, w.end) for w in _timed(text)]
    (cue,) = layout(items, "Host", width, prefix)
    assert len(cue.lines) == 2 and all(len(line) <= width for line in cue.lines), cue.lines
    assert " ".join(cue.lines) == (f"{prefix} {text}" if prefix else text)
    assert not lone_word_could_move(cue.lines, width), cue.lines
    assert abs(len(cue.lines[0]) - len(cue.lines[1])) <= max(len(w) for w in text.split()) + 1, cue.lines
    if prefix:
        assert cue.lines[0].startswith(prefix)


def test_json_transcript_words_never_overlap():
    """The model's word ends ran past the next word's start (179 of 3360 pairs in the real transcript)."""
    from types import SimpleNamespace as NS

    first = SentenceTiming(
        "Linus announces Linux.",
        1.0,
        1.5,
        (WordTiming("Linus", 1.0, 1.45), WordTiming("announces", 1.4, 1.9), WordTiming("Linux.", 1.85, 2.5)),
    )
    second = SentenceTiming(  # starts before the sentence before it ends
        "Then more.", 2.45, 1.0, (WordTiming("Then", 2.45, 2.8), WordTiming("more.", 2.8, 3.45))
    )
    seg = NS(written=("Linus announces Linux.", "Then more."), speaker=None)
    script = NS(settings=NS(show=NS(author="Ann", speaker_names={}), speech=NS(voice="joe")), speakers={})
    mix = _mix(NS(script=script, placed=(NS(segment=seg, sentences=(first, second)),)), 4.0)
    got = transcripts.words(mix, AT_4)
    assert [w.text for w in got] == ["Linus", "announces", "Linux.", "Then", "more."]
    assert [w.start for w in got] == [5.0, 5.4, 5.85, 6.45, 6.8]  # starts are kept
    assert all(a.end <= b.start for a, b in zip(got, got[1:])), got
    assert all(w.start <= w.end for w in got)
    segments = json_transcript(got)["segments"]
    assert all(a["endTime"] <= b["startTime"] for a, b in zip(segments, segments[1:]))
