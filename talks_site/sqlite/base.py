"""Django's SQLite backend, whose write transactions wait for the lock in short, even steps.

Every transaction begins IMMEDIATE (settings), taking SQLite's one write lock at BEGIN. A
writer that finds it taken is left to SQLite's busy handler, which sleeps between its tries in
growing steps, up to 100 ms each: the writers that have waited longest sleep longest, so under
several writers at once a few requests wait many times as long as the rest. Here BEGIN is tried
without the handler and again every millisecond until the connection's timeout, so whoever
waits is never more than a millisecond late for the lock. Every other statement keeps SQLite's
own handler and the same timeout.
"""

import time

from django.db import OperationalError
from django.db.backends.sqlite3 import base

# How long a waiting BEGIN sleeps between its tries: short against a write transaction
# (a few milliseconds), long against a try (a few microseconds).
RETRY_EVERY = 0.001

# Python's default for sqlite3.connect(timeout=...), which Django passes on.
DEFAULT_TIMEOUT = 5.0


def is_busy(error):
    """SQLITE_BUSY's message: another connection holds the write lock."""
    return str(error) == "database is locked"


class DatabaseWrapper(base.DatabaseWrapper):
    def _start_transaction_under_autocommit(self):
        if self.transaction_mode != "IMMEDIATE":
            return super()._start_transaction_under_autocommit()
        timeout = self.settings_dict["OPTIONS"].get("timeout", DEFAULT_TIMEOUT)
        deadline = time.monotonic() + timeout
        # On the sqlite3 connection itself: a setting, not a query of the site's.
        self.connection.execute("PRAGMA busy_timeout = 0")
        try:
            with self.cursor() as cursor:
                while True:
                    try:
                        cursor.execute("BEGIN IMMEDIATE")
                        return
                    except OperationalError as error:
                        if not is_busy(error) or time.monotonic() >= deadline:
                            raise
                    time.sleep(RETRY_EVERY)
        finally:
            self.connection.execute(f"PRAGMA busy_timeout = {round(timeout * 1000)}")
