"""Faults at the edges of the site: the mail server is down, the database connection is killed.

Each test runs gunicorn with production settings and breaks something real underneath it.
"""

import pytest
from django.db import connection

from conftest import PASSWORD
from talks.tests.smtpd import SMTPServer, free_port

from .live_servers import manage

VISITORS = ("v3@example.org", "v4@example.org")


@pytest.fixture
def discussed_talk(live_database):
    """john's talk, where visitors v1 and v2 (confirmed) have approved comments and asked to be
    notified."""
    return live_database.run(
        """
        from conftest import make_comment, make_talk, make_user
        from talks.models import EmailAddress
        talk = make_talk(make_user("john"))
        make_user("david")
        for n in (1, 2):
            make_comment(talk, author_name=f"V{n}", author_email=f"v{n}@example.org", notify=True)
            EmailAddress.objects.confirm(f"v{n}@example.org")
        print(talk.pk)
        """
    ).strip()


def outbox(live_database):
    """(address, kind, attempts, last error, sent?) of every outbox row, by address."""
    output = live_database.run(
        """
        from talks.models import OutboxEmail
        for row in OutboxEmail.objects.order_by("address"):
            print(row.address, row.kind, row.attempts, row.last_error.split(":")[0] or "-",
                  row.sent_at is not None, sep="|")
        """
    )
    return [tuple(line.split("|")) for line in output.splitlines()]


def test_comments_arriving_while_the_mail_server_is_down_are_kept_and_sent_later(
    live_database, discussed_talk, start_server
):
    smtp_port = free_port()  # nothing listens here until the outage ends
    mail = {
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
        # Delivery runs inside the request as soon as the comment commits: the harshest case,
        # where an SMTP failure could leak into the visitor's response.
        "TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "MAIL_FLUSH_INTERVAL": 0,
    }
    server = start_server(DATABASE_URL=live_database.url, **mail)
    talk_page = f"/talk/{discussed_talk}/"

    statuses = []
    for address in VISITORS:  # waiting for review: john is to be told
        visitor = server.client()
        fields = {"author_name": address[:2], "author_email": address, "body": "Hello"}
        statuses.append(visitor.post(f"{talk_page}comments/", fields, csrf_from=talk_page).status)
    david = server.client()
    david.log_in("david@example.com", PASSWORD)
    # Published at once: v1 and v2, who asked to be notified, are to be told.
    statuses.append(
        david.post(f"{talk_page}comments/", {"body": "Great"}, csrf_from=talk_page).status
    )
    during_outage = outbox(live_database)

    smtp = SMTPServer(port=smtp_port)
    smtp.start()
    try:
        flushed = manage("send_notifications", DATABASE_URL=live_database.url, **mail)
        received = smtp.wait_for(3, timeout=10)
    finally:
        smtp.stop()

    assert statuses == [302, 302, 302]
    # Each was tried (how often depends on how many flushes the comments asked for) and kept.
    assert [(address, kind, error, sent) for address, kind, _, error, sent in during_outage] == [
        ("john@example.com", "moderation", "ConnectionRefusedError", "False"),
        ("v1@example.org", "new_comments", "ConnectionRefusedError", "False"),
        ("v2@example.org", "new_comments", "ConnectionRefusedError", "False"),
    ]
    assert all(int(attempts) >= 1 for _, _, attempts, _, _ in during_outage)
    assert flushed.strip() == "Sent 3 emails; 0 failed, 0 waiting."
    assert sorted(message["To"] for message in received) == [
        "john@example.com",
        "v1@example.org",
        "v2@example.org",
    ]
    assert [row[4] for row in outbox(live_database)] == ["True", "True", "True"]
    assert "Traceback" not in server.log()


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="kills PostgreSQL backends; CI runs the suite again with DATABASE_URL=postgres://…",
)
def test_the_next_request_succeeds_after_the_database_connection_is_killed(
    live_database, discussed_talk, start_server
):
    import psycopg

    # One process, one thread: one persistent connection (CONN_MAX_AGE), the one killed.
    server = start_server(DATABASE_URL=live_database.url, workers=1, threads=1)
    client = server.client()
    talk_page = f"/talk/{discussed_talk}/"
    assert client.get(talk_page).status == 200

    with psycopg.connect(live_database.url.replace("postgres://", "postgresql://")) as killer:
        killed = killer.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchall()

    page = client.get(talk_page)
    comment = client.post(
        f"{talk_page}comments/",
        {"author_name": "Ann", "author_email": "ann@example.org", "body": "Still here"},
        csrf_from=talk_page,
    )
    health = client.get("/health/", https=False)

    assert killed == [(True,)]
    assert (page.status, comment.status, health.status) == (200, 302, 200)
    assert "Traceback" not in server.log()
