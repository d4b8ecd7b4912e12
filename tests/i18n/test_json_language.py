"""JSON error messages are written in the request's language; the JSON keys never change."""

import json

import pytest

from conftest import make_comment

pytestmark = pytest.mark.django_db


def answer(response):
    return response.status_code, json.loads(response.content)


def test_an_api_error_follows_accept_language_and_keeps_its_keys(client, talk):
    comment = make_comment(talk, approved=False)
    address = f"/api/1.0/comments/{comment.pk}"

    english = answer(client.delete(address, HTTP_ACCEPT_LANGUAGE="en"))
    german = answer(client.delete(address, HTTP_ACCEPT_LANGUAGE="de"))

    assert english == (
        400,
        {"status": "bad request", "message": 'Send a JSON body with your token: {"token": "..."}.'},
    )
    assert german == (
        400,
        {"status": "bad request", "message": 'Senden Sie Ihr Token als JSON: {"token": "..."}.'},
    )


def test_an_unauthorized_api_call_is_told_why_in_german(client, talk):
    comment = make_comment(talk, approved=False)

    response = client.put(
        f"/api/1.0/comments/{comment.pk}",
        HTTP_AUTHORIZATION="Bearer forged",
        HTTP_ACCEPT_LANGUAGE="de",
    )

    assert answer(response) == (
        401,
        {
            "status": "unauthorized",
            "message": "Das Token ist ungültig oder abgelaufen. "
            "Ein neues gibt es unter /api/1.0/tokens.",
        },
    )


def test_an_api_error_with_values_in_it_is_german_with_the_values_kept(client, db):
    client.cookies["django_language"] = "de"

    status, body = answer(client.get("/api/1.0/nothing/here"))

    assert (status, body) == (
        404,
        {
            "status": "not found",
            "message": "Unter /api/1.0/nothing/here gibt es keinen API-Endpunkt.",
        },
    )


def test_the_preview_error_follows_the_language_too(client, talk):
    status, body = answer(client.get("/comments/preview/", HTTP_ACCEPT_LANGUAGE="de"))

    assert status == 405
    assert set(body) == {"status", "message"}
    assert body["status"] == "method not allowed"
    assert body["message"] == "Senden Sie den Text des Kommentars mit POST."


def test_a_request_refused_before_any_view_is_answered_in_the_readers_language(client, db):
    response = client.get("/api/1.0/tokens?q=%00", HTTP_ACCEPT_LANGUAGE="de")

    status, body = answer(response)

    assert (status, body) == (
        400,
        {
            "status": "bad request",
            "message": "Die Adresse enthält ein NUL-Zeichen; keine Seite hier hat so eine Adresse.",
        },
    )
