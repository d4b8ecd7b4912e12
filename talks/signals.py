"""Signal receivers: each hands the event to the module that owns the rule.

The receivers sit above both the outbox and the task queue, so they are where the two meet:
the outbox writes the rows, and the task module is asked, after commit, to deliver them.
"""

from functools import partial

from django.db import connections, transaction

from . import comments_version, tasks
from .notifications import outbox
from .search import index as search_index


def comment_saved(sender, instance, created, raw=False, **kwargs):
    """A comment was saved: the outbox decides whether it calls for emails."""
    if raw:  # loaddata writes rows as they were; nothing happened to tell anyone about
        return
    _deliver_after_commit(outbox.comment_saved(instance, created=created))


def comment_published(sender, comment, told=None, **kwargs):
    """A waiting comment was published: the outbox queues the emails that tell of it."""
    _deliver_after_commit(outbox.comment_published(comment, told))


def _deliver_after_commit(deliveries):
    if deliveries.batched:
        transaction.on_commit(tasks.request_delivery, robust=True)
    if deliveries.prompt:
        transaction.on_commit(partial(tasks.request_delivery, at_once=True), robust=True)


def migrating(sender, using, plan=None, **kwargs):
    """Migrations are about to run: the search index and the comments' version step out of
    their way."""
    if plan:
        search_index.suspend_for_migrations(connections[using])
        comments_version.suspend_for_migrations(connections[using])


def migrated(sender, using, plan=None, **kwargs):
    """Migrations ran: the search index is whole again, and the comments' version moves again."""
    search_index.install_after_migrations(connections[using], migrated=bool(plan))
    comments_version.install_after_migrations(connections[using])
