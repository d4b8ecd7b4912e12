"""The 400 page: says what was wrong with the request, as HTML or, for API callers, JSON."""

from django.conf import settings
from django.core.exceptions import BadRequest, RequestDataTooBig, TooManyFieldsSent
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _

from .json_errors import json_error


def _wants_json(request):
    return request.path.startswith("/api/") or "application/json" in request.headers.get(
        "Accept", ""
    )


def _describe(exception):
    """(status, message) for what Django refused before any view could answer."""
    if isinstance(exception, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 1024
        return 413, _("The request is too large: this site accepts at most %(limit)d KiB.") % {
            "limit": limit
        }
    if isinstance(exception, TooManyFieldsSent):
        return 400, _("The form has too many fields.")
    if type(exception) is BadRequest and exception.args:
        # Raised by this project with a message written for the reader.
        return 400, str(exception)
    return 400, _("The request could not be understood. Reload the page and try again.")


def bad_request(request, exception):
    """handler400: a clear message instead of Django's bare "Bad Request (400)"."""
    # Some requests are refused before LocaleMiddleware has chosen the reader's language.
    with translation.override(translation.get_language_from_request(request)):
        status, message = _describe(exception)
        if _wants_json(request):
            return json_error(status, str(message))
        return render(request, "400.html", {"message": message}, status=status)
