"""Synthesis: voices, engines and the segment cache; segments to speech."""
