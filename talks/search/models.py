"""The index's rows as a model Django joins to, and the two expressions that read it."""

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class _LeftOutOfDumps(models.Manager):
    """Nothing, for dumpdata: the index is derived, and loading the talks rebuilds it."""

    def get_queryset(self):
        return super().get_queryset().none()


class TalkSearchEntry(models.Model):
    """One talk's row in the search index; written by the database's triggers only."""

    talk = models.OneToOneField(
        "talks.Talk",
        on_delete=models.DO_NOTHING,
        primary_key=True,
        db_column="rowid",
        related_name="search_entry",
    )
    # FTS5's hidden column named after its table; a tsvector of the same name on PostgreSQL.
    document = models.TextField(db_column="talks_talk_search")

    objects = _LeftOutOfDumps()  # the default manager, which dumpdata reads
    entries = models.Manager()  # noqa: DJ012 - both are managers; ruff takes the first for a field

    class Meta:
        managed = False  # talks/search/index.py creates it (migration 0004)
        db_table = "talks_talk_search"
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")

    def __str__(self):
        return gettext("Search entry of talk %(talk)s") % {"talk": self.talk_id}


# Title, speaker, venue, description: how much a match in each field counts.
FTS5_WEIGHTS = "10.0, 5.0, 2.0, 1.0"
# ts_rank's weights are listed D, C, B, A: the same proportions as above.
TSVECTOR_WEIGHTS = "'{0.1, 0.2, 0.5, 1.0}'"


def inlined_tsquery(connection, tsquery):
    """The search's words in the statement itself, quoted by the driver, not as a parameter.

    PostgreSQL may plan a prepared statement once for any parameters (after five runs, if that
    plan looks no costlier). A search's best plan depends on its words: for a common word, read
    the index's ids newest first until 1,000 match; for a rare one, its entries in the GIN
    index. The one plan made the page take 29 ms for "django" instead of 7, so a search's words
    are part of its statement's text, which is planned for those words.
    """
    literal = connection.ops.compose_sql("%s", [tsquery.value])
    return f"to_tsquery('simple', {literal.replace('%', '%%')})"  # not a placeholder: a % sign


class Rank(models.Func):
    """How poorly `document` matches: smaller is better on both databases, so order ascending."""

    output_field = models.FloatField()

    def __init__(self, document, query):
        super().__init__(document, models.Value(query.tsquery()))

    def as_sqlite(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        # bm25() is already negative for a good match; it needs the MATCH of the same query.
        return f"bm25({sql}, {FTS5_WEIGHTS})", params

    def as_postgresql(self, compiler, connection, **extra_context):
        document, tsquery = self.source_expressions
        sql, params = compiler.compile(document)
        query = inlined_tsquery(connection, tsquery)
        return f"-ts_rank({TSVECTOR_WEIGHTS}, {sql}, {query})", params


# Only this many matches are ranked: the most recently added ones. Ranking reads every match,
# so a word in a tenth of a million talks would cost seconds; this bounds every search. At
# 10,000 a word of every fifteenth talk cost 47 ms of CPU at the bench's default scale (100,000
# talks), against 30 ms at 1,000 (bench.profile search_common).
RANKED_MATCHES = 1_000


class RecentMatches(models.Func):
    """The talk's index row (`rowid`, `document`) matches the query's words and is one of the
    RANKED_MATCHES most recently added matches (a boolean, for filter())."""

    output_field = models.BooleanField()

    def __init__(self, rowid, document, query):
        super().__init__(rowid, document, models.Value(query.fts5()), models.Value(query.tsquery()))

    def as_sqlite(self, compiler, connection, **extra_context):
        rowid, document, fts5, _ = self.source_expressions
        rowid_sql, rowid_params = compiler.compile(rowid)
        document_sql, document_params = compiler.compile(document)
        query_sql, query_params = compiler.compile(fts5)
        # The MATCH, which bm25() needs beside it, and as a bound the lowest rowid among the
        # recent matches (0 with fewer): FTS5 walks its doclist backwards by rowid, reading
        # RANKED_MATCHES ids and no text, and bounds the outer MATCH by rowid. SQLite runs a
        # list of ids (as on PostgreSQL, below) as a scan: seconds for a common word.
        table = TalkSearchEntry._meta.db_table
        return (
            f"({document_sql} MATCH {query_sql} AND {rowid_sql} >= COALESCE((SELECT rowid "  # noqa: S608 - names and a number of ours; the query is a parameter
            f"FROM {table} WHERE {table} MATCH {query_sql} "
            f"ORDER BY rowid DESC LIMIT 1 OFFSET {RANKED_MATCHES - 1}), 0))",
            (*document_params, *query_params, *rowid_params, *query_params),
        )

    def as_postgresql(self, compiler, connection, **extra_context):
        rowid, _, _, tsquery = self.source_expressions
        sql, params = compiler.compile(rowid)
        query = inlined_tsquery(connection, tsquery)
        # The matches' ids themselves, so the outer query needs no match of its own (each
        # @@ again cost a sixth of the query for a common word). Their lowest id as a bound,
        # 0 for a word in few talks, had the planner scan every id of the index beside the
        # word's own entries (10 ms, against 0.1).
        table = TalkSearchEntry._meta.db_table
        return (
            f"{sql} IN (SELECT rowid FROM {table} "  # noqa: S608 - as above
            f"WHERE {table} @@ {query} "
            f"ORDER BY rowid DESC LIMIT {RANKED_MATCHES})",
            params,
        )


def search(queryset, query):
    """`queryset`'s talks matching every word of `query`, best first, then newest.

    Of a word so common that more than RANKED_MATCHES talks hold it, the most recently added
    RANKED_MATCHES are ranked and shown; another word narrows the search past them.
    """
    document = models.F("search_entry__document")
    return (
        # Joined as a lookup joins it (inner): SQLite matches nothing in an outer-joined index.
        queryset.filter(search_entry__isnull=False)
        .filter(RecentMatches(models.F("search_entry__pk"), document, query))
        .annotate(search_rank=Rank(document, query))
        .order_by("search_rank", "-date", "-id")
    )
