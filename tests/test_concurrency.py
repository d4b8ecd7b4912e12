"""Many writers at once: the database settings that make it work, and a real-HTTP stress test.

The stress test runs gunicorn (several processes, several threads each) on a database of its
own: a file SQLite database, with real file locks, or PostgreSQL when the suite runs there.
"""

import re
import sqlite3
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.contrib.sessions.models import Session
from django.db import OperationalError, connection, connections, transaction
from django.test.utils import CaptureQueriesContext

from conftest import PASSWORD, make_comment
from talks_site.sqlite.base import DatabaseWrapper

on_sqlite = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="SQLite's own settings; the suite runs on PostgreSQL"
)
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's own settings; the suite runs on SQLite"
)

POSTERS = 20
COMMENTS_EACH = 3
MODERATORS = 4


@pytest.fixture
def connect_to_file(tmp_path, django_db_blocker):
    """Connect with the site's SQLite settings and backend, OPTIONS changed by keyword, to one
    file database (tests use memory)."""
    made = []

    def connect(**options):
        alias = f"sqlite_file_{len(made)}"
        settings = {**connection.settings_dict, "NAME": str(tmp_path / "talks.sqlite3")}
        settings["OPTIONS"] = {**settings["OPTIONS"], **options}
        connections[alias] = wrapper = type(connections["default"])(settings, alias)
        made.append(wrapper)
        return wrapper

    with django_db_blocker.unblock():
        yield connect
        for wrapper in made:
            wrapper.close()
            del connections[wrapper.alias]


@pytest.fixture
def sqlite_file(connect_to_file):
    wrapper = connect_to_file()
    wrapper.ensure_connection()  # the file is made, in WAL mode
    return wrapper


@pytest.fixture
def other_writer(sqlite_file):
    """A plain sqlite3 connection to the same file, to hold the write lock with."""
    other = sqlite3.connect(
        sqlite_file.settings_dict["NAME"],
        timeout=0,
        isolation_level=None,
        check_same_thread=False,  # a timer's thread commits on it
    )
    yield other
    other.close()


def pragma(wrapper, name):
    with wrapper.cursor() as cursor:
        cursor.execute(f"PRAGMA {name}")
        return cursor.fetchone()[0]


@on_sqlite
def test_a_sqlite_file_database_runs_in_wal_mode_with_a_busy_timeout(sqlite_file):
    # The site's own backend (talks_site/sqlite/), whose BEGIN the tests below wait on.
    assert isinstance(sqlite_file, DatabaseWrapper)
    assert pragma(sqlite_file, "journal_mode") == "wal"
    assert pragma(sqlite_file, "busy_timeout") == 20_000
    assert pragma(sqlite_file, "synchronous") == 1  # NORMAL: safe with WAL, one fsync less


@on_sqlite
def test_sqlite_transactions_take_the_write_lock_when_they_begin(sqlite_file, other_writer):
    # No statement runs inside the block: BEGIN IMMEDIATE alone holds the lock, so writers
    # queue at BEGIN instead of failing when a read turns into a write.
    with (
        transaction.atomic(using=sqlite_file.alias),
        pytest.raises(sqlite3.OperationalError, match="database is locked"),
    ):
        other_writer.execute("BEGIN IMMEDIATE")
    other_writer.execute("BEGIN IMMEDIATE")
    other_writer.execute("ROLLBACK")


def hold_the_lock(other, seconds):
    """Hold the write lock on `other` for `seconds`, writing a row, from a thread of its own."""
    other.execute("CREATE TABLE IF NOT EXISTS mark (note TEXT)")
    other.execute("BEGIN IMMEDIATE")
    other.execute("INSERT INTO mark VALUES ('written while the lock was held')")
    release = threading.Timer(seconds, other.execute, ["COMMIT"])
    release.start()
    return release


@on_sqlite
def test_a_sqlite_transaction_waits_at_begin_for_the_writer_before_it(sqlite_file, other_writer):
    wrapper = sqlite_file
    release = hold_the_lock(other_writer, 0.3)
    with transaction.atomic(using=wrapper.alias), wrapper.cursor() as cursor:
        # The lock is ours only once the other writer committed: its row is there to read.
        assert not release.is_alive()
        cursor.execute("SELECT note FROM mark")
        assert cursor.fetchall() == [("written while the lock was held",)]
        # Inside the transaction and after it, statements keep SQLite's own busy timeout.
        assert pragma(wrapper, "busy_timeout") == 20_000
    assert pragma(wrapper, "busy_timeout") == 20_000


@on_sqlite
def test_a_sqlite_transaction_gives_up_after_the_timeout(connect_to_file, other_writer):
    wrapper = connect_to_file(timeout=0.2)
    release = hold_the_lock(other_writer, 5)
    try:
        with (
            pytest.raises(OperationalError, match="database is locked"),
            transaction.atomic(using=wrapper.alias),
        ):
            pass
        assert release.is_alive()
        assert pragma(wrapper, "busy_timeout") == 200
    finally:
        release.cancel()
        other_writer.execute("ROLLBACK")


@on_sqlite
def test_beginning_fails_at_once_for_anything_but_a_busy_lock(sqlite_file):
    with transaction.atomic(using=sqlite_file.alias):
        with pytest.raises(OperationalError, match="within a transaction"):
            sqlite_file._start_transaction_under_autocommit()
        assert pragma(sqlite_file, "busy_timeout") == 20_000


@on_postgresql
def test_postgresql_connections_persist_and_are_checked_before_reuse():
    assert connection.settings_dict["CONN_MAX_AGE"] == 60
    assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True


def writes(queries):
    return [q["sql"] for q in queries if not q["sql"].lstrip().upper().startswith("SELECT")]


def test_a_visitor_reading_pages_makes_no_write_and_no_session(client, talk):
    make_comment(talk)
    make_comment(talk, approved=False)
    for path in ("/", talk.get_absolute_url(), "/user/john/", "/feeds/talks/"):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        assert response.status_code == 200, path
        assert writes(queries) == [], path
        assert "sessionid" not in response.cookies, path
    assert Session.objects.count() == 0


def test_a_logged_in_speaker_reading_pages_does_not_save_the_session(john_client, talk):
    make_comment(talk, approved=False)
    for path in ("/", talk.get_absolute_url(), "/moderate/", "/profile/edit/"):
        with CaptureQueriesContext(connection) as queries:
            response = john_client.get(path)
        assert response.status_code == 200, path
        assert writes(queries) == [], path


def test_twenty_visitors_and_four_moderators_at_once_lose_nothing(live_database, start_server):
    talk_id = live_database.run(
        """
        from conftest import make_talk, make_user
        print(make_talk(make_user("john")).pk)
        """
    ).strip()
    server = start_server(DATABASE_URL=live_database.url, workers=3, threads=4)
    token = server.client().send_json(
        "POST", "/api/1.0/tokens", {"email": "john@example.com", "password": PASSWORD}
    )
    assert token.status == 200, token
    bearer = {"Authorization": f"Bearer {token.json()['token']}"}
    total = POSTERS * COMMENTS_EACH
    posting_done = threading.Event()
    failures = []

    def post_comments(poster):
        client = server.client()
        for n in range(COMMENTS_EACH):
            response = client.post(
                f"/talk/{talk_id}/comments/",
                {
                    "author_name": f"Visitor {poster}",
                    "author_email": f"visitor{poster}@example.org",
                    "body": f"Comment {n} from visitor {poster}",
                    "notify": "on",
                },
                csrf_from=f"/talk/{talk_id}/",
            )
            if response.status != 302:
                failures.append(("post", poster, n, response.status, response.text[:300]))

    def moderate(moderator):
        """Approve the waiting comments whose id falls to this moderator, until none is left."""
        client = server.client()
        client.log_in("john@example.com", PASSWORD)
        approved = 0
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            page = client.get("/moderate/")
            if page.status != 200:
                failures.append(("queue", moderator, page.status, page.text[:300]))
                return approved
            ids = [int(pk) for pk in re.findall(r'id="comment-(\d+)"', page.text)]
            mine = [pk for pk in ids if pk % MODERATORS == moderator]
            for pk in mine:
                response = client.request("PUT", f"/api/1.0/comments/{pk}", headers=bearer)
                if response.status != 200:
                    failures.append(("approve", pk, response.status, response.text[:300]))
                approved += 1
            if not ids and posting_done.is_set():
                return approved
            if not mine:
                time.sleep(0.05)
        failures.append(("timeout", moderator))
        return approved

    with ThreadPoolExecutor(max_workers=POSTERS + MODERATORS) as pool:
        moderators = [pool.submit(moderate, m) for m in range(MODERATORS)]
        posters = [pool.submit(post_comments, p) for p in range(POSTERS)]
        for future in posters:
            future.result()
        posting_done.set()
        approvals = sum(future.result() for future in moderators)

    counts = live_database.run(
        f"""
        from talks.models import Comment
        comments = Comment.objects.filter(talk_id={talk_id})
        print(comments.count(), comments.filter(approved=True).count(),
              comments.values("author_email", "body").distinct().count())
        """
    ).split()
    log = server.log()
    assert failures == []
    assert approvals == total
    assert counts == [str(total)] * 3
    assert "database is locked" not in log
    assert "Traceback" not in log
