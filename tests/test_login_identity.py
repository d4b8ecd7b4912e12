"""One spelling of the login identity for every way in, and one failure counter per account."""

import json

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY

from conftest import PASSWORD


@pytest.fixture(autouse=True)
def _five_failures(settings):
    settings.AXES_FAILURE_LIMIT = 5


WRONG = "wrong password"


def form_login(client, email, password=WRONG):
    return client.post("/auth/login/", {"username": email, "password": password})


def admin_login(client, email, password=WRONG):
    return client.post("/admin/login/", {"username": email, "password": password})


def api_token(client, email, password=WRONG):
    body = json.dumps({"email": email, "password": password})
    return client.post("/api/1.0/tokens", body, content_type="application/json")


@pytest.mark.parametrize("spelling", ["John@example.com", "john@EXAMPLE.com", "JOHN@EXAMPLE.COM"])
def test_after_five_failed_form_logins_the_api_refuses_a_token_in_any_spelling(
    client, john, spelling
):
    assert [form_login(client, "john@example.com").status_code for _ in range(4)] == [200] * 4
    assert form_login(client, "john@example.com").status_code == 429

    response = api_token(client, spelling, PASSWORD)

    assert response.status_code == 429
    assert response.json()["status"] == "too many requests"
    assert "token" not in response.json()


def test_failures_in_every_spelling_and_every_way_in_share_one_counter(client, susan):
    """Five guesses in five spellings, over the form, the API and the admin: then locked."""
    form_login(client, "Susan@example.com")
    form_login(client, "susan@EXAMPLE.com")
    api_token(client, "SUSAN@example.com")
    api_token(client, "\uff53usan@example.com")  # a full-width s: NFKC makes it an s
    admin_login(client, "susan@Example.Com")

    attempts = list(AccessAttempt.objects.values_list("username", "failures_since_start"))
    api = api_token(client, "susan@example.com", PASSWORD)
    form = form_login(client, "sUsAn@example.com", PASSWORD)
    admin = admin_login(client, "SUSAN@EXAMPLE.COM", PASSWORD)

    assert attempts == [("susan@example.com", 5)]
    assert (api.status_code, form.status_code, admin.status_code) == (429, 429, 429)
    assert SESSION_KEY not in client.session


@pytest.mark.parametrize("spelling", [" John@Example.com ", "\uff4a\uff4f\uff48\uff4e@example.com"])
def test_every_way_in_finds_the_account_under_any_spelling(client, john, susan, spelling):
    assert api_token(client, spelling, PASSWORD).status_code == 200
    assert form_login(client, spelling, PASSWORD).status_code == 302
    assert client.session[SESSION_KEY] == str(john.pk)
    client.logout()
    admin_spelling = spelling.replace("john", "susan").replace("John", "Susan")
    if "\uff4a" in spelling:
        admin_spelling = "\uff53usan@example.com"
    assert admin_login(client, admin_spelling, PASSWORD).status_code == 302
    assert client.session[SESSION_KEY] == str(susan.pk)
