# ruff: noqa: S608 - the SQL is built from this module's own constants, never from input
"""The search index's tables and triggers, for SQLite (FTS5) and PostgreSQL (tsvector + GIN).

Triggers, not signals, keep the index current: they also see bulk_create, COPY, queryset
update() and delete() (the admin's bulk delete), and a speaker's renaming, which must reindex
every talk of theirs. Both databases index the same four fields, ranked title > speaker > venue
> description, and read text the same way: runs of letters and digits, lower-cased, unstemmed.

The table is named `talks_talk_search` on both, with one row per talk whose `rowid` is the
talk's id; its document column carries the table's own name, as FTS5's hidden column does, so
one model (TalkSearchEntry) and one join serve both.
"""

from contextlib import contextmanager

from django.db import connection

from ..ddl import run_step

TABLE = "talks_talk_search"

# The speaker's name in the index: the display name and the username, both searchable.
_SQLITE_SPEAKER = "trim(u.name || ' ' || u.username)"

# The last word is a prefix: indexes of its first 1 to 8 letters keep "d*", "the*" or "django*"
# from merging the lists of every word that starts so (django, djangocon, djangonaut…): with
# 100,000 talks "django*" read 10 ms of lists with four, 3.7 ms with eight. Longer words are
# their own prefixes' few words.
SQLITE_TABLE = [
    f"""CREATE VIRTUAL TABLE {TABLE} USING fts5(
        title, speaker, venue, description, tokenize = 'unicode61 remove_diacritics 0',
        prefix = '1 2 3 4 5 6 7 8'
    )""",
]
SQLITE_TRIGGERS = [
    f"""CREATE TRIGGER {TABLE}_insert AFTER INSERT ON talks_talk BEGIN
        INSERT INTO {TABLE} (rowid, title, speaker, venue, description)
        SELECT new.id, new.title, {_SQLITE_SPEAKER}, new.venue, new.description
        FROM accounts_user u WHERE u.id = new.author_id;
    END""",
    f"""CREATE TRIGGER {TABLE}_update AFTER UPDATE OF title, venue, description, author_id
    ON talks_talk BEGIN
        UPDATE {TABLE} SET title = new.title, venue = new.venue, description = new.description,
            speaker = (SELECT {_SQLITE_SPEAKER} FROM accounts_user u WHERE u.id = new.author_id)
        WHERE rowid = new.id;
    END""",
    f"""CREATE TRIGGER {TABLE}_delete AFTER DELETE ON talks_talk BEGIN
        DELETE FROM {TABLE} WHERE rowid = old.id;
    END""",
    f"""CREATE TRIGGER {TABLE}_speaker AFTER UPDATE OF name, username ON accounts_user
    WHEN old.name IS NOT new.name OR old.username IS NOT new.username BEGIN
        UPDATE {TABLE} SET speaker = trim(new.name || ' ' || new.username)
        WHERE rowid IN (SELECT id FROM talks_talk WHERE author_id = new.id);
    END""",
]
SQLITE_DROP_TRIGGERS = [
    f"DROP TRIGGER IF EXISTS {TABLE}_{name}" for name in ("insert", "update", "delete", "speaker")
]
SQLITE_DROP_TABLE = [f"DROP TABLE IF EXISTS {TABLE}"]
SQLITE_REBUILD = [
    f"DELETE FROM {TABLE}",
    f"""INSERT INTO {TABLE} (rowid, title, speaker, venue, description)
        SELECT t.id, t.title, {_SQLITE_SPEAKER}, t.venue, t.description
        FROM talks_talk t JOIN accounts_user u ON u.id = t.author_id""",
    # Merge the segments the bulk insert left behind: later queries read fewer b-trees.
    f"INSERT INTO {TABLE} ({TABLE}) VALUES ('optimize')",
]

# Punctuation and symbols become spaces before parsing, so PostgreSQL's parser sees the words
# FTS5 sees (it would otherwise keep "example.com" or "3.14" whole, or split "foo-bar" thrice).
_PG_DOCUMENT = """
    setweight(to_tsvector('simple', talks_search_words(title)), 'A')
    || setweight(to_tsvector('simple', talks_search_words(speaker)), 'B')
    || setweight(to_tsvector('simple', talks_search_words(venue)), 'C')
    || setweight(to_tsvector('simple', talks_search_words(description)), 'D')
"""
POSTGRESQL_TABLE = [
    """CREATE FUNCTION talks_search_words(value text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT regexp_replace(value, '[^[:alnum:]]+', ' ', 'g') $$""",
    f"""CREATE FUNCTION talks_search_document(title text, speaker text, venue text,
        description text) RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT {_PG_DOCUMENT} $$""",
    f"""CREATE TABLE {TABLE} (
        rowid bigint PRIMARY KEY,
        {TABLE} tsvector NOT NULL
    )""",
    # The search: WHERE document @@ query.
    f"CREATE INDEX {TABLE}_gin ON {TABLE} USING gin ({TABLE})",
    f"""CREATE FUNCTION {TABLE}_refresh_talk() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'DELETE' THEN
            DELETE FROM {TABLE} WHERE rowid = OLD.id;
            RETURN OLD;
        END IF;
        INSERT INTO {TABLE} (rowid, {TABLE})
        SELECT NEW.id, talks_search_document(NEW.title, trim(u.name || ' ' || u.username),
            NEW.venue, NEW.description)
        FROM accounts_user u WHERE u.id = NEW.author_id
        ON CONFLICT (rowid) DO UPDATE SET {TABLE} = EXCLUDED.{TABLE};
        RETURN NEW;
    END $$""",
    f"""CREATE FUNCTION {TABLE}_empty() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        TRUNCATE {TABLE};
        RETURN NULL;
    END $$""",
    f"""CREATE FUNCTION {TABLE}_refresh_speaker() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE {TABLE} s SET {TABLE} = talks_search_document(t.title,
            trim(NEW.name || ' ' || NEW.username), t.venue, t.description)
        FROM talks_talk t WHERE t.author_id = NEW.id AND s.rowid = t.id;
        RETURN NEW;
    END $$""",
]
POSTGRESQL_TRIGGERS = [
    # TRUNCATE (as Django's flush does) fires no row trigger: empty the index with the table.
    f"""CREATE TRIGGER {TABLE}_truncate AFTER TRUNCATE ON talks_talk
        FOR EACH STATEMENT EXECUTE FUNCTION {TABLE}_empty()""",
    f"""CREATE TRIGGER {TABLE}_talk AFTER INSERT OR DELETE
        OR UPDATE OF title, venue, description, author_id ON talks_talk
        FOR EACH ROW EXECUTE FUNCTION {TABLE}_refresh_talk()""",
    f"""CREATE TRIGGER {TABLE}_speaker AFTER UPDATE OF name, username ON accounts_user
        FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name
            OR OLD.username IS DISTINCT FROM NEW.username)
        EXECUTE FUNCTION {TABLE}_refresh_speaker()""",
]
POSTGRESQL_DROP_TRIGGERS = [
    f"DROP TRIGGER IF EXISTS {TABLE}_talk ON talks_talk",
    f"DROP TRIGGER IF EXISTS {TABLE}_speaker ON accounts_user",
    f"DROP TRIGGER IF EXISTS {TABLE}_truncate ON talks_talk",
]
POSTGRESQL_DROP_TABLE = [
    f"DROP TABLE IF EXISTS {TABLE}",
    f"DROP FUNCTION IF EXISTS {TABLE}_refresh_talk()",
    f"DROP FUNCTION IF EXISTS {TABLE}_refresh_speaker()",
    f"DROP FUNCTION IF EXISTS {TABLE}_empty()",
    "DROP FUNCTION IF EXISTS talks_search_document(text, text, text, text)",
    "DROP FUNCTION IF EXISTS talks_search_words(text)",
]
POSTGRESQL_REBUILD = [
    f"TRUNCATE {TABLE}",
    f"""INSERT INTO {TABLE} (rowid, {TABLE})
        SELECT t.id, talks_search_document(t.title, trim(u.name || ' ' || u.username),
            t.venue, t.description)
        FROM talks_talk t JOIN accounts_user u ON u.id = t.author_id""",
]

_STATEMENTS = {
    "sqlite": {
        # Its triggers come after the migrations (install_after_migrations): SQLite cannot remake
        # accounts_user, as it alters a column, under triggers that read it.
        "create": SQLITE_TABLE,
        "drop": SQLITE_DROP_TRIGGERS + SQLITE_DROP_TABLE,
        "pause": SQLITE_DROP_TRIGGERS,
        "resume": SQLITE_TRIGGERS,
        "rebuild": SQLITE_REBUILD,
    },
    "postgresql": {
        "create": POSTGRESQL_TABLE + POSTGRESQL_TRIGGERS,
        "drop": POSTGRESQL_DROP_TRIGGERS + POSTGRESQL_DROP_TABLE,
        "pause": POSTGRESQL_DROP_TRIGGERS,
        "resume": POSTGRESQL_TRIGGERS,
        "rebuild": POSTGRESQL_REBUILD,
    },
}


def run(step, using=connection):
    """Run one step ("create", "drop", "rebuild", …) of the index's DDL on `using`."""
    run_step(_STATEMENTS, step, using, needed_by="Talks' search")


def _sqlite_index_exists(using):
    with using.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE name = %s", [TABLE])
        return cursor.fetchone() is not None


def suspend_for_migrations(using=connection):
    """Before migrations run (pre_migrate), on SQLite: no trigger of ours while they remake tables.

    SQLite alters most columns by copying the table to a new one and renaming it, which drops the
    old table's triggers and fails on any other trigger that reads it (talks_talk's read
    accounts_user).
    """
    if using.vendor == "sqlite" and _sqlite_index_exists(using):
        run("pause", using)


def install_after_migrations(using=connection, *, migrated=True):
    """After migrations (post_migrate), on SQLite: the triggers back, and the index made afresh
    for whatever the migrations changed meanwhile; with nothing `migrated`, only if one is gone."""
    if using.vendor != "sqlite" or not _sqlite_index_exists(using):
        return
    if migrated or _sqlite_triggers_missing(using):
        run("pause", using)  # DROP … IF EXISTS: whichever are there
        run("resume", using)
        run("rebuild", using)


def _sqlite_triggers_missing(using):
    names = {f"{TABLE}_{name}" for name in ("insert", "update", "delete", "speaker")}
    with using.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        return not names <= {name for (name,) in cursor.fetchall()}


def rebuild():
    """Index every talk afresh, in one statement: what a bulk load calls once at its end."""
    run("rebuild")


@contextmanager
def bulk_load():
    """Leave the index alone while rows pour in, then build it once (call in a transaction).

    A trigger per row costs a bulk insert of a million talks minutes; one rebuild at the end
    costs seconds. Any error inside leaves the transaction to roll the triggers back too.
    """
    run("pause")
    yield
    run("resume")
    rebuild()
