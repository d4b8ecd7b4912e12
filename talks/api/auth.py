"""Who is calling the API: a signed, expiring token, or the browser's session with its CSRF token.

A token is `django.core.signing` over the user's id and a stamp derived from the password hash:
it expires after `settings.API_TOKEN_MAX_AGE` seconds, and a password change revokes every token
issued before it, as it logs out every session.
"""

import json

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import RequestDataTooBig
from django.middleware.csrf import CsrfViewMiddleware
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from .errors import ApiError

TOKEN_SALT = "talks.api.token"  # noqa: S105 - a signing namespace, not a password
UNAUTHORIZED_HEADERS = {"WWW-Authenticate": 'Bearer realm="talks"'}


def _password_stamp(user):
    """Changes when the password does; derived, so the token shows nothing of the session hash."""
    return salted_hmac(TOKEN_SALT, user.get_session_auth_hash(), algorithm="sha256").hexdigest()[
        :32
    ]


def issue_token(user):
    """A token that authenticates `user` for `settings.API_TOKEN_MAX_AGE` seconds."""
    return signing.dumps({"id": user.pk, "stamp": _password_stamp(user)}, salt=TOKEN_SALT)


def user_for_token(token, known=()):
    """The active user a token was issued to, or None if it is forged, expired or revoked.

    `known` holds users the caller has just read (a talk's author): one the token names is
    checked as read rather than read again.
    """
    try:
        claims = signing.loads(token, salt=TOKEN_SALT, max_age=settings.API_TOKEN_MAX_AGE)
        user_id, stamp = claims["id"], claims["stamp"]
    except (signing.BadSignature, KeyError, TypeError):
        return None
    if not isinstance(user_id, int) or not isinstance(stamp, str):
        return None
    user = next((user for user in known if user.pk == user_id), None)
    if user is None:
        user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.is_active:
        return None
    if not constant_time_compare(stamp, _password_stamp(user)):
        return None
    return user


def read_json(request):
    """The request's JSON object body; None when there is no body at all."""
    try:
        raw = request.body
    except RequestDataTooBig:
        raise ApiError(400, _("The request body is too large.")) from None
    if not raw.strip():
        return None
    try:
        body = json.loads(raw)
        # JSON may spell lone UTF-16 surrogates ("\ud800"), which no stored or hashed text
        # can hold: refuse them here rather than fail deep inside a password check.
        json.dumps(body, ensure_ascii=False).encode()
    except (ValueError, RecursionError):
        raise ApiError(400, _("The request body is not valid JSON.")) from None
    if not isinstance(body, dict):
        raise ApiError(400, _("The request body must be a JSON object."))
    return body


def _unauthorized(message):
    return ApiError(401, message, UNAUTHORIZED_HEADERS)


def _token_from(request, body):
    header = request.headers.get("Authorization")
    if header is not None:
        scheme, _space, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise _unauthorized(_("Send the token as 'Authorization: Bearer <token>'."))
        return token.strip()
    return (body or {}).get("token")


class _CsrfCheck(CsrfViewMiddleware):
    def _reject(self, request, reason):
        return reason


def _csrf_failure(request):
    """Why the request fails Django's CSRF check, or None when it passes."""
    check = _CsrfCheck(lambda request: None)
    check.process_request(request)
    return check.process_view(request, None, (), {})


def authenticate(request, body, known=()):
    """The user behind an API request: by token (body or Bearer header), else by session + CSRF.

    `body` is the request's JSON (None if it had no body), where API clients put the token:
    with neither a body, a Bearer header nor a session, the request is malformed. `known` is
    user_for_token's.
    """
    has_header = "Authorization" in request.headers
    if body is None and not has_header and not request.user.is_authenticated:
        raise ApiError(400, _('Send a JSON body with your token: {"token": "..."}.'))
    token = _token_from(request, body)
    if token is not None:
        user = user_for_token(token, known) if isinstance(token, str) else None
        if user is None:
            raise _unauthorized(
                _("The token is invalid or has expired. Ask /api/1.0/tokens for one.")
            )
        return user
    if request.user.is_authenticated:
        reason = _csrf_failure(request)
        if reason is not None:
            raise ApiError(
                403,
                _("CSRF check failed: %(reason)s. Send the X-CSRFToken header.")
                % {"reason": reason},
            )
        return request.user
    raise _unauthorized(_("Authentication required: send a token, or use a logged-in session."))
