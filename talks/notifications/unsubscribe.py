"""Unsubscribing: the signed link each email carries, and what following it does.

A token is an HMAC over (address, talk) that never expires. It is signed with SECRET_KEY (and
SECRET_KEY_FALLBACKS), so rotating the key revokes every link.
"""

from django.core import signing
from django.db import transaction
from django.urls import reverse

from ..links import absolute_url
from ..models import Comment, OutboxEmail

# The salt is part of every token already sent: changing it breaks the links in old emails.
SALT = "talks.unsubscribe"
# What unsubscribing from a talk stops; a confirmation or publishing link still goes out.
UNSUBSCRIBED_KINDS = (OutboxEmail.Kind.NEW_COMMENTS, OutboxEmail.Kind.COMMENT_APPROVED)


def make_token(address, talk_id):
    """The token for `address` on the talk `talk_id`."""
    return signing.Signer(salt=SALT).sign_object([address.lower(), talk_id])


def read_token(token):
    """The (address, talk id) a token was made for, or None when it is garbage or tampered with."""
    try:
        address, talk_id = signing.Signer(salt=SALT).unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(address, str) or not isinstance(talk_id, int) or isinstance(talk_id, bool):
        return None
    return address, talk_id


def unsubscribe_url(address, talk_id):
    """The absolute link an email carries to stop emails to `address` about one talk."""
    return absolute_url(reverse("talks:unsubscribe", args=[make_token(address, talk_id)]))


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
        OutboxEmail.objects.pending().filter(
            talk_id=talk_id, address=address.lower(), kind__in=UNSUBSCRIBED_KINDS
        ).delete()
    return changed
