"""The mix on tones: speech at 220 Hz from a fake engine, music a steady
1 kHz tone, so each can be read off the mixed audio by its frequency."""

import numpy as np
import pytest

from conftest import RATE, read_wav, write
from pipeline._bodies import spoken_disclosure
from pipeline._config import Settings
from pipeline.parse.script import load_script
from pipeline.sound import ffmpeg, music
from pipeline.sound.master import WAV, master
from pipeline.sound.mix import mix
from pipeline.synthesis.assemble import speech_track
from pipeline.synthesis.cache import SegmentCache
from pipeline.synthesis.speech import Rendered, render_segment
from pipeline.text.spoken import speak

# Uses ffmpeg or eSpeak NG: CI runs these again with the distribution's own tools.
pytestmark = pytest.mark.tools

OUT = 44100


def tone_file(path, seconds=30, freq=1000, amplitude=0.5, rate=48000):
    ffmpeg.run(
        [
            "-f",
            "lavfi",
            "-i",
            f"sine=frequency={freq}:sample_rate={rate}:duration={seconds}",
            "-af",
            f"volume={amplitude}",
            "-ac",
            "2",
            path,
        ]
    )
    return path


def level_at(samples, start, end, freq):
    """Amplitude (dB) of one frequency in [start, end) seconds, read from its FFT bin."""
    x = samples[int(start * OUT) : int(end * OUT)].astype(np.float64)
    window = np.hanning(len(x))
    spectrum = np.abs(np.fft.rfft(x * window)) * 2 / window.sum()  # sine amplitude, whatever the length
    k = int(round(freq * len(x) / OUT))
    return 20 * np.log10(spectrum[k - 2 : k + 3].max() + 1e-9)


def _mix(tmp_path, tone_voice, show=""):
    write(tmp_path / "podcast.toml", show)
    text = "One two three four five six seven eight nine ten. " * 12 + "\n\n## Two\n\n" + "Eleven twelve. " * 20
    from pipeline._config import settings_for

    script = load_script(
        write(tmp_path / "ep.md", text),
        settings_for(tmp_path / "ep.md"),
        {
            "music": {"intro": str(tone_file(tmp_path / "intro.wav")), "outro": str(tone_file(tmp_path / "outro.wav"))},
            "master": {"channels": 1},
        },
    )
    script = speak(spoken_disclosure(script))
    cache = SegmentCache(tmp_path / "cache")
    rendered = Rendered(script, tuple(render_segment(s, tone_voice, cache, RATE) for s in script.segments), RATE)
    track = speech_track(rendered, tmp_path / "speech.wav")
    result = mix(track, tmp_path)
    out = tmp_path / "mix.wav"
    ffmpeg.run(
        [
            *[a for i in result.source.inputs for a in i],
            "-filter_complex",
            result.source.graph,
            "-map",
            "[mix]",
            "-c:a",
            "pcm_f32le",
            "-y",
            out,
        ]
    )
    samples = np.frombuffer(ffmpeg.run(["-i", out, "-f", "f32le", "pipe:1"]).stdout, "<f4")
    return script.settings.music, result, track, samples, tmp_path


@pytest.fixture
def mixed(tmp_path, tone_voice):
    return _mix(tmp_path, tone_voice)


def _disclosed(tmp_path, tone_voice, where):
    return _mix(
        tmp_path, tone_voice, f'[show]\nai_disclosure_spoken = "{where}"\nai_disclosure_line = "Made by a machine."\n'
    )


def test_a_segment_said_apart_comes_before_the_intro(tmp_path, tone_voice):
    m, result, track, samples, _ = _disclosed(tmp_path, tone_voice, "start")
    line, first = result.track.placed[0], result.track.placed[1]
    assert line.segment.apart and not first.segment.apart
    said = result.speech_offset + line.start + line.duration
    assert result.speech_offset == m.silence_lead
    # the line alone, then a beat, then the intro alone for its lead-in, then the script's first words
    assert level_at(samples, result.speech_offset + line.onset, said, 220) > -20
    assert level_at(samples, 0.0, said, 1000) < -80
    assert result.intro_at == pytest.approx(said + 0.7, abs=0.01)
    assert result.speech_offset + first.start == pytest.approx(result.intro_at + m.lead_in, abs=0.01)
    assert level_at(samples, result.intro_at + 0.2, result.intro_at + m.lead_in - 0.2, 1000) > -20
    assert level_at(samples, result.intro_at + 0.2, result.intro_at + m.lead_in - 0.2, 220) < -60
    # the record moved with the audio: the script's first words are where the track says
    onset = result.speech_offset + first.onset
    assert level_at(samples, onset, onset + 0.5, 220) > level_at(samples, onset, onset + 0.5, 1000)
    assert result.chapters[1].speech_start == pytest.approx(result.speech_offset + result.track.placed[2].onset)
    assert len(samples) / OUT == pytest.approx(result.duration, abs=0.01)


def test_a_segment_said_apart_comes_after_the_outro(tmp_path, tone_voice):
    m, result, track, samples, _ = _disclosed(tmp_path, tone_voice, "end")
    last_words, line = result.track.placed[-2], result.track.placed[-1]
    assert line.segment.apart
    voice_end = result.speech_offset + last_words.start + last_words.duration
    assert result.outro_at == pytest.approx(voice_end - m.outro_overlap, abs=0.01)
    outro_end = result.outro_at + music.outro_length(m, m.outro_overlap)
    start = result.speech_offset + line.start
    assert start == pytest.approx(outro_end + 0.7, abs=0.02)
    # the outro rose after the script's last words, and is over before the line is said
    full = level_at(samples, voice_end + m.outro_rise + 0.2, voice_end + m.outro_rise + m.outro_hold - 0.2, 1000)
    under = level_at(samples, voice_end - m.outro_overlap + m.duck_ramp + 0.1, voice_end - 0.1, 1000)
    assert full - under == pytest.approx(-m.duck_db, abs=0.5)
    assert level_at(samples, start, start + line.duration, 1000) < full - 60
    assert level_at(samples, result.speech_offset + line.onset, start + line.duration, 220) > -20
    assert result.duration == pytest.approx(
        start + line.duration + result.track.script.trailing_pause + m.silence_tail, abs=0.01
    )
    assert len(samples) / OUT == pytest.approx(result.duration, abs=0.01)


def test_duck_depth_under_speech(mixed):
    m, result, track, samples, _ = mixed
    alone = level_at(samples, 1.0, 3.0, 1000)
    under = level_at(samples, m.lead_in + 0.1, m.lead_in + m.intro_hold, 1000)
    assert under - alone == pytest.approx(m.duck_db, abs=0.5)


def test_speech_enters_after_lead_in(mixed):
    m, result, track, samples, _ = mixed
    assert result.speech_offset == m.lead_in
    assert level_at(samples, 1.0, 3.0, 220) < level_at(samples, 1.0, 3.0, 1000) - 40
    onset = result.speech_offset + track.placed[0].onset
    assert level_at(samples, onset, onset + 0.5, 220) > level_at(samples, onset, onset + 0.5, 1000)


def test_outro_rises_after_the_voice_and_fades(mixed):
    m, result, track, samples, _ = mixed
    voice_end = result.speech_offset + track.placed[-1].start + track.placed[-1].duration
    under = level_at(samples, voice_end - m.outro_overlap + m.duck_ramp + 0.1, voice_end - 0.1, 1000)
    full = level_at(samples, voice_end + m.outro_rise + 0.2, voice_end + m.outro_rise + m.outro_hold - 0.2, 1000)
    assert full - under == pytest.approx(-m.duck_db, abs=0.5)
    assert len(samples) / OUT == pytest.approx(result.duration, abs=0.01)
    assert np.abs(samples[-int(0.05 * OUT) :]).max() < 0.01


def test_intro_is_gone_before_the_second_chapter(mixed):
    m, result, track, samples, _ = mixed
    gone = result.speech_offset + m.intro_hold + m.intro_fade
    second = result.chapters[1].start
    assert second > gone
    # up to the chapter's first words (the mark itself now sits in the middle of the pause before them)
    words = result.chapters[1].speech_start - 0.02
    assert level_at(samples, gone + 0.1, words, 1000) < level_at(samples, 1.0, 3.0, 1000) - 60


def test_mastered_mix_does_not_clip(mixed):
    m, result, track, samples, tmp_path = mixed
    out = tmp_path / "master.wav"
    master(result.source, out, Settings().master.__class__(channels=1), WAV)
    data, rate, channels = read_wav(out)
    assert np.abs(data.astype(np.int32)).max() < 32767 * 10 ** (-1 / 20)
