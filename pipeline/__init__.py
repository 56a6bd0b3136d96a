"""Text-to-speech podcast production: episode scripts to finished episodes."""

__version__ = "0.1.0"
