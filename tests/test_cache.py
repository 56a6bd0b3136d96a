"""The segment cache: what re-synthesizes, and what survives damage and races."""

import multiprocessing
import os
import time

import numpy as np
import pytest

from conftest import write
from pipeline._config import settings_for
from pipeline.parse.script import load_script
from pipeline.synthesis.cache import SegmentCache, cache_root, release_leases
from pipeline.synthesis.speech import synthesize
from pipeline.text import spoken

# Uses ffmpeg or eSpeak NG: CI runs these again with the distribution's own tools.
pytestmark = pytest.mark.tools

EPISODE = "First paragraph here.\n\nSecond paragraph, two. It has two sentences.\n\n## Next\n\nThird one.\n"


@pytest.fixture
def show(tmp_path, tone_voice):
    write(tmp_path / "podcast.toml", "[speech]\nvoice = 'tone'\n")
    write(tmp_path / "voices" / "tone.toml", 'engine = "tone"\nmodel = "m.bin"\n')
    write(tmp_path / "voices" / "slow.toml", 'engine = "tone"\nmodel = "m.bin"\n[synthesis]\nlength_scale = 1.2\n')
    write(tmp_path / "voices" / "m.bin", b"model bytes")
    return tmp_path


def render(show, text=EPISODE, **overrides):
    path = write(show / "ep.md", text)
    script = spoken.speak(load_script(path, settings_for(path), overrides))
    cache = SegmentCache(cache_root(script.settings.paths.cache, script.settings.show_dir, path))
    return synthesize(script, cache)


def test_unchanged_episode_synthesizes_nothing(show):
    first = render(show)
    assert (first.synthesized, first.from_cache) == (3, 0)
    again = render(show)
    assert (again.synthesized, again.from_cache) == (0, 3)
    assert [r.samples().tobytes() for r in first.segments] == [r.samples().tobytes() for r in again.segments]


def test_editing_one_paragraph_resynthesizes_exactly_it(show):
    render(show)
    edited = render(show, EPISODE.replace("Third one.", "Third one, edited."))
    assert [r.cached for r in edited.segments] == [True, True, False]


def test_music_and_loudness_changes_resynthesize_nothing(show):
    render(show)
    r = render(show, master={"loudness": -19.0, "channels": 1}, music={"intro": "none", "duck_db": -10.0})
    assert r.synthesized == 0


def test_changing_the_voice_resynthesizes_everything_it_speaks(show):
    render(show)
    assert render(show, speech={"voice": "slow"}).synthesized == 3


def test_model_bytes_are_in_the_key(show, monkeypatch):
    from conftest import ToneEngine

    render(show)
    from pipeline.synthesis.cache import model_digest

    monkeypatch.setattr(
        ToneEngine, "identity", staticmethod(lambda voice: {"m": model_digest(show / "voices" / "m.bin")})
    )
    assert render(show).synthesized == 3  # keyed by the model's hash: new entries
    assert render(show).synthesized == 0
    write(show / "voices" / "m.bin", b"retrained model bytes")
    assert render(show).synthesized == 3


def test_cache_lives_next_to_the_show(show, monkeypatch):
    monkeypatch.delenv("PODCAST_CACHE", raising=False)
    render(show)
    assert (show / ".podcast-cache" / "segments").is_dir()
    monkeypatch.setenv("PODCAST_CACHE", str(show / "elsewhere"))
    render(show)
    assert (show / "elsewhere" / "segments").is_dir()
    write(show / "podcast.toml", "[speech]\nvoice = 'tone'\n[paths]\ncache = 'set-in-toml'\n")
    render(show)
    assert (show / "set-in-toml" / "segments").is_dir()


def _entry_files(show):
    return sorted((show / ".podcast-cache" / "segments").glob("*/*.flac"))


@pytest.mark.parametrize("damage", ["truncate", "flip", "delete-audio", "garble-index"])
def test_corrupt_entries_are_discarded_and_resynthesized(show, caplog, monkeypatch, damage):
    monkeypatch.delenv("PODCAST_CACHE", raising=False)
    first = render(show)
    audio = _entry_files(show)[0]
    if damage == "truncate":
        audio.write_bytes(audio.read_bytes()[: audio.stat().st_size // 2])
    elif damage == "flip":
        data = bytearray(audio.read_bytes())
        data[len(data) // 2] ^= 0xFF
        audio.write_bytes(bytes(data))
    elif damage == "delete-audio":
        audio.unlink()
    else:
        audio.with_suffix(".json").write_text("{not json")
    again = render(show)
    assert again.synthesized == 1
    assert "is corrupt" in caplog.text
    assert [r.samples().tobytes() for r in again.segments] == [r.samples().tobytes() for r in first.segments]
    assert render(show).synthesized == 0  # the repaired entry is good


@pytest.mark.parametrize("damage", ["delete", "garble"])
def test_an_entry_that_breaks_after_it_was_checked_is_one_clear_error(tmp_path, damage):
    """Deleted or overwritten by hand between the lookup and the read: a CacheError naming the
    file, not soundfile's own exception (which `main` would call an internal error)."""
    from pipeline.errors import CacheError

    cache = SegmentCache(tmp_path)
    cache.put("cd" * 32, np.zeros(2205, np.int16), 22050, [("x", 0.0, 0.1)], 0.0, {})
    entry = cache.get("cd" * 32)
    assert entry is not None
    if damage == "delete":
        entry.audio.unlink()
    else:
        entry.audio.write_bytes(b"not FLAC at all")
    with pytest.raises(CacheError, match="went missing or changed while this render used it") as caught:
        cache.read(entry)
    assert caught.value.file == entry.audio


def _writer(root, key, n):
    cache = SegmentCache(root)
    samples = (np.sin(np.arange(22050) / 7) * 9000).astype(np.int16)
    for _ in range(n):
        cache.put(key, samples, 22050, [("x", 0.0, 1.0)], 0.0, {})
        entry = cache.get(key)
        assert entry is not None and np.array_equal(cache.read(entry), samples)


def test_concurrent_writers_of_one_key(tmp_path):
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(tmp_path, "ab" * 32, 20)) for _ in range(3)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
    assert [p.exitcode for p in procs] == [0, 0, 0]
    assert SegmentCache(tmp_path).get("ab" * 32) is not None
    assert not list(tmp_path.glob("segments/*/.tmp-*")) and not list(tmp_path.glob("segments/*/.*.part*"))


def test_info_and_prune(show, monkeypatch):
    monkeypatch.delenv("PODCAST_CACHE", raising=False)
    r = render(show)
    cache = SegmentCache(show / ".podcast-cache")
    info = cache.info()
    assert info["entries"] == 3 and info["bytes"] > 0 and info["voices"] == {"tone": 3}
    release_leases()  # the render is over: nothing protects its entries from a prune now
    keep = {r.segments[0].entry.key}
    assert cache.prune(keep=keep)["entries"] == 2
    assert cache.info()["entries"] == 1
    old = time.time() - 40 * 86400
    for meta in (show / ".podcast-cache" / "segments").glob("*/*.json"):
        os.utime(meta, (old, old))
    stale = show / ".podcast-cache" / "segments" / "00" / ".tmp-leftover"
    write(stale, b"half a write")
    os.utime(stale, (old, old))
    done = cache.prune(older_than=30 * 86400)
    assert done["entries"] == 1 and done["junk_files"] == 1 and not stale.exists()
    assert cache.info()["entries"] == 0


def test_lexicon_change_resynthesizes_only_changed_spoken_text(show):
    from pipeline import _stages as stages
    from pipeline._bodies import speak_stage

    def render_with_lexicon():
        path = show / "ep.md"
        script = stages.run([stages.parse_stage(stages.Options()), stages.Stage("spoken", speak_stage)], path)
        cache = SegmentCache(cache_root(script.settings.paths.cache, script.settings.show_dir, path))
        return synthesize(script, cache)

    write(show / "ep.md", "The statx call.\n\nNothing to change here.\n\nAlso statx again.\n")
    assert render_with_lexicon().synthesized == 3
    write(show / "lexicon.toml", "[words]\nstatx = 'stat x'\n")
    assert [r.cached for r in render_with_lexicon().segments] == [False, True, False]


@pytest.mark.parametrize(
    "damage",
    [
        "index-folder",
        "index-fifo",
        "index-list",
        "index-nested",
        "index-nan",
        "audio-folder",
        "audio-fifo",
        "audio-dev-zero",
    ],
)
def test_a_damaged_entry_of_any_shape_is_discarded_counted_and_pruned(tmp_path, caplog, damage):
    """get() discards it (a warning, None: synthesized again) without hanging or raising; scan()
    counts it as damaged (its files among the junk) whatever its age; prune() removes it."""
    import json
    import shutil

    cache = SegmentCache(tmp_path)
    key = "ef" * 32
    entry = cache.put(key, np.zeros(2205, np.int16), 22050, [("x", 0.0, 0.1)], 0.0, {"voice": "v"})
    audio, index = entry.audio, entry.audio.with_suffix(".json")
    target = index if damage.startswith("index") else audio
    target.unlink()
    if damage.endswith("folder"):
        target.mkdir()
        write(target / "inside", "x")
    elif damage.endswith("fifo"):
        os.mkfifo(target)
    elif damage == "audio-dev-zero":
        target.symlink_to("/dev/zero")
    elif damage == "index-list":
        write(target, "[1, 2]")
    elif damage == "index-nested":
        write(target, "[" * 100_000 + "]" * 100_000)
    else:
        write(target, '{"format": 2, "sha256": "x", "sample_rate": 22050, "frames": 5, "sentences": [], "onset": NaN}')
    info = cache.info()
    assert (info["entries"], info["damaged"], info["junk_files"]) == (0, 1, 2)
    assert cache.get(key) is None and "is corrupt" in caplog.text
    assert not os.path.lexists(audio) and not os.path.lexists(index)
    cache.put(key, np.zeros(2205, np.int16), 22050, [("x", 0.0, 0.1)], 0.0, {})
    assert cache.get(key) is not None
    # damaged again: prune removes it (and only it), folders too
    shutil.copy(index, tmp_path / "good.json")
    index.unlink()
    index.mkdir()
    done = cache.prune(older_than=1e9)
    assert (done["entries"], done["damaged"], done["junk_files"]) == (0, 1, 2)
    assert not os.path.lexists(index) and not os.path.lexists(audio)
    assert json.loads((tmp_path / "good.json").read_text())["format"] == 2


def test_a_file_where_a_cache_folder_belongs_is_replaced(tmp_path, caplog):
    cache = SegmentCache(tmp_path)
    key = "0a" * 32
    write(tmp_path / "segments" / "0a", "a file, not a folder")
    cache.put(key, np.zeros(100, np.int16), 22050, [("x", 0.0, 0.1)], 0.0, {})
    assert cache.get(key) is not None and "where a folder belongs" in caplog.text
