"""Every API error is JSON: `{"status": "<reason phrase>", "message": "<what to do>"}`."""

from functools import wraps
from http import HTTPStatus

from django.http import JsonResponse


class ApiError(Exception):
    """An error answered as JSON with its HTTP status."""

    def __init__(self, status, message, headers=None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


def json_error(status, message, headers=None):
    response = JsonResponse(
        {"status": HTTPStatus(status).phrase.lower(), "message": message}, status=status
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def answers_errors_as_json(view):
    """Turn the ApiError a view raises into its JSON response."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        try:
            return view(*args, **kwargs)
        except ApiError as error:
            return json_error(error.status, error.message, error.headers)

    return wrapper
