# ruff: noqa: S608 - the SQL is built from this module's own constants, never from input
"""Talk.comments_version: a number the database moves whenever anything a talk's comments show
changes, so that a talk page can find its comments cached without reading them.

Triggers, not signals, move it, in the same transaction as the change: they also see
bulk_create, queryset update() and delete() (the admin's bulk actions, the API), raw SQL, and a
commenter's new name, which shows on every talk they commented on. A save of a talk loaded
before such a change writes its older number back; a trigger then moves it past the newer one
instead, so that a number once left behind never comes back.

On SQLite the triggers are made after the migrations and dropped before them, as the search
index's are (talks/search/index.py): SQLite remakes a table to alter it, and fails on a trigger
of another table that names it.
"""

from contextlib import contextmanager

from django.db import connection

from .ddl import run_step

_BUMP = "UPDATE talks_talk SET comments_version = comments_version + 1"
_NAMES = ("insert", "update", "delete", "author", "kept")

SQLITE_TRIGGERS = [
    f"""CREATE TRIGGER talks_comments_version_insert AFTER INSERT ON talks_comment BEGIN
        {_BUMP} WHERE id = new.talk_id;
    END""",
    f"""CREATE TRIGGER talks_comments_version_update AFTER UPDATE ON talks_comment BEGIN
        {_BUMP} WHERE id IN (old.talk_id, new.talk_id);
    END""",
    f"""CREATE TRIGGER talks_comments_version_delete AFTER DELETE ON talks_comment BEGIN
        {_BUMP} WHERE id = old.talk_id;
    END""",
    f"""CREATE TRIGGER talks_comments_version_author AFTER UPDATE OF name, username
    ON accounts_user WHEN old.name IS NOT new.name OR old.username IS NOT new.username BEGIN
        {_BUMP} WHERE id IN (SELECT talk_id FROM talks_comment WHERE author_id = new.id);
    END""",
    # SQLite's triggers do not fire one another (recursive_triggers is off): this UPDATE
    # leaves this trigger alone.
    """CREATE TRIGGER talks_comments_version_kept AFTER UPDATE OF comments_version
    ON talks_talk WHEN new.comments_version < old.comments_version BEGIN
        UPDATE talks_talk SET comments_version = old.comments_version + 1 WHERE id = new.id;
    END""",
]
SQLITE_DROP = [f"DROP TRIGGER IF EXISTS talks_comments_version_{name}" for name in _NAMES]

POSTGRESQL_TRIGGERS = [
    f"""CREATE FUNCTION talks_comments_version_comment() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'TRUNCATE' THEN
            {_BUMP};
            RETURN NULL;
        END IF;
        IF TG_OP <> 'DELETE' THEN
            {_BUMP} WHERE id = NEW.talk_id;
        END IF;
        IF TG_OP = 'DELETE' OR NEW.talk_id <> OLD.talk_id THEN
            {_BUMP} WHERE id = OLD.talk_id;
        END IF;
        RETURN NULL;
    END $$""",
    f"""CREATE FUNCTION talks_comments_version_author() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        {_BUMP} WHERE id IN (SELECT talk_id FROM talks_comment WHERE author_id = NEW.id);
        RETURN NULL;
    END $$""",
    """CREATE FUNCTION talks_comments_version_kept() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        NEW.comments_version := OLD.comments_version + 1;
        RETURN NEW;
    END $$""",
    """CREATE TRIGGER talks_comments_version_comment
        AFTER INSERT OR UPDATE OR DELETE ON talks_comment
        FOR EACH ROW EXECUTE FUNCTION talks_comments_version_comment()""",
    """CREATE TRIGGER talks_comments_version_truncate AFTER TRUNCATE ON talks_comment
        FOR EACH STATEMENT EXECUTE FUNCTION talks_comments_version_comment()""",
    """CREATE TRIGGER talks_comments_version_author AFTER UPDATE OF name, username
        ON accounts_user FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name
            OR OLD.username IS DISTINCT FROM NEW.username)
        EXECUTE FUNCTION talks_comments_version_author()""",
    """CREATE TRIGGER talks_comments_version_kept BEFORE UPDATE OF comments_version
        ON talks_talk FOR EACH ROW WHEN (NEW.comments_version < OLD.comments_version)
        EXECUTE FUNCTION talks_comments_version_kept()""",
]
POSTGRESQL_DROP = [
    "DROP TRIGGER IF EXISTS talks_comments_version_comment ON talks_comment",
    "DROP TRIGGER IF EXISTS talks_comments_version_truncate ON talks_comment",
    "DROP TRIGGER IF EXISTS talks_comments_version_author ON accounts_user",
    "DROP TRIGGER IF EXISTS talks_comments_version_kept ON talks_talk",
    "DROP FUNCTION IF EXISTS talks_comments_version_comment()",
    "DROP FUNCTION IF EXISTS talks_comments_version_author()",
    "DROP FUNCTION IF EXISTS talks_comments_version_kept()",
]

_STATEMENTS = {
    "sqlite": {"create": SQLITE_TRIGGERS, "drop": SQLITE_DROP},
    "postgresql": {"create": POSTGRESQL_TRIGGERS, "drop": POSTGRESQL_DROP},
}


def run(step, using=connection):
    """Make ("create") or remove ("drop") the triggers on `using`."""
    run_step(_STATEMENTS, step, using, needed_by="Talks")


@contextmanager
def bulk_load(using=connection):
    """Leave the numbers alone while comments pour in, then move every talk's once (call in a
    transaction).

    A trigger per row writes a talk's row once for each of its comments: a million comments
    took seed_demo 25 s more. Any error inside leaves the transaction to roll the drop back too.
    """
    run("drop", using)
    yield
    run("create", using)
    with using.cursor() as cursor:
        cursor.execute(_BUMP)


def suspend_for_migrations(using=connection):
    """Before migrations run (pre_migrate), on SQLite: none of these triggers while they remake
    tables."""
    if using.vendor == "sqlite":
        run("drop", using)


def install_after_migrations(using=connection):
    """After migrations (post_migrate), on SQLite: the triggers (back), once the column is there."""
    if using.vendor == "sqlite" and _has_column(using):
        run("drop", using)  # DROP … IF EXISTS: whichever are there
        run("create", using)


def _has_column(using):
    with using.cursor() as cursor:
        columns = using.introspection.get_table_description(cursor, "talks_talk")
    return any(column.name == "comments_version" for column in columns)
