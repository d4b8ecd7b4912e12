"""SQLite drops a table's triggers when a migration remakes it; migrate puts them back."""

import pytest
from django.core.management import call_command
from django.db import connection

from conftest import make_talk, make_user
from talks.models import Talk
from talks.search import index, parse_query

pytestmark = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's table remakes")


@pytest.mark.django_db(transaction=True)
def test_migrate_restores_triggers_a_table_remake_dropped_and_reindexes():
    talk = make_talk(make_user("ada"), title="Lost triggers")
    index.run("pause")  # what a remade talks_talk or accounts_user leaves behind
    Talk.objects.filter(pk=talk.pk).update(title="Found again")
    assert list(Talk.objects.search(parse_query("found"))) == []

    call_command("migrate", verbosity=0)

    assert list(Talk.objects.search(parse_query("found"))) == [talk]
    make_talk(talk.author, title="Indexed by the triggers")
    assert Talk.objects.search(parse_query("indexed")).count() == 1
