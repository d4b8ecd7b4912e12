"""The search page costs one query whatever the number of results (no COUNT, no N+1)."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import connection

from conftest import make_talk, make_user
from talks.models import Talk, TalkSearchEntry


@pytest.fixture(params=[2, 12])
def matching_talks(request, db, settings):
    settings.TALKS_PER_PAGE = 5
    for n in range(request.param):
        speaker = make_user(f"speaker{n}", name=f"Speaker {n}")
        make_talk(
            speaker, title=f"Django {n}", date=datetime.date(2020, 1, 1) + datetime.timedelta(n)
        )
    return request.param


def test_a_search_page_is_one_query(client, matching_talks, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert client.get("/search/", {"q": "djan"}).status_code == 200


def test_a_later_search_page_is_one_query(client, matching_talks, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert client.get("/search/", {"q": "django", "page": "1"}).status_code == 200
    if matching_talks > 5:
        with django_assert_num_queries(1):
            assert client.get("/search/", {"q": "django", "page": "2"}).status_code == 200


def test_a_hint_costs_no_query(client, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert client.get("/search/", {"q": "!!!"}).status_code == 200


def test_seed_demo_builds_the_index_and_leaves_the_triggers_on(db):
    call_command("seed_demo", talks=30, comments=20, stdout=io.StringIO())

    assert TalkSearchEntry.entries.count() == Talk.objects.count() == 30
    showcase = Talk.objects.order_by("-id").first()
    assert showcase in Talk.objects.search(showcase.title)
    make_talk(showcase.author, title="Zymurgy after the seed")
    assert [talk.title for talk in Talk.objects.search("zymurgy")] == ["Zymurgy after the seed"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements: PostgreSQL")
def test_each_search_is_its_own_statement_planned_for_its_words(db):
    """With prepared statements, the words as a parameter would let PostgreSQL plan a search
    once for any words: that plan took 29 ms for a common word instead of 7."""
    sent = []

    def record(execute, sql, params, many, context):
        sent.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        list(Talk.objects.search("django"))
        list(Talk.objects.search("flask"))

    (django, django_params), (flask, _) = sent
    assert "'''django'':*'" in django and "'''flask'':*'" in flask
    assert django.replace("django", "flask") == flask
    assert not any("django" in str(param) for param in django_params)
