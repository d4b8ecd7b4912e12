"""The "queries" column of `make bench`, pinned: every page of its table, at two data sizes.

Each page is requested as the benchmark requests it (a visitor, or the speaker of a talk with
published and waiting comments), twice: the first request renders the cached fragments, the
second finds them. Both cost the same literal number of queries at both sizes.
"""

import datetime

import pytest
from django.test import Client

from conftest import make_comment, make_talk, make_user
from talks.api.auth import issue_token
from talks.models import Comment, Talk
from talks.pagination import paginate

SIZES = [1, 8]
PER_PAGE = 4
DEEP_PAGE = 3


@pytest.fixture(params=SIZES, ids=["small", "large"])
def site(request, settings, db):
    """A showcase talk by grace with `size` x 4 published comments and `size` x 2 waiting; other
    speakers' talks to fill DEEP_PAGE pages and more."""
    settings.TALKS_PER_PAGE = PER_PAGE
    settings.COMMENTS_PER_PAGE = 2 * PER_PAGE
    size = request.param
    grace = make_user("grace", name="Grace Hopper")
    speakers = [make_user(f"speaker{n}") for n in range(size + 1)]
    start = datetime.date(2020, 1, 1)
    for n in range(PER_PAGE * DEEP_PAGE * size):
        author = grace if n % 3 == 0 else speakers[n % len(speakers)]
        make_talk(author, title=f"Talk {n}", date=start + datetime.timedelta(days=n % 40))
    showcase = make_talk(grace, title="Showcase", date=start + datetime.timedelta(days=400))
    for n in range(4 * size):
        author = speakers[n % len(speakers)] if n % 4 == 0 else None
        make_comment(showcase, author=author, author_email=f"reader{n}@example.org")
    for n in range(2 * size):
        make_comment(showcase, approved=False, author_email=f"waiting{n}@example.org")
    return showcase


def speaker_client(talk):
    client = Client()
    client.force_login(talk.author)
    return client


def requested_twice(client, path, django_assert_num_queries, queries):
    for _ in range(2):
        with django_assert_num_queries(queries):
            response = client.get(path)
        assert response.status_code == 200
    return response


def test_the_home_page(client, site, django_assert_num_queries):
    requested_twice(client, "/", django_assert_num_queries, 1)


def test_a_deep_timeline_page_is_one_query_with_its_offset_in_a_subquery(
    client, site, django_assert_num_queries
):
    requested_twice(client, f"/?page={DEEP_PAGE}", django_assert_num_queries, 1)


def test_a_speakers_profile(client, site, django_assert_num_queries):
    # The speaker, then one page of their talks.
    requested_twice(client, "/user/grace/", django_assert_num_queries, 2)


def test_the_talk_page_for_a_visitor(client, site, django_assert_num_queries):
    # The talk with its speaker, then one page of published comments with their authors.
    response = requested_twice(client, site.get_absolute_url(), django_assert_num_queries, 2)
    assert len(response.context["comments_page"]) == min(site.comments.approved().count(), 8)


def test_the_talk_page_for_its_speaker(site, django_assert_num_queries):
    # + the session, the user, and the navbar's count of waiting comments.
    response = requested_twice(
        speaker_client(site), site.get_absolute_url(), django_assert_num_queries, 5
    )
    assert response.context["can_manage"] is True


def test_the_moderation_page_for_the_speaker(site, django_assert_num_queries):
    # The session, the user, one page of waiting comments with their talks, the count.
    response = requested_twice(speaker_client(site), "/moderate/", django_assert_num_queries, 4)
    assert len(response.context["comments_page"]) == min(site.comments.pending().count(), 8)


def test_the_atom_feed(client, site, django_assert_num_queries):
    requested_twice(client, "/feeds/talks/", django_assert_num_queries, 1)


def test_the_api_approve_call(client, site, django_assert_num_queries):
    token = issue_token(site.author)
    waiting = list(site.comments.pending().order_by("pk"))[:2]

    for comment in waiting:
        # The token's user; the comment with its talk; in the approval's transaction (two
        # savepoints here, in the test's own transaction), a locked re-read and the update, the
        # talk's author and the subscribers, then the outbox rows: insert, read back, link to
        # the comment; whether the commenter's address is proven, as a confirmed one, then as an
        # account's (these seed visitors are neither, so nobody is told of the publication); the
        # speaker's remaining count for the reply. (The delivery task is queued on commit, which
        # a test's transaction never reaches.)
        with django_assert_num_queries(16):
            response = client.put(
                f"/api/1.0/comments/{comment.pk}", headers={"Authorization": f"Bearer {token}"}
            )
        assert response.status_code == 200
    assert Comment.objects.filter(pk__in=[c.pk for c in waiting], approved=True).count() == 2


def test_deep_pages_show_the_rows_a_plain_offset_would(site):
    timeline = Talk.objects.timeline()
    for number in range(1, DEEP_PAGE + 2):
        offset = (number - 1) * PER_PAGE
        expected = list(timeline[offset : offset + PER_PAGE])
        page = paginate(timeline, str(number), PER_PAGE)
        assert page.object_list == expected
        assert page.has_next == timeline[offset + PER_PAGE :].exists()
