"""The real worker delivers the emails: a visitor comments, the speaker approves, over HTTP.

The site runs in gunicorn on a database of its own, the worker is the real command of the task
backend under test (`db_worker` for the database queue, `rqworker` for RQ on the local Redis),
and the mail goes to a real SMTP server on 127.0.0.1.
"""

import os
import re
import subprocess
import sys
import time
import urllib.parse

import pytest

from conftest import PASSWORD
from talks.tests.smtpd import running_smtp_server
from tests.live_servers import ROOT, server_env, stop_process_group

pytestmark = pytest.mark.e2e

SITE_URL = "https://talks.example.com"
RQ_URL = os.environ.get("TALKS_E2E_RQ_URL", "redis://127.0.0.1:6379/15")
DELIVERY_TIMEOUT = 30

BACKENDS = {
    "database_queue": {
        "env": {"TASKS_BACKEND": "django_tasks_db.DatabaseBackend"},
        "worker": ["db_worker", "--interval", "0.2", "--no-startup-delay", "--no-reload"],
    },
    "rq_queue": {
        "env": {"TASKS_BACKEND": "django_tasks_rq.RQBackend", "RQ_URL": RQ_URL},
        "worker": [
            *("rqworker", "default", "--with-scheduler", "--job-class", "django_tasks_rq.Job"),
        ],
    },
}


def redis_is_up():
    import redis

    try:
        return redis.Redis.from_url(RQ_URL, socket_connect_timeout=2).ping()
    except redis.RedisError:
        return False


@pytest.fixture(params=list(BACKENDS))
def backend(request):
    if request.param == "rq_queue" and not redis_is_up():
        if os.environ.get("TALKS_REQUIRE_REDIS"):
            pytest.fail(f"TALKS_REQUIRE_REDIS is set but Redis does not answer at {RQ_URL}")
        pytest.skip(f"Redis does not answer at {RQ_URL}")
    return BACKENDS[request.param]


class Worker:
    """The backend's worker command in a subprocess, with its log kept for failures."""

    def __init__(self, command, env, log_path):
        self.log_path = log_path
        with open(log_path, "ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "manage.py", *command],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def stop(self):
        stop_process_group(self.process)

    def log(self):
        return self.log_path.read_text(errors="replace")


@pytest.fixture
def flush_interval():
    """MAIL_FLUSH_INTERVAL for the site: 0 sends at once; a test may parametrize it."""
    return 0


@pytest.fixture
def site_env():
    """More settings for the site and its worker; a test may parametrize it."""
    return {}


@pytest.fixture
def site(backend, flush_interval, site_env, live_database, start_server, tmp_path):
    """The site, its worker and an SMTP server, sharing one database; returns what tests use."""
    with running_smtp_server() as smtp:
        env = {
            "DATABASE_URL": live_database.url,
            "SITE_URL": SITE_URL,
            "EMAIL_URL": f"smtp://127.0.0.1:{smtp.port}",
            "MAIL_FLUSH_INTERVAL": str(flush_interval),
            **backend["env"],
            **site_env,
        }
        talk_id = int(
            live_database.run(
                f"""
                from accounts.models import User
                from talks.models import Talk
                john = User(username="john", email="john@example.com", name="John Doe")
                john.set_password({PASSWORD!r})
                john.save()
                talk = Talk.objects.create(
                    author=john, title="Flask & Friends", venue="PyCon", date="2014-04-11"
                )
                print(talk.pk)
                """
            )
        )
        server = start_server(**env)
        worker = Worker(backend["worker"], server_env(**env), tmp_path / "worker.log")
        try:
            yield {"server": server, "smtp": smtp, "talk_id": talk_id, "db": live_database}
        finally:
            worker.stop()
            print(f"--- worker.log ---\n{worker.log()[-20000:]}")


def wait_for_mail(smtp, count):
    messages = smtp.wait_for(count, timeout=DELIVERY_TIMEOUT)
    assert len(messages) >= count, f"{len(messages)} of {count} emails arrived"
    return messages


def body(message, kind):
    """A part of a received email, with SMTP's CRLF line ends made plain newlines."""
    return message.get_body((kind,)).get_content().replace("\r\n", "\n")


def post_comment(server, talk_id, name, email, body):
    visitor = server.client()
    response = visitor.post(
        f"/talk/{talk_id}/comments/",
        {"author_name": name, "author_email": email, "body": body, "notify": "on"},
        csrf_from=f"/talk/{talk_id}/",
    )
    assert response.status == 302, response


def approve_latest(server):
    """The speaker finds the waiting comment on /moderate/ and approves it with the API."""
    speaker = server.client()
    speaker.log_in("john@example.com", PASSWORD)
    [comment_id] = re.findall(r'<article id="comment-(\d+)"', speaker.get("/moderate/").text)
    token = speaker.send_json(
        "POST", "/api/1.0/tokens", {"email": "john@example.com", "password": PASSWORD}
    ).json()["token"]
    response = speaker.send_json(
        "PUT", f"/api/1.0/comments/{comment_id}", {}, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status == 200, response
    return int(comment_id)


def link_path(message, prefix):
    """The path of the link starting with `prefix` in an email's text part."""
    [path] = re.findall(rf"{re.escape(SITE_URL)}({re.escape(prefix)}\S+)", body(message, "plain"))
    return path


def confirm_from(server, message):
    """The visitor opens the confirmation link and presses Confirm."""
    path = link_path(message, "/confirm/")
    response = server.client().post(path, {}, csrf_from=path)
    assert response.status == 200, response


def received(smtp):
    return sorted((m["To"], m["Subject"]) for m in smtp.messages)


CONFIRM = "[talks] Confirm your email address"
REVIEW = '[talks] Comment waiting for your review on "Flask & Friends"'


def test_the_worker_delivers_review_requests_and_new_comment_emails(site):
    server, smtp, talk_id = site["server"], site["smtp"], site["talk_id"]

    post_comment(server, talk_id, "Ann", "ann@example.org", "First & foremost")
    wait_for_mail(smtp, 2)
    [review] = [m for m in smtp.messages if m["Subject"] == REVIEW]
    [confirmation] = [m for m in smtp.messages if m["Subject"] == CONFIRM]
    confirm_from(server, confirmation)
    approve_latest(server)
    wait_for_mail(smtp, 3)  # Ann hears her comment was published
    post_comment(server, talk_id, "Bob", "bob@example.org", "Second, **with** feeling")
    wait_for_mail(smtp, 5)
    bob_id = approve_latest(server)
    wait_for_mail(smtp, 6)
    time.sleep(1)  # anything more (a duplicate) would arrive now

    assert received(smtp) == [
        ("ann@example.org", CONFIRM),
        ("ann@example.org", '[talks] New comment on "Flask & Friends"'),
        ("ann@example.org", '[talks] Your comment on "Flask & Friends" is published'),
        ("bob@example.org", CONFIRM),
        ("john@example.com", REVIEW),
        ("john@example.com", REVIEW),
    ]
    [news] = [m for m in smtp.messages if m["Subject"].startswith("[talks] New comment")]
    assert "  First & foremost\n" in body(review, "plain")
    text = body(news, "plain")
    assert "  Second, with feeling\n" in text
    assert f"Read it: {SITE_URL}/comments/{bob_id}/\n" in text
    assert "Second, with feeling" in body(news, "html")
    assert news["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # The one-click unsubscribe a mail client would send, straight from the header.
    link = str(news["List-Unsubscribe"]).strip().strip("<>")
    path = urllib.parse.urlsplit(link).path
    response = server.client().request(
        "POST",
        path,
        body="List-Unsubscribe=One-Click",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status == 200, response
    flags = site["db"].run(
        """
        from talks.models import Comment, OutboxEmail
        print(sorted(Comment.objects.values_list("author_email", "notify")))
        print(OutboxEmail.objects.pending().count())
        """
    )
    assert flags == "[('ann@example.org', False), ('bob@example.org', True)]\n0\n"


@pytest.mark.parametrize("flush_interval", [3])
def test_the_worker_runs_the_delayed_flush_once_the_interval_has_passed(site):
    """The flush is enqueued with run_after: db_worker, or RQ's scheduler, starts it on time."""
    server, smtp = site["server"], site["smtp"]

    posted = time.monotonic()
    post_comment(server, site["talk_id"], "Ann", "ann@example.org", "Hello")
    wait_for_mail(smtp, 2)  # the confirmation at once, then the review
    waited = time.monotonic() - posted

    assert sorted(m["To"] for m in smtp.messages) == ["ann@example.org", "john@example.com"]
    assert 3 <= waited < 3 + 10


@pytest.mark.parametrize("flush_interval", [3600])
def test_confirmation_and_publish_emails_go_out_in_seconds_while_news_waits_an_hour(site):
    """The emails a visitor waits for skip the flush interval; the batched ones keep it."""
    server, smtp, talk_id = site["server"], site["smtp"], site["talk_id"]

    posted = time.monotonic()
    post_comment(server, talk_id, "Ann", "ann@example.org", "Hello")
    [confirmation] = wait_for_mail(smtp, 1)
    assert confirmation["Subject"] == CONFIRM
    assert time.monotonic() - posted < 10
    confirm_from(server, confirmation)

    # John trusts Ann from the link in his review email, which is an hour away: read it
    # from the outbox, as the worker will write it.
    trust_path = (
        site["db"]
        .run(
            """
        from talks.models import Comment
        from talks.moderation_links import moderation_url
        comment = Comment.objects.select_related("talk__author").get()
        print(moderation_url(comment, "trust", comment.talk.author))
        """
        )
        .strip()
        .removeprefix(SITE_URL)
    )
    response = server.client().post(trust_path, {}, csrf_from=trust_path)
    assert response.status == 200, response

    # A fresh browser: Ann's next comment waits, and the publish link comes in seconds.
    posted = time.monotonic()
    post_comment(server, talk_id, "Ann", "ann@example.org", "Again")
    publish = wait_for_mail(smtp, 2)[1]
    assert publish["Subject"] == '[talks] Publish your comment on "Flask & Friends"'
    assert time.monotonic() - posted < 10
    time.sleep(2)  # the review and the "published" notice keep their hour

    assert [m["Subject"] for m in smtp.messages] == [CONFIRM, publish["Subject"]]
    pending = site["db"].run(
        """
        from talks.models import OutboxEmail
        print(sorted(OutboxEmail.objects.pending().values_list("kind", flat=True)))
        """
    )
    assert pending == "['comment_approved', 'moderation']\n"


def test_the_send_notifications_loop_delivers_and_stops_cleanly_on_sigterm(live_database, tmp_path):
    """The operator's worker of last resort: no task queue at all, only the command."""
    with running_smtp_server() as smtp:
        env = {
            "DATABASE_URL": live_database.url,
            "SITE_URL": SITE_URL,
            "EMAIL_URL": f"smtp://127.0.0.1:{smtp.port}",
            "MAIL_FLUSH_INTERVAL": "0",
            # A queue nobody works: only the command can send these emails.
            "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        }
        live_database.run(
            """
            from conftest import make_comment, make_talk, make_user
            from talks.models import EmailAddress
            talk = make_talk(make_user("john", name="John Doe"))
            make_comment(talk, author_name="Ann", author_email="ann@example.org")
            EmailAddress.objects.confirm("ann@example.org")
            make_comment(talk, author_name="Bob", author_email="bob@example.org", notify=False)
            """,
            **{key: value for key, value in env.items() if key != "DATABASE_URL"},
        )
        loop = Worker(
            ["send_notifications", "--loop", "--every", "0.2"],
            server_env(**env),
            tmp_path / "loop.log",
        )
        try:
            [message] = wait_for_mail(smtp, 1)
        finally:
            loop.stop()

    assert message["To"] == "ann@example.org"
    assert loop.process.returncode == 0
    assert "Sent 1 email; 0 failed, 0 waiting." in loop.log()


RETRY_CAP = {"OUTBOX_RETRY_DELAY": "1", "OUTBOX_MAX_ATTEMPTS": "3"}


@pytest.mark.parametrize("backend", ["database_queue"], indirect=True)
@pytest.mark.parametrize("site_env", [RETRY_CAP])
def test_a_refused_address_is_tried_a_few_times_with_one_retry_waiting_then_marked_failed(site):
    """The worker and a real SMTP server that refuses the speaker's address: no retry storm."""
    server, smtp, db = site["server"], site["smtp"], site["db"]
    smtp.handler.refuse_with = "550 5.1.1 No such user"
    smtp.handler.refuse_for = {"john@example.com"}
    # Three talks, a comment on each: three moderation emails, each flush failing on them.
    talk_ids = [site["talk_id"]] + [
        int(
            db.run(
                f"""
                from talks.models import Talk
                print(Talk.objects.create(
                    author_id=1, title="Talk {n}", venue="PyCon", date="2014-04-11"
                ).pk)
                """
            )
        )
        for n in range(2)
    ]
    for talk_id in talk_ids:
        post_comment(server, talk_id, "Ann", "ann@example.org", "Hello")

    # Backoff 1 s then 2 s: every row has had its three tries within about 10 s.
    waiting_retries, deadline = [], time.monotonic() + DELIVERY_TIMEOUT
    while time.monotonic() < deadline:
        state = db.run(
            """
            from django.utils import timezone
            from django_tasks_db.models import DBTaskResult
            from talks.models import OutboxEmail
            waiting = DBTaskResult.objects.filter(status="READY", run_after__gt=timezone.now())
            print(waiting.count(), OutboxEmail.objects.failed().count())
            """
        ).split()
        waiting_retries.append(int(state[0]))
        if state[1] == "3":
            break
    time.sleep(4)  # a retry storm would go on now
    rows = db.run(
        """
        from django_tasks_db.models import DBTaskResult
        from talks.models import OutboxEmail
        for row in OutboxEmail.objects.filter(kind="moderation").order_by("talk_id"):
            print(row.attempts, row.failed_at is not None, row.last_error.split(":")[0])
        print(DBTaskResult.objects.filter(status="READY").count())
        """
    ).splitlines()

    assert max(waiting_retries) <= 1
    assert rows == ["3 True SMTPDataError"] * 3 + ["0"]
    # Ann's address is asked once to confirm, however many comments name it; john hears nothing.
    assert [(m["To"], m["Subject"]) for m in smtp.messages] == [("ann@example.org", CONFIRM)]


@pytest.mark.parametrize("backend", ["database_queue"], indirect=True)
@pytest.mark.parametrize("flush_interval", [3600])
def test_the_worker_sends_a_password_reset_link_at_once_whatever_the_flush_interval(site):
    server, smtp = site["server"], site["smtp"]
    visitor = server.client()

    response = visitor.post(
        "/auth/password-reset/", {"email": "JOHN@example.com"}, csrf_from="/auth/password-reset/"
    )
    [message] = wait_for_mail(smtp, 1)

    assert (response.status, response.header("Location")) == (302, "/auth/password-reset/sent/")
    assert (message["To"], message["Subject"]) == (
        "john@example.com",
        "[talks] Reset your password",
    )
    [link] = re.findall(rf"{re.escape(SITE_URL)}(/auth/reset/\S+/)", body(message, "plain"))
    page = visitor.get(link)
    assert page.status == 302  # Django swaps the token for a session key, then shows the form
