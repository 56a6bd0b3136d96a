"""eSpeak NG: a formant voice, robotic but instant.

It serves drafts (`--draft`: structure and timing at a small fraction of the
neural cost) and shows whose pronunciation needs the lexicon.  Two backends
behave the same (same errors, same sample rate, same handling of text with
nothing to say): the `espeak-ng` program, used when one on PATH answers its
probe like eSpeak NG, and otherwise the library that the espeakng-loader
package ships, through ctypes.  `PODCAST_ESPEAK` chooses: "library",
"system" (the program on PATH) or a path to the program.  Output is
deterministic for a given backend and version.
"""

from __future__ import annotations

import ctypes
import difflib
import functools
import io
import logging
import os
import re
import shutil
import subprocess
import sys
import wave
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import numpy as np

from ...errors import SynthesisError, VoiceError
from .base import AudioChunk, Voice

log = logging.getLogger(__name__)

RATE = 22050
ENV = "PODCAST_ESPEAK"


@dataclass(frozen=True)
class Backend:
    kind: str  # "program" or "library"
    path: str  # the program, or the shared library
    version: str
    data: str  # eSpeak NG's data folder (voices, dictionaries)
    source: str  # how it was chosen

    def label(self) -> str:
        where = f"program {self.path}" if self.kind == "program" else "bundled library"
        return f"eSpeak NG {self.version} ({where})"


class EspeakEngine:
    name = "espeak"
    concurrent = True
    seeded = False
    sample_rate = RATE

    def __init__(self, voice: Voice, speed: int, backend: Backend):
        self.voice = voice
        self.speed = speed
        self.backend = backend

    @staticmethod
    def resolve_model(ref: str, base: Path, where: str) -> str:
        return ref  # an eSpeak voice name, e.g. "en-us"

    @staticmethod
    def model_config(model: str, config: str | None, base: Path, where: str) -> None:
        return None

    @staticmethod
    def identity(voice: Voice) -> dict:
        b = backend()
        return {"voice": voice.model, "espeak": b.version, "backend": b.kind}

    @staticmethod
    def describe(voice: Voice) -> dict:
        return {"sample_rate": RATE, "backend": backend().label()}

    @classmethod
    def load(cls, voice: Voice, threads: int = 0) -> "EspeakEngine":
        b = backend()
        # The program guesses at a name it does not know ("en-uss" speaks as en-us) where the
        # library refuses it: both take exactly the voices in the data folder, checked here.
        if not is_voice(voice.model, b.data):
            raise unknown_voice(voice, b)
        return cls(voice, speed=int(round(175 / (voice.length_scale or 1.0))), backend=b)

    def synthesize(self, text: str, seed: int) -> Iterator[AudioChunk]:
        yield AudioChunk(self._speak(text), RATE)

    def _speak(self, text: str) -> np.ndarray:
        if not re.search(r"\w", text):  # nothing to say: both backends would differ in what they make of it
            return np.zeros(0, dtype=np.int16)
        b = self.backend
        if b.kind == "program":
            proc = subprocess.run(
                [b.path, "-v", self.voice.model, "-s", str(self.speed), "--stdout", text], capture_output=True
            )
            unknown = "voice does not exist" in proc.stderr.decode(errors="replace")
        else:
            proc = subprocess.run(
                [sys.executable, "-c", _WORKER, b.path, b.data, self.voice.model, str(self.speed)],
                input=text.encode("utf-8"),
                capture_output=True,
            )
            unknown = proc.returncode == 3
        if unknown:
            raise unknown_voice(self.voice, b)
        err = proc.stderr.decode(errors="replace").strip()[-200:]
        if proc.returncode != 0:
            raise SynthesisError(f"{b.label()} failed on {text[:40]!r}: {err}")
        data = proc.stdout
        if b.kind == "program":
            data = _wav_samples(data, b)
        return np.frombuffer(data, dtype="<i2").astype(np.int16)


def unknown_voice(voice: Voice, b: Backend) -> VoiceError:
    names = voice_names(b.data)
    close = difflib.get_close_matches(voice.model.lower(), names, n=3, cutoff=0.5)
    hint = f"did you mean {', '.join(close)}? " if close else ""
    return VoiceError(
        f"{voice.file or voice.name}: eSpeak NG has no voice {voice.model!r}; {hint}"
        f"the {len(names)} it has are the language files under {b.data}/lang "
        f"(`espeak-ng --voices` lists them)"
    )


@functools.lru_cache(maxsize=4)
def voice_names(data: str) -> list[str]:
    """The languages eSpeak NG knows: its data folder's lang/ files (en-US is "en-us")."""
    return sorted({p.name.lower() for p in Path(data, "lang").rglob("*") if p.is_file()})


@functools.lru_cache(maxsize=4)
def _variants(data: str) -> frozenset[str]:
    return frozenset(p.name.lower() for p in Path(data, "voices", "!v").glob("*") if p.is_file())


def is_voice(name: str, data: str) -> bool:
    """A language (`en-us`, or its file `gmw/en-US`), optionally with a variant (`en-us+f3`)."""
    base, _, variant = name.lower().partition("+")
    known = base in voice_names(data) or any(
        p.relative_to(Path(data, "lang")).as_posix().lower() == base for p in Path(data, "lang").rglob("*")
    )
    return known and (not variant or variant in _variants(data))


def _wav_samples(data: bytes, b: Backend) -> bytes:
    try:  # the header's lengths are unknown when espeak writes to a pipe
        with wave.open(io.BytesIO(data)) as w:
            rate = w.getframerate()
    except (wave.Error, EOFError):
        raise SynthesisError(f"{b.label()} wrote no WAV audio") from None
    if rate != RATE:
        raise SynthesisError(f"{b.label()} wrote {rate} Hz audio, expected {RATE}")
    return data[44:]


@functools.lru_cache(maxsize=1)
def backend() -> Backend:
    """The backend `PODCAST_ESPEAK` names, else the program on PATH if it answers as eSpeak NG, else the library."""
    choice = os.environ.get(ENV, "").strip() or "auto"
    if choice == "library":
        return _library(ENV)
    if choice in ("auto", "system"):
        program = shutil.which("espeak-ng")
        if program is None:
            if choice == "system":
                raise VoiceError(f"{ENV}=system, but there is no espeak-ng program on PATH")
            return _library("no espeak-ng program on PATH")
    else:
        program = str(Path(choice).expanduser())
    try:
        return _program(program, "PATH" if choice in ("auto", "system") else ENV)
    except VoiceError as exc:
        if choice != "auto":
            raise
        log.warning("%s; using the bundled eSpeak NG library instead", exc)
        return _library("the program failed its probe")


def _program(path: str, source: str) -> Backend:
    """Ask the program what it is: eSpeak NG prints its version and data folder."""
    try:
        out = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise VoiceError(f"espeak-ng program {path} cannot be run: {getattr(exc, 'strerror', None) or exc}") from None
    m = re.search(r"eSpeak NG text-to-speech: (\S+)\s+Data at: (.+)", out)
    if not m:
        raise VoiceError(f"{path} does not answer --version as eSpeak NG does")
    log.debug("eSpeak NG program %s, version %s", path, m.group(1))
    return Backend("program", path, m.group(1), m.group(2).strip(), source)


def _library(source: str) -> Backend:
    try:
        import espeakng_loader
    except ImportError:
        raise VoiceError(
            "eSpeak NG is not available: install the espeak-ng program, or `pip install espeakng-loader`"
        ) from None
    path = espeakng_loader.get_library_path()
    lib = ctypes.CDLL(path)
    lib.espeak_Info.restype = ctypes.c_char_p
    version = lib.espeak_Info(None).decode()
    return Backend("library", path, version, espeakng_loader.get_data_path(), source)


# The library keeps synthesis state between calls (the same text comes out a few
# samples different the second time), so each sentence is spoken by a fresh
# process: as deterministic as the espeak-ng program, for about 40 ms a sentence.
# Exit 3: no such voice; 4: not the expected sample rate.
_WORKER = rf"""
import ctypes, os, sys
lib = ctypes.CDLL(sys.argv[1])
rate = lib.espeak_Initialize(2, 0, os.path.dirname(sys.argv[2]).encode(), 0)
if rate <= 0:
    sys.exit("eSpeak NG failed to start")
if rate != {RATE}:
    sys.stderr.write("eSpeak NG's library speaks at %d Hz, expected {RATE}" % rate)
    sys.exit(4)
out = bytearray()
CB = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p)
@CB
def collect(wav, n, events):
    if wav and n > 0:
        out.extend(ctypes.string_at(wav, 2 * n))
    return 0
lib.espeak_SetSynthCallback(collect)
if lib.espeak_SetVoiceByName(sys.argv[3].encode()) != 0:
    sys.exit(3)
lib.espeak_SetParameter(1, int(sys.argv[4]), 0)
raw = sys.stdin.buffer.read() + b"\0"
if lib.espeak_Synth(ctypes.c_char_p(raw), ctypes.c_size_t(len(raw)), 0, 1, 0, 1, None, None) != 0:
    sys.exit("eSpeak NG failed")
lib.espeak_Synchronize()
sys.stdout.buffer.write(bytes(out))
"""
