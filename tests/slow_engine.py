"""A fake engine for subprocess tests of interrupts and faults: like conftest's
ToneEngine (50 ms of silence, then 10 ms of tone per character), but each
sentence takes SLOW_ENGINE_SECONDS of wall time, so a render is in flight long
enough to be interrupted.  Registered in subprocesses by site/sitecustomize.py."""

from __future__ import annotations

import os
import time

import numpy as np

from pipeline.synthesis.engines import AudioChunk

RATE = 22050


class SlowToneEngine:
    name = "slowtone"
    concurrent = True
    sample_rate = RATE

    @staticmethod
    def resolve_model(ref, base, where):
        return ref

    @staticmethod
    def model_config(model, config, base, where):
        return None

    @staticmethod
    def identity(voice):
        return {}

    @staticmethod
    def describe(voice):
        return {"sample_rate": RATE}

    @classmethod
    def load(cls, voice, threads=0):
        return cls()

    def synthesize(self, text, seed):
        time.sleep(float(os.environ.get("SLOW_ENGINE_SECONDS", "0.3")))
        lead = np.zeros(int(0.05 * RATE), np.int16)
        t = np.arange(int(0.01 * RATE * len(text))) / RATE
        yield AudioChunk(np.concatenate([lead, (8000 * np.sin(2 * np.pi * 220 * t)).astype(np.int16)]), RATE)
