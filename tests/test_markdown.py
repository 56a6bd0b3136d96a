import logging
import re
from collections import Counter
from pathlib import Path

import pytest

from conftest import write
from pipeline._config import Settings
from pipeline.errors import ScriptError
from pipeline.parse.markdown import strip_inline
from pipeline.parse.script import load_script
from pipeline.text.spoken import spoken_text

FULL = """---
title: Front Matter Title
episode: 12
date: 2026-11-24
description: About things.
speakers:
  HOST: joe
  GUEST: joe
---

# Heading Title

Opening words before any chapter.

## First Chapter

HOST: Welcome to the *show*, with **bold** and _emphasis_.

GUEST: Thanks for having me.

[pause 1.5s]

NOBODY: this label is not declared, so it is text.

## Second Chapter

Read the [manual](https://example.com/manual) and `make test`. <!-- note --> Still the same paragraph.

<!-- a note to self
over two lines -->

[pause]
"""


def test_full_markdown(tmp_path):
    script = load_script(write(tmp_path / "ep.md", FULL), Settings())
    assert script.meta.title == "Front Matter Title"
    assert (script.meta.episode, script.meta.date, script.meta.description) == (12, "2026-11-24", "About things.")
    assert [c.title for c in script.chapters] == ["Introduction", "First Chapter", "Second Chapter"]
    segs = script.segments
    assert [s.text for s in segs] == [
        "Opening words before any chapter.",
        "Welcome to the show, with bold and emphasis.",
        "Thanks for having me.",
        "NOBODY: this label is not declared, so it is text.",
        "Read the manual and make test. Still the same paragraph.",
    ]
    assert [s.speaker for s in segs] == [None, "HOST", "GUEST", None, None]
    assert segs[3].pause_before == 1.5
    assert script.trailing_pause == 1.0
    assert [s.chapter for s in segs] == [0, 1, 1, 1, 2]


def test_heading_gives_title_without_front_matter(tmp_path):
    script = load_script(write(tmp_path / "ep.md", "# The Title\n\nSome words here.\n"), Settings())
    assert script.meta.title == "The Title"
    assert [c.title for c in script.chapters] == ["Introduction"]


def test_opening_chapter_title_is_settable(tmp_path):
    write(tmp_path / "podcast.toml", '[speech]\nopening_chapter = "Cold open"\n')
    from pipeline._config import settings_for

    path = write(tmp_path / "ep.md", "Some words here.\n\n## Next\n\nMore words.\n")
    script = load_script(path, settings_for(path))
    assert [c.title for c in script.chapters] == ["Cold open", "Next"]


def test_inline_override_and_plain_braces(tmp_path):
    path = write(tmp_path / "ep.md", "Use {kv*alloc|K V alloc} and k{v}zalloc.\n")
    seg = load_script(path, Settings()).segments[0]
    assert seg.text == "Use kv*alloc and k{v}zalloc."
    assert seg.source == "Use {kv*alloc|K V alloc} and k{v}zalloc."


def test_fenced_code_is_skipped_with_warning(tmp_path, caplog):
    path = write(tmp_path / "ep.md", "Before.\n\n```\nprint('hi')\n\nmore code\n```\n\nAfter.\n")
    with caplog.at_level(logging.WARNING):
        script = load_script(path, Settings())
    assert [s.text for s in script.segments] == ["Before.", "After."]
    assert "fenced code block skipped" in caplog.text


def test_empty_heading_warns_and_is_dropped(tmp_path, caplog):
    path = write(tmp_path / "ep.md", "## Empty\n\n## Full\n\nWords.\n")
    with caplog.at_level(logging.WARNING):
        script = load_script(path, Settings())
    assert [c.title for c in script.chapters] == ["Full"]
    assert "'Empty' has no text under it" in caplog.text


def test_list_items_become_sentences(tmp_path):
    path = write(tmp_path / "ep.md", "Three things:\n- apples\n- pears\n- plums\n")
    assert load_script(path, Settings()).segments[0].text == "Three things: apples. pears. plums"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("*a* and **b**", "a and b"),
        ("__get_user_pages_fast()", "__get_user_pages_fast()"),
        ("kmalloc/kzalloc/kv*", "kmalloc/kzalloc/kv*"),
        ("marked *", "marked *"),
        ("![logo](x.png) hi", "hi"),
        ("see <https://example.com>", "see https://example.com"),
        ("a <br/> b", "a b"),
        ("~~gone~~ kept", "gone kept"),
        (r"not \*emphasis\*", "not *emphasis*"),
        ("snake_case_name stays", "snake_case_name stays"),
    ],
)
def test_strip_inline(text, expected):
    assert strip_inline(text) == expected


@pytest.mark.parametrize(
    "body, problem",
    [
        ("---\ntitle: x\n\nNo closing line.\n", "front matter is not closed"),
        ("---\ntitle: [unclosed\n---\n\nText.\n", "front matter is not valid YAML"),
        ("---\n- a list\n---\n\nText.\n", "front matter must be 'key: value' lines"),
        ("---\nepisode: twelve\n---\n\nText.\n", "'episode' must be a whole number"),
        ("---\ndate: 24/11/2026\n---\n\nText.\n", "'date' must be YYYY-MM-DD"),
        ("---\nspeakers: joe\n---\n\nText.\n", "'speakers' must map labels"),
        ("Text.\n\n```\ncode never closed\n", "code block is not closed"),
        ("Text <!-- never closed\n", "HTML comment is not closed"),
        ("Text.\n\n[pause soon]\n", "cannot read pause length"),
        ("Text.\n\n[pause 600s]\n", "between 0 and 60 seconds"),
        ("## Only a heading\n", "has no paragraphs to speak"),
        ("\U0001f600 \U0001f609 ***\n\n!!! ???\n", "has no paragraphs to speak"),
    ],
)
def test_bad_markdown(tmp_path, body, problem):
    path = write(tmp_path / "bad.md", body)
    with pytest.raises(ScriptError) as err:
        load_script(path, Settings())
    assert problem in str(err.value)
    assert str(path) in str(err.value)
    assert "\n" not in str(err.value)


def test_setext_headings_are_headings(tmp_path):
    path = write(tmp_path / "ep.md", "The Title\n=========\n\nOpening words.\n\nIntro\n-----\n\nChapter words.\n")
    script = load_script(path, Settings())
    assert script.meta.title == "The Title"
    assert [c.title for c in script.chapters] == ["Introduction", "Intro"]
    assert [s.text for s in script.segments] == ["Opening words.", "Chapter words."]
    assert "equals" not in " ".join(s.text for s in script.segments)


def test_indented_code_is_not_read(tmp_path, caplog):
    path = write(tmp_path / "ep.md", "Before.\n\n    make install\n    sudo reboot\n\nAfter.\n")
    with caplog.at_level(logging.WARNING):
        script = load_script(path, Settings())
    assert [s.text for s in script.segments] == ["Before.", "After."]
    assert "ep.md:3: indented code block skipped" in caplog.text


def test_html_blocks_and_link_definitions_are_not_read(tmp_path):
    body = 'Before.\n\n<div class="note">\nhidden\n</div>\n\nSee [the docs][d].\n\n[d]: https://example.com\n'
    script = load_script(write(tmp_path / "ep.md", body), Settings())
    assert [s.text for s in script.segments] == ["Before.", "See the docs."]


def test_pause_line_inside_a_paragraph_splits_it(tmp_path):
    script = load_script(write(tmp_path / "ep.md", "One.\n[pause 2s]\nTwo.\n"), Settings())
    assert [(s.text, s.pause_before, s.line) for s in script.segments] == [("One.", 0.0, 1), ("Two.", 2.0, 3)]


def test_markup_inside_an_override_stays_as_written(tmp_path):
    seg = load_script(write(tmp_path / "ep.md", "Call {*ptr*|star pointer} and {a_b_|A B}.\n"), Settings()).segments[0]
    assert seg.source == "Call {*ptr*|star pointer} and {a_b_|A B}."


def texts(tmp_path, body: str) -> list[str]:
    return [s.text for s in load_script(write(tmp_path / "ep.md", body), Settings()).segments]


def test_comment_markers_in_inline_code_are_code(tmp_path):
    # `<!--` and `-->` in code spans two paragraphs apart once deleted everything between them
    body = "Type `<!--` to start an HTML comment.\n\nThis whole paragraph should be spoken.\n\nAnd `-->` ends it.\n"
    assert texts(tmp_path, body) == [
        "Type <!-- to start an HTML comment.",
        "This whole paragraph should be spoken.",
        "And --> ends it.",
    ]


@pytest.mark.parametrize(
    "body",
    [
        "Use `<!--` to open a comment in HTML.\n\nAfter.\n",
        "Before.\n\n```html\n<!-- a <!-- b -->\n```\n\n    <!-- indented\n\nAfter.\n",
        "Before.\n\n- item\n\n      <!-- code in a list\n\nAfter.\n",
    ],
)
def test_a_comment_opener_in_code_is_not_an_unclosed_comment(tmp_path, body):
    assert texts(tmp_path, body)[-1] == "After."


def test_comments_are_not_read(tmp_path):
    body = (
        "<!-- a note to self\n\nover a blank line\n[pause]\n-->\n\n"  # a comment block ends only at -->
        "One <!-- a note\n[pause 2s]\nin a paragraph --> two.\n\n"  # a [pause] inside a comment is no pause
        "<!-- note --> Read after the comment <!-- and not this --> too.\n\n"
        "Say \\<!-- escaped.\n"  # an escaped opener is text
    )
    script = load_script(write(tmp_path / "ep.md", body), Settings())
    assert [(s.text, s.pause_before, s.line) for s in script.segments] == [
        ("One two.", 0.0, 7),
        ("Read after the comment too.", 0.0, 11),
        ("Say <!-- escaped.", 0.0, 13),
    ]
    assert script.trailing_pause == 0.0
    assert texts(tmp_path, "- <!-- a note --> item\n- two\n") == ["item. two"]


@pytest.mark.parametrize(
    "body, line",
    [
        ("Text.\n\nMore <!-- never closed\n", 3),
        ("Text.\n\n<!-- never closed\n\nmore\n", 3),
        ("Text.\n\nA comment <!-- in a paragraph\n\nends at its blank line -->\n", 3),
        ("Text.\n\n- item\n- an item <!-- not closed\n", 4),
        ("## Title <!-- not closed\n\nText.\n", 1),
    ],
)
def test_unclosed_comment_in_prose_is_an_error_at_its_line(tmp_path, body, line):
    path = write(tmp_path / "bad.md", body)
    with pytest.raises(ScriptError, match="HTML comment is not closed") as err:
        load_script(path, Settings())
    assert err.value.line == line


def test_pause_line_under_a_list_item_is_a_pause(tmp_path):
    script = load_script(write(tmp_path / "ep.md", "Two:\n- list item one\n[pause]\n- list item two\n"), Settings())
    assert [(s.text, s.pause_before, s.line) for s in script.segments] == [
        ("Two: list item one", 0.0, 1),
        ("list item two", 1.0, 4),
    ]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("x<br/>y", "x y"),
        ("with<br>inline", "with inline"),
        ("one</p><p>two", "one two"),
        ("H<sub>2</sub>O and <span class='x'>this</span>", "H2O and this"),  # inline tags join as rendered
        ("word<!-- a note -->s", "words"),
    ],
)
def test_inline_html(text, expected):
    assert strip_inline(text) == expected


def test_table_is_skipped_with_warning(tmp_path, caplog):
    body = (
        "Before.\n\n| col a | col b |\n| ----- | ----- |\n| one   | two   |\n\n- item\n\n  | x |\n  |---|\n\nAfter.\n"
    )
    with caplog.at_level(logging.WARNING):
        assert texts(tmp_path, body) == ["Before.", "item", "After."]
    assert "ep.md:3: table skipped (a table is not read aloud)" in caplog.text
    assert "ep.md:9: table skipped" in caplog.text


def test_only_a_paragraph_joins_the_list_below_it(tmp_path):
    body = "Para one.\n\n- a\n- b\n\nPara two:\n- c\n- d\n\n1. e\n2. f\n\n- g\n\nLast.\n"
    assert texts(tmp_path, body) == ["Para one.", "a. b", "Para two: c. d", "e. f", "g", "Last."]
    loose = "Intro:\n- a\n\n  more about a\n- b\n1. c\n"  # a loose list's last paragraph is not a paragraph above
    assert texts(tmp_path, loose) == ["Intro:", "a", "more about a", "b", "c"]


def test_heading_in_a_list_is_read_as_an_item_with_warning(tmp_path, caplog):
    with caplog.at_level(logging.WARNING):
        script = load_script(write(tmp_path / "ep.md", "Intro.\n\n- # heading in list\n- item\n"), Settings())
    assert [s.text for s in script.segments] == ["Intro.", "heading in list. item"]
    assert [c.title for c in script.chapters] == ["Introduction"]
    assert "ep.md:3: heading in a list is read as a list item, not a chapter" in caplog.text


def test_links_read_their_text_and_urls_their_host(tmp_path):
    body = "A [link text](https://example.com/long/path) and <https://example.com/x> and https://example.com/x.\n"
    assert texts(tmp_path, body) == ["A link text and https://example.com/x and https://example.com/x."]
    assert (
        spoken_text(texts(tmp_path, body)[0]) == "A link text and example dot com slash X and example dot com slash X."
    )
    spoken = spoken_text(texts(tmp_path, "See <https://www.kernel.org/pub/linux/> or <a@b.com>.\n")[0])
    assert spoken == "See kernel dot org slash pub slash linux or a at b dot com."


def test_readme_markdown_sample_reads_as_it_says(tmp_path):
    # It says the words of emphasis, links and inline code are read (not their marks), comments not.
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    sample = re.search(r"\*\*Markdown\*\* \(`\.md`\).*?```markdown\n(.*?)```", readme, re.DOTALL)
    assert sample
    assert texts(tmp_path, sample.group(1))[1] == (
        "Each paragraph is one segment. Of emphasis, links and code the words are read, not the marks. "
        "Fenced code blocks are skipped."
    )


# ---------------------------------------------------------------- every word read, skipped with a warning, or an error

_AFTER = "\n\nThe closing paragraph.\n\n## The Later Chapter\n\nIts last words.\n"


def _nested_list(depth: int, marker: str = "-", indent: int = 2) -> str:
    return "".join(" " * (indent * i) + f"{marker} item{i}\n" for i in range(depth))


def _nested_loose_list(depth: int) -> str:
    return "".join(" " * (2 * i) + f"- item{i}\n\n" + " " * (2 * i + 2) + f"more{i}\n\n" for i in range(depth))


def _mixed(depth: int) -> str:
    return "".join("> " * i + f"- level{i}\n" for i in range(depth))


_WORD = re.compile(r"[A-Za-z]+[0-9]*")

# Each construct the CommonMark parser nests (and could stop on), at depths from ordinary to hostile.
NESTED = {
    "bullet list": _nested_list,
    "ordered list": lambda n: _nested_list(n, "1.", 3),
    "loose list": _nested_loose_list,
    "quote": lambda n: ">" * n + " quoted words\n",
    "spaced quote": lambda n: "> " * n + "quoted words\n",
    "quote over lines": lambda n: "".join(">" * (i + 1) + f" line{i}\n" for i in range(n)),
    "quote and list": _mixed,
    "list in quote": lambda n: "> " + _nested_list(n).replace("\n", "\n> ").rstrip("> ") + "\n",
    "emphasis": lambda n: "*a " * n + "words" + " b*" * n + "\n",
    "strong": lambda n: "**a " * n + "words" + " b**" * n + "\n",
    "strike": lambda n: "~~a " * n + "words" + " b~~" * n + "\n",
    "brackets": lambda n: "[" * n + "words" + "]" * n + "(u) tail\n",
    "links": lambda n: "[a " * n + "words" + "](u) b" * n + "\n",
    "inline html": lambda n: "<span>a " * n + "words" + " b</span>" * n + "\n",
    "code spans": lambda n: "`" * n + " code words " + "`" * n + " tail\n",
}


def _read_words(script) -> list[str]:
    opening = Settings().speech.opening_chapter  # the untitled opening chapter's name is not in the script
    out = [w for c in script.chapters if c.title != opening for w in _WORD.findall(c.title)]
    return out + [w for s in script.segments for w in _WORD.findall(s.text)]


@pytest.mark.parametrize("depth", [3, 10, 20, 40, 60, 300])
@pytest.mark.parametrize("construct", sorted(NESTED))
def test_every_word_of_nested_markdown_is_read_or_an_error(tmp_path, construct, depth):
    """Whatever the parser can nest, every word of the script is read, or the script is refused with
    one line naming the line where reading stops: never a silently shorter episode."""
    nested = NESTED[construct](depth)
    body = "Opening words.\n\n" + nested + _AFTER
    path = write(tmp_path / "ep.md", body)
    try:
        script = load_script(path, Settings())
    except ScriptError as err:
        assert "nested" in err.message and "\n" not in str(err), err
        assert err.line is not None and 3 <= err.line <= 2 + nested.count("\n"), err
        return
    markup = {"u", "span"}  # a link's URL, a tag's name
    lost = Counter(w for w in _WORD.findall(body) if w not in markup) - Counter(_read_words(script))
    assert not lost, (construct, lost)
    assert [c.title for c in script.chapters][-1] == "The Later Chapter"


def test_ten_deep_list_and_twenty_deep_quote_are_read(tmp_path):
    """Nesting a script might really have (a ten-level list, a twenty-level quote) is read whole."""
    body = "Opening words.\n\n" + _nested_list(10) + "\n" + ">" * 20 + " quoted words\n" + _AFTER
    script = load_script(write(tmp_path / "ep.md", body), Settings())
    assert [c.title for c in script.chapters] == ["Introduction", "The Later Chapter"]
    assert [s.text for s in script.segments] == [
        "Opening words.",
        ". ".join(f"item{i}" for i in range(10)),
        "quoted words",
        "The closing paragraph.",
        "Its last words.",
    ]


def test_html_block_is_skipped_with_a_warning_naming_its_line(tmp_path, caplog):
    body = 'Before.\n\n<div class="note">\nWords in raw HTML.\n</div>\n\nAfter.\n'
    with caplog.at_level(logging.WARNING):
        assert texts(tmp_path, body) == ["Before.", "After."]
    assert "ep.md:3: HTML block skipped" in caplog.text


def test_image_is_skipped_with_a_warning_naming_its_line(tmp_path, caplog):
    with caplog.at_level(logging.WARNING):
        assert texts(tmp_path, "Before.\n\nSee ![a diagram of the parts](d.png) here.\n") == ["Before.", "See here."]
    assert "ep.md:3: image 'a diagram of the parts' skipped" in caplog.text


def test_a_heading_that_is_not_the_front_matter_title_is_named_in_a_warning(tmp_path, caplog):
    """With a title in the front matter, a `#` heading that says something else is not read
    (the opening chapter keeps its name): a warning names its line, so the author knows."""
    body = "---\ntitle: Episode Twelve\n---\n# Welcome to the show\n\nOpening words.\n\n## Next\n\nMore.\n"
    with caplog.at_level(logging.WARNING):
        script = load_script(write(tmp_path / "ep.md", body), Settings())
    assert script.meta.title == "Episode Twelve"
    assert "ep.md:4: heading 'Welcome to the show' is not read" in caplog.text
    assert "'Episode Twelve'" in caplog.text


def test_a_heading_that_repeats_the_episode_or_show_title_is_a_title(tmp_path, caplog):
    """A `#` heading that says the front matter's title, or the show's (as the example does), is
    a title: nothing to warn about."""
    from pipeline._config import settings_for

    write(tmp_path / "podcast.toml", '[show]\ntitle = "Signal Path"\n')
    for heading in ("Episode  Twelve", "signal path"):
        path = write(tmp_path / "ep.md", f"---\ntitle: Episode *Twelve*\n---\n# {heading}\n\nOpening words.\n")
        with caplog.at_level(logging.WARNING):
            script = load_script(path, settings_for(path))
        assert script.meta.title == "Episode *Twelve*" and "is not read" not in caplog.text


@pytest.mark.parametrize("label", ["Ben", "Dr. Okafor", "Maya Lin", "Host"])
def test_an_undeclared_name_label_is_named_in_a_warning(tmp_path, caplog, label):
    """In a script that declares its speakers, a paragraph opening with a name and a colon that
    is not declared is read aloud as written, with a warning naming its line."""
    body = f"---\nspeakers: {{HOST: joe}}\n---\n\nHOST: Hello.\n\n{label}: thanks for having me.\n"
    with caplog.at_level(logging.WARNING):
        script = load_script(write(tmp_path / "ep.md", body), Settings())
    assert script.segments[1].speaker is None and script.segments[1].text.startswith(label)
    assert f"ep.md:7: {label!r} looks like a speaker label but is not declared" in caplog.text
    assert "declared: HOST" in caplog.text


def test_a_colon_after_a_word_is_no_label_without_declared_speakers(tmp_path, caplog):
    with caplog.at_level(logging.WARNING):
        load_script(write(tmp_path / "ep.md", "Note: this is text.\n\nBen: so is this.\n"), Settings())
    assert "speaker label" not in caplog.text


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Press <Enter> to continue.", "Press <Enter> to continue."),
        ("A Vec<u8> and an Option<T> in Rust.", "A Vec<u8> and an Option<T> in Rust."),
        ("Type <your-name> here.", "Type <your-name> here."),
        ("A Box<dyn Error> and an Array<Object>.", "A Box<dyn Error> and an Array<Object>."),
        ("Keys <Q> and <B> and <Tab>.", "Keys <Q> and <B> and <Tab>."),
        ("Real <b>bold</b>, <SPAN>caps</SPAN>, <em class='x'>em</em>.", "Real bold, caps, em."),
    ],
)
def test_an_angle_bracketed_word_that_is_no_html_element_is_text(text, expected):
    """CommonMark reads `<word>` as an inline HTML tag; only the tags of HTML elements (written
    in lowercase or capitals, as HTML is) are markup: any other is words, and read."""
    assert strip_inline(text) == expected


def test_every_angle_bracketed_word_is_spoken(tmp_path):
    path = write(
        tmp_path / "ep.md",
        "# T\n\nPress <Enter> to continue. A Vec<u8> and an Option<T> in Rust. Include <stdio.h> first. "
        "Type <your-name> here.\n",
    )
    (segment,) = load_script(path, Settings()).segments
    said = spoken_text(segment.source)
    for word in ("Enter", "Vec of u eight", "Option of T", "std io dot H", "your-name here"):
        assert word in said, said


@pytest.mark.parametrize(
    "text, dropped",
    [
        ('A cat <img alt="a black cat" src="cat.png"> sat.', "<img"),
        ("How <![CDATA[ works in XML ]]> here.", "<![CDATA["),
        ("A <?php echo 'hi' ?> tag.", "<?php"),
        ("A <abbr title='HyperText Markup Language'>HTML</abbr> page.", "<abbr"),
    ],
)
def test_inline_html_dropped_with_words_in_it_is_named_in_a_warning(tmp_path, caplog, text, dropped):
    path = write(tmp_path / "ep.md", f"# T\n\nFirst line\n{text}\n")
    with caplog.at_level(logging.WARNING):
        load_script(path, Settings())
    assert f"ep.md:4: inline HTML {dropped}" in caplog.text and "not read aloud" in caplog.text


def test_markup_tags_without_words_are_dropped_quietly(tmp_path, caplog):
    path = write(tmp_path / "ep.md", "# T\n\nH<sub>2</sub>O and <span class='x'>this</span><br> and <!-- a note -->.\n")
    with caplog.at_level(logging.WARNING):
        assert load_script(path, Settings()).segments[0].source == "H2O and this and ."
    assert "inline HTML" not in caplog.text


@pytest.mark.parametrize(
    "body, expected",
    [
        ("Text [pause 2s] inline.\n", [("Text", 0.0, 1), ("inline.", 2.0, 1)]),
        ("We wait. [pause] Then go on.\n", [("We wait.", 0.0, 1), ("Then go on.", 1.0, 1)]),
        ("One *two* [PAUSE 500ms]\nthree.\n", [("One two", 0.0, 1), ("three.", 0.5, 1)]),
        ("[pause] First words.\n", [("First words.", 1.0, 1)]),
        ("Last words. [pause 1.5s]\n\nNext.\n", [("Last words.", 0.0, 1), ("Next.", 1.5, 3)]),
        ("A `[pause]` in code and {[pause]|a pause} said.\n", [("A [pause] in code and [pause] said.", 0.0, 1)]),
    ],
)
def test_a_pause_inside_a_line_splits_the_paragraph_there(tmp_path, body, expected):
    """`[pause]` anywhere in a line's text is a pause, as on a line of its own (never read
    aloud); in code or an override it is what is written."""
    script = load_script(write(tmp_path / "ep.md", body), Settings())
    assert [(s.text, s.pause_before, s.line) for s in script.segments] == expected


def test_a_bad_pause_inside_a_line_is_an_error_at_its_line(tmp_path):
    with pytest.raises(ScriptError, match=r"ep.md:2: cannot read pause length 'soon'"):
        load_script(write(tmp_path / "ep.md", "One.\nTwo [pause soon] three.\n"), Settings())


def test_a_task_list_box_is_not_read(tmp_path):
    body = "Tasks:\n\n- [x] done item words\n- [ ] open item words\n- [X] Done too\n- [y] not a box\n"
    assert texts(tmp_path, body) == ["Tasks:", "done item words. open item words. Done too. [y] not a box"]


def test_an_angle_bracketed_text_over_two_lines_is_one_line_of_words(tmp_path):
    assert texts(tmp_path, "Press <Ctrl\nKey> now.\n") == ["Press <Ctrl Key> now."]
