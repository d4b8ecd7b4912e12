"""Where one page's time goes: cProfile over requests to the bench's database, in this process.

    python -m bench.profile talk_speaker [--scale default] [--database-url URL] [--requests 20]

The page is one of bench/pages.py's keys, asked for as the bench asks for it (the same client,
logged in or not) through Django's test client with the bench's settings, after a `make bench`
(or `python -m bench.run --only ...`) has built the database. It prints the mean CPU time per
request without the profiler, then the functions that took the most, cumulative and own: CPU
time (time.thread_time), which other processes on the machine disturb less than the clock.
"""

import argparse
import cProfile
import io
import os
import pstats
import time

from . import database, mail
from .pages import PAGES, REFERENCE
from .run import WORK


def main(argv=None):
    args = parse_args(argv)
    database_url = args.database_url or f"sqlite:///{WORK / f'{args.scale}.sqlite3'}"
    if not database.database_exists(database_url):
        raise SystemExit(f"No bench database at {database_url}: run the bench first.")
    port = mail.free_port()
    os.environ.update(database.bench_environment(database_url, WORK / "static", port, port))
    # The test client sends no HTTPS, and asks for 127.0.0.1 only if told to.
    os.environ["ALLOWED_HOSTS"] = "127.0.0.1,testserver"

    import django

    django.setup()
    from django.test import Client

    from .fixture import prepare_fixture
    from .run import SCALES

    pages = [REFERENCE, *(page for page in PAGES if page.fresh is None)]
    page = next((page for page in pages if page.key == args.page), None)
    if page is None:
        raise SystemExit(f"Profile one of: {', '.join(page.key for page in pages)}")
    fixture = prepare_fixture(SCALES[args.scale])
    requests = page.requests(fixture)
    headers = {name.lower().replace("-", "_"): value for name, value in requests.headers.items()}
    client = Client(**{f"HTTP_{name.upper()}": value for name, value in headers.items()})

    def fetch():
        response = client.get(requests.paths[0])
        if response.status_code != 200:
            raise SystemExit(f"{requests.paths[0]} answered {response.status_code}")

    for _ in range(args.warmup):
        fetch()
    start = time.thread_time()
    for _ in range(args.requests):
        fetch()
    plain_ms = (time.thread_time() - start) * 1000 / args.requests
    profiler = cProfile.Profile(time.thread_time)
    profiler.enable()
    for _ in range(args.requests):
        fetch()
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(args.lines)
    stats.sort_stats("tottime").print_stats(args.lines)
    print(f"{requests.label}: {plain_ms:.2f} ms of CPU a request without the profiler")
    print(f"(profile of {args.requests} requests; divide its times by that)")
    print(out.getvalue())


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__)
    parser.add_argument("page", help="A key of bench/pages.py's PAGES.")
    parser.add_argument("--scale", default="default")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"))
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--lines", type=int, default=40)
    return parser.parse_args(argv)


if __name__ == "__main__":
    main()
