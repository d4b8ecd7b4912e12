"""The server: gunicorn with the production configuration, started and stopped around the run."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from . import load
from .database import ROOT


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
        """The master's children."""
        pids = child_pids(self.process.pid)
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


def child_pids(pid):
    """The processes whose parent is `pid`, read from /proc."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name is in parentheses and may hold spaces: the ppid follows it.
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            pids.append(int(entry.name))
    return pids
