"""TTS engines behind one small interface: text in, audio chunks out.

Engines are chosen by the name a voice file gives (`engine = "piper"`), found through the
entry-point group `podcast_pipeline.engines` (registry.py) and imported only when used,
so a missing optional engine costs nothing.
"""

from __future__ import annotations

import functools
import importlib
import os
import types

from ...sound.track import WordTiming  # the timings chunks carry: a sound value, below synthesis
from .base import AudioChunk, Engine, EngineClass, Voice, resolve_model_file
from .registry import GROUP, engine_class, names

__all__ = [
    "GROUP",
    "AudioChunk",
    "Engine",
    "EngineClass",
    "Voice",
    "WordTiming",
    "engine_class",
    "get_engine",
    "names",
    "resolve_model_file",
]

# ONNX Runtime (1.29 and later) keeps telemetry of its own on Linux too: importing it writes a
# `.ses` file into $TMPDIR (never removed) and a database and device id under
# ~/.cache/Microsoft/DeveloperTools, and may upload.  ORT_DISABLE_TELEMETRY, read when it is
# imported, turns all of that off (disable_telemetry_events() comes too late: the import has
# written them).  Piper, Kokoro and `podcast doctor` import it through this package, so it is
# set first; a value the user set is kept.
os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")


def import_onnxruntime() -> types.ModuleType:
    """onnxruntime, imported with its telemetry off (see above)."""
    return importlib.import_module("onnxruntime")


@functools.lru_cache(maxsize=4)
def get_engine(voice: Voice, threads: int = 0) -> Engine:
    """A loaded engine for a voice, kept for the life of the process."""
    return engine_class(voice.engine, voice.file).load(voice, threads)
