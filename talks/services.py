"""Writes with side effects: every comment is created, approved and deleted through here.

Each runs in a transaction, so the notification rows that the comment's post_save writes are
stored (or dropped) together with the comment itself.
"""

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from .models import Comment


class CommentStateError(Exception):
    """The comment is not in a state that allows the requested change."""


@transaction.atomic
def create_comment(
    *, talk, body, user=None, author_name="", author_email="", notify=True, language=None
):
    """Store a comment: a logged-in user's is published at once, a visitor's waits for review.

    `language` is the page's, in which the emails to a visitor commenter are then written.

    A user's comment subscribes their account to the talk (notify keeps its default, on);
    the unsubscribe link in the emails turns that off as it does a visitor's box.
    """
    language = language or settings.LANGUAGE_CODE
    if user is not None and user.is_authenticated:
        return Comment.objects.create(
            talk=talk, author=user, body=body, language=language, approved=True
        )
    return Comment.objects.create(
        talk=talk,
        language=language,
        author_name=author_name,
        author_email=author_email,
        body=body,
        notify=notify,
        approved=False,
    )


def _lock_state(comment):
    """Lock the comment's row for this transaction and read whether it is approved."""
    return (
        Comment.objects.select_for_update()
        .filter(pk=comment.pk)
        .values_list("approved", flat=True)
        .get()
    )


@transaction.atomic
def approve_comment(comment):
    """Publish a waiting comment; the row lock makes two moderators' clicks publish it once."""
    if _lock_state(comment):
        raise CommentStateError(_("This comment is already approved."))
    comment.approve()
    return comment


@transaction.atomic
def delete_comment(comment):
    """Delete a comment still waiting for review; published ones are removed in the admin."""
    if _lock_state(comment):
        raise CommentStateError(_("An approved comment cannot be deleted here."))
    comment.delete()
