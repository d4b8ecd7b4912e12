"""Delivering the outbox: batching, the flush interval, SMTP failures, the task and the command."""

import datetime
import threading
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from conftest import make_comment, make_talk
from talks import services, tasks
from talks.models import OutboxEmail
from talks.notifications import outbox
from talks.notifications.outbox import flush_outbox
from talks.tasks import flush_notifications

from .smtpd import running_smtp_server

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("confirmed_visitors")]

HOUR = datetime.timedelta(hours=1)
SECOND = datetime.timedelta(seconds=1)


@pytest.fixture(autouse=True)
def _hourly_flush(settings):
    settings.MAIL_FLUSH_INTERVAL = 3600


@pytest.fixture
def smtp(settings):
    """A real SMTP server on 127.0.0.1 that the site sends through."""
    with running_smtp_server() as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = server.port
        settings.EMAIL_HOST_USER = ""
        settings.EMAIL_HOST_PASSWORD = ""
        settings.EMAIL_USE_TLS = False
        settings.EMAIL_USE_SSL = False
        settings.EMAIL_TIMEOUT = 5
        yield server


@pytest.fixture
def subscribers(talk):
    """Two visitors who asked to hear of new comments on `talk` (and nothing queued yet)."""
    make_comment(talk, author_name="Ann", author_email="ann@example.org")
    make_comment(talk, author_name="Bob", author_email="bob@example.org")
    OutboxEmail.objects.all().delete()


def later(hours=1):
    return timezone.now() + datetime.timedelta(hours=hours, seconds=1)


def recipients(messages):
    """Who the messages went to: Django's outbox or what the SMTP server received."""
    return sorted(
        address
        for message in messages
        for address in (message.to if hasattr(message, "to") else [message["To"]])
    )


def test_nothing_goes_out_before_the_flush_interval_has_passed(talk, subscribers):
    make_comment(talk, author_email="new@example.org", notify=False)

    assert flush_outbox().sent == 0
    assert flush_outbox(now=timezone.now() + datetime.timedelta(minutes=59)).sent == 0
    assert mail.outbox == []

    assert flush_outbox(now=later()).sent == 2
    assert recipients(mail.outbox) == ["ann@example.org", "bob@example.org"]


def test_a_row_made_long_ago_is_due_now(talk, subscribers):
    make_comment(talk, author_email="new@example.org", notify=False)
    OutboxEmail.objects.pending().update(created_at=timezone.now() - HOUR)

    assert flush_outbox().sent == 2


def test_many_comments_make_one_email_per_address(talk, subscribers):
    new = [
        make_comment(
            talk, author_name=f"Reader {n}", author_email=f"r{n}@example.org", notify=False
        )
        for n in range(5)
    ]

    result = flush_outbox(now=later())

    assert (result.sent, result.failed) == (2, 0)
    assert recipients(mail.outbox) == ["ann@example.org", "bob@example.org"]
    for message in mail.outbox:
        assert [f"/comments/{c.pk}/" in message.body for c in new] == [True] * 5
        assert message.body.count(" wrote:") == 5


def test_a_sent_email_is_marked_and_never_sent_again(talk, subscribers):
    make_comment(talk, author_email="new@example.org", notify=False)

    flush_outbox(now=later())
    flush_outbox(now=later(2))

    assert len(mail.outbox) == 2
    rows = OutboxEmail.objects.order_by("address")
    assert [(row.address, row.attempts, row.sent_at is not None) for row in rows] == [
        ("ann@example.org", 1, True),
        ("bob@example.org", 1, True),
    ]


def test_the_whole_batch_goes_over_one_smtp_connection(john, smtp):
    for number in range(3):
        talk = make_talk(john, title=f"Talk {number}")
        make_comment(talk, author_name="Ann", author_email="ann@example.org")
        make_comment(talk, author_name="Bob", author_email="bob@example.org")
        make_comment(talk, author_email="new@example.org", notify=False)

    result = flush_outbox(now=later())

    assert result.sent == 6  # Ann and Bob about each talk
    assert len(smtp.messages) == 6
    assert len(set(smtp.handler.peers)) == 1


def test_a_refusing_server_loses_nothing_and_a_later_flush_delivers(talk, subscribers, smtp):
    make_comment(talk, author_email="new@example.org", notify=False)
    smtp.handler.refuse_with = "451 4.3.0 Mailbox busy, try again later"

    result = flush_outbox(now=later())

    assert (result.sent, result.failed) == (0, 2)
    assert smtp.messages == []
    pending = OutboxEmail.objects.pending().order_by("address")
    assert [(row.address, row.attempts) for row in pending] == [
        ("ann@example.org", 1),
        ("bob@example.org", 1),
    ]
    assert "451" in pending[0].last_error

    smtp.handler.refuse_with = None
    result = flush_outbox(now=later())

    assert (result.sent, result.failed) == (2, 0)
    assert recipients(smtp.messages) == ["ann@example.org", "bob@example.org"]
    assert OutboxEmail.objects.pending().count() == 0
    flush_outbox(now=later(2))
    assert len(smtp.messages) == 2


def test_a_stopped_server_loses_nothing_and_a_later_flush_delivers(talk, subscribers, smtp):
    make_comment(talk, author_email="new@example.org", notify=False)
    smtp.stop()

    result = flush_outbox(now=later())

    assert (result.sent, result.failed) == (0, 2)
    assert [row.attempts for row in OutboxEmail.objects.pending()] == [1, 1]
    assert "ConnectionRefusedError" in OutboxEmail.objects.pending().first().last_error

    smtp.start()
    result = flush_outbox(now=later())

    assert (result.sent, result.failed) == (2, 0)
    assert recipients(smtp.messages) == ["ann@example.org", "bob@example.org"]


def test_one_refused_address_does_not_hold_back_the_others(talk, subscribers, smtp):
    make_comment(talk, author_email="new@example.org", notify=False)
    smtp.handler.refuse_with = "550 5.1.1 No such user"
    smtp.handler.refuse_for = {"ann@example.org"}

    result = flush_outbox(now=later())

    assert (result.sent, result.failed) == (1, 1)
    assert recipients(smtp.messages) == ["bob@example.org"]
    assert [row.address for row in OutboxEmail.objects.pending()] == ["ann@example.org"]


def ann_follows_talks(author, count):
    """`count` talks with a new comment each, and so `count` emails due to Ann."""
    for number in range(count):
        talk = make_talk(author, title=f"Talk {number}")
        make_comment(talk, author_name="Ann", author_email="ann@example.org")
        make_comment(talk, author_email="new@example.org", notify=False)


def test_a_dropped_connection_loses_nothing_and_a_later_flush_delivers(john, smtp, monkeypatch):
    monkeypatch.setattr(outbox, "BATCH_SIZE", 2)
    ann_follows_talks(john, 5)
    smtp.handler.hang_up_after = 2

    result = flush_outbox(now=later())

    # The third email met the hang-up; the fourth and fifth were never tried.
    assert (result.sent, result.failed) == (2, 3)
    pending = OutboxEmail.objects.due(later())
    assert [row.attempts for row in pending] == [1, 0, 0]
    assert "SMTPServerDisconnected" in pending[0].last_error

    smtp.handler.hang_up_after = None
    result = flush_outbox(now=later())

    assert (result.sent, result.failed) == (3, 0)
    assert len(smtp.messages) == 5
    assert OutboxEmail.objects.pending().count() == 0


def test_an_email_the_backend_cannot_write_fails_alone(talk, subscribers, smtp, caplog):
    make_comment(talk, author_email="new@example.org", notify=False)
    OutboxEmail.objects.filter(address="ann@example.org").update(address="ann@example.org\n")

    result = flush_outbox(now=later())

    assert (result.sent, result.failed) == (1, 1)
    assert recipients(smtp.messages) == ["bob@example.org"]
    [row] = OutboxEmail.objects.pending()
    assert (row.attempts, row.last_error.split(":")[0]) == (1, "BadHeaderError")
    assert f"email {row.pk} to ann@example.org" in caplog.text


def test_a_flush_makes_a_few_queries_a_batch_not_a_few_an_email(
    john, monkeypatch, django_assert_num_queries
):
    ann_follows_talks(john, 5)

    # The due ids, then per batch: its rows with their talks (locked), their comments, one
    # update marking the sent ones, and the savepoint and release of the batch's transaction.
    with django_assert_num_queries(1 + 5):
        assert flush_outbox(now=later()).sent == 5

    monkeypatch.setattr(outbox, "BATCH_SIZE", 2)
    OutboxEmail.objects.update(sent_at=None)
    with django_assert_num_queries(1 + 3 * 5):
        assert flush_outbox(now=later()).sent == 5


def test_a_waiting_comment_approved_before_the_flush_needs_no_review_email(talk):
    waiting = make_comment(talk, author_email="v@example.org", approved=False)
    waiting.approve()

    result = flush_outbox(now=later())

    # Only the commenter hears, that their comment was published.
    assert (result.sent, result.dropped) == (1, 1)
    assert [message.to for message in mail.outbox] == [["v@example.org"]]
    assert OutboxEmail.objects.get().kind == OutboxEmail.Kind.COMMENT_APPROVED


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("approve", [services.approve_comment, services.approve_and_trust])
def test_an_approval_reads_whom_it_tells_before_its_transaction(confirmed_visitors, john, approve):
    """On SQLite the approval's transaction holds the one write lock every writer waits for:
    inside it, the approval writes, and reads back only the rows it writes (the outbox's, and
    the trusted address's)."""
    talk = make_talk(john)
    make_comment(talk, author_name="Ann", author_email="ann@example.org")
    waiting = make_comment(talk, author_name="V", author_email="v@example.org", approved=False)
    OutboxEmail.objects.all().delete()

    with CaptureQueriesContext(connection) as queries:
        approve(waiting)

    statements = [query["sql"] for query in queries]
    begin = next(n for n, sql in enumerate(statements) if sql.startswith("BEGIN"))
    inside = statements[begin + 1 : statements.index("COMMIT")]
    written = (' FROM "talks_outboxemail"', ' FROM "talks_trustedaddress"')
    reads = [sql for sql in inside if sql.startswith("SELECT")]
    assert inside[0].startswith("UPDATE")
    assert reads and all(any(table in sql for table in written) for sql in reads)
    assert sorted(OutboxEmail.objects.values_list("address", "kind")) == [
        ("ann@example.org", OutboxEmail.Kind.NEW_COMMENTS),
        ("v@example.org", OutboxEmail.Kind.COMMENT_APPROVED),
    ]


def test_a_comment_deleted_before_the_flush_is_not_mailed(talk, subscribers):
    make_comment(talk, author_email="new@example.org", notify=False).delete()

    result = flush_outbox(now=later())

    assert (result.sent, result.dropped) == (0, 2)
    assert mail.outbox == []


def test_the_author_is_asked_to_review_every_comment_still_waiting(talk):
    first = make_comment(talk, author_name="V1", author_email="v1@example.org", approved=False)
    second = make_comment(talk, author_name="V2", author_email="v2@example.org", approved=False)

    flush_outbox(now=later())

    [message] = mail.outbox
    assert message.to == ["john@example.com"]
    assert message.subject == '[talks] Comments waiting for your review on "Flask by Example"'
    assert f"/comments/{first.pk}/" in message.body
    assert f"/comments/{second.pk}/" in message.body
    assert "List-Unsubscribe" not in message.extra_headers


def test_a_flush_with_failures_asks_for_a_retry_on_a_backend_that_can_wait(
    talk, subscribers, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens: refused
    make_comment(talk, author_email="new@example.org", notify=False)
    OutboxEmail.objects.pending().update(created_at=timezone.now() - HOUR)

    before = timezone.now()
    result = tasks.deliver()

    assert result.failed == 2
    [retry] = DBTaskResult.objects.all()
    assert retry.task_path == "talks.tasks.flush_notifications"
    assert retry.args_kwargs == {"args": [], "kwargs": {"retry": True}}
    # The first backoff: OUTBOX_RETRY_DELAY, 60 seconds.
    wait = datetime.timedelta(seconds=60)
    assert before + wait <= retry.run_after <= timezone.now() + wait + 2 * SECOND


def test_however_many_flushes_fail_one_retry_waits(talk, subscribers, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9
    make_comment(talk, author_email="new@example.org", notify=False)
    OutboxEmail.objects.pending().update(created_at=timezone.now() - HOUR)

    for _ in range(3):
        OutboxEmail.objects.update(next_attempt_at=None)  # due again at once
        assert tasks.deliver().failed == 2

    assert DBTaskResult.objects.count() == 1
    # The retry, once it runs (and fails again), may ask for the next one.
    OutboxEmail.objects.update(next_attempt_at=None)
    tasks.flush_notifications.call(retry=True)
    assert DBTaskResult.objects.count() == 2


def test_each_failure_doubles_the_wait_and_the_last_try_marks_the_email_failed(
    talk, subscribers, smtp, settings
):
    settings.OUTBOX_MAX_ATTEMPTS = 4
    smtp.handler.refuse_with = "550 5.1.1 No such user"
    smtp.handler.refuse_for = {"ann@example.org"}
    make_comment(talk, author_email="new@example.org", notify=False)
    waits = []

    for _ in range(4):
        before = timezone.now()
        flush_outbox(now=later(2))
        row = OutboxEmail.objects.get(address="ann@example.org")
        if row.next_attempt_at is not None:
            waits.append(round((row.next_attempt_at - before).total_seconds() / 60))
            assert flush_outbox(now=row.next_attempt_at - SECOND).failed == 0  # not before

    row = OutboxEmail.objects.get(address="ann@example.org")
    assert waits == [1, 2, 4]
    assert (row.attempts, row.failed_at is not None, row.next_attempt_at) == (4, True, None)
    assert "550" in row.last_error
    assert list(OutboxEmail.objects.failed()) == [row]
    assert not OutboxEmail.objects.pending().filter(address="ann@example.org").exists()
    assert flush_outbox(now=later(48)).failed == 0  # never tried again
    assert recipients(smtp.messages) == ["bob@example.org"]


def test_a_failed_email_does_not_block_the_next_notification_to_that_address(
    talk, subscribers, smtp, settings
):
    settings.OUTBOX_MAX_ATTEMPTS = 1
    smtp.handler.refuse_with = "550 5.1.1 No such user"
    smtp.handler.refuse_for = {"ann@example.org"}
    make_comment(talk, author_email="new@example.org", notify=False)
    flush_outbox(now=later())

    make_comment(talk, author_email="newer@example.org", notify=False)

    assert OutboxEmail.objects.filter(address="ann@example.org").count() == 2
    assert OutboxEmail.objects.pending().filter(address="ann@example.org").count() == 1


def test_a_flush_that_sent_everything_asks_for_nothing_more(talk, subscribers, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    make_comment(talk, author_email="new@example.org", notify=False)
    OutboxEmail.objects.pending().update(created_at=timezone.now() - HOUR)

    assert tasks.deliver().sent == 2
    assert DBTaskResult.objects.count() == 0


def test_a_new_comment_schedules_its_flush_one_interval_later(
    talk, subscribers, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        make_comment(talk, author_email="new@example.org", notify=False)

    [flush] = DBTaskResult.objects.all()
    assert flush.task_path == "talks.tasks.flush_notifications"
    assert before + HOUR <= flush.run_after <= timezone.now() + HOUR + SECOND
    assert flush.run_after.microsecond == 0  # RQ keeps whole seconds: rounded up, never early
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (datetime.datetime(2026, 1, 1, 12, 0, 0, 1, tzinfo=datetime.timezone.utc), "12:01:01"),
        (datetime.datetime(2026, 1, 1, 12, 0, 0, 999999, tzinfo=datetime.timezone.utc), "12:01:01"),
        (datetime.datetime(2026, 1, 1, 12, 0, 0, 0, tzinfo=datetime.timezone.utc), "12:01:00"),
    ],
)
def test_a_flush_is_scheduled_no_earlier_than_asked_in_whole_seconds(moment, expected):
    assert f"{tasks.whole_second_after(moment, 60):%H:%M:%S.%f}" == f"{expected}.000000"


def test_the_flush_task_sends_what_is_due(talk, subscribers):
    make_comment(talk, author_email="new@example.org", notify=False)
    OutboxEmail.objects.pending().update(created_at=timezone.now() - HOUR)

    result = flush_notifications.enqueue()

    assert result.return_value == {"sent": 2, "failed": 0, "dropped": 0}
    assert recipients(mail.outbox) == ["ann@example.org", "bob@example.org"]


def test_an_immediate_backend_flushes_on_commit_when_the_interval_is_zero(
    talk, subscribers, settings, django_capture_on_commit_callbacks
):
    settings.MAIL_FLUSH_INTERVAL = 0

    with django_capture_on_commit_callbacks(execute=True):
        make_comment(talk, author_email="new@example.org", notify=False)

    assert recipients(mail.outbox) == ["ann@example.org", "bob@example.org"]


def test_the_command_sends_what_is_due_and_says_so(talk, subscribers):
    make_comment(talk, author_email="new@example.org", notify=False)
    out = StringIO()

    call_command("send_notifications", stdout=out)
    assert out.getvalue() == "Sent 0 emails; 0 failed, 2 waiting.\n"

    OutboxEmail.objects.pending().update(created_at=timezone.now() - HOUR)
    out = StringIO()
    call_command("send_notifications", stdout=out)

    assert out.getvalue() == "Sent 2 emails; 0 failed, 0 waiting.\n"
    assert recipients(mail.outbox) == ["ann@example.org", "bob@example.org"]


def test_the_command_can_send_everything_waiting_at_once(talk, subscribers):
    make_comment(talk, author_email="new@example.org", notify=False)
    out = StringIO()

    call_command("send_notifications", "--all", stdout=out)

    assert out.getvalue() == "Sent 2 emails; 0 failed, 0 waiting.\n"


needs_row_locks = pytest.mark.skipif(
    connection.vendor == "sqlite", reason="SQLite serialises writers; row locks need PostgreSQL"
)


@needs_row_locks
@pytest.mark.django_db(transaction=True)
def test_concurrent_comments_share_one_pending_email_per_address(john):
    talk = make_talk(john)
    make_comment(talk, author_name="Ann", author_email="ann@example.org")
    OutboxEmail.objects.all().delete()
    start = threading.Barrier(6)
    errors = []

    def comment(number):
        try:
            start.wait()
            make_comment(talk, author_email=f"r{number}@example.org", notify=False)
        except Exception as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=comment, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    [row] = OutboxEmail.objects.all()
    assert (row.address, row.comments.count()) == ("ann@example.org", 6)


@needs_row_locks
@pytest.mark.django_db(transaction=True)
def test_two_workers_flushing_at_once_send_each_email_once(john, smtp):
    for number in range(10):
        talk = make_talk(john, title=f"Talk {number}")
        make_comment(talk, author_name="Ann", author_email="ann@example.org")
        make_comment(talk, author_email="new@example.org", notify=False)
    start = threading.Barrier(2)
    results = []

    def flush():
        try:
            start.wait()
            results.append(flush_outbox(now=later()))
        finally:
            connection.close()

    threads = [threading.Thread(target=flush) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sum(result.sent for result in results) == 10
    assert len(smtp.messages) == 10
    assert OutboxEmail.objects.pending().count() == 0
