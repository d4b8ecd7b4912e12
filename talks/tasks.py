"""Background tasks, run by the task backend in settings.TASKS (a worker in production).

This module owns the task queue: it is the only one that enqueues, and it calls down into the
outbox; the outbox never imports it. Whoever writes outbox rows asks for their delivery here,
through request_delivery (the comment's receivers in talks.signals do, once the save commits).
"""

import datetime
import logging

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django_tasks import task

from .notifications.outbox import flush_outbox, next_attempt_at

logger = logging.getLogger(__name__)

# Seconds the retry mark outlives the wait of the retry it stands for.
RETRY_WAITING_GRACE = 60


# Set in the shared cache while a retry flush waits in the queue: at most one waits at a time,
# however many flushes failed (each new notification's flush once added a retry chain).
RETRY_WAITING = "outbox:retry-waiting"


@task()
def flush_notifications(retry=False):
    """Send the notification emails that are due."""
    if retry:
        # This is the retry that waited: the next failure may ask for another.
        cache.delete(RETRY_WAITING)
    result = deliver()
    return {"sent": result.sent, "failed": result.failed, "dropped": result.dropped}


def deliver():
    """The flush the task runs; when some emails failed, another is asked for later."""
    result = flush_outbox()
    if result.sent or result.failed or result.dropped:
        logger.info(
            "outbox: sent=%d failed=%d dropped=%d", result.sent, result.failed, result.dropped
        )
    if result.failed:
        request_delivery(retry=True)
    return result


def request_delivery(*, retry=False, at_once=False):
    """Ask the task queue to flush the outbox once the rows just written are due.

    `at_once` flushes now: someone waits for the email just queued (OutboxEmail.PROMPT_KINDS).
    A retry runs when the earliest failed email's backoff is over (outbox.retry_backoff), and
    only if no other retry waits already.
    A backend without run_after cannot wait: it flushes now for new rows (those not yet due
    wait for a later flush) and leaves retries to the next.
    """
    flush = flush_notifications
    supports_defer = flush.get_backend().supports_defer
    if retry:
        if not supports_defer:
            return
        now = timezone.now()
        run_after = whole_second_after(now, settings.OUTBOX_RETRY_DELAY)
        run_after = max(run_after, whole_second_after(next_attempt_at() or now, 0))
        wait = (run_after - now).total_seconds()
        # The mark outlives the wait a little, so a worker that died holding it blocks no retry
        # for long.
        if not cache.add(RETRY_WAITING, True, timeout=wait + RETRY_WAITING_GRACE):
            return
        flush.using(run_after=run_after).enqueue(retry=True)
        return
    delay = 0 if at_once else settings.MAIL_FLUSH_INTERVAL
    if delay > 0 and supports_defer:
        flush = flush.using(run_after=whole_second_after(timezone.now(), delay))
    flush.enqueue()


def whole_second_after(moment, seconds):
    """`seconds` after `moment`, rounded up to a whole second.

    RQ's scheduler keeps run_after in whole seconds, dropping the fraction: unrounded, the
    flush could start before the rows it was asked for are due, and leave them to a later one.
    """
    later = moment + datetime.timedelta(seconds=seconds)
    return later.replace(microsecond=0) + datetime.timedelta(seconds=1 if later.microsecond else 0)
