"""`make bench`: build a database at a given scale, serve it with gunicorn, load every page.

    python -m bench.run [--scale small|default|large] [--seconds 10] [--database-url URL]

Every page is measured against a reference page served by the same server in the same run (50
rows read through the ORM into a plain template), in slices that alternate with the reference's,
so that the ratios compare across machines and across changes of load during the run. Results
go to bench/results/<scale>-<database>.json; a small or large run ends with the comparison of
the two scales when both have been run.
"""

import argparse
import datetime
import json
import os
import platform
import secrets
import signal
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlsplit

from . import frontend, load, mail
from .middleware import CPU_HEADER
from .middleware import HEADER as QUERY_HEADER

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
WORK = ROOT / "var" / "bench"

SCALES = {
    "small": {"speakers": 20, "talks": 1_000, "comments": 10_000},
    "default": {"speakers": 20, "talks": 100_000, "comments": 1_000_000},
    "large": {"speakers": 20, "talks": 1_000_000, "comments": 1_000_000},
}
SHOWCASE_APPROVED, SHOWCASE_PENDING = 100, 500
DEEP_PAGE = 1000
EMAILS = 10_000
# Requests sent one at a time to a warm server, for each page's median CPU time.
CPU_SAMPLES = 100

# Targets: requests/s as a share of the reference page's, and the limits below.
PUBLIC_TARGET, TALK_TARGET = 0.7, 0.5
RSS_LIMIT_MB = 120
SEED_LIMIT_S = 120
MAIL_TARGET = 0.5
FIRST_LOAD_KB, FIRST_LOAD_REQUESTS = 80, 6
# Pages compared between the small and the large scale, and the slowdown allowed.
SCALE_PAGES = ("home", "profile", "talk")
SCALE_LIMIT = 1.3


@dataclass
class Page:
    key: str
    label: str
    method: str
    paths: list
    headers: dict
    target: float | None = None
    body: bytes = b""

    def next_path(self):
        """The path of the next request alone: an API call uses its comment up, a GET repeats."""
        return self.paths.pop(0) if self.method != "GET" else self.paths[0]


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

    @property
    def ratio(self):
        return self.rps / self.reference_rps

    @property
    def cpu_ratio(self):
        """The reference's CPU time over this page's: like `ratio`, higher is cheaper."""
        return self.reference_cpu_ms / self.cpu_ms


def main(argv=None):
    args = parse_args(argv)
    counts = {**SCALES[args.scale]}
    for name in ("speakers", "talks", "comments"):
        if getattr(args, name) is not None:
            counts[name] = getattr(args, name)
    client = args.client if args.client != "auto" else ("wrk" if load.wrk_path() else "python")
    database_url = args.database_url or f"sqlite:///{WORK / f'{args.scale}.sqlite3'}"
    vendor = "postgresql" if database_url.startswith(("postgres:", "postgresql:")) else "sqlite"
    port, smtp_port = mail.free_port(), mail.free_port()
    static_root = WORK / "static"
    env = bench_environment(database_url, static_root, port, smtp_port)
    os.environ.update(env)
    WORK.mkdir(parents=True, exist_ok=True)

    say(f"Benchmark at scale {args.scale}: {counts} on {vendor}, client {client}")
    seed_seconds = None
    if args.reuse_db and database_exists(database_url):
        say("Reusing the database from the last run (--reuse-db)")
    else:
        create_database(database_url)
        manage("migrate", "--noinput", "-v0")
        say("seed_demo…")
        start = time.perf_counter()
        manage(
            "seed_demo",
            f"--speakers={counts['speakers']}",
            f"--talks={counts['talks']}",
            f"--comments={counts['comments']}",
            f"--showcase-approved={SHOWCASE_APPROVED}",
            f"--showcase-pending={SHOWCASE_PENDING}",
        )
        seed_seconds = time.perf_counter() - start
        say(f"seed_demo took {seed_seconds:.1f} s")
    say("collectstatic…")
    manage("collectstatic", "--noinput", "-v0")

    import django

    django.setup()
    fixture = prepare_fixture(counts)
    base_url = f"http://127.0.0.1:{port}"
    server = Server(port, WORK / f"gunicorn-{args.scale}.log", workers=args.workers)
    with server:
        say(f"gunicorn: {len(server.worker_pids())} workers on {base_url}")
        reference, *pages = page_list(fixture, counts)
        measurer = Measurer(base_url, server, args, client, reference)
        rows = []
        for page in pages:
            if args.only and page.key not in args.only:
                continue
            if page.key == "api_approve":
                # One fresh comment a request, with room to spare: no call may find it approved.
                budget = (
                    measurer.reference_rps() * (args.warmup + args.seconds) * 1.5
                    + CPU_SAMPLES
                    + 1000
                )
                pool = approval_paths(fixture, budget)
                page.paths = list(pool)
                rows.append(measurer.measure(page))
                # The comments no call approved go: the database is as the run found it.
                delete_unused_approvals(pool)
                continue
            rows.append(measurer.measure(page))
        first_load = frontend.first_load(base_url)
        final_rss = server.worker_rss_mb()
        reference_row = measurer.reference_row()
    rows.insert(0, reference_row)
    reference_rps = reference_row.rps

    mail_result = None
    if not args.skip_mail:
        say(f"Notification delivery: {EMAILS} emails, then smtplib…")
        with mail.SinkServer(smtp_port) as sink:
            mail_result = mail.measure(sink, EMAILS)

    summary = {
        "date": datetime.date.today().isoformat(),
        "scale": args.scale,
        "counts": counts,
        "database": vendor,
        "client": client,
        "seconds": args.seconds,
        "connections": args.connections,
        "workers": len(server.pids_seen),
        "threads": server.threads,
        "machine": machine(),
        "seed_seconds": seed_seconds,
        "reference_rps": reference_rps,
        "rows": [{**asdict(row), "ratio": row.ratio, "cpu_ratio": row.cpu_ratio} for row in rows],
        "final_rss_mb": final_rss,
        "mail": None
        if mail_result is None
        else {
            **asdict(mail_result),
            "ratio": mail_result.ratio,
            "django_ratio": mail_result.django_ratio,
        },
        "first_load": {
            "requests": first_load.requests,
            "kb": first_load.wire_bytes / 1024,
            "problems": first_load.problems,
            "assets": [asdict(asset) for asset in [first_load.page, *first_load.assets]],
        },
    }
    report(summary, rows, mail_result, first_load)
    if args.only:
        return  # a partial run is for tuning: it leaves the last full run's results alone
    RESULTS.mkdir(exist_ok=True)
    result_path = RESULTS / f"{args.scale}-{vendor}.json"
    result_path.write_text(json.dumps(summary, indent=2) + "\n")
    say(f"Results written to {result_path.relative_to(ROOT)}")
    if args.scale in ("small", "large"):
        compare_scales(vendor)


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


def say(message):
    print(f"[bench] {message}", file=sys.stderr, flush=True)


# --- Environment and database --------------------------------------------------------------


def bench_environment(database_url, static_root, port, smtp_port):
    """Production settings on loopback: every variable set here, so .env cannot change them."""
    return {
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "CSRF_TRUSTED_ORIGINS": "",
        # Loopback has no TLS to redirect to.
        "SECURE_SSL_REDIRECT": "false",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "DATABASE_URL": database_url,
        "CONN_MAX_AGE": "60",
        # The default: the cache table in the database, as production (a per-process cache is
        # refused with DEBUG=false).
        "CACHE_URL": "dbcache://talks_cache",
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
        "DEFAULT_FROM_EMAIL": f"Talks <{mail.SENDER}>",
        "SERVER_EMAIL": f"Talks <{mail.SENDER}>",
        "ADMINS": "",
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "MAIL_FLUSH_INTERVAL": "3600",
        "TALKS_PER_PAGE": "50",
        "COMMENTS_PER_PAGE": "100",
        "COMMENT_RATE_LIMIT": "10/m",
        "API_TOKEN_MAX_AGE": "3600",
        "AXES_FAILURE_LIMIT": "5",
        "AXES_COOLOFF_MINUTES": "15",
        "STATIC_ROOT": str(static_root),
        "LOG_LEVEL": "WARNING",
        "HOST": "127.0.0.1",
        "PORT": str(port),
        # Recycling workers would restart them mid-measurement and hide a leak from the RSS column.
        "GUNICORN_MAX_REQUESTS": "0",
        "GUNICORN_LOG_LEVEL": "warning",
        "PYTHONDONTWRITEBYTECODE": "1",
    }


def manage(*args):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, check=True)


def _postgres_admin(url):
    import psycopg

    parts = urlsplit(url)
    return psycopg.connect(
        dbname="postgres",
        user=parts.username or "postgres",
        password=parts.password,
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
        autocommit=True,
    ), parts.path.lstrip("/")


def database_exists(url):
    if url.startswith("sqlite:"):
        return Path(urlsplit(url).path).exists()
    admin, name = _postgres_admin(url)
    with admin:
        return admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()


def create_database(url):
    """An empty database at `url`, whatever was there before."""
    if url.startswith("sqlite:"):
        path = Path(urlsplit(url).path)
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    admin, name = _postgres_admin(url)
    with admin:
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [name]
        )
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')


# --- Fixture: who requests what ------------------------------------------------------------


@dataclass
class Fixture:
    showcase_id: int
    speaker_username: str
    speaker_cookie: str
    speaker_token: str
    approval_talk_ids: list


def prepare_fixture(counts):
    """Find the showcase talk and its speaker, and log the speaker in (a session and a token)."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    from talks.api.auth import issue_token
    from talks.management.commands.seed_demo import SHOWCASE_TITLE
    from talks.models import Talk

    showcase = Talk.objects.select_related("author").get(title=SHOWCASE_TITLE)
    speaker = showcase.author
    browser = Client()
    browser.force_login(speaker, backend="django.contrib.auth.backends.ModelBackend")
    cookie = f"{settings.SESSION_COOKIE_NAME}={browser.cookies[settings.SESSION_COOKIE_NAME].value}"
    # The approvals run on the speaker's other talks, not on the showcase the pages show.
    approval_talks = list(
        Talk.objects.filter(author=speaker)
        .exclude(pk=showcase.pk)
        .order_by("-date", "-id")
        .values_list("id", flat=True)[:200]
    )
    connection.close()
    return Fixture(showcase.pk, speaker.username, cookie, issue_token(speaker), approval_talks)


def approval_paths(fixture, count):
    """Fresh pending comments for the API to approve, one per request, spread over talks."""
    from django.db import connection

    from talks.management.commands.seed_demo import BODIES
    from talks.markdown import render_markdown
    from talks.models import Comment, Talk

    body_html = render_markdown(BODIES[0])
    count = int(count)
    talks = fixture.approval_talk_ids
    authors = dict(Talk.objects.filter(pk__in=talks).values_list("id", "author"))
    created = Comment.objects.bulk_create(
        Comment(
            talk_id=talks[index % len(talks)],
            talk_author_id=authors[talks[index % len(talks)]],
            author_name="Reader",
            author_email=f"reader{index % 500}@example.org",
            body=BODIES[0],
            body_html=body_html,
            notify=index % 2 == 0,
            approved=False,
        )
        for index in range(count)
    )
    connection.close()
    return [f"/api/1.0/comments/{comment.pk}" for comment in created]


def delete_unused_approvals(paths):
    from django.db import connection

    from talks.models import Comment

    pks = [int(path.rsplit("/", 1)[1]) for path in paths]
    Comment.objects.pending().filter(pk__in=pks).delete()
    connection.close()


def page_list(fixture, counts):
    last_page = max(1, -(-counts["talks"] // 50))
    deep = min(DEEP_PAGE, last_page)
    # What a browser sends: pages go out compressed, and compressing is part of their cost.
    visitor = {"Accept-Encoding": "gzip, br"}
    speaker = {**visitor, "Cookie": fixture.speaker_cookie}
    api = {
        **visitor,
        "Authorization": f"Bearer {fixture.speaker_token}",
        "Content-Type": "application/json",
    }
    talk = f"/talk/{fixture.showcase_id}/"
    profile = f"/user/{fixture.speaker_username}/"
    return [
        Page("reference", "reference page", "GET", ["/bench/reference/"], visitor),
        Page("home", "/ (page 1)", "GET", ["/"], visitor, PUBLIC_TARGET),
        Page("deep", f"/?page={deep}", "GET", [f"/?page={deep}"], visitor, PUBLIC_TARGET),
        Page("profile", "a speaker's profile", "GET", [profile], visitor, PUBLIC_TARGET),
        Page("talk", "talk, 100 comments (visitor)", "GET", [talk], visitor, TALK_TARGET),
        Page("talk_speaker", "talk, 100 comments (its speaker)", "GET", [talk], speaker),
        Page(
            "moderate", f"/moderate/ ({SHOWCASE_PENDING} waiting)", "GET", ["/moderate/"], speaker
        ),
        Page("feed", "Atom feed", "GET", ["/feeds/talks/"], visitor, PUBLIC_TARGET),
        Page("api_approve", "API approve (PUT)", "PUT", [], api),
    ]


# --- Server --------------------------------------------------------------------------------


class Server:
    """gunicorn with the production configuration (gunicorn.conf.py) and the bench settings."""

    def __init__(self, port, log_path, *, workers=None):
        self.port = port
        self.log_path = log_path
        self.env = {**os.environ}
        if workers:
            self.env["WEB_CONCURRENCY"] = str(workers)
        self.threads = int(self.env.get("GUNICORN_THREADS") or 2)
        self.process = None
        self.pids_seen = set()

    def __enter__(self):
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited:\n{self.log_path.read_text()}")
            try:
                status, _, _ = load.fetch(f"http://127.0.0.1:{self.port}", "GET", "/health/")
            except OSError:
                status = None
            if status == 200 and len(self.worker_pids()) >= self.expected_workers():
                return self
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not start:\n{self.log_path.read_text()}")

    def __exit__(self, *exc_info):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()

    def expected_workers(self):
        return int(self.env.get("WEB_CONCURRENCY") or (os.cpu_count() or 1) * 2 + 1)

    def worker_pids(self):
        """The master's children, read from /proc."""
        pids = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            # The command name is in parentheses and may hold spaces: the ppid follows it.
            if int(stat.rsplit(")", 1)[1].split()[1]) == self.process.pid:
                pids.append(int(entry.name))
        self.pids_seen.update(pids)
        return pids

    def worker_rss_mb(self):
        """The largest resident set of the workers, in MB (VmRSS from /proc/<pid>/status)."""
        largest = 0
        for pid in self.worker_pids():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            for line in status.splitlines():
                if line.startswith("VmRSS:"):
                    largest = max(largest, int(line.split()[1]))
        return largest / 1024


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
            requests=sum(result.requests for result in slices),
            seconds=sum(result.seconds for result in slices),
            reference_rps=reference_rps,
            cpu_ms=cpu_ms,
            reference_cpu_ms=self.reference_cpu_ms,
        )

    def _cpu_ms(self, page, count=CPU_SAMPLES):
        """The median CPU time the server spent on `count` requests sent one at a time."""
        return statistics.median(int(self._fetch(page)[CPU_HEADER]) / 1000 for _ in range(count))

    def _sample(self, page):
        """The page's query count, told by one request alone."""
        queries = self._fetch(page).get(QUERY_HEADER)
        return int(queries) if queries is not None else None

    def _fetch(self, page):
        """One request alone, which must succeed: its response headers."""
        path = page.next_path()
        status, headers, body = load.fetch(
            self.base_url, page.method, path, headers=page.headers, body=page.body
        )
        if status != 200:
            raise RuntimeError(f"{page.label}: {page.method} {path} answered {status}: {body!r}")
        return headers

    def _run(self, page, seconds):
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


# --- Report --------------------------------------------------------------------------------


def machine():
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} x {model}, Python {platform.python_version()}"


def verdict(ok):
    return "ok" if ok else "MISSED"


def markdown_table(headers, rows):
    """The lines of a Markdown table: the first column to the left, the others to the right."""
    widths = [max(len(cell) for cell in column) for column in zip(headers, *rows, strict=True)]

    def line(cells):
        padded = [
            cell.ljust(width) if index == 0 else cell.rjust(width)
            for index, (cell, width) in enumerate(zip(cells, widths, strict=True))
        ]
        return "| " + " | ".join(padded) + " |"

    rule = "|".join(
        "-" * (width + 2) if index == 0 else "-" * (width + 1) + ":"
        for index, width in enumerate(widths)
    )
    return [line(headers), f"|{rule}|", *(line(row) for row in rows)]


def report(summary, rows, mail_result, first_load):
    counts = summary["counts"]
    out = [
        "",
        f"Talks benchmark, {summary['date']}: {counts['speakers']:,} speakers, "
        f"{counts['talks']:,} talks, {counts['comments']:,} comments ({summary['scale']}), "
        f"{summary['database']}",
        f"gunicorn {summary['workers']} workers x {summary['threads']} threads, "
        f"{summary['client']} with {summary['connections']} connections for "
        f"{summary['seconds']:g} s a page, on {summary['machine']}",
        "",
    ]
    table = [
        [
            row.label,
            f"{row.rps:.0f}",
            f"{row.ratio:.2f}",
            f"≥ {row.target:g} {verdict(row.ratio >= row.target)}" if row.target else "",
            f"{row.p50_ms:.1f}",
            f"{row.p99_ms:.1f}",
            "" if row.queries is None else str(row.queries),
            f"{row.rss_mb:.0f}",
            f"{row.cpu_ms:.2f}",
            f"{row.cpu_ratio:.2f}",
        ]
        for row in rows
    ]
    out += markdown_table(
        [
            "page",
            "req/s",
            "x ref",
            "target",
            "p50 ms",
            "p99 ms",
            "queries",
            "RSS MB",
            "CPU ms",
            "CPU x ref",
        ],
        table,
    )
    out.append(
        "(CPU ms: the server's median CPU time per request, sent one at a time; CPU x ref is "
        "the reference page's over the page's, a cross-check that moves less with the load "
        "of other processes.)"
    )
    out.append("")
    missed = [row.label for row in rows if row.target and row.ratio < row.target]
    out.append(
        f"Pages at their target share of the reference page's requests/s: {verdict(not missed)}"
        + (f" (missed: {', '.join(missed)})" if missed else "")
    )
    final_rss = summary["final_rss_mb"]
    out.append(
        f"Largest worker RSS after the run: {final_rss:.0f} MB "
        f"(limit {RSS_LIMIT_MB} MB): {verdict(final_rss <= RSS_LIMIT_MB)}"
    )
    if summary["seed_seconds"] is not None:
        out.append(
            f"seed_demo: {summary['seed_seconds']:.0f} s "
            f"(limit {SEED_LIMIT_S} s at the default scale): "
            f"{verdict(summary['seed_seconds'] < SEED_LIMIT_S)}"
        )
    if mail_result is not None:
        out.append(
            f"Notification delivery, {mail_result.emails:,} emails of {mail_result.message_bytes:,}"
            f" bytes over one connection: flush {mail_result.flush_rate:,.0f}/s, plain smtplib "
            f"{mail_result.smtplib_rate:,.0f}/s, ratio {mail_result.ratio:.2f} "
            f"(target ≥ {MAIL_TARGET}): {verdict(mail_result.ratio >= MAIL_TARGET)}"
        )
        out.append(
            f"    Django's mail API alone (fixed text, no database, no templates): "
            f"{mail_result.django_rate:,.0f}/s, ratio {mail_result.django_ratio:.2f}"
        )
    kb = first_load.wire_bytes / 1024
    ok = kb <= FIRST_LOAD_KB and first_load.requests <= FIRST_LOAD_REQUESTS
    out.append(
        f"Home page first load: {first_load.requests} requests, {kb:.1f} KB on the wire "
        f"(limit {FIRST_LOAD_REQUESTS} requests, {FIRST_LOAD_KB} KB): {verdict(ok)}"
    )
    for asset in [first_load.page, *first_load.assets]:
        out.append(
            f"    {asset.url:<60} {asset.status} {asset.encoding:<8} "
            f"{asset.wire_bytes / 1024:>6.1f} KB  {asset.cache_control}"
        )
    out.append(
        "Static files hashed, cached a year as immutable, no render-blocking script: "
        + ("ok" if not first_load.problems else "MISSED: " + "; ".join(first_load.problems))
    )
    print("\n".join(out), flush=True)


def compare_scales(vendor):
    """The small and large runs side by side, when both have been made on this database."""
    paths = [RESULTS / f"{scale}-{vendor}.json" for scale in ("small", "large")]
    if not all(path.exists() for path in paths):
        return
    small, large = (json.loads(path.read_text()) for path in paths)
    small_rows = {row["key"]: row for row in small["rows"]}
    large_rows = {row["key"]: row for row in large["rows"]}
    table = []
    for key in ("reference", *SCALE_PAGES):
        if key not in small_rows or key not in large_rows:
            continue
        small_row, large_row = small_rows[key], large_rows[key]
        # A page's share of its own run's reference absorbs a change of machine load between
        # the two runs; the slowdown compares those shares. The CPU one compares the pages'
        # CPU time per request against the reference's, which other processes disturb less.
        slowdown = small_row["ratio"] / large_row["ratio"]
        cpu_slowdown = small_row["cpu_ratio"] / large_row["cpu_ratio"]
        table.append(
            [
                small_row["label"],
                f"{small_row['rps']:.0f}",
                f"{small_row['ratio']:.2f}",
                f"{large_row['rps']:.0f}",
                f"{large_row['ratio']:.2f}",
                "" if key == "reference" else f"{slowdown:.2f} {verdict(slowdown <= SCALE_LIMIT)}",
                "" if key == "reference" else f"{cpu_slowdown:.2f}",
            ]
        )
    setup = ("client", "connections", "seconds", "workers", "threads")
    differs = [name for name in setup if small.get(name) != large.get(name)]
    out = [
        "",
        f"Scale comparison on {vendor}: {small['counts']['talks']:,} talks ({small['date']}) "
        f"against {large['counts']['talks']:,} ({large['date']}); slowdown is the small run's "
        f"x ref over the large run's (limit {SCALE_LIMIT}); CPU slowdown the same with CPU x ref",
        "",
        *markdown_table(
            ["page", "small req/s", "x ref", "large req/s", "x ref", "slowdown", "CPU slowdown"],
            table,
        ),
    ]
    if differs:
        out.append(f"(The two runs differ in {', '.join(differs)}: run both the same way.)")
    print("\n".join(out), flush=True)


if __name__ == "__main__":
    main()
