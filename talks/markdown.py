"""The one renderer for user text: Markdown -> allow-list sanitiser -> linkified bare URLs.

Comments are rendered once, at save, and the stored HTML is what pages show, so everything that
makes the output safe happens here and nowhere else.
"""

import threading
from functools import partial

import markdown
from bleach.callbacks import nofollow
from bleach.linkifier import LinkifyFilter
from bleach.sanitizer import Cleaner

_ALLOWED_TAGS = frozenset(
    {
        "a",
        "abbr",
        "acronym",
        "b",
        "blockquote",
        "code",
        "em",
        "i",
        "li",
        "ol",
        "pre",
        "strong",
        "ul",
        "h1",
        "h2",
        "h3",
        "p",
    }
)
_ALLOWED_ATTRIBUTES = {"a": ["href", "title"], "abbr": ["title"], "acronym": ["title"]}
_ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})

# Neither markdown.Markdown nor bleach's Cleaner is thread-safe (both keep parser state between
# calls; bleach says so in its docs), and building them costs more than rendering a comment. So
# each thread builds its pair once and reuses it: cheap for seed_demo's million comments, safe
# under a threaded server.
_local = threading.local()


def _renderers() -> tuple[markdown.Markdown, Cleaner]:
    if not hasattr(_local, "cleaner"):
        _local.markdown = markdown.Markdown()
        # Linkifying as a filter of the Cleaner runs it on the already-sanitised token stream in
        # the same pass (bleach's documented "clean and linkify" recipe): the same output as
        # clean() then linkify(), without parsing the HTML twice. nofollow also lands on links
        # the Markdown itself made, so commenters get no search-engine credit from any link.
        # URLs inside code blocks are code, not links.
        _local.cleaner = Cleaner(
            tags=_ALLOWED_TAGS,
            attributes=_ALLOWED_ATTRIBUTES,
            protocols=_ALLOWED_PROTOCOLS,
            strip=True,
            strip_comments=True,
            filters=[partial(LinkifyFilter, callbacks=[nofollow], skip_tags={"pre", "code"})],
        )
    return _local.markdown, _local.cleaner


def render_markdown(text: str) -> str:
    """Render user Markdown to HTML that is safe to store and show as is."""
    md, cleaner = _renderers()
    # Raw HTML in the Markdown passes through markdown untouched; the Cleaner is what removes it.
    return cleaner.clean(md.reset().convert(text))
