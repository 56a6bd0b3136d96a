"""The last stage: package the mastered MP3 (sound/master.py made it, in the work
folder): tags and chapters, sidecars, into the output folder.

Every output is written under a temporary name and renamed into place: the
MP3 first, then chapters and transcripts (WebVTT, SRT, the JSON transcript),
the report last.  An interrupted
render leaves no half-file, and a report only exists for a finished episode.
"""

from __future__ import annotations

import json
import logging
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import __version__
from .._clock import clock
from .._config import is_media_file
from .._fsutil import atomic_path, write_text_atomic
from .._notes import show_notes
from ..parse.script import Script
from ..sound import ffmpeg, music, overview
from ..sound.master import MasterResult
from ..sound.mix import Mix
from ..sound.timeline import Timeline
from ..verify.doc import Verified, report_summary
from . import formats, report_page, transcripts
from .artwork import copy_cover, cover_name
from .html import paragraphs, plain_text
from .tags import write_tags

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Episode:
    """What a render leaves for its caller: the MP3 (its sidecars lie beside it) and the report."""

    mp3: Path
    report: dict[str, Any]


def chapters_document(script: Script, timeline: Timeline) -> dict[str, Any]:
    """Podcasting 2.0 JSON chapters (application/json+chapters)."""
    doc: dict[str, Any] = {"version": "1.2.0", "title": script.meta.title}
    if script.settings.show.author:
        doc["author"] = script.settings.show.author
    if script.settings.show.title:
        doc["podcastName"] = script.settings.show.title
    doc["chapters"] = [
        {"startTime": round(c.start, 3), "endTime": round(c.end, 3), "title": c.title} for c in timeline.chapters
    ]
    return doc


def package(verified: Verified, out_dir: Path, timings: dict[str, float], inputs_digest: str | None = None) -> Episode:
    """Stage: tags and chapters, then every output into place."""
    mastered, verification = verified.mastered, verified.verification
    mix, result, timeline = mastered.mix, mastered.result, mastered.timeline
    duration = timeline.duration
    script = mix.track.script
    settings = script.settings
    slug = script.slug
    mp3 = out_dir / f"{slug}.mp3"
    chapters_path = out_dir / f"{slug}.chapters.json"
    report_path = out_dir / f"{slug}.report.json"
    page_path = out_dir / f"{slug}.report.html"
    artwork = Path(settings.show.artwork) if is_media_file(settings.show.artwork) else None
    # the comment: the description and the AI disclosure (the chapters are frames of their own)
    notes = show_notes(script.meta.description, [], settings.show)
    described = paragraphs(notes) if notes else None  # HTML; each writer makes it plain text
    write_tags(
        mastered.path,
        title=script.meta.title,
        artist=settings.show.author,
        album=settings.show.title,
        track=script.meta.episode,
        date=(script.meta.published or "")[:16] or script.meta.date,
        description=described,
        artwork=artwork,
        chapters=timeline.chapters,
        duration=duration,
        version=settings.master.id3_version,
        genre=settings.show.genre,
        language=settings.show.language,
    )
    with atomic_path(mp3) as tmp:
        shutil.copyfile(mastered.path, tmp)
    started = time.perf_counter()
    alternates = formats.write_formats(  # [master] formats: M4A and Opus beside the MP3
        mastered,
        out_dir,
        formats.Metadata(
            title=script.meta.title,
            artist=settings.show.author,
            album=settings.show.title,
            track=script.meta.episode,
            date=(script.meta.published or "")[:10] or script.meta.date,
            description=plain_text(described, lines=True) if described else None,
            genre=settings.show.genre,
            artwork=artwork,
            chapters=timeline.chapters,
        ),
    )
    if alternates:
        timings = {**timings, "formats": round(time.perf_counter() - started, 3)}
    write_text_atomic(
        chapters_path, json.dumps(chapters_document(script, timeline), indent=2, ensure_ascii=False) + "\n"
    )
    captions = transcripts.cues(mix, timeline)
    vtt, srt = out_dir / f"{slug}.vtt", out_dir / f"{slug}.srt"
    write_text_atomic(vtt, transcripts.webvtt(captions))
    write_text_atomic(srt, transcripts.srt(transcripts.cues(mix, timeline, transcripts.SRT_LINE, names=True)))
    transcript_path = out_dir / f"{slug}.transcript.json"
    write_text_atomic(
        transcript_path,
        json.dumps(transcripts.json_transcript(transcripts.words(mix, timeline)), indent=1, ensure_ascii=False) + "\n",
    )
    if artwork is not None:  # beside the outputs, for the feed's <itunes:image>
        copy_cover(artwork, out_dir, cover_name(artwork))
    report = build_report(mix, timeline, result, timings, inputs_digest)
    report["outputs"] = {
        "mp3": mp3.name,
        "chapters": chapters_path.name,
        "vtt": vtt.name,
        "srt": srt.name,
        "transcript": transcript_path.name,
        "report": report_path.name,
        "page": page_path.name,
        **{fmt: entry["file"] for fmt, entry in alternates.items()},
    }
    if artwork is not None:  # the show page's cover art
        report["outputs"]["cover"] = cover_name(artwork)
    if alternates:
        report["alternates"] = alternates
    doc = verification.to_json() if verification is not None else None
    if doc is not None:
        write_text_atomic(out_dir / f"{slug}.verify.json", json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
        report["verify"] = report_summary(doc, f"{slug}.verify.json")
        report["outputs"]["verify"] = f"{slug}.verify.json"
    started = time.perf_counter()
    frames = result.loudness.frames  # the report page's overview, measured while the MP3 was encoded
    report["overview"] = overview.overview(frames) if frames is not None else None
    page = report_page.render(report, doc, timeline.rounded())  # as report.json has it
    report["stages"]["page"] = round(time.perf_counter() - started, 3)  # the page's own cost, for the bench
    write_text_atomic(page_path, page)  # before the report, which comes last
    write_text_atomic(report_path, report_page.dumps(report))
    loud = result.loudness
    log.info(
        "wrote %s (%s, %.1f LUFS, %.1f dBTP, %d chapters)",
        mp3,
        clock(duration),
        loud.integrated,
        loud.true_peak,
        len(timeline.chapters),
    )
    for p, span in zip(mix.track.placed, timeline.segments):  # the signal checks, as `podcast check` lines
        for f in p.findings:
            log.warning(
                "%s:%d: segment %d: warning: sentence %d at %s: %s",
                script.path,
                p.segment.line,
                p.segment.index,
                f.sentence + 1,
                clock(span.start + f.time),
                f.text,
            )
    return Episode(mp3, report)


def build_report(
    mix: Mix,
    timeline: Timeline,
    result: MasterResult,
    timings: dict[str, float],
    inputs_digest: str | None,
) -> dict:
    """The report: every position in it is the timeline's, to the millisecond."""
    script = mix.track.script
    ms = script.settings.master
    placed = timeline.rounded()
    return {
        "tool": f"podcast-pipeline {__version__}",
        "show": {
            "title": script.settings.show.title,
            "author": script.settings.show.author,
            "language": script.settings.show.language,
        },
        "inputs": inputs_digest,  # what batch rendering compares to skip up-to-date episodes
        "episode": {
            "file": str(script.path),
            "slug": script.slug,
            "title": script.meta.title,
            "number": script.meta.episode,
            "season": script.meta.season,
            "date": script.meta.date,
            "description": script.meta.description,
        },
        "duration": placed.duration,
        "loudness": {
            "integrated_lufs": loud_round(result.loudness.integrated),
            "true_peak_dbtp": loud_round(result.loudness.true_peak),
            "lra_lu": loud_round(result.loudness.lra),
            "target_lufs": ms.loudness,
            "true_peak_limit_dbtp": ms.true_peak,
            "gain_db": loud_round(result.gain_db),
            "passes": result.passes,
        },
        "format": {
            "codec": "mp3",
            "sample_rate": ms.sample_rate,
            "channels": ms.channels,
            "bitrate_kbps": None if ms.vbr else ms.bitrate,
            "vbr_quality": ms.vbr_quality if ms.vbr else None,
            "id3_version": f"2.{ms.id3_version}",
        },
        "music": {
            "intro": mix.intro,
            "outro": mix.outro,
            "speech_offset": placed.speech_offset,
            "music_gain_db": None if mix.music_gain_db is None else loud_round(mix.music_gain_db),
            "envelope": music_envelope(mix, timeline.duration),
        },
        "voices": sorted(script.voices()),
        "synthesis": {"synthesized": mix.track.synthesized, "from_cache": mix.track.from_cache},
        "chapters": [{"title": c.title, "start": c.start, "end": c.end} for c in placed.chapters],
        "segments": [
            {
                "index": p.segment.index,
                "id": p.segment.id,
                "chapter": p.segment.chapter + 1,
                "voice": p.segment.voice,
                "speaker": p.segment.speaker,
                "start": at.start,
                "speech_start": at.speech_start,
                "duration": at.duration,
                "sentences": list(at.sentences or ()),
                "words": len((p.segment.spoken or p.segment.text).split()),  # as spoken (words per minute)
                "cached": mix.track.cached[i] if i < len(mix.track.cached) else None,
                "take": p.segment.take or 0,
                "pinned": p.segment.take is not None,
                "findings": [{**f.as_dict(), "time": round(span.start + f.time, 3)} for f in p.findings],
                "text": p.segment.text,
            }
            for i, (p, span, at) in enumerate(zip(mix.track.placed, timeline.segments, placed.segments))
        ],
        "tools": {"ffmpeg": ffmpeg.current().describe(), "engines": engine_versions(script)},
        "stages": dict(timings),
    }


def music_envelope(mix: Mix, duration: float) -> dict[str, list]:
    """The intro's and outro's fader moves on the final timeline, [seconds, dB of the music's
    full level] (None: silent), as the mix drew them (for the report page)."""
    m = mix.track.script.settings.music
    out: dict[str, list] = {}
    if mix.intro:
        out["intro"] = music.envelope_points(music.intro_parts(m), mix.intro_at, duration)
    if mix.outro:
        out["outro"] = music.envelope_points(music.outro_parts(m, mix.outro_overlap), mix.outro_at, duration)
    return out


ENGINE_PACKAGES = {  # what each engine's sound depends on, for the report's tools
    "kokoro": ("onnxruntime", "piper-tts"),
    "piper": ("onnxruntime", "piper-tts"),
    "coqui": ("coqui-tts", "torch"),
}


def engine_versions(script: Any) -> dict[str, dict[str, str]]:
    """{engine: {package: version}} for the engines the script's voices use (installed packages only)."""
    from importlib.metadata import PackageNotFoundError, version

    out: dict[str, dict[str, str]] = {}
    for voice in script.loaded_voices.values():
        packages: dict[str, str] = {}
        for name in ENGINE_PACKAGES.get(voice.engine, ()):
            try:
                packages[name] = version(name)
            except PackageNotFoundError:
                continue
        out[voice.engine] = packages
    return dict(sorted(out.items()))


def loud_round(x: float) -> float:
    return round(x, 2)
