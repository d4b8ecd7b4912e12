"""Writes with side effects: every comment is created, approved and deleted through here.

Each runs in a transaction, so the notification rows that the comment's post_save writes are
stored (or dropped) together with the comment itself.
"""

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from .models import Comment, Talk


class CommentStateError(Exception):
    """The comment is not in a state that allows the requested change."""


@transaction.atomic
def create_comment(
    *,
    talk,
    body,
    user=None,
    author_name="",
    author_email="",
    notify=True,
    parent=None,
    language=None,
):
    """Store a comment: a logged-in user's is published at once, a visitor's waits for review.

    `language` is the page's, in which the emails to a visitor commenter are then written.

    A user's comment subscribes their account to the talk (notify keeps its default, on);
    the unsubscribe link in the emails turns that off as it does a visitor's box. `parent`, a
    top-level comment of `talk`, makes it a reply.
    """
    language = language or settings.LANGUAGE_CODE
    if user is not None and user.is_authenticated:
        return Comment.objects.create(
            talk=talk, parent=parent, author=user, body=body, language=language, approved=True
        )
    return Comment.objects.create(
        talk=talk,
        parent=parent,
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


def _check_top_level_and_published(comment, *, reply_message, pending_message):
    if comment.parent_id is not None:
        raise CommentStateError(reply_message)
    if not comment.approved:
        raise CommentStateError(pending_message)


@transaction.atomic
def pin_comment(comment):
    """Pin `comment` on its talk, unpinning the one pinned before; returns that one's id or None.

    The talk's row is locked first, so two pins of the same talk take turns and the one-pinned
    constraint never fails under them.
    """
    Talk.objects.select_for_update().filter(pk=comment.talk_id).values_list("pk").get()
    current = Comment.objects.filter(pk=comment.pk).values_list("parent_id", "approved").first()
    if current is None:
        raise Comment.DoesNotExist
    comment.parent_id, comment.approved = current
    _check_top_level_and_published(
        comment,
        reply_message=_("A reply cannot be pinned: pin the comment it answers."),
        pending_message=_("A comment waiting for approval cannot be pinned: approve it first."),
    )
    previous = (
        Comment.objects.filter(talk_id=comment.talk_id, pinned=True)
        .exclude(pk=comment.pk)
        .values_list("pk", flat=True)
        .first()
    )
    if previous is not None:
        Comment.objects.filter(pk=previous).update(pinned=False)
    Comment.objects.filter(pk=comment.pk).update(pinned=True)
    comment.pinned = True
    return previous


@transaction.atomic
def unpin_comment(comment):
    """Unpin `comment`; it goes back to its place among the others."""
    if not Comment.objects.filter(pk=comment.pk).exists():
        raise Comment.DoesNotExist
    Comment.objects.filter(pk=comment.pk).update(pinned=False)
    comment.pinned = False


@transaction.atomic
def mark_answered(comment, answered=True):
    """Mark a top-level comment answered (or not): the speaker's "Unanswered questions" list."""
    current = Comment.objects.filter(pk=comment.pk).values_list("parent_id", "approved").first()
    if current is None:
        raise Comment.DoesNotExist
    comment.parent_id, comment.approved = current
    if answered:
        _check_top_level_and_published(
            comment,
            reply_message=_("Only a top-level comment can be marked answered, not a reply."),
            pending_message=_("Approve this comment before marking it answered."),
        )
    Comment.objects.filter(pk=comment.pk).update(answered=answered)
    comment.answered = answered
