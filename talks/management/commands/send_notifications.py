import datetime
import signal
import threading

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from talks.models import OutboxEmail
from talks.notifications.outbox import flush_outbox


class Command(BaseCommand):
    help = (
        "Send the notification emails that are due (for cron, or --loop as a worker of its own). "
        "The task worker does this by itself; this command is the operator's way to do it now."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--all",
            action="store_true",
            dest="everything",
            help="also send the emails still inside their flush interval",
        )
        parser.add_argument(
            "--loop",
            action="store_true",
            help="keep flushing until stopped (Ctrl-C or SIGTERM)",
        )
        parser.add_argument(
            "--every",
            type=float,
            default=60,
            metavar="SECONDS",
            help="with --loop, the pause between flushes (default: 60)",
        )

    def handle(self, *args, everything, loop, every, **options):
        self.stopping = threading.Event()
        if loop:
            # A signal ends the pause, never a flush: an email the server has accepted is
            # always marked sent before the command exits.
            signal.signal(signal.SIGTERM, self.stop)
            signal.signal(signal.SIGINT, self.stop)
        while True:
            self.flush(everything=everything)
            if not loop or self.stopping.wait(every):
                return

    def stop(self, signum, frame):
        self.stopping.set()

    def flush(self, *, everything):
        now = timezone.now()
        if everything:
            # As if every pending email had waited its whole interval.
            now += datetime.timedelta(seconds=settings.MAIL_FLUSH_INTERVAL)
        # The operator asks now: an email waiting out its retry backoff is tried too.
        result = flush_outbox(now=now, backoff=False)
        waiting = OutboxEmail.objects.pending().count()
        sent = ngettext("Sent %(count)d email;", "Sent %(count)d emails;", result.sent) % {
            "count": result.sent
        }
        rest = gettext("%(failed)d failed, %(waiting)d waiting.") % {
            "failed": result.failed,
            "waiting": waiting,
        }
        self.stdout.write(f"{sent} {rest}")
