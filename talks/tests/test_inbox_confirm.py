"""Visitors' addresses are proven before they hear news: the email, its page, the cookie."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from conftest import make_comment, make_talk
from talks.confirmations import COOKIE_NAME, confirmation_token
from talks.models import Comment, EmailAddress, OutboxEmail
from talks.tests.inbox_helpers import (
    CommittingClient,
    emails_to,
    flashes,
    link_in,
    post_visitor_comment,
    snapshot,
)

pytestmark = pytest.mark.django_db
Kind = OutboxEmail.Kind


@pytest.fixture
def client():
    return CommittingClient()


@pytest.fixture(autouse=True)
def _an_hour_between_flushes(settings):
    settings.MAIL_FLUSH_INTERVAL = 3600
    settings.SITE_URL = "https://talks.example.com"


def test_a_visitor_asking_for_news_is_emailed_a_confirmation_at_once(client, talk):
    response = post_visitor_comment(client, talk)

    [message] = emails_to("ann@example.org")
    assert message.subject == "[talks] Confirm your email address"
    assert "/confirm/" in message.body
    assert "/confirm/" in message.alternatives[0][0]
    # The review email for the speaker keeps waiting for its flush.
    assert emails_to("john@example.com") == []
    assert OutboxEmail.objects.pending().get().kind == Kind.MODERATION
    asked = "To hear of new comments, follow the link we emailed to ann@example.org to confirm it."
    assert asked in flashes(response)


def test_a_visitor_without_notify_is_not_asked_to_confirm(client, talk):
    post_visitor_comment(client, talk, notify=False)

    assert mail.outbox == []
    assert not OutboxEmail.objects.filter(kind=Kind.CONFIRM_ADDRESS).exists()


def test_an_address_is_asked_at_most_once_a_day_however_many_comments_name_it(client, talk, john):
    other = make_talk(john, title="Other")
    post_visitor_comment(client, talk, email="ann@example.org")
    post_visitor_comment(client, talk, email="Ann@Example.org", body="Again")
    post_visitor_comment(client, other, email="ann@example.org", body="Elsewhere")

    assert len(emails_to("ann@example.org")) == 1
    address = EmailAddress.objects.get()
    assert address.address == "ann@example.org"
    assert address.confirmed_at is None

    address.confirmation_sent_at = timezone.now() - datetime.timedelta(days=1, seconds=1)
    address.save()
    post_visitor_comment(client, talk, email="ann@example.org", body="A day later")

    assert len(emails_to("ann@example.org")) == 2


def test_a_confirmed_address_is_not_asked_again(client, talk):
    EmailAddress.objects.confirm("ann@example.org")

    post_visitor_comment(client, talk)

    assert mail.outbox == []


def test_an_account_address_counts_as_confirmed(client, talk, david):
    post_visitor_comment(client, talk, email="DAVID@example.com")

    assert mail.outbox == []
    assert EmailAddress.objects.is_confirmed("david@example.com") is True


def test_an_address_is_proven_by_its_link_or_an_account_and_asked_in_one_query(
    david, django_assert_num_queries
):
    EmailAddress.objects.confirm("Ann@example.org")
    EmailAddress.objects.claim_confirmation_email("bob@example.org")  # asked, not confirmed

    with django_assert_num_queries(4):
        assert EmailAddress.objects.is_confirmed("ann@EXAMPLE.org") is True
        assert EmailAddress.objects.is_confirmed("David@Example.com") is True
        assert EmailAddress.objects.is_confirmed("bob@example.org") is False
        assert EmailAddress.objects.is_confirmed("cy@example.org") is False


def test_an_unconfirmed_address_gets_no_news_and_the_outbox_never_holds_one(talk):
    make_comment(talk, author_name="Ann", author_email="ann@example.org")
    make_comment(talk, author_name="Bob", author_email="bob@example.org")
    EmailAddress.objects.confirm("bob@example.org")

    make_comment(talk, author_name="Cy", author_email="cy@example.org")

    news = OutboxEmail.objects.filter(kind=Kind.NEW_COMMENTS)
    assert list(news.values_list("address", flat=True)) == ["bob@example.org"]


def test_once_confirmed_the_address_gets_news(client, talk):
    make_comment(talk, author_name="Ann", author_email="ann@example.org")
    client.post(f"/confirm/{confirmation_token('ann@example.org')}/")

    make_comment(talk, author_name="Cy", author_email="cy@example.org")

    assert OutboxEmail.objects.filter(kind=Kind.NEW_COMMENTS, address="ann@example.org").exists()


@pytest.mark.parametrize("subscribers", [1, 20])
def test_recipients_take_the_same_queries_with_confirmed_and_unconfirmed_subscribers(
    talk, subscribers, django_assert_num_queries
):
    for number in range(subscribers):
        make_comment(talk, author_name=f"n{number}", author_email=f"c{number}@example.org")
        make_comment(talk, author_name=f"u{number}", author_email=f"u{number}@example.org")
        EmailAddress.objects.confirm(f"c{number}@example.org")
    new = Comment.objects.get(pk=make_comment(talk, author_email="new@example.org").pk)

    with django_assert_num_queries(3):  # the talk, its author, the proven subscribers
        recipients = new.recipients()

    assert sorted(r.address for r in recipients) == sorted(
        f"c{number}@example.org" for number in range(subscribers)
    )


def test_the_emailed_link_shows_a_confirm_button_and_get_changes_nothing(client, talk):
    post_visitor_comment(client, talk)
    path = link_in(emails_to("ann@example.org")[0], "/confirm/")
    before = snapshot()

    response = CommittingClient().get(path)

    assert response.status_code == 200
    assert b"Confirm that ann@example.org is yours" in response.content
    assert b'<button type="submit" class="btn btn-primary">Confirm</button>' in response.content
    assert COOKIE_NAME not in response.cookies
    assert snapshot() == before


def test_post_confirms_and_sets_the_signed_cookie(client, talk, settings):
    settings.ADDRESS_COOKIE_SECURE = True
    post_visitor_comment(client, talk)
    path = link_in(emails_to("ann@example.org")[0], "/confirm/")

    response = CommittingClient().post(path)

    assert response.status_code == 200
    assert b"ann@example.org is confirmed." in response.content
    assert EmailAddress.objects.get().confirmed_at is not None
    cookie = response.cookies[COOKIE_NAME]
    assert cookie["max-age"] == 365 * 24 * 60 * 60
    assert cookie["httponly"] is True
    assert cookie["secure"] is True
    assert cookie["samesite"] == "Lax"
    assert cookie.value.startswith("ann@example.org:")


def test_confirming_twice_keeps_the_first_time(client):
    token = confirmation_token("ann@example.org")
    client.post(f"/confirm/{token}/")
    first = EmailAddress.objects.get().confirmed_at

    response = client.post(f"/confirm/{token}/")

    assert response.status_code == 200
    assert EmailAddress.objects.get().confirmed_at == first


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize(
    "token",
    [
        confirmation_token("ann@example.org")[:-3],
        confirmation_token("ann@example.org").replace("ann", "eve"),
        "garbage",
    ],
    ids=["truncated", "tampered", "garbage"],
)
def test_a_bad_confirmation_link_gets_a_friendly_400_and_changes_nothing(client, method, token):
    response = getattr(client, method)(f"/confirm/{token}/")

    assert response.status_code == 400
    assert b"This link is not valid" in response.content
    assert EmailAddress.objects.count() == 0


def test_the_admin_lists_addresses(susan_client):
    EmailAddress.objects.confirm("ann@example.org")

    response = susan_client.get("/admin/talks/emailaddress/")

    assert response.status_code == 200
    assert b"ann@example.org" in response.content
