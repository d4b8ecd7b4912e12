"""Unsubscribe tokens: an HMAC over (address, talk) that never expires.

Signed with SECRET_KEY (and SECRET_KEY_FALLBACKS), so rotating the key revokes every link.
"""

from django.core import signing
from django.urls import reverse

from .links import absolute_url

SALT = "talks.unsubscribe"


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
