import pytest

from talks.models import EmailAddress

# The visitors of these tests have confirmed their addresses, as from the email that asks.
CONFIRMED = ("grete@example.de", "grete@beispiel.de", "ann@example.org", "bob@example.org")


@pytest.fixture(autouse=True)
def _confirmed_visitors(db):
    for address in CONFIRMED:
        EmailAddress.objects.confirm(address)
