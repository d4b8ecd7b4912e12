"""Addresses Django's validator accepts but no email can be written to are refused by every form.

Such an address, stored, would fail every flush of the outbox it sat in.
"""

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from talks.models import Comment

UNWRITABLE = [
    '"ann\x01smith"@example.org',  # a control character in a quoted local part
    '"ann\x7f"@example.org',
    "ann@exa\u2028mple.org",  # a line separator in the domain
    "ann@exa\u2029mple.org",
]
MESSAGE = "no email can carry"


@pytest.mark.parametrize("address", UNWRITABLE)
def test_the_comment_form_refuses_an_address_no_email_can_be_written_to(client, talk, address):
    response = client.post(
        f"/talk/{talk.pk}/comments/",
        {"author_name": "Ann", "author_email": address, "body": "Hello", "notify": "on"},
    )

    assert response.status_code == 200
    assert MESSAGE in response.content.decode()
    assert Comment.objects.count() == 0


@pytest.mark.parametrize("address", UNWRITABLE)
def test_the_admin_refuses_such_an_address_for_a_user(susan_client, john, address):
    response = susan_client.post(
        f"/admin/accounts/user/{john.pk}/change/",
        {
            "email": address,
            "username": "john",
            "is_active": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
        },
    )

    assert response.status_code == 200
    assert MESSAGE in response.content.decode()
    john.refresh_from_db()
    assert john.email == "john@example.com"


@pytest.mark.parametrize("address", UNWRITABLE)
def test_adduser_refuses_such_an_address(db, address, monkeypatch):
    monkeypatch.setenv("DJANGO_USER_PASSWORD", "a long and fine password")

    with pytest.raises(CommandError, match="is not a valid email address"):
        call_command("adduser", "--noinput", address, "ann")

    assert User.objects.count() == 0


def test_an_ordinary_address_is_still_accepted(client, talk):
    client.post(
        f"/talk/{talk.pk}/comments/",
        {"author_name": "Ann", "author_email": "ann.smith+talks@example.org", "body": "Hi"},
    )

    assert Comment.objects.get().author_email == "ann.smith+talks@example.org"
