import datetime
import json
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertHTMLEqual

from conftest import make_comment, make_talk
from talks.models import Comment
from talks.views.comments import USER_POSTED, VISITOR_POSTED

VISITOR = {
    "author_name": "Ann",
    "author_email": "ann@example.org",
    "body": "Great *talk*",
    "notify": "on",
}


def post_url(talk):
    return reverse("talks:comment_create", args=[talk.pk])


def flashes(response):
    return [str(message) for message in response.context["messages"]]


def comment_ids(response):
    return [int(pk) for pk in re.findall(r'<article id="comment-(\d+)"', response.content.decode())]


def numbers(response):
    html = response.content.decode()
    return re.findall(r'class="comment-number" href="#comment-\d+">#(\d+)<', html)


# --- Posting -------------------------------------------------------------------------------


def test_visitor_comment_waits_for_approval(client, talk):
    response = client.post(post_url(talk), VISITOR, follow=True)

    comment = Comment.objects.get()
    assert (comment.author_name, comment.author_email, comment.approved) == (
        "Ann",
        "ann@example.org",
        False,
    )
    assert response.redirect_chain == [(f"/talk/{talk.pk}/#comments", 302)]
    assert flashes(response) == [
        VISITOR_POSTED,
        "To hear of new comments, follow the link we emailed to ann@example.org to confirm it.",
    ]
    assert "after the presenter reviews it" in VISITOR_POSTED
    assert comment_ids(response) == []


def test_user_comment_is_published_at_once_and_the_page_goes_to_it(david_client, talk):
    response = david_client.post(post_url(talk), {"body": "Thanks!"}, follow=True)

    comment = Comment.objects.get()
    assert (comment.author.username, comment.approved, comment.notify) == ("david", True, True)
    assert response.redirect_chain == [(f"/talk/{talk.pk}/#comment-{comment.pk}", 302)]
    assert flashes(response) == [USER_POSTED]
    assert comment_ids(response) == [comment.pk]


def test_a_published_comment_on_a_later_page_redirects_to_that_page(settings, david_client, talk):
    settings.COMMENTS_PER_PAGE = 2
    make_comment(talk)
    make_comment(talk)
    make_comment(talk, approved=False)  # not shown to david, so not counted for his pages

    response = david_client.post(post_url(talk), {"body": "Third"})

    comment = Comment.objects.latest("id")
    assert response["Location"] == f"/talk/{talk.pk}/?page=2#comment-{comment.pk}"


def test_a_visitor_cannot_post_as_a_user_by_adding_fields(client, talk, john):
    client.post(post_url(talk), {**VISITOR, "author": john.pk, "approved": "on"})

    comment = Comment.objects.get()
    assert (comment.author, comment.approved) == (None, False)


def test_an_invalid_comment_re_renders_the_talk_page_with_the_errors(client, talk):
    make_comment(talk, body="Earlier comment")

    response = client.post(post_url(talk), {**VISITOR, "author_email": "nope"})

    assert response.status_code == 200
    assert response.templates[0].name == "talks/talk_detail.html"
    assert response.context["form"].errors == {"author_email": ["Enter a valid email address."]}
    assert 'value="Ann"' in response.content.decode()
    assert len(comment_ids(response)) == 1
    assert Comment.objects.count() == 1


def test_a_filled_honeypot_answers_like_a_visitor_comment_and_stores_nothing(client, talk):
    response = client.post(post_url(talk), {**VISITOR, "website": "http://spam.example"})

    assert Comment.objects.count() == 0
    assert response.status_code == 302
    assert response["Location"] == f"/talk/{talk.pk}/#comments"
    assert flashes(client.get(response["Location"])) == [VISITOR_POSTED]


def test_posting_to_an_unknown_talk_is_404(client, db):
    response = client.post(reverse("talks:comment_create", args=[999]), VISITOR)

    assert response.status_code == 404
    assert Comment.objects.count() == 0


def test_the_posting_address_only_accepts_post(client, talk):
    assert client.get(post_url(talk)).status_code == 405


def test_posting_a_comment_needs_the_csrf_token(talk):
    response = Client(enforce_csrf_checks=True).post(post_url(talk), VISITOR)

    assert response.status_code == 403
    assert Comment.objects.count() == 0


# --- Preview -------------------------------------------------------------------------------


def preview(client, **data):
    return client.post(reverse("talks:comment_preview"), data)


def test_the_preview_renders_the_markdown_without_its_script(client, db):
    text = "# Hi\n\n**bold** <script>alert(1)</script> https://example.com"

    response = preview(client, body=text)

    assert response.status_code == 200
    assert list(response.json()) == ["html"]
    assertHTMLEqual(
        response.json()["html"],
        "<h1>Hi</h1><p><strong>bold</strong> alert(1) "
        '<a href="https://example.com" rel="nofollow">https://example.com</a></p>',
    )


def test_an_empty_preview_is_empty(client, db):
    assert preview(client, body="").json() == {"html": ""}
    assert preview(client).json() == {"html": ""}


def test_the_preview_refuses_more_than_10000_characters_in_json(client, db):
    response = preview(client, body="x" * 10_001)

    assert response.status_code == 400
    assert response.json() == {
        "status": "bad request",
        "message": "A comment can be at most 10,000 characters (this one has 10001).",
    }


def test_the_preview_only_accepts_post(client, db):
    response = client.get(reverse("talks:comment_preview"))

    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert response.json() == {
        "status": "method not allowed",
        "message": "Send the comment text with POST.",
    }


def test_the_preview_checks_the_csrf_token(talk):
    csrf_client = Client(enforce_csrf_checks=True)
    page = csrf_client.get(talk.get_absolute_url()).content.decode()
    # Where static/js/preview.js reads it: the comment form's hidden input.
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]

    refused = csrf_client.post(reverse("talks:comment_preview"), {"body": "hi"})
    accepted = csrf_client.post(
        reverse("talks:comment_preview"), {"body": "hi"}, headers={"X-CSRFToken": token}
    )

    assert refused.status_code == 403
    assert (accepted.status_code, accepted.json()) == (200, {"html": "<p>hi</p>"})


# --- Who sees what -------------------------------------------------------------------------


@pytest.fixture
def thread(talk, susan):
    """One published visitor comment, one published user comment, one waiting comment."""
    return {
        "approved": make_comment(
            talk, author_name="Ann", author_email="ann-secret@example.org", body="approved"
        ),
        "by_user": make_comment(talk, author=susan, body="by a user"),
        "pending": make_comment(
            talk,
            approved=False,
            author_name="Bob",
            author_email="bob-secret@example.org",
            body="pending",
        ),
    }


def test_visitors_see_only_approved_comments_and_no_email(client, talk, thread):
    response = client.get(talk.get_absolute_url())
    html = response.content.decode()

    assert comment_ids(response) == [thread["approved"].pk, thread["by_user"].pk]
    assert "ann-secret@example.org" not in html
    assert "bob-secret@example.org" not in html
    assert "susan@example.com" not in html
    assert "pending" not in re.sub(r"<form.*?</form>", "", html, flags=re.S).lower()
    assert 'data-moderate="PUT"' not in html


def test_another_speaker_sees_what_visitors_see(david_client, talk, thread):
    response = david_client.get(talk.get_absolute_url())
    html = response.content.decode()

    assert comment_ids(response) == [thread["approved"].pk, thread["by_user"].pk]
    assert "secret@example.org" not in html
    assert 'data-moderate="PUT"' not in html


@pytest.mark.parametrize("moderator", ["john_client", "susan_client"])
def test_the_talks_author_and_admins_see_waiting_comments_emails_and_buttons(
    request, moderator, talk, thread
):
    client = request.getfixturevalue(moderator)

    response = client.get(talk.get_absolute_url())
    html = response.content.decode()

    pending = thread["pending"]
    assert comment_ids(response) == [thread["approved"].pk, thread["by_user"].pk, pending.pk]
    assert html.count("ann-secret@example.org") == 2  # the mailto: link and its text
    assert html.count("bob-secret@example.org") == 3  # and the "Approve and trust" button
    assert "susan@example.com" not in html  # a user's account email is never shown
    assert html.count('data-moderate="PUT"') == 1
    assert f'data-api-url="/api/1.0/comments/{pending.pk}"' in html
    assert html.count("Waiting for approval") == 1


def test_the_comment_html_is_the_stored_sanitised_html(client, talk):
    make_comment(talk, body="**bold** <img src=x onerror=alert(1)>")

    html = client.get(talk.get_absolute_url()).content.decode()

    assert "<p><strong>bold</strong> </p>" in html
    assert "onerror" not in html


def test_comments_are_numbered_oldest_first(client, talk):
    now = timezone.now()
    newer = make_comment(talk, created_at=now)
    older = make_comment(talk, created_at=now - datetime.timedelta(hours=1))

    response = client.get(talk.get_absolute_url())

    assert comment_ids(response) == [older.pk, newer.pk]
    assert numbers(response) == ["1", "2"]


def test_comments_are_paged_and_numbered_across_pages(settings, client, talk):
    settings.COMMENTS_PER_PAGE = 2
    comments = [make_comment(talk) for _ in range(5)]

    first = client.get(talk.get_absolute_url())
    third = client.get(talk.get_absolute_url() + "?page=3")

    assert comment_ids(first) == [comments[0].pk, comments[1].pk]
    assert numbers(first) == ["1", "2"]
    assert f'href="/talk/{talk.pk}/?page=2#comments" rel="next"' in first.content.decode()
    assert comment_ids(third) == [comments[4].pk]
    assert numbers(third) == ["5"]
    assert f'href="/talk/{talk.pk}/?page=2#comments" rel="prev"' in third.content.decode()
    assert client.get(talk.get_absolute_url() + "?page=4").status_code == 404
    assert client.get(talk.get_absolute_url() + "?page=x").status_code == 404


def test_the_comment_form_on_a_later_page_posts_back_to_that_page(settings, client, talk):
    settings.COMMENTS_PER_PAGE = 1
    make_comment(talk)
    make_comment(talk)

    html = client.get(talk.get_absolute_url() + "?page=2").content.decode()

    assert f'action="/talk/{talk.pk}/comments/?page=2"' in html


def test_the_talk_page_shows_the_visitor_form_or_the_users_form(client, talk, david):
    visitor_html = client.get(talk.get_absolute_url()).content.decode()
    client.force_login(david)
    user_html = client.get(talk.get_absolute_url()).content.decode()

    assert 'name="author_email"' in visitor_html
    assert 'name="website"' in visitor_html
    assert 'name="author_email"' not in user_html
    assert 'name="body"' in user_html


# --- Rules on the querysets ----------------------------------------------------------------


def test_a_talks_approved_comments_are_exactly_the_approved_ones(talk):
    approved = make_comment(talk, approved=True)
    make_comment(talk, approved=False)

    assert list(talk.comments.approved()) == [approved]


def test_the_thread_shows_waiting_comments_only_to_those_who_manage_the_talk(
    talk, john, susan, david
):
    approved = make_comment(talk)
    pending = make_comment(talk, approved=False)
    make_comment(make_talk(david), approved=False)

    assert list(Comment.objects.thread(talk, AnonymousUser())) == [approved]
    assert list(Comment.objects.thread(talk, david)) == [approved]
    assert list(Comment.objects.thread(talk, john)) == [approved, pending]
    assert list(Comment.objects.thread(talk, susan)) == [approved, pending]


def test_up_to_counts_a_comments_place_in_its_thread(talk):
    now = timezone.now()
    first = make_comment(talk, created_at=now)
    second = make_comment(talk, created_at=now)  # same moment: the id breaks the tie
    third = make_comment(talk, created_at=now + datetime.timedelta(seconds=1))

    thread = Comment.objects.filter(talk=talk)
    assert [thread.up_to(c).count() for c in (first, second, third)] == [1, 2, 3]


def test_the_preview_json_is_plain_json(client, db):
    response = preview(client, body="*a*")

    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content) == {"html": "<p><em>a</em></p>"}


# --- A comment's lasting link: emails and feeds point here -----------------------------------


def comment_link(comment):
    return reverse("talks:comment", args=[comment.pk])


def test_a_comments_link_goes_to_the_page_of_its_talk_that_shows_it(settings, client, talk):
    settings.COMMENTS_PER_PAGE = 2
    first, _second, third = (make_comment(talk, body=f"Number {n}") for n in range(3))

    assert first.get_absolute_url() == f"/comments/{first.pk}/"
    assert client.get(comment_link(first)).url == f"/talk/{talk.pk}/#comment-{first.pk}"
    assert client.get(comment_link(third)).url == f"/talk/{talk.pk}/?page=2#comment-{third.pk}"


def test_a_waiting_comments_link_counts_the_page_as_its_author_sees_it(settings, john_client, talk):
    settings.COMMENTS_PER_PAGE = 2
    make_comment(talk, approved=False)
    make_comment(talk)
    waiting = make_comment(talk, approved=False)

    response = john_client.get(comment_link(waiting))

    assert response.url == f"/talk/{talk.pk}/?page=2#comment-{waiting.pk}"


def test_a_waiting_comments_link_asks_a_visitor_to_log_in_first(client, talk):
    waiting = make_comment(talk, approved=False)

    response = client.get(comment_link(waiting))

    assert response.status_code == 302
    assert response.url == f"{reverse('accounts:login')}?next=/comments/{waiting.pk}/"


def test_a_waiting_comment_is_not_found_by_another_speaker(david_client, talk):
    waiting = make_comment(talk, approved=False)

    assert david_client.get(comment_link(waiting)).status_code == 404


def test_the_link_of_a_deleted_comment_is_a_friendly_404(client, talk):
    comment = make_comment(talk)
    url = comment_link(comment)
    comment.delete()

    response = client.get(url)

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
