from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from talks.markdown import render_markdown

# The tags and attributes comments may use, stated here rather than imported from
# talks.markdown, so that a change to the allow-list shows in a test.
TAGS = {"a", "abbr", "acronym", "b", "blockquote", "code", "em", "i", "li", "ol", "pre", "strong"}
TAGS |= {"ul", "h1", "h2", "h3", "p"}
ATTRIBUTES = {"a": {"href", "title", "rel"}, "abbr": {"title"}, "acronym": {"title"}}


def test_headings_and_emphasis_render_byte_for_byte():
    assert render_markdown("# title\n\n## section\n\ntext **bold** and *italic*") == (
        "<h1>title</h1>\n<h2>section</h2>\n<p>text <strong>bold</strong> and <em>italic</em></p>"
    )


@pytest.mark.parametrize(
    ("text", "html"),
    [
        (
            "> quote\n\n1. one\n2. two",
            "<blockquote>\n<p>quote</p>\n</blockquote>\n<ol>\n<li>one</li>\n<li>two</li>\n</ol>",
        ),
        ("* one\n* two", "<ul>\n<li>one</li>\n<li>two</li>\n</ul>"),
        ("`x = 1`", "<p><code>x = 1</code></p>"),
        ("    x = 1\n", "<pre><code>x = 1\n</code></pre>"),
        ('<abbr title="HyperText">HTML</abbr>', '<p><abbr title="HyperText">HTML</abbr></p>'),
        ("a & b < c", "<p>a &amp; b &lt; c</p>"),
        ("", ""),
    ],
)
def test_allowed_markdown_is_kept(text, html):
    assert render_markdown(text) == html


def test_tags_outside_the_allow_list_are_stripped_but_their_text_stays():
    assert render_markdown("#### h4") == "h4"


def test_bare_url_is_linkified_with_nofollow():
    assert render_markdown("see https://example.com/talk") == (
        '<p>see <a href="https://example.com/talk" rel="nofollow">https://example.com/talk</a></p>'
    )


def test_bare_www_address_is_linkified_with_nofollow():
    assert render_markdown("www.example.com") == (
        '<p><a href="http://www.example.com" rel="nofollow">www.example.com</a></p>'
    )


def test_markdown_link_gains_nofollow():
    assert render_markdown("[slides](https://example.com/s)") == (
        '<p><a href="https://example.com/s" rel="nofollow">slides</a></p>'
    )


def test_mailto_link_is_kept():
    assert render_markdown("[mail](mailto:a@example.com)") == (
        '<p><a href="mailto:a@example.com">mail</a></p>'
    )


def test_urls_in_code_are_not_linkified():
    assert render_markdown("`https://example.com/x`") == "<p><code>https://example.com/x</code></p>"
    assert render_markdown("    https://example.com/x\n") == (
        "<pre><code>https://example.com/x\n</code></pre>"
    )


XSS = [
    ("<script>alert(1)</script>", "alert(1)"),
    ("hi <script>alert(1)</script> there", "<p>hi alert(1) there</p>"),
    ("<div><script>alert(1)", "alert(1)"),
    ("<scr<script>ipt>alert(1)</script>", "<p>&lt;script&gt;alert(1)</p>"),
    ("<img src=x onerror=alert(1)>", "<p></p>"),
    ("![x](https://example.com/x.png)", "<p></p>"),
    ("<svg onload=alert(1)>", "<p></p>"),
    ("[x](javascript:alert(1))", "<p><a>x</a></p>"),
    ("[x](JaVaScRiPt:alert(1))", "<p><a>x</a></p>"),
    ("[x](&#106;avascript:alert(1))", "<p><a>x</a></p>"),
    ('<a href="javascript:alert(1)">x</a>', "<p><a>x</a></p>"),
    (
        '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
        "<p><a>x</a></p>",
    ),
    (
        '<a href="https://example.com" onclick="alert(1)">x</a>',
        '<p><a href="https://example.com" rel="nofollow">x</a></p>',
    ),
    ('<p onmouseover="alert(1)">x</p>', "<p>x</p>"),
    (
        '[x](https://example.com "t\\" onmouseover=\\"alert(1)")',
        '<p><a href="https://example.com" title="t\\&quot; onmouseover=\\&quot;alert(1)"'
        ' rel="nofollow">x</a></p>',
    ),
    ("<style>body{display:none}</style>", "body{display:none}"),
    ('<iframe src="https://evil.example"></iframe>', ""),
    ("<!-- <script>alert(1)</script> -->", ""),
    ("<b><i>nested</b></i>", "<p><b><i>nested</i></b></p>"),
    (
        '<a href="https://example.com"',
        '<p>&lt;a href="<a href="https://example.com" rel="nofollow">https://example.com</a>"</p>',
    ),
    ("javascript:alert(1)", "<p>javascript:alert(1)</p>"),
]


@pytest.mark.parametrize(("text", "html"), XSS)
def test_hostile_input_renders_to_exactly_this(text, html):
    assert render_markdown(text) == html


class _Inventory(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))


@pytest.mark.parametrize("text", [text for text, _ in XSS])
def test_hostile_input_leaves_only_allowed_tags_attributes_and_protocols(text):
    html = render_markdown(text)
    for needle in ("<script", "<img", "<iframe", "<style", "<svg", "onerror=", "onload=", '="java'):
        assert needle not in html.lower()
    inventory = _Inventory()
    inventory.feed(html)
    for tag, attrs in inventory.tags:
        assert tag in TAGS
        for name, value in attrs:
            assert name in ATTRIBUTES.get(tag, set())  # rel="nofollow" is ours
            if name == "href":
                assert urlsplit(value).scheme in ("http", "https", "mailto")


def test_rendering_from_many_threads_gives_the_same_html():
    text = "# t\n\nsee https://example.com and <script>x</script> **b**"
    expected = render_markdown(text)
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(render_markdown, [text] * 400))
    assert set(results) == {expected}
