import contextlib
import os
import signal
import subprocess
import sys

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

# The worker that runs each task backend's queue; the immediate backend needs none.
WORKERS = {
    "django_tasks_db.DatabaseBackend": ["db_worker", "--interval", "1"],
    # The scheduler starts the tasks enqueued with run_after (the delayed email flushes).
    "django_tasks_rq.RQBackend": (
        ["rqworker", "default", "--with-scheduler", "--job-class", "django_tasks_rq.Job"]
    ),
}
# What a process manager, `kill` or a closed terminal sends: each stops both children, as Ctrl-C.
STOP_SIGNALS = (signal.SIGTERM, signal.SIGHUP)


class Stopped(Exception):
    """Raised by a stop signal's handler, so that the children are stopped on the way out."""


def _raise_stopped(signum, frame):
    raise Stopped(signal.Signals(signum).name)


class Command(BaseCommand):
    help = _("Development: the web server and the notification worker together; Ctrl-C stops both.")

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args, addrport, **options):
        manage = [sys.executable, "manage.py"]
        for signum in STOP_SIGNALS:
            signal.signal(signum, _raise_stopped)
        # Each child leads its own process group, so stopping it also stops the process that
        # runserver's autoreloader starts under it; and Ctrl-C, sent to the terminal's group,
        # reaches this process alone, which then stops them in order.
        worker = WORKERS.get(settings.TASKS["default"]["BACKEND"])
        processes = [subprocess.Popen([*manage, "runserver", addrport], start_new_session=True)]
        if worker:
            processes.append(subprocess.Popen([*manage, *worker], start_new_session=True))
        self.stdout.write(
            _("Talks is at http://%(address)s/ (Ctrl-C stops it)") % {"address": addrport}
        )
        try:
            # Whichever stops first (or Ctrl-C, or a stop signal) stops the other.
            while all(process.poll() is None for process in processes):
                with contextlib.suppress(subprocess.TimeoutExpired):
                    processes[0].wait(timeout=1)
        except (KeyboardInterrupt, Stopped):
            pass
        finally:
            # A second signal must not cut the stopping short and leave a child behind.
            for signum in (*STOP_SIGNALS, signal.SIGINT):
                signal.signal(signum, signal.SIG_IGN)
            stop(processes)


def stop(processes):
    """SIGTERM to each child's process group, then SIGKILL to any still there after 10 s."""
    for process in processes:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()
