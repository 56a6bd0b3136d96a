"""Publishing one episode: tags, chapters, transcripts, the report and packaging (the show's
feed and site are in show/)."""
