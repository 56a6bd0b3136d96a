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
