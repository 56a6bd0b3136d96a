"""Descriptions in HTML: a safe subset for the pages and the feed, plain text for ID3."""

from pipeline.publish.html import episode_text_warnings, plain_text, sanitize, show_text_warnings


def test_the_safe_subset_keeps_formatting_and_links():
    text = '<p>About <b>seeking</b>, <em>really</em>: <a href="https://example.com/x?a=1&amp;b=2">notes</a></p>'
    assert sanitize(text) == (
        "<p>About <b>seeking</b>, <em>really</em>: "
        '<a href="https://example.com/x?a=1&amp;b=2" rel="noopener noreferrer nofollow">notes</a></p>'
    )


def test_scripts_handlers_styles_and_bad_links_are_removed():
    text = (
        '<p onclick="steal()" style="color:red">Hi <a href="javascript:alert(1)">x</a></p>'
        "<script>alert(1)</script><style>p{}</style><iframe src=//evil></iframe><img src=x onerror=y>"
    )
    out = sanitize(text)
    assert out == '<p>Hi <a rel="noopener noreferrer nofollow">x</a></p>'


def test_plain_text_is_escaped_and_safe_in_cdata():
    assert sanitize("Tom & Jerry: 1 < 2") == "Tom &amp; Jerry: 1 &lt; 2"
    assert "]]>" not in sanitize("a ]]> b")  # so the feed can put it in CDATA as it is


def test_plain_text_for_id3():
    assert plain_text("<p>One <b>two</b></p><p>Three<br>four &amp; five</p><script>x()</script>") == (
        "One two Three four & five"
    )
    assert plain_text("No markup, 1 < 2") == "No markup, 1 < 2"


# One source of truth: what a page or the feed shows is what an ID3 comment says.
CASES = [
    "In this episode: how <![CDATA[ works in XML, and why. Plus news about the <template> element and <br/> tags.",
    "Generics: Vec<T> and Option<String> explained.",
    "We compare a<b and c>d, then more text here.",
    "Press <Enter> to go on; include <stdio.h>; type <your-name>.",
    '<p>One <b>two</b></p><p>Three<br>four &amp; five</p><script>x()</script><a href="javascript:y">z</a>',
    "<p>one<p>two<ul><li>a<li>b</ul>",
]


def test_plain_text_is_the_text_of_the_sanitized_html():

    from pipeline.publish.html import _Text

    for text in CASES:
        shown = _Text()
        shown.feed(sanitize(text))
        shown.close()
        words = " ".join("".join(shown.parts).split())
        assert plain_text(text) == words, text


def test_text_that_is_not_a_tag_is_shown_as_written():
    """A `<` that starts no HTML element a podcaster would write (Vec<T>, a<b, <![CDATA[, an
    element never closed) is text: shown as written, never read as markup or dropped."""
    for text in CASES[:4]:
        assert plain_text(text) == text.replace("<br/> ", ""), text
    assert sanitize("We compare a<b and c>d, then more.") == "We compare a&lt;b and c&gt;d, then more."
    assert sanitize("Vec<T>") == "Vec&lt;T&gt;"
    # real markup stays markup
    assert sanitize("<b>bold</b> and<br>a break") == "<b>bold</b> and<br>a break"
    assert sanitize("<p>one<p>two") == "<p>one</p><p>two</p>"


def test_dropped_text_names_the_words_sanitizing_removes():
    from pipeline.publish.html import dropped_text

    for text in CASES[:4]:
        assert dropped_text(text) is None, text
    assert dropped_text("<b>Markup</b> <i>only</i>, <a href='javascript:x'>links</a> <img src=x alt=y>") is None
    assert dropped_text("Plain words, Q&A, 1 < 2, &copy; 2024. <!-- a note to self -->") is None
    assert dropped_text("Hi <script>alert(1)</script> there") == "alert(1)"
    assert dropped_text("A <style>p { color: red }</style> and <template>hidden words</template>.") == (
        "p { color: red } … hidden words"
    )
    long = dropped_text("x <script>" + "word " * 100 + "</script>")
    assert long is not None and len(long) <= 80


def test_a_description_that_loses_words_when_published_is_a_warning_naming_its_key():
    """What sanitizing removes with its content (a script, a style, a template) is named with
    the key; markup alone, and text with `<` that is not a tag, is no warning."""
    from pipeline._config import ShowSettings
    from pipeline.parse.script import EpisodeMeta

    assert show_text_warnings(ShowSettings(description="<b>Weekly</b>: Vec<T>, a<b and c>d & more")) == []
    assert episode_text_warnings(EpisodeMeta(title="t", description="how <![CDATA[ works, <template> too")) == []
    (line,) = show_text_warnings(ShowSettings(description="Hi <script>alert(1)</script> there"))
    assert line.startswith("show.description loses 'alert(1)' in the feed, the pages and the tags")
    (line,) = show_text_warnings(ShowSettings(ai_disclosure_text="Synthetic. <style>p {}</style>"))
    assert line.startswith("show.ai_disclosure_text loses 'p {}'")
    (line,) = episode_text_warnings(EpisodeMeta(title="t", description="A <template>secret</template> note"))
    assert line.startswith("front matter 'description' loses 'secret'")
