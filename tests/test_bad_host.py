"""A request for a host this site does not serve is logged as a warning, never mailed."""

import logging

import pytest
from django.core import mail


class Records(logging.Handler):
    def __init__(self):
        super().__init__()
        self.records = []

    def emit(self, record):
        self.records.append(record)


@pytest.fixture
def disallowed_host_records():
    logger = logging.getLogger("django.security.DisallowedHost")
    handler = Records()
    logger.addHandler(handler)
    yield handler.records
    logger.removeHandler(handler)


def test_a_bad_host_header_is_a_400_logged_as_a_warning_and_not_mailed_to_admins(
    client, db, settings, disallowed_host_records
):
    settings.ADMINS = [("Ops", "ops@example.com")]
    settings.DEBUG = False

    response = client.get("/", HTTP_HOST="evil.example")

    assert response.status_code == 400
    assert mail.outbox == []
    assert [(r.levelname, r.getMessage()[:28]) for r in disallowed_host_records] == [
        ("WARNING", "Invalid HTTP_HOST header: 'e")
    ]
