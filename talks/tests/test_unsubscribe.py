"""Unsubscribe links: tokens, the confirm page, the one-click POST and bad links."""

import datetime
import re
import time

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains

from conftest import make_comment, make_talk
from talks.models import Comment, OutboxEmail
from talks.notifications.outbox import flush_outbox
from talks.notifications.unsubscribe import make_token, read_token, unsubscribe

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("confirmed_visitors")]


@pytest.fixture
def csrf_client():
    """A client that enforces CSRF, as a mail client's one-click POST meets it."""
    return Client(enforce_csrf_checks=True)


@pytest.fixture
def thread(talk, john):
    """Talk t with comments by e@e.com (two) and e2@e2.com (one), notify on, and another talk."""
    other = make_talk(john, title="Another talk")
    return {
        "e1": make_comment(talk, author_name="n1", author_email="e@e.com"),
        "e2": make_comment(talk, author_name="n2", author_email="e2@e2.com"),
        "e3": make_comment(talk, author_name="n1", author_email="E@e.com"),
        "elsewhere": make_comment(other, author_name="n1", author_email="e@e.com"),
        "other": other,
    }


def is_queued(address, talk):
    """Whether an email to `address` (stored lower-cased) about `talk` waits to go out."""
    return OutboxEmail.objects.pending().filter(address=address, talk=talk).exists()


def url(address, talk_id):
    return reverse("talks:unsubscribe", args=[make_token(address, talk_id)])


def notify_flags(thread):
    return {
        name: Comment.objects.get(pk=comment.pk).notify
        for name, comment in thread.items()
        if isinstance(comment, Comment)
    }


ALL_ON = {"e1": True, "e2": True, "e3": True, "elsewhere": True}


def test_a_token_reads_back_to_its_address_and_talk():
    assert read_token(make_token("Ann@Example.org", 42)) == ("ann@example.org", 42)


def test_a_token_is_the_same_whenever_it_is_made_so_it_never_expires(monkeypatch):
    """No timestamp goes into it: a link from a years-old email still works."""
    today = make_token("ann@example.org", 42)
    ten_years = 10 * 365 * 24 * 3600
    later = time.time() + ten_years
    monkeypatch.setattr(time, "time", lambda: later)

    assert make_token("ann@example.org", 42) == today
    assert read_token(today) == ("ann@example.org", 42)


def test_garbage_and_tampered_tokens_read_as_nothing():
    token = make_token("ann@example.org", 42)
    payload, signature = token.split(":")
    other_payload = make_token("eve@example.org", 42).split(":")[0]

    assert read_token("garbage") is None
    assert read_token("") is None
    tampered = signature[:-1] + ("B" if signature.endswith("A") else "A")
    assert read_token(f"{payload}:{tampered}") is None
    assert read_token(f"{other_payload}:{signature}") is None


def test_rotating_the_secret_key_revokes_every_token(settings):
    token = make_token("ann@example.org", 42)

    settings.SECRET_KEY = "another-secret-key-entirely-" * 2

    assert read_token(token) is None


def test_unsubscribing_turns_notify_off_for_that_address_on_that_talk_only(thread, talk):
    assert unsubscribe("e@e.com", talk.pk) == 2

    assert notify_flags(thread) == {"e1": False, "e2": True, "e3": False, "elsewhere": True}


def test_unsubscribing_drops_only_that_talks_pending_email(thread, talk):
    make_comment(talk, author_email="new@example.org", notify=False)
    make_comment(thread["other"], author_email="new@example.org", notify=False)
    assert is_queued("e@e.com", talk) is True

    unsubscribe("E@E.com", talk.pk)

    assert is_queued("e@e.com", talk) is False
    assert is_queued("e2@e2.com", talk) is True
    assert is_queued("e@e.com", thread["other"]) is True


def test_a_user_is_unsubscribed_by_their_account_address(talk, david):
    by_david = make_comment(talk, author=david)

    assert unsubscribe("DAVID@example.com", talk.pk) == 1
    assert Comment.objects.get(pk=by_david.pk).notify is False


def test_an_unsubscribed_address_is_not_told_of_the_next_comment(thread, talk):
    unsubscribe("e@e.com", talk.pk)

    new = make_comment(talk, author_email="new@example.org")

    assert [recipient.address for recipient in new.recipients()] == ["e2@e2.com"]


def test_a_token_for_a_talk_that_was_never_saved_unsubscribes_nobody(thread):
    assert unsubscribe("e@e.com", 999999) == 0
    assert notify_flags(thread) == ALL_ON


def test_get_shows_a_confirm_button_and_changes_nothing(client, thread, talk):
    make_comment(talk, author_email="new@example.org", notify=False)

    response = client.get(url("e@e.com", talk.pk))

    assert response.status_code == 200
    assert response.templates[0].name == "talks/unsubscribe.html"
    assertContains(
        response,
        '<form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click">'
        '<button type="submit" class="btn btn-primary">Unsubscribe</button>'
        f'<a class="btn btn-link" href="/talk/{talk.pk}/">Keep them coming</a></form>',
        html=True,
    )
    assert b"e@e.com will get no more emails about new comments on" in response.content
    assert notify_flags(thread) == ALL_ON
    assert is_queued("e@e.com", talk) is True


def test_the_confirm_button_unsubscribes(csrf_client, thread, talk):
    response = csrf_client.post(url("e@e.com", talk.pk), {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    assert response.templates[0].name == "talks/unsubscribe_done.html"
    assert notify_flags(thread) == {"e1": False, "e2": True, "e3": False, "elsewhere": True}


def test_a_mail_clients_one_click_post_unsubscribes_without_a_csrf_token(csrf_client, thread, talk):
    make_comment(talk, author_email="new@example.org", notify=False)

    response = csrf_client.post(
        url("e@e.com", talk.pk),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    assert notify_flags(thread) == {"e1": False, "e2": True, "e3": False, "elsewhere": True}
    assert is_queued("e@e.com", talk) is False


def test_unsubscribing_twice_is_harmless(csrf_client, thread, talk):
    csrf_client.post(url("e@e.com", talk.pk))

    response = csrf_client.post(url("e@e.com", talk.pk))

    assert response.status_code == 200
    assert notify_flags(thread)["e2"] is True


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_garbage_token_gets_a_friendly_400_and_changes_nothing(client, thread, method):
    response = getattr(client, method)("/unsubscribe/not-a-token/")

    assert response.status_code == 400
    assert b"This unsubscribe link is not valid" in response.content
    assert notify_flags(thread) == ALL_ON


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_tampered_token_gets_a_friendly_400_and_changes_nothing(client, thread, talk, method):
    signature = make_token("e2@e2.com", talk.pk).split(":")[1]
    forged = make_token("e@e.com", talk.pk).split(":")[0] + ":" + signature

    response = getattr(client, method)(f"/unsubscribe/{forged}/")

    assert response.status_code == 400
    assert b"This unsubscribe link is not valid" in response.content
    assert notify_flags(thread) == ALL_ON


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_token_for_a_talk_that_is_gone_gets_a_friendly_404(client, thread, method):
    response = getattr(client, method)(url("e@e.com", 999999))

    assert response.status_code == 404
    assert b"Nothing to unsubscribe from" in response.content
    assert notify_flags(thread) == ALL_ON


def test_other_methods_are_not_allowed(client, talk):
    assert client.put(url("e@e.com", talk.pk)).status_code == 405
    assert client.delete(url("e@e.com", talk.pk)).status_code == 405


def test_the_link_in_an_email_leads_to_unsubscribing(client, thread, talk, settings):
    settings.MAIL_FLUSH_INTERVAL = 0
    make_comment(talk, author_email="new@example.org", notify=False)
    flush_outbox(now=timezone.now() + datetime.timedelta(seconds=1))
    [message] = [m for m in mail.outbox if m.to == ["e@e.com"]]
    link = re.search(r"Stop them \(for this talk only\): (\S+)", message.body).group(1)
    path = link.removeprefix(settings.SITE_URL)
    header = message.extra_headers["List-Unsubscribe"]

    assert header == f"<{link}>"
    assert client.get(path).status_code == 200
    one_click = client.post(path, "List-Unsubscribe=One-Click", content_type="text/plain")
    assert one_click.status_code == 200
    assert notify_flags(thread) == {"e1": False, "e2": True, "e3": False, "elsewhere": True}
