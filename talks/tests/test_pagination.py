import datetime

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from pytest_django.asserts import assertInHTML

from conftest import make_talk
from talks.models import Talk
from talks.pagination import page_number, paginate

PER_PAGE = 3
# "\u00b2" is a superscript two and "\u0661" an Arabic-Indic one: str.isdigit() says yes to both.
BAD_PAGES = [
    *["0", "-1", "abc", "1.5", "1e3", " 1", "+1", "0x2"],
    *["\u00b2", "\u0661", "\x00", "9" * 10],
]


def make_talks(author, count):
    """`count` talks, one a day, the first the newest."""
    newest = datetime.date(2020, 1, 31)
    return [
        make_talk(author, title=f"Talk {n}", date=newest - datetime.timedelta(n))
        for n in range(count)
    ]


@pytest.fixture
def per_page(settings):
    settings.TALKS_PER_PAGE = PER_PAGE
    return PER_PAGE


# The page number


@pytest.mark.parametrize(("raw", "number"), [(None, 1), ("", 1), ("1", 1), ("2", 2), ("007", 7)])
def test_a_missing_or_positive_page_number_is_read(raw, number):
    assert page_number(raw) == number


@pytest.mark.parametrize("raw", BAD_PAGES)
def test_anything_else_is_no_such_page(raw):
    with pytest.raises(Http404):
        page_number(raw)


# Paging a queryset


def test_exactly_one_page_of_rows_has_no_older_page(john):
    talks = make_talks(john, PER_PAGE)

    page = paginate(Talk.objects.timeline(), None, PER_PAGE)

    assert page.object_list == talks
    assert (page.number, page.has_previous, page.has_next, page.has_other_pages) == (
        1,
        False,
        False,
        False,
    )


def test_one_row_more_than_a_page_makes_an_older_page_with_that_row(john):
    talks = make_talks(john, PER_PAGE + 1)

    first = paginate(Talk.objects.timeline(), "1", PER_PAGE)
    second = paginate(Talk.objects.timeline(), "2", PER_PAGE)

    assert first.object_list == talks[:PER_PAGE]
    assert (first.has_previous, first.has_next, first.next_page_number) == (False, True, 2)
    assert second.object_list == talks[PER_PAGE:]
    assert (second.has_previous, second.has_next, second.previous_page_number) == (True, False, 1)
    assert (second.start_index, len(second), list(second)) == (PER_PAGE + 1, 1, talks[PER_PAGE:])


def test_the_page_after_the_last_one_is_no_such_page(john):
    make_talks(john, PER_PAGE)

    with pytest.raises(Http404):
        paginate(Talk.objects.timeline(), "2", PER_PAGE)


def test_the_first_page_of_nothing_is_an_empty_page(db):
    page = paginate(Talk.objects.timeline(), None, PER_PAGE)

    assert (page.object_list, page.has_next, page.has_previous) == ([], False, False)


def test_a_page_is_one_query_and_never_counts_the_table(john):
    make_talks(john, PER_PAGE * 2 + 1)

    with CaptureQueriesContext(connection) as queries:
        paginate(Talk.objects.timeline(), "2", PER_PAGE)

    assert len(queries) == 1
    sql = queries[0]["sql"].upper()
    assert "COUNT(" not in sql
    assert f"LIMIT {PER_PAGE + 1} OFFSET {PER_PAGE}" in sql


@pytest.mark.parametrize("raw", ["1", "2", "3"])
def test_ids_first_reads_the_rows_shown_by_their_ids_in_the_querysets_order(john, raw):
    make_talks(john, PER_PAGE * 2 + 1)
    oldest_first = Talk.objects.filter(author=john).order_by("date", "id")
    fields = ("id", "title", "date", "author__id", "author__username")  # the rows join users

    with CaptureQueriesContext(connection) as queries:
        page = paginate(oldest_first, raw, PER_PAGE, ids_first=True, rows=fields)

    offset = (int(raw) - 1) * PER_PAGE
    assert page.object_list.values == list(
        oldest_first.values_list(*fields)[offset : offset + PER_PAGE]
    )
    assert page.has_next == (raw != "3")
    [query] = queries
    # The rows join the users; the subquery of their ids, the queryset's own, joins nothing.
    rows_part, _, subquery = query["sql"].partition("IN (SELECT")
    assert "JOIN" in rows_part.upper()
    assert "JOIN" not in subquery.upper()


# Through the pages that use it


@pytest.mark.parametrize("raw", [*(raw for raw in BAD_PAGES if raw != "\x00"), "2", "99999999"])
@pytest.mark.parametrize("path", ["/", "/user/john/"])
def test_a_bad_or_missing_page_is_a_404_never_a_500(client, john, per_page, path, raw):
    make_talks(john, PER_PAGE)

    response = client.get(path, {"page": raw})

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


@pytest.mark.parametrize("path", ["/", "/user/john/"])
def test_a_nul_in_the_page_number_is_a_bad_request(client, john, path):
    assert client.get(path, {"page": "1\x00"}).status_code == 400


def test_a_full_first_page_has_no_pager(client, john, per_page):
    make_talks(john, PER_PAGE)

    response = client.get("/")

    assert len(response.context["talks"]) == PER_PAGE
    assert 'aria-label="Pages"' not in response.content.decode()


def test_the_first_of_two_pages_links_to_older_only(client, john, per_page):
    make_talks(john, PER_PAGE + 1)

    content = client.get("/").content.decode()

    assertInHTML('<a class="page-link" href="?page=2" rel="next">Older &rarr;</a>', content)
    assertInHTML('<span class="page-link">&larr; Newer</span>', content)
    assert 'rel="prev"' not in content


def test_the_last_page_links_to_newer_only(client, john, per_page):
    talks = make_talks(john, PER_PAGE + 1)

    response = client.get("/", {"page": "2"})

    content = response.content.decode()
    assert list(response.context["talks"]) == talks[PER_PAGE:]
    assertInHTML('<a class="page-link" href="?page=1" rel="prev">&larr; Newer</a>', content)
    assertInHTML('<span class="page-link">Older &rarr;</span>', content)


def test_a_middle_page_links_both_ways(client, john, per_page):
    talks = make_talks(john, PER_PAGE * 2 + 1)

    response = client.get("/", {"page": "2"})

    content = response.content.decode()
    assert list(response.context["talks"]) == talks[PER_PAGE : PER_PAGE * 2]
    assert 'href="?page=1" rel="prev"' in content
    assert 'href="?page=3" rel="next"' in content


def test_a_profile_pages_only_its_speakers_talks(client, john, david, per_page):
    johns = make_talks(john, PER_PAGE + 1)
    make_talks(david, PER_PAGE * 3)

    first = client.get("/user/john/")
    second = client.get("/user/john/", {"page": "2"})

    assert list(first.context["talks"]) == johns[:PER_PAGE]
    assert list(second.context["talks"]) == johns[PER_PAGE:]
    assert client.get("/user/john/", {"page": "3"}).status_code == 404


def test_an_empty_profile_is_a_page_not_a_404(client, david, per_page):
    response = client.get("/user/david/")

    assert response.status_code == 200
    assert list(response.context["talks"]) == []
