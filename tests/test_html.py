"""Descriptions in HTML: a safe subset for the pages and the feed, plain text for ID3."""

from pipeline.publish.html import plain_text, sanitize


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
