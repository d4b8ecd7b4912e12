"""Writes with side effects: every comment is created, approved and deleted through here.

Each runs in a transaction, so the notification rows that the comment's signals write are
stored (or dropped) together with the comment itself.
"""

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from .models import Comment, EmailAddress, Talk, TrustedAddress
from .notifications import outbox


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
    proven_address=None,
    language=None,
):
    """Store a comment: a logged-in user's is published at once, a visitor's waits for review.

    `language` is the page's, in which the emails to a visitor commenter are then written.

    A user's comment subscribes their account to the talk (notify keeps its default, on);
    the unsubscribe link in the emails turns that off as it does a visitor's box. `parent`, a
    top-level comment of `talk`, makes it a reply. A visitor's is published at once too when
    the talk's author trusts its address and the browser proved it holds that address
    (`proven_address`, from the confirmed-address cookie).
    """
    language = language or settings.LANGUAGE_CODE
    if user is not None and user.is_authenticated:
        return Comment.objects.create(
            talk=talk, parent=parent, author=user, body=body, language=language, approved=True
        )
    proven = proven_address is not None and proven_address == author_email.lower()
    return Comment.objects.create(
        talk=talk,
        parent=parent,
        language=language,
        author_name=author_name,
        author_email=author_email,
        body=body,
        notify=notify,
        approved=proven and TrustedAddress.objects.trusts(talk.author_id, author_email),
    )


def _lock_state(comment):
    """Lock the comment's row for this transaction and read whether it is approved."""
    return (
        Comment.objects.select_for_update()
        .filter(pk=comment.pk)
        .values_list("approved", flat=True)
        .get()
    )


def approve_comment(comment):
    """Publish a waiting comment; two moderators' clicks publish it once (Comment.approve).

    Whom it tells is read first, outside the transaction that publishes it: on SQLite that
    transaction holds the database's one write lock, which every other write waits for, so it
    holds it for its writes alone. (On PostgreSQL the reads see no less than they would inside
    it, as each statement there sees what others committed before it.) The other ways of
    publishing below do the same.
    """
    told = outbox.Told.of_publication(comment)
    with transaction.atomic():
        _publish(comment, told, already=_("This comment is already approved."))
    return comment


def _publish(comment, told, *, already):
    """Comment.approve(told), or why it published nothing: the comment was deleted meanwhile
    (DoesNotExist) or is published already (CommentStateError with `already`)."""
    if comment.approve(told):
        return
    if not Comment.objects.filter(pk=comment.pk).exists():
        raise Comment.DoesNotExist
    raise CommentStateError(already)


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


def approve_and_trust(comment):
    """Publish a visitor's waiting comment, and let its address publish on the speaker's talks."""
    if comment.author_id:
        raise CommentStateError(_("Only a visitor's address can be trusted."))
    told = outbox.Told.of_publication(comment)
    with transaction.atomic():
        _publish(comment, told, already=_("This comment is already approved."))
        return trust_address(comment)


def trust_address(comment):
    """Record that the talk's author trusts the address of `comment` (once per address)."""
    trusted, _created = TrustedAddress.objects.get_or_create(
        speaker_id=comment.talk_author_id,
        address=comment.author_email.lower(),
        defaults={"from_comment": comment},
    )
    return trusted


def publish_own_comment(comment, address):
    """The commenter publishes their comment from the emailed link, which proves their address.

    The address stays proven whatever follows; the comment is published only while the talk's
    author still trusts the address, and otherwise waits for review.
    """
    EmailAddress.objects.confirm(address)
    comment.published_by_commenter = True
    told = outbox.Told.of_publication(comment)
    with transaction.atomic():
        if not TrustedAddress.objects.trusts(comment.talk_author_id, address):
            raise CommentStateError(_("The speaker reviews this comment before it is published."))
        _publish(comment, told, already=_("This comment was already published."))
    return comment
