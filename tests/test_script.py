import logging
import re

import pytest

from conftest import write
from pipeline._config import Settings
from pipeline.errors import ScriptError, UsageError
from pipeline.parse.script import load_script, parse_pause, slugify


@pytest.mark.parametrize(
    "data, problem",
    [
        (b"", "is empty"),
        (b"  \n\t\n  \n", "is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
        ("Caf\u00e9 au lait.\n".encode("latin-1"), "is not UTF-8 text"),
    ],
)
def test_unreadable_scripts(tmp_path, data, problem):
    path = write(tmp_path / "ep.md", data)
    with pytest.raises(ScriptError, match=problem):
        load_script(path, Settings())


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(ScriptError, match="no such file"):
        load_script(tmp_path / "nope.md", Settings())
    with pytest.raises(ScriptError, match="is a folder"):
        load_script(tmp_path, Settings())


def test_unknown_format(tmp_path):
    with pytest.raises(ScriptError, match="unknown script format '.docx'"):
        load_script(write(tmp_path / "ep.docx", "Words."), Settings())


def test_bom_and_crlf_are_accepted(tmp_path):
    path = write(tmp_path / "ep.md", "\ufeff# Title\r\n\r\nHello there.\r\n".encode("utf-8"))
    script = load_script(path, Settings())
    assert script.meta.title == "Title"
    assert script.segments[0].text == "Hello there."


def test_segment_lookup(tmp_path):
    script = load_script(write(tmp_path / "ep.md", "One.\n\nTwo.\n\nThree.\n"), Settings())
    assert script.segment("2").text == "Two."
    assert script.segment(script.segments[2].id).text == "Three."
    # A reference to a segment comes from the command line: one the script lacks is bad usage (exit 2).
    with pytest.raises(UsageError, match=r"segment 4 is out of range \(the script has 1 to 3\)"):
        script.segment("4")
    with pytest.raises(UsageError, match="segment 0 is out of range"):
        script.segment("0")
    with pytest.raises(UsageError, match="no segment with id 'zzz'"):
        script.segment("zzz")


def test_duplicate_paragraphs_get_distinct_ids(tmp_path):
    script = load_script(write(tmp_path / "ep.md", "Same.\n\nSame.\n"), Settings())
    a, b = script.segments
    assert a.id != b.id and b.id.startswith(a.id)


def test_ids_survive_edits_elsewhere(tmp_path):
    one = load_script(write(tmp_path / "a.md", "Alpha.\n\nBeta.\n"), Settings())
    two = load_script(write(tmp_path / "b.md", "New first.\n\nAlpha.\n\nBeta.\n"), Settings())
    assert [s.id for s in one.segments] == [s.id for s in two.segments][1:]


def test_symbol_only_paragraph_warns(tmp_path, caplog):
    with caplog.at_level(logging.WARNING):
        script = load_script(write(tmp_path / "ep.md", "Words.\n\n\u2728 \u2728 ***\n"), Settings())
    assert len(script.segments) == 1
    assert "nothing to say" in caplog.text


def test_long_paragraph_warns(tmp_path, caplog):
    with caplog.at_level(logging.WARNING):
        load_script(write(tmp_path / "ep.md", "word " * 2000), Settings())
    assert "paragraph of 2000 words" in caplog.text


def test_pause_lengths(tmp_path):
    p = tmp_path / "x.md"
    assert parse_pause("[pause]", p, 1) == 1.0
    assert parse_pause("[pause 1.5s]", p, 1) == 1.5
    assert parse_pause("[Pause 250ms]", p, 1) == 0.25
    assert parse_pause("[pause 2 s]", p, 1) == 2.0
    assert parse_pause("not a pause", p, 1) is None


def test_slug():
    from pathlib import Path

    assert slugify(Path("2017-03-21 Linux Kernel Podcast.txt")) == "2017-03-21-linux-kernel-podcast"


# ---------------------------------------------------------------- bounded front matter


def _alias_bomb(levels: int) -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, levels)]
    return "---\n" + "\n".join(lines) + f"\ntitle: *a{levels - 1}\n---\n\nHello.\n"


@pytest.mark.parametrize("levels", [2, 9, 30])
def test_front_matter_refuses_yaml_aliases_in_one_short_line(tmp_path, levels):
    """An alias (`*name`) in front matter is refused at once, naming the file, line and key: an
    alias bomb costs neither time nor memory, and no message holds its expansion."""
    path = write(tmp_path / "ep.md", _alias_bomb(levels))
    with pytest.raises(ScriptError) as err:
        load_script(path, Settings())
    message = str(err.value)
    assert "alias" in message and "'a1'" in message and str(path) in message, message
    assert err.value.line == 3 and len(message) < 300 and "\n" not in message


@pytest.mark.parametrize(
    "front",
    [
        "title: " + "[" * 5000 + "]" * 5000,
        "title: " + "{a: " * 5000 + "1" + "}" * 5000,
        "title:\n" + "".join(" " * (i + 1) + f"k{i}:\n" for i in range(3000)),
        "speakers:\n" + "".join(" " * (2 * i + 2) + "- \n" for i in range(3000)),
    ],
)
def test_deeply_nested_front_matter_is_one_line(tmp_path, front):
    """Front matter nested deeper than any setting needs is refused with one line naming the key."""
    path = write(tmp_path / "ep.md", f"---\n{front}\n---\n\nHello.\n")
    with pytest.raises(ScriptError) as err:
        load_script(path, Settings())
    message = str(err.value)
    assert "nested" in message and ("'title'" in message or "'speakers'" in message), message
    assert len(message) < 300 and "\n" not in message


def test_a_huge_wrong_value_is_shown_short(tmp_path):
    """A message about a wrong value shows a short excerpt of it, never the whole value."""
    path = write(tmp_path / "ep.md", "---\ntitle: [" + ", ".join(["word"] * 20_000) + "]\n---\n\nHello.\n")
    with pytest.raises(ScriptError, match="front matter 'title' must be text, not \\['word', 'word'") as err:
        load_script(path, Settings())
    assert len(str(err.value)) < 300


@pytest.mark.parametrize(
    "line, problem",
    [
        ("[pause 0s]", "a pause must be longer than 0 seconds"),
        ("[pause 0ms]", "a pause must be longer than 0 seconds"),
        ("[pause 61s]", "pause length must be between 0 and 60 seconds, not 61s"),
    ],
)
def test_pause_length_out_of_range_says_what_is_wrong(tmp_path, line, problem):
    with pytest.raises(ScriptError, match=problem):
        parse_pause(line, tmp_path / "x.md", 3)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
def test_a_script_saved_as_utf16_or_utf32_with_its_bom_is_read(tmp_path, encoding):
    """Windows editors save "Unicode" as UTF-16 with a byte-order mark: read it, not "binary"."""
    text = "\ufeff# Título\n\nHello there, café.\n"
    data = text.encode(encoding) if encoding != "utf-16-be" else b"\xfe\xff" + text[1:].encode("utf-16-be")
    script = load_script(write(tmp_path / "ep.md", data), Settings())
    assert script.meta.title == "Título" and script.segments[0].text == "Hello there, café."


def test_every_leading_byte_order_mark_is_stripped(tmp_path):
    path = write(tmp_path / "ep.txt", "\ufeff\ufeffDouble BOM Title\n\nHello there.\n".encode("utf-8"))
    assert load_script(path, Settings()).meta.title == "Double BOM Title"


@pytest.mark.parametrize("front", ["---\n---\n", "---\n# only a comment\n---\n", "---\n\n  \n---\n"])
def test_empty_front_matter_is_accepted_comment_or_not(tmp_path, front):
    script = load_script(write(tmp_path / "ep.md", f"{front}\nHello there.\n"), Settings())
    assert script.meta.title == "ep" and script.segments[0].text == "Hello there."


@pytest.mark.parametrize(
    "text, problem",
    [
        ("Say {a|b|c} now.", "inline override '{a|b|c}' has more than one '|'"),
        ("Say {a|{b|c}} now.", "inline override '{a|{b|c}}' holds another"),
    ],
)
def test_an_override_with_two_bars_or_nested_is_an_error_at_its_line(tmp_path, text, problem):
    """`{written|spoken}` has one `|`; another (or an override inside one) would be read oddly."""
    with pytest.raises(ScriptError, match=re.escape(f"ep.md:3: {problem}")):
        load_script(write(tmp_path / "ep.md", f"# T\n\n{text}\n"), Settings())


@pytest.mark.parametrize("text", ["[pause]", "<!-- x -->", "[pause 2s] <!-- note -->", "", "😀", "```\ncode\n```"])
def test_text_with_nothing_to_say_has_no_source(text):
    """`preview --text`: the text read as a paragraph of a Markdown script is; nothing to say: None."""
    from pipeline.parse.script import text_source

    assert text_source(text) is None


def test_text_source_reads_markup_as_a_script_does():
    from pipeline.parse.script import text_source

    assert text_source("Hello *there* [pause] again <!-- no -->.\n\nMore.") == "Hello there again . More."
