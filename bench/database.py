"""Setting up the data: the bench's environment, an empty database, the seeded rows."""

import secrets
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

from . import mail
from .report import say

ROOT = Path(__file__).resolve().parent.parent
# The showcase talk's comments, published and waiting: the talk pages and /moderate/ show them.
SHOWCASE_APPROVED, SHOWCASE_PENDING = 100, 500


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


def vendor(url):
    return "postgresql" if url.startswith(("postgres:", "postgresql:")) else "sqlite"


def build(url, counts, *, reuse):
    """Migrate and seed the database at `url` (kept instead when `reuse` finds one), then collect
    the static files: the seconds seed_demo took, or None when it did not run."""
    seed_seconds = None
    if reuse and database_exists(url):
        say("Reusing the database from the last run (--reuse-db)")
    else:
        create_database(url)
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
    return seed_seconds
