"""SQLite remakes a table to alter its columns, which triggers get in the way of: migrate takes
the search index's triggers out while it runs and puts them back, with the index rebuilt."""

import pytest
from django.core.management import call_command
from django.db import connection

from conftest import make_talk, make_user
from talks.models import Talk
from talks.search import index, parse_query

pytestmark = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's table remakes")


def found(words):
    return list(Talk.objects.search(parse_query(words)))


@pytest.mark.django_db(transaction=True)
def test_migrate_puts_back_triggers_that_went_missing_and_reindexes():
    talk = make_talk(make_user("ada"), title="Lost triggers")
    index.run("pause")
    Talk.objects.filter(pk=talk.pk).update(title="Found again")
    assert found("found") == []

    call_command("migrate", verbosity=0)

    assert found("found") == [talk]
    make_talk(talk.author, title="Indexed by the triggers")
    assert len(found("indexed")) == 1


@pytest.mark.django_db(transaction=True)
def test_a_migration_that_remakes_the_user_table_keeps_search_working():
    talk = make_talk(make_user("ada", name="Ada Lovelace"), title="Engines")

    # Back to before the user table's last change, and forward again: SQLite remakes it.
    call_command("migrate", "accounts", "0002", verbosity=0)
    call_command("migrate", verbosity=0)

    assert found("lovelace") == [talk]
    talk.author.name = "Ada King"
    talk.author.save()
    assert found("king") == [talk]
