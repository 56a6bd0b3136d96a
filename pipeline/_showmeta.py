"""Show and episode metadata for publishing: the rules each value must follow, Apple's
category list, and the namespace of the GUIDs (which show/derive.py derives, with the
feed's URLs).

Every rule gives a one-line reason naming what is wanted; _config.py and parse/script.py put the
key and the file in front of it, so a bad value stops a render before any synthesis.
"""

from __future__ import annotations

import re
import uuid
from typing import TYPE_CHECKING, Any, Callable
from urllib.parse import urlsplit

from ._notes import show_notes

if TYPE_CHECKING:
    from ._config import ShowSettings
    from .parse.script import EpisodeMeta

# Apple Podcasts categories and subcategories (Apple Podcasts Connect, "Podcast categories";
# the list in force since 2019).  In podcast.toml: "Technology" or "Society & Culture/Documentary".
APPLE_CATEGORIES: dict[str, tuple[str, ...]] = {
    "Arts": ("Books", "Design", "Fashion & Beauty", "Food", "Performing Arts", "Visual Arts"),
    "Business": ("Careers", "Entrepreneurship", "Investing", "Management", "Marketing", "Non-Profit"),
    "Comedy": ("Comedy Interviews", "Improv", "Stand-Up"),
    "Education": ("Courses", "How To", "Language Learning", "Self-Improvement"),
    "Fiction": ("Comedy Fiction", "Drama", "Science Fiction"),
    "Government": (),
    "History": (),
    "Health & Fitness": ("Alternative Health", "Fitness", "Medicine", "Mental Health", "Nutrition", "Sexuality"),
    "Kids & Family": ("Education for Kids", "Parenting", "Pets & Animals", "Stories for Kids"),
    "Leisure": (
        "Animation & Manga",
        "Automotive",
        "Aviation",
        "Crafts",
        "Games",
        "Hobbies",
        "Home & Garden",
        "Video Games",
    ),
    "Music": ("Music Commentary", "Music History", "Music Interviews"),
    "News": (
        "Business News",
        "Daily News",
        "Entertainment News",
        "News Commentary",
        "Politics",
        "Sports News",
        "Tech News",
    ),
    "Religion & Spirituality": ("Buddhism", "Christianity", "Hinduism", "Islam", "Judaism", "Religion", "Spirituality"),
    "Science": (
        "Astronomy",
        "Chemistry",
        "Earth Sciences",
        "Life Sciences",
        "Mathematics",
        "Natural Sciences",
        "Nature",
        "Physics",
        "Social Sciences",
    ),
    "Society & Culture": ("Documentary", "Personal Journals", "Philosophy", "Places & Travel", "Relationships"),
    "Sports": (
        "Baseball",
        "Basketball",
        "Cricket",
        "Fantasy Sports",
        "Football",
        "Golf",
        "Hockey",
        "Rugby",
        "Running",
        "Soccer",
        "Swimming",
        "Tennis",
        "Volleyball",
        "Wilderness",
        "Wrestling",
    ),
    "Technology": (),
    "True Crime": (),
    "TV & Film": ("After Shows", "Film History", "Film Interviews", "Film Reviews", "TV Reviews"),
}

# Podcasting 2.0: podcast:guid is the UUIDv5 of the feed URL (scheme and trailing slashes
# removed) in this namespace.
PODCAST_GUID_NAMESPACE = uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6")

MEDIUMS = ("podcast", "music", "video", "film", "audiobook", "newsletter", "blog")
EPISODE_TYPES = ("full", "trailer", "bonus")
SHOW_TYPES = ("episodic", "serial")
NARRATOR = "narrator"  # the speaker_names key for paragraphs without a speaker label

_EMAIL = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$"
)
_LANGUAGE = re.compile(r"^[a-zA-Z]{2,3}(?:-[a-zA-Z0-9]{2,8})*$")


def split_category(value: str) -> tuple[str, str | None]:
    parent, _, sub = value.partition("/")
    return parent.strip(), (sub.strip() or None)


def category_problem(value: str) -> str | None:
    parent, sub = split_category(value)
    if parent not in APPLE_CATEGORIES:
        close = [c for c in APPLE_CATEGORIES if c.lower() == parent.lower()]
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        return f"{value!r} is not an Apple Podcasts category{hint}; see the README for the list"
    if sub is not None and sub not in APPLE_CATEGORIES[parent]:
        subs = ", ".join(APPLE_CATEGORIES[parent]) or "none"
        return f"{sub!r} is not a subcategory of {parent!r} (its subcategories: {subs})"
    return None


def url_problem(value: str) -> str | None:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return f"must be an http:// or https:// URL, not {value!r}"
    if any(ch.isspace() for ch in value):
        return f"must be a URL without spaces, not {value!r}"
    return None


def _one_of(choices: tuple[str, ...]) -> Callable[[Any], str | None]:
    return lambda v: None if v in choices else f"must be one of {', '.join(choices)}, not {v!r}"


def _uuid_problem(value: str) -> str | None:
    try:
        uuid.UUID(value)
    except ValueError:
        return f"must be a UUID (e.g. {uuid.uuid5(PODCAST_GUID_NAMESPACE, 'example.com/feed.xml')}), not {value!r}"
    return None


def _names_problem(value: Any) -> str | None:
    for label, name in value.items():
        if not isinstance(name, str) or not name.strip():
            return f"must map speaker labels (and {NARRATOR!r}) to display names; {label!r} has {name!r}"
    return None


def _prefix_problem(value: str) -> str | None:
    """An analytics prefix (OP3 and the like) goes in front of the enclosure URL without its
    scheme: https://op3.dev/e/ + media.example.com/ep.mp3."""
    problem = url_problem(value)
    if problem:
        return problem
    return None if value.endswith("/") else f"must end with '/' (e.g. https://op3.dev/e/), not {value!r}"


def _base_problem(value: str) -> str | None:
    """A URL file names are joined onto: a query or a fragment would swallow them."""
    problem = url_problem(value)
    if problem:
        return problem
    parts = urlsplit(value)
    if parts.query or parts.fragment or value.endswith(("?", "#")):
        return f"must be a folder's URL without a query or fragment (file names are added to it), not {value!r}"
    return None


def _categories_problem(value: tuple[str, ...]) -> str | None:
    problem = next(filter(None, map(category_problem, value)), None)
    if problem:
        return problem
    seen: set[tuple[str, str | None]] = set()
    for item in value:
        parent, sub = split_category(item)
        if (parent, sub) in seen:
            return f"names {parent + ('/' + sub if sub else '')!r} twice; a directory lists each category once"
        seen.add((parent, sub))
    return None


MAX_NUMBER = 2**31 - 1  # feed readers keep an episode's and a season's number in a 32-bit int


def _season_names_problem(value: Any) -> str | None:
    """Season numbers as front matter's `season` writes them (1, 2, ...: no sign, no leading
    zero) to names."""
    for key, name in value.items():
        number_ok = re.fullmatch(r"[1-9][0-9]*", key) is not None and int(key) <= MAX_NUMBER
        if not number_ok or not isinstance(name, str) or not name.strip():
            return f'must map season numbers (1, 2, ...) to names; {key!r} = {name!r} (write 1 = "The first season")'
    return None


# Rules for settings whose type alone says too little; the empty string always means "not set".
TEXT_RULES: dict[str, Callable[[Any], str | None]] = {
    "show.owner_email": lambda v: None if _EMAIL.match(v) else f"must be an e-mail address, not {v!r}",
    "show.language": lambda v: (
        None if _LANGUAGE.match(v) else f"must be a language code such as en or en-US, not {v!r}"
    ),
    "show.base_url": _base_problem,
    "show.website": url_problem,
    "show.feed_url": url_problem,
    "show.type": _one_of(SHOW_TYPES),
    "show.guid": _uuid_problem,
    "show.categories": _categories_problem,
    "show.season_names": _season_names_problem,
    "show.speaker_names": _names_problem,
    "site.url": _base_problem,
    "site.subscribe": lambda v: next(
        (f"{name}: {problem}" for name, url in v.items() for problem in [url_problem(str(url))] if problem), None
    ),
    "show.new_feed_url": url_problem,
    "show.license_url": url_problem,
    "show.funding_url": url_problem,
    "show.analytics_prefix": _prefix_problem,
    "show.medium": _one_of(MEDIUMS),
}


def setting_problem(key: str, value: Any) -> str | None:
    if key.split(".")[0] in TEXT_SECTIONS:
        problem = controls_in(value)
        if problem:
            return problem
    if key == "show.language" and value == "":  # every output says a language: the default, or one named
        return "must be a language code such as en or en-US (leave the key out for the default, en), not ''"
    rule = TEXT_RULES.get(key)
    if rule is None or value in ("", (), {}):
        return None
    return rule(value)


# ---------------------------------------------------------------- control characters

# What no XML 1.0 document (the feed), ID3 frame or web page should carry: the C0 and C1
# control characters but tab, line feed and carriage return, lone surrogates, and the
# non-characters U+FFFE and U+FFFF.  lxml refuses them (the feed would fail after the render).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
TEXT_SECTIONS = ("show", "site")  # settings whose text reaches the feed, the tags or the pages


def control_problem(text: str) -> str | None:
    """Why `text` cannot go into the feed, the tags or the pages: the first control character
    in it, by its code point and place (None when it has none)."""
    found = _CONTROL.search(text)
    if found is None:
        return None
    return (
        f"has a control character (U+{ord(found.group()):04X}) at character {found.start() + 1}; "
        f"remove it (a feed, a tag or a page cannot carry it)"
    )


def controls_in(value: Any) -> str | None:
    """control_problem() for a setting's value: text, or a list or table of text."""
    if isinstance(value, str):
        return control_problem(value)
    if isinstance(value, (list, tuple)):
        return next(filter(None, map(controls_in, value)), None)
    if isinstance(value, dict):
        for name, item in value.items():
            problem = controls_in(name) or controls_in(item)
            if problem:
                return f"({name!r}) {problem}"
    return None


def without_controls(text: str) -> str:
    """`text` without the characters control_problem() finds (an old render's metadata)."""
    return _CONTROL.sub("", text)


def episode_text_problems(meta: EpisodeMeta, chapter_titles: list[str]) -> list[str]:
    """Control characters in the front matter's text and the chapter titles (from the
    headings), one line each naming the key: they would reach the feed, tags and pages."""
    fields: list[tuple[str, str | None]] = [
        ("front matter 'title'", meta.title),
        ("front matter 'description'", meta.description),
        ("front matter 'guid'", meta.guid),
        ("front matter 'episode_display'", meta.episode_display),
        ("front matter 'soundbite' title", meta.soundbite[2] if meta.soundbite else None),
    ]
    fields += [(f"chapter {n} title (its heading)", title) for n, title in enumerate(chapter_titles, start=1)]
    return [f"{key} {problem}" for key, text in fields if text for problem in [control_problem(text)] if problem]


# ---------------------------------------------------------------- the Dask scheduler

DASK_SCHEMES = ("tcp", "tls", "ws", "wss", "ucx")


def scheduler_problem(value: str) -> str | None:
    """A Dask scheduler address: [scheme://]host:port (tcp://host:8786)."""
    wanted = f"must be a Dask scheduler address such as tcp://host:8786, not {value!r}"
    scheme, sep, rest = value.partition("://")
    if not sep:
        scheme, rest = "tcp", value
    host, colon, port = rest.rpartition(":")
    if scheme not in DASK_SCHEMES or not colon or not port.isdigit() or not 0 < int(port) < 65536:
        return wanted
    if not host.strip("[]") or any(ch.isspace() or ch in "/@?#" for ch in host):
        return wanted
    return None


TEXT_RULES["batch.scheduler"] = scheduler_problem


# ---------------------------------------------------------------- people

# podcast:person roles and their groups (the Podcast Taxonomy Project's list, the roles a
# spoken show has); a missing role means "host" to a reader, so one is always written.
PERSON_ROLES: dict[str, str] = {
    "host": "cast",
    "co-host": "cast",
    "guest": "cast",
    "guest host": "cast",
    "narrator": "cast",
    "announcer": "cast",
    "voice actor": "cast",
    "reporter": "cast",
    "author": "writing",
    "writer": "writing",
    "producer": "creative direction",
    "editor": "post production",
}


def roles_problem(value: Any) -> str | None:
    for label, role in value.items():
        if not isinstance(role, str) or role.lower() not in PERSON_ROLES:
            return f"must map speaker labels to a role ({', '.join(PERSON_ROLES)}); {label!r} has {role!r}"
    return None


def _urls_problem(value: Any) -> str | None:
    for label, url in value.items():
        problem = url_problem(url) if isinstance(url, str) else "must be a URL"
        if problem:
            return f"{label!r} {problem}"
    return None


TEXT_RULES.update(
    {"show.speaker_roles": roles_problem, "show.speaker_images": _urls_problem, "show.speaker_links": _urls_problem}
)


# ---------------------------------------------------------------- episode limits

MAX_TITLE_CHARS = 255  # Apple Podcasts
MAX_DESCRIPTION_BYTES = 4000  # Apple Podcasts, in UTF-8 bytes


def length_problems(title: str | None, description: str | None, what: str) -> list[str]:
    """Apple's limits on a title and a description, each a line naming the key (`what` is
    "show." or "front matter ")."""
    out = []
    if title and len(title) > MAX_TITLE_CHARS:
        out.append(f"{what}title is {len(title)} characters; Apple Podcasts takes at most {MAX_TITLE_CHARS}")
    size = len((description or "").encode("utf-8"))
    if size > MAX_DESCRIPTION_BYTES:
        out.append(f"{what}description is {size} bytes; Apple Podcasts takes at most {MAX_DESCRIPTION_BYTES}")
    return out


def episode_problems(meta: EpisodeMeta, show: ShowSettings | None = None) -> list[str]:
    """What a directory would refuse in an episode's front matter (each names its key).  With
    the show, the description is measured as published: with the AI disclosure (and the
    chapter lines, at most a few hundred bytes more, are not known before the render)."""
    description = meta.description
    if show is not None:
        description = show_notes(description, [], show)
    return length_problems(meta.title, description, "front matter ")
