from django.core.management.base import BaseCommand, CommandError

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
            raise CommandError(f"No speaker is called {username!r}.") from None

        def progress(done, total):
            self.stderr.write(f"{done}/{total} talks written")

        try:
            count = export_speaker(speaker, directory, progress=progress)
        except OSError as error:
            raise CommandError(f"Cannot write to {directory}: {error}") from error
        self.stdout.write(f"Exported {count} talks of {username} to {directory}.")
