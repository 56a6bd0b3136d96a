"""Progress on long work: a bar on a terminal, a few plain log lines otherwise,
or (in a batch worker) events on a queue for the parent to draw."""

from __future__ import annotations

import logging
import sys
from typing import Any, Iterable, Iterator, Sized, TypeVar

T = TypeVar("T")
log = logging.getLogger("pipeline")


def progress(items: Iterable[T], desc: str, enabled: bool = True, events: Any = None) -> Iterator[T]:
    total = len(items) if isinstance(items, Sized) else None
    if events is not None:
        for n, item in enumerate(items, start=1):
            yield item
            events.put((desc, n, total or 0))
        return
    if enabled and sys.stderr.isatty():
        from tqdm import tqdm

        yield from tqdm(items, desc=f"{desc}: speech", total=total, unit="seg", leave=False, dynamic_ncols=True)
        return
    step = max(1, (total or 10) // 10)
    for n, item in enumerate(items, start=1):
        yield item
        if enabled and total and (n % step == 0 or n == total):
            log.info("%s: speech %d/%d", desc, n, total)
