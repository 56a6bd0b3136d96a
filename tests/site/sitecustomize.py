"""Put on PYTHONPATH by tests that run `podcast` in subprocesses (and spawned pool
or Dask workers): registers the test engine there, as conftest does in-process."""

import os

if os.environ.get("PODCAST_TEST_ENGINES"):
    from pipeline.synthesis import engines

    engines.ENGINES["slowtone"] = "slow_engine:SlowToneEngine"
