"""Requests no page of this site can mean, refused before any view or query sees them."""

from django.conf import settings
from django.core.exceptions import BadRequest, RequestDataTooBig
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class RejectNullCharactersMiddleware:
    """400 for a NUL character in the address or query string.

    No address here holds one, and PostgreSQL refuses NUL in text, so a lookup with one (a
    username in /user/…/, an admin search) would end in a server error. Form fields refuse NUL
    with a form error of their own (Django's ProhibitNullCharactersValidator).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any(
            "\x00" in name or any("\x00" in value for value in values)
            for name, values in request.GET.lists()
        ):
            # Lazy: this runs before LocaleMiddleware; the 400 page translates it for the reader.
            raise BadRequest(
                gettext_lazy("The address contains a NUL character, which no page here has.")
            )
        return self.get_response(request)


class MethodNotAllowedMessageMiddleware:
    """Django's 405 has an empty body: say which methods the address does accept."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 405 and not response.content and response.has_header("Allow"):
            message = _("%(method)s is not allowed here; use %(allowed)s.") % {
                "method": request.method,
                "allowed": response["Allow"],
            }
            response.content = f"{message}\n".encode()
            response["Content-Type"] = "text/plain; charset=utf-8"
        return response


class LimitRequestBodyMiddleware:
    """413 for a body declared larger than the site takes, whatever its content type.

    Django checks DATA_UPLOAD_MAX_MEMORY_SIZE only for the bodies it reads whole (forms, JSON);
    a multipart upload went to a temporary file on disk first, at any size. Here the declared
    Content-Length is checked before anything reads the body, and under WSGI the body stream
    is cut at that length (Django's LimitedStream), so no read can go past the limit either.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        raw = request.META.get("CONTENT_LENGTH") or "0"
        declared = int(raw) if raw.isascii() and raw.isdigit() else 0
        if declared > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            raise RequestDataTooBig(
                f"The request body ({declared} bytes) is over the limit of "
                f"{settings.DATA_UPLOAD_MAX_MEMORY_SIZE} bytes."
            )
        return self.get_response(request)
