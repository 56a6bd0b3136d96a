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

import contextlib
import errno
import functools
import hashlib
import io
import json
import logging
import math
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator

import numpy as np

from .._config import DEFAULT
from .._fsutil import (
    check_input,
    input_problem,
    lock_is_free,
    open_input,
    read_input,
    read_json,
    remove,
    write_bytes_atomic,
)
from ..errors import CacheError, ConfigError

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


def _entry(key: str, audio: Path, meta: dict[str, Any]) -> Entry:
    """The entry an index describes; KeyError, TypeError or ValueError for one of the wrong shape."""
    finite = _finite
    sentences = tuple((str(t), finite(s), finite(d)) for t, s, d in meta["sentences"])
    words = meta.get("words") if meta.get("words_version") == WORDS else None
    if words is not None:
        words = tuple(tuple((str(w), finite(s), finite(e)) for w, s, e in sentence) for sentence in words)
        if len(words) != len(sentences):
            raise ValueError("word timings for another number of sentences")
    rate, frames = meta["sample_rate"], meta["frames"]
    if not isinstance(rate, int) or isinstance(rate, bool) or not 1000 <= rate <= 384000:
        raise ValueError(f"sample rate {rate!r}")
    if not isinstance(frames, int) or isinstance(frames, bool) or frames < 0:
        raise ValueError(f"frame count {frames!r}")
    if not isinstance(meta.get("sha256"), str):
        raise ValueError("no checksum")
    return Entry(key, audio, rate, frames, sentences, finite(meta["onset"]), words)


def _finite(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueError(f"not a finite number: {str(value)[:40]}")
    return float(value)


def file_digest(path: Path) -> str:
    h = hashlib.sha256()
    with open_input(path, "model file") as f:
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


_WRITE_REFUSED = (errno.EACCES, errno.EPERM, errno.EROFS)
_HELD_LEASES: list[tuple[int, str]] = []  # (lock fd, file) of this process's leases; see release_leases()


class SegmentCache:
    def __init__(self, root: Path, spill: Path | None = None):
        self.root = Path(root)
        # Where new speech goes when the cache cannot be written (read-through): the run's work folder.
        self.spill = spill
        self.read_only = False

    def require_folder(self) -> None:
        """Refuse a cache location that is not a folder (a regular file, a FIFO), before any work."""
        path = self.root
        while not path.exists() and path != path.parent:
            path = path.parent
        if path == self.root and not path.is_dir():
            raise ConfigError(f"the segment cache is not a folder (set paths.cache or ${ENV} to one)", file=path)
        if not path.is_dir():
            raise ConfigError(
                f"not a folder, so the segment cache {self.root} cannot be made (set paths.cache or ${ENV})",
                file=path,
            )

    def _paths(self, key: str) -> tuple[Path, Path]:
        folder = self.root / "segments" / key[:2]
        return folder / f"{key}.flac", folder / f"{key}.json"

    # ------------------------------------------------------------ reading

    def get(self, key: str) -> Entry | None:
        """The entry of `key`, checked against its checksum; None when there is none.  A damaged
        one (unreadable, of the wrong shape, a FIFO or a folder in a file's place) is
        discarded with a warning: the segment is synthesized again."""
        audio, meta_path = self._paths(key)
        if not os.path.lexists(meta_path):
            return None
        try:
            meta = read_json(meta_path, "cache index")
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            return self._discard(key, f"unreadable index: {input_problem(exc, 'cache index')}")
        try:
            if not isinstance(meta, dict):
                raise ValueError("not a JSON object")
            if meta.get("format") != FORMAT:
                return self._discard(key, "written by another cache format")
            entry = _entry(key, audio, meta)
        except (KeyError, TypeError, ValueError) as exc:
            return self._discard(key, f"bad index ({str(exc)[:100]})")
        try:
            data = read_input(audio, "cache audio")
        except FileNotFoundError:
            return self._discard(key, "audio file missing")
        except (OSError, ValueError) as exc:
            return self._discard(key, f"audio {input_problem(exc, 'cache audio')}")
        if hashlib.sha256(data).hexdigest() != meta.get("sha256"):
            return self._discard(key, "audio does not match its checksum")
        now = time.time()
        try:
            os.utime(meta_path, (now, now))  # last use, for `cache prune --older-than`
        except OSError:
            pass
        return entry

    def _discard(self, key: str, reason: str) -> Entry | None:  # always None: "nothing kept here"
        log.warning("cache entry %s… is corrupt (%s); discarding it and synthesizing again", key[:12], reason)
        for path in self._paths(key):
            try:
                remove(path)  # a folder or a FIFO in a file's place too
            except OSError:  # a read-only cache: it is just not used
                pass
        return None

    @staticmethod
    def read(entry: Entry) -> np.ndarray:
        import soundfile

        try:
            data = read_input(entry.audio, "cache audio")
            samples, rate = soundfile.read(io.BytesIO(data), dtype="int16")
        except (OSError, ValueError, soundfile.SoundFileError) as exc:  # removed or overwritten after get() checked it
            reason = "deleted" if not entry.audio.exists() else getattr(exc, "error_string", None) or str(exc)
            raise CacheError(
                f"cache entry {entry.key[:12]}… went missing or changed while this render used it "
                f"({reason.strip().rstrip('.')}); render again",
                file=entry.audio,
            ) from None
        if rate != entry.sample_rate or len(samples) != entry.frames:
            raise CacheError(
                f"cache entry {entry.key[:12]}… decodes to the wrong length "
                f"(`podcast cache prune --older-than 0` clears the cache)",
                file=entry.audio,
            )
        return samples

    # ------------------------------------------------------------ writing

    def put(
        self,
        key: str,
        samples: np.ndarray,
        sample_rate: int,
        sentences: Iterable[tuple[str, float, float]],
        onset: float,
        about: dict[str, Any],
        words: Iterable[Iterable[tuple[str, float, float]]] | None = None,
    ) -> Entry:
        import soundfile

        audio, meta_path = self._paths(key)
        buf = io.BytesIO()
        soundfile.write(buf, samples, sample_rate, format="FLAC", subtype="PCM_16")
        data = buf.getvalue()
        # Verify before commit: what we wrote must decode to what we synthesized.
        decoded, _ = soundfile.read(io.BytesIO(data), dtype="int16")
        if not np.array_equal(decoded, samples):
            raise CacheError("FLAC round trip changed the audio", file=self.root)
        rows = [(str(t), float(s), float(d)) for t, s, d in sentences]
        word_rows = (
            None
            if words is None
            else tuple(tuple((str(t), float(s), float(e)) for t, s, e in sentence) for sentence in words)
        )
        word_lists = None if word_rows is None else [[list(w) for w in sentence] for sentence in word_rows]
        meta = {
            "format": FORMAT,
            "sha256": hashlib.sha256(data).hexdigest(),
            "sample_rate": sample_rate,
            "frames": int(len(samples)),
            "sentences": [list(r) for r in rows],
            "onset": onset,
            "created": time.time(),
            **about,
        }
        if word_lists is not None:
            meta["words"], meta["words_version"] = word_lists, WORDS
        if not self.read_only:
            try:
                self._make_folder(audio.parent)
                write_bytes_atomic(audio, data, durable=True)
                write_bytes_atomic(meta_path, json.dumps(meta, ensure_ascii=False).encode("utf-8"), durable=True)
            except OSError as exc:
                if exc.errno in (errno.ENOSPC, errno.EDQUOT) and exc.filename is None:
                    raise OSError(exc.errno, exc.strerror, str(self.root)) from None  # name the cache
                if exc.errno not in _WRITE_REFUSED or self.spill is None:
                    raise
                self._go_read_only(exc)
        if self.read_only:  # read-through: the audio lives in the run's work folder, not in the cache
            assert self.spill is not None
            self.spill.mkdir(parents=True, exist_ok=True)
            audio = self.spill / f"{key}.flac"
            audio.write_bytes(data)
        return Entry(
            key,
            audio,
            sample_rate,
            len(samples),
            tuple(rows),
            onset,
            word_rows,
        )

    def _make_folder(self, folder: Path) -> None:
        """`folder` (inside the cache) made; a file where one of its folders belongs is damage: removed."""
        for path in [*reversed(folder.relative_to(self.root).parents), folder.relative_to(self.root)]:
            here = self.root / path
            if path != Path(".") and os.path.lexists(here) and (here.is_symlink() or not here.is_dir()):
                log.warning("the cache holds %s where a folder belongs; removing it", here)
                remove(here)
        folder.mkdir(parents=True, exist_ok=True)

    def _go_read_only(self, exc: OSError) -> None:
        if not self.read_only:
            self.read_only = True
            log.warning(
                "the cache %s cannot be written (%s): using it read-only; new speech is synthesized but not stored",
                self.root,
                exc.strerror,
            )

    # ------------------------------------------------------------ verification takes

    def _take_path(self, key: str) -> Path:
        return self.root / "takes" / key[:2] / f"{key}.json"

    def chosen_take(self, key: str) -> int:
        """The take a verification chose for the segment whose first take is `key` (0: the first)."""
        try:
            attempt = read_json(self._take_path(key), "take record")["attempt"]
            if not isinstance(attempt, int) or isinstance(attempt, bool) or attempt < 0:
                raise ValueError(attempt)
            return attempt
        except FileNotFoundError:
            return 0
        except (OSError, ValueError, KeyError, TypeError):
            log.warning("take record %s… is unreadable; using the first take", key[:12])
            return 0

    def choose_take(self, key: str, attempt: int, record: dict[str, Any]) -> None:
        """Record that renders of this segment use take `attempt` (with why: the verification's scores)."""
        path = self._take_path(key)
        self._make_folder(path.parent)
        if os.path.lexists(path) and not path.is_file():
            remove(path)
        write_bytes_atomic(path, json.dumps({"attempt": attempt, **record}, ensure_ascii=False).encode("utf-8"))

    # ------------------------------------------------------------ mastered previews

    def preview_path(self, keys: Iterable[str], master: dict[str, Any]) -> Path:
        """Where the mastered preview of these entries at these settings is kept."""
        digest = segment_key({"preview": list(keys), "master": master})
        return self.root / "previews" / f"{digest}.wav"

    def keep_preview(self, path: Path, wav: Path) -> None:
        if self.read_only:
            return
        try:
            self._make_folder(path.parent)
            if os.path.lexists(path) and (path.is_symlink() or not path.is_file()):
                remove(path)  # a folder or a FIFO where a preview belongs: damage
            write_bytes_atomic(path, wav.read_bytes(), durable=True)
        except OSError as exc:
            if exc.errno not in _WRITE_REFUSED:
                raise
            self._go_read_only(exc)

    # ------------------------------------------------------------ leases

    def hold(self, keys: Iterable[str]) -> None:
        """Protect `keys` from a concurrent `prune` until `release_leases()` (or this process ends).

        A lease is a file under `leases/` listing the keys, locked for as long as it is
        held; the kernel drops the lock when its holder dies, so a dead render's lease
        protects nothing.  It is written under the shared side of `prune.lock`, which a
        prune holds exclusively while it decides and deletes: so a lease is either seen
        by a running prune or written after that prune is done."""
        if self.read_only:
            return
        import fcntl

        leases = self.root / "leases"
        try:
            self._make_folder(leases)  # a file where the folder belongs is damage: removed
            with _locked(self.root / "prune.lock", fcntl.LOCK_SH):
                fd, path = tempfile.mkstemp(prefix=f"{os.getpid()}-", suffix=".lease", dir=leases)
                fcntl.flock(fd, fcntl.LOCK_EX)
                os.write(fd, json.dumps(sorted(set(keys))).encode("ascii"))
        except OSError as exc:
            if exc.errno not in _WRITE_REFUSED:
                raise
            self._go_read_only(exc)  # nobody can prune a cache nobody can write
            return
        _HELD_LEASES.append((fd, path))

    def _live_leases(self) -> tuple[set[str], list[Path]]:
        """(keys held by live renders, lease files of dead ones)."""
        held: set[str] = set()
        dead: list[Path] = []
        for lease in (self.root / "leases").glob("*.lease"):
            if lock_is_free(lease, shared=True):
                dead.append(lease)
                continue
            try:
                keys = read_json(lease, "lease")
                held.update(k for k in keys if isinstance(k, str))
            except (OSError, ValueError, TypeError):
                pass  # being written: its holder has the prune lock's shared side, so we do not run now
        return held, dead

    # ------------------------------------------------------------ housekeeping

    def entries(self) -> Iterable[tuple[str, Path, Path]]:
        """Complete entries: an index with its audio beside it (not checked: see `scan`)."""
        for meta in sorted((self.root / "segments").glob("*/*.json")):
            if meta.with_suffix(".flac").is_file():
                yield meta.stem, meta.with_suffix(".flac"), meta

    def _summary(self, key: str, audio: Path, meta_path: Path) -> tuple[str, float] | None:
        """(voice, seconds) of a sound entry; None for a damaged one: an index or audio that is
        no regular file (a folder, a FIFO), an index that is no JSON or of the wrong shape."""
        try:
            meta = read_json(meta_path, "cache index")
            if not isinstance(meta, dict):
                return None
            entry = _entry(key, audio, meta)
            check_input(audio, "cache audio")
        except (OSError, KeyError, TypeError, ValueError):
            return None
        voice = meta.get("voice", "?")
        return (voice if isinstance(voice, str) else "?"), entry.duration

    def scan(self, now: float | None = None) -> dict[str, Any]:
        """What the cache holds, as `info` shows it and `prune` counts it: entries,
        mastered previews, and junk (what an interrupted write left: temporaries and
        half-entries older than an hour, dead leases; fresher ones may be a live write;
        and damaged entries, whatever their age: an index and its audio are renamed into
        place whole, so one that does not read is no write in progress)."""
        now = time.time() if now is None else now
        entries = []
        damaged: list[tuple[str, list[tuple[Path, int]]]] = []
        halves: list[Path] = []
        keys: dict[str, dict[str, Path]] = {}
        for path in (self.root / "segments").glob("*/*"):
            if path.suffix in (".json", ".flac") and not path.name.startswith("."):
                keys.setdefault(path.stem, {})[path.suffix] = path
        for key in sorted(keys):
            found = keys[key]
            if len(found) < 2:
                halves.extend(found.values())  # an interrupted write (or the other half deleted)
                continue
            audio, meta_path = found[".flac"], found[".json"]
            try:
                size = _size_of(audio) + _size_of(meta_path)
                used = meta_path.lstat().st_mtime
            except FileNotFoundError:
                continue
            summary = self._summary(key, audio, meta_path)
            if summary is None:
                damaged.append((key, [(meta_path, _size_of(meta_path)), (audio, _size_of(audio))]))
                continue
            entries.append((key, audio, meta_path, size, used, summary))
        previews = []
        for preview in (self.root / "previews").glob("*.wav"):
            with contextlib.suppress(FileNotFoundError):
                if preview.is_symlink() or not preview.is_file():
                    damaged.append((preview.stem, [(preview, _size_of(preview))]))
                    continue
                st = preview.stat()
                previews.append((preview, st.st_size, st.st_mtime))
        junk = []
        # Temporaries of writes that never finished (_fsutil.atomic_path's, and the older `.tmp-*`).
        stale = [
            *(self.root / "segments").glob("*/.tmp-*"),
            *(self.root / "previews").glob(".tmp-*"),
            *(self.root / "segments").glob("*/.*.part*"),
            *(self.root / "previews").glob(".*.part*"),
            *halves,
        ]
        for path in stale:
            with contextlib.suppress(FileNotFoundError):
                if now - path.lstat().st_mtime > STALE_TMP:
                    junk.append((path, _size_of(path)))
        for lease in self._live_leases()[1]:
            with contextlib.suppress(FileNotFoundError):
                junk.append((lease, _size_of(lease)))
        junk += [file for _, files in damaged for file in files]
        return {"entries": entries, "previews": previews, "junk": junk, "damaged": damaged}

    def info(self) -> dict[str, Any]:
        found = self.scan()
        voices: dict[str, int] = {}
        seconds = 0.0
        for *_, (voice, duration) in found["entries"]:
            voices[voice] = voices.get(voice, 0) + 1
            seconds += duration
        used = [e[4] for e in found["entries"]]
        return {
            "location": str(self.root),
            "entries": len(found["entries"]),
            "bytes": sum(e[3] for e in found["entries"]),
            "audio_seconds": round(seconds, 1),
            "voices": voices,
            "least_recently_used": min(used, default=None),
            "most_recently_used": max(used, default=None),
            "previews": len(found["previews"]),
            "preview_bytes": sum(p[1] for p in found["previews"]),
            "junk_files": len(found["junk"]),
            "junk_bytes": sum(j[1] for j in found["junk"]),
            # damaged entries and previews (their files are among the junk, which `prune` removes)
            "damaged": len(found["damaged"]),
        }

    def prune(self, older_than: float | None = None, keep: set[str] | None = None) -> dict[str, int]:
        """Delete entries unused for `older_than` seconds, or not in `keep`, except those a live
        render holds (see `hold`); and all junk.  Counts as `info` reports them."""
        import fcntl

        now = time.time()
        done = {
            "entries": 0,
            "bytes": 0,
            "previews": 0,
            "preview_bytes": 0,
            "junk_files": 0,
            "junk_bytes": 0,
            "held": 0,
            "damaged": 0,
        }
        if not (self.root / "segments").is_dir() and not (self.root / "previews").is_dir():
            return done
        with _locked(self.root / "prune.lock", fcntl.LOCK_EX):
            held, _ = self._live_leases()
            found = self.scan(now)
            for key, audio, meta_path, size, used, _ in found["entries"]:
                if not ((older_than is not None and now - used > older_than) or (keep is not None and key not in keep)):
                    continue
                if key in held:
                    done["held"] += 1
                    continue
                for p in (meta_path, audio):  # the index first: without it the audio is never used
                    remove(p)
                done["entries"] += 1
                done["bytes"] += size
            for preview, size, used in found["previews"]:
                if (older_than is not None and now - used > older_than) or keep is not None:
                    with contextlib.suppress(FileNotFoundError):
                        preview.unlink()
                        done["previews"] += 1
                        done["preview_bytes"] += size
            for path, size in found["junk"]:
                if os.path.lexists(path):
                    remove(path)  # a folder or a FIFO where a file belongs too
                    done["junk_files"] += 1
                    done["junk_bytes"] += size
            done["damaged"] = len(found["damaged"])
            for take in (self.root / "takes").glob("*/*.json"):  # the first take is gone: so is the choice
                if not self._paths(take.stem)[1].exists():
                    remove(take)
        return done


def _size_of(path: Path) -> int:
    """Bytes `path` takes: a file's size, a folder's files' (what removing it frees); 0 when gone."""
    try:
        if not path.is_symlink() and path.is_dir():
            return sum(f.lstat().st_size for f in path.rglob("*") if not f.is_dir() or f.is_symlink())
        return path.lstat().st_size
    except OSError:  # removed meanwhile, or a folder we may not look into
        return 0


def release_leases() -> None:
    """Drop every lease this process holds (a batch worker, between episodes)."""
    while _HELD_LEASES:
        fd, path = _HELD_LEASES.pop()
        with contextlib.suppress(OSError):
            os.unlink(path)
        with contextlib.suppress(OSError):
            os.close(fd)


@contextlib.contextmanager
def _locked(path: Path, how: int) -> Iterator[None]:
    import fcntl

    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    try:
        fcntl.flock(fd, how)
        yield
    finally:
        os.close(fd)


def cache_root(setting: str, show_dir: Path | None, episode: Path | None) -> Path:
    """Where the cache lives: the setting if one was made, else $PODCAST_CACHE,
    else `.podcast-cache` next to the show (its podcast.toml, or the episode)."""
    if setting != DEFAULT:
        return Path(setting)
    env = os.environ.get(ENV)
    if env:
        return Path(env).expanduser()
    base = show_dir or (episode.parent if episode is not None else None)
    if base is None:
        raise ConfigError("no cache location: set paths.cache in podcast.toml or $PODCAST_CACHE")
    return base / ".podcast-cache"


def show_cache_root(settings: Any) -> Path:
    """The cache of the show whose settings these are, seen from here (`podcast cache`,
    `podcast doctor`); a render finds its episode's with `cache_root` the same way."""
    return cache_root(settings.paths.cache, settings.show_dir, Path.cwd() / "episode")
