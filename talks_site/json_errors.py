"""The JSON shape of every error this site answers in JSON: the API's, the comment preview's
and the 400 page's for API callers.

`{"status": "<reason phrase>", "message": "<what to do>"}`
"""

from http import HTTPStatus

from django.http import JsonResponse


def json_error(status, message, headers=None):
    """A JSON error response with `status`, `message` and any extra `headers`."""
    response = JsonResponse(
        {"status": HTTPStatus(status).phrase.lower(), "message": message}, status=status
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response
