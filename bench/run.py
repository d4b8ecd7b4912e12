"""`make bench`: build a database at a given scale, serve it with gunicorn, load every page.

    python -m bench.run [--scale small|default|large] [--seconds 10] [--database-url URL]

Every page is measured against a reference page served by the same server in the same run (50
rows read through the ORM into a plain template), in slices that alternate with the reference's,
so that the ratios compare across machines and across changes of load during the run. Results
go to bench/results/<scale>-<database>.json; a small or large run ends with the comparison of
the two scales when both have been run.

The pages are listed in bench/pages.py (PAGES); the jobs have a module each: database.py sets up
the data, fixture.py the logged-in speaker and what the API approves, server.py runs gunicorn,
measure.py loads the pages, frontend.py the home page's first load, mail.py the notification
delivery, and report.py prints and saves the results.
"""

import argparse
import os

from . import database, frontend, load, mail, report
from .database import ROOT
from .fixture import prepare_fixture, vacuum
from .measure import Measurer, measure_pages
from .pages import PAGES, REFERENCE
from .report import say
from .server import Server

WORK = ROOT / "var" / "bench"

SCALES = {
    "small": {"speakers": 20, "talks": 1_000, "comments": 10_000},
    "default": {"speakers": 20, "talks": 100_000, "comments": 1_000_000},
    "large": {"speakers": 20, "talks": 1_000_000, "comments": 1_000_000},
}
EMAILS = 10_000


def main(argv=None):
    args = parse_args(argv)
    counts = {**SCALES[args.scale]}
    for name in ("speakers", "talks", "comments"):
        if getattr(args, name) is not None:
            counts[name] = getattr(args, name)
    client = args.client if args.client != "auto" else ("wrk" if load.wrk_path() else "python")
    database_url = args.database_url or f"sqlite:///{WORK / f'{args.scale}.sqlite3'}"
    vendor = database.vendor(database_url)
    port, smtp_port = mail.free_port(), mail.free_port()
    os.environ.update(database.bench_environment(database_url, WORK / "static", port, smtp_port))
    WORK.mkdir(parents=True, exist_ok=True)

    say(f"Benchmark at scale {args.scale}: {counts} on {vendor}, client {client}")
    seed_seconds = database.build(database_url, counts, reuse=args.reuse_db)

    import django

    django.setup()
    if seed_seconds is None:
        # A database kept from the last run (--reuse-db) holds what its approvals left behind;
        # seed_demo leaves a new one vacuumed.
        from django.db import connection

        vacuum(connection)
        connection.close()
    fixture = prepare_fixture(counts)
    base_url = f"http://127.0.0.1:{port}"
    server = Server(port, WORK / f"gunicorn-{args.scale}.log", workers=args.workers)
    with server:
        say(f"gunicorn: {len(server.worker_pids())} workers on {base_url}")
        measurer = Measurer(base_url, server, args, client, REFERENCE.requests(fixture))
        pages = [page for page in PAGES if not args.only or page.key in args.only]
        rows = measure_pages(measurer, pages, fixture)
        first_load = frontend.first_load(base_url)
        final_rss = server.worker_rss_mb()

    mail_result = None
    if not args.skip_mail:
        say(f"Notification delivery: {EMAILS} emails, then smtplib…")
        with mail.SinkServer(smtp_port) as sink:
            mail_result = mail.measure(sink, EMAILS)

    run = {
        "scale": args.scale,
        "counts": counts,
        "database": vendor,
        "client": client,
        "seconds": args.seconds,
        "connections": args.connections,
        "workers": len(server.pids_seen),
        "threads": server.threads,
        "seed_seconds": seed_seconds,
    }
    summary = report.summarize(run, rows, final_rss, mail_result, first_load)
    report.report(summary, rows, mail_result, first_load)
    if not args.only:  # a partial run is for tuning: it leaves the last full run's results alone
        report.write_results(summary)


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    parser.add_argument("--scale", choices=SCALES, default="default")
    parser.add_argument("--speakers", type=int, help="Override the scale's number of speakers.")
    parser.add_argument("--talks", type=int, help="Override the scale's number of talks.")
    parser.add_argument("--comments", type=int, help="Override the scale's number of comments.")
    parser.add_argument("--seconds", type=int, default=10, help="Measured time per page.")
    parser.add_argument("--warmup", type=int, default=2, help="Unmeasured load before each.")
    parser.add_argument("--connections", type=int, default=8, help="Concurrent connections.")
    parser.add_argument(
        "--workers", type=int, help="gunicorn workers (default: gunicorn.conf.py's)."
    )
    parser.add_argument("--client", choices=("auto", "wrk", "python"), default="auto")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL"),
        help="Where to build the database (it is wiped): default var/bench/<scale>.sqlite3; "
        "also read from BENCH_DATABASE_URL, never from DATABASE_URL.",
    )
    parser.add_argument(
        "--reuse-db", action="store_true", help="Keep the last run's database if there is one."
    )
    parser.add_argument("--only", nargs="*", help="Measure only these pages (keys), for tuning.")
    parser.add_argument("--skip-mail", action="store_true", help="Leave out the email benchmark.")
    return parser.parse_args(argv)


if __name__ == "__main__":
    main()
