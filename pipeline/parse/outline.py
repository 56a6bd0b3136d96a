"""What a parser (markdown.py, plaintext.py) hands to `script.load_script`: an outline of
titled chapters holding paragraphs and pauses, with their line numbers; and the script
extensions both formats share (`[pause]` lines, `{written|spoken}`, speaker labels).

A leaf: it imports nothing of the pipeline but its errors, so the parsers and the
script loader can both stand on it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ScriptError

# `{written|spoken}`: the transcript shows `written`, the voice says `spoken`.
INLINE_OVERRIDE = re.compile(r"\{([^{}|]*)\|([^{}]*)\}")
PAUSE_LINE = re.compile(r"^\[pause(?:\s+(\S.*?))?\]$", re.IGNORECASE)
# A `[pause]` marker anywhere in a line: it splits the paragraph there, as one on its own line does.
PAUSE_MARK = re.compile(r"\[pause(?:\s[^\[\]\n]*)?\]", re.IGNORECASE)
DEFAULT_PAUSE = 1.0
# `LABEL: text`: the one definition of what a speaker label looks like.
SPEAKER_LABEL = re.compile(r"^([^\s:][^:\n]{0,39}):\s+(.*)$", re.DOTALL)


# A label that reads as a person's name (`Ben`, `Dr. Okafor`, `Maya Lin`): capitalised words.
NAME_LABEL = re.compile(r"[A-Z][\w'’-]*\.?(?: [A-Z][\w'’-]*\.?){0,3}")


def speaker_label(text: str) -> tuple[str, str] | None:
    """(label, the text after it) when a paragraph opens with `LABEL: `, else None."""
    m = SPEAKER_LABEL.match(text)
    return (m.group(1), m.group(2).strip()) if m else None


@dataclass
class Block:
    """A paragraph or a pause, as a parser found it."""

    text: str | None  # None for a pause
    line: int
    pause: float = 0.0


@dataclass
class OutlineChapter:
    title: str | None  # None: the opening chapter, before any heading
    line: int
    blocks: list[Block] = field(default_factory=list)


@dataclass
class Outline:
    title: str | None
    chapters: list[OutlineChapter]
    title_line: int | None = None  # where the title heading stands


def parse_pause(line: str, path: Path, lineno: int) -> float | None:
    """Seconds for a `[pause]` / `[pause 1.5s]` / `[pause 500ms]` line, None for other lines."""
    m = PAUSE_LINE.match(line.strip())
    if not m:
        return None
    if m.group(1) is None:
        return DEFAULT_PAUSE
    arg = m.group(1).replace(" ", "").lower()
    unit = re.fullmatch(r"(\d+(?:\.\d+)?)(ms|s|sec|seconds?)?", arg)
    if not unit:
        raise ScriptError(path, f"cannot read pause length {m.group(1)!r} (write e.g. [pause 1.5s])", lineno)
    value = float(unit.group(1)) / (1000 if unit.group(2) == "ms" else 1)
    if value == 0:
        raise ScriptError(
            path, f"a pause must be longer than 0 seconds (for none, leave the line out), not {m.group(1)}", lineno
        )
    if value > 60:
        raise ScriptError(path, f"pause length must be between 0 and 60 seconds, not {m.group(1)}", lineno)
    return value


def pause_marks(text: str) -> list[re.Match[str]]:
    """The `[pause]` markers of `text` outside its `{written|spoken}` overrides (an override is
    said as written)."""
    kept = [m for m in PAUSE_MARK.finditer(text)]
    if not kept or "|" not in text:
        return kept
    spans = [o.span() for o in INLINE_OVERRIDE.finditer(text)]
    return [m for m in kept if not any(a <= m.start() < b for a, b in spans)]


def visible(text: str | None) -> bool:
    """Whether `text` shows anything: more than spaces and invisible format characters (zero-width
    space and joiners, direction marks, the byte-order mark), which make a title that is empty."""
    return bool(text) and any(not (c.isspace() or unicodedata.category(c) == "Cf") for c in text or "")
