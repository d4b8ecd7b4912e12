"""gunicorn.conf.py: the production server's settings come from the environment."""

import multiprocessing
import runpy
from pathlib import Path

import pytest

CONF = Path(__file__).resolve().parent.parent / "gunicorn.conf.py"
VARIABLES = (
    "PORT",
    "HOST",
    "GUNICORN_BIND",
    "WEB_CONCURRENCY",
    "GUNICORN_THREADS",
    "GUNICORN_TIMEOUT",
    "GUNICORN_MAX_REQUESTS",
    "FORWARDED_ALLOW_IPS",
)


@pytest.fixture
def conf(monkeypatch):
    """Read gunicorn.conf.py as gunicorn does, under the given environment."""
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)

    def read(**env):
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        return runpy.run_path(str(CONF))

    return read


def test_defaults_suit_one_machine_and_log_to_stdout(conf):
    settings = conf()

    assert settings["wsgi_app"] == "talks_site.wsgi:application"
    assert settings["bind"] == "0.0.0.0:8000"
    assert settings["workers"] == multiprocessing.cpu_count() * 2 + 1
    assert (settings["threads"], settings["timeout"]) == (2, 30)
    assert (settings["max_requests"], settings["max_requests_jitter"]) == (1000, 100)
    assert (settings["accesslog"], settings["errorlog"]) == ("-", "-")
    assert settings["control_socket_disable"] is True


def test_workers_threads_and_address_come_from_the_environment(conf):
    settings = conf(
        PORT="9000",
        WEB_CONCURRENCY="4",
        GUNICORN_THREADS="8",
        GUNICORN_TIMEOUT="60",
        FORWARDED_ALLOW_IPS="10.0.0.1",
    )

    assert settings["bind"] == "0.0.0.0:9000"
    assert (settings["workers"], settings["threads"], settings["timeout"]) == (4, 8, 60)
    assert settings["forwarded_allow_ips"] == "10.0.0.1"


def test_a_full_bind_address_wins_over_the_port(conf):
    assert conf(GUNICORN_BIND="unix:/run/talks.sock", PORT="9000")["bind"] == (
        "unix:/run/talks.sock"
    )


def test_the_running_server_logs_each_request_on_stdout(live_database, start_server):
    server = start_server(DATABASE_URL=live_database.url)

    server.client().get("/health/", headers={"User-Agent": "probe/1.0"}, https=False)
    server.stop()

    assert 'method=GET path="/health/" query="" status=200' in server.log()
    assert 'agent="probe/1.0"' in server.log()
