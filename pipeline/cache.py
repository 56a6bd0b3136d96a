"""The segment cache: synthesized speech, content-addressed.

An entry's key is a hash of everything that decides its samples: the engine,
the exact model (a hash of its files, not its name), the synthesis settings,
the sample rate, and the spoken text.  Music, mastering and the script's
other paragraphs are not in it, so changing them re-synthesizes nothing.

Each entry is `<key>.flac` (the audio) and `<key>.json` (sentence timings,
each sentence's word timings, onset, and the FLAC's own SHA-256).  An index
written before word timings existed (or by another version of their code,
`WORDS`) reads as an entry with `words` None, which the speech stage
synthesizes again (the same samples: synthesis is deterministic) to fill in.  Writes go to temporary files, are read
back and checked, then renamed: audio first, the JSON last, so the JSON is
the commit mark.  A reader checks the hash and the frame count, so a
truncated or damaged entry is never taken as valid: it is deleted, with a
warning, and the segment is synthesized again.  Two processes writing the
same key write the same bytes, so whichever rename lands last is fine.
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import logging
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

import numpy as np

from .errors import ConfigError

log = logging.getLogger(__name__)

FORMAT = 2  # bump when what an entry means changes; old entries are then never hit
WORDS = 1  # bump when word timings are computed differently: an index with others reads as without them
ENV = "PODCAST_CACHE"
STALE_TMP = 3600  # seconds after which a leftover temporary file is an interrupted write


@dataclass(frozen=True)
class Entry:
    key: str
    audio: Path
    sample_rate: int
    frames: int
    sentences: tuple[tuple[str, float, float], ...]  # (text, start, duration) within the segment
    onset: float
    # per sentence, its words as (token, start, end) within the segment; None: an older index without them
    words: tuple[tuple[tuple[str, float, float], ...], ...] | None = None

    @property
    def duration(self) -> float:
        return self.frames / self.sample_rate


def file_digest(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


@functools.lru_cache(maxsize=16)
def _memo_digest(path: str, size: int, mtime_ns: int) -> str:
    return file_digest(Path(path))


def model_digest(path: Path) -> str:
    """SHA-256 of a model file, hashed once per process per version of the file."""
    st = path.stat()
    return _memo_digest(str(path), st.st_size, st.st_mtime_ns)


def segment_key(parts: dict[str, Any]) -> str:
    blob = json.dumps({"format": FORMAT, **parts}, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


class SegmentCache:
    def __init__(self, root: Path):
        self.root = Path(root)

    def _paths(self, key: str) -> tuple[Path, Path]:
        folder = self.root / "segments" / key[:2]
        return folder / f"{key}.flac", folder / f"{key}.json"

    # ------------------------------------------------------------ reading

    def get(self, key: str) -> Entry | None:
        audio, meta_path = self._paths(key)
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            return self._discard(key, f"unreadable index ({exc})")
        try:
            if meta.get("format") != FORMAT:
                return self._discard(key, "written by another cache format")
            data = audio.read_bytes()
            if hashlib.sha256(data).hexdigest() != meta["sha256"]:
                return self._discard(key, "audio does not match its checksum")
            sentences = tuple((str(t), float(s), float(d)) for t, s, d in meta["sentences"])
            words = meta.get("words") if meta.get("words_version") == WORDS else None
            if words is not None:
                words = tuple(tuple((str(w), float(s), float(e)) for w, s, e in sentence) for sentence in words)
                if len(words) != len(sentences):
                    raise ValueError("word timings for another number of sentences")
            entry = Entry(key, audio, int(meta["sample_rate"]), int(meta["frames"]), sentences,
                          float(meta["onset"]), words)
        except FileNotFoundError:
            return self._discard(key, "audio file missing")
        except (KeyError, TypeError, ValueError) as exc:
            return self._discard(key, f"bad index ({exc})")
        now = time.time()
        try:
            os.utime(meta_path, (now, now))  # last use, for `cache prune --older-than`
        except OSError:
            pass
        return entry

    def _discard(self, key: str, reason: str) -> None:
        log.warning("cache entry %s… is corrupt (%s); discarding it and synthesizing again", key[:12], reason)
        for path in self._paths(key):
            try:
                path.unlink()
            except FileNotFoundError:
                pass
        return None

    @staticmethod
    def read(entry: Entry) -> np.ndarray:
        import soundfile

        samples, rate = soundfile.read(entry.audio, dtype="int16")
        if rate != entry.sample_rate or len(samples) != entry.frames:
            raise ValueError(f"cache entry {entry.key[:12]}… decodes to the wrong length")
        return samples

    # ------------------------------------------------------------ writing

    def put(self, key: str, samples: np.ndarray, sample_rate: int, sentences: Iterable[tuple[str, float, float]],
            onset: float, about: dict[str, Any],
            words: Iterable[Iterable[tuple[str, float, float]]] | None = None) -> Entry:
        import soundfile

        audio, meta_path = self._paths(key)
        audio.parent.mkdir(parents=True, exist_ok=True)
        buf = io.BytesIO()
        soundfile.write(buf, samples, sample_rate, format="FLAC", subtype="PCM_16")
        data = buf.getvalue()
        # Verify before commit: what we wrote must decode to what we synthesized.
        decoded, _ = soundfile.read(io.BytesIO(data), dtype="int16")
        if not np.array_equal(decoded, samples):
            raise OSError("FLAC round trip changed the audio")
        sentences = [list(s) for s in sentences]
        word_lists = None if words is None else [[list(w) for w in sentence] for sentence in words]
        meta = {"format": FORMAT, "sha256": hashlib.sha256(data).hexdigest(), "sample_rate": sample_rate,
                "frames": int(len(samples)), "sentences": sentences, "onset": onset, "created": time.time(), **about}
        if word_lists is not None:
            meta["words"], meta["words_version"] = word_lists, WORDS
        self._write_atomic(audio, data)
        self._write_atomic(meta_path, json.dumps(meta, ensure_ascii=False).encode("utf-8"))
        return Entry(key, audio, sample_rate, len(samples), tuple(tuple(s) for s in sentences), onset,
                     None if word_lists is None else tuple(tuple(tuple(w) for w in ws) for ws in word_lists))

    @staticmethod
    def _write_atomic(path: Path, data: bytes) -> None:
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, path)
        except BaseException:
            try:
                os.unlink(tmp)
            except FileNotFoundError:
                pass
            raise

    # ------------------------------------------------------------ mastered previews

    def preview_path(self, keys: Iterable[str], master: dict[str, Any]) -> Path:
        """Where the mastered preview of these entries at these settings is kept."""
        digest = segment_key({"preview": list(keys), "master": master})
        return self.root / "previews" / f"{digest}.wav"

    def keep_preview(self, path: Path, wav: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._write_atomic(path, wav.read_bytes())

    # ------------------------------------------------------------ housekeeping

    def entries(self) -> Iterable[tuple[str, Path, Path]]:
        for meta in sorted((self.root / "segments").glob("*/*.json")):
            yield meta.stem, meta.with_suffix(".flac"), meta

    def info(self) -> dict[str, Any]:
        count, size, voices, oldest, newest = 0, 0, {}, None, None
        for key, audio, meta_path in self.entries():
            count += 1
            for p in (audio, meta_path):
                try:
                    size += p.stat().st_size
                except FileNotFoundError:
                    pass
            try:
                meta = json.loads(meta_path.read_text(encoding="utf-8"))
                voices[meta.get("voice", "?")] = voices.get(meta.get("voice", "?"), 0) + 1
                duration = meta["frames"] / meta["sample_rate"]
            except (OSError, ValueError, KeyError, ZeroDivisionError):
                duration = 0.0
            used = meta_path.stat().st_mtime
            oldest = used if oldest is None else min(oldest, used)
            newest = used if newest is None else max(newest, used)
            voices.setdefault("_seconds", 0.0)
            voices["_seconds"] += duration
        seconds = voices.pop("_seconds", 0.0)
        return {"location": str(self.root), "entries": count, "bytes": size, "audio_seconds": round(seconds, 1),
                "voices": voices, "least_recently_used": oldest, "most_recently_used": newest}

    def prune(self, older_than: float | None = None, keep: set[str] | None = None) -> tuple[int, int]:
        """Delete entries unused for `older_than` seconds, or not in `keep`; and stale temporaries."""
        removed, freed = 0, 0
        now = time.time()
        for key, audio, meta_path in list(self.entries()):
            try:
                age = now - meta_path.stat().st_mtime
            except FileNotFoundError:
                continue
            if (older_than is not None and age > older_than) or (keep is not None and key not in keep):
                for p in (meta_path, audio):
                    try:
                        freed += p.stat().st_size
                        p.unlink()
                    except FileNotFoundError:
                        pass
                removed += 1
        for preview in (self.root / "previews").glob("*.wav"):
            try:
                if older_than is not None and now - preview.stat().st_mtime > older_than or keep is not None:
                    freed += preview.stat().st_size
                    preview.unlink()
            except FileNotFoundError:
                pass
        for tmp in [*(self.root / "segments").glob("*/.tmp-*"), *(self.root / "previews").glob(".tmp-*")]:
            try:
                if now - tmp.stat().st_mtime > STALE_TMP:
                    freed += tmp.stat().st_size
                    tmp.unlink()
            except FileNotFoundError:
                pass
        for audio in (self.root / "segments").glob("*/*.flac"):  # audio whose index never landed
            if not audio.with_suffix(".json").exists() and now - audio.stat().st_mtime > STALE_TMP:
                freed += audio.stat().st_size
                audio.unlink()
        return removed, freed


def cache_root(setting: str, show_dir: Path | None, episode: Path | None) -> Path:
    """Where the cache lives: the setting if one was made, else $PODCAST_CACHE,
    else `.podcast-cache` next to the show (its podcast.toml, or the episode)."""
    if setting != "default":
        return Path(setting)
    env = os.environ.get(ENV)
    if env:
        return Path(env).expanduser()
    base = show_dir or (episode.parent if episode is not None else None)
    if base is None:
        raise ConfigError("no cache location: set paths.cache in podcast.toml or $PODCAST_CACHE")
    return base / ".podcast-cache"
