"""Measuring: each page's query count, its CPU time per request, and its throughput under load,
in slices that alternate with the reference page's."""

import statistics
from dataclasses import dataclass

from . import load
from .middleware import CPU_HEADER
from .middleware import HEADER as QUERY_HEADER
from .report import say

# Requests sent one at a time to a warm server, for each page's median CPU time.
CPU_SAMPLES = 100


@dataclass
class Row:
    key: str
    label: str
    rps: float
    p50_ms: float
    p99_ms: float
    queries: int | None
    rss_mb: float
    target: float | None
    requests: int
    seconds: float
    # The reference page's requests/s measured around this row.
    reference_rps: float | None = None
    # Median server CPU time per request, this page's and the reference page's.
    cpu_ms: float | None = None
    reference_cpu_ms: float | None = None
    # The most p99_ms may be as a multiple of p50_ms, when that is a target.
    tail_limit: float | None = None

    @property
    def ratio(self):
        return self.rps / self.reference_rps

    @property
    def cpu_ratio(self):
        """The reference's CPU time over this page's: like `ratio`, higher is cheaper."""
        return self.reference_cpu_ms / self.cpu_ms


def measure_pages(measurer, pages, fixture):
    """A row for each page, then the reference page's row first: the rows of the table."""
    rows = []
    for page in pages:
        if page.fresh is None:
            rows.append(measurer.measure(page.requests(fixture)))
            continue
        with page.fresh(fixture) as more_paths:
            rows.append(measurer.measure(page.requests(fixture, more_paths)))
    return [measurer.reference_row(), *rows]


class Measurer:
    """Loads each page in short slices that alternate with slices of the reference page.

    A page's ratio is to the reference slices around its own, so a machine whose load drifts
    during the run (a shared CI runner, a laptop) still compares like with like.
    """

    def __init__(self, base_url, server, args, client, reference):
        self.base_url, self.server, self.args, self.client = base_url, server, args, client
        self.rounds = max(1, min(5, args.seconds))
        self.slice_seconds = max(1, args.seconds // self.rounds)
        self.reference = reference
        self.reference_slices = []
        say(f"{reference.label}…")
        self.reference_queries = self._sample(reference)
        if args.warmup:
            self._run(reference, args.warmup)
        self.reference_cpu_ms = self._cpu_ms(reference)
        self.reference_slices.append(self._run(reference, self.slice_seconds))

    def reference_rps(self):
        return _rps(self.reference_slices)

    def measure(self, page):
        say(f"{page.label}…")
        queries = self._sample(page)
        if self.args.warmup:
            self._run(page, self.args.warmup)
        cpu_ms = self._cpu_ms(page)
        page_slices, reference_slices = [], [self.reference_slices[-1]]
        for _ in range(self.rounds):
            page_slices.append(self._run(page, self.slice_seconds))
            reference_slices.append(self._run(self.reference, self.slice_seconds))
        self.reference_slices += reference_slices[1:]
        return self._row(page, page.label, page_slices, queries, _rps(reference_slices), cpu_ms)

    def reference_row(self):
        slices = self.reference_slices
        label = f"{self.reference.label} ({len(slices)} slices)"
        return self._row(
            self.reference,
            label,
            slices,
            self.reference_queries,
            _rps(slices),
            self.reference_cpu_ms,
        )

    def _row(self, page, label, slices, queries, reference_rps, cpu_ms):
        return Row(
            key=page.key,
            label=label,
            rps=_rps(slices),
            p50_ms=statistics.median(result.p50_ms for result in slices),
            p99_ms=statistics.median(result.p99_ms for result in slices),
            queries=queries,
            rss_mb=self.server.worker_rss_mb(),
            target=page.target,
            tail_limit=page.tail_limit,
            requests=sum(result.requests for result in slices),
            seconds=sum(result.seconds for result in slices),
            reference_rps=reference_rps,
            cpu_ms=cpu_ms,
            reference_cpu_ms=self.reference_cpu_ms,
        )

    def _cpu_ms(self, page, count=CPU_SAMPLES):
        """The median CPU time the server spent on `count` requests sent one at a time."""
        page.have_paths(count)
        return statistics.median(int(self._fetch(page)[0][CPU_HEADER]) / 1000 for _ in range(count))

    def _sample(self, page):
        """The page's query count on a request its worker has served before, as almost every
        measured request is (a worker's first may fill its cache with more; the tests pin
        both): the second of two requests over one connection."""
        queries = self._fetch(page, in_turn=2)[-1].get(QUERY_HEADER)
        return int(queries) if queries is not None else None

    def _fetch(self, page, in_turn=1):
        """`in_turn` requests alone, one after another over one connection, which must succeed:
        their response headers."""
        page.have_paths(in_turn)
        paths = [page.next_path() for _ in range(in_turn)]
        answers = load.fetch_in_turn(
            self.base_url, page.method, paths, headers=page.headers, body=page.body
        )
        for path, (status, _headers, body) in zip(paths, answers, strict=True):
            if status != 200:
                raise RuntimeError(
                    f"{page.label}: {page.method} {path} answered {status}: {body!r}"
                )
        return [headers for _status, headers, _body in answers]

    def _run(self, page, seconds):
        if page.more_paths is not None:
            # One fresh path a request, with room to spare: no request may find its path used.
            expected = self.reference_rps() * seconds * 1.5
            page.have_paths(int(expected) + 2 * self.args.connections + 100)
        target = load.Target(page.method, page.paths, page.headers, page.body)
        result = load.run(
            self.base_url,
            target,
            seconds=seconds,
            connections=self.args.connections,
            client=self.client,
        )
        if result.bad_status or result.socket_errors:
            raise RuntimeError(
                f"{page.label}: {result.bad_status} error responses and {result.socket_errors} "
                f"socket errors in {result.requests} requests; see {self.server.log_path}"
            )
        if page.method != "GET":
            # Each call used up its comment. A load generator may have sent one more request
            # per connection than it counted, and wrk builds one more to check its script:
            # skip twice that many, unused ones cost nothing.
            del page.paths[: result.requests + 2 * self.args.connections + 1]
        return result


def _rps(results):
    return sum(result.requests for result in results) / sum(result.seconds for result in results)
