"""The speech-track stage: the synthesized segments end to end with paragraph,
chapter and explicit pauses, in one mono WAV written incrementally, with a
record of where every segment, sentence, word and chapter landed.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from pathlib import Path

from ..parse.script import Script, Segment
from ..sound import audio, signal
from ..sound.track import ChapterMark, Placed, SentenceTiming, SpeechTrack, WordTiming
from .speech import Rendered, RenderedSegment


def gap_before(r: RenderedSegment, previous: Segment | None, script: Script) -> float:
    segment = r.segment
    if previous is None:
        return segment.pause_before
    speech = script.settings.speech
    if segment.chapter != previous.chapter:
        base = speech.chapter_pause
    else:
        base = speech.paragraph_pause if r.paragraph_pause is None else r.paragraph_pause
    return base + segment.pause_before


def speech_track(rendered: Rendered, path: Path) -> SpeechTrack:
    """Stage: segments end to end with their pauses, written to `path`."""
    script, rate = rendered.script, rendered.sample_rate
    placed: list[Placed] = []
    chapters: list[ChapterMark] = []
    frames = 0
    last_sound = 0.0  # where the previous segment's sound ends
    previous: Segment | None = None
    spans: dict[str, list[tuple[int, int, signal.Span]]] = defaultdict(list)  # voice -> (segment, sentence, span)
    with audio.WavWriter(path, rate) as wav:
        for r in rendered.segments:
            seg = r.segment
            gap = audio.silence(gap_before(r, previous, script), rate)
            wav.write(gap)
            frames += len(gap)
            start = frames / rate
            samples = r.samples()
            if previous is None or seg.chapter != previous.chapter:
                title = script.chapters[seg.chapter].title
                # A chapter starts in the middle of the silence between the previous chapter's
                # last sound and its own first word (the first at 0): as far from both as it can be,
                # so a player seeking by MP3 frame or with pre-roll neither clips the first word
                # nor plays the end of the chapter before.
                mark = 0.0 if not chapters else (last_sound + start + r.onset) / 2
                chapters.append(ChapterMark(title, mark, start + r.onset))
            wav.write(samples)
            sentence_spans = [signal.Span(s.start, s.duration, s.text) for s in r.sentences]
            findings = signal.segment_findings(samples, rate, sentence_spans)  # milliseconds a sentence
            spans[seg.voice] += [(len(placed), n, span) for n, span in enumerate(sentence_spans)]
            last_sound = start + (len(samples) - audio.onset(samples[::-1], rate) * rate) / rate
            frames += len(samples)
            placed.append(
                Placed(
                    seg,
                    start,
                    r.duration,
                    start + r.onset,
                    tuple(
                        SentenceTiming(
                            s.text,
                            start + s.start,
                            s.duration,
                            tuple(WordTiming(w.text, start + w.start, start + w.end) for w in s.words),
                        )
                        for s in r.sentences
                    ),
                    tuple(findings),
                )
            )
            previous = seg
        tail = audio.silence(script.trailing_pause, rate)
        placed = _paced(placed, spans)
        wav.write(tail)
        frames += len(tail)
    return SpeechTrack(
        script,
        path,
        rate,
        frames / rate,
        tuple(placed),
        tuple(chapters),
        rendered.synthesized,
        rendered.from_cache,
        tuple(r.entry.key for r in rendered.segments),
        tuple(r.cached for r in rendered.segments),
    )


def _paced(placed: list[Placed], spans: dict[str, list[tuple[int, int, signal.Span]]]) -> list[Placed]:
    """The pace check: each sentence against its voice's median pace in this episode."""
    extra: dict[int, list[signal.Finding]] = defaultdict(list)
    for voice_spans in spans.values():
        rate = signal.median_rate(span for _, _, span in voice_spans)
        for i, n, span in voice_spans:
            if not any(f.sentence == n for f in placed[i].findings):  # a gap or silence explains its length
                extra[i] += signal.check_pace([(n, span)], rate)
    return [
        dataclasses.replace(p, findings=p.findings + tuple(extra[i])) if extra[i] else p for i, p in enumerate(placed)
    ]
