"""Marking a query's words in text shown on a results page."""

from django.utils.html import escape
from django.utils.safestring import mark_safe

from .query import WORD


def highlight(text, query):
    """`text`, HTML-escaped, with each word the query matched wrapped in <mark>.

    The raw text is cut into words and the rest; every piece is escaped on its own and only
    whole words get a <mark>, so no mark lands inside an entity or a tag.
    """
    terms = set(query.terms[:-1])
    prefix = query.terms[-1] if query.terms else None
    pieces = []
    position = 0
    for match in WORD.finditer(text):
        word = match[0].lower()
        if word in terms or (prefix and word.startswith(prefix)):
            pieces.append(escape(text[position : match.start()]))
            pieces.append(f"<mark>{escape(match[0])}</mark>")
            position = match.end()
    pieces.append(escape(text[position:]))
    # Safe: every piece of `text` went through escape(); only our own <mark> tags are added.
    return mark_safe("".join(pieces))  # noqa: S308 - built from escaped pieces, see above
