"""Full-text search over talks: SQLite FTS5 or PostgreSQL's text search, behind one queryset.

`Talk.objects.search(q)` is the only entry point views use; which database answers is this
package's business. The index itself (tables and triggers) is in `index.py`.
"""

from .query import MAX_QUERY_LENGTH, MAX_TERMS, SearchQuery, parse_query

__all__ = ["MAX_QUERY_LENGTH", "MAX_TERMS", "SearchQuery", "parse_query"]
