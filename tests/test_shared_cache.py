"""The comment rate limit holds across gunicorn processes (and machines) through a shared cache.

Two servers stand for two machines behind a load balancer: one database, one Redis, and a
visitor whose requests land on either.
"""

import concurrent.futures
import os
import uuid

import pytest
import redis

REDIS = "redis://127.0.0.1:6379/1"
LIMIT = 4
# A day-long window: the test never straddles two windows (an hour or a minute might).
RATE = f"{LIMIT}/d"


@pytest.fixture
def redis_prefix():
    """A key prefix of this test's own in the local Redis; its keys are removed afterwards."""
    client = redis.Redis.from_url(REDIS)
    try:
        client.ping()
    except redis.ConnectionError:
        message = f"Redis does not answer at {REDIS} (apt-get install redis-server)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    prefix = f"talks-test-{uuid.uuid4().hex}"
    yield prefix
    keys = list(client.scan_iter(f"{prefix}:*"))
    if keys:
        client.delete(*keys)
    client.close()


@pytest.fixture
def talk_id(live_database):
    return live_database.run(
        """
        from conftest import make_talk, make_user
        print(make_talk(make_user("john")).pk)
        """
    ).strip()


def post_comments(servers, talk_id, count):
    """Post `count` visitor comments, alternating servers; return the status codes."""
    clients = [server.client() for server in servers]
    statuses = []
    for n in range(count):
        client = clients[n % len(clients)]
        response = client.post(
            f"/talk/{talk_id}/comments/",
            {"author_name": "Ann", "author_email": "ann@example.org", "body": f"Comment {n}"},
            csrf_from=f"/talk/{talk_id}/",
        )
        statuses.append(response.status)
    return statuses


def test_the_comment_rate_limit_counts_across_two_servers_sharing_redis(
    live_database, start_server, talk_id, redis_prefix
):
    servers = [
        start_server(
            DATABASE_URL=live_database.url,
            CACHE_URL=f"{REDIS}?key_prefix={redis_prefix}",
            COMMENT_RATE_LIMIT=RATE,
        )
        for _ in range(2)
    ]

    statuses = post_comments(servers, talk_id, LIMIT + 2)
    stored = live_database.run("from talks.models import Comment; print(Comment.objects.count())")
    counters = list(redis.Redis.from_url(REDIS).scan_iter(f"{redis_prefix}:*ratelimit*"))

    assert statuses == [302] * LIMIT + [429, 429]
    assert stored.strip() == str(LIMIT)
    assert len(counters) == 1


def post_comments_concurrently(server, talk_id, count, *, at_once=4):
    """Post `count` visitor comments, `at_once` in flight together: they land on several workers."""
    with concurrent.futures.ThreadPoolExecutor(at_once) as pool:
        return sorted(pool.map(lambda n: post_comments([server], talk_id, 1)[0], range(count)))


def test_the_default_cache_holds_the_limit_across_the_workers_of_one_server(
    live_database, start_server, talk_id
):
    """No CACHE_URL: gunicorn's workers share the database's cache table, and one count."""
    server = start_server(DATABASE_URL=live_database.url, COMMENT_RATE_LIMIT=RATE, workers=2)

    statuses = post_comments_concurrently(server, talk_id, 4 * LIMIT)
    stored = live_database.run("from talks.models import Comment; print(Comment.objects.count())")

    assert statuses == [302] * LIMIT + [429] * (3 * LIMIT)
    assert stored.strip() == str(LIMIT)


@pytest.mark.parametrize("cache_url", ["locmemcache://talks", "dummycache://"])
def test_production_refuses_to_start_with_a_cache_of_each_process(
    live_database, start_server, cache_url
):
    with pytest.raises(AssertionError, match="gunicorn exited early") as refused:
        start_server(DATABASE_URL=live_database.url, CACHE_URL=cache_url)

    assert "CACHE_URL names a cache of each process" in str(refused.value)
