import contextlib
import signal
import subprocess
import sys

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Development: the web server and the notification worker together; Ctrl-C stops both."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args, addrport, **options):
        manage = [sys.executable, "manage.py"]
        processes = [
            subprocess.Popen([*manage, "db_worker", "--interval", "2"]),
            subprocess.Popen([*manage, "runserver", addrport]),
        ]
        self.stdout.write(f"Talks is at http://{addrport}/ (Ctrl-C stops it)")
        try:
            # Whichever stops first (or Ctrl-C) stops the other.
            while all(process.poll() is None for process in processes):
                with contextlib.suppress(subprocess.TimeoutExpired):
                    processes[1].wait(timeout=1)
        except KeyboardInterrupt:
            pass
        finally:
            for process in processes:
                if process.poll() is None:
                    process.send_signal(signal.SIGINT)
            for process in processes:
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
