"""Fixtures for the notification tests: visitors whose addresses are proven."""

import pytest

from talks.models import EmailAddress

# Every visitor address the notification tests write from; each test that asserts who is told
# starts with these confirmed, as their owners would have confirmed them from the email.
VISITORS = [
    *("ann@example.org", "bob@example.org", "carol@example.org", "cy@example.org"),
    *("e@e.com", "e2@e2.com", "e4@e4.com", "e6@e6.com", "elsewhere@example.org"),
    *("eve@example.org", "new@example.org", "old@example.org", "r1@example.org"),
    *("r2@example.org", "v@example.org", "v1@example.org", "v2@example.org"),
    *("vi@example.org", "visitor@example.org", "bot@example.org"),
]


@pytest.fixture
def confirmed_visitors(db):
    for address in VISITORS:
        EmailAddress.objects.confirm(address)
