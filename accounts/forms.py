from functools import partial

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from talks import tasks
from talks.notifications import outbox
from talks_site.email_addresses import validate_deliverable_email

from .identity import login_identity
from .models import User


class LoginIdentityField(forms.EmailField):
    """An account's address as typed to log in, validated and handed on in its one spelling.

    accounts.identity: the lookup and the login throttle's counter both get this spelling, so
    changing the case or the Unicode form of the address does not buy more guesses.
    """

    # No account can have an address that no email can carry.
    default_validators = [*forms.EmailField.default_validators, validate_deliverable_email]

    def to_python(self, value):
        value = super().to_python(value)
        return login_identity(value) if value else value


def login_identity_field():
    return LoginIdentityField(
        label=_("Email"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )


class LoginForm(AuthenticationForm):
    """Email and password; "keep me logged in" lets the session outlive the browser."""

    username = login_identity_field()
    remember_me = forms.BooleanField(label=_("Keep me logged in"), required=False)

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "Please enter a correct email and password. The password is case-sensitive."
        ),
    }


class AdminLoginForm(AdminAuthenticationForm):
    """The admin's login, finding the account and counting failures like the site's."""

    username = login_identity_field()


class SpeakerPasswordResetForm(PasswordResetForm):
    """Password reset, finding the account under the same spelling as every login."""

    email = LoginIdentityField(
        label=_("Email"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )

    def get_users(self, email):
        return [
            user for user in User.objects.for_login_identity(email) if user.has_usable_password()
        ]

    def save(self, **kwargs):
        """Queue the link in the outbox, for the worker: the answer takes as long for any address.

        Django's form sends the email inside the request, so an address with an account
        answered measurably slower than one without.
        """
        with transaction.atomic():
            for user in self.get_users(self.cleaned_data["email"]):
                outbox.queue_password_reset(user)
                transaction.on_commit(partial(tasks.request_delivery, at_once=True), robust=True)


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["name", "location", "bio", "avatar", "gravatar_email", "language"]
        widgets = {"bio": forms.Textarea(attrs={"rows": 5}), "avatar": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A form that does not mention the avatar keeps the one chosen.
        self.fields["avatar"].required = False
        # Blank: no choice made, the emails are written in settings.LANGUAGE_CODE.
        self.fields["language"].choices = [("", _("Site default")), *settings.LANGUAGES]

    def clean_avatar(self):
        return self.cleaned_data["avatar"] or self.instance.avatar
