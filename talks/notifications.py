"""Notification emails: who is told (from the models), the outbox, delivery and unsubscribing.

A saved comment writes outbox rows in its own transaction and, once that commits, asks the task
queue to flush them after MAIL_FLUSH_INTERVAL. The flush sends every due row over one SMTP
connection and marks each sent only once the server has accepted it.
"""

import datetime
import html
import logging
import smtplib
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F, Prefetch
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator

from .links import absolute_url
from .models import Comment, OutboxEmail
from .unsubscribe import unsubscribe_url

logger = logging.getLogger(__name__)

EXCERPT_LENGTH = 200
# Seconds, at least, before a failed email is tried again.
RETRY_DELAY = 60

# Errors about one message: the connection is still good for the next one.
MESSAGE_ERRORS = (
    smtplib.SMTPRecipientsRefused,
    smtplib.SMTPSenderRefused,
    smtplib.SMTPDataError,
    smtplib.SMTPNotSupportedError,
)


# --- Queueing ------------------------------------------------------------------------------


def comment_saved(comment, *, created):
    """Queue the emails a saved comment calls for: a new pending one, or one just published."""
    if comment.just_published or (created and not comment.approved):
        queue_emails(comment)


def queue_emails(comment):
    """Write the outbox rows for `comment` in the current transaction; deliver after commit."""
    recipients = comment.recipients()
    if not recipients:
        return
    kind = OutboxEmail.Kind.NEW_COMMENTS if comment.approved else OutboxEmail.Kind.MODERATION
    names = {}
    for recipient in recipients:
        names.setdefault(recipient.address.lower(), recipient.name)
    now = timezone.now()
    with transaction.atomic():
        rows = _pending_rows(comment.talk_id, names, kind, now)
        OutboxEmail.comments.through.objects.bulk_create(
            [
                OutboxEmail.comments.through(outboxemail_id=row.pk, comment_id=comment.pk)
                for row in rows
            ],
            ignore_conflicts=True,
        )
    # A row that already existed has its delivery asked for by the comment that made it.
    if any(row.created_at == now for row in rows):
        transaction.on_commit(request_delivery, robust=True)


def _pending_rows(talk_id, names, kind, now):
    """The pending row of each address for the talk, made where missing, locked against a flush.

    INSERT … ON CONFLICT DO NOTHING keeps concurrent writers from failing on the pending
    constraint. The lock waits for a flush that is sending one of these rows; a row it marked
    sent meanwhile no longer matches, so a new one is made for it on the next pass.
    """
    rows = {}
    for _attempt in range(3):
        missing = sorted(names.keys() - rows.keys())
        if not missing:
            return list(rows.values())
        OutboxEmail.objects.bulk_create(
            [
                OutboxEmail(
                    talk_id=talk_id, address=address, name=names[address], kind=kind, created_at=now
                )
                for address in missing
            ],
            ignore_conflicts=True,
        )
        found = (
            OutboxEmail.objects.pending()
            .filter(talk_id=talk_id, address__in=missing)
            .select_for_update()
            .order_by("address")
        )
        rows.update((row.address, row) for row in found)
    raise RuntimeError(f"Could not queue notifications about talk {talk_id}: the outbox is busy.")


def request_delivery(*, retry=False):
    """Ask the task queue to flush the outbox once the rows just written are due.

    A retry waits the flush interval too, and at least RETRY_DELAY, so that a mail server that
    is down is not hammered. A backend without run_after cannot wait: it flushes now for new
    rows (those not yet due wait for a later flush) and leaves retries to the next flush.
    """
    from .tasks import flush_notifications  # the task module imports this one

    task = flush_notifications
    supports_defer = task.get_backend().supports_defer
    if retry and not supports_defer:
        return
    delay = (
        max(settings.MAIL_FLUSH_INTERVAL, RETRY_DELAY) if retry else settings.MAIL_FLUSH_INTERVAL
    )
    if delay > 0 and supports_defer:
        task = task.using(run_after=whole_second_after(timezone.now(), delay))
    task.enqueue()


def whole_second_after(moment, seconds):
    """`seconds` after `moment`, rounded up to a whole second.

    RQ's scheduler keeps run_after in whole seconds, dropping the fraction: unrounded, the
    flush could start before the rows it was asked for are due, and leave them to a later one.
    """
    later = moment + datetime.timedelta(seconds=seconds)
    return later.replace(microsecond=0) + datetime.timedelta(seconds=1 if later.microsecond else 0)


# --- Emails --------------------------------------------------------------------------------


def render_email(name, context, *, to, headers=None):
    """The email made of templates/emails/<name>_subject.txt, <name>.txt and <name>.html."""
    context = {"site_url": settings.SITE_URL, **context}
    subject = render_to_string(f"emails/{name}_subject.txt", context)
    subject = settings.EMAIL_SUBJECT_PREFIX + " ".join(subject.split())
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"emails/{name}.txt", context),
        to=[to],
        headers={"Auto-Submitted": "auto-generated", **(headers or {})},
    )
    message.attach_alternative(render_to_string(f"emails/{name}.html", context), "text/html")
    return message


def excerpt(comment, length=EXCERPT_LENGTH):
    """The start of a comment as plain text, from its sanitised HTML."""
    text = " ".join(html.unescape(strip_tags(comment.body_html)).split())
    return Truncator(text).chars(length)


class EmailWriter:
    """Writes the emails of one flush.

    A flush tells many subscribers of the same few comments: each comment's excerpt and link,
    and each talk's link, is worked out once per flush rather than once per email.
    """

    def __init__(self):
        self._comments = {}
        self._talk_urls = {}

    def email(self, outbox):
        """The email for an outbox row, or None when none of its comments still calls for it.

        Reads the row's comments through `outbox.comments.all()`, prefetched for a batch in
        the order the email tells them (see COMMENTS_IN_ORDER): no query here.
        """
        if outbox.kind == OutboxEmail.Kind.MODERATION:
            make_email, approved = self.moderation_email, False
        else:
            make_email, approved = self.new_comments_email, True
        # A comment approved or deleted before the flush needs no review; a deleted one is no
        # news.
        comments = [comment for comment in outbox.comments.all() if comment.approved == approved]
        return make_email(outbox, comments) if comments else None

    def moderation_email(self, outbox, comments):
        """Tell a talk's author that comments wait for their review."""
        return render_email("moderation", self._context(outbox, comments), to=outbox.address)

    def new_comments_email(self, outbox, comments):
        """Tell a commenter of new comments on a talk, with a one-click way to stop."""
        unsubscribe = unsubscribe_url(outbox.address, outbox.talk_id)
        headers = {
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
        return render_email(
            "new_comments",
            {**self._context(outbox, comments), "unsubscribe_url": unsubscribe},
            to=outbox.address,
            headers=headers,
        )

    def _context(self, outbox, comments):
        talk = outbox.talk
        if talk.pk not in self._talk_urls:
            self._talk_urls[talk.pk] = absolute_url(talk.get_absolute_url())
        talk_url = self._talk_urls[talk.pk]
        return {
            "name": outbox.name,
            "talk": talk,
            "talk_url": talk_url,
            "comments": [self._comment(comment) for comment in comments],
        }

    def _comment(self, comment):
        if comment.pk not in self._comments:
            self._comments[comment.pk] = {
                "author": comment.display_name,
                "excerpt": excerpt(comment),
                "url": absolute_url(comment.get_absolute_url()),
                "created_at": comment.created_at,
            }
        return self._comments[comment.pk]


# --- Delivery ------------------------------------------------------------------------------

# Rows are locked, read and marked a batch at a time: a few queries per batch, not per email.
# A worker that dies mid-batch leaves that batch pending, so its emails may go out twice but
# are never lost.
BATCH_SIZE = 50
# An email's comments, as it tells them: oldest first, with their authors' names.
COMMENTS_IN_ORDER = Comment.objects.select_related("author").order_by("created_at", "id")


@dataclass
class FlushResult:
    sent: int = 0
    failed: int = 0
    dropped: int = 0


def flush_outbox(now=None):
    """Send every due email over one SMTP connection; a failed one stays pending for a retry."""
    result = FlushResult()
    due_ids = list(OutboxEmail.objects.due(now).values_list("id", flat=True))
    if not due_ids:
        return result
    connection = get_connection()
    try:
        connection.open()
    except OSError as error:
        logger.warning("outbox: cannot reach the mail server: %s", error)
        OutboxEmail.objects.filter(pk__in=due_ids).update(
            attempts=F("attempts") + 1, last_error=_describe(error)
        )
        result.failed = len(due_ids)
        return result
    try:
        writer = EmailWriter()
        for start in range(0, len(due_ids), BATCH_SIZE):
            batch_ids = due_ids[start : start + BATCH_SIZE]
            if not _send_batch(batch_ids, now, connection, writer, result):
                # The connection is gone: the rest wait for the next flush, untouched.
                result.failed += len(due_ids) - start - len(batch_ids)
                break
    finally:
        connection.close()
    return result


def _send_batch(ids, now, connection, writer, result):
    """Send the rows of `ids` that are still due, and mark each as sent, failed or dropped.

    Returns False when the connection can take no more.
    """
    connected = True
    sent, dropped, failed = [], [], {}
    with transaction.atomic():
        # skip_locked: another worker flushing at the same time sends these rows, not both.
        # (SQLite has no row locks; its writers take turns on the whole database instead.)
        batch = list(
            OutboxEmail.objects.due(now)
            .filter(pk__in=ids)
            .select_related("talk")
            .prefetch_related(Prefetch("comments", queryset=COMMENTS_IN_ORDER))
            .select_for_update(skip_locked=True, of=("self",))
        )
        for position, outbox in enumerate(batch):
            message = writer.email(outbox)
            if message is None:
                dropped.append(outbox.pk)
                continue
            try:
                connection.send_messages([message])
            except Exception as error:  # e.g. a refused address, or one the backend cannot write
                failed[outbox.pk] = _describe(error)
                logger.warning(
                    "outbox: email %d to %s not sent: %s", outbox.pk, outbox.address, error
                )
                # smtplib's errors are OSErrors; all but those about one message end the session.
                if isinstance(error, OSError) and not isinstance(error, MESSAGE_ERRORS):
                    connected = False
                    result.failed += len(batch) - position - 1  # untouched, for the next flush
                    break
            else:
                sent.append(outbox.pk)
        _mark(sent, dropped, failed)
    result.sent += len(sent)
    result.dropped += len(dropped)
    result.failed += len(failed)
    return connected


def _mark(sent, dropped, failed):
    """Record a batch's outcome: sent rows leave the queue, failed ones wait for a retry."""
    tried = F("attempts") + 1
    if sent:
        OutboxEmail.objects.filter(pk__in=sent).update(attempts=tried, sent_at=timezone.now())
    if dropped:
        OutboxEmail.objects.filter(pk__in=dropped).delete()
    for pk, error in failed.items():
        OutboxEmail.objects.filter(pk=pk).update(attempts=tried, last_error=error)


def _describe(error):
    return f"{type(error).__name__}: {error}"[:1000]


def deliver():
    """The flush the task queue runs; when some emails failed, another is asked for later."""
    result = flush_outbox()
    if result.sent or result.failed or result.dropped:
        logger.info(
            "outbox: sent=%d failed=%d dropped=%d", result.sent, result.failed, result.dropped
        )
    if result.failed:
        request_delivery(retry=True)
    return result


# --- Unsubscribing -------------------------------------------------------------------------


def unsubscribe(address, talk_id):
    """Stop emails to `address` about one talk: notify off on its comments there, queue dropped.

    Returns how many comments had notify turned off.
    """
    with transaction.atomic():
        changed = (
            Comment.objects.filter(talk_id=talk_id, notify=True)
            .by_address(address)
            .update(notify=False)
        )
        OutboxEmail.objects.pending().filter(talk_id=talk_id, address=address.lower()).delete()
    return changed
