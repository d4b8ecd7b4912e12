"""Logging filters named in settings.LOGGING."""

import logging


class AsWarning(logging.Filter):
    """Record as a warning what Django logs as an error but is the client's doing.

    A request for a Host not in ALLOWED_HOSTS is answered 400 and logged at ERROR by Django,
    which would mail ADMINS for every scanner on the internet: it is worth a log line only.
    """

    def filter(self, record):
        record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True
