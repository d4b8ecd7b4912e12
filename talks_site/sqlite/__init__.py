"""Django's SQLite backend, with writers that take their turns without SQLite's long sleeps."""
