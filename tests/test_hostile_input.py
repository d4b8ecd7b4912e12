"""Hostile and malformed input at every form and API endpoint: a 4xx with a message, never a 500.

Property-based: hypothesis throws random and adversarial fields at each endpoint (over-long
values, NUL bytes, invalid UTF-8, lone surrogates, wrong JSON types, random field names).
The Django test client re-raises any exception a view lets escape, so a 500 fails the test with
the input that caused it. The same file runs on SQLite and on PostgreSQL, which rejects NUL.
"""

import json
import os
import urllib.parse
from xml.etree import ElementTree

import pytest
from axes.models import AccessAttempt
from django.test import Client
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from conftest import PASSWORD, make_comment, make_talk
from talks.api.auth import issue_token
from talks.models import OutboxEmail
from talks.notifications.unsubscribe import make_token

hostile = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    # CI replays the same examples on every run; a developer's runs keep exploring.
    derandomize=bool(os.environ.get("CI")),
)

FORM = "application/x-www-form-urlencoded"

# --- Strategies --------------------------------------------------------------------------

any_text = st.text(st.characters(codec=None, exclude_categories=()), max_size=80)
nasty = st.sampled_from(
    [
        "",
        " ",
        "\x00",
        "a\x00b",
        "\ud800",
        "\udfff lone surrogate",
        "\u202e\u200b\ufeff",
        "%00",
        "x" * 65,
        "x" * 129,
        "x" * 2001,
        "x" * 10_001,
        "\U0001d54f" * 300,  # astral plane: 4 bytes in UTF-8, 2 units in UTF-16
        "<script>alert(1)</script>",
        "javascript:alert(1)",
        "https://youtu.be/" + "A" * 500,
        '<iframe src="https://evil.example/">',
        "2014-02-30",
        "99999-12-31",
        "-1",
        "9" * 30,
        "0x7fffffff",
        "NaN",
        "on",
        "true",
        "null",
        "[]",
        "{}",
        "john@example.com",
        "JOHN@EXAMPLE.COM",
        "a@b",
        "@",
        "x@" + "y" * 300 + ".com",
        "../../etc/passwd",
        "' OR 1=1 --",
    ]
)
text_value = st.one_of(nasty, any_text, st.integers().map(str))
# A raw value, percent-encoded as it came: text in UTF-8 (lone surrogates as invalid bytes),
# or arbitrary bytes that are no UTF-8 at all.
form_value = st.one_of(
    text_value.map(lambda s: urllib.parse.quote_plus(s.encode("utf-8", "surrogatepass"))),
    st.binary(max_size=40).map(urllib.parse.quote_plus),
)


def form_bodies(fields):
    """Form bodies naming some of `fields` (some twice) and some made-up ones, in any order."""
    names = st.one_of(st.sampled_from(fields), st.text(max_size=12))
    pairs = st.lists(
        st.tuples(names.map(lambda name: urllib.parse.quote_plus(name)), form_value), max_size=12
    )
    return pairs.map(lambda items: "&".join(f"{k}={v}" for k, v in items).encode())


json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    text_value,
)
json_values = st.recursive(
    json_scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=10,
)


def json_bodies(keys):
    """JSON bodies: objects with the expected keys holding any type, other JSON, or garbage."""
    objects = st.dictionaries(st.sampled_from(keys) | st.text(max_size=8), json_values, max_size=5)
    encoded = st.one_of(objects, json_values).map(
        lambda value: json.dumps(value).encode("utf-8", "surrogatepass")
    )
    garbage = st.one_of(
        st.binary(max_size=60),
        st.sampled_from(
            [b"", b" ", b"{", b'{"token": }', b"\xff\xfe{}", b'{"email": "\\ud800"}', b"\x00"]
        ),
    )
    return st.one_of(encoded, garbage)


header_value = st.text(st.characters(min_codepoint=0x20, max_codepoint=0xFF), max_size=60)
authorization = st.one_of(
    st.none(),
    header_value,
    header_value.map(lambda s: f"Bearer {s}"),
    st.sampled_from(["Bearer", "Bearer ", "Basic am9objpwYXNz", "bearer x.y.z"]),
)
path_segment = st.one_of(nasty, any_text).map(
    lambda s: urllib.parse.quote(s.encode("utf-8", "surrogatepass"), safe="")
)
query_value = st.one_of(nasty, any_text).map(
    lambda s: urllib.parse.quote_plus(s.encode("utf-8", "surrogatepass"))
)


# --- Helpers -----------------------------------------------------------------------------


def assert_handled(response):
    """A 5xx never; an API error is JSON with a status and a message."""
    assert response.status_code < 500, response.content[:500]
    if response.status_code >= 400 and response["Content-Type"] == "application/json":
        body = json.loads(response.content)
        assert set(body) == {"status", "message"}
        assert body["message"]


@pytest.fixture
def visitor(db):
    return Client()


@pytest.fixture
def speaker(john):
    client = Client()
    client.force_login(john)
    return client


# --- Forms -------------------------------------------------------------------------------


@hostile
@given(body=form_bodies(["username", "password", "remember_me", "next"]))
@example(body=b"username=john%40example.com%00&password=%00")
@example(body=b"username=%ED%A0%80&password=%FF%FE")
def test_login_form_survives_any_input(visitor, john, body):
    assert_handled(visitor.post("/auth/login/", body, content_type=FORM))


@hostile
@given(body=form_bodies(["email"]))
def test_password_reset_form_survives_any_input(visitor, john, body):
    assert_handled(visitor.post("/auth/password-reset/", body, content_type=FORM))


@hostile
@given(uid=path_segment, token=path_segment)
def test_password_reset_links_survive_any_token(visitor, john, uid, token):
    assert_handled(visitor.get(f"/auth/reset/{uid or 'x'}/{token or 'y'}/"))


@hostile
@given(body=form_bodies(["name", "location", "bio"]))
def test_profile_form_survives_any_input(speaker, body):
    assert_handled(speaker.post("/profile/edit/", body, content_type=FORM))


TALK_FIELDS = ["title", "description", "slides_url", "video_url", "venue", "venue_url", "date"]


@hostile
@given(body=form_bodies(TALK_FIELDS))
def test_new_talk_form_survives_any_input(speaker, body):
    assert_handled(speaker.post("/talk/new/", body, content_type=FORM))


@hostile
@given(body=form_bodies(TALK_FIELDS))
def test_edit_talk_form_survives_any_input(speaker, talk, body):
    assert_handled(speaker.post(f"/talk/{talk.pk}/edit/", body, content_type=FORM))


COMMENT_FIELDS = ["author_name", "author_email", "body", "notify", "website"]


@hostile
@given(body=form_bodies(COMMENT_FIELDS))
def test_visitor_comment_form_survives_any_input(visitor, talk, body):
    assert_handled(visitor.post(f"/talk/{talk.pk}/comments/", body, content_type=FORM))


@hostile
@given(body=form_bodies(COMMENT_FIELDS))
def test_speaker_comment_form_survives_any_input(speaker, talk, body):
    assert_handled(speaker.post(f"/talk/{talk.pk}/comments/", body, content_type=FORM))


@hostile
@given(body=form_bodies(["body"]))
def test_comment_preview_survives_any_input(visitor, body):
    response = visitor.post("/comments/preview/", body, content_type=FORM)

    assert_handled(response)
    assert response["Content-Type"] == "application/json"


@hostile
@given(body=form_bodies(["next"]), action=st.sampled_from(["approve", "delete"]))
def test_moderation_buttons_survive_any_input(speaker, talk, body, action):
    comment = make_comment(talk, approved=False)
    response = speaker.post(f"/comments/{comment.pk}/{action}/", body, content_type=FORM)

    assert_handled(response)
    assert response.status_code == 302
    # Wherever `next` pointed, the redirect stays on this site.
    assert urllib.parse.urlsplit(response["Location"]).netloc == ""


# --- Unsubscribe -------------------------------------------------------------------------


@hostile
@given(token=path_segment, method=st.sampled_from(["get", "post"]))
def test_unsubscribe_pages_survive_any_token(visitor, talk, token, method):
    assert_handled(getattr(visitor, method)(f"/unsubscribe/{token or 'x'}/"))


@hostile
@given(
    address=st.emails(),
    talk_id=st.one_of(st.integers(), st.just(None)),
    method=st.sampled_from(["get", "post"]),
)
def test_unsubscribe_pages_survive_signed_tokens_for_any_talk(
    visitor, talk, address, talk_id, method
):
    """Tokens as only we can sign them (for an address a form accepted), for any talk id."""
    token = make_token(address, talk.pk if talk_id is None else talk_id)

    assert_handled(getattr(visitor, method)(f"/unsubscribe/{urllib.parse.quote(token)}/"))


# --- JSON API ----------------------------------------------------------------------------


@hostile
@given(
    body=json_bodies(["email", "password"]),
    content_type=st.sampled_from(["application/json", "text/plain", FORM, ""]),
)
@example(
    body=b'{"email": "a\\u0000b@example.com", "password": "x"}', content_type="application/json"
)
@example(
    body=b'{"email": "a\\ud800@example.com", "password": "x"}', content_type="application/json"
)
@example(
    body=b'{"email": "john@example.com", "password": "\\ud800"}', content_type="application/json"
)
def test_api_tokens_survive_any_body(visitor, john, body, content_type):
    response = visitor.post("/api/1.0/tokens", body, content_type=content_type)

    assert_handled(response)
    assert response["Content-Type"] == "application/json"


@hostile
@given(
    body=json_bodies(["token"]),
    auth=authorization,
    method=st.sampled_from(["put", "delete"]),
    pk=st.one_of(st.integers(min_value=0, max_value=10**18 - 1), st.just(None)),
)
def test_api_comments_survive_any_body_and_token(visitor, talk, body, auth, method, pk):
    comment = make_comment(talk, approved=False)
    headers = {} if auth is None else {"Authorization": auth}
    path = f"/api/1.0/comments/{comment.pk if pk is None else pk}"

    response = getattr(visitor, method)(
        path, body, content_type="application/json", headers=headers
    )

    assert_handled(response)
    assert response["Content-Type"] == "application/json"


@hostile
@given(body=json_bodies(["token"]), method=st.sampled_from(["put", "delete"]))
def test_api_comments_survive_any_body_with_a_valid_token(visitor, john, talk, body, method):
    comment = make_comment(talk, approved=False)
    headers = {"Authorization": f"Bearer {issue_token(john)}"}

    response = getattr(visitor, method)(
        f"/api/1.0/comments/{comment.pk}", body, content_type="application/json", headers=headers
    )

    assert_handled(response)
    assert response.status_code in (200, 400)


@hostile
@given(body=json_bodies(["token"]), method=st.sampled_from(["put", "delete"]))
def test_api_comments_survive_any_body_from_a_logged_in_browser(speaker, talk, body, method):
    comment = make_comment(talk, approved=False)

    response = getattr(speaker, method)(
        f"/api/1.0/comments/{comment.pk}", body, content_type="application/json"
    )

    assert_handled(response)


# --- Addresses and query strings ---------------------------------------------------------


@hostile
@given(segment=path_segment, query=query_value)
@example(segment="%00", query="%00")
def test_pages_survive_any_address_and_page_number(speaker, talk, segment, query):
    for path in (
        f"/user/{segment or 'x'}/",
        f"/feeds/user/{segment or 'x'}/",
        f"/?page={query}",
        f"/user/john/?page={query}",
        f"/talk/{talk.pk}/?page={query}",
        f"/moderate/?page={query}",
        f"/feeds/talks/?page={query}",
        f"/api/1.0/{segment}",
    ):
        assert_handled(speaker.get(path))


# --- The limits, one by one --------------------------------------------------------------

TOO_BIG = 256 * 1024 + 1
TOO_BIG_MESSAGE = "The request is too large: this site accepts at most 256 KiB."


@pytest.mark.parametrize(
    "path",
    [
        "/auth/login/",
        "/auth/password-reset/",
        "/profile/edit/",
        "/talk/new/",
        "/talk/{talk}/edit/",
        "/talk/{talk}/comments/",
        "/comments/{comment}/approve/",
    ],
)
def test_an_oversized_form_post_gets_413_with_a_clear_message(speaker, talk, path):
    comment = make_comment(talk, approved=False)
    body = b"body=" + b"x" * TOO_BIG

    response = speaker.post(path.format(talk=talk.pk, comment=comment.pk), body, content_type=FORM)

    assert response.status_code == 413
    assert TOO_BIG_MESSAGE in response.content.decode()


def test_an_oversized_preview_from_the_page_script_gets_413_as_json(visitor):
    response = visitor.post(
        "/comments/preview/",
        b"body=" + b"x" * TOO_BIG,
        content_type=FORM,
        headers={"Accept": "application/json"},
    )

    assert response.status_code == 413
    assert response.json()["message"] == TOO_BIG_MESSAGE


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "/api/1.0/tokens"),
        ("put", "/api/1.0/comments/1"),
        ("delete", "/api/1.0/comments/1"),
    ],
)
def test_an_oversized_json_body_gets_a_json_error(visitor, method, path):
    body = b'{"token": "' + b"x" * TOO_BIG + b'"}'

    response = getattr(visitor, method)(path, body, content_type="application/json")

    assert response.status_code == 413
    assert response.json() == {"status": "request entity too large", "message": TOO_BIG_MESSAGE}


@pytest.mark.parametrize(
    "path", ["/user/%00/", "/feeds/user/jo%00hn/", "/?page=%00", "/admin/auth/?q=%00"]
)
def test_a_nul_character_in_the_address_gets_400_with_a_clear_message(visitor, path):
    response = visitor.get(path)

    assert response.status_code == 400
    assert "The address contains a NUL character" in response.content.decode()


@pytest.mark.parametrize(
    ("path", "field", "others"),
    [
        ("/auth/login/", "username", {"password": "x"}),
        ("/auth/login/", "password", {"username": "john@example.com"}),
        ("/auth/password-reset/", "email", {}),
    ],
)
def test_a_nul_character_in_a_visitor_form_field_is_a_form_error(
    visitor, john, path, field, others
):
    response = visitor.post(path, {**others, field: "before\x00after"})

    assert response.status_code == 200
    assert "Null characters are not allowed." in response.content.decode()


@pytest.mark.parametrize(
    ("path", "field", "others"),
    [
        ("/profile/edit/", "name", {}),
        ("/talk/new/", "title", {"venue": "PyCon", "date": "2014-04-11"}),
        ("/talk/new/", "venue", {"title": "T", "date": "2014-04-11"}),
        ("/talk/{talk}/comments/", "body", {}),
    ],
)
def test_a_nul_character_in_a_form_field_is_a_form_error(speaker, talk, path, field, others):
    data = {**others, field: "before\x00after"}

    response = speaker.post(path.format(talk=talk.pk), data)

    assert response.status_code == 200
    assert "Null characters are not allowed." in response.content.decode()


@pytest.mark.parametrize(
    ("field", "value"),
    [("author_name", "Ann\x00"), ("author_email", "ann\x00@example.org"), ("body", "\x00")],
)
def test_a_nul_character_in_a_visitor_comment_is_a_form_error(visitor, talk, field, value):
    data = {"author_name": "Ann", "author_email": "ann@example.org", "body": "Hi", field: value}

    response = visitor.post(f"/talk/{talk.pk}/comments/", data)

    assert response.status_code == 200
    assert "Null characters are not allowed." in response.content.decode()
    assert talk.comments.count() == 0


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("PATCH", "/", "GET, HEAD, OPTIONS"),
        ("BREW", "/talk/{talk}/", "GET, HEAD, OPTIONS"),
        ("DELETE", "/auth/login/", "GET, POST, PUT, HEAD, OPTIONS"),
        ("GET", "/talk/{talk}/comments/", "POST"),
        ("PUT", "/health/", "GET, HEAD"),
    ],
)
def test_an_unknown_method_gets_405_naming_the_allowed_ones(visitor, talk, method, path, allowed):
    response = visitor.generic(method, path.format(talk=talk.pk))

    assert response.status_code == 405
    assert response["Allow"] == allowed
    assert response.content.decode() == f"{method} is not allowed here; use {allowed}.\n"


def test_an_unknown_method_on_the_api_gets_405_as_json(visitor):
    response = visitor.generic("BREW", "/api/1.0/tokens")

    assert response.status_code == 405
    assert response.json() == {
        "status": "method not allowed",
        "message": "BREW is not allowed here; use POST.",
    }


# --- Classes found by the hardening probe ----------------------------------------------------

JOHN = "john@example.com"


def full_width(character):
    """The full-width form of a printable ASCII character, which NFKC turns back into it."""
    return chr(ord(character) - 0x21 + 0xFF01) if "!" <= character <= "~" else character


# Any spelling of john's address: each character lower, upper or full width, maybe padded.
john_spellings = st.tuples(
    st.lists(st.sampled_from([str.lower, str.upper, full_width]), min_size=16, max_size=16),
    st.sampled_from(["", " ", "  "]),
).map(lambda spec: spec[1] + "".join(f(c) for f, c in zip(spec[0], JOHN, strict=True)) + spec[1])


@hostile
@given(spelling=john_spellings)
@example(spelling="John@Example.COM")
@example(spelling="\uff4a\uff4f\uff48\uff4e\uff20example.com")
def test_every_spelling_of_an_address_finds_its_account_on_every_way_in(visitor, john, spelling):
    login = visitor.post("/auth/login/", {"username": spelling, "password": PASSWORD})
    visitor.logout()
    token = visitor.post(
        "/api/1.0/tokens",
        json.dumps({"email": spelling, "password": PASSWORD}),
        content_type="application/json",
    )

    assert login.status_code == 302
    assert token.status_code == 200


@hostile
@given(spellings=st.lists(john_spellings, min_size=5, max_size=5))
def test_failures_in_any_spellings_count_against_one_account(visitor, john, spellings, settings):
    settings.AXES_FAILURE_LIMIT = 5
    AccessAttempt.objects.all().delete()
    for number, spelling in enumerate(spellings):
        wrong = {"email": spelling, "password": "wrong"}
        if number % 2:
            visitor.post("/api/1.0/tokens", json.dumps(wrong), content_type="application/json")
        else:
            visitor.post("/auth/login/", {"username": spelling, "password": "wrong"})

    right = json.dumps({"email": JOHN, "password": PASSWORD})
    response = visitor.post("/api/1.0/tokens", right, content_type="application/json")

    assert response.status_code == 429
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == [JOHN]


# Every code point XML 1.0 forbids that a database can store (NUL: PostgreSQL cannot; lone
# surrogates: no UTF-8 can).
NOT_IN_XML = [chr(c) for c in [*range(1, 9), 0xB, 0xC, *range(0xE, 0x20), 0xFFFE, 0xFFFF]]
text_with_forbidden = st.tuples(
    st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=20),
    st.lists(st.sampled_from(NOT_IN_XML), min_size=1, max_size=4),
).map(
    lambda parts: (
        parts[0][: len(parts[0]) // 2] + "".join(parts[1]) + parts[0][len(parts[0]) // 2 :]
    )
)


@hostile
@given(
    title=text_with_forbidden,
    description=text_with_forbidden,
    venue=text_with_forbidden,
    speaker=text_with_forbidden,
    commenter=text_with_forbidden,
    body=text_with_forbidden,
)
@example(
    **dict.fromkeys(
        ["title", "description", "venue", "speaker", "commenter", "body"], "\ufffe\uffff"
    )
)
def test_every_feed_stays_well_formed_xml_whatever_its_fields_hold(
    visitor, john, title, description, venue, speaker, commenter, body
):
    from talks.models import Talk

    Talk.objects.all().delete()
    john.name = speaker[:64]
    john.save()
    talk = make_talk(
        john, title=title[:128] or "t", description=description, venue=venue[:128] or "v"
    )
    make_comment(talk, author_name=commenter[:64] or "c", body=body or "b")

    for path in ("/feeds/talks/", "/feeds/user/john/", f"/feeds/talk/{talk.pk}/comments/"):
        response = visitor.get(path)
        assert response.status_code == 200
        ElementTree.fromstring(response.content)  # noqa: S314 - our own feed
        assert not any(character in response.content.decode() for character in NOT_IN_XML)


CONTROL_CHARACTERS = [chr(c) for c in [*range(1, 0x20), 0x7F, *range(0x80, 0xA0), 0x2028, 0x2029]]
address_with_control = st.tuples(
    st.sampled_from(['"ann{}smith"@example.org', "ann{}@example.org", "ann@exa{}mple.org"]),
    st.sampled_from(CONTROL_CHARACTERS),
).map(lambda parts: parts[0].format(parts[1]))


@hostile
@given(address=address_with_control)
@example(address='"ann\x01smith"@example.org')
@example(address="ann@exa\u2028mple.org")
def test_no_email_field_accepts_an_address_with_a_control_character(visitor, talk, address):
    comment = visitor.post(
        f"/talk/{talk.pk}/comments/",
        {"author_name": "Ann", "author_email": address, "body": "Hi", "notify": "on"},
    )
    login = visitor.post("/auth/login/", {"username": address, "password": "x"})
    reset = visitor.post("/auth/password-reset/", {"email": address})
    token = visitor.post(
        "/api/1.0/tokens",
        json.dumps({"email": address, "password": "x"}),
        content_type="application/json",
    )

    for response in (comment, login, reset, token):
        assert_handled(response)
    assert comment.status_code == 200
    assert talk.comments.count() == 0
    assert OutboxEmail.objects.count() == 0
