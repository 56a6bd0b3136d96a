"""The show, worked on from its output folder: the feed, the site, the local server, and
what the feed derives from the settings (URLs, GUIDs, what a feed needs)."""
