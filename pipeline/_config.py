"""Settings: frozen dataclasses whose field defaults are the only defaults.

Precedence, lowest to highest: these defaults, the show's `podcast.toml`,
the episode's front matter, command-line flags.  Every layer goes through
`apply()`, so type checks and path resolution happen in one place.
"""

from __future__ import annotations

import dataclasses
import math
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping, TypeGuard

from . import _tomlfile as tomlfile
from ._fsutil import resolve_against
from ._showmeta import setting_problem
from .errors import ConfigError

CONFIG_NAME = "podcast.toml"

# The two words a path setting may take instead of a path, each only where it means something
# (the `words` of its `_path`): elsewhere either would silently be a folder of that name.
DEFAULT = "default"  # the bundled or conventional choice (the generated jingle, .podcast-cache)
NONE = "none"  # nothing at all


def is_none(value: str | None) -> bool:
    """A file setting that asks for nothing (unset, or "none")."""
    return value is None or value == NONE


def is_media_file(value: str | None) -> TypeGuard[str]:
    """A file setting that names a file of the user's (not "default", not "none")."""
    return not is_none(value) and value != DEFAULT


def _path(default: str | None = None, words: tuple[str, ...] = (), kind: str = "file") -> Any:
    """A setting that names a file or folder (`kind`): relative values resolve against
    the file that set them (podcast.toml's folder, or the episode's).  `words`: which of
    DEFAULT and NONE it takes instead of a path."""
    return field(default=default, metadata={"path": kind, "words": words})


def _table(form: str) -> Any:
    """A setting that is a TOML table of text; `form` is one entry as written (for messages)."""
    return field(default_factory=dict, metadata={"mapping": form})


@dataclass(frozen=True)
class ShowSettings:
    title: str = ""
    author: str = ""
    artwork: str | None = _path(words=(NONE,))  # "none": no art (an episode's, over the show's)
    language: str = "en"
    genre: str = "Podcast"
    # Publishing (the feed; see _showmeta.py for the rules): empty means not set.
    description: str = ""
    owner_name: str = ""
    owner_email: str = ""
    categories: tuple[str, ...] = ()  # Apple Podcasts categories: "Technology", "Arts/Books"
    explicit: bool = False
    website: str = ""
    base_url: str = ""  # public http(s) URL the outputs are served from
    feed_url: str = ""  # default: base_url + /feed.xml
    copyright: str = ""
    guid: str = ""  # podcast:guid; default: derived from the feed URL (Podcasting 2.0)
    type: str = "episodic"  # or serial
    locked: bool = False  # podcast:locked: other hosts may not import the feed
    speaker_names: dict[str, str] = _table('HOST = "Display Name"')  # label -> display name
    # podcast:person per speaker label (and "narrator"): role (default: host for the narrator,
    # guest for the others), and an image and a page when given.
    speaker_roles: dict[str, str] = _table('HOST = "host"')
    speaker_images: dict[str, str] = _table('HOST = "https://example.com/host.jpg"')
    speaker_links: dict[str, str] = _table('HOST = "https://example.com/host"')
    # Every episode is synthetic speech: a sentence saying so in each description and show
    # notes, unless the show turns it off (and `podcast check` warns when it does).
    ai_disclosure: bool = True
    ai_disclosure_text: str = ""  # default: _notes.DEFAULT_DISCLOSURE
    ai_disclosure_spoken: str = "none"  # or "start" / "end": the line below as the first or last words
    ai_disclosure_line: str = "This episode is read by a synthetic voice."  # in the show's voice
    chapters_in_description: bool = True  # "00:00 Title" lines (three chapters or more), as Spotify reads
    new_feed_url: str = ""  # itunes:new-feed-url: where the show has moved
    season_names: dict[str, str] = _table('1 = "Season name"')  # "1" -> name
    license: str = ""  # podcast:license: an SPDX identifier or a name
    license_url: str = ""
    funding_url: str = ""  # podcast:funding
    funding_text: str = "Support the show"
    medium: str = "podcast"  # podcast:medium
    txt: tuple[str, ...] = ()  # podcast:txt records (ownership tokens a directory asks for)
    analytics_prefix: str = ""  # e.g. https://op3.dev/e/: put before each enclosure URL (without its scheme)

    @property
    def cover(self) -> str | None:
        """The artwork file, if there is one (not unset, not "none")."""
        return self.artwork if is_media_file(self.artwork) else None


DEFAULT_VOICE = "michael"  # Kokoro am_michael; $PODCAST_VOICE sets another for this machine


def default_voice() -> str:
    return os.environ.get("PODCAST_VOICE", "").strip() or DEFAULT_VOICE


@dataclass(frozen=True)
class SpeechSettings:
    voice: str = field(default_factory=default_voice)
    draft_voice: str = "espeak"  # every segment's voice with --draft
    paragraph_pause: float = 0.7  # seconds between paragraphs of one chapter
    chapter_pause: float = 1.6  # seconds between chapters
    opening_chapter: str = "Introduction"  # title of text before the first `##`
    threads: int = 0  # segments synthesized at once (one core each); 0 = all cores
    dotted_numbers: str = "auto"  # 4.12: "auto" (a version if the episode makes it one anywhere), "version", "decimal"


@dataclass(frozen=True)
class MusicSettings:
    intro: str | None = _path(DEFAULT, (DEFAULT, NONE))  # "default" (the generated jingle), "none" or a file
    outro: str | None = _path(DEFAULT, (DEFAULT, NONE))
    level: float = -4.0  # music at full level, LU relative to the speech
    lead_in: float = 4.0  # seconds the intro plays alone before the voice
    duck_db: float = -18.0  # music under speech, dB relative to its full level
    duck_ramp: float = 0.6  # seconds to go down to (or up from) the ducked level
    intro_hold: float = 1.5  # seconds the ducked intro stays under the first words
    intro_fade: float = 3.0  # then fades to silence over this long
    outro_overlap: float = 3.0  # the outro comes in, ducked, this long before the last word ends
    outro_rise: float = 1.5  # after the voice ends it rises to full over this long
    outro_hold: float = 4.0  # plays at full level
    outro_fade: float = 4.0  # and fades out
    silence_lead: float = 0.5  # without intro music: silence before the first word
    silence_tail: float = 1.0  # without outro music: silence after the last


@dataclass(frozen=True)
class MasterSettings:
    loudness: float = -16.0  # integrated LUFS; -19 is usual for mono
    true_peak: float = -1.0  # dBTP ceiling
    sample_rate: int = 44100
    channels: int = 2
    bitrate: int = 128  # kbps, constant bit rate
    vbr: bool = False  # variable bit rate at vbr_quality instead
    vbr_quality: int = 5  # LAME -q:a, 0 (best) to 9
    id3_version: int = 3  # 3 (ID3v2.3, the most compatible) or 4
    # Extra outputs beside the MP3, each mastered to the same target: "m4a" (AAC, chapters, cover)
    # and "opus" (Opus in Ogg, chapter comments).  None by default.
    formats: tuple[str, ...] = ()


@dataclass(frozen=True)
class PathSettings:
    output: str = _path("out", kind="folder")
    # "default": $PODCAST_CACHE, else .podcast-cache beside podcast.toml or the episode
    cache: str = _path(DEFAULT, (DEFAULT,), "folder")


@dataclass(frozen=True)
class BatchSettings:
    jobs: int = 0  # parallel episodes; 0 = one per two cores, as memory allows
    scheduler: str = ""  # a Dask scheduler address (tcp://host:8786); empty = this machine
    scheduler_timeout: float = 10.0  # seconds to keep trying to reach the scheduler


@dataclass(frozen=True)
class SiteSettings:
    output: str | None = _path(NONE, (NONE,), "folder")  # a folder: the show's web page, refreshed after every render
    url: str = ""  # the page's public http(s) URL (share tags want absolute URLs); empty: not known
    # Where else to subscribe: name -> http(s) URL ("apple", "spotify", "youtube", "pocketcasts",
    # "overcast", "amazon" get their proper names; any other name is shown as written).
    subscribe: dict[str, str] = _table('apple = "https://podcasts.apple.com/..."')


@dataclass(frozen=True)
class ToolsSettings:
    # "pinned" (imageio-ffmpeg's binary: the same MP3 bytes on every machine), "system"
    # (the ffmpeg on PATH) or a path (relative to podcast.toml); $PODCAST_FFMPEG wins over it.
    ffmpeg: str = "pinned"


@dataclass(frozen=True)
class VerifySettings:
    on: bool = False  # every render listens to what it made (render --verify)
    retries: int = 3  # other seeds tried for a broken segment (seeded engines only); 0 = report only
    strict: bool = False  # a segment still broken fails the render (render --strict)


@dataclass(frozen=True)
class Settings:
    show: ShowSettings = ShowSettings()
    speech: SpeechSettings = field(default_factory=SpeechSettings)  # the default voice may come from the environment
    music: MusicSettings = MusicSettings()
    master: MasterSettings = MasterSettings()
    paths: PathSettings = PathSettings()
    batch: BatchSettings = BatchSettings()
    tools: ToolsSettings = ToolsSettings()
    site: SiteSettings = field(default_factory=SiteSettings)  # it holds a dict
    verify: VerifySettings = VerifySettings()
    config_file: str | None = None  # the podcast.toml these came from, if any

    @property
    def show_dir(self) -> Path | None:
        return Path(self.config_file).parent if self.config_file else None

    def apply(self, values: Mapping[str, Mapping[str, Any]], source: str, base: Path | None) -> "Settings":
        """Return these settings with `values` ({section: {key: value}}) laid over them.

        `source` names the layer in error messages; `base` resolves relative paths.
        """
        sections = {f.name: f for f in dataclasses.fields(self) if f.name != "config_file"}
        changes: dict[str, Any] = {}
        for section_name, items in values.items():
            if section_name not in sections:
                raise ConfigError(
                    f"{source}: unknown section [{tomlfile.shown(section_name)[1:-1]}] (known: {', '.join(sections)})"
                )
            if not isinstance(items, Mapping):
                raise ConfigError(f"{source}: [{section_name}] must be a table of settings")  # a known name
            section = changes.get(section_name, getattr(self, section_name))
            changes[section_name] = _apply_section(section, section_name, items, source, base)
        return dataclasses.replace(self, **changes)


# Whether a number can be used, and what it must be (for the message).
Rule = tuple[Callable[[Any], bool], str]
SECONDS: Rule = (lambda v: 0 <= v <= 60, "between 0 and 60 seconds")  # a pause, fade, hold or ramp

# The MP3 sample rates the masters are made at (MPEG-1 and -2; the lower ones sound like a phone).
SAMPLE_RATES = (22050, 24000, 32000, 44100, 48000)

# Values a type check lets through but no encoder or listener would accept.
_RULES: dict[str, Rule] = {
    "master.channels": (lambda v: v in (1, 2), "1 (mono) or 2 (stereo)"),
    "master.sample_rate": (
        lambda v: v in SAMPLE_RATES,
        ", ".join(map(str, SAMPLE_RATES[:-1])) + f" or {SAMPLE_RATES[-1]} (Hz)",
    ),
    "master.bitrate": (
        lambda v: v in (32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
        "an MP3 bit rate in kbps, e.g. 128",
    ),
    "master.vbr_quality": (lambda v: 0 <= v <= 9, "0 to 9"),
    "master.id3_version": (lambda v: v in (3, 4), "3 or 4"),
    "master.loudness": (lambda v: -40 <= v <= -5, "between -40 and -5 LUFS"),
    "master.true_peak": (lambda v: -10 <= v <= 0, "between -10 and 0 dBTP"),
    "music.duck_db": (lambda v: -60 <= v <= 0, "between -60 and 0 dB"),
    "music.level": (lambda v: -40 <= v <= 20, "between -40 and 20 LU"),
    "speech.paragraph_pause": SECONDS,
    "speech.chapter_pause": SECONDS,
    "speech.threads": (lambda v: v >= 0, "0 (all cores) or more"),
    "batch.jobs": (lambda v: v >= 0, "0 (automatic) or more"),
    "batch.scheduler_timeout": (lambda v: 0 < v <= 600, "more than 0 and at most 600 seconds"),
    "verify.retries": (lambda v: 0 <= v <= 10, "0 to 10"),
}


# Settings that take one of a few words.
_CHOICES: dict[str, tuple[str, ...]] = {
    "speech.dotted_numbers": ("auto", "version", "decimal"),
    "show.ai_disclosure_spoken": ("none", "start", "end"),
}

# List settings whose every item is one of a few words (each at most once).
_LIST_CHOICES: dict[str, tuple[str, ...]] = {"master.formats": ("m4a", "opus")}


def _apply_section(section: Any, name: str, items: Mapping[str, Any], source: str, base: Path | None) -> Any:
    fields = {f.name: f for f in dataclasses.fields(section)}
    updates: dict[str, Any] = {}
    for key, value in items.items():
        f = fields.get(key)
        if f is None:
            raise ConfigError(
                f"{source}: unknown setting {name}.{tomlfile.shown(key)[1:-1]} (known: {', '.join(fields)})"
            )
        value = _coerce(value, f, f"{source}: {name}.{key}", base)
        choices = _CHOICES.get(f"{name}.{key}")
        if choices and value not in choices:
            raise ConfigError(
                f"{source}: {name}.{key} must be one of {', '.join(map(repr, choices))}, not {tomlfile.shown(value)}"
            )
        listed = _LIST_CHOICES.get(f"{name}.{key}")
        if listed:
            value = _list_choice(value, listed, f"{source}: {name}.{key}")
        rule = _RULES.get(f"{name}.{key}")
        if rule is None and name == "music" and f.type == "float":  # seconds of a fade, hold or ramp
            rule = SECONDS
        problem = number_problem(value, rule)
        if problem:
            raise ConfigError(f"{source}: {name}.{key} {problem}")
        problem = setting_problem(f"{name}.{key}", value)
        if problem:
            raise ConfigError(f"{source}: {name}.{key} {problem}")
        updates[key] = value
    return dataclasses.replace(section, **updates)


def _list_choice(value: tuple[str, ...], choices: tuple[str, ...], where: str) -> tuple[str, ...]:
    """A list of words from `choices` (case aside), each once, in the order given."""
    words = tuple(v.strip().lower() for v in value)
    for word in words:
        if word not in choices:
            raise ConfigError(f"{where}: {tomlfile.shown(word)} is not one of {', '.join(map(repr, choices))}")
    if len(set(words)) != len(words):
        raise ConfigError(f"{where} names a format twice: {tomlfile.shown(list(value))}")
    return words


def number_problem(value: Any, rule: Rule | None) -> str | None:
    """Why a number cannot be used ("must be ..."), or None (also for what is no number):
    it must be finite and pass its rule, or without one be zero or more.  The one range
    check behind settings and voice files."""
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return f"must be a finite number, not {value!r}"  # a number: short
    ok, wanted = rule or ((lambda v: v >= 0), "zero or more")
    return None if ok(value) else f"must be {wanted}, not {value!r}"


def _coerce(value: Any, f: dataclasses.Field, where: str, base: Path | None) -> Any:
    default = f.default
    what = f.metadata.get("path")  # "file" or "folder"
    if what:
        if value is None:
            return None
        words: tuple[str, ...] = f.metadata["words"]
        wanted = f"a {what} path" + "".join(f", {w!r}" for w in words[:-1]) + (f" or {words[-1]!r}" if words else "")
        if not isinstance(value, str) or not value.strip():
            raise ConfigError(f"{where} must be {wanted}")
        if value.lower() in words:
            return value.lower()
        if value.lower() in (DEFAULT, NONE):
            raise ConfigError(
                f"{where} must be {wanted}, not {value!r} (a {what} of that name: './{value}')"
            )  # one of two words
        return str(resolve_against(value, base))
    if f.metadata.get("mapping"):
        if isinstance(value, Mapping) and all(isinstance(k, str) for k in value):
            return dict(value)
        raise ConfigError(f"{where} must be a table ({f.metadata['mapping']}), not {tomlfile.shown(value)}")
    if isinstance(default, tuple):
        if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
            return tuple(value)
        raise ConfigError(f"{where} must be a list of text, not {tomlfile.shown(value)}")
    kind = type(default) if isinstance(default, (bool, int, float)) else str
    return tomlfile.typed(value, kind, where, ConfigError)


def find_config(start: Path) -> Path | None:
    """The podcast.toml next to `start` (a file or folder) or in a parent folder."""
    folder = start if start.is_dir() else start.parent
    for candidate in [folder, *folder.resolve().parents]:
        path = candidate / CONFIG_NAME
        if os.path.lexists(path):  # a FIFO, a folder or a dangling link too: loading it names the problem
            return path
    return None


def load_settings(config: Path | None) -> Settings:
    """Defaults overlaid with one podcast.toml (or just the defaults)."""
    settings = Settings()
    if config is None:
        return settings
    try:
        data = tomlfile.read(config, "settings file")
    except FileNotFoundError:
        raise ConfigError(f"{config}: no such file") from None
    settings = settings.apply(data, str(config), config.parent.resolve())
    return dataclasses.replace(settings, config_file=str(config.resolve()))


def settings_for(episode: Path | None, config: Path | None = None) -> Settings:
    """Settings for an episode: an explicit --config wins over discovery."""
    if config is None and episode is not None:
        config = find_config(episode)
    return load_settings(config)
