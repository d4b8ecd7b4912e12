"""The one spelling of a login identity, used by every way in and by the login throttle.

An account's email is stored as given and matched case-blind. The login form, the API's token
endpoint, the admin's login and password reset all find the account, and django-axes counts
failures, under `login_identity()` of what was typed: one account, one counter, however the
address is spelt (`Barbara@example.com`, `barbara@EXAMPLE.com`, full-width letters).
"""

import unicodedata

from django.conf import settings


def login_identity(value):
    """`value` trimmed, in Unicode compatibility form (NFKC) and case-folded.

    The comparison Django's password reset uses for addresses (`_unicode_ci_compare`).
    """
    return unicodedata.normalize("NFKC", value.strip()).casefold()


def lookup_spelling(value):
    """What the database matches case-blind (`iexact`): NFKC, so full-width letters find ASCII."""
    return unicodedata.normalize("NFKC", value.strip())


def axes_username(request, credentials=None):
    """AXES_USERNAME_CALLABLE: the identity a login attempt is counted against."""
    field = settings.AXES_USERNAME_FORM_FIELD
    if credentials:
        raw = credentials.get(field)
    else:
        raw = getattr(request, "data", request.POST).get(field)
    return login_identity(raw) if isinstance(raw, str) else raw
