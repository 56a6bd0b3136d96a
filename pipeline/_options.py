"""What the command line decided for a run: the stage lists and their bodies read it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping


@dataclass(frozen=True)
class Options:
    """What the command line decided for this run."""

    config: Path | None = None  # --config; else podcast.toml is found beside the episode
    overrides: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    output_dir: Path | None = None  # render -o: the folder for the outputs (default: paths.output)
    preview_file: Path | None = None  # preview -o: the WAV to write
    workdir: Path = Path(".")  # for intermediate files; the caller cleans it up
    show_progress: bool = True
    inputs_digest: str | None = None  # set by batch planning; recorded in the report
    draft: bool = False  # every segment in the draft voice; outputs named <slug>-draft
    verify: bool = False  # render --verify, or [verify] on in the settings (batch planning decides)
    # Wraps the segments being synthesized: (items, episode slug) -> the same items, reporting
    # progress as they pass (the command layer's bar or queue; the pipeline draws nothing).
    progress: Callable[[Iterable[Any], str], Iterable[Any]] | None = None
