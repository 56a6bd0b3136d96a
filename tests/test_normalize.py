"""Normalization, table-driven: what a careful host would say for each token (the cases that
test_normalize_tables.py's per-class tables do not hold)."""

import pytest

from pipeline.text.normalize import normalize

CASES = {
    "cardinals": [
        ("4,812 lines", "four thousand eight hundred twelve lines"),
        ("1,000,000 users", "one million users"),
        ("42", "forty-two"),
        ("7 patches", "seven patches"),
        ("0", "zero"),
        ("100", "one hundred"),
        ("12,345", "twelve thousand three hundred forty-five"),
        ("999", "nine hundred ninety-nine"),
        ("31 files", "thirty-one files"),
    ],
    "decimals and negatives": [
        ("2.5 times", "two point five times"),
        ("0.25", "zero point two five"),
        ("3.14", "three point one four"),
        ("-5 degrees", "minus five degrees"),
        ("-0.5", "minus zero point five"),
        ("a score of -12", "a score of minus twelve"),
    ],
    "ordinals": [
        ("19th", "nineteenth"),
        ("1st place", "first place"),
        ("22nd", "twenty-second"),
        ("the 4th release", "the fourth release"),
    ],
    "percentages": [
        ("45%", "forty-five percent"),
        ("~5%", "about five percent"),
        ("12.5%", "twelve point five percent"),
        ("100 %", "one hundred percent"),
        ("0.1%", "zero point one percent"),
    ],
    "currency": [
        ("$500", "five hundred dollars"),
        ("£100", "one hundred pounds"),
    ],
    "units": [
        ("512-thread", "five hundred twelve thread"),
        ("5-level", "five level"),
        ("32-bit PAE", "thirty-two bit P A E"),
        ("4 KB", "four kilobytes"),
        ("100 ms", "one hundred milliseconds"),
        ("3 GHz", "three gigahertz"),
        ("2 cores", "two cores"),
        ("48 kHz", "forty-eight kilohertz"),
    ],
    "years": [
        ("in 1984", "in nineteen eighty-four"),
    ],
    "dates": [
        ("2026-11-24", "November twenty-fourth, twenty twenty-six"),
        ("March 3", "March third"),
        ("December 25th", "December twenty-fifth"),
    ],
    "web": [
        ("jon.masters@redhat.com", "jon dot masters at redhat dot com"),
    ],
    "acronyms": [
        ("UTC", "U T C"),
        ("PCI", "P C I"),
        ("TLB", "T L B"),
    ],
    "symbols": [
        ("read → write", "read to write"),
        ("~10 people", "about ten people"),
    ],
}

TABLE = [(category, text, expected) for category, rows in CASES.items() for text, expected in rows]


@pytest.mark.parametrize("category, text, expected", TABLE, ids=[f"{c}: {t}" for c, t, _ in TABLE])
def test_normalize(category, text, expected):
    assert normalize(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Bcachefs – encryption", "B cache F S, encryption"),
        ("wait — what", "wait, what"),
        ("½ a page", "a half a page"),
        ("2½ hours", "two and a half hours"),
    ],
)
def test_dashes_and_vulgar_fractions(text, expected):
    assert normalize(text) == expected


@pytest.mark.parametrize(
    "token",
    ["stat" * 2_000, "ab" * 4_000, "thecat" * 1_500, "x" + "stat" * 2_000, "spinloop" * 1_000],
)
def test_a_long_lowercase_token_costs_time_linear_in_its_length(token):
    """A word the dictionary lacks is split at known parts in time linear in its length: a part
    is never longer than the longest word there is, so no longer piece is tried."""
    import time

    start = time.perf_counter()
    said = normalize(token)
    assert time.perf_counter() - start < 2.0 and said


def test_splitting_at_parts_reads_as_before():
    from pipeline.text.normalize.words import _split_parts

    assert _split_parts("statx") == ["stat", "x"]
    assert _split_parts("spinloop") == ["spin", "loop"]


@pytest.mark.parametrize("text", ["Dr. X. " * 5_000, "the " * 10_000 + "end.", "v4.12, 2038 and 1,000 " * 1_500])
def test_a_long_sentence_costs_time_linear_in_its_length(text):
    """A sentence of tens of kilobytes (a run-on line, hostile input) is read in bounded pieces:
    the rules that look at the words around a match do not rescan all the text before it."""
    import time

    from pipeline.text.spoken import spoken_text

    start = time.perf_counter()
    said = spoken_text(text)
    assert time.perf_counter() - start < 3.0 and said
