"""A visitor's query, read as words: every word required, the last one as a prefix.

The query is never handed to the database's own syntax. It is cut into runs of letters and
digits (so `"`, `*`, `NEAR`'s parentheses, `:` or `^` are just separators, and `OR` is a word
like any other), and each backend builds its query from those words, quoted.
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

MAX_QUERY_LENGTH = 200  # longer than any title someone would type; a hint above it
MAX_TERMS = 8  # every word is a join over the index: bound the work one request can ask for
_MAX_TERM_LENGTH = 64

# Letters and digits of any script; "_" is a separator, as in both databases' tokenizers.
WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class SearchQuery:
    terms: tuple[str, ...]  # lower-cased words; the last is matched as a prefix
    hint: str = ""  # why there is nothing to search for, shown instead of results

    def __bool__(self):
        return bool(self.terms)

    def fts5_terms(self):
        """Each term as FTS5 reads it: quoted, the last with `*`."""
        return [f'"{term}"' for term in self.terms[:-1]] + [f'"{self.terms[-1]}"*']

    def fts5(self):
        """The FTS5 MATCH expression: the terms, implicitly AND-ed."""
        return " ".join(self.fts5_terms())

    def tsquery(self):
        """The PostgreSQL to_tsquery() text: the same words AND-ed, the last with `:*`."""
        return " & ".join(f"'{term}'" for term in self.terms) + ":*"


def parse_query(raw):
    """Read the `q` a visitor typed; an empty, over-long or wordless one carries a hint."""
    raw = (raw or "").replace("\x00", "")
    if not raw.strip():
        return SearchQuery((), _("Type a word from a talk's title, speaker, venue or description."))
    if len(raw) > MAX_QUERY_LENGTH:
        return SearchQuery(
            (),
            _("That search is too long: use a few words (at most %(count)d characters).")
            % {"count": MAX_QUERY_LENGTH},
        )
    terms = tuple(word.lower()[:_MAX_TERM_LENGTH] for word in WORD.findall(raw))
    if not terms:
        return SearchQuery((), _("Search with words or numbers: punctuation alone finds nothing."))
    if len(terms) > MAX_TERMS:
        return SearchQuery((), _("Use at most %(count)d words in a search.") % {"count": MAX_TERMS})
    return SearchQuery(terms)
