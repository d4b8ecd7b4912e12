import contextlib
import os
import signal
import subprocess
import sys

from django.conf import settings
from django.core.management.base import BaseCommand

# The worker that runs each task backend's queue; the immediate backend needs none.
WORKERS = {
    "django_tasks_db.DatabaseBackend": ["db_worker", "--interval", "1"],
    # The scheduler starts the tasks enqueued with run_after (the delayed email flushes).
    "django_tasks_rq.RQBackend": (
        ["rqworker", "default", "--with-scheduler", "--job-class", "django_tasks_rq.Job"]
    ),
}


class Command(BaseCommand):
    help = "Development: the web server and the notification worker together; Ctrl-C stops both."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args, addrport, **options):
        manage = [sys.executable, "manage.py"]
        # Each child leads its own process group, so stopping it also stops the process that
        # runserver's autoreloader starts under it.
        worker = WORKERS.get(settings.TASKS["default"]["BACKEND"])
        processes = [subprocess.Popen([*manage, "runserver", addrport], start_new_session=True)]
        if worker:
            processes.append(subprocess.Popen([*manage, *worker], start_new_session=True))
        self.stdout.write(f"Talks is at http://{addrport}/ (Ctrl-C stops it)")
        try:
            # Whichever stops first (or Ctrl-C) stops the other.
            while all(process.poll() is None for process in processes):
                with contextlib.suppress(subprocess.TimeoutExpired):
                    processes[0].wait(timeout=1)
        except KeyboardInterrupt:
            pass
        finally:
            for process in processes:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGTERM)
            for process in processes:
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
