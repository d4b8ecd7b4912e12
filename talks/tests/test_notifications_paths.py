"""Every way of posting and approving a comment notifies the same people, once it commits."""

import pytest
from django.core import mail
from django.test import Client

from conftest import make_comment
from talks.api.auth import issue_token
from talks.models import Comment, OutboxEmail

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("confirmed_visitors")]


@pytest.fixture(autouse=True)
def _send_at_once(settings):
    settings.MAIL_FLUSH_INTERVAL = 0


@pytest.fixture
def waiting(talk):
    """Ann and Bob follow the talk; Cy's comment waits for review (its email already went)."""
    make_comment(talk, author_name="Ann", author_email="ann@example.org")
    make_comment(talk, author_name="Bob", author_email="bob@example.org")
    comment = make_comment(
        talk, author_name="Cy", author_email="cy@example.org", approved=False, body="Cy & co"
    )
    OutboxEmail.objects.all().delete()
    return comment


def approve_through_the_api(client, john, susan, comment):
    token = issue_token(john)
    return client.put(
        f"/api/1.0/comments/{comment.pk}", headers={"Authorization": f"Bearer {token}"}
    )


def approve_through_the_api_with_a_token_in_the_body(client, john, susan, comment):
    token = issue_token(susan)
    return client.put(
        f"/api/1.0/comments/{comment.pk}", f'{{"token": "{token}"}}', "application/json"
    )


def approve_with_the_moderation_button(client, john, susan, comment):
    client.force_login(john)
    return client.post(f"/comments/{comment.pk}/approve/", {"next": "/moderate/"})


def approve_with_the_admin_action(client, john, susan, comment):
    client.force_login(susan)
    return client.post(
        "/admin/talks/comment/",
        {"action": "approve_comments", "_selected_action": [comment.pk]},
    )


@pytest.mark.parametrize(
    "approve",
    [
        approve_through_the_api,
        approve_through_the_api_with_a_token_in_the_body,
        approve_with_the_moderation_button,
        approve_with_the_admin_action,
    ],
)
def test_every_approval_path_tells_the_followers_once_and_nobody_else(
    approve, client, john, susan, waiting, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = approve(client, john, susan, waiting)

    assert response.status_code in (200, 302)
    assert Comment.objects.get(pk=waiting.pk).approved is True
    assert len(callbacks) == 1
    assert sorted((message.to[0], message.subject) for message in mail.outbox) == [
        ("ann@example.org", '[talks] New comment on "Flask by Example"'),
        ("bob@example.org", '[talks] New comment on "Flask by Example"'),
        ("cy@example.org", '[talks] Your comment on "Flask by Example" is published'),
    ]
    for message in mail.outbox:
        assert f"/comments/{waiting.pk}/" in message.body
        assert "  Cy & co\n" in message.body


def test_approving_twice_through_the_api_tells_nobody_twice(
    client, john, waiting, django_capture_on_commit_callbacks
):
    headers = {"Authorization": f"Bearer {issue_token(john)}"}
    with django_capture_on_commit_callbacks(execute=True):
        client.put(f"/api/1.0/comments/{waiting.pk}", headers=headers)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.put(f"/api/1.0/comments/{waiting.pk}", headers=headers)

    assert response.status_code == 400
    assert callbacks == []
    assert len(mail.outbox) == 3  # the two followers, and Cy told of the publication


def test_a_visitor_posting_through_the_form_asks_the_speaker_to_review(
    talk, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(
            f"/talk/{talk.pk}/comments/",
            {
                "author_name": "Vi",
                "author_email": "vi@example.org",
                "body": "Q & A?",
                "notify": "on",
            },
        )

    assert response.status_code == 302
    [message] = mail.outbox
    assert message.to == ["john@example.com"]
    assert message.subject == '[talks] Comment waiting for your review on "Flask by Example"'
    assert "  Q & A?\n" in message.body


def test_a_speaker_posting_through_the_form_tells_the_followers_at_once(
    talk, david, django_capture_on_commit_callbacks
):
    make_comment(talk, author_name="Ann", author_email="ann@example.org")
    client = Client()
    client.force_login(david)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/talk/{talk.pk}/comments/", {"body": "From the floor"})

    assert response.status_code == 302
    assert [message.to for message in mail.outbox] == [["ann@example.org"]]


def test_a_spam_post_caught_by_the_honeypot_mails_nobody(talk, django_capture_on_commit_callbacks):
    make_comment(talk, author_name="Ann", author_email="ann@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        Client().post(
            f"/talk/{talk.pk}/comments/",
            {
                "author_name": "Bot",
                "author_email": "bot@example.org",
                "body": "Buy",
                "notify": "on",
                "website": "http://spam.example",
            },
        )

    assert mail.outbox == []
    assert OutboxEmail.objects.count() == 0
