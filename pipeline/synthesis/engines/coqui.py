"""Coqui TTS (the maintained `coqui-tts` fork): the podcaster's own VITS or XTTS models.

Optional: `pip install 'podcast-pipeline[coqui]'` brings PyTorch (several GB), so nothing
here imports torch or TTS until a Coqui voice actually speaks; without the
extra the rest of the project works and `podcast voices` says what to install.

A voice names a local model (`model_path` + `config_path`, a checkpoint file,
or a folder for XTTS) or a name from Coqui's catalogue (`model_name =
"tts_models/en/ljspeech/vits"`), which Coqui downloads on first use into its
own folder.  Offline, that download fails at once with a clear error instead
of waiting on a socket.

Reproducibility: VITS draws noise from torch's global generator, so each
sentence is seeded from its text and sentences are spoken one at a time
(under a lock; torch uses the cores inside each run instead).
"""

from __future__ import annotations

import functools
import importlib.metadata
import json
import logging
import os
import re
import socket
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Iterator

import numpy as np

from ..._fsutil import read_input, resolve_against
from ...errors import SynthesisError, VoiceError
from .base import AudioChunk, Voice, model_file

if TYPE_CHECKING:
    import torch
    from TTS.api import TTS

log = logging.getLogger(__name__)

INSTALL_HINT = "pip install 'podcast-pipeline[coqui]' (in a clone: make coqui)"
# tts_models/<language>/<dataset>/<model>, as `tts --list_models` prints them
CATALOGUE_NAME = re.compile(r"^tts_models/[\w.-]+/[\w.-]+/[\w.-]+$")
# Where catalogue models come from (tests point these at a closed port).
_DOWNLOAD_HOSTS = {"huggingface.co": ("huggingface.co", 443), "github.com": ("github.com", 443)}
_CONNECT_TIMEOUT = 10.0  # seconds to decide that there is no internet
_READ_TIMEOUT = 60.0  # a download that stalls this long fails instead of hanging
_LOCK = threading.Lock()  # torch's generator is global: one seeded run at a time


def missing() -> str | None:
    """What is not installed for this engine, or None when it can run."""
    for dist in ("coqui-tts", "torch", "torchaudio"):
        try:
            importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            return f"the Coqui engine needs the coqui extra ({dist} is not installed): {INSTALL_HINT}"
    return None


def is_catalogue_name(model: str) -> bool:
    return bool(CATALOGUE_NAME.match(model)) and not Path(model).exists()


class CoquiEngine:
    name = "coqui"
    concurrent = False  # one run at a time, each using the cores (see the module's docstring)
    seeded = True

    def __init__(self, voice: Voice, tts: TTS, sample_rate: int, speaker: str | None, language: str | None):
        self.voice = voice
        self._tts = tts
        self.sample_rate = sample_rate
        self._speaker = speaker
        self._language = language

    # ------------------------------------------------------------ the voice file

    @staticmethod
    def resolve_model(ref: str, base: Path, where: str) -> str:
        path = resolve_against(ref, base)
        if path.is_dir():
            return str(path.resolve())  # an XTTS folder
        if os.path.lexists(path):
            model_file(path, where)  # a checkpoint: a regular file (a FIFO would hang torch.load)
            return str(path.resolve())
        if CATALOGUE_NAME.match(ref):
            return ref
        raise VoiceError(
            f"{where}: model {path} does not exist (a Coqui catalogue name looks like tts_models/en/ljspeech/vits)"
        )

    @staticmethod
    def model_config(model: str, config: str | None, base: Path, where: str) -> str | None:
        if is_catalogue_name(model):
            if config:
                raise VoiceError(f"{where}: config_path belongs to a local model; {model} brings its own")
            return None
        if config:
            path = resolve_against(config, base)
        else:
            folder = Path(model) if Path(model).is_dir() else Path(model).parent
            path = folder / "config.json"
        if not os.path.lexists(path):
            raise VoiceError(f"{where}: Coqui model config {path} does not exist (set config_path)")
        _read_config(path, where)  # read and checked now: a broken one stops the voice loading
        return str(path.resolve())

    @staticmethod
    def identity(voice: Voice) -> dict:
        from ..cache import model_digest

        _require_installed(voice)
        model, config = _model_files(voice)
        files = sorted(p for p in model.rglob("*") if p.is_file()) if model.is_dir() else [model]
        extra = [Path(p) for p in (voice.speakers, voice.speaker_wav) if p]
        return {
            "files": [model_digest(p) for p in [*files, config, *extra]],
            "language": voice.language,
            "coqui": importlib.metadata.version("coqui-tts"),
            "torch": importlib.metadata.version("torch"),
        }

    @staticmethod
    def describe(voice: Voice) -> dict:
        """Read from the model's config.json: for a local model no torch import, so `podcast voices` stays quick."""
        _require_installed(voice)
        _, config = _model_files(voice)
        audio = _read_config(config, voice.file).get("audio", {})
        rate = audio.get("output_sample_rate") or audio.get("sample_rate") if isinstance(audio, dict) else None
        if not isinstance(rate, int) or isinstance(rate, bool) or not 8000 <= rate <= 192000:
            raise VoiceError(f"{voice.file}: {config} gives no audio.sample_rate (a rate in Hz, 8000 to 192000)")
        return {"sample_rate": rate, "backend": f"coqui-tts {importlib.metadata.version('coqui-tts')}"}

    # ------------------------------------------------------------ loading

    @classmethod
    def load(cls, voice: Voice, threads: int = 0) -> "CoquiEngine":
        _require_installed(voice)
        model, config = _model_files(voice)
        try:
            import torch
            from TTS.api import TTS
        except ImportError as exc:
            raise VoiceError(f"{voice.file}: the Coqui engine cannot start ({exc}); {INSTALL_HINT}") from None
        if threads:
            torch.set_num_threads(threads)
        if voice.speaker_wav:
            _ensure_audio_loading()
        try:
            tts = TTS(
                model_path=str(model), config_path=str(config), speakers_file_path=voice.speakers, progress_bar=False
            )
        except Exception as exc:  # torch/Coqui raise anything from KeyError to RuntimeError
            raise VoiceError(f"{voice.file}: cannot load Coqui model {model}: {_first_line(exc)}") from exc
        model_obj = tts.synthesizer.tts_model
        # The voice's synthesis settings, where the model has them (VITS does).
        for attr, value in (
            ("length_scale", voice.length_scale),
            ("inference_noise_scale", voice.noise_scale),
            ("inference_noise_scale_dp", voice.noise_w_scale),
        ):
            if value is not None and hasattr(model_obj, attr):
                setattr(model_obj, attr, value)
        speaker = _speaker(voice, tts)
        language = _language(voice, tts)
        if tts.is_multi_speaker and speaker is None and not voice.speaker_wav:
            raise VoiceError(
                f"{voice.file}: the model has several speakers; choose one with speaker = "
                f"(known: {', '.join(map(str, tts.speakers or [])) or '?'}) or give speaker_wav"
            )
        log.debug(
            "loaded Coqui model %s (%d Hz, speaker %s, language %s, %d threads)",
            model,
            tts.synthesizer.output_sample_rate,
            speaker,
            language,
            torch.get_num_threads(),
        )
        return cls(voice, tts, int(tts.synthesizer.output_sample_rate), speaker, language)

    # ------------------------------------------------------------ synthesis

    def synthesize(self, text: str, seed: int) -> Iterator[AudioChunk]:
        import torch

        with _LOCK, torch.inference_mode():
            torch.manual_seed(seed & 0x7FFF_FFFF_FFFF_FFFF)
            try:
                wav = self._tts.tts(
                    text,
                    speaker=self._speaker,
                    language=self._language,
                    speaker_wav=self.voice.speaker_wav,
                    split_sentences=False,
                )
            except Exception as exc:
                raise SynthesisError(f"Coqui failed on {text[:60]!r}: {_first_line(exc)}") from exc
        samples = np.asarray(wav, dtype=np.float32).reshape(-1)
        yield AudioChunk(np.clip(np.round(samples * 32767.0), -32767, 32767).astype(np.int16), self.sample_rate)


# ---------------------------------------------------------------- helpers


def _require_installed(voice: Voice) -> None:
    problem = missing()
    if problem:
        raise VoiceError(f"{voice.file}: {problem}")


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0][:200]}" if text else type(exc).__name__


def _ensure_audio_loading() -> None:
    """Let Coqui read the speaker_wav without FFmpeg's shared libraries.

    torchaudio >= 2.9 reads audio only through torchcodec, which needs the
    system's libavcodec; this project ships a static ffmpeg binary instead,
    so on a machine without those libraries cloning would fail at the first
    sentence.  Then torchaudio.load is pointed at soundfile (WAV, FLAC, OGG),
    returning what torchaudio returns: (float32 [channels, frames], rate).
    """
    import torchaudio

    try:
        importlib.import_module("torchcodec.decoders")  # loads libtorchcodec, i.e. FFmpeg's libraries
        return
    except Exception:  # RuntimeError when no FFmpeg libraries load
        pass
    if getattr(torchaudio.load, "_podcast_fallback", False):
        return

    def load(uri: str | os.PathLike[str] | BinaryIO, *args: Any, **kwargs: Any) -> tuple[torch.Tensor, int]:
        import soundfile
        import torch

        data, rate = soundfile.read(uri, dtype="float32", always_2d=True)
        return torch.from_numpy(np.ascontiguousarray(data.T)), rate

    load._podcast_fallback = True  # type: ignore[attr-defined]
    torchaudio.load = load
    log.debug("torchcodec cannot load FFmpeg here; reading speaker_wav with soundfile")


def _read_config(path: Path, where: str) -> dict:
    """A Coqui model's config.json: a JSON object, or VoiceError naming it."""
    model_file(path, where, "model config")
    try:
        data = json.loads(read_input(path, "model config").decode("utf-8"))
    except (OSError, ValueError) as exc:
        raise VoiceError(f"{where}: cannot read Coqui model config {path}: {str(exc)[:200]}") from None
    except RecursionError:
        raise VoiceError(f"{where}: Coqui model config {path}: JSON nested too deeply") from None
    if not isinstance(data, dict):
        raise VoiceError(f"{where}: Coqui model config {path}: not a model config (a JSON object)")
    return data


def _speaker(voice: Voice, tts: Any) -> str | None:
    if voice.speaker is None:
        return None
    names = list(tts.speakers or [])
    if not names:
        raise VoiceError(f"{voice.file}: speaker = {voice.speaker!r}, but the model has one speaker")
    if isinstance(voice.speaker, int) and voice.speaker not in names:
        if not 0 <= voice.speaker < len(names):
            raise VoiceError(f"{voice.file}: speaker {voice.speaker} is out of range (0-{len(names) - 1})")
        return names[voice.speaker]
    if voice.speaker not in names:
        raise VoiceError(f"{voice.file}: the model has no speaker {voice.speaker!r} (known: {', '.join(names)})")
    return str(voice.speaker)


def _language(voice: Voice, tts: Any) -> str | None:
    """The voice's language as the model names it ("en_US" -> "en"); None for a one-language model."""
    if not tts.is_multi_lingual:
        return None
    known = list(tts.languages or [])
    for candidate in (voice.language, voice.language.replace("_", "-").lower(), voice.language.split("_")[0].lower()):
        if candidate in known or not known:
            return candidate
    raise VoiceError(f"{voice.file}: the model does not speak {voice.language!r} (known: {', '.join(known)})")


@functools.lru_cache(maxsize=8)
def _model_files(voice: Voice) -> tuple[Path, Path]:
    """(checkpoint file or folder, config.json), fetching a catalogue model on first use."""
    if not is_catalogue_name(voice.model):
        return Path(voice.model), Path(voice.config or "")
    try:
        from TTS.utils.manage import ModelManager
    except ImportError as exc:
        raise VoiceError(f"{voice.file}: the Coqui engine cannot start ({exc}); {INSTALL_HINT}") from None

    manager = ModelManager(progress_bar=False)
    try:
        item, full_name, _ = manager._set_model_item(voice.model)
    except (KeyError, ValueError):
        raise VoiceError(
            f"{voice.file}: {voice.model!r} is not in Coqui's model catalogue (Coqui's `tts --list_models` lists it)"
        ) from None
    if item.get("default_vocoder"):
        raise VoiceError(
            f"{voice.file}: {voice.model} needs a separate vocoder model; use an end-to-end model (VITS, XTTS)"
        )
    folder = Path(manager.output_prefix) / full_name
    if item.get("tos_required") and not manager.tos_agreed(item, folder):
        # Coqui would ask on stdin, which a batch worker does not have.
        raise VoiceError(
            f"{voice.file}: {voice.model} has a licence to accept first: read it, then set "
            "COQUI_TOS_AGREED=1 (or download the model once with Coqui's `tts` command)"
        )
    # Catalogue models from GitHub land in `folder`; Hugging Face ones (XTTS) in HF's cache.
    if not (_in_hf_cache(item) if "repo_id" in item else folder.is_dir()):
        _check_connection(voice, "huggingface.co" if "repo_id" in item else "github.com")
        log.info("downloading Coqui model %s (once; later renders use the downloaded copy)", voice.model)
    previous = socket.getdefaulttimeout()
    socket.setdefaulttimeout(_READ_TIMEOUT)  # Coqui's own downloads set none
    try:
        model, config, _ = manager.download_model(voice.model)
    except Exception as exc:
        raise VoiceError(
            f"{voice.file}: Coqui model {voice.model} is not downloaded and fetching it failed "
            f"({_first_line(exc)}); download it where there is internet, or give model_path "
            "and config_path of local files"
        ) from exc
    finally:
        socket.setdefaulttimeout(previous)
    return Path(model), Path(config)


def _in_hf_cache(item: dict) -> bool:
    from huggingface_hub import snapshot_download

    try:
        snapshot_download(
            item["repo_id"], allow_patterns=item.get("allow"), ignore_patterns=item.get("ignore"), local_files_only=True
        )
        return True
    except Exception:  # LocalEntryNotFoundError, or an incomplete snapshot
        return False


def _check_connection(voice: Voice, host: str) -> None:
    """Fail at once where there is no internet, instead of leaving a download to hang."""
    try:
        socket.create_connection(_DOWNLOAD_HOSTS.get(host, (host, 443)), timeout=_CONNECT_TIMEOUT).close()
        return
    except OSError as exc:
        reason = exc
    raise VoiceError(
        f"{voice.file}: Coqui model {voice.model} is not downloaded and cannot be fetched "
        f"(no connection: {reason}); download it where there is internet, or give "
        "model_path and config_path of local files"
    )
