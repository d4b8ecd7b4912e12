"""Writes with side effects: every comment is created, approved and deleted through here.

Each runs in a transaction, so the notification rows that the comment's post_save writes are
stored (or dropped) together with the comment itself.
"""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from .models import Comment, EmailAddress, TrustedAddress


class CommentStateError(Exception):
    """The comment is not in a state that allows the requested change."""


@transaction.atomic
def create_comment(
    *, talk, body, user=None, author_name="", author_email="", notify=True, proven_address=None
):
    """Store a comment: a logged-in user's is published at once, a visitor's waits for review.

    A user's comment subscribes their account to the talk (notify keeps its default, on);
    the unsubscribe link in the emails turns that off as it does a visitor's box. A visitor's
    is published at once too when the talk's author trusts its address and the browser proved
    it holds that address (`proven_address`, from the confirmed-address cookie).
    """
    if user is not None and user.is_authenticated:
        return Comment.objects.create(talk=talk, author=user, body=body, approved=True)
    proven = proven_address is not None and proven_address == author_email.lower()
    return Comment.objects.create(
        talk=talk,
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


@transaction.atomic
def approve_comment(comment):
    """Publish a waiting comment; the row lock makes two moderators' clicks publish it once."""
    if _lock_state(comment):
        raise CommentStateError("This comment is already approved.")
    comment.approve()
    return comment


@transaction.atomic
def delete_comment(comment):
    """Delete a comment still waiting for review; published ones are removed in the admin."""
    if _lock_state(comment):
        raise CommentStateError("An approved comment cannot be deleted here.")
    comment.delete()


@transaction.atomic
def approve_and_trust(comment):
    """Publish a visitor's waiting comment, and let its address publish on the speaker's talks."""
    if comment.author_id:
        raise CommentStateError(_("Only a visitor's address can be trusted."))
    approve_comment(comment)
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
    with transaction.atomic():
        if not TrustedAddress.objects.trusts(comment.talk_author_id, address):
            raise CommentStateError(_("The speaker reviews this comment before it is published."))
        if _lock_state(comment):
            raise CommentStateError(_("This comment was already published."))
        comment.published_by_commenter = True
        comment.approve()
    return comment
