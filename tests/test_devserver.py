"""`make run`'s devserver: however it is stopped, runserver and the worker stop with it."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bench.server import child_pids
from talks.tests.smtpd import free_port
from tests.live_servers import ROOT, server_env, stop_process_group

START_TIMEOUT = 60
STOP_TIMEOUT = 20


def port_is_free(port):
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def descendants(pid):
    found = []
    for child in child_pids(pid):
        found += [child, *descendants(child)]
    return found


def is_running(pid):
    """Whether `pid` is a live process: gone, or a zombie no one has reaped yet, is not."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def wait_until(condition, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_a_stop_signal_stops_runserver_and_the_worker_and_frees_the_port(
    signum, live_database, tmp_path
):
    port = free_port()
    env = server_env(
        DATABASE_URL=live_database.url,
        DEBUG="true",
        TASKS_BACKEND="django_tasks_db.DatabaseBackend",
    )
    log_path = tmp_path / "devserver.log"
    with open(log_path, "wb") as log:
        devserver = subprocess.Popen(
            [sys.executable, "manage.py", "devserver", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    spawned = []
    try:
        # runserver's autoreloader, the server it starts, and the worker.
        started = wait_until(
            lambda: not port_is_free(port) and len(descendants(devserver.pid)) >= 3,
            START_TIMEOUT,
        )
        assert started, log_path.read_text()
        spawned += descendants(devserver.pid)
        commands = [Path(f"/proc/{pid}/cmdline").read_bytes() for pid in spawned]
        assert any(b"runserver" in command for command in commands), commands
        assert any(b"db_worker" in command for command in commands), commands

        # To the devserver alone, as a process manager or `kill` sends it.
        os.kill(devserver.pid, signum)

        assert devserver.wait(timeout=STOP_TIMEOUT) is not None
        assert wait_until(lambda: not any(is_running(pid) for pid in spawned), STOP_TIMEOUT), [
            pid for pid in spawned if is_running(pid)
        ]
        assert wait_until(lambda: port_is_free(port), STOP_TIMEOUT)
    finally:
        # Whatever a failed stop left behind goes, so that it holds no port after the test.
        stop_process_group(devserver)
        for pid in spawned:
            if is_running(pid):
                os.kill(pid, signal.SIGKILL)
