"""eSpeak NG: a formant voice, robotic but instant.

It serves drafts (`--draft`: structure and timing at a small fraction of the
neural cost) and shows whose pronunciation needs the lexicon.  The
`espeak-ng` program is used when it is on PATH; otherwise the library that
the espeakng-loader package ships, through ctypes.  Output is deterministic.
"""

from __future__ import annotations

import ctypes
import functools
import io
import shutil
import subprocess
import sys
import wave
from pathlib import Path
from typing import Iterator

import numpy as np

from ..errors import SynthesisError, VoiceError
from . import AudioChunk

RATE = 22050


class EspeakEngine:
    name = "espeak"
    concurrent = True
    sample_rate = RATE

    def __init__(self, voice, speed: int):
        self.voice = voice
        self.speed = speed

    @staticmethod
    def resolve_model(ref: str, base: Path, where: str) -> str:
        return ref  # an eSpeak voice name, e.g. "en-us"

    @staticmethod
    def model_config(model, config, base, where):
        return None

    @staticmethod
    def identity(voice) -> dict:
        return {"voice": voice.model, "espeak": backend()[0]}

    @staticmethod
    def describe(voice) -> dict:
        version, how = backend()
        return {"sample_rate": RATE, "backend": f"eSpeak NG {version} ({how})"}

    @classmethod
    def load(cls, voice, threads: int = 0) -> "EspeakEngine":
        backend()
        return cls(voice, speed=int(round(175 / (voice.length_scale or 1.0))))

    def synthesize(self, text: str, seed: int) -> Iterator[AudioChunk]:
        program = shutil.which("espeak-ng")
        samples = _run_program(program, self.voice.model, self.speed, text) if program else \
            _run_library(self.voice.model, self.speed, text)
        yield AudioChunk(samples, RATE)


@functools.lru_cache(maxsize=1)
def backend() -> tuple[str, str]:
    """(version, 'program' or 'bundled library'); VoiceError when neither exists."""
    program = shutil.which("espeak-ng")
    if program:
        out = subprocess.run([program, "--version"], capture_output=True, text=True).stdout
        return (out.split()[3] if len(out.split()) > 3 else "?"), f"program {program}"
    lib = _library()
    lib.espeak_Info.restype = ctypes.c_char_p
    return lib.espeak_Info(None).decode(), "bundled library"


def _run_program(program: str, voice: str, speed: int, text: str) -> np.ndarray:
    proc = subprocess.run([program, "-v", voice, "-s", str(speed), "--stdout", text], capture_output=True)
    if proc.returncode != 0 or len(proc.stdout) < 44:
        raise SynthesisError(f"espeak-ng failed on {text[:40]!r}: {proc.stderr.decode(errors='replace').strip()}")
    data = proc.stdout
    try:  # the header's lengths are unknown when espeak writes to a pipe
        with wave.open(io.BytesIO(data)) as w:
            rate = w.getframerate()
    except (wave.Error, EOFError):
        rate = RATE
    if rate != RATE:
        raise SynthesisError(f"espeak-ng wrote {rate} Hz audio, expected {RATE}")
    return np.frombuffer(data[44:], dtype="<i2").astype(np.int16)


# The library keeps synthesis state between calls (the same text comes out a few
# samples different the second time), so each sentence is spoken by a fresh
# process: as deterministic as the espeak-ng program, for about 40 ms a sentence.
_WORKER = r"""
import ctypes, os, sys
import espeakng_loader as loader
lib = ctypes.CDLL(loader.get_library_path())
if lib.espeak_Initialize(2, 0, os.path.dirname(loader.get_data_path()).encode(), 0) <= 0:
    sys.exit("eSpeak NG failed to start")
out = bytearray()
CB = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p)
@CB
def collect(wav, n, events):
    if wav and n > 0:
        out.extend(ctypes.string_at(wav, 2 * n))
    return 0
lib.espeak_SetSynthCallback(collect)
if lib.espeak_SetVoiceByName(sys.argv[1].encode()) != 0:
    sys.exit(3)
lib.espeak_SetParameter(1, int(sys.argv[2]), 0)
raw = sys.stdin.buffer.read() + b"\0"
if lib.espeak_Synth(ctypes.c_char_p(raw), ctypes.c_size_t(len(raw)), 0, 1, 0, 1, None, None) != 0:
    sys.exit("eSpeak NG failed")
lib.espeak_Synchronize()
sys.stdout.buffer.write(bytes(out))
"""


@functools.lru_cache(maxsize=1)
def _library():
    try:
        import espeakng_loader
    except ImportError:
        raise VoiceError("eSpeak NG is not available: install the espeak-ng program, or "
                         "`pip install espeakng-loader`") from None
    return ctypes.CDLL(espeakng_loader.get_library_path())


def _run_library(voice: str, speed: int, text: str) -> np.ndarray:
    _library()
    proc = subprocess.run([sys.executable, "-c", _WORKER, voice, str(speed)], input=text.encode("utf-8"),
                          capture_output=True)
    if proc.returncode == 3:
        raise VoiceError(f"eSpeak NG has no voice {voice!r}")
    if proc.returncode != 0:
        raise SynthesisError(f"eSpeak NG failed on {text[:40]!r}: {proc.stderr.decode(errors='replace').strip()[-200:]}")
    return np.frombuffer(proc.stdout, dtype="<i2").astype(np.int16)
