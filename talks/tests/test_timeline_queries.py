"""Each list page costs the same number of queries whatever the number of rows it shows.

Every page is measured at two sizes with the same literal: an N+1 would make them differ.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import make_comment, make_talk, make_user

SIZES = [2, 12]


@pytest.fixture
def listings(settings, db, request):
    """`size` talks by as many speakers, `size` more by john, and comments by users and visitors."""
    settings.TALKS_PER_PAGE = 10
    size = request.param
    john = make_user("john", name="John Doe")
    speakers = [make_user(f"speaker{n}") for n in range(size)]
    talks = [
        make_talk(speaker, date=datetime.date(2020, 1, 1) + datetime.timedelta(n))
        for n, speaker in enumerate(speakers)
    ]
    for n in range(size):
        make_talk(john, title=f"John's {n}")
    for n, speaker in enumerate(speakers):
        make_comment(talks[0], author=speaker if n % 2 else None, body=f"Comment {n}")
    return talks[0]


pytestmark = pytest.mark.parametrize("listings", SIZES, indirect=True)


def test_the_timeline_is_one_query(client, listings, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert client.get("/").status_code == 200


def test_a_later_timeline_page_is_one_query(client, listings, settings, django_assert_num_queries):
    settings.TALKS_PER_PAGE = 3  # page 2 then shows 1 talk at the small size, 3 at the large

    with django_assert_num_queries(1):
        assert client.get("/", {"page": "2"}).status_code == 200


def test_the_timeline_for_a_speaker_adds_session_user_and_badge(
    client, listings, django_assert_num_queries
):
    client.force_login(listings.author)

    with django_assert_num_queries(4):
        assert client.get("/").status_code == 200


def test_a_profile_is_two_queries(client, listings, django_assert_num_queries):
    with django_assert_num_queries(2):
        assert client.get("/user/john/").status_code == 200


def test_the_timeline_feed_is_one_query(client, listings, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert client.get("/feeds/talks/").status_code == 200


def test_a_speaker_feed_is_two_queries(client, listings, django_assert_num_queries):
    with django_assert_num_queries(2):
        assert client.get("/feeds/user/john/").status_code == 200


def test_a_comment_feed_is_two_queries(client, listings, django_assert_num_queries):
    with django_assert_num_queries(2):
        assert client.get(f"/feeds/talk/{listings.pk}/comments/").status_code == 200


def test_the_sitemap_is_four_queries(client, listings, django_assert_num_queries):
    # Two per section: Django's sitemap paginator counts the rows, then reads the page.
    with django_assert_num_queries(4):
        assert client.get("/sitemap.xml").status_code == 200


def test_no_listing_counts_the_talks_table(client, listings):
    with CaptureQueriesContext(connection) as queries:
        for path in ("/", "/?page=2", "/user/john/", "/feeds/talks/", "/feeds/user/john/"):
            client.get(path)

    assert [query["sql"] for query in queries if "COUNT(" in query["sql"].upper()] == []
