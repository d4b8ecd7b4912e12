from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from accounts.models import User
from talks.export.reader import ExportFileError, import_talks, read


class Command(BaseCommand):
    help = (
        "Load a talks.json written by export_speaker: its talks and published comments join the "
        "speaker of the same username (or --as USERNAME). Importing a file twice adds nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the talks.json an export wrote")
        parser.add_argument("--as", dest="as_username", help="the speaker here to give them to")

    def handle(self, *args, path, as_username, **options):
        try:
            document = read(path)
            username = as_username or document["speaker"]["username"]
        except (ExportFileError, KeyError, TypeError) as error:
            raise CommandError(str(error)) from error
        try:
            speaker = User.objects.get(username=username)
        except User.DoesNotExist:
            raise CommandError(
                _(
                    "No speaker here is called %(username)r: create one with "
                    "`manage.py adduser`, or name another with --as USERNAME."
                )
                % {"username": username}
            ) from None
        try:
            talks, comments = import_talks(document, speaker)
        except ExportFileError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            _("Added %(talks)d talks and %(comments)d comments to %(username)s.")
            % {"talks": talks, "comments": comments, "username": username}
        )
