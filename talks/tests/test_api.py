"""The JSON API: /api/1.0/comments/<id> (PUT approves, DELETE deletes) and /api/1.0/tokens.

The other speaker, with no rights over john's talk, is david; susan is an admin.
"""

import json
import re

import pytest
from django.core import signing
from django.test import Client

from accounts.models import User
from conftest import PASSWORD, make_comment, make_talk, make_user
from talks.api.auth import TOKEN_SALT, issue_token
from talks.comments import comment_published
from talks.models import Comment

JSON = "application/json"


def comment_url(comment_or_pk):
    return f"/api/1.0/comments/{getattr(comment_or_pk, 'pk', comment_or_pk)}"


def call(client, method, url, body=None, **kwargs):
    if body is not None:
        kwargs.update(data=json.dumps(body), content_type=JSON)
    return client.generic(method, url, **kwargs)


@pytest.fixture
def pending(talk):
    return make_comment(talk, approved=False, body="Waiting")


def assert_error(response, status, message=None):
    """Every error is JSON with the status's name and a message."""
    assert response.status_code == status
    assert response["Content-Type"] == JSON
    body = response.json()
    assert set(body) == {"status", "message"}
    assert (
        body["status"]
        == {
            400: "bad request",
            401: "unauthorized",
            403: "forbidden",
            404: "not found",
            405: "method not allowed",
            429: "too many requests",
        }[status]
    )
    assert body["message"]
    if message is not None:
        assert body["message"] == message


# --- Request errors ---------------------------------------------------------------------


def test_a_request_without_a_json_body_is_400(client, pending):
    response = client.put(comment_url(pending))

    assert_error(response, 400, 'Send a JSON body with your token: {"token": "..."}.')


def test_json_without_a_token_is_401(client, pending):
    response = call(client, "PUT", comment_url(pending), {})

    assert_error(response, 401)
    assert response["WWW-Authenticate"] == 'Bearer realm="talks"'


def test_a_garbage_token_is_401(client, pending):
    response = call(client, "PUT", comment_url(pending), {"token": "garbage"})

    assert_error(response, 401, "The token is invalid or has expired. Ask /api/1.0/tokens for one.")


def test_the_token_of_a_user_never_saved_is_401(client, pending):
    ghost = User(username="ghost", email="ghost@example.com")

    response = call(client, "PUT", comment_url(pending), {"token": issue_token(ghost)})

    assert_error(response, 401)
    assert Comment.objects.get().approved is False


@pytest.mark.parametrize(
    "claims", [["x"], {"id": "abc", "stamp": "x"}, {"id": 1}, {"id": 1, "stamp": 5}, "text"]
)
def test_a_correctly_signed_token_with_odd_claims_is_401(client, pending, john, claims):
    token = signing.dumps(claims, salt=TOKEN_SALT)

    assert_error(call(client, "PUT", comment_url(pending), {"token": token}), 401)


def test_the_token_of_a_deleted_user_is_401(client, pending, john):
    token = issue_token(john)
    admin = make_user("admin2", admin=True)
    admin_token = issue_token(admin)
    admin.delete()

    response = call(client, "PUT", comment_url(pending), {"token": admin_token})

    assert_error(response, 401)
    assert call(client, "PUT", comment_url(pending), {"token": token}).status_code == 200


# --- Approve and delete -----------------------------------------------------------------


def test_approve_by_another_speaker_is_403_by_the_author_200_then_400(client, pending, david, john):
    url = comment_url(pending)

    other = call(client, "PUT", url, {"token": issue_token(david)})
    assert_error(other, 403, "Only the talk's author or an admin may moderate this comment.")
    assert Comment.objects.get().approved is False

    author = call(client, "PUT", url, {"token": issue_token(john)})
    assert author.status_code == 200
    assert author.json() == {"status": "ok", "pending": {"mine": 0, "all": None}}
    assert Comment.objects.get().approved is True

    again = call(client, "PUT", url, {"token": issue_token(john)})
    assert_error(again, 400, "This comment is already approved.")

    delete_approved = call(client, "DELETE", url, {"token": issue_token(john)})
    assert_error(delete_approved, 400, "An approved comment cannot be deleted here.")
    assert Comment.objects.count() == 1


def test_delete_by_another_speaker_is_403_by_the_author_200(client, pending, david, john):
    url = comment_url(pending)

    other = call(client, "DELETE", url, {"token": issue_token(david)})
    assert_error(other, 403)
    assert Comment.objects.count() == 1

    author = call(client, "DELETE", url, {"token": issue_token(john)})
    assert (author.status_code, author.json()) == (
        200,
        {"status": "ok", "pending": {"mine": 0, "all": None}},
    )
    assert Comment.objects.count() == 0


def test_an_admin_moderates_any_talk_and_gets_both_counts(client, pending, susan, david):
    make_comment(make_talk(david), approved=False)

    response = call(client, "PUT", comment_url(pending), {"token": issue_token(susan)})

    assert response.json() == {"status": "ok", "pending": {"mine": 0, "all": 1}}
    assert Comment.objects.get(pk=pending.pk).approved is True


def test_approving_through_the_api_publishes_through_comment_approve_once(client, pending, john):
    published = []

    def record(sender, comment, told, **kwargs):
        published.append((comment.pk, comment.approved, told is not None))

    comment_published.connect(record, sender=Comment)
    try:
        call(client, "PUT", comment_url(pending), {"token": issue_token(john)})
        call(client, "PUT", comment_url(pending), {"token": issue_token(john)})
    finally:
        comment_published.disconnect(record, sender=Comment)

    # Once, with whom it tells as read before the approval's transaction.
    assert published == [(pending.pk, True, True)]
    assert Comment.objects.get(pk=pending.pk).approved is True


# --- Every other status -----------------------------------------------------------------


def test_an_unknown_comment_is_404(client, john):
    response = call(client, "PUT", comment_url(987654), {"token": issue_token(john)})

    assert_error(response, 404, "There is no comment 987654.")


def test_an_unknown_api_address_is_404_json(client, db):
    assert_error(
        client.get("/api/1.0/talks/1"), 404, "There is no API endpoint at /api/1.0/talks/1."
    )
    assert_error(client.put("/api/1.0/comments/abc"), 404)


@pytest.mark.parametrize("method", ["GET", "POST", "PATCH", "HEAD", "OPTIONS"])
def test_other_methods_on_a_comment_are_405(client, pending, john, method):
    response = call(client, method, comment_url(pending), {"token": issue_token(john)})

    assert response.status_code == 405
    assert response["Allow"] == "PUT, DELETE"
    if method != "HEAD":
        assert_error(response, 405, f"{method} is not allowed here; use PUT, DELETE.")
    assert Comment.objects.get().approved is False


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("{not json", "The request body is not valid JSON."),
        (b"\xff\xfe", "The request body is not valid JSON."),
        ('{"token": "\\ud800"}', "The request body is not valid JSON."),
        ("[" * 100_000 + "]" * 100_000, "The request body is not valid JSON."),
        ('["token"]', "The request body must be a JSON object."),
        ("42", "The request body must be a JSON object."),
    ],
)
def test_a_body_that_is_not_a_json_object_is_400(client, pending, raw, message):
    response = client.put(comment_url(pending), data=raw, content_type=JSON)

    assert_error(response, 400, message)


@pytest.mark.parametrize("token", [42, None, "", ["a"], {"id": 1}])
def test_a_token_that_is_not_a_string_is_401(client, pending, token):
    body = {"token": token}

    assert_error(call(client, "PUT", comment_url(pending), body), 401)


def test_the_trailing_slash_is_optional(client, pending, john):
    response = call(client, "PUT", comment_url(pending) + "/", {"token": issue_token(john)})

    assert response.status_code == 200
    assert Comment.objects.get().approved is True


# --- Tokens ---------------------------------------------------------------------------------


def test_a_bearer_header_authenticates_without_a_body(client, pending, john):
    response = client.delete(
        comment_url(pending), headers={"Authorization": f"Bearer {issue_token(john)}"}
    )

    assert response.status_code == 200
    assert Comment.objects.count() == 0


@pytest.mark.parametrize("header", ["Basic am9objpwdw==", "Bearer", "Bearer    ", "Token abc"])
def test_another_authorization_scheme_is_401(client, pending, header):
    response = client.put(comment_url(pending), headers={"Authorization": header})

    assert_error(response, 401)


def test_a_token_expires_after_the_configured_age(settings, client, pending, john):
    token = issue_token(john)
    settings.API_TOKEN_MAX_AGE = -1  # every token is older than that

    assert_error(call(client, "PUT", comment_url(pending), {"token": token}), 401)


# The talk's author (john) is checked as the comment's read loaded him; anyone else (susan,
# an admin) is read by the token's id: both refuse a revoked token.
@pytest.fixture(params=["john", "susan"])
def moderator(request):
    return request.getfixturevalue(request.param)


def test_changing_the_password_revokes_the_users_tokens(client, pending, moderator):
    token = issue_token(moderator)
    moderator.set_password("another password entirely")
    moderator.save()

    assert_error(call(client, "PUT", comment_url(pending), {"token": token}), 401)
    assert Comment.objects.get(pk=pending.pk).approved is False


def test_the_token_of_a_deactivated_user_is_401(client, pending, moderator):
    token = issue_token(moderator)
    moderator.is_active = False
    moderator.save()

    assert_error(call(client, "PUT", comment_url(pending), {"token": token}), 401)
    assert Comment.objects.get(pk=pending.pk).approved is False


def test_a_bad_token_is_401_whether_or_not_the_comment_exists(client, pending, john):
    forged = issue_token(john)[:-2] + "xx"

    for target in (comment_url(pending), comment_url(987654)):
        assert_error(call(client, "PUT", target, {"token": forged}), 401)


def test_a_token_is_issued_for_the_right_email_and_password(settings, client, john, pending):
    settings.API_TOKEN_MAX_AGE = 600

    response = call(
        client, "POST", "/api/1.0/tokens", {"email": "JOHN@example.com", "password": PASSWORD}
    )

    assert response.status_code == 200
    assert set(response.json()) == {"token", "expires_in"}
    assert response.json()["expires_in"] == 600
    approve = call(client, "PUT", comment_url(pending), {"token": response.json()["token"]})
    assert approve.status_code == 200


def test_the_tokens_endpoint_accepts_a_trailing_slash(client, john):
    response = call(client, "POST", "/api/1.0/tokens/", {"email": john.email, "password": PASSWORD})

    assert response.status_code == 200


@pytest.mark.parametrize(
    ("email", "password"), [("john@example.com", "wrong"), ("nobody@example.com", PASSWORD)]
)
def test_wrong_credentials_get_401(client, john, email, password):
    response = call(client, "POST", "/api/1.0/tokens", {"email": email, "password": password})

    assert_error(response, 401, "Wrong email or password.")
    assert response["WWW-Authenticate"] == 'Bearer realm="talks"'


@pytest.mark.parametrize(
    "body",
    [None, {}, {"email": "john@example.com"}, {"email": 1, "password": "x"}, {"password": "x"}],
)
def test_a_token_request_without_email_and_password_is_400(client, john, body):
    response = call(client, "POST", "/api/1.0/tokens", body)

    assert_error(response, 400, 'Send {"email": "...", "password": "..."} as JSON.')


@pytest.mark.parametrize("field", ["email", "password"])
def test_a_token_request_with_a_lone_surrogate_is_400(client, john, field):
    body = {"email": john.email, "password": PASSWORD, field: "a\ud800"}

    response = client.post("/api/1.0/tokens", json.dumps(body), content_type=JSON)

    assert_error(response, 400, "The request body is not valid JSON.")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"email": "a\x00b@example.com", "password": "x"}, "email: Enter a valid email address."),
        ({"email": "not an address", "password": "x"}, "email: Enter a valid email address."),
        ({"email": "", "password": "x"}, "email: This field is required."),
        (
            {"email": "john@example.com", "password": "a\x00b"},
            "password: Null characters are not allowed.",
        ),
    ],
)
def test_a_malformed_token_request_is_400_before_any_lookup(client, john, body, message):
    response = call(client, "POST", "/api/1.0/tokens", body)

    assert_error(response, 400, message)


def test_the_tokens_endpoint_only_accepts_post(client, db):
    response = client.get("/api/1.0/tokens")

    assert_error(response, 405, "GET is not allowed here; use POST.")
    assert response["Allow"] == "POST"


def test_repeated_wrong_passwords_lock_the_token_endpoint_with_429_json(settings, client, john):
    wrong = {"email": john.email, "password": "wrong"}
    answers = [
        call(client, "POST", "/api/1.0/tokens", wrong).status_code
        for _ in range(settings.AXES_FAILURE_LIMIT)
    ]
    locked = call(client, "POST", "/api/1.0/tokens", {"email": john.email, "password": PASSWORD})

    assert answers == [401] * (settings.AXES_FAILURE_LIMIT - 1) + [429]
    assert_error(locked, 429, "Too many failed attempts: this account is locked for a while.")


# --- Session authentication -----------------------------------------------------------------


def logged_in_csrf_client(user, talk):
    """A browser-like client: logged in, CSRF enforced, the token read from the talk page."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    page = client.get(talk.get_absolute_url()).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
    return client, token


def test_a_session_request_with_the_csrf_header_is_accepted(john, talk, pending):
    client, token = logged_in_csrf_client(john, talk)

    response = client.put(comment_url(pending), headers={"X-CSRFToken": token})

    assert (response.status_code, response.json()) == (
        200,
        {"status": "ok", "pending": {"mine": 0, "all": None}},
    )
    assert Comment.objects.get().approved is True


def test_a_session_request_without_the_csrf_header_is_403_json(john, talk, pending):
    client, _ = logged_in_csrf_client(john, talk)

    response = client.delete(comment_url(pending))

    assert_error(response, 403)
    assert response.json()["message"].startswith("CSRF check failed")
    assert Comment.objects.count() == 1


def test_a_session_request_with_a_wrong_csrf_header_is_403_json(john, talk, pending):
    client, _ = logged_in_csrf_client(john, talk)

    response = client.delete(comment_url(pending), headers={"X-CSRFToken": "x" * 64})

    assert_error(response, 403)
    assert Comment.objects.count() == 1


def test_a_session_of_another_speaker_is_403(david, talk, pending):
    client, token = logged_in_csrf_client(david, talk)

    response = client.put(comment_url(pending), headers={"X-CSRFToken": token})

    assert_error(response, 403, "Only the talk's author or an admin may moderate this comment.")


def test_a_token_needs_no_csrf_header_even_beside_a_session(david, john, talk, pending):
    client, _ = logged_in_csrf_client(david, talk)

    response = call(client, "PUT", comment_url(pending), {"token": issue_token(john)})

    assert response.status_code == 200


def test_a_session_request_may_send_a_json_body_too(john, talk, pending):
    client, token = logged_in_csrf_client(john, talk)

    response = call(client, "DELETE", comment_url(pending), {}, headers={"X-CSRFToken": token})

    assert response.status_code == 200
    assert Comment.objects.count() == 0


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"email": "john@example.com", "password": PASSWORD}, 200),
        ({"email": "john@example.com", "password": "wrong"}, 401),
        ({"email": "not an address", "password": "x"}, 400),
    ],
)
def test_no_answer_of_the_tokens_endpoint_may_be_stored(client, john, body, status):
    response = call(client, "POST", "/api/1.0/tokens", body)

    assert response.status_code == status
    assert "no-store" in response["Cache-Control"].split(", ")
    assert "private" in response["Cache-Control"].split(", ")
