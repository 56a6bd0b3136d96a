"""Normalization, table-driven: what a careful host would say for each token."""

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
        ("3rd", "third"),
        ("19th", "nineteenth"),
        ("1st place", "first place"),
        ("22nd", "twenty-second"),
        ("101st", "one hundred first"),
        ("the 4th release", "the fourth release"),
    ],
    "percentages": [
        ("45%", "forty-five percent"),
        ("~5%", "about five percent"),
        ("12.5%", "twelve point five percent"),
        ("100 %", "one hundred percent"),
        ("0.1%", "zero point one percent"),
    ],
    "fractions": [
        ("1/2", "one half"),
        ("3/4", "three quarters"),
        ("2/3", "two thirds"),
        ("1/4", "one quarter"),
        ("5/8", "five eighths"),
    ],
    "ranges": [
        ("2–3", "two to three"),
        ("10–20 minutes", "ten to twenty minutes"),
        ("5-10 patches", "five to ten patches"),
        ("1.5–2.5", "one point five to two point five"),
    ],
    "currency": [
        ("$500", "five hundred dollars"),
        ("£100", "one hundred pounds"),
        ("€2.5M", "two point five million euros"),
        ("$1", "one dollar"),
        ("$3.50", "three dollars fifty"),
        ("$10k", "ten thousand dollars"),
        ("€1 billion", "one billion euros"),
    ],
    "units": [
        ("10 GbE", "ten gigabit ethernet"),
        ("1.2 GHz", "one point two gigahertz"),
        ("512-thread", "five hundred twelve thread"),
        ("64-bit", "sixty-four bit"),
        ("5-level", "five level"),
        ("32-bit PAE", "thirty-two bit P A E"),
        ("4 KB", "four kilobytes"),
        ("16 GiB", "sixteen gibibytes"),
        ("100 ms", "one hundred milliseconds"),
        ("3 GHz", "three gigahertz"),
        ("2 cores", "two cores"),
        ("48 kHz", "forty-eight kilohertz"),
    ],
    "years": [
        ("2038", "twenty thirty-eight"),
        ("2017", "twenty seventeen"),
        ("1997", "nineteen ninety-seven"),
        ("2000", "two thousand"),
        ("2009", "two thousand nine"),
        ("in 1984", "in nineteen eighty-four"),
        ("the 2038 doomsday", "the twenty thirty-eight doomsday"),
        ("2010", "twenty ten"),
        ("1900", "nineteen hundred"),
    ],
    "dates": [
        ("2017/03/21", "March twenty-first, twenty seventeen"),
        ("2026-11-24", "November twenty-fourth, twenty twenty-six"),
        ("January 19th, 2038", "January nineteenth, twenty thirty-eight"),
        ("March 3", "March third"),
        ("2000-01-01", "January first, two thousand"),
        ("December 25th", "December twenty-fifth"),
    ],
    "times": [
        ("03:14:08 UTC", "three fourteen and eight seconds U T C"),
        ("12:30", "twelve thirty"),
        ("9:05", "nine oh five"),
        ("10:00", "ten o'clock"),
        ("23:59", "twenty-three fifty-nine"),
        ("at 7:45 pm", "at seven forty-five p m"),
    ],
    "versions": [
        ("Linux 4.11-rc3", "Linux four point eleven, R C three"),
        ("4.11-rc3", "four point eleven, R C three"),
        ("v2.12.1", "version two point twelve point one"),
        ("6.18-rc7", "six point eighteen, R C seven"),
        ("4.1.39-rt47", "four point one point thirty-nine, R T forty-seven"),
        ("ARMv8.3", "arm v eight point three"),
        ("2016-Q4", "twenty sixteen Q four"),
        ("V4L2", "V four L two"),
        ("Linux 4.12", "Linux four point twelve"),
        ("Python 3.11", "Python three point eleven"),
        ("kernel 5.10.2", "kernel five point ten point two"),
        ("v5", "version five"),
        ("rc3", "R C three"),
        ("GCC 12.2.0", "G C C twelve point two point oh"),
        ("2.6.32", "two point six point thirty-two"),
        ("ARMv8", "arm v eight"),
    ],
    "identifiers": [
        ("ext4_get_inode_flags", "ext four get I node flags"),
        ("__get_user_pages_fast()", "get user pages fast"),
        ("->getattr()", "get attr"),
        ("inode->i_flags", "I node arrow i flags"),
        ("STATX_ATTR_APPEND", "stat X attr append"),
        ("x86/mce", "x eighty-six slash M C E"),
        ("drivers/gpu", "drivers slash G P U"),
        ("kmalloc/kzalloc/kv*", "K malloc slash K Z alloc slash K V star"),
        ("x86-64", "x eighty-six sixty-four"),
        ("x86", "x eighty-six"),
        ("arm64", "arm sixty-four"),
        ("ext4", "ext four"),
        ("kzalloc()", "K Z alloc"),
        ("__init", "init"),
        ("page_size", "page size"),
        ("MAX_ORDER", "max order"),
        ("Y2K", "Y two K"),
        ("p2p", "p two p"),
        ("CVE-2017-5715", "C V E twenty seventeen dash fifty-seven fifteen"),
        ("CVE-2021-44228", "C V E twenty twenty-one dash four four two two eight"),
        ("ei->i_flags", "E I arrow i flags"),
        ("and/or", "and or"),
        ("k{v}zalloc", "K Z alloc or K V Z alloc"),
    ],
    "web": [
        ("jon.masters@redhat.com", "jon dot masters at redhat dot com"),
        ("https://lwn.net", "L W N dot net"),
        ("https://www.kernel.org/pub/linux/kernel/v4.x/", "a link on kernel dot org"),
        ("see https://example.com/about.", "see example dot com slash about."),
        ("www.kernel.org", "kernel dot org"),
        ("mail info@example.org today", "mail info at example dot org today"),
    ],
    "acronyms": [
        ("MCE", "M C E"),
        ("RFC", "R F C"),
        ("VM", "V M"),
        ("PAE", "P A E"),
        ("LPAE", "L P A E"),
        ("HMM", "H M M"),
        ("CPU", "C P U"),
        ("UTC", "U T C"),
        ("GUP", "gup"),
        ("RAM", "ram"),
        ("NASA", "nasa"),
        ("VMs", "V M's"),
        ("KVMGT", "K V M G T"),
        ("XenGT", "zen G T"),
        ("DMA API", "D M A A P I"),
        ("the MMU", "the M M U"),
        ("APPEND", "append"),
        ("POSIX", "posix"),
        ("PCI", "P C I"),
        ("TLB", "T L B"),
    ],
    "abbreviations": [
        ("e.g. this", "for example this"),
        ("i.e. that", "that is that"),
        ("apples, pears, etc.", "apples, pears, et cetera."),
        ("Linux vs. BSD", "Linux versus B S D"),
        ("Mr. Torvalds", "Mister Torvalds"),
        ("Dr. Kroah", "Doctor Kroah"),
        ("St. Louis", "Saint Louis"),
        ("Main St.", "Main Street."),
        ("No. 5", "number five"),
        ("Mrs. Smith", "Missus Smith"),
    ],
    "symbols": [
        ("A & B", "A and B"),
        ("C++", "C plus plus"),
        ("x = y", "x equals y"),
        ("read → write", "read to write"),
        ("#412", "number four twelve"),
        ("issue #7", "issue number seven"),
        ("#1024", "number ten twenty-four"),
        ("~10 people", "about ten people"),
        ("(Real Time)", "Real Time"),
        ("solution[s]", "solutions"),
        ("(de)inflating", "inflating or deflating"),
        ("a (b) c", "a, b, c"),
        ("5 × 3", "five times three"),
        ("±2", "plus or minus two"),
    ],
}

TABLE = [(category, text, expected) for category, rows in CASES.items() for text, expected in rows]


def test_there_are_at_least_150_cases():
    assert len(TABLE) >= 150


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
    is never longer than the longest word there is, so no longer piece is tried (8,000 letters
    took 13-16 s, 100 KB did not finish)."""
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
    the rules that look at the words around a match no longer rescan all the text before it
    (35 KB of 'Dr. X.' took 8 s)."""
    import time

    from pipeline.text.spoken import spoken_text

    start = time.perf_counter()
    said = spoken_text(text)
    assert time.perf_counter() - start < 3.0 and said
