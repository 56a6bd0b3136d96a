"""The listening check: the pipeline hears the master it made and retakes what is broken.

Between synthesis and publishing (it re-synthesizes): `recognizer` (faster-whisper and the
decoded audio), `align` and `reading` (the words heard against the words written),
`listen` (the episode heard), `checks` (each segment's verdict and the timing check against the timeline), `retake`
(the stages of `render --verify`), `doc` (the `Verification` value and verify.json).
"""
