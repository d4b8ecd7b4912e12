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


# Title, speaker, venue, description (the index's columns): how much a word found in each counts.
FIELD_WEIGHTS = {"title": 10, "speaker": 5, "venue": 2, "description": 1}
# ts_rank's weights are listed D, C, B, A: the same proportions as above.
TSVECTOR_WEIGHTS = "'{0.1, 0.2, 0.5, 1.0}'"

# Only this many matches are ranked: the most recently added ones. Ranking reads every match,
# so a word in a tenth of a million talks would cost seconds; this bounds every search. At
# 10,000 a word of every fifteenth talk cost 47 ms of CPU at the bench's default scale (100,000
# talks), against 30 ms at 1,000 (bench.profile search_common).
RANKED_MATCHES = 1_000


def inlined_tsquery(connection, query):
    """The search's words in the statement itself, quoted by the driver, not as a parameter.

    PostgreSQL may plan a prepared statement once for any parameters (after five runs, if that
    plan looks no costlier). A search's best plan depends on its words: for a common word, read
    the index's ids newest first until 1,000 match; for a rare one, its entries in the GIN
    index. The one plan made the page take 29 ms for "django" instead of 7, so a search's words
    are part of its statement's text, which is planned for those words.
    """
    literal = connection.ops.compose_sql("%s", [query.tsquery()])
    return f"to_tsquery('simple', {literal.replace('%', '%%')})"  # not a placeholder: a % sign


def _fts5_recent(match_sql):
    """SQLite: the lowest rowid among the RANKED_MATCHES most recent rows matching `match_sql`
    (0 with fewer). FTS5 walks its doclist backwards by rowid, reading that many ids and no
    text, whatever the size of the table."""
    return (
        f"COALESCE((SELECT rowid FROM {TalkSearchEntry._meta.db_table} "  # noqa: S608 - names and a number of ours; the query is a parameter
        f"WHERE {TalkSearchEntry._meta.db_table} MATCH {match_sql} "
        f"ORDER BY rowid DESC LIMIT 1 OFFSET {RANKED_MATCHES - 1}), 0)"
    )


class _OfQuery(models.Func):
    """A function of the talk's index row (`rowid`, `document`) and a SearchQuery, whose words
    each database writes into its SQL in its own way."""

    def __init__(self, rowid, document, query):
        self.query = query
        super().__init__(rowid, document)


class Rank(_OfQuery):
    """How poorly the talk's index row (`rowid`, `document`) matches: smaller is better on both
    databases, so order ascending.

    On SQLite, the weights of the fields each word is found in, added up (a word in the title
    counts 10, in the speaker's name 5...), each field's matches read by FTS5's column filter
    over the same recent rows. FTS5's bm25() also weighs each word by how rare it is in the
    whole table, and to know that it counts every row holding the word on every query: with
    a word of every fifteenth talk the page's query took 0.41 ms at 1,000 talks and 6.4 ms at
    1,000,000, and with this rank 0.45 and 1.7 ms. PostgreSQL's ts_rank() reads only the row.
    """

    output_field = models.FloatField()

    def as_sqlite(self, compiler, connection, **extra_context):
        rowid, _ = self.source_expressions
        rowid_sql, rowid_params = compiler.compile(rowid)
        table = TalkSearchEntry._meta.db_table
        fts5 = self.query.fts5()
        found, params = [], []
        for term in self.query.fts5_terms():
            for column, weight in FIELD_WEIGHTS.items():
                found.append(
                    f"{weight} * ({rowid_sql} IN (SELECT rowid FROM {table} "  # noqa: S608 - as in _fts5_recent
                    f"WHERE {table} MATCH %s AND rowid >= {_fts5_recent('%s')}))"
                )
                params += [*rowid_params, f"{{{column}}} : {term}", fts5]
        return f"-({' + '.join(found)})", params

    def as_postgresql(self, compiler, connection, **extra_context):
        _, document = self.source_expressions
        sql, params = compiler.compile(document)
        query = inlined_tsquery(connection, self.query)
        return f"-ts_rank({TSVECTOR_WEIGHTS}, {sql}, {query})", params


class RecentMatches(_OfQuery):
    """The talk's index row (`rowid`, `document`) matches the query's words and is one of the
    RANKED_MATCHES most recently added matches (a boolean, for filter())."""

    output_field = models.BooleanField()

    def as_sqlite(self, compiler, connection, **extra_context):
        rowid, document = self.source_expressions
        rowid_sql, rowid_params = compiler.compile(rowid)
        document_sql, document_params = compiler.compile(document)
        fts5 = self.query.fts5()
        # The MATCH, and as a bound the lowest rowid among the recent matches, which bounds
        # FTS5's walk of the doclist by rowid. SQLite runs a list of ids (as on PostgreSQL,
        # below) as a scan: seconds for a common word.
        return (
            f"({document_sql} MATCH %s AND {rowid_sql} >= {_fts5_recent('%s')})",
            (*document_params, fts5, *rowid_params, fts5),
        )

    def as_postgresql(self, compiler, connection, **extra_context):
        rowid, _ = self.source_expressions
        sql, params = compiler.compile(rowid)
        query = inlined_tsquery(connection, self.query)
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
    rowid, document = models.F("search_entry__pk"), models.F("search_entry__document")
    return (
        # Joined as a lookup joins it (inner): SQLite matches nothing in an outer-joined index.
        queryset.filter(search_entry__isnull=False)
        .filter(RecentMatches(rowid, document, query))
        .annotate(search_rank=Rank(rowid, document, query))
        .order_by("search_rank", "-date", "-id")
    )
