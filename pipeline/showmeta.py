"""Show and episode metadata for publishing: the rules each value must follow, Apple's
category list, and the GUIDs.

Every rule gives a one-line reason naming what is wanted; config.py and script.py put the
key and the file in front of it, so a bad value stops a render before any synthesis.
"""

from __future__ import annotations

import re
import uuid
from typing import TYPE_CHECKING, Any, Callable
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from .config import ShowSettings
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


# Rules for settings whose type alone says too little; the empty string always means "not set".
TEXT_RULES: dict[str, Callable[[Any], str | None]] = {
    "show.owner_email": lambda v: None if _EMAIL.match(v) else f"must be an e-mail address, not {v!r}",
    "show.language": lambda v: (
        None if _LANGUAGE.match(v) else f"must be a language code such as en or en-US, not {v!r}"
    ),
    "show.base_url": url_problem,
    "show.website": url_problem,
    "show.feed_url": url_problem,
    "show.type": _one_of(SHOW_TYPES),
    "show.guid": _uuid_problem,
    "show.categories": lambda v: next(filter(None, map(category_problem, v)), None),
    "show.speaker_names": _names_problem,
    "site.url": url_problem,
    "site.subscribe": lambda v: next(
        (f"{name}: {problem}" for name, url in v.items() for problem in [url_problem(str(url))] if problem), None
    ),
}


def setting_problem(key: str, value: Any) -> str | None:
    rule = TEXT_RULES.get(key)
    if rule is None or value in ("", (), {}):
        return None
    return rule(value)


def feed_url(show: ShowSettings) -> str:
    """Where the feed is published: show.feed_url, else feed.xml under show.base_url."""
    return show.feed_url or media_url(show, "feed.xml")


def media_url(show: ShowSettings, name: str) -> str:
    from urllib.parse import quote

    return show.base_url.rstrip("/") + "/" + quote(name)


def podcast_guid(show: ShowSettings) -> str:
    """show.guid, else the Podcasting 2.0 rule: UUIDv5 of the feed URL without its scheme
    and trailing slashes."""
    if show.guid:
        return str(uuid.UUID(show.guid))
    url = re.sub(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", "", feed_url(show)).rstrip("/")
    return str(uuid.uuid5(PODCAST_GUID_NAMESPACE, url))


def episode_guid(show: ShowSettings, meta: EpisodeMeta) -> str | None:
    """An episode's RSS guid: front matter `guid` when given; else a UUIDv5 in the show's
    podcast:guid of the episode's place in the show (season and number) or, without a number,
    of its publication date and time.  None of it depends on the file name, the rendered
    bytes or the title, so re-renders, renames and title fixes keep it."""
    if meta.guid:
        return meta.guid
    if meta.episode is not None:
        key = f"season {meta.season or 0} episode {meta.episode}"
    elif meta.date:
        key = f"published {meta.published or meta.date}"
    else:
        return None
    return str(uuid.uuid5(uuid.UUID(podcast_guid(show)), key))


def feed_problems(show: ShowSettings) -> list[str]:
    """What a feed needs that the show does not say (checked before synthesis when base_url is set)."""
    wanted = {
        "base_url": "the public URL the files are served from",
        "title": "the show's name",
        "description": "a paragraph about the show",
        "categories": "one or more Apple Podcasts categories",
        "artwork": "cover art (1400-3000 px square)",
    }
    given = {key: show.cover if key == "artwork" else getattr(show, key) for key in wanted}
    return [f"show.{key} is needed for the feed ({why})" for key, why in wanted.items() if given[key] in ("", (), None)]
