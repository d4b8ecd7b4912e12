"""The signed links of the moderation email: one comment, one action, one speaker.

A token is an HMAC over the comment, the action, the speaker and the speaker's password hash,
as Django's password reset tokens are: a password change revokes every link the speaker was
sent, and rotating SECRET_KEY revokes them all. No timestamp goes in, so a link never expires;
what it acts on says whether it was used already.
"""

from django.conf import settings
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac

from .links import absolute_url

# The salt is part of every token already sent: changing it breaks the links in old emails.
SALT = "talks.moderation_links"
ACTIONS = ("approve", "delete", "trust")


def _digest(comment_id, action, speaker, secret):
    value = f"{comment_id}:{action}:{speaker.pk}:{speaker.password}"
    return salted_hmac(SALT, value, secret=secret, algorithm="sha256").hexdigest()


def make_token(comment, action, speaker):
    """The token that lets `speaker` take `action` on `comment` without logging in."""
    return _digest(comment.pk, action, speaker, settings.SECRET_KEY)


def check_token(comment, action, speaker, token):
    """Was `token` made for this comment, action and speaker, with their current password?"""
    if action not in ACTIONS or not isinstance(token, str):
        return False
    return any(
        constant_time_compare(token, _digest(comment.pk, action, speaker, secret))
        for secret in [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]
    )


def moderation_url(comment, action, speaker):
    """The absolute link for the moderation email."""
    token = make_token(comment, action, speaker)
    return absolute_url(reverse("talks:email_moderate", args=[comment.pk, action, token]))
