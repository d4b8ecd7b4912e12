"""Notification delivery against plain smtplib, both into the same local SMTP server (aiosmtpd).

The server runs in a process of its own and only counts what it accepts, so that neither side's
figure includes the other's work, nor the server's parsing of the messages.
"""

import datetime
import multiprocessing
import smtplib
import socket
import time
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import SMTP

SENDER = "talks@localhost"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _CountingHandler:
    def __init__(self, messages, size):
        self.messages = messages
        self.size = size

    async def handle_DATA(self, server, session, envelope):
        with self.messages.get_lock():
            self.messages.value += 1
            self.size.value += len(envelope.original_content or envelope.content)
        return "250 2.0.0 Message accepted for delivery"


def _serve(port, messages, size, ready, stop):
    from aiosmtpd.controller import Controller

    controller = Controller(_CountingHandler(messages, size), hostname="127.0.0.1", port=port)
    controller.start()
    ready.set()
    stop.wait()
    controller.stop()


class SinkServer:
    """An aiosmtpd server in a child process that accepts and counts every message."""

    def __init__(self, port):
        context = multiprocessing.get_context("spawn")
        self.port = port
        self.messages = context.Value("q", 0)
        self.size = context.Value("q", 0)
        self._ready, self._stop = context.Event(), context.Event()
        self._process = context.Process(
            target=_serve,
            args=(port, self.messages, self.size, self._ready, self._stop),
            daemon=True,
        )

    def __enter__(self):
        self._process.start()
        if not self._ready.wait(30):
            raise RuntimeError("The SMTP server did not start.")
        return self

    def __exit__(self, *exc_info):
        self._stop.set()
        self._process.join(10)

    def reset(self):
        with self.messages.get_lock():
            self.messages.value = 0
            self.size.value = 0

    def wait_for(self, count, timeout=30):
        deadline = time.monotonic() + timeout
        while self.messages.value < count and time.monotonic() < deadline:
            time.sleep(0.01)
        return self.messages.value


@dataclass
class MailResult:
    emails: int
    flush_seconds: float
    smtplib_seconds: float
    # Django's own mail API alone: the same number of two-part messages of fixed text, no
    # database and no templates, through the same backend. What no flush can beat.
    django_seconds: float
    message_bytes: int
    # This process's CPU time during the flush: what the site's side of each email costs,
    # steadier than the rate on a machine shared with other work.
    flush_cpu_seconds: float

    @property
    def flush_cpu_ms_per_email(self):
        return self.flush_cpu_seconds * 1000 / self.emails

    @property
    def flush_rate(self):
        return self.emails / self.flush_seconds

    @property
    def smtplib_rate(self):
        return self.emails / self.smtplib_seconds

    @property
    def django_rate(self):
        return self.emails / self.django_seconds

    @property
    def ratio(self):
        return self.flush_rate / self.smtplib_rate

    @property
    def django_ratio(self):
        return self.django_rate / self.smtplib_rate


def queue_due_emails(count):
    """`count` due notification rows, each telling one subscriber of one new comment."""
    from django.conf import settings
    from django.db import transaction
    from django.utils import timezone

    from talks.models import Comment, OutboxEmail, Talk

    # Spread over many talks and comments, as a flush after a busy hour would be.
    talks = list(Talk.objects.order_by("-id").values_list("id", flat=True)[:200])
    comments = {}
    for talk_id, comment_id in (
        Comment.objects.approved()
        .filter(talk_id__in=talks)
        .order_by("talk_id", "id")
        .values_list("talk_id", "id")
    ):
        comments.setdefault(talk_id, comment_id)
    talks = [talk for talk in talks if talk in comments]
    due = timezone.now() - datetime.timedelta(seconds=settings.MAIL_FLUSH_INTERVAL + 60)
    with transaction.atomic():
        OutboxEmail.objects.all().delete()
        rows = OutboxEmail.objects.bulk_create(
            OutboxEmail(
                talk_id=talks[index % len(talks)],
                address=f"reader{index}@example.org",
                name=f"Reader {index}",
                kind=OutboxEmail.Kind.NEW_COMMENTS,
                created_at=due,
            )
            for index in range(count)
        )
        OutboxEmail.comments.through.objects.bulk_create(
            OutboxEmail.comments.through(outboxemail_id=row.pk, comment_id=comments[row.talk_id])
            for row in rows
        )


def prebuilt_messages(count, size):
    """`count` distinct messages of `size` bytes each, built before the clock starts."""
    line = "All work and no play makes a long enough email, line after line.\n"
    messages = []
    for index in range(count):
        message = EmailMessage()
        message["From"] = SENDER
        message["To"] = f"reader{index}@example.org"
        message["Subject"] = f"[talks] New comment {index}"
        padding = size
        for _attempt in range(5):
            message.set_content((line * (padding // len(line) + 1))[:padding])
            # CRLF line ends, as SMTP wants and Django's backend writes them.
            raw = message.as_bytes(policy=SMTP)
            if len(raw) == size or padding == 0:
                break
            padding = max(padding - (len(raw) - size), 0)
        messages.append((message["To"], raw))
    return messages


def measure(sink, count):
    """Flush `count` due emails through the site's code, then push as many with smtplib."""
    from django.db import close_old_connections

    from talks.notifications.outbox import flush_outbox

    queue_due_emails(count)
    sink.reset()
    start, cpu_start = time.perf_counter(), time.process_time()
    result = flush_outbox()
    flush_seconds = time.perf_counter() - start
    flush_cpu_seconds = time.process_time() - cpu_start
    received = sink.wait_for(count)
    close_old_connections()
    if result.sent != count or received != count:
        raise RuntimeError(
            f"The flush sent {result.sent} of {count} emails ({result.failed} failed, "
            f"{result.dropped} dropped); the server received {received}."
        )
    size = sink.size.value // received
    messages = prebuilt_messages(count, size)
    sink.reset()
    start = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", sink.port) as client:
        for recipient, message in messages:
            client.sendmail(SENDER, [recipient], message)
    smtplib_seconds = time.perf_counter() - start
    if sink.wait_for(count) != count:
        raise RuntimeError("The server did not receive every smtplib message.")
    django_seconds = send_with_django(sink, count, size)
    return MailResult(
        count, flush_seconds, smtplib_seconds, django_seconds, size, flush_cpu_seconds
    )


def send_with_django(sink, count, size):
    """Seconds to send `count` messages built with Django's EmailMultiAlternatives (a text and
    an HTML part, of about `size` bytes in all) over one connection of its SMTP backend."""
    from django.core.mail import EmailMultiAlternatives, get_connection

    text = ("All work and no play makes a long enough email, line after line.\n" * 64)[
        : max(size // 3, 1)
    ]
    html = f"<p>{text}</p>"
    sink.reset()
    start = time.perf_counter()
    connection = get_connection()
    connection.open()
    try:
        for index in range(count):
            message = EmailMultiAlternatives(
                f"[talks] New comment {index}", text, to=[f"reader{index}@example.org"]
            )
            message.attach_alternative(html, "text/html")
            connection.send_messages([message])
    finally:
        connection.close()
    seconds = time.perf_counter() - start
    if sink.wait_for(count) != count:
        raise RuntimeError("The server did not receive every message sent through Django.")
    return seconds
