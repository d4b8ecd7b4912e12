import socket
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory
from django.urls import reverse

from talks import ratelimit
from talks.models import Comment
from talks.ratelimit import Rate, client_key, hit, parse_rate

VISITOR = {"author_name": "Ann", "author_email": "ann@example.org", "body": "Hi", "notify": "on"}
NOON = 1_800_002_000.0  # a fixed moment: 20 s into its minute, 2000 s into its hour


@pytest.fixture
def frozen_clock(monkeypatch):
    """Pin the limiter's clock, so a test never straddles two windows."""
    now = [NOON]
    monkeypatch.setattr(ratelimit, "clock", lambda: now[0])
    return now


# --- The setting --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "rate"),
    [
        ("10/m", Rate(10, 60)),
        ("100/h", Rate(100, 3600)),
        ("1/s", Rate(1, 1)),
        ("5/d", Rate(5, 86400)),
    ],
)
def test_a_rate_is_a_count_per_unit(value, rate):
    assert parse_rate(value) == rate


def test_zero_turns_the_limit_off():
    assert parse_rate("0") is None


@pytest.mark.parametrize(
    "value",
    [
        "",
        "10",
        "10/x",
        "0/m",
        "-1/m",
        "10/min",
        " 10/m",
        "10/m ",
        "10 / m",
        "1.5/m",
        "\u0661\u0660/m",  # Arabic-Indic digits: a digit to str.isdigit(), not to us
        None,
        10,
    ],
)
def test_anything_else_is_a_clear_configuration_error(value):
    with pytest.raises(ImproperlyConfigured) as error:
        parse_rate(value)

    assert str(error.value) == (
        "COMMENT_RATE_LIMIT must be '<count>/<unit>' with unit s, m, h or d "
        f"(e.g. '10/m', '100/h'), or '0' for no limit; got {value!r}."
    )


def test_a_bad_setting_fails_on_first_use(settings, client, talk):
    settings.COMMENT_RATE_LIMIT = "ten a minute"

    with pytest.raises(ImproperlyConfigured):
        client.post(reverse("talks:comment_create", args=[talk.pk]), VISITOR)
    assert Comment.objects.count() == 0


# --- The counter --------------------------------------------------------------------------


def test_hits_are_counted_per_fixed_window(db):
    rate = Rate(3, 60)

    counts = [hit("k", rate, now=NOON + offset) for offset in (0, 1, 39)]
    next_window = hit("k", rate, now=NOON + 40)  # NOON is 20 s into its minute

    assert counts == [1, 2, 3]
    assert next_window == 1


def test_each_key_has_its_own_counter(db):
    rate = Rate(3, 60)

    assert [hit("a", rate, now=NOON), hit("a", rate, now=NOON), hit("b", rate, now=NOON)] == [
        1,
        2,
        1,
    ]


def count_concurrently(backend, key):
    rate = Rate(100, 60)
    with ThreadPoolExecutor(max_workers=16) as pool:
        return sorted(pool.map(lambda _: hit(key, rate, now=NOON, backend=backend), range(64)))


def test_concurrent_hits_are_each_counted_once_in_memory():
    assert count_concurrently(caches["default"], "threads") == list(range(1, 65))


def redis_cache():
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        pytest.skip("no Redis server on 127.0.0.1:6379")
    # A prefix of its own, so this test touches no key of anyone else's.
    return RedisCache("redis://127.0.0.1:6379/0", {"KEY_PREFIX": f"talks-test-{uuid.uuid4()}"})


def test_concurrent_hits_are_each_counted_once_in_redis():
    backend = redis_cache()
    key = f"ratelimit:threads:60:{int(NOON // 60)}"
    try:
        counts = count_concurrently(backend, "threads")
        ttl = backend._cache.get_client().ttl(backend.make_and_validate_key(key))
    finally:
        backend.delete(key)
        backend.close()

    assert counts == list(range(1, 65))
    assert 0 < ttl <= 65  # the window plus a margin: the counter expires on its own


# --- The client address -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "key"),
    [
        ("203.0.113.5", "203.0.113.5"),
        ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"),
        ("2001:db8:1:2::9", "2001:db8:1:2::/64"),
        ("::ffff:203.0.113.5", "203.0.113.5"),
        ("", "unknown"),
        ("not an address", "unknown"),
    ],
)
def test_clients_are_counted_by_address_and_ipv6_by_its_64(address, key):
    request = RequestFactory().get("/", REMOTE_ADDR=address)

    assert client_key(request) == key


def test_x_forwarded_for_is_ignored_without_trusted_proxies(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4")

    assert client_key(request) == "10.0.0.1"


def test_behind_a_trusted_proxy_the_address_it_saw_is_used(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7"
    )

    assert client_key(request) == "198.51.100.7"


# --- The limit on the site ----------------------------------------------------------------


def post_comment(client, talk, address="198.51.100.1"):
    return client.post(
        reverse("talks:comment_create", args=[talk.pk]), VISITOR, REMOTE_ADDR=address
    )


def test_posting_over_the_limit_re_renders_the_form_with_429(settings, client, talk, frozen_clock):
    settings.COMMENT_RATE_LIMIT = "2/m"

    allowed = [post_comment(client, talk).status_code for _ in range(2)]
    refused = post_comment(client, talk)

    assert allowed == [302, 302]
    assert refused.status_code == 429
    assert refused["Retry-After"] == "40"
    assert refused.context["form"].non_field_errors() == [
        "You are commenting too fast. Please wait 40 seconds."
    ]
    assert 'value="Ann"' in refused.content.decode()
    assert Comment.objects.count() == 2


def test_the_limit_is_per_client_address(settings, client, talk, frozen_clock):
    settings.COMMENT_RATE_LIMIT = "1/m"

    first = post_comment(client, talk, "198.51.100.1")
    other_client = post_comment(client, talk, "198.51.100.2")
    again = post_comment(client, talk, "198.51.100.1")

    assert [first.status_code, other_client.status_code, again.status_code] == [302, 302, 429]


def test_the_limit_opens_again_in_the_next_window(settings, client, talk, frozen_clock):
    settings.COMMENT_RATE_LIMIT = "1/m"

    first = post_comment(client, talk)
    refused = post_comment(client, talk)
    frozen_clock[0] += 40
    later = post_comment(client, talk)

    assert [first.status_code, refused.status_code, later.status_code] == [302, 429, 302]


def test_logged_in_users_are_limited_too(settings, david_client, talk, frozen_clock):
    settings.COMMENT_RATE_LIMIT = "1/h"
    url = reverse("talks:comment_create", args=[talk.pk])

    statuses = [david_client.post(url, {"body": "Hi"}).status_code for _ in range(2)]

    assert statuses == [302, 429]
    assert Comment.objects.count() == 1


def test_a_zero_limit_lets_every_comment_through(settings, client, talk):
    settings.COMMENT_RATE_LIMIT = "0"

    assert {post_comment(client, talk).status_code for _ in range(15)} == {302}


def test_previews_get_ten_times_the_allowance_then_429_json(settings, client, db, frozen_clock):
    settings.COMMENT_RATE_LIMIT = "1/m"
    url = reverse("talks:comment_preview")

    allowed = [client.post(url, {"body": "x"}).status_code for _ in range(10)]
    refused = client.post(url, {"body": "x"})

    assert allowed == [200] * 10
    assert refused.status_code == 429
    assert refused["Retry-After"] == "40"
    assert refused.json() == {
        "status": "too many requests",
        "message": "Preview paused: too many requests. Wait 40 seconds.",
    }


def test_previews_do_not_use_up_the_comment_allowance(settings, client, talk, frozen_clock):
    settings.COMMENT_RATE_LIMIT = "1/m"
    for _ in range(10):
        client.post(reverse("talks:comment_preview"), {"body": "x"}, REMOTE_ADDR="198.51.100.1")

    assert post_comment(client, talk).status_code == 302


def test_long_waits_are_given_in_minutes(settings, client, talk, frozen_clock):
    settings.COMMENT_RATE_LIMIT = "1/h"
    post_comment(client, talk)

    refused = post_comment(client, talk)

    # NOON is 2000 s into its hour: 1600 s are left.
    assert refused["Retry-After"] == "1600"
    assert refused.context["form"].non_field_errors() == [
        "You are commenting too fast. Please wait 27 minutes."
    ]
