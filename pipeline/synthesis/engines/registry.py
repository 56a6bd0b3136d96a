"""Which class speaks for an engine name: the entry-point group `podcast_pipeline.engines`.

Every engine is found the way a third-party one is: an installed distribution declares
`name = "module:Class"` in the group (the bundled engines in this project's pyproject.toml),
and the class is imported only when a voice names it, so a missing optional engine costs
nothing.  The group is read once per process, and again when a name is not in it (a
plugin installed since), so an unknown name is always judged against what is installed.
"""

from __future__ import annotations

import functools
import re
from importlib.metadata import EntryPoint, distributions

from ...errors import VoiceError
from .base import EngineClass

GROUP = "podcast_pipeline.engines"


@functools.cache
def _declared() -> dict[str, tuple[EntryPoint, ...]]:
    """name -> the entry points that declare it (two classes for one name: refused on use).

    Every copy of a distribution's metadata on sys.path is read, not only the first as
    `entry_points()` does: a source tree's stale `podcast_pipeline.egg-info` (a build leaves
    one; `pip install -e` does not refresh it) sits first on the path when `podcast` runs from
    the tree, and must not hide the installed engines.  Of two copies declaring one name,
    the first on the path speaks, as it would be imported first."""
    found: dict[str, list[EntryPoint]] = {}
    seen: set[tuple[str, str]] = set()
    for dist in distributions():
        points = dist.entry_points.select(group=GROUP)
        project = _normalized(str(dist.name)) if points else ""  # METADATA only where needed
        for point in points:
            if (project, point.name) not in seen:
                seen.add((project, point.name))
                found.setdefault(point.name, []).append(point)
    return {name: tuple(points) for name, points in found.items()}


def names() -> list[str]:
    """The engine names installed, sorted."""
    return sorted(_declared())


def _declaration(name: str) -> tuple[EntryPoint, ...] | None:
    declared = _declared().get(name)
    if declared is None:
        _declared.cache_clear()  # installed since the group was read?
        declared = _declared().get(name)
    return declared


def _normalized(project: str) -> str:
    return re.sub(r"[-_.]+", "-", project).lower()


def _package(point: EntryPoint) -> str:
    dist = getattr(point, "dist", None)
    return str(dist.name) if dist is not None else point.value


def _project(point: EntryPoint) -> str:
    return _normalized(_package(point))


def engine_class(name: str, where: str = "voice") -> type[EngineClass]:
    """The class a voice's `engine = NAME` stands for; VoiceError, naming WHERE, if none is
    installed under that name, two are, or its module does not import."""
    declared = _declaration(name)
    if declared is None:
        known = ", ".join(names()) or "none"
        if not any(_project(p) == "podcast-pipeline" for points in _declared().values() for p in points):
            # not even the bundled ones: a source tree run without (current) package metadata
            raise VoiceError(
                f"{where}: unknown engine {name!r} (known: {known}; the bundled engines are not registered:"
                f" reinstall podcast-pipeline, e.g. `pip install -e .`, to write its {GROUP} entry points)"
            )
        raise VoiceError(f"{where}: unknown engine {name!r} (known: {known})")
    if len({point.value for point in declared}) > 1:
        packages = ", ".join(sorted({_package(point) for point in declared}))
        raise VoiceError(f"{where}: engine {name!r} is declared by more than one installed package ({packages})")
    point = declared[0]
    try:
        cls = point.load()
    except ImportError as exc:
        raise VoiceError(f"{where}: the {name} engine is not installed ({exc.name} is missing)") from None
    except AttributeError:
        raise VoiceError(f"{where}: the {name} engine's entry point {point.value!r} names no such class") from None
    return cls
