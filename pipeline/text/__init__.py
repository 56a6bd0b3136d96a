"""Spoken text: normalization and the lexicons: what a voice will say for a script's words."""
