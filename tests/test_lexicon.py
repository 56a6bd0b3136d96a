"""The pronunciation lexicon (pipeline/text/lexicon.py): what it matches, at what cost."""

import random
import re
import string
import time

import pytest

from conftest import write
from pipeline.errors import ConfigError
from pipeline.text.lexicon import Lexicon, load, parse


def _reference_split(lex: Lexicon, text: str) -> list[tuple[bool, str]]:
    """The lexicon's meaning, as one regex: at each place a word may start, the first entry (in
    the lexicon's order) that matches there as a whole word; entries without capitals in any case."""
    alternatives = []
    for key, _, is_pattern, _ in lex.entries:
        body = re.sub(r"(?<!\\)\((?:\?P<\w+>)?(?!\?)", "(?:", key) if is_pattern else re.escape(key)
        insensitive = not is_pattern and not any(ch.isupper() for ch in key)
        alternatives.append(f"({'(?i:' if insensitive else ''}{body}{')' if insensitive else ''})")
    regex = re.compile(r"(?<![\w])(?:" + "|".join(alternatives) + r")(?![\w])")
    out, pos = [], 0
    for m in regex.finditer(text):
        index = next(i for i, g in enumerate(m.groups()) if g is not None)
        key, repl, is_pattern, _ = lex.entries[index]
        out.append((False, text[pos : m.start()]))
        out.append((True, re.sub(rf"(?<![\w]){key}(?![\w])", repl, m.group(0)) if is_pattern else repl))
        pos = m.end()
    out.append((False, text[pos:]))
    return [(p, t) for p, t in out if t]


SHOW = {
    "words": {
        "statx": "stat x",
        "PAE": "pay",
        "pae": "p a e",
        "LPAE": "large P A E",
        "Dr.": "Doctor",
        "C++": "C plus plus",
        ".NET": "dot net",
        "New York": "new york",
        "a-b": "A B",
        "Jérôme": "[[ʒeɪɹˈoʊm]]",
        "istanbul": "is tan bul",
        "straße": "strasse",
        "σς": "sigma",
        "kelvin": "kel vin",
        "x": "ex",
    },
    "patterns": {"k(v?)(z?)alloc": "K \\1 \\2 alloc", r"v(\d+)": "version \\1", "(?P<n>e)bpf": r"\g<n> B P F"},
}
VOICE = {"words": {"pay": "PAY", "LP": "L P", "york": "YORK"}, "patterns": {"new": "NEW", r"\d+x": "times"}}
TEXTS = [
    "The PAE code, LPAE and pae; PAEX and xPAE, statx/Statx STATX.",
    "Dr. Who and Dr.X and C++ or C+++ or .NET, a.NET, New York, new  york, New Yorker.",
    "a-b a-bc xa-b Jérôme JÉRÔME jérôme kvzalloc kzalloc kalloc v12 v12b ebpf EBPF 3x",
    "İstanbul ıstanbul ISTANBUL STRASSE Straße ΣΣ σσ Kelvin KELVIN",  # İ, dotless ı, Kelvin sign
    "x x x, (x) [PAE] {statx} _x x_ x1 ǅ x\u0301",
]


def _random_text(rng: random.Random, vocab: list[str]) -> str:
    seps = [" ", " ", ", ", ". ", "-", "/", "(", ")", "_", "'", "\u00a0", ""]
    return "".join(rng.choice(vocab) + rng.choice(seps) for _ in range(rng.randint(1, 30)))


@pytest.mark.parametrize("layers", [[SHOW], [VOICE], [SHOW, VOICE]])
def test_lexicon_matches_as_one_regex_would(layers):
    """Whole words only, case-sensitive where the key has capitals, the first entry in the
    lexicon's order (longest words first; a voice's entries before the show's), patterns with
    their groups: exactly what one regex combining all entries would match."""
    lex = Lexicon()
    for layer in layers:
        lex = lex.merged(parse(layer, "test"))
    vocab = [w for t in TEXTS for w in re.split(r"[\s,;]+", t) if w]
    rng = random.Random(7)
    for text in TEXTS + [_random_text(rng, vocab) for _ in range(2000)]:
        assert lex.split(text) == _reference_split(lex, text), text


def _big_lexicon(entries: int, rng: random.Random) -> dict:
    words: dict[str, str] = {}
    while len(words) < entries:
        key = "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(4, 12)))
        words[key.capitalize() + "X" if rng.random() < 0.2 else key] = "said " + key
    return {"words": words, "patterns": {"k(v?)(z?)alloc": "K \\1 \\2 alloc"}}


@pytest.mark.parametrize("entries, words", [(5_000, 300), (100_000, 3_000)])
def test_a_large_lexicon_costs_well_under_a_second_an_episode(entries, words):
    """Lexicon lookup does not grow with the number of entries: a 100,000-word pronunciation
    dictionary costs well under a second on a 3,000-word episode."""
    rng = random.Random(1)
    data = _big_lexicon(entries, rng)
    lex = parse(data, "big")
    vocab = ["the", "kernel", "and", "a", "patch", "Linux", "v4.12", "kzalloc"] + rng.sample(list(data["words"]), 50)
    sentences = [
        " ".join(rng.choice(vocab) + rng.choice(["", "", ",", "."]) for _ in range(15)) for _ in range(words // 15)
    ]
    start = time.perf_counter()
    lex.split("index the entries")  # once per lexicon (about 0.2 s for 100,000 entries)
    indexed = time.perf_counter()
    hits = sum(protected for s in sentences for protected, _ in lex.split(s))
    done = time.perf_counter()
    assert hits > words // 10
    # generous bounds for a busy machine: the lookups take about 0.05 s, the index 0.2 s
    assert done - indexed < 0.5 and done - start < 2.0, f"index {indexed - start:.2f} s, lookups {done - indexed:.2f} s"


@pytest.mark.parametrize(
    "key",
    [
        "(a+)+$",
        "(a*)*b",
        "(x+x+)+y",
        "(\\w+\\s?)+$",
        "(a|aa)+$",
        "(a|a)*b",
        "(.*,){12}P",
        "((ab)*)+c",
    ],
)
def test_a_pattern_that_can_backtrack_without_bound_is_refused_when_it_loads(tmp_path, key):
    """A lexicon pattern that can take exponential time (a repeat inside a repeat, or a repeat of
    alternatives that can match the same text) is refused at load with one line naming the file
    and the entry, before any text is read (`(a+)+$` on a line of a's takes forever)."""
    path = write(tmp_path / "lexicon.toml", f"[patterns]\n'{key}' = 'x'\n")
    start = time.perf_counter()
    with pytest.raises(ConfigError) as err:
        load(path)
    assert time.perf_counter() - start < 1.0
    assert err.value.file == str(path)
    assert err.value.message.startswith(f"lexicon pattern {key!r}"), err.value.message
    assert "backtrack" in err.value.message and "\n" not in err.value.message


@pytest.mark.parametrize(
    "key",
    ["k(v?)(z?)alloc", "v(\\d+)", "(?P<n>e)bpf", "(foo|bar)baz", "x{2,5}", "(ab)+", "[a-z]+_(rx|tx)", "(?:a|b)c+"],
)
def test_ordinary_patterns_load(key):
    assert parse({"patterns": {key: "x"}}, "test").entries[0][0] == key


def test_the_shipped_lexicons_pass_the_pattern_check():
    from pathlib import Path

    from pipeline import _tomlfile as tomlfile

    root = Path(__file__).resolve().parent.parent
    assert load(root / "episodes" / "lexicon.toml")
    technical = tomlfile.loads((root / "pipeline" / "data" / "lexicon" / "technical.toml").read_text("utf-8"))
    assert parse({"patterns": technical["patterns"]}, "technical.toml").entries
