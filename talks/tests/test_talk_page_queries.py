"""The number of queries on the comment pages does not grow with the comments on them, nor
with their replies."""

import pytest
from django.urls import reverse

from conftest import make_comment, make_talk, make_user


def fill(talk, count, *, replies=True):
    """`count` rounds of: a visitor's comment (a third of them waiting), a user's comment, and
    (with `replies`) a published and a waiting reply to the user's comment."""
    users = [make_user(f"reader{talk.pk}-{i}") for i in range(3)]
    for i in range(count):
        make_comment(talk, approved=i % 3 != 0, author_email=f"v{i}@example.org")
        top = make_comment(talk, author=users[i % len(users)])
        if replies:
            make_comment(talk, parent=top, author=users[(i + 1) % len(users)])
            make_comment(talk, parent=top, approved=False, author_email=f"r{i}@example.org")


@pytest.fixture(params=[1, 30], ids=["few", "many"])
def size(request):
    return request.param


def test_talk_page_queries_for_a_visitor(client, talk, size, django_assert_num_queries):
    fill(talk, size)

    # The talk with its author, one page of top-level comments with theirs, their replies.
    with django_assert_num_queries(3):
        response = client.get(talk.get_absolute_url())
    assert response.status_code == 200
    shown = response.content.decode()
    assert shown.count('class="comment comment-reply"') == size


def test_a_page_with_replies_costs_what_one_without_does(client, talk, django_assert_num_queries):
    fill(talk, 5, replies=False)

    with django_assert_num_queries(3):
        response = client.get(talk.get_absolute_url())
    assert 'class="comment comment-reply"' not in response.content.decode()


def test_talk_page_queries_for_the_talks_author(john_client, talk, size, django_assert_num_queries):
    fill(talk, size)

    # + the session, the user, and the navbar's pending count.
    with django_assert_num_queries(6):
        response = john_client.get(talk.get_absolute_url())
    assert response.context["can_manage"] is True
    assert response.content.decode().count('class="comment comment-reply"') == 2 * size


def test_talk_page_queries_for_an_admin(susan_client, talk, size, django_assert_num_queries):
    fill(talk, size)

    with django_assert_num_queries(6):
        response = susan_client.get(talk.get_absolute_url())
    assert response.context["can_manage"] is True


def test_the_unanswered_filter_costs_what_the_page_does(
    john_client, talk, size, django_assert_num_queries
):
    fill(talk, size)

    with django_assert_num_queries(6):
        response = john_client.get(talk.get_absolute_url() + "?unanswered=1")
    assert response.context["unanswered"] is True


def test_moderation_page_queries(john_client, john, size, django_assert_num_queries):
    for n in range(3):
        fill(make_talk(john, title=f"Talk {n}"), size)

    # The session, the user, one page of waiting comments with talks, authors and the comments
    # replies answer, the count.
    with django_assert_num_queries(4):
        response = john_client.get(reverse("talks:moderate"))
    assert len(response.context["comments_page"]) == min(3 * ((size + 2) // 3 + size), 100)


def test_admin_moderation_page_queries(susan_client, john, david, size, django_assert_num_queries):
    fill(make_talk(john), size)
    fill(make_talk(david), size)

    with django_assert_num_queries(4):
        response = susan_client.get(reverse("talks:moderate_admin"))
    assert len(response.context["comments_page"]) == 2 * ((size + 2) // 3 + size)
