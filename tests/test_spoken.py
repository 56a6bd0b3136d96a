import json

import pytest

from pipeline.text.spoken import speakable, split_sentences, spoken_text


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Nice \U0001f609 work", "Nice work"),
        ("Thumbs \U0001f44d\U0001f3fd up", "Thumbs up"),
        ("Stars \u2728\u2605 and hearts \u2764\ufe0f", "Stars and hearts"),
        ("Fields are marked *", "Fields are marked"),
        ("\u201cquoted\u201d and \u2018single\u2019", "\"quoted\" and 'single'"),
        ("wait\u2026 what", "wait... what"),
        ("a\u00a0b", "a b"),
        ("control\x07char", "control char"),
    ],
)
def test_speakable(text, expected):
    assert speakable(text) == expected


def test_override_is_spoken_verbatim():
    assert spoken_text("Call {kv*alloc|K V alloc} now \U0001f600.") == "Call K V alloc now."


@pytest.mark.parametrize(
    "text, said",
    [
        ("Say {ab|A B}.", "Say A B."),  # was "Say A B..": the full stop kept, then normalized again
        ("Say {ab|A B}, then.", "Say A B, then."),
        ("Is it {ab|A B}? Yes.", "Is it A B? Yes."),
    ],
)
def test_punctuation_after_an_override_is_said_once(text, said):
    assert spoken_text(text) == said


def test_sentences():
    assert split_sentences('He said "yes." Then he left! Did he? (Yes.) Done.') == (
        'He said "yes."',
        "Then he left!",
        "Did he?",
        "(Yes.)",
        "Done.",
    )
    assert split_sentences("version 4.11 is out. next") == ("version 4.11 is out. next",)


def test_sentences_respect_abbreviations_and_initials():
    text = "Kirill A. Shutemov posted it, e.g. for x86. Mr. Smith agreed. Version 4.11 is out! Is it? Yes."
    assert split_sentences(text) == (
        "Kirill A. Shutemov posted it, e.g. for x86.",
        "Mr. Smith agreed.",
        "Version 4.11 is out!",
        "Is it?",
        "Yes.",
    )


@pytest.mark.parametrize(
    "text, sentences",
    [
        ("Dr. Jones came. He left.", ("Dr. Jones came.", "He left.")),
        ("We met Dr. Who.", ("We met Dr. Who.",)),
        ("It is on Elm Dr. The house is red.", ("It is on Elm Dr.", "The house is red.")),
        ("It is on Elm Dr. Jones lives there.", ("It is on Elm Dr. Jones lives there.",)),
        ("Then St. Louis won.", ("Then St. Louis won.",)),
        ("On Feb. 3, 2025 it rained.", ("On Feb. 3, 2025 it rained.",)),
        ("It rained in Feb. The rest was dry.", ("It rained in Feb.", "The rest was dry.")),
        ("Pens, paper, etc. Bring them.", ("Pens, paper, etc.", "Bring them.")),
        ("Acme Inc. Google and others.", ("Acme Inc.", "Google and others.")),
        ("See Fig. 3 and No. 5 now.", ("See Fig. 3 and No. 5 now.",)),
        ("Use e.g. Python. It works.", ("Use e.g. Python.", "It works.")),
        ("He moved to the U.S. The move was hard.", ("He moved to the U.S.", "The move was hard.")),
        ("The U.S. Army came.", ("The U.S. Army came.",)),
        ("At 5 p.m. The room is booked.", ("At 5 p.m.", "The room is booked.")),
        ("Martin Luther King Jr. It was him.", ("Martin Luther King Jr.", "It was him.")),
        ("Prof. Okafor and Mrs. Smith spoke.", ("Prof. Okafor and Mrs. Smith spoke.",)),
    ],
)
def test_a_sentence_ends_after_an_abbreviation_only_before_a_sentence_start(text, sentences):
    assert split_sentences(text) == sentences


def test_sentence_does_not_break_inside_an_override():
    assert split_sentences("Say {Dr. No|doctor no} Now. Then stop.") == ("Say {Dr. No|doctor no} Now.", "Then stop.")


def test_segment_has_written_and_spoken_sentences():
    from pipeline.parse.script import Segment
    from pipeline.text.spoken import speak_segment

    seg = speak_segment(
        Segment(
            index=1,
            id="x",
            chapter=0,
            source="Linux 4.11-rc3 is out. It has {PAE|pay} fixes \U0001f609.",
            voice="joe",
            line=1,
        )
    )
    assert seg.written == ("Linux 4.11-rc3 is out.", "It has PAE fixes \U0001f609.")
    assert seg.sentences == ("Linux four point eleven, R C three is out.", "It has pay fixes.")
    assert seg.spoken == " ".join(seg.sentences)


LEXICON = {
    "words": {"statx": "stat x", "PAE": "pay", "Jérôme": "[[ʒeɪɹˈoʊm]]", "LPAE": "large P A E"},
    "patterns": {"k(v?)(z?)alloc": "K \\1 \\2 alloc"},
}


def test_lexicon_precedence_override_over_lexicon_over_rules():
    from pipeline.text.lexicon import parse

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
    from conftest import write
    from pipeline.errors import ConfigError
    from pipeline.text.lexicon import load

    for text, problem in [
        ("[words]\nx = 3\n", "must map to text"),
        ("[patterns]\n'(' = 'x'\n", "not a regular expression"),
        ("[wrods]\nx = 'y'\n", "unknown lexicon table"),
    ]:
        with pytest.raises(ConfigError, match=problem):
            load(write(tmp_path / "lexicon.toml", text))


@pytest.mark.parametrize(
    "key, repl, problem",
    [
        ("(a)", r"\9", "its replacement '\\\\9' cannot be used: invalid group reference 9"),  # was exit 70
        ("(a)", r"\q", "its replacement '\\\\q' cannot be used: bad escape \\q"),
        ("(?P<x>a)b", r"\g<y>", "its replacement '\\\\g<y>' cannot be used: unknown group name 'y'"),
        ("(?i)abc", "x", "cannot be used in the lexicon: global flags not at the start"),  # compiles on its own
        (r"(a)b\1", "x", "cannot be used in the lexicon: cannot refer to an open group"),
    ],
)
def test_a_lexicon_pattern_that_cannot_be_used_is_an_error_when_it_loads(tmp_path, key, repl, problem):
    from conftest import write
    from pipeline.errors import ConfigError
    from pipeline.text.lexicon import load

    path = write(tmp_path / "lexicon.toml", f"[patterns]\n'{key}' = '{repl}'\n")  # literal strings: no escapes
    with pytest.raises(ConfigError) as err:
        load(path)
    assert err.value.file == str(path)  # the location as data
    assert err.value.message.startswith(f"lexicon pattern {key!r}"), err.value.message
    assert problem in err.value.message, err.value.message


def test_a_named_group_works_beside_other_entries():
    """A pattern with a named group reads as written, and so do the entries after it."""
    from pipeline.text.lexicon import parse

    lex = parse({"patterns": {"(?P<n>e)bpf": r"\g<n> B P F", "foo": "bar"}}, "test")
    assert spoken_text("ebpf and foo", lex) == "e B P F and bar"


def test_segments_names_the_lexicon_entry_instead_of_an_internal_error(tmp_path, cli_inproc):
    from conftest import write

    write(tmp_path / "podcast.toml", '[show]\ntitle = "S"\n')
    lexicon = write(tmp_path / "lexicon.toml", "[patterns]\n'(a)' = '\\9'\n")
    ep = write(tmp_path / "ep.md", "# T\n\nThis is a test.\n")
    r = cli_inproc("segments", "--spoken", ep)
    assert r.code == 1, r.stdout + r.stderr
    assert f"{lexicon}: lexicon pattern '(a)': its replacement" in r.stderr
    assert "internal error" not in r.stderr


def test_real_transcript_spoken_text_is_clean(real_spoken):
    import re

    script = real_spoken
    bad = re.compile(r"[0-9_*/{}()]|->|[\U0001F000-\U0001FFFF\u2600-\u27BF\u2B00-\u2BFF]")
    problems = [(s.index, m.group(0)) for s in script.segments for m in bad.finditer(s.spoken)]
    assert problems == []
    assert all(len(s.written) == len(s.sentences) for s in script.segments)


@pytest.fixture(scope="module")
def real_spoken(real_transcript):
    """The real transcript through the parse and spoken stages, once for the module's checks."""
    from pipeline import _stages as stages
    from pipeline._bodies import speak_stage

    return stages.run([stages.parse_stage(stages.Options()), stages.Stage("spoken", speak_stage)], real_transcript)


# Every token issue 13 lists, with what a careful host says for it in the real transcript.
REAL_READINGS = [
    ("toward 4.12 onwards", "toward four point twelve onwards"),
    ("v4.12", "version four point twelve"),
    ("landing in 4.12", "land this in four point twelve were merged"),
    ("the 4.11 merge window", "the four point eleven merge window"),
    ("interface(s)", "the interfaces, et cetera?"),
    ("ex[]isting", "using existing migration mechanisms"),
    ("(de)inflating", "fast inflating or deflating and fast live migration"),
    ("(co-)maintained", "provided and maintained or co-maintained"),
    ("(a) list marker", "I think item A is ok"),
    ("(b) list marker", "that item B is"),
    ("hard/impossible", "hard or impossible to use"),
    ("movable/normal", "movable or normal zone"),
    ("when/where", "when or where are the V F S"),
    ("aka", "also known as arch add memory"),
    ("OpenRISC", "the open risk architecture"),
    ("PoC", "a P O C, Proof of Concept"),
    ("RCpc", "R C P C, model"),
    ("RCsc", "the R C S C, Release Consistent"),
    ("mmotm", "the M M O T M, M M of the moment"),
    ("mm struct", 'processes "M M" struct'),
    ("mce", "x eighty-six slash M C E: Handle"),
    ("kvm", '"K V M: better M wait emulation'),
    ("pfn", "move P F N range"),
    ("dma pool", "D M A pool functions"),
    ("statx", 'the new "stat X" system call'),
    ("igvtg", "I G V T G zen for the zen tree, and I G V T G kernel, and I G V T G Q emu"),
    ("kvzalloc", "use K Z alloc or K V Z alloc instead of K alloc or K V alloc and mem set"),
    ("kmalloc", "the correct K malloc slash K Z alloc slash K V star functions"),
    ("Bcachefs", "developments in B cache F S"),
    ("fsck", "encryption, F S check, and more"),
    ("dm-crypt", "a better D M crypt"),
    ("kexec", "gracefully with K exec"),
    ("powerpc", "affected arm and power P C"),
    (
        "preempt-rt",
        "the Linux preempt R T, Real Time, kernel version four point one point thirty-nine, R T forty-seven",
    ),
    ("udev", "from the U dev to online memory"),
    ("atomisp", "staging: atom I S P:"),
    ("Linux 4.11-rc3", "announced Linux four point eleven, R C three."),
    ("Git v2.12.1", "Git version two point twelve point one"),
    ("2016-Q4", "the twenty sixteen Q four release"),
    ("ARMv8.3", "arm v eight point three architecture"),
    ("arm64: v8.3", "arm sixty-four: version eight point three:"),
    ("Year 2038", '"Year twenty thirty-eight" doomsday'),
    ("32-bit PAE", "ok on thirty-two bit P A E"),
    ("__get_user_pages_fast()", "version of get user pages fast seems"),
    ("HAVE_GENERIC_RCU_GUP", "have generic R C U gup code"),
    ("inode->i_flags", "I node arrow i flags"),
    ("V4L2", "buffers in V four L two"),
    ("x86", "x eighty-six systems"),
    ("handoff", "the process of hand off from"),
    ("atomicity", "the atomicity of the page table"),
]


@pytest.mark.parametrize("token, reading", REAL_READINGS, ids=[t for t, _ in REAL_READINGS])
def test_real_transcript_reads_each_listed_token_as_a_host_would(real_spoken, token, reading):
    spoken = " ".join(s.spoken for s in real_spoken.segments)
    assert reading in spoken


def test_real_transcript_reads_every_version_one_way(real_spoken):
    import re

    spoken = " ".join(s.spoken for s in real_spoken.segments)
    for wrong in (
        "four point one two",
        "four point one one",
        "deinflating",
        "interface, s",
        "ex, isting",
        "dollarseach",
        "Open R I S C",
        "atom I city",
        " slash normal",
        "etc?",
        " aka ",
    ):
        assert wrong not in spoken
    # every 4.11 and 4.12 in the episode is a version, wherever it stands
    assert len(re.findall(r"four point twelve", spoken)) == 4
    assert len(re.findall(r"four point eleven", spoken)) == 3


def test_a_dotted_number_is_a_version_everywhere_in_the_episode():
    from pipeline.parse.script import Segment
    from pipeline.text.normalize import context_for
    from pipeline.text.spoken import speak_segment

    texts = ["We expect 4.19 soon.", "Then kernel 4.19 and 4.19 again.", "It grew 2.5 times."]
    ctx = context_for(texts)
    said = [
        speak_segment(Segment(index=i, id=str(i), chapter=0, source=t, voice="joe", line=1), context=ctx).spoken
        for i, t in enumerate(texts)
    ]
    assert said == [
        "We expect four point nineteen soon.",
        "Then kernel four point nineteen and four point nineteen again.",
        "It grew two point five times.",
    ]
    # a show that says so reads every dotted number as a version, or none without a prefix
    assert spoken_text("It grew 2.5 times.", context=context_for(texts, "version")) == "It grew two point five times."
    assert spoken_text("Now 3.14.", context=context_for(["Now 3.14."], "version")) == "Now three point fourteen."
    assert (
        spoken_text("We expect 4.19 soon.", context=context_for(texts, "decimal"))
        == "We expect four point one nine soon."
    )
    assert (
        spoken_text("Linux 4.19 is out.", context=context_for(texts, "decimal")) == "Linux four point nineteen is out."
    )


def test_spoken_text_is_cached_per_sentence(tmp_path, monkeypatch):
    from pipeline.parse.script import Segment
    from pipeline.text import spoken

    seg = Segment(index=1, id="a", chapter=0, source="Linux 4.11-rc3 is out. It has PAE fixes.", voice="joe", line=1)
    cache = spoken.TextCache(tmp_path / "spoken" / "ep.json")
    first = spoken.speak_segment(seg, cache=cache)
    cache.save()
    assert len(json.loads((tmp_path / "spoken" / "ep.json").read_text())) == 2

    def fail(*a, **k):
        raise AssertionError("normalized again")

    monkeypatch.setattr(spoken, "spoken_text", fail)
    warm = spoken.TextCache(tmp_path / "spoken" / "ep.json")
    assert spoken.speak_segment(seg, cache=warm) == first
    # a different lexicon is a different key: normalized again
    from pipeline.text.lexicon import parse

    with pytest.raises(AssertionError, match="normalized again"):
        spoken.speak_segment(seg, parse({"words": {"PAE": "pay"}}, "t"), cache=warm)


def test_real_transcript_reads_every_token_the_same_way_throughout(real_spoken):
    """Each word-like token, read alone with the episode's context, is read that way in every
    sentence it stands in (tokens inside brackets or list markers are whole only with them)."""
    import re

    from pipeline.text import spoken
    from pipeline.text.normalize import normalize

    script = real_spoken
    ctx = spoken.episode_context(script)
    readings: dict[str, str] = {}
    misread = []
    for seg in script.segments:
        for written, said in zip(seg.written, seg.sentences):
            for word in written.translate(spoken.TYPOGRAPHY).split():
                if re.search(r"[(\[{]", word):
                    continue
                for token in re.findall(r"[A-Za-z0-9][\w.'-]*[A-Za-z0-9]|[A-Za-z0-9]", word):
                    token = token.rstrip(".")
                    reading = readings.setdefault(token, normalize(token, context=ctx))
                    if reading not in said:
                        misread.append((seg.index, token, reading))
    assert len(readings) > 1000
    assert misread == []


def test_readme_table_is_true():
    """The README's 'Speaking technical text' table: each written token, read with the row's
    tokens as its episode, says what the table says."""
    import re
    from pathlib import Path

    from pipeline.text.normalize import context_for

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Speaking technical text", 1)[1].split("\n\n**", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    assert len(rows) >= 15
    for row in rows:
        written_cell, said_cell = row.strip("|").split("|")
        written = re.findall(r"`([^`]+)`", written_cell)
        said = [re.sub(r"\s*\(.*\)$", "", s.strip()) for s in said_cell.split(";")]
        if said == ["(nothing)"] or said == [""]:
            said = [""]
        assert len(written) == len(said), row
        ctx = context_for(written)
        for w, expected in zip(written, said):
            assert spoken_text(w, context=ctx) == expected, (w, expected)


def test_render_keeps_spoken_text_beside_the_segment_cache(tmp_path, monkeypatch):
    """The render's spoken stage writes <cache>/spoken/<slug>.json; a warm run normalizes nothing;
    a changed sentence is normalized alone."""
    from conftest import write
    from pipeline import _stages as stages
    from pipeline.text import spoken

    monkeypatch.setenv("PODCAST_CACHE", str(tmp_path / "cache"))
    episode = write(tmp_path / "ep.md", "Linux 4.11-rc3 is out. It has PAE fixes.\n\nThen v4.12 follows.\n")
    options = stages.Options()
    cold = stages.run([stages.parse_stage(options), stages.spoken_stage(options)], episode)
    kept = json.loads((tmp_path / "cache" / "spoken" / "ep.json").read_text(encoding="utf-8"))
    assert sorted(kept.values()) == [
        "It has P A E fixes.",
        "Linux four point eleven, R C three is out.",
        "Then version four point twelve follows.",
    ]
    calls = []
    real = spoken.spoken_text

    def counted(*a, **k):
        calls.append(a[0])
        return real(*a, **k)

    monkeypatch.setattr(spoken, "spoken_text", counted)
    warm = stages.run([stages.parse_stage(options), stages.spoken_stage(options)], episode)
    assert calls == [] and [s.spoken for s in warm.segments] == [s.spoken for s in cold.segments]
    write(episode, "Linux 4.11-rc3 is out. It has PAE fixes, too.\n\nThen v4.12 follows.\n")
    stages.run([stages.parse_stage(options), stages.spoken_stage(options)], episode)
    assert calls == ["It has PAE fixes, too."]


def test_the_show_lexicon_overrides_the_bundled_technical_lexicon():
    from pipeline.text.lexicon import parse

    assert spoken_text("statx and kvm on mm") == "stat X and K V M on M M"
    show = parse({"words": {"kvm": "K V M hypervisor", "statx": "stat ex"}}, "show")
    assert spoken_text("statx and kvm on mm", show) == "stat ex and K V M hypervisor on M M"
    assert spoken_text("5 mm and 2 km") == "five millimeters and two kilometers"  # units before the lexicon's mm


@pytest.mark.parametrize("mark", ["\u00ad", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"])
def test_an_invisible_character_inside_a_word_does_not_split_it(mark):
    """Soft hyphens and zero-width characters from the web turned `Soft\u00adware` into "Soft ware"."""
    assert spoken_text(f"The soft{mark}ware is good.") == "The software is good."


@pytest.mark.parametrize(
    "text, found",
    [
        ("A dagger † here.", [("†", "unsayable")]),
        ("Press ⌘ and ⎋ now.", [("⌘", "dropped"), ("⎋", "dropped")]),
        ("Nice \U0001f609 work \u2728 and a\u200bb.", []),  # emoji and invisible characters: silent by design
        ("C | D and x ^ y and Brand® and © Acme and a * here.", []),  # each has a reading
    ],
)
def test_every_token_is_spoken_or_a_finding(text, found):
    """A token whose reading holds what no voice can say, or a symbol no rule reads, is a finding
    (check reports it, a render warns); emoji and invisible characters are left out by design."""
    from pipeline.text.spoken import Finding

    findings: list = []
    spoken_text(text, findings=findings)
    assert findings == [Finding(t, k) for t, k in found]


def test_findings_are_kept_with_the_spoken_text_in_the_cache(tmp_path):
    """A warm render warns as a cold one does: the text cache keeps a sentence's findings."""
    from pipeline.parse.script import Segment
    from pipeline.text.spoken import Finding, TextCache, speak_segment

    segment = Segment(1, "x", 0, "A dagger † and ⌘ here. Plain text.", "joe", 3)
    cold: list = []
    cache = TextCache(tmp_path / "spoken.json")
    said = speak_segment(segment, cache=cache, findings=cold)
    cache.save()
    warm: list = []
    again = TextCache(tmp_path / "spoken.json")
    assert speak_segment(segment, cache=again, findings=warm) == said and again.added == 0
    assert cold == warm == [Finding("†", "unsayable"), Finding("⌘", "dropped")]


def test_the_spoken_stage_warns_of_each_finding_and_undeclared_label(tmp_path, caplog):
    import logging

    from conftest import write
    from pipeline._config import Settings
    from pipeline.parse.script import load_script
    from pipeline.text.spoken import speak

    path = write(tmp_path / "ep.md", "---\nspeakers: {HOST: joe}\n---\n\nHOST: Hi.\n\nGUEST: A † and ⌘ here.\n")
    with caplog.at_level(logging.WARNING):
        speak(load_script(path, Settings()))
    lines = [r.getMessage() for r in caplog.records]
    assert lines == [
        f"{path}:7: segment 2: 'GUEST' looks like a speaker label but is not declared under speakers: in the "
        "front matter (declared: HOST); it will be read aloud",
        f"{path}:7: segment 2: cannot make '†' speakable; add it to lexicon.toml or write {{†|...}}",
        f"{path}:7: segment 2: '⌘' has a symbol no rule reads, so it is not read aloud; to say it, write "
        "{⌘|...} (or add it to lexicon.toml); to say nothing, remove it",
    ]
