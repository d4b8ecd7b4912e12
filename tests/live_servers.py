"""Real gunicorn servers in subprocesses, for tests that need production settings, several
processes, or a real file database.

Each test gets its own database (a copy of one migrated once per session: a file for SQLite,
`CREATE DATABASE … TEMPLATE` for PostgreSQL), so the servers see committed data and real locks.
Requests go through `HttpClient`, which speaks plain HTTP to the server while saying, as a
TLS-terminating load balancer would, that the client came over HTTPS.
"""

import contextlib
import http.client
import json as jsonlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import time
import urllib.parse
import uuid
from http.cookies import SimpleCookie
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
SECRET_KEY = "live-server-tests-" + "k" * 50
SERVER_START_TIMEOUT = 30

# Settings read from the environment: a test server gets exactly these, whatever .env says.
ENV_DEFAULTS = {
    "DJANGO_SETTINGS_MODULE": "talks_site.settings",
    "DEBUG": "false",
    "SECRET_KEY": SECRET_KEY,
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "CSRF_TRUSTED_ORIGINS": "",
    "SITE_URL": "https://talks.example.com",
    "EMAIL_URL": "memorymail://",
    "TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
    "COMMENT_RATE_LIMIT": "0",
    "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
    "LOG_LEVEL": "WARNING",
    "GUNICORN_LOG_LEVEL": "warning",
    "PYTHONDONTWRITEBYTECODE": "1",
    "PYTHONWARNINGS": "ignore::UserWarning",
}
# Whatever the developer's shell or .env set for these must not leak into a test server.
SCRUBBED = {
    "ADMINS",
    # Unset: the default, a cache table in the server's own database.
    "CACHE_URL",
    "AXES_COOLOFF_MINUTES",
    "AXES_FAILURE_LIMIT",
    "COMMENTS_PER_PAGE",
    "CONN_MAX_AGE",
    # Set by the browser tests' conftest for Playwright; `check --deploy` rightly refuses it.
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "DEFAULT_FROM_EMAIL",
    "MAIL_FLUSH_INTERVAL",
    "OUTBOX_MAX_ATTEMPTS",
    "OUTBOX_RETRY_DELAY",
    "PASSWORD_RESET_CLIENT_RATE_LIMIT",
    "PASSWORD_RESET_RATE_LIMIT",
    "PREPARED_STATEMENTS",
    "SECURE_HSTS_SECONDS",
    "SECURE_SSL_REDIRECT",
    "SERVER_EMAIL",
    "STATIC_ROOT",
    "TALKS_PER_PAGE",
    "TRUSTED_PROXY_COUNT",
    "WEB_CONCURRENCY",
}


def stop_process_group(process):
    """Stop a process started with start_new_session=True, and every process it started."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)


def server_env(**overrides):
    env = {key: value for key, value in os.environ.items() if key not in SCRUBBED}
    env.update(ENV_DEFAULTS)
    env.update({key: str(value) for key, value in overrides.items()})
    return env


def _run(argv, env, *, timeout):
    """Run a Python command at the project root on `env`; fail the test with its output."""
    result = subprocess.run(
        [sys.executable, *argv],
        cwd=ROOT,
        env=server_env(**env),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode:
        raise AssertionError(f"{' '.join(argv)[:200]} failed:\n{result.stdout}{result.stderr}")
    return result


def run_django(code, **env):
    """Run `code` in a fresh Python with Django set up on `env`; return what it printed."""
    script = "import django\ndjango.setup()\n" + textwrap.dedent(code)
    return _run(["-c", script], env, timeout=120).stdout


def manage(*args, **env):
    result = _run(["manage.py", *args], env, timeout=300)
    return result.stdout + result.stderr


# --- Databases ---------------------------------------------------------------------------


def on_postgresql():
    return connection.vendor == "postgresql"


def _postgres_url(name):
    db = connection.settings_dict
    user = urllib.parse.quote(db["USER"] or "postgres")
    password = ":" + urllib.parse.quote(db["PASSWORD"]) if db["PASSWORD"] else ""
    return f"postgres://{user}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


def _postgres_admin():
    import psycopg

    db = connection.settings_dict
    return psycopg.connect(
        dbname="postgres",
        user=db["USER"] or "postgres",
        password=db["PASSWORD"] or None,
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
        autocommit=True,
    )


def drop_postgres_database(name):
    with _postgres_admin() as admin:
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [name]
        )
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')


class LiveDatabase:
    """A database of its own for subprocess servers, migrated, on the suite's engine."""

    def __init__(self, url, cleanup):
        self.url = url
        self._cleanup = cleanup

    def run(self, code, **env):
        return run_django(code, DATABASE_URL=self.url, **env)

    def close(self):
        self._cleanup()


@pytest.fixture(scope="session")
def live_database_template(tmp_path_factory, django_db_setup, django_db_blocker):
    """One migrated database per session, copied for each test."""
    with django_db_blocker.unblock():
        vendor = connection.vendor
        if vendor == "postgresql":
            name = f"{connection.settings_dict['NAME']}_live_template"[:63]
            drop_postgres_database(name)
            with _postgres_admin() as admin:
                admin.execute(f'CREATE DATABASE "{name}"')
            url = _postgres_url(name)
        elif vendor == "sqlite":
            name = tmp_path_factory.mktemp("live-db") / "template.sqlite3"
            url = f"sqlite:///{name}"
        else:
            pytest.fail(f"No live database for {vendor}")
    manage("migrate", "--noinput", DATABASE_URL=url)
    yield vendor, name
    if vendor == "postgresql":
        drop_postgres_database(name)


def new_live_database(template, directory):
    """A fresh copy of the migrated template: a file in `directory`, or a PostgreSQL database."""
    vendor, template = template
    if vendor == "postgresql":
        name = f"{template[: -len('_template')]}_{uuid.uuid4().hex[:8]}"
        with _postgres_admin() as admin:
            admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        return LiveDatabase(_postgres_url(name), lambda: drop_postgres_database(name))
    path = Path(directory) / "talks.sqlite3"
    shutil.copy(template, path)
    return LiveDatabase(f"sqlite:///{path}", lambda: None)


@pytest.fixture
def live_database(live_database_template, tmp_path):
    """A fresh migrated database for this test's servers."""
    database = new_live_database(live_database_template, tmp_path)
    yield database
    database.close()


# --- Servers -----------------------------------------------------------------------------


class Server:
    """A gunicorn process serving the site with production settings."""

    def __init__(self, *, log_path, workers=1, threads=1, **env):
        # Listening before gunicorn starts, and handing it the socket, leaves no moment in which
        # another process could take the port.
        self.socket = socket.create_server(("127.0.0.1", 0), backlog=128)
        self.socket.set_inheritable(True)
        self.port = self.socket.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self.env = server_env(
            GUNICORN_BIND=f"fd://{self.socket.fileno()}",
            WEB_CONCURRENCY=workers,
            GUNICORN_THREADS=threads,
            **env,
        )
        self.process = None

    def start(self):
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                pass_fds=[self.socket.fileno()],
            )
        self.socket.close()
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"gunicorn exited early:\n{self.log()}")
            with contextlib.suppress(OSError):
                if HttpClient(self.url).get("/health/", https=False).status in (200, 503):
                    return self
            time.sleep(0.1)
        self.stop()
        raise AssertionError(f"gunicorn did not answer in {SERVER_START_TIMEOUT} s:\n{self.log()}")

    def stop(self):
        if self.process is not None:
            stop_process_group(self.process)

    def log(self):
        return Path(self.log_path).read_text(errors="replace")

    def client(self):
        return HttpClient(self.url)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()


@pytest.fixture
def start_server(tmp_path):
    """Start gunicorn servers for this test; all of them stop when it ends."""
    servers = []

    def start(**env):
        server = Server(log_path=tmp_path / f"gunicorn-{len(servers)}.log", **env)
        servers.append(server)
        return server.start()

    yield start
    for server in servers:
        server.stop()
        # pytest shows this only when the test failed: the server's side of the story.
        print(f"--- {server.log_path.name} ({server.url}) ---\n{server.log()[-20000:]}")


# --- Client ------------------------------------------------------------------------------


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    @property
    def text(self):
        return self.body.decode("utf-8", errors="replace")

    def json(self):
        return jsonlib.loads(self.body)

    def header(self, name):
        return self.headers.get(name)

    def cookies(self):
        """The Set-Cookie headers, parsed: {name: Morsel}."""
        jar = SimpleCookie()
        for value in self.headers.get_all("Set-Cookie") or []:
            jar.load(value)
        return dict(jar)

    def __repr__(self):
        return f"<Response {self.status} {self.text[:200]!r}>"


class HttpClient:
    """A cookie-keeping HTTP client, behind a pretend TLS-terminating proxy by default.

    Cookies marked Secure are kept and sent, as the browser on the far side of the proxy would.
    """

    def __init__(self, base_url, *, timeout=30):
        parsed = urllib.parse.urlsplit(base_url)
        self.host, self.port = parsed.hostname, parsed.port
        self.timeout = timeout
        self.cookies = {}

    @property
    def origin(self):
        return f"https://{self.host}:{self.port}"

    def request(self, method, path, *, body=b"", headers=None, https=True):
        headers = dict(headers or {})
        if https:
            headers.setdefault("X-Forwarded-Proto", "https")
        if method not in ("GET", "HEAD", "OPTIONS", "TRACE"):
            headers.setdefault("Origin", self.origin)
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if isinstance(body, str):
            body = body.encode()
        conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            conn.request(method, path, body=body or None, headers=headers)
            raw = conn.getresponse()
            response = Response(raw.status, raw.headers, raw.read())
        finally:
            conn.close()
        for name, morsel in response.cookies().items():
            if morsel["max-age"] == "0":
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = morsel.value
        return response

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path, data=None, *, headers=None, csrf_from="/auth/login/", **kwargs):
        """A form post carrying the CSRF token, as the form on page `csrf_from` would."""
        fields = dict(data or {})
        fields.setdefault("csrfmiddlewaretoken", self.csrf_token(csrf_from))
        headers = {"Content-Type": "application/x-www-form-urlencoded", **(headers or {})}
        body = urllib.parse.urlencode(fields, doseq=True)
        return self.request("POST", path, body=body, headers=headers, **kwargs)

    def send_json(self, method, path, payload, *, headers=None, **kwargs):
        headers = {"Content-Type": "application/json", **(headers or {})}
        return self.request(method, path, body=jsonlib.dumps(payload), headers=headers, **kwargs)

    def csrf_token(self, page="/auth/login/"):
        """The CSRF secret, fetching a page with a form when there is none yet."""
        if "csrftoken" not in self.cookies:
            self.get(page)
        return self.cookies["csrftoken"]

    def log_in(self, email, password):
        response = self.post("/auth/login/", {"username": email, "password": password})
        assert response.status == 302, response
        return response
