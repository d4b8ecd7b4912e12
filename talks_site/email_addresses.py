"""Email addresses the site can actually write into a message, not only ones that look right."""

from email.errors import HeaderParseError

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail.message import sanitize_address
from django.utils.translation import gettext_lazy as _

UNWRITABLE = _(
    "Enter an email address mail can be sent to: this one holds a character (a control "
    "character or a line separator) that no email can carry."
)


def validate_deliverable_email(value):
    """Refuse what Django's EmailValidator accepts but no email can be addressed to.

    The validator lets through control characters in a quoted local part (`"a\\x01b"@…`) and
    U+2028 in a domain, which the mail library then fails to write (or writes unquoted): every
    flush of the outbox would fail on such a row. So the address goes through the very code
    that writes recipients (`sanitize_address`), and anything unprintable is refused outright.
    """
    if not isinstance(value, str) or not value:
        return
    if not value.isprintable():
        raise ValidationError(UNWRITABLE, code="invalid")
    try:
        sanitize_address(value, settings.DEFAULT_CHARSET)
    except (ValueError, IndexError, HeaderParseError) as error:  # UnicodeError is a ValueError
        raise ValidationError(UNWRITABLE, code="invalid") from error
