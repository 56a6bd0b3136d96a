from conftest import write
from pipeline._config import Settings
from pipeline.parse.plaintext import is_heading
from pipeline.parse.script import load_script


def test_real_transcript_structure(real_transcript):
    script = load_script(real_transcript, Settings())
    assert script.meta.title == "Linux Kernel Podcast for 2017/03/21"
    assert [(c.title, len(c.segments)) for c in script.chapters] == [
        ("Introduction", 6),
        ("Intel 5-level paging", 13),
        ("Heterogeneous Memory Management", 5),
        ("Ongoing Development", 10),
        ("Leave a Reply", 1),
    ]
    assert len(script.segments) == 35
    assert [s.index for s in script.segments] == list(range(1, 36))
    quoted = [s for s in script.segments if s.text.startswith("(c) need to verify the maximum VM address")]
    assert len(quoted) == 1 and quoted[0].text.endswith("properly\u201d")
    # non-breaking spaces are ordinary spaces; typographic quotes are kept for the transcript
    assert all("\u00a0" not in s.text for s in script.segments)
    assert any("\u201c" in s.text for s in script.segments)
    # braces without a bar are ordinary text
    assert any("k{v}zalloc" in s.text for s in script.segments)


def test_segment_ids_are_stable_and_unique(real_transcript):
    a = load_script(real_transcript, Settings())
    b = load_script(real_transcript, Settings())
    assert [s.id for s in a.segments] == [s.id for s in b.segments]
    assert len({s.id for s in a.segments}) == 35


def test_heading_rule():
    assert is_heading(["Ongoing Development"])
    assert not is_heading(["A sentence that ends."])
    assert not is_heading(["\u201cQuoted line\u201d"])
    assert not is_heading(["(c) bracketed"])
    assert not is_heading(["Two lines", "in one paragraph"])
    assert not is_heading(["This line is far too long to be a heading of a chapter in any transcript at all"])


def test_text_before_first_heading_is_opening_chapter(tmp_path):
    path = write(tmp_path / "ep.txt", "My Show\n\nHello there, listeners.\n\nNews\n\nThe news today is short.\n")
    script = load_script(path, Settings())
    assert [(c.title, [s.text for s in c.segments]) for c in script.chapters] == [
        ("Introduction", ["Hello there, listeners."]),
        ("News", ["The news today is short."]),
    ]


def test_multi_line_paragraph_is_joined(tmp_path):
    path = write(tmp_path / "ep.txt", "Title\n\nFirst line of a paragraph\nand its second line.\n")
    assert load_script(path, Settings()).segments[0].text == "First line of a paragraph and its second line."


def test_a_pause_inside_a_paragraph_splits_it(tmp_path):
    """As in Markdown: `[pause]` on a line of its own or inside a line is a pause, never read aloud."""
    from pipeline._config import Settings
    from pipeline.parse.script import load_script

    path = tmp_path / "ep.txt"
    path.write_text("Title\n\nText [pause 2s] inline.\nMore text here.\n[pause]\nLast words here.\n")
    script = load_script(path, Settings())
    assert [(s.text, s.pause_before, s.line) for s in script.segments] == [
        ("Text", 0.0, 3),
        ("inline. More text here.", 2.0, 3),
        ("Last words here.", 1.0, 6),
    ]
