"""The default cache: Django's database cache, whose counters hold across workers."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from talks import ratelimit
from talks_site.cache import DatabaseCache


@pytest.fixture
def database_cache(db):
    """The default cache of production, on the test database's table (made by migrate)."""
    cache = DatabaseCache("talks_cache", {})
    cache.clear()
    return cache


def stored_expiry():
    with connection.cursor() as cursor:
        cursor.execute("SELECT expires FROM talks_cache")
        [(expires,)] = cursor.fetchall()
    if isinstance(expires, str):  # SQLite hands back text
        expires = datetime.datetime.fromisoformat(expires)
    if timezone.is_naive(expires):
        expires = timezone.make_aware(expires, datetime.timezone.utc)
    return expires


def test_incr_keeps_the_counters_expiry_and_counts_up(database_cache):
    rate = ratelimit.Rate(limit=10, window=86400)

    counts = [ratelimit.hit("client", rate, backend=database_cache) for _ in range(3)]

    assert counts == [1, 2, 3]
    # Django's own incr would have set it again, with the default timeout of 300 seconds.
    assert stored_expiry() > timezone.now() + datetime.timedelta(hours=23)


def test_incr_of_a_missing_key_is_a_value_error_as_in_every_cache(database_cache):
    with pytest.raises(ValueError, match="not found"):
        database_cache.incr("nothing-here")


def test_the_default_cache_outside_tests_is_the_shared_database_cache():
    from talks_site import settings as site_settings

    assert site_settings.CACHES["default"]["BACKEND"] in (
        "talks_site.cache.DatabaseCache",
        "django.core.cache.backends.redis.RedisCache",
    )
