"""Marking a query's words in text shown on a results page."""

import functools
import html
import re

from django.utils.safestring import mark_safe

# Neither side of a marked word may touch another letter or digit: words are marked whole.
_NOT_AFTER_WORD = r"(?<![^\W_])"
_NOT_BEFORE_WORD = r"(?![^\W_])"


@functools.lru_cache(maxsize=256)
def _pattern(terms):
    *whole, prefix = terms
    alternatives = [f"{re.escape(prefix)}[^\\W_]*"]
    if whole:
        alternatives.insert(0, f"(?:{'|'.join(map(re.escape, whole))}){_NOT_BEFORE_WORD}")
    return re.compile(f"{_NOT_AFTER_WORD}(?:{'|'.join(alternatives)})", re.IGNORECASE)


def highlight(text, query):
    """`text`, HTML-escaped, with each word the query matched wrapped in <mark>.

    Matches are found in the raw text; every piece between them and every match is escaped
    on its own before the <mark> tags go around, so no mark lands inside an entity or a tag.
    """
    if not query.terms:
        return html.escape(text)
    pieces = []
    position = 0
    for match in _pattern(query.terms).finditer(text):
        pieces.append(html.escape(text[position : match.start()]))
        pieces.append(f"<mark>{html.escape(match[0])}</mark>")
        position = match.end()
    pieces.append(html.escape(text[position:]))
    # Safe: every piece of `text` went through html.escape(); only our <mark> tags are added.
    return mark_safe("".join(pieces))  # noqa: S308 - built from escaped pieces, see above
