import getpass
import os

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import User
from talks_site.email_addresses import validate_deliverable_email

PASSWORD_VARIABLE = "DJANGO_USER_PASSWORD"  # noqa: S105 - the name of a variable, not a password


class Command(BaseCommand):
    help = _(
        "Register a speaker (or, with --admin, an admin) who logs in with EMAIL and a password."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("username")
        parser.add_argument("--admin", action="store_true", help=_("Make the user a superuser."))
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help=_("Take the password from the %(variable)s environment variable.")
            % {"variable": PASSWORD_VARIABLE},
        )

    def handle(self, *args, email, username, admin, interactive, **options):
        try:
            validate_email(email)
            validate_deliverable_email(email)
        except ValidationError:
            raise CommandError(
                _("%(email)r is not a valid email address.") % {"email": email}
            ) from None
        email = User.objects.normalize_email(email)
        if User.objects.filter(email__iexact=email).exists():
            raise CommandError(
                _("A user with the email %(email)s already exists.") % {"email": email}
            )
        # Profile addresses differing only in case (/user/John/, /user/john/) would let one
        # speaker pass for another.
        if User.objects.filter(username__iexact=username).exists():
            raise CommandError(
                _("A user with the username %(username)s already exists.") % {"username": username}
            )
        user = User(email=email, username=username, is_staff=admin, is_superuser=admin)
        try:
            user.full_clean(exclude=["password"])
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None

        password = self.read_password(interactive)
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None

        user.set_password(password)
        try:
            with transaction.atomic():
                user.save()
        except IntegrityError:
            # Someone registered the same address or username while we waited for the password.
            raise CommandError(_("A user with that email or username already exists.")) from None
        self.stdout.write(
            _("User %(username)s was registered successfully.") % {"username": username}
        )

    def read_password(self, interactive):
        if not interactive:
            password = os.environ.get(PASSWORD_VARIABLE, "")
            if not password:
                raise CommandError(
                    _("Set %(variable)s to use --noinput.") % {"variable": PASSWORD_VARIABLE}
                )
            return password
        try:
            password = getpass.getpass(_("Password: "))
            confirm = getpass.getpass(_("Confirm: "))
        except (EOFError, KeyboardInterrupt):
            self.stderr.write("")  # end the prompt's line, so the message gets its own
            raise CommandError(_("Cancelled.")) from None
        if password != confirm:
            raise CommandError(_("Passwords do not match."))
        if not password:
            raise CommandError(_("The password must not be empty."))
        return password
