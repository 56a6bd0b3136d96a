"""What the feed derives from the show's settings and an episode's front matter: the feed's
URL, the media URLs, the show's and each episode's GUID, and what a feed needs that the
show does not say.  The rules each value must follow are showmeta's."""

from __future__ import annotations

import re
import uuid
from typing import TYPE_CHECKING
from urllib.parse import quote

from .._showmeta import PODCAST_GUID_NAMESPACE, length_problems

if TYPE_CHECKING:
    from .._config import ShowSettings
    from ..parse.script import EpisodeMeta


def feed_url(show: ShowSettings) -> str:
    """Where the feed is published: show.feed_url, else feed.xml under show.base_url."""
    return show.feed_url or media_url(show, "feed.xml")


def media_url(show: ShowSettings, name: str) -> str:
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
        "owner_email": "the owner's e-mail address: itunes:owner, by which directories verify ownership",
        "categories": "one or more Apple Podcasts categories",
        "artwork": "cover art (1400-3000 px square)",
    }
    given = {key: show.cover if key == "artwork" else getattr(show, key) for key in wanted}
    missing = [
        f"show.{key} is needed for the feed ({why})" for key, why in wanted.items() if given[key] in ("", (), None)
    ]
    return missing + length_problems(show.title, show.description, "show.")
