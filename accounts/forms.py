from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from .models import User


class LoginForm(AuthenticationForm):
    """Email and password; "keep me logged in" lets the session outlive the browser."""

    username = forms.EmailField(
        label=_("Email"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    remember_me = forms.BooleanField(label=_("Keep me logged in"), required=False)

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "Please enter a correct email and password. The password is case-sensitive."
        ),
    }

    def clean_username(self):
        # Addresses match in any case; one spelling also gives login throttling one key per
        # account, so changing the case of the address does not buy more guesses.
        return self.cleaned_data["username"].lower()


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["name", "location", "bio", "language"]
        widgets = {"bio": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Blank: no choice made, the emails are written in settings.LANGUAGE_CODE.
        self.fields["language"].choices = [("", _("Site default")), *settings.LANGUAGES]
