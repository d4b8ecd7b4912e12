"""gunicorn's settings for production: `gunicorn talks_site.wsgi` reads this file.

Every value comes from the environment, with a default that suits one small machine.
"""

import multiprocessing
import os


def _int(name, default):
    value = os.environ.get(name, "")
    return int(value) if value.strip() else default


wsgi_app = "talks_site.wsgi:application"

# PORT is what most platforms hand a web process; GUNICORN_BIND overrides it whole.
# A container's server listens on every interface; its platform decides what reaches it.
_host = os.environ.get("HOST", "0.0.0.0")  # noqa: S104 - see above
bind = os.environ.get("GUNICORN_BIND") or f"{_host}:{_int('PORT', 8000)}"

# WEB_CONCURRENCY is the name Heroku-style platforms and gunicorn itself already read.
workers = _int("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1)
# Threads let one worker wait on the database or SMTP for one request while serving another.
threads = _int("GUNICORN_THREADS", 2)
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# Recycle workers now and then, so that a slow leak never grows into an outage.
max_requests = _int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = max_requests // 10

# Heartbeat files on a RAM disk: a container's overlay filesystem can stall the workers.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108 - fixed system path

# Logs go to stdout/stderr, one line per request, where the platform collects them.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = (
    'remote=%(h)s method=%(m)s path="%(U)s" query="%(q)s" status=%(s)s bytes=%(B)s '
    'duration_ms=%(M)s agent="%(a)s"'
)

# The proxies whose X-Forwarded-Proto gunicorn believes (comma separated; gunicorn's own name).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Several instances run side by side on one machine (and in tests): each would fight over the
# one default control socket in $HOME, and nothing here uses it.
control_socket_disable = True
