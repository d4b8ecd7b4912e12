"""Every API error is JSON: `{"status": "<reason phrase>", "message": "<what to do>"}`."""

from functools import wraps

from talks_site.json_errors import json_error


class ApiError(Exception):
    """An error answered as JSON with its HTTP status."""

    def __init__(self, status, message, headers=None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


def answers_errors_as_json(view):
    """Turn the ApiError a view raises into its JSON response."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        try:
            return view(*args, **kwargs)
        except ApiError as error:
            return json_error(error.status, error.message, error.headers)

    return wrapper
