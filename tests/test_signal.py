"""Signal checks per sentence (pipeline/sound/signal.py) on signals with known faults."""

from __future__ import annotations

import numpy as np

from pipeline.sound import signal

RATE = 24000


def speechlike(seconds: float, level: float = 0.2, seed: int = 1) -> np.ndarray:
    """Noise shaped into syllables (4 per second, short dips between): a voice's level pattern."""
    rng = np.random.default_rng(seed)
    t = np.arange(int(seconds * RATE)) / RATE
    envelope = 0.55 + 0.45 * np.sin(2 * np.pi * 4 * t)
    return (rng.standard_normal(len(t)) * level * envelope * 32767 / 3).clip(-32000, 32000).astype(np.int16)


def span(samples: np.ndarray, text: str = "a sentence of ordinary length here") -> signal.Span:
    return signal.Span(0.0, len(samples) / RATE, text)


def kinds(samples: np.ndarray) -> list[str]:
    return [f.kind for f in signal.check_sentence(samples, RATE, span(samples), 0)]


def test_a_clean_sentence_has_no_findings():
    assert kinds(speechlike(3.0)) == []


def test_near_silence_is_found():
    assert kinds((speechlike(3.0) * 0.003).astype(np.int16)) == ["silent"]


def test_a_long_gap_inside_is_found_with_its_time_and_a_short_pause_is_not():
    a, b = speechlike(1.5), speechlike(1.5, seed=2)
    pause = np.zeros(int(0.5 * RATE), np.int16)
    gap = np.zeros(int(2.0 * RATE), np.int16)
    assert kinds(np.concatenate([a, pause, b])) == []
    found = signal.check_sentence(np.concatenate([a, gap, b]), RATE, span(np.concatenate([a, gap, b])), 3)
    assert [f.kind for f in found] == ["gap"]
    assert found[0].sentence == 3
    assert abs(found[0].time - 1.5) < 0.05


def test_silence_before_and_after_the_words_is_not_a_gap():
    quiet = np.zeros(int(2.0 * RATE), np.int16)
    assert kinds(np.concatenate([quiet, speechlike(2.0), quiet])) == []


def test_clipping_is_found_and_a_few_full_scale_samples_are_not():
    x = speechlike(2.0)
    x[1000:1003] = 32767  # as a correct render can have: inaudible
    x[3000] = -32768
    assert kinds(x) == []
    x[5000:5010] = -32768
    assert kinds(x) == ["clipped"]
    y = speechlike(2.0)
    y[::2000] = 32767  # scattered, but many
    assert kinds(y) == ["clipped"]


def test_pace_flags_a_runaway_sentence_against_the_voice_median():
    spans = [signal.Span(0, 2.0, "twenty four letters long here")] * 5  # about 12 letters per second
    rate = signal.median_rate(spans)
    stuck = signal.Span(0, 9.0, "twenty four letters long here")  # 4.5x too long
    rushed = signal.Span(0, 0.5, "twenty four letters long here")
    fine = signal.Span(0, 2.6, "twenty four letters long here")
    found = signal.check_pace([(0, stuck), (1, rushed), (2, fine)], rate)
    assert [(f.sentence, f.kind) for f in found] == [(0, "pace"), (1, "pace")]
    assert "slower" in found[0].text and "faster" in found[1].text


def test_pace_leaves_short_sentences_alone():
    assert signal.check_pace([(0, signal.Span(0, 5.0, "Yes."))], 12.0) == []


def test_pace_judges_sentences_in_any_script_not_only_latin_letters():
    """Letters are any script's (Cyrillic, Greek, accented Latin, CJK): a stuck sentence of a
    Russian or Spanish episode is flagged as an English one is."""
    for text in ("двадцать четыре буквы здесь", "ángeles señoría pequeño", "これは普通の長さの文章です今日は"):
        spans = [signal.Span(0, 2.0, text)] * 5
        rate = signal.median_rate(spans)
        assert rate > 0, text
        found = signal.check_pace([(0, signal.Span(0, 9.0, text)), (1, signal.Span(0, 2.2, text))], rate)
        assert [(f.sentence, f.kind) for f in found] == [(0, "pace")], text
