"""Per-client fixed-window rate limits on posting comments and previews, kept in Django's cache.

`settings.COMMENT_RATE_LIMIT` is "<count>/<unit>" (unit s, m, h or d), e.g. "10/m" or "100/h",
or "0" for no limit. Each client address gets a counter per window, created with `cache.add`
and bumped with `cache.incr`: both are atomic in the database cache of talks_site.cache (the
default, shared by every worker of one machine) and in Redis (for several machines), so
concurrent requests from several workers never count the same hit twice or lose one.

The client address is `talks_site.client_ip.client_ip`: REMOTE_ADDR, unless the operator says
how many reverse proxies stand in front (TRUSTED_PROXY_COUNT); a proxy must then pass the
address it saw, and X-Forwarded-For entries written by the client itself are never trusted.
IPv6 clients are counted per /64, the block one home or server is usually given.
"""

import ipaddress
import math
import re
import time
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import ngettext

from talks_site.client_ip import client_ip

_RATE = re.compile(r"([1-9][0-9]{0,8})/([smhd])")
_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}

# Previews follow the typing (debounced), so one comment costs several; they get their own
# counter, this many times the comment allowance, so drafting a comment never hits the limit.
PREVIEWS_PER_COMMENT = 10


@dataclass(frozen=True)
class Rate:
    limit: int
    window: int  # seconds

    def times(self, factor):
        return Rate(self.limit * factor, self.window)


class RateLimited(Exception):
    """Raised when a client has used up its allowance for the current window."""

    def __init__(self, retry_after):
        self.retry_after = retry_after
        super().__init__(f"Too many requests: try again in {retry_after} seconds.")

    @property
    def wait(self):
        """How long to wait, in words."""
        if self.retry_after <= 90:
            seconds = self.retry_after
            return ngettext("%(count)d second", "%(count)d seconds", seconds) % {"count": seconds}
        minutes = math.ceil(self.retry_after / 60)
        return ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}

    def refuse(self, response):
        """`response`, made the 429 answer: the status, and when to try again."""
        response.status_code = 429
        response["Retry-After"] = str(self.retry_after)
        return response


@lru_cache(maxsize=8)
def parse_rate(value, setting="COMMENT_RATE_LIMIT"):
    """`"10/m"` → Rate(10, 60); `"0"` → None (no limit); anything else is a configuration error."""
    if value == "0":
        return None
    match = _RATE.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        raise ImproperlyConfigured(
            f"{setting} must be '<count>/<unit>' with unit s, m, h or d "
            f"(e.g. '10/m', '100/h'), or '0' for no limit; got {value!r}."
        )
    return Rate(int(match[1]), _SECONDS[match[2]])


def comment_rate():
    return parse_rate(settings.COMMENT_RATE_LIMIT)


def client_key(request):
    """The address a limit is counted against: the client's IPv4 address or its IPv6 /64."""
    raw = client_ip(request)
    try:
        address = ipaddress.ip_address(raw)
    except ValueError:
        # No usable address (a Unix socket, a broken proxy): such clients share one counter.
        return "unknown"
    if address.version == 4:
        return str(address)
    if address.ipv4_mapped is not None:
        return str(address.ipv4_mapped)
    return str(ipaddress.ip_network(f"{address}/64", strict=False))


def hit(key, rate, *, now=None, backend=None):
    """Count one request for `key`; return how many it made in the current window."""
    backend = backend or cache
    now = time.time() if now is None else now
    window_index = int(now // rate.window)
    cache_key = f"ratelimit:{key}:{rate.window}:{window_index}"
    # The counter outlives its window a little, so it never expires while still being bumped.
    if backend.add(cache_key, 1, timeout=rate.window + 5):
        return 1
    try:
        return backend.incr(cache_key)
    except ValueError:
        # Evicted between add and incr (a full cache): start again rather than fail the request.
        backend.add(cache_key, 1, timeout=rate.window + 5)
        return 1


def clock():
    """Seconds since the epoch; tests pin it to stay inside one window."""
    return time.time()


def check(request, scope, *, factor=1, rate=None):
    """Count this request against the client's allowance for `scope`; raise RateLimited if over.

    `rate` is the allowance (default: COMMENT_RATE_LIMIT), None for no limit.
    """
    rate = comment_rate() if rate is None else rate
    check_key(f"{scope}:{client_key(request)}", rate and rate.times(factor))


def check_key(key, rate):
    """Count one request for `key` (a client, an address…); raise RateLimited if over `rate`."""
    if rate is None:
        return
    now = clock()
    if hit(key, rate, now=now) > rate.limit:
        raise RateLimited(retry_after=max(1, math.ceil(rate.window - now % rate.window)))
