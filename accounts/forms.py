from django import forms
from django.contrib.auth.forms import AuthenticationForm

from .models import User


class LoginForm(AuthenticationForm):
    """Email and password; "keep me logged in" lets the session outlive the browser."""

    username = forms.EmailField(
        label="Email", widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )
    remember_me = forms.BooleanField(label="Keep me logged in", required=False)


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["name", "location", "bio"]
        widgets = {"bio": forms.Textarea(attrs={"rows": 5})}
