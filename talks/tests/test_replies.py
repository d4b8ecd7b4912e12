"""Replies: one level deep, moderated like any comment, shown inside the comment they answer."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from conftest import make_comment, make_talk
from talks.forms import REPLY_REFUSED
from talks.models import Comment

VISITOR = {
    "author_name": "Ann",
    "author_email": "ann@example.org",
    "body": "Me too",
    "notify": "on",
}


def post_url(talk):
    return reverse("talks:comment_create", args=[talk.pk])


def html(response):
    return response.content.decode()


def nested_ids(response, parent):
    """The ids of the comments whose <article> sits inside `parent`'s."""
    page = html(response)
    start = page.index(f'<article id="comment-{parent.pk}"')
    depth, inside = 0, []
    for match in re.finditer(r'<article id="comment-(\d+)"|</article>', page[start:]):
        if match[0] == "</article>":
            depth -= 1
            if depth == 0:
                break
        else:
            depth += 1
            if depth == 2:
                inside.append(int(match[1]))
    return inside


@pytest.fixture
def question(talk):
    return make_comment(talk, author_name="Bob", author_email="bob@example.org", body="Why?")


def test_a_visitors_reply_waits_and_only_moderators_see_it_under_its_comment(
    client, john, talk, question
):
    moderator = Client()
    moderator.force_login(john)
    response = client.post(post_url(talk), {**VISITOR, "parent": str(question.pk)})

    reply = Comment.objects.get(parent=question)
    assert (reply.approved, reply.talk_id, reply.body) == (False, talk.pk, "Me too")
    assert response.status_code == 302
    assert nested_ids(client.get(talk.get_absolute_url()), question) == []
    assert nested_ids(moderator.get(talk.get_absolute_url()), question) == [reply.pk]


def test_a_users_reply_is_published_and_shown_inside_its_comment(david_client, talk, question):
    response = david_client.post(post_url(talk), {"body": "Because", "parent": question.pk})

    reply = Comment.objects.get(parent=question)
    assert reply.approved is True
    assert response["Location"] == f"{talk.get_absolute_url()}#comment-{reply.pk}"
    page = david_client.get(talk.get_absolute_url())
    assert nested_ids(page, question) == [reply.pk]
    # Replies carry no number of their own: the numbers count top-level comments.
    assert re.findall(r'class="comment-number" href="#comment-(\d+)"', html(page)) == [
        str(question.pk)
    ]


def test_a_reply_to_a_reply_joins_the_top_level_comment(david_client, john, talk, question):
    first = make_comment(talk, parent=question, author=john, body="First answer")

    david_client.post(post_url(talk), {"body": "Answering John", "parent": first.pk})

    second = Comment.objects.get(body="Answering John")
    assert second.parent_id == question.pk
    page = david_client.get(talk.get_absolute_url())
    assert nested_ids(page, question) == [first.pk, second.pk]


@pytest.mark.parametrize(
    "parent",
    ["abc", "-1", "1.5", "99999999999999999999999", "1e3", "٣", " "],
    ids=["letters", "negative", "decimal", "huge", "exponent", "arabic-digit", "blank-ish"],
)
def test_a_reply_to_no_comment_at_all_is_refused_with_a_form_error(client, talk, parent):
    response = client.post(post_url(talk), {**VISITOR, "parent": parent})

    if parent == " ":  # stripped to nothing: a plain comment
        assert response.status_code == 302
        assert Comment.objects.get().parent_id is None
        return
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [REPLY_REFUSED]
    assert Comment.objects.exists() is False


def test_replies_to_missing_unpublished_or_other_talks_comments_are_refused(client, john, talk):
    other_talk = make_talk(john, title="Another talk")
    elsewhere = make_comment(other_talk)
    waiting = make_comment(talk, approved=False)
    gone = make_comment(talk)
    gone_pk = gone.pk
    gone.delete()

    for parent in (elsewhere.pk, waiting.pk, gone_pk):
        response = client.post(post_url(talk), {**VISITOR, "parent": str(parent)})
        assert response.status_code == 200
        assert response.context["form"].non_field_errors() == [REPLY_REFUSED]
        # Sent back without the refused parent, so sending it again posts a plain comment.
        assert 'name="parent" value=""' in html(response) or 'name="parent" id' in html(response)
    assert Comment.objects.filter(body="Me too").exists() is False


def test_a_reply_link_without_javascript_fills_the_form_and_names_who_is_answered(
    client, talk, question
):
    response = client.get(talk.get_absolute_url(), {"reply": question.pk})

    form = response.context["form"]
    assert form.replying_to == question
    assert form.initial["parent"] == str(question.pk)
    page = html(response)
    assert f'name="parent" value="{question.pk}"' in page
    assert re.search(r"Replying to\s*<span data-reply-name>Bob</span>", page)
    assert f'href="?reply={question.pk}#comment-form"' in page


def test_a_reply_link_to_a_comment_that_cannot_be_answered_shows_the_plain_form(client, talk):
    waiting = make_comment(talk, approved=False)

    for value in (str(waiting.pk), "nope", "9" * 30):
        response = client.get(talk.get_absolute_url(), {"reply": value})
        assert response.status_code == 200
        assert response.context["form"].replying_to is None


def test_a_reply_filling_the_honeypot_is_dropped(client, talk, question):
    response = client.post(
        post_url(talk), {**VISITOR, "parent": question.pk, "website": "http://spam"}
    )

    assert response.status_code == 302
    assert Comment.objects.filter(parent=question).exists() is False


def test_pages_count_top_level_comments_each_with_all_its_replies(client, settings, john, talk):
    settings.COMMENTS_PER_PAGE = 2
    first, second, third = (make_comment(talk, body=f"Top {n}") for n in range(3))
    replies = [make_comment(talk, parent=first, author=john, body=f"R{n}") for n in range(3)]
    late_reply = make_comment(talk, parent=third, author=john, body="Late")

    page_one = client.get(talk.get_absolute_url())
    page_two = client.get(talk.get_absolute_url(), {"page": 2})

    assert [c.pk for c in page_one.context["comments_page"]] == [first.pk, second.pk]
    assert nested_ids(page_one, first) == [reply.pk for reply in replies]
    assert [c.pk for c in page_two.context["comments_page"]] == [third.pk]
    assert nested_ids(page_two, third) == [late_reply.pk]
    # A reply's lasting link finds the page of its top-level comment.
    link = client.get(reverse("talks:comment", args=[late_reply.pk]))
    assert link["Location"] == f"{talk.get_absolute_url()}?page=2#comment-{late_reply.pk}"
    link = client.get(reverse("talks:comment", args=[replies[2].pk]))
    assert link["Location"] == f"{talk.get_absolute_url()}#comment-{replies[2].pk}"


def test_a_comment_by_the_talks_author_carries_the_speaker_badge(client, john, david, talk):
    make_comment(talk, author=john, body="From the stage")
    make_comment(talk, author=david, body="From the floor")
    make_comment(talk, author_name="John", author_email=john.email, body="A visitor, as john")

    page = html(client.get(talk.get_absolute_url()))

    assert page.count(">Speaker</span>") == 1
    badge = page.index(">Speaker</span>")
    assert page.rindex("<article", 0, badge) == page.index(
        f'<article id="comment-{Comment.objects.get(body="From the stage").pk}"'
    )


def test_the_admin_form_refuses_a_reply_to_a_reply_or_to_another_talk(john, talk, question):
    from django.core.exceptions import ValidationError

    reply = make_comment(talk, parent=question)
    for parent in (reply, make_comment(make_talk(john, title="Other"))):
        comment = Comment(talk=talk, parent=parent, author=john, body="x")
        with pytest.raises(ValidationError) as error:
            comment.clean()
        assert list(error.value.message_dict) == ["parent"]
