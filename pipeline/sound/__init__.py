"""Sound: the speech track, music, mixing, mastering, and ffmpeg underneath."""
