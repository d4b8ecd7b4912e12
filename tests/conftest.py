"""Fixtures for the cross-cutting tests: real gunicorn servers on a database of their own."""

from .live_servers import (  # noqa: F401 - fixtures, found by pytest under these names
    live_database,
    live_database_template,
    start_server,
)
