"""What each page costs in queries: one table, every page at two data sizes, exact counts.

Each page is requested twice, as a visitor, its speaker, an admin or the API would: the first
request renders the cached fragments, the second finds them. Both cost the same literal number
of queries at both sizes, so an N+1 or a fragment that misses its cache fails the test; on a
talk page, the second costs fewer, as its comments are found under the talk's
comments_version without reading them (talks/comments_version.py). The
table holds every page `make bench` measures (its "queries" column) and the site's other lists.
"""

import datetime
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import make_comment, make_talk, make_user
from talks.api.auth import issue_token
from talks.models import Talk
from talks.pagination import paginate

PER_PAGE = 4
DEEP_PAGE = 3


@dataclass
class Site:
    showcase: Talk
    admin: object

    def client(self, who):
        client = Client()
        if who == "speaker":
            client.force_login(self.showcase.author)
        elif who == "admin":
            client.force_login(self.admin)
        elif who == "api":
            client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {issue_token(self.showcase.author)}"
        return client

    def next_waiting_comment(self):
        return self.showcase.comments.pending().order_by("pk").first()


@pytest.fixture(params=[1, 8], ids=["small", "large"])
def site(request, settings, db):
    """A showcase talk by grace with `size` x 4 published comments (every fourth by a user) and
    `size` x 2 waiting; other speakers' talks to fill DEEP_PAGE pages and more."""
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
    # A published and a waiting reply to each of `size` published comments.
    for top in list(showcase.comments.approved().order_by("pk")[:size]):
        make_comment(showcase, parent=top, author_email=f"answer{top.pk}@example.org")
        make_comment(showcase, parent=top, approved=False, author_email=f"held{top.pk}@example.org")
    return Site(showcase, make_user("susan", admin=True))


@dataclass
class Page:
    name: str
    who: str
    path: object  # a path, or a function of the Site giving one
    queries: int
    method: str = "GET"
    status: int = 200
    # The context's list of rows, which must not be empty: the counted queries read rows.
    shows: str | None = None
    # The second request's, where it finds in the cache what the first read and rendered.
    cached_queries: int | None = None

    def path_for(self, site):
        return self.path(site) if callable(self.path) else self.path

    def __str__(self):
        return f"{self.name} ({self.who})"


def talk_page(site):
    return site.showcase.get_absolute_url()


def unanswered(site):
    return f"{site.showcase.get_absolute_url()}?unanswered=1"


def comment_link(site):
    return reverse("talks:comment", args=[site.showcase.comments.approved().last().pk])


def api_approval(site):
    return f"/api/1.0/comments/{site.next_waiting_comment().pk}"


# The session and the user, for anyone logged in; and for a speaker or an admin the navbar's
# count of waiting comments.
PAGES = [
    Page("timeline", "visitor", "/", 1, shows="talks"),
    Page("timeline page 2", "visitor", "/?page=2", 1, shows="talks"),
    # Its offset in a subquery: still one query.
    Page("deep timeline page", "visitor", f"/?page={DEEP_PAGE}", 1, shows="talks"),
    Page("timeline", "speaker", "/", 4, shows="talks"),
    # The speaker, then one page of their talks.
    Page("profile", "visitor", "/user/grace/", 2, shows="talks"),
    # The speaker's own: the session's user is the profile's, then the talks and the count.
    Page("profile", "speaker", "/user/grace/", 4, shows="talks"),
    # Someone else's: that speaker is read by name.
    Page("profile", "admin", "/user/grace/", 5, shows="talks"),
    # The talk with its speaker, one page of top-level comments with their authors, then
    # their replies with theirs; once cached, the talk alone.
    Page("talk page", "visitor", talk_page, 3, shows="comments_page", cached_queries=1),
    Page("talk page", "speaker", talk_page, 6, shows="comments_page", cached_queries=4),
    Page("talk page", "admin", talk_page, 6, shows="comments_page", cached_queries=4),
    Page("unanswered questions", "speaker", unanswered, 6, shows="comments_page", cached_queries=4),
    # One page of waiting comments with their talks and authors, then their count.
    Page("moderation queue", "speaker", "/moderate/", 4, shows="comments_page"),
    Page("moderation queue", "admin", "/moderate/admin/", 4, shows="comments_page"),
    # The matching talks with their speakers, ranked, in one query: a word of every talk, and
    # a word of one.
    Page("search, a common word", "visitor", "/search/?q=talk", 1, shows="talks"),
    Page("search, a rare word", "visitor", "/search/?q=showcase", 1, shows="talks"),
    Page("Atom feed", "visitor", "/feeds/talks/", 1),
    Page("speaker's feed", "visitor", "/feeds/user/grace/", 2),
    Page("comment feed", "visitor", lambda site: f"/feeds/talk/{site.showcase.pk}/comments/", 2),
    # Two per section: Django's sitemap paginator counts the rows, then reads the page.
    Page("sitemap", "visitor", "/sitemap.xml", 4),
    # The comment with its talk, then its position in the thread.
    Page("comment link", "visitor", comment_link, 2, status=302),
    # The comment with its talk and its author, who is the token's user; who is told: the
    # subscribers, and whether the commenter's address is proven, as a confirmed one or an
    # account's (these visitors are neither, so nobody is told of the publication); in the
    # approval's transaction (two savepoints here, in the test's own transaction), the
    # conditional update, then the outbox rows: insert, read back, link to the comment; the
    # speaker's remaining count for the reply. (The delivery task is queued on commit, which
    # a test's transaction never reaches.)
    Page("API approval", "api", api_approval, 12, method="PUT"),
]


@pytest.mark.parametrize("page", PAGES, ids=str)
def test_a_page_costs_the_same_queries_at_any_size(page, site, django_assert_num_queries):
    client = site.client(page.who)
    for queries in (page.queries, page.cached_queries or page.queries):
        path = page.path_for(site)
        with django_assert_num_queries(queries):
            response = client.generic(page.method, path)
        assert response.status_code == page.status, path
        if page.shows:
            assert len(response.context[page.shows]) > 0


def test_no_listing_counts_the_talks_table(client, site):
    with CaptureQueriesContext(connection) as queries:
        for path in ("/", "/?page=2", "/user/grace/", "/feeds/talks/", "/feeds/user/grace/"):
            assert client.get(path).status_code == 200

    assert [query["sql"] for query in queries if "COUNT(" in query["sql"].upper()] == []


def test_deep_pages_show_the_rows_a_plain_offset_would(site):
    timeline = Talk.objects.timeline()
    for number in range(1, DEEP_PAGE + 2):
        offset = (number - 1) * PER_PAGE
        expected = list(timeline[offset : offset + PER_PAGE])
        page = paginate(timeline, str(number), PER_PAGE)
        assert page.object_list == expected
        assert page.has_next == timeline[offset + PER_PAGE :].exists()


def test_a_page_with_replies_costs_what_one_without_does(client, db, django_assert_num_queries):
    talk = make_talk(make_user("ada"), title="No replies yet")
    for n in range(5):
        make_comment(talk, author_email=f"reader{n}@example.org")

    with django_assert_num_queries(3):
        response = client.get(talk.get_absolute_url())
    assert 'class="comment comment-reply"' not in response.content.decode()
