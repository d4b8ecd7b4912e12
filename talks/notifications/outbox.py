"""The outbox: the rows that queue notification emails, and the flush that sends them.

A saved comment writes outbox rows in its own transaction; the caller asks the task queue for a
flush once that commits (talks.tasks.request_delivery). The flush sends every due row over one
SMTP connection and marks each sent only once the server has accepted it.
"""

import datetime
import logging
import smtplib
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import F, Min, Prefetch
from django.utils import timezone, translation

from ..models import Comment, EmailAddress, OutboxEmail, Recipient
from .emails import EmailWriter

logger = logging.getLogger(__name__)

# The longest wait between two tries of one email, in seconds.
MAX_BACKOFF = 3600

# Errors about one message: the connection is still good for the next one.
MESSAGE_ERRORS = (
    smtplib.SMTPRecipientsRefused,
    smtplib.SMTPSenderRefused,
    smtplib.SMTPDataError,
    smtplib.SMTPNotSupportedError,
)


# --- Queueing ------------------------------------------------------------------------------


@dataclass
class Deliveries:
    """Which flushes a save calls for once its transaction commits."""

    batched: bool = False  # news, sent once the flush interval has passed
    prompt: bool = False  # emails a visitor waits for, sent at once


def comment_saved(comment, *, created):
    """Queue the emails a new comment calls for; a later save is an edit, which calls for none.

    A comment is published either as it is made (a logged-in user's, or a trusted visitor's) or
    by Comment.approve() (comment_published below).
    """
    deliveries = Deliveries()
    if created:
        deliveries.batched = queue_emails(comment)
        if not comment.approved:
            deliveries.prompt = queue_address_email(comment)
    return deliveries


@dataclass
class Told:
    """Whom a waiting comment's publication tells: the news to its subscribers, and the word
    that it is published to its visitor author (if their address is proven)."""

    subscribers: list
    author: list

    @classmethod
    def of_publication(cls, comment):
        """Read who they are; the comment may still be waiting."""
        author = comment.author_to_tell_of_publication()
        return cls(comment.subscribers_to_tell(), [author] if author else [])


def comment_published(comment, told=None):
    """Queue the emails of a waiting comment just published: news, and a word to its author.

    `told` is Told.of_publication(comment) as read before the publication, else it is read now.
    """
    if told is None:
        told = Told.of_publication(comment)
    news = queue(comment, OutboxEmail.Kind.NEW_COMMENTS, told.subscribers)
    notice = queue(comment, OutboxEmail.Kind.COMMENT_APPROVED, told.author)
    return Deliveries(batched=news or notice)


def queue_emails(comment):
    """Write the moderation or news rows for `comment` in the current transaction.

    Returns True when it made a row, whose delivery is then to be asked for after commit; a row
    that already existed has had its delivery asked for by the comment that made it.
    """
    kind = OutboxEmail.Kind.NEW_COMMENTS if comment.approved else OutboxEmail.Kind.MODERATION
    return queue(comment, kind, comment.recipients())


def queue_address_email(comment):
    """Ask a visitor to prove their address, by email: to publish a comment, or to hear news.

    A speaker who trusts the address lets its owner publish from the inbox (which proves it
    too); otherwise an address that asked for news is asked to confirm, at most once a day.
    """
    if comment.author_id:
        return False
    visitor = [Recipient(comment.author_email, comment.author_name, comment.language)]
    if comment.is_from_trusted_address():
        return queue(comment, OutboxEmail.Kind.PUBLISH_COMMENT, visitor)
    if not comment.notify or EmailAddress.objects.is_confirmed(comment.author_email):
        return False
    if not EmailAddress.objects.claim_confirmation_email(comment.author_email):
        return False
    return queue(comment, OutboxEmail.Kind.CONFIRM_ADDRESS, visitor)


def queue(comment, kind, recipients):
    """Join `comment` to the pending `kind` email of each recipient about its talk.

    Returns True when it made a row (rather than joining one already pending).
    """
    if not recipients:
        return False
    by_address = {}
    for recipient in recipients:
        by_address.setdefault(recipient.address.lower(), recipient)
    now = timezone.now()
    with transaction.atomic():
        rows = _pending_rows(comment.talk_id, by_address, kind, now)
        OutboxEmail.comments.through.objects.bulk_create(
            [
                OutboxEmail.comments.through(outboxemail_id=row.pk, comment_id=comment.pk)
                for row in rows
            ],
            ignore_conflicts=True,
        )
    return any(row.created_at == now for row in rows)


def queue_password_reset(user):
    """Write the outbox row of a password reset link for `user`; deliver it after commit.

    The email goes out from the worker like every other, so asking for a reset costs the same
    time whether the address has an account or not.
    """
    return OutboxEmail.objects.create(
        user=user,
        address=user.email,
        name=user.username,
        kind=OutboxEmail.Kind.PASSWORD_RESET,
        # The user's choice, else the language of the page that asked for the link.
        language=user.language or translation.get_language() or settings.LANGUAGE_CODE,
    )


def _pending_rows(talk_id, recipients, kind, now):
    """The pending row of each address for the talk, made where missing, locked against a flush.

    INSERT … ON CONFLICT DO NOTHING keeps concurrent writers from failing on the pending
    constraint. The lock waits for a flush that is sending one of these rows; a row it marked
    sent meanwhile no longer matches, so a new one is made for it on the next pass.
    """
    rows = {}
    for _attempt in range(3):
        missing = sorted(recipients.keys() - rows.keys())
        if not missing:
            return list(rows.values())
        OutboxEmail.objects.bulk_create(
            [
                OutboxEmail(
                    talk_id=talk_id,
                    address=address,
                    name=recipients[address].name,
                    language=recipients[address].language,
                    kind=kind,
                    created_at=now,
                )
                for address in missing
            ],
            ignore_conflicts=True,
        )
        found = (
            OutboxEmail.objects.pending()
            .filter(talk_id=talk_id, kind=kind, address__in=missing)
            .select_for_update()
            .order_by("address")
        )
        rows.update((row.address, row) for row in found)
    raise RuntimeError(f"Could not queue notifications about talk {talk_id}: the outbox is busy.")


# --- Delivery ------------------------------------------------------------------------------

# Rows are locked, read and marked a batch at a time: a few queries per batch, not per email.
# A worker that dies mid-batch leaves that batch pending, so its emails may go out twice but
# are never lost.
BATCH_SIZE = 50
# An email's comments, as it tells them: oldest first, with their authors' names.
COMMENTS_IN_ORDER = Comment.objects.select_related("author", "parent__author").order_by(
    "created_at", "id"
)


@dataclass
class FlushResult:
    sent: int = 0
    failed: int = 0
    dropped: int = 0


def flush_outbox(now=None, *, backoff=True):
    """Send every due email over one SMTP connection; a failed one stays pending for a retry.

    `backoff=False` also tries the failed emails still waiting out their backoff.
    """
    result = FlushResult()
    due_ids = list(OutboxEmail.objects.due(now, backoff=backoff).values_list("id", flat=True))
    if not due_ids:
        return result
    connection = get_connection()
    try:
        connection.open()
    except OSError as error:
        logger.warning("outbox: cannot reach the mail server: %s", error)
        tried = OutboxEmail.objects.filter(pk__in=due_ids).values_list("pk", "attempts")
        _record_failures({pk: (attempts, _describe(error)) for pk, attempts in tried})
        result.failed = len(due_ids)
        return result
    try:
        writer = EmailWriter()
        for start in range(0, len(due_ids), BATCH_SIZE):
            batch_ids = due_ids[start : start + BATCH_SIZE]
            if not _send_batch(batch_ids, now, backoff, connection, writer, result):
                # The connection is gone: the rest wait for the next flush, untouched.
                result.failed += len(due_ids) - start - len(batch_ids)
                break
    finally:
        connection.close()
    return result


def _send_batch(ids, now, backoff, connection, writer, result):
    """Send the rows of `ids` that are still due, and mark each as sent, failed or dropped.

    Returns False when the connection can take no more.
    """
    connected = True
    sent, dropped, failed = [], [], {}
    with transaction.atomic():
        # skip_locked: another worker flushing at the same time sends these rows, not both.
        # (SQLite has no row locks; its writers take turns on the whole database instead.)
        batch = list(
            OutboxEmail.objects.due(now, backoff=backoff)
            .filter(pk__in=ids)
            .select_related("talk__author", "user")
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
                failed[outbox.pk] = (outbox.attempts, _describe(error))
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
    if sent:
        OutboxEmail.objects.filter(pk__in=sent).update(
            attempts=F("attempts") + 1, sent_at=timezone.now()
        )
    if dropped:
        OutboxEmail.objects.filter(pk__in=dropped).delete()
    _record_failures(failed)


def retry_backoff(attempts):
    """Seconds to wait after the `attempts`-th failure: the retry delay, doubled each time."""
    return min(settings.OUTBOX_RETRY_DELAY * 2 ** (attempts - 1), MAX_BACKOFF)


def _record_failures(failed):
    """Count a failed try for each row of `failed` ({pk: (attempts before, error)}).

    The row waits out its backoff before the next try; after OUTBOX_MAX_ATTEMPTS tries it is
    marked failed, so no flush takes it again: one bad address costs a bounded number of tries
    (it once made every flush fail on it, forever).
    """
    now = timezone.now()
    for pk, (attempts, error) in failed.items():
        tried = attempts + 1
        row = OutboxEmail.objects.filter(pk=pk)
        if tried >= settings.OUTBOX_MAX_ATTEMPTS:
            logger.error("outbox: email %d given up after %d tries: %s", pk, tried, error)
            row.update(attempts=tried, last_error=error, failed_at=now, next_attempt_at=None)
        else:
            next_attempt = now + datetime.timedelta(seconds=retry_backoff(tried))
            row.update(attempts=tried, last_error=error, next_attempt_at=next_attempt)


def next_attempt_at():
    """When the earliest pending email that failed may be tried again (None: none waits)."""
    return OutboxEmail.objects.pending().aggregate(earliest=Min("next_attempt_at"))["earliest"]


def _describe(error):
    return f"{type(error).__name__}: {error}"[:1000]
