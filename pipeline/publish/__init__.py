"""Publishing: tags, chapters, transcripts, the report, packaging and the site."""
