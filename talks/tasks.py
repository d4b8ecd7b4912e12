"""Background tasks, run by the task backend in settings.TASKS (a worker in production).

This module owns the task queue: it is the only one that enqueues, and it calls down into the
outbox; the outbox never imports it. Whoever writes outbox rows asks for their delivery here,
through request_delivery (the post_save receiver in talks.signals does, once the save commits).
"""

import datetime
import logging

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from .notifications.outbox import flush_outbox

logger = logging.getLogger(__name__)

# Seconds, at least, before a failed email is tried again.
RETRY_DELAY = 60


@task()
def flush_notifications():
    """Send the notification emails that are due."""
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


def request_delivery(*, retry=False):
    """Ask the task queue to flush the outbox once the rows just written are due.

    A retry waits the flush interval too, and at least RETRY_DELAY, so that a mail server that
    is down is not hammered. A backend without run_after cannot wait: it flushes now for new
    rows (those not yet due wait for a later flush) and leaves retries to the next flush.
    """
    flush = flush_notifications
    supports_defer = flush.get_backend().supports_defer
    if retry and not supports_defer:
        return
    delay = (
        max(settings.MAIL_FLUSH_INTERVAL, RETRY_DELAY) if retry else settings.MAIL_FLUSH_INTERVAL
    )
    if delay > 0 and supports_defer:
        flush = flush.using(run_after=whole_second_after(timezone.now(), delay))
    flush.enqueue()


def request_prompt_delivery():
    """Ask the task queue to flush the outbox now: a visitor waits for the email just queued."""
    flush_notifications.enqueue()


def whole_second_after(moment, seconds):
    """`seconds` after `moment`, rounded up to a whole second.

    RQ's scheduler keeps run_after in whole seconds, dropping the fraction: unrounded, the
    flush could start before the rows it was asked for are due, and leave them to a later one.
    """
    later = moment + datetime.timedelta(seconds=seconds)
    return later.replace(microsecond=0) + datetime.timedelta(seconds=1 if later.microsecond else 0)
