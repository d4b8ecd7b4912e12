"""The moderation email's links: no login, GET shows, POST acts, signed for one speaker."""

import pytest
from django.core import mail

from conftest import make_comment, make_talk
from talks.models import Comment, EmailAddress, OutboxEmail, TrustedAddress
from talks.moderation_links import make_token, moderation_url
from talks.notifications.outbox import flush_outbox
from talks.tests.inbox_helpers import CommittingClient, snapshot

pytestmark = pytest.mark.django_db
SITE = "https://talks.example.com"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE
    settings.MAIL_FLUSH_INTERVAL = 0


@pytest.fixture
def client():
    return CommittingClient()


@pytest.fixture
def waiting(talk):
    return make_comment(
        talk, author_name="Ann", author_email="Ann@example.org", approved=False, body="Hi *all*"
    )


def path(comment, action, speaker):
    return moderation_url(comment, action, speaker).removeprefix(SITE)


def test_the_moderation_email_carries_the_three_links(talk, waiting, john):
    flush_outbox()

    [message] = [m for m in mail.outbox if m.to == ["john@example.com"]]
    for action in ("approve", "delete", "trust"):
        assert moderation_url(waiting, action, john) in message.body
    assert "Approve and trust Ann@example.org: " in message.body


@pytest.mark.parametrize(
    ("action", "heading", "button"),
    [
        ("approve", "Approve this comment?", ">Approve</button>"),
        ("delete", "Delete this comment?", ">Delete</button>"),
        (
            "trust",
            "Approve this comment and trust Ann@example.org?",
            ">Approve and trust Ann@example.org</button>",
        ),
    ],
)
def test_get_shows_the_comment_and_one_button_and_changes_nothing(
    client, waiting, john, action, heading, button
):
    before = snapshot()

    response = client.get(path(waiting, action, john))

    assert response.status_code == 200
    html = response.content.decode()
    assert heading in html
    assert "Hi <em>all</em>" in html
    # One button in the page itself; the footer's language switcher has its own.
    assert html.split("<main")[1].split("</main>")[0].count("<button") == 1
    assert button in html
    assert snapshot() == before


def test_post_approve_publishes_without_a_login(client, waiting, john):
    response = client.post(path(waiting, "approve", john))

    assert response.status_code == 200
    assert b"The comment was approved." in response.content
    assert Comment.objects.get(pk=waiting.pk).approved is True
    assert TrustedAddress.objects.count() == 0


def test_post_delete_deletes(client, waiting, john):
    response = client.post(path(waiting, "delete", john))

    assert response.status_code == 200
    assert b"The comment was deleted." in response.content
    assert not Comment.objects.filter(pk=waiting.pk).exists()


def test_post_trust_approves_and_trusts_the_address_for_that_speaker(client, waiting, john):
    response = client.post(path(waiting, "trust", john))

    assert response.status_code == 200
    assert b"now trusted on your talks" in response.content
    assert Comment.objects.get(pk=waiting.pk).approved is True
    trusted = TrustedAddress.objects.get()
    assert (trusted.speaker, trusted.address, trusted.from_comment_id) == (
        john,
        "ann@example.org",
        waiting.pk,
    )


def test_approving_from_the_email_notifies_like_any_approval(client, talk, waiting, john):
    make_comment(talk, author_name="Bob", author_email="bob@example.org")
    EmailAddress.objects.confirm("bob@example.org")
    flush_outbox()  # Ann's confirmation, and the review email
    mail.outbox.clear()

    client.post(path(waiting, "approve", john))

    assert [m.to for m in mail.outbox] == [["bob@example.org"]]
    assert mail.outbox[0].subject == '[talks] New comment on "Flask by Example"'


@pytest.mark.parametrize("action", ["approve", "delete", "trust"])
def test_a_used_link_says_the_comment_was_already_approved(client, waiting, john, action):
    waiting.approve()
    before = snapshot()

    for method in (client.get, client.post):
        response = method(path(waiting, action, john))
        assert response.status_code == 200
        assert b"This comment was already approved." in response.content
        assert b'<form method="post">' not in response.content
    assert snapshot() == before


@pytest.mark.parametrize("action", ["approve", "delete", "trust"])
def test_a_used_link_says_the_comment_was_already_deleted(client, waiting, john, action):
    link = path(waiting, action, john)
    waiting.delete()

    for method in (client.get, client.post):
        response = method(link)
        assert response.status_code == 404
        assert b"This comment was already deleted." in response.content


def bad_links(waiting, john, david):
    token = make_token(waiting, "approve", john)
    # The last digit changed, whatever it was.
    tampered = token[:-1] + ("1" if token.endswith("0") else "0")
    return {
        "tampered": f"/moderate/email/{waiting.pk}/approve/{tampered}/",
        "truncated": f"/moderate/email/{waiting.pk}/approve/{token[:20]}/",
        "another action's": f"/moderate/email/{waiting.pk}/approve/"
        f"{make_token(waiting, 'delete', john)}/",
        "another speaker's": path(waiting, "approve", david),
        "unknown action": f"/moderate/email/{waiting.pk}/publish/{token}/",
    }


@pytest.mark.parametrize(
    "kind", ["tampered", "truncated", "another action's", "another speaker's", "unknown action"]
)
def test_a_bad_link_gets_a_friendly_400_and_changes_nothing(client, waiting, john, david, kind):
    link = bad_links(waiting, john, david)[kind]
    before = snapshot()

    for method in (client.get, client.post):
        response = method(link)
        assert response.status_code == 400
        assert b"This link is not valid" in response.content
    assert snapshot() == before


def test_a_link_for_another_talks_comment_is_refused(client, waiting, john):
    other_talk = make_talk(john, title="Other")
    other = make_comment(other_talk, author_email="x@example.org", approved=False)
    token = make_token(waiting, "approve", john)

    response = client.post(f"/moderate/email/{other.pk}/approve/{token}/")

    assert response.status_code == 400
    assert Comment.objects.get(pk=other.pk).approved is False


def test_a_password_change_revokes_the_links(client, waiting, john):
    link = path(waiting, "approve", john)
    john.set_password("a new one entirely")
    john.save()

    response = client.post(link)

    assert response.status_code == 400
    assert Comment.objects.get(pk=waiting.pk).approved is False


def test_a_link_never_expires(waiting, john):
    """No timestamp goes into the token: the same one is made whenever it is asked for."""
    assert make_token(waiting, "approve", john) == make_token(waiting, "approve", john)


def test_a_rotated_secret_key_keeps_links_signed_with_a_fallback(client, waiting, john, settings):
    link = path(waiting, "approve", john)
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a brand new key " * 4

    assert client.post(link).status_code == 200


def test_the_outbox_holds_one_review_email_per_talk_not_per_link(waiting):
    assert OutboxEmail.objects.filter(kind=OutboxEmail.Kind.MODERATION).count() == 1
