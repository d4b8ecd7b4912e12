"""What the settings make of DATABASE_URL, read in a fresh process as the site reads them."""

import json

import pytest
from django.db import connection

from .live_servers import on_postgresql, run_django

POSTGRES = "postgres://talks@db.internal:5432/talks"


def database_settings(**env):
    code = """
        import json
        from django.conf import settings
        print(json.dumps(settings.DATABASES["default"], default=str))
    """
    return json.loads(run_django(code, **env))


def test_postgresql_prepares_the_statements_it_runs_often():
    options = database_settings(DATABASE_URL=POSTGRES)["OPTIONS"]

    assert options == {"server_side_binding": True, "prepare_threshold": 5}


def test_prepared_statements_can_be_turned_off_for_a_pooler():
    settings = database_settings(DATABASE_URL=POSTGRES, PREPARED_STATEMENTS="false")

    assert settings.get("OPTIONS", {}) == {}


def test_sqlite_has_no_prepared_statements_to_turn_on():
    settings = database_settings(DATABASE_URL="sqlite:///db.sqlite3")

    assert settings["ENGINE"] == "talks_site.sqlite"
    assert "server_side_binding" not in settings["OPTIONS"]


@pytest.mark.skipif(not on_postgresql(), reason="the suite runs on SQLite")
def test_a_postgresql_connection_prepares(db):
    connection.ensure_connection()

    assert connection.connection.prepare_threshold == 5
