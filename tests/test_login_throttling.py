"""Login throttling (django-axes, database handler): an account is locked for one address after
AXES_FAILURE_LIMIT wrong passwords, everywhere at once, and an admin can see and lift the lock."""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY

from conftest import PASSWORD

LOCKED = "Too many failed logins"


def log_in(client, email, password, **extra):
    return client.post("/auth/login/", {"username": email, "password": password}, **extra)


def fail(client, times, email="john@example.com", **extra):
    return [log_in(client, email, "wrong password", **extra).status_code for _ in range(times)]


@pytest.fixture(autouse=True)
def _five_failures(settings):
    settings.AXES_FAILURE_LIMIT = 5


def test_the_fifth_wrong_password_locks_the_account_with_a_clear_message(client, john):
    assert fail(client, 4) == [200, 200, 200, 200]

    locked = log_in(client, "john@example.com", "wrong password")

    assert locked.status_code == 429
    assert LOCKED in locked.content.decode()
    assert "reset your password" in locked.content.decode()


def test_a_locked_account_refuses_even_the_right_password(client, john):
    fail(client, 5)

    response = log_in(client, "john@example.com", PASSWORD)

    assert response.status_code == 429
    assert SESSION_KEY not in client.session


def test_a_right_password_before_the_limit_resets_the_count(client, john):
    fail(client, 4)
    assert log_in(client, "john@example.com", PASSWORD).status_code == 302
    client.logout()

    assert fail(client, 4) == [200, 200, 200, 200]


def test_the_lock_holds_only_for_that_account_from_that_address(client, john, david):
    fail(client, 5, REMOTE_ADDR="192.0.2.1")

    other_address = log_in(client, "john@example.com", PASSWORD, REMOTE_ADDR="192.0.2.2")
    client.logout()
    other_account = log_in(client, "david@example.com", PASSWORD, REMOTE_ADDR="192.0.2.1")

    assert (other_address.status_code, other_account.status_code) == (302, 302)


def test_behind_a_proxy_the_lock_follows_the_address_the_proxy_saw(client, john, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    # What the client writes itself (the left entries) changes nothing.
    for spoofed in ("198.51.100.1", "198.51.100.2", "198.51.100.3", "198.51.100.4", ""):
        forwarded = f"{spoofed}, 203.0.113.9" if spoofed else "203.0.113.9"
        log_in(client, "john@example.com", "wrong", HTTP_X_FORWARDED_FOR=forwarded, **proxy)

    attacker = log_in(
        client, "john@example.com", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.9", **proxy
    )
    speaker = log_in(
        client, "john@example.com", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.7", **proxy
    )

    assert (attacker.status_code, speaker.status_code) == (429, 302)
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["203.0.113.9"]


def test_an_admin_sees_the_lock_in_the_admin_and_deleting_it_lets_the_speaker_in(
    client, john, susan
):
    fail(client, 5)
    attempt = AccessAttempt.objects.get()
    client.force_login(susan)

    listing = client.get("/admin/axes/accessattempt/?locked_out=yes")
    deleted = client.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})
    client.logout()
    response = log_in(client, "john@example.com", PASSWORD)

    assert listing.status_code == 200
    assert "john@example.com" in listing.content.decode()
    assert "Locked Out" in listing.content.decode()
    assert deleted.status_code == 302
    assert AccessAttempt.objects.count() == 0
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(john.pk)


def test_a_speaker_cannot_reach_the_lock_list(client, john, david):
    client.force_login(david)

    response = client.get("/admin/axes/accessattempt/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_failures_count_across_server_processes_sharing_the_database(live_database, start_server):
    """Two gunicorn processes, as two machines behind a load balancer, share one count."""
    live_database.run(
        """
        from conftest import make_user
        make_user("john")
        """
    )
    servers = [start_server(DATABASE_URL=live_database.url, AXES_FAILURE_LIMIT=3) for _ in range(2)]
    clients = [server.client() for server in servers]
    attempt = {"username": "john@example.com", "password": "wrong password"}

    statuses = [clients[n % 2].post("/auth/login/", attempt).status for n in range(3)]
    right = {"username": "john@example.com", "password": PASSWORD}
    after = [client.post("/auth/login/", right) for client in clients]

    assert statuses == [200, 200, 429]
    assert [response.status for response in after] == [429, 429]
    assert all(LOCKED in response.text for response in after)
