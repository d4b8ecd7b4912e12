"""Trust per speaker: a trusted address publishes at once with its cookie, else by email."""

import datetime

import pytest
from django.core import mail
from django.core.signing import get_cookie_signer
from django.utils import timezone

from conftest import make_comment, make_talk
from talks.confirmations import COOKIE_NAME, COOKIE_SALT, publish_token
from talks.models import Comment, EmailAddress, OutboxEmail, TrustedAddress
from talks.notifications.outbox import flush_outbox
from talks.services import approve_and_trust
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


@pytest.fixture(autouse=True)
def _an_hour_between_flushes(settings):
    settings.MAIL_FLUSH_INTERVAL = 3600
    settings.SITE_URL = "https://talks.example.com"


@pytest.fixture
def client():
    return CommittingClient()


@pytest.fixture
def trusted(talk):
    """John trusts ann@example.org, from an earlier comment of hers; her address is confirmed."""
    first = make_comment(talk, author_name="Ann", author_email="ann@example.org", approved=False)
    EmailAddress.objects.confirm("ann@example.org")
    approve_and_trust(first)
    OutboxEmail.objects.all().delete()
    return TrustedAddress.objects.get()


def with_cookie(client, address):
    """The cookie the confirm and publish pages set, as Django's set_signed_cookie signs it."""
    client.cookies[COOKIE_NAME] = get_cookie_signer(salt=COOKIE_NAME + COOKIE_SALT).sign(address)
    return client


def test_a_trusted_address_with_its_cookie_is_published_at_once(client, talk, trusted):
    with_cookie(client, "ann@example.org")

    response = post_visitor_comment(client, talk, email="ANN@example.org", body="Second")

    comment = Comment.objects.get(body="Second")
    assert comment.approved is True
    assert "Your comment was published: the speaker trusts your address." in flashes(response)
    assert f'id="comment-{comment.pk}"' in CommittingClient().get(f"/talk/{talk.pk}/").text
    assert not OutboxEmail.objects.filter(kind=Kind.MODERATION).exists()


def test_a_trusted_address_without_the_cookie_waits_and_is_emailed_a_publish_link(
    client, talk, trusted
):
    response = post_visitor_comment(client, talk, body="Second")

    comment = Comment.objects.get(body="Second")
    assert comment.approved is False
    assert any("we emailed it a link that publishes your comment" in f for f in flashes(response))
    [message] = emails_to("ann@example.org")
    assert message.subject == '[talks] Publish your comment on "Flask by Example"'
    assert f"/publish/{publish_token(comment)}/" in message.body
    assert not OutboxEmail.objects.filter(kind=Kind.CONFIRM_ADDRESS).exists()


def test_a_cookie_for_another_address_publishes_nothing(client, talk, trusted):
    with_cookie(client, "eve@example.org")

    post_visitor_comment(client, talk, body="Second")

    assert Comment.objects.get(body="Second").approved is False


def test_a_forged_cookie_publishes_nothing(client, talk, trusted):
    client.cookies[COOKIE_NAME] = "ann@example.org:forged"

    post_visitor_comment(client, talk, body="Second")

    assert Comment.objects.get(body="Second").approved is False


def test_trust_is_per_speaker(client, talk, trusted, david):
    davids = make_talk(david, title="David's talk")
    with_cookie(client, "ann@example.org")

    post_visitor_comment(client, davids, body="Elsewhere")

    comment = Comment.objects.get(body="Elsewhere")
    assert comment.approved is False
    assert not OutboxEmail.objects.filter(kind=Kind.PUBLISH_COMMENT).exists()
    assert OutboxEmail.objects.filter(kind=Kind.MODERATION, address="david@example.com").exists()


def test_trust_covers_all_the_speakers_talks(client, talk, trusted, john):
    another = make_talk(john, title="Another of John's")
    with_cookie(client, "ann@example.org")

    post_visitor_comment(client, another, body="There too")

    assert Comment.objects.get(body="There too").approved is True


def test_the_publish_link_shows_on_get_and_changes_nothing(client, talk, trusted):
    post_visitor_comment(client, talk, body="Second")
    link = link_in(emails_to("ann@example.org")[0], "/publish/")
    before = snapshot()

    response = CommittingClient().get(link)

    assert response.status_code == 200
    assert b"Publish your comment?" in response.content
    assert b">Publish</button>" in response.content
    assert COOKIE_NAME not in response.cookies
    assert snapshot() == before


def test_post_on_the_publish_link_publishes_and_sets_the_cookie(client, talk, trusted):
    post_visitor_comment(client, talk, body="Second")
    link = link_in(emails_to("ann@example.org")[0], "/publish/")
    fresh = CommittingClient()

    response = fresh.post(link)

    comment = Comment.objects.get(body="Second")
    assert comment.approved is True
    assert response.status_code == 302
    assert response.cookies[COOKIE_NAME]["httponly"] is True
    # The browser that published is trusted from now on.
    post_visitor_comment(fresh, talk, body="Third")
    assert Comment.objects.get(body="Third").approved is True
    # Publishing your own comment tells you nothing you do not know.
    assert emails_to("ann@example.org", "is published") == []


def test_a_used_publish_link_says_so(client, talk, trusted):
    post_visitor_comment(client, talk, body="Second")
    link = link_in(emails_to("ann@example.org")[0], "/publish/")
    client.post(link)

    response = client.get(link)

    assert b"This comment was already published." in response.content


def test_after_remove_the_publish_link_leaves_the_comment_waiting(client, talk, trusted, john):
    post_visitor_comment(client, talk, body="Second")
    link = link_in(emails_to("ann@example.org")[0], "/publish/")
    client.force_login(john)
    client.post(f"/moderate/trusted/{trusted.pk}/remove/")
    client.logout()

    response = client.post(link, follow=True)

    assert Comment.objects.get(body="Second").approved is False
    assert "The speaker reviews this comment before it is published." in flashes(response)


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_tampered_publish_link_gets_a_friendly_400(client, talk, trusted, method):
    post_visitor_comment(client, talk, body="Second")
    link = link_in(emails_to("ann@example.org")[0], "/publish/")

    response = getattr(client, method)(link[:-5] + "xxxx/")

    assert response.status_code == 400
    assert Comment.objects.get(body="Second").approved is False


def test_remove_ends_trust(client, talk, trusted, john):
    client.force_login(john)

    response = client.post(f"/moderate/trusted/{trusted.pk}/remove/", follow=True)

    assert TrustedAddress.objects.count() == 0
    assert "ann@example.org is no longer trusted: its comments wait for your review." in (
        flashes(response)
    )
    client.logout()
    with_cookie(client, "ann@example.org")
    post_visitor_comment(client, talk, body="After")
    assert Comment.objects.get(body="After").approved is False


def test_another_speaker_cannot_remove_the_trust(client, trusted, david):
    client.force_login(david)

    assert client.post(f"/moderate/trusted/{trusted.pk}/remove/").status_code == 404
    assert client.get(f"/moderate/trusted/{trusted.pk}/remove/").status_code == 405
    assert TrustedAddress.objects.count() == 1


def test_the_trusted_list_needs_a_login(client):
    response = client.get("/moderate/trusted/")

    assert response.status_code == 302
    assert response["Location"] == "/auth/login/?next=/moderate/trusted/"


@pytest.mark.parametrize("size", [1, 15])
def test_the_trusted_list_shows_the_speakers_own_in_constant_queries(
    client, john, david, talk, size, django_assert_num_queries
):
    for number in range(size):
        comment = make_comment(talk, author_email=f"t{number}@example.org", approved=False)
        approve_and_trust(comment)
    davids = make_comment(make_talk(david), author_email="secret@example.org", approved=False)
    approve_and_trust(davids)
    client.force_login(john)

    # session, user, pending badge, the page of trusted addresses with their comments and talks
    with django_assert_num_queries(4):
        response = client.get("/moderate/trusted/")

    html = response.content.decode()
    assert html.count("data-trusted-address") == size
    assert "t0@example.org" in html
    assert "secret@example.org" not in html
    assert "Flask by Example" in html


def test_the_talk_page_button_approves_and_trusts(client, talk, john):
    waiting = make_comment(talk, author_email="bob@example.org", approved=False)
    client.force_login(john)

    page = client.get(f"/talk/{talk.pk}/").content.decode()
    assert f'action="/comments/{waiting.pk}/trust/"' in page
    response = client.post(f"/comments/{waiting.pk}/trust/", {"next": "/moderate/"}, follow=True)

    assert Comment.objects.get(pk=waiting.pk).approved is True
    assert TrustedAddress.objects.get().address == "bob@example.org"
    assert "now trusted on your talks" in " ".join(flashes(response))


def test_another_speaker_cannot_trust_on_johns_talk(client, talk, david):
    waiting = make_comment(talk, author_email="bob@example.org", approved=False)
    client.force_login(david)

    assert client.post(f"/comments/{waiting.pk}/trust/").status_code == 403
    assert TrustedAddress.objects.count() == 0


def test_an_admin_trusts_for_the_talks_author(client, talk, susan, john):
    waiting = make_comment(talk, author_email="bob@example.org", approved=False)
    client.force_login(susan)

    client.post(
        "/admin/talks/comment/",
        {"action": "approve_and_trust_comments", "_selected_action": [waiting.pk]},
    )

    assert Comment.objects.get(pk=waiting.pk).approved is True
    assert TrustedAddress.objects.get().speaker == john
    assert client.get("/admin/talks/trustedaddress/").status_code == 200


def test_the_confirmed_commenter_hears_their_comment_was_published(client, talk, john):
    EmailAddress.objects.confirm("bob@example.org")
    waiting = make_comment(talk, author_name="Bob", author_email="bob@example.org", approved=False)
    client.force_login(john)

    client.post(f"/comments/{waiting.pk}/approve/")
    flush_outbox(now=timezone.now() + datetime.timedelta(hours=2))

    [message] = emails_to("bob@example.org", "is published")
    assert message.subject == '[talks] Your comment on "Flask by Example" is published'
    assert f"https://talks.example.com/comments/{waiting.pk}/" in message.body
    assert "/unsubscribe/" in message.body
    assert message.extra_headers["List-Unsubscribe"].startswith("<https://talks.example.com/")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_an_unconfirmed_commenter_hears_nothing_of_the_publication(talk):
    waiting = make_comment(talk, author_name="Bob", author_email="bob@example.org", approved=False)

    waiting.approve()

    assert not OutboxEmail.objects.filter(kind=Kind.COMMENT_APPROVED).exists()
    assert mail.outbox == []
