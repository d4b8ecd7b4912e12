"""Proving an address: the signed links that prove it, and the cookie that remembers it.

A confirmation token names an address; a publishing token names a comment and its address.
Both are signed with SECRET_KEY and never expire. The cookie, signed too, names the one address
this browser proved, so that a trusted commenter's next comment needs no email round trip.
"""

from django.conf import settings
from django.core import signing
from django.urls import reverse

from .links import absolute_url

# Salts are part of every token already sent: changing one breaks the links in old emails.
CONFIRM_SALT = "talks.confirm_address"
PUBLISH_SALT = "talks.publish_comment"
COOKIE_SALT = "talks.address_cookie"
COOKIE_NAME = "talks_address"
COOKIE_MAX_AGE = 365 * 24 * 60 * 60


def confirmation_token(address):
    return signing.Signer(salt=CONFIRM_SALT).sign(address.lower())


def read_confirmation_token(token):
    """The address a confirmation token names, or None when it is garbage or tampered with."""
    try:
        return signing.Signer(salt=CONFIRM_SALT).unsign(token)
    except signing.BadSignature:
        return None


def confirmation_url(address):
    return absolute_url(reverse("talks:confirm_address", args=[confirmation_token(address)]))


def publish_token(comment):
    return signing.Signer(salt=PUBLISH_SALT).sign_object([comment.pk, comment.author_email.lower()])


def read_publish_token(token):
    """The (comment id, address) a publishing token names, or None when it is not ours."""
    try:
        comment_id, address = signing.Signer(salt=PUBLISH_SALT).unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(address, str) or type(comment_id) is not int:
        return None
    return comment_id, address


def publish_url(comment):
    return absolute_url(reverse("talks:publish_comment", args=[publish_token(comment)]))


def proven_address(request):
    """The address this browser proved it reads, from its signed cookie, or None."""
    address = request.get_signed_cookie(
        COOKIE_NAME, default=None, salt=COOKIE_SALT, max_age=COOKIE_MAX_AGE
    )
    return address.lower() if address else None


def remember_address(response, address):
    """Let this browser post as `address` from now on (where a speaker trusts it)."""
    response.set_signed_cookie(
        COOKIE_NAME,
        address.lower(),
        salt=COOKIE_SALT,
        max_age=COOKIE_MAX_AGE,
        httponly=True,
        secure=settings.ADDRESS_COOKIE_SECURE,
        samesite="Lax",
    )
    return response
