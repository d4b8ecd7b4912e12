"""The speaker's voice: pinning one comment, marking questions answered, and the filter of the
unanswered ones; through the buttons (no JavaScript) and through the JSON API."""

import json

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from conftest import make_comment
from talks import services
from talks.api.auth import issue_token
from talks.models import Comment


def api(client, method, comment, mark, token=None):
    body = {"token": token} if token else None
    kwargs = {"data": json.dumps(body), "content_type": "application/json"} if body else {}
    return client.generic(method, f"/api/1.0/comments/{comment.pk}/{mark}", **kwargs)


def shown_ids(response):
    return [comment.pk for comment in response.context["comments_page"]]


@pytest.fixture
def thread(talk, john):
    """Three visitors' questions, one reply, and the speaker's own comment."""
    first = make_comment(talk, author_name="Ann", body="First?")
    second = make_comment(talk, author_name="Bob", body="Second?")
    third = make_comment(talk, author_name="Cy", body="Third?")
    reply = make_comment(talk, parent=first, author=john, body="Answer")
    own = make_comment(talk, author=john, body="Slides are up")
    return first, second, third, reply, own


def test_a_pinned_comment_comes_first_and_pinning_another_moves_the_pin(client, talk, thread):
    first, second, third, _, own = thread

    assert services.pin_comment(third) is None
    assert shown_ids(client.get(talk.get_absolute_url())) == [third.pk, first.pk, second.pk, own.pk]
    assert services.pin_comment(second) == third.pk

    assert list(Comment.objects.filter(pinned=True).values_list("pk", flat=True)) == [second.pk]
    page = client.get(talk.get_absolute_url())
    assert shown_ids(page) == [second.pk, first.pk, third.pk, own.pk]
    assert page.content.decode().count("data-pinned-label>Pinned</span>") == 1


def test_the_database_allows_one_pinned_comment_per_talk(talk, thread):
    first, second, *_ = thread
    Comment.objects.filter(pk=first.pk).update(pinned=True)

    with pytest.raises(IntegrityError), transaction.atomic():
        Comment.objects.filter(pk=second.pk).update(pinned=True)


def test_a_pinned_comments_lasting_link_is_the_first_page(client, settings, talk, thread):
    settings.COMMENTS_PER_PAGE = 2
    first, second, third, _, own = thread
    services.pin_comment(own)

    def link(comment):
        return client.get(reverse("talks:comment", args=[comment.pk]))["Location"]

    assert link(own) == f"{talk.get_absolute_url()}#comment-{own.pk}"
    assert link(first) == f"{talk.get_absolute_url()}#comment-{first.pk}"
    assert link(second) == f"{talk.get_absolute_url()}?page=2#comment-{second.pk}"
    assert link(third) == f"{talk.get_absolute_url()}?page=2#comment-{third.pk}"


def test_replies_and_waiting_comments_are_neither_pinned_nor_marked(talk, thread):
    reply = thread[3]
    waiting = make_comment(talk, approved=False)

    for comment in (reply, waiting):
        with pytest.raises(services.CommentStateError):
            services.pin_comment(comment)
        with pytest.raises(services.CommentStateError):
            services.mark_answered(comment)
    assert Comment.objects.filter(pinned=True).exists() is False
    assert Comment.objects.filter(answered=True).exists() is False


def test_the_unanswered_filter_shows_the_speaker_the_questions_left(john_client, talk, thread):
    first, second, third, _, _own = thread
    services.mark_answered(first)

    response = john_client.get(talk.get_absolute_url(), {"unanswered": "1"})

    assert shown_ids(response) == [second.pk, third.pk]
    assert f'href="/talk/{talk.pk}/#comments">Show all comments' in (response.content.decode())
    services.mark_answered(first, answered=False)
    assert shown_ids(john_client.get(talk.get_absolute_url(), {"unanswered": "1"})) == [
        first.pk,
        second.pk,
        third.pk,
    ]


def test_the_unanswered_filter_is_only_the_speakers(client, david_client, talk, thread):
    for reader in (client, david_client):
        response = reader.get(talk.get_absolute_url(), {"unanswered": "1"})
        assert len(shown_ids(response)) == 4
        assert "Unanswered questions" not in response.content.decode()


def test_the_unanswered_filter_keeps_itself_across_pages(john_client, settings, talk, thread):
    settings.COMMENTS_PER_PAGE = 1

    page = john_client.get(talk.get_absolute_url(), {"unanswered": "1"}).content.decode()

    assert f'href="/talk/{talk.pk}/?unanswered=1&amp;page=2#comments"' in page


# --- Buttons without JavaScript ------------------------------------------------------------


@pytest.mark.parametrize(
    ("action", "field", "value"),
    [("pin", "pinned", True), ("answered", "answered", True)],
)
def test_the_speakers_buttons_set_and_clear_the_marks(
    john_client, talk, thread, action, field, value
):
    first = thread[0]
    url = reverse(f"talks:comment_{action}", args=[first.pk])
    undo = reverse(f"talks:comment_un{action}", args=[first.pk])
    back = f"{talk.get_absolute_url()}?page=1"

    response = john_client.post(url, {"next": back})
    assert response["Location"] == back
    assert getattr(Comment.objects.get(pk=first.pk), field) is value
    john_client.post(undo)
    assert getattr(Comment.objects.get(pk=first.pk), field) is not value


def test_an_admin_may_pin_and_other_speakers_may_not(susan_client, talk, thread):
    first = thread[0]
    assert susan_client.post(reverse("talks:comment_pin", args=[first.pk])).status_code == 302
    assert Comment.objects.get(pk=first.pk).pinned is True

    other = Client()
    other.force_login(talk.author.__class__.objects.create_user("eve", "eve@example.com", "pw"))
    assert other.post(reverse("talks:comment_unpin", args=[first.pk])).status_code == 403
    assert Comment.objects.get(pk=first.pk).pinned is True
    anonymous = Client().post(reverse("talks:comment_unpin", args=[first.pk]))
    assert anonymous.status_code == 302 and "/auth/login/" in anonymous["Location"]


def test_a_refused_button_says_why(john_client, talk, thread):
    reply = thread[3]

    response = john_client.post(reverse("talks:comment_pin", args=[reply.pk]), follow=True)

    assert [str(m) for m in response.context["messages"]] == [
        "A reply cannot be pinned: pin the comment it answers."
    ]


def test_a_visitor_sees_no_speaker_buttons(client, talk, thread):
    page = client.get(talk.get_absolute_url()).content.decode()

    assert "data-speaker-action" not in page


# --- The JSON API --------------------------------------------------------------------------


def test_the_api_pins_moves_and_unpins(client, john, talk, thread):
    first, second, *_ = thread
    token = issue_token(john)

    response = api(client, "PUT", first, "pin", token)
    assert response.json() == {
        "status": "ok",
        "comment": {"id": first.pk, "pinned": True, "answered": False},
        "unpinned": None,
    }
    response = api(client, "PUT", second, "pin", token)
    assert response.json()["unpinned"] == first.pk
    # Repeating a PUT or a DELETE changes nothing and is no error.
    assert api(client, "PUT", second, "pin", token).json()["unpinned"] is None
    assert api(client, "DELETE", first, "pin", token).status_code == 200
    response = api(client, "DELETE", second, "pin", token)
    assert response.json()["comment"] == {"id": second.pk, "pinned": False, "answered": False}
    assert Comment.objects.filter(pinned=True).exists() is False


def test_the_api_marks_answered_with_the_session_and_its_csrf_header(john, talk, thread):
    first = thread[0]
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(john)
    page = browser.get(talk.get_absolute_url())
    token = str(page.context["csrf_token"])

    refused = browser.put(f"/api/1.0/comments/{first.pk}/answered")
    assert refused.status_code == 403
    response = browser.put(f"/api/1.0/comments/{first.pk}/answered", headers={"X-CSRFToken": token})
    assert response.json()["comment"]["answered"] is True
    response = browser.delete(
        f"/api/1.0/comments/{first.pk}/answered/", headers={"X-CSRFToken": token}
    )
    assert response.json()["comment"]["answered"] is False


def test_the_api_refuses_as_approve_does(client, john, david, talk, thread):
    first, _, _, reply, _ = thread
    waiting = make_comment(talk, approved=False)

    def error(response, status):
        assert response.status_code == status
        assert set(response.json()) == {"status", "message"}
        return response.json()["message"]

    error(api(client, "PUT", first, "pin", issue_token(david)), 403)
    error(api(client, "PUT", first, "pin", "forged"), 401)
    error(client.put(f"/api/1.0/comments/{first.pk}/pin"), 400)  # no token, no session
    error(api(client, "PUT", Comment(pk=999999), "answered", issue_token(john)), 404)
    assert error(api(client, "PUT", reply, "answered", issue_token(john)), 400) == (
        "Only a top-level comment can be marked answered, not a reply."
    )
    assert error(api(client, "PUT", waiting, "pin", issue_token(john)), 400) == (
        "A comment waiting for approval cannot be pinned: approve it first."
    )
    error(client.post(f"/api/1.0/comments/{first.pk}/pin"), 405)
    assert Comment.objects.filter(pinned=True).exists() is False
