import pytest

from pipeline.spoken import speakable, split_sentences, spoken_text


@pytest.mark.parametrize("text, expected", [
    ("Nice \U0001F609 work", "Nice work"),
    ("Thumbs \U0001F44D\U0001F3FD up", "Thumbs up"),
    ("Stars \u2728\u2605 and hearts \u2764\ufe0f", "Stars and hearts"),
    ("Fields are marked *", "Fields are marked"),
    ("\u201cquoted\u201d and \u2018single\u2019", "\"quoted\" and 'single'"),
    ("wait\u2026 what", "wait... what"),
    ("a\u00a0b", "a b"),
    ("control\x07char", "control char"),
])
def test_speakable(text, expected):
    assert speakable(text) == expected


def test_override_is_spoken_verbatim():
    assert spoken_text("Call {kv*alloc|K V alloc} now \U0001F600.") == "Call K V alloc now."


def test_sentences():
    assert split_sentences('He said "yes." Then he left! Did he? (Yes.) Done.') == (
        'He said "yes."', "Then he left!", "Did he?", "(Yes.)", "Done.")
    assert split_sentences("version 4.11 is out. next") == ("version 4.11 is out. next",)


def test_sentences_respect_abbreviations_and_initials():
    text = "Kirill A. Shutemov posted it, e.g. for x86. Mr. Smith agreed. Version 4.11 is out! Is it? Yes."
    assert split_sentences(text) == (
        "Kirill A. Shutemov posted it, e.g. for x86.", "Mr. Smith agreed.", "Version 4.11 is out!", "Is it?", "Yes.")


def test_sentence_does_not_break_inside_an_override():
    assert split_sentences("Say {Dr. No|doctor no} Now. Then stop.") == ("Say {Dr. No|doctor no} Now.", "Then stop.")


def test_segment_has_written_and_spoken_sentences():
    from pipeline.script import Segment
    from pipeline.spoken import speak_segment

    seg = speak_segment(Segment(index=1, id="x", chapter=0, source="Linux 4.11-rc3 is out. It has {PAE|pay} fixes \U0001F609.",
                                voice="joe", line=1))
    assert seg.written == ("Linux 4.11-rc3 is out.", "It has PAE fixes \U0001F609.")
    assert seg.sentences == ("Linux four point eleven, R C three is out.", "It has pay fixes.")
    assert seg.spoken == " ".join(seg.sentences)


LEXICON = {"words": {"statx": "stat x", "PAE": "pay", "Jérôme": "[[ʒeɪɹˈoʊm]]", "LPAE": "large P A E"},
           "patterns": {"k(v?)(z?)alloc": "K \\1 \\2 alloc"}}


def test_lexicon_precedence_override_over_lexicon_over_rules():
    from pipeline.lexicon import parse

    lex = parse(LEXICON, "test")
    # lexicon over rules: PAE would be spelled by the rules
    assert spoken_text("The PAE code", lex) == "The pay code"
    # case-sensitive where the key has capitals; lowercase keys match any case
    assert spoken_text("pae and Statx and STATX", lex) == "pae and stat x and stat x"
    # the inline form wins over the lexicon
    assert spoken_text("The {PAE|P A E} code", lex) == "The P A E code"
    # longer entries first; whole words only
    assert spoken_text("LPAE, not PAEX", lex) == "large P A E, not P A E X"
    # phonemes pass through untouched; patterns substitute groups
    assert spoken_text("Jérôme uses kvzalloc and kzalloc", lex) == "[[ʒeɪɹˈoʊm]] uses K v z alloc and K z alloc"
    # what the lexicon produced is not read by the rules again
    assert spoken_text("statx 2038", lex) == "stat x twenty thirty-eight"


def test_bad_lexicon(tmp_path):
    from pipeline.errors import ConfigError
    from pipeline.lexicon import load

    from conftest import write

    for text, problem in [("[words]\nx = 3\n", "must map to text"), ("[patterns]\n'(' = 'x'\n", "not a regular expression"),
                          ("[wrods]\nx = 'y'\n", "unknown lexicon table")]:
        with pytest.raises(ConfigError, match=problem):
            load(write(tmp_path / "lexicon.toml", text))


def test_real_transcript_spoken_text_is_clean(real_transcript):
    import re

    from pipeline import stages

    script = stages.run([stages.parse_stage(stages.Options()), stages.Stage("spoken", stages.speak_stage)],
                        real_transcript)
    bad = re.compile(r"[0-9_*/{}()]|->|[\U0001F000-\U0001FFFF\u2600-\u27BF\u2B00-\u2BFF]")
    problems = [(s.index, m.group(0)) for s in script.segments for m in bad.finditer(s.spoken)]
    assert problems == []
    assert all(len(s.written) == len(s.sentences) for s in script.segments)
