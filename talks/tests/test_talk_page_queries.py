"""The number of queries on the comment pages does not grow with the comments on them."""

import pytest
from django.urls import reverse

from conftest import make_comment, make_talk, make_user


def fill(talk, count):
    """`count` rounds of: a visitor's comment (a third of them waiting), a user's comment."""
    users = [make_user(f"reader{talk.pk}-{i}") for i in range(3)]
    for i in range(count):
        make_comment(talk, approved=i % 3 != 0, author_email=f"v{i}@example.org")
        make_comment(talk, author=users[i % len(users)])


@pytest.fixture(params=[1, 30], ids=["few", "many"])
def size(request):
    return request.param


def test_talk_page_queries_for_a_visitor(client, talk, size, django_assert_num_queries):
    fill(talk, size)

    # The talk with its author, and one page of comments with theirs.
    with django_assert_num_queries(2):
        response = client.get(talk.get_absolute_url())
    assert response.status_code == 200


def test_talk_page_queries_for_the_talks_author(john_client, talk, size, django_assert_num_queries):
    fill(talk, size)

    # + the session, the user, and the navbar's pending count.
    with django_assert_num_queries(5):
        response = john_client.get(talk.get_absolute_url())
    assert response.context["can_manage"] is True


def test_talk_page_queries_for_an_admin(susan_client, talk, size, django_assert_num_queries):
    fill(talk, size)

    with django_assert_num_queries(5):
        response = susan_client.get(talk.get_absolute_url())
    assert response.context["can_manage"] is True


def test_moderation_page_queries(john_client, john, size, django_assert_num_queries):
    for n in range(3):
        fill(make_talk(john, title=f"Talk {n}"), size)

    # The session, the user, one page of waiting comments with talks and authors, the count.
    with django_assert_num_queries(4):
        response = john_client.get(reverse("talks:moderate"))
    assert len(response.context["comments_page"]) == 3 * ((size + 2) // 3)


def test_admin_moderation_page_queries(susan_client, john, david, size, django_assert_num_queries):
    fill(make_talk(john), size)
    fill(make_talk(david), size)

    with django_assert_num_queries(4):
        response = susan_client.get(reverse("talks:moderate_admin"))
    assert len(response.context["comments_page"]) == 2 * ((size + 2) // 3)
