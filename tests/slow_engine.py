"""A fake engine for subprocess tests of interrupts and faults: conftest's ToneEngine
(50 ms of silence, then 10 ms of tone per character), but each sentence takes
SLOW_ENGINE_SECONDS of wall time, so a render is in flight long enough to be
interrupted.  Registered, in the processes tests start too, as an entry point in tests/site."""

from __future__ import annotations

import os
import time

from conftest import ToneEngine


class SlowToneEngine(ToneEngine):
    name = "slowtone"

    def synthesize(self, text, seed):
        time.sleep(float(os.environ.get("SLOW_ENGINE_SECONDS", "0.3")))
        yield from super().synthesize(text, seed)
