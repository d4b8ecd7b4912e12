from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from talks.export.writer import export_speaker


class Command(BaseCommand):
    help = (
        "Write a speaker's talks and published comments to DIR/talks.json, and a static copy of "
        "their pages (DIR/index.html, one page per talk) that opens from disk."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("directory")

    def handle(self, *args, username, directory, **options):
        try:
            speaker = User.objects.get(username=username)
        except User.DoesNotExist:
            raise CommandError(
                _("No speaker is called %(username)r.") % {"username": username}
            ) from None

        def progress(done, total):
            self.stderr.write(
                _("%(done)d/%(total)d talks written") % {"done": done, "total": total}
            )

        try:
            count = export_speaker(speaker, directory, progress=progress)
        except OSError as error:
            raise CommandError(
                _("Cannot write to %(directory)s: %(error)s")
                % {"directory": directory, "error": error}
            ) from error
        self.stdout.write(
            ngettext(
                "Exported %(count)d talk of %(username)s to %(directory)s.",
                "Exported %(count)d talks of %(username)s to %(directory)s.",
                count,
            )
            % {"count": count, "username": username, "directory": directory}
        )
