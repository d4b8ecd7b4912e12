from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from talks_site.email_addresses import validate_deliverable_email

from .avatars import gravatar_url
from .identity import login_identity, lookup_spelling


class SpeakerManager(UserManager):
    def get_by_natural_key(self, email):
        """The account whose address is `email` under login_identity() (how every login finds it).

        People type their address in any case; it is stored as given but unique case-blind.
        """
        wanted = login_identity(email)
        for user in self.filter(email__iexact=lookup_spelling(email)):
            if login_identity(user.email) == wanted:
                return user
        raise self.model.DoesNotExist(f"No account has the email address {email!r}.")

    def for_login_identity(self, email):
        """Active accounts whose address is `email` under login_identity()."""
        wanted = login_identity(email)
        return [
            user
            for user in self.filter(email__iexact=lookup_spelling(email), is_active=True)
            if login_identity(user.email) == wanted
        ]


class User(AbstractUser):
    """A speaker (or admin). Visitors never have an account."""

    email = models.EmailField(
        _("email address"), max_length=254, unique=True, validators=[validate_deliverable_email]
    )
    name = models.CharField(_("name"), max_length=64, blank=True)
    location = models.CharField(_("location"), max_length=64, blank=True)
    bio = models.TextField(_("bio"), blank=True)
    # Blank until the user picks one: their emails then go out in settings.LANGUAGE_CODE.
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        blank=True,
        db_default="",
        help_text=_("The language of the emails this site sends you."),
    )

    class Avatar(models.TextChoices):
        GENERATED = "generated", _("A pattern drawn by this site (tells nothing about you)")
        GRAVATAR = "gravatar", _("The Gravatar of a public email address (below)")

    avatar = models.CharField(
        _("avatar"),
        max_length=16,
        choices=Avatar,
        default=Avatar.GENERATED,
        db_default=Avatar.GENERATED,  # rows written outside Django (imports) get ours too
    )
    # Shown to nobody, but its Gravatar hash is public: never the login email unless typed here.
    gravatar_email = models.EmailField(
        _("public email for Gravatar"),
        max_length=254,
        blank=True,
        db_default="",
        validators=[validate_deliverable_email],
        help_text=_("Its Gravatar hash is public, so anyone who guesses it can tell it is yours."),
    )

    first_name = None
    last_name = None

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["username"]

    objects = SpeakerManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="user_email_ci_unique",
                violation_error_message=_("A user with that email address already exists."),
            ),
        ]

    def __str__(self):
        return self.username

    def get_absolute_url(self):
        return reverse("accounts:profile", args=[self.username])

    def get_short_name(self):
        return self.username

    @property
    def email_language(self):
        """The language this user's emails are written in."""
        return self.language or settings.LANGUAGE_CODE

    @property
    def display_name(self):
        """The name pages and emails show: the one the user gave, else their username."""
        return self.name or self.username

    def get_full_name(self):
        # Django's own pages (the admin's history) ask for the name by this hook.
        return self.display_name

    def clean(self):
        super().clean()
        if self.avatar == self.Avatar.GRAVATAR and not self.gravatar_email:
            raise ValidationError({"gravatar_email": _("Give the address whose Gravatar to show.")})

    def avatar_url(self, size=256, default="identicon", rating="pg"):
        """The avatar the speaker chose: ours (a path on this site), or a Gravatar URL.

        The Gravatar is that of the public address they gave, never of their login email.
        """
        if self.avatar == self.Avatar.GRAVATAR and self.gravatar_email:
            return gravatar_url(self.gravatar_email, size=size, default=default, rating=rating)
        return reverse("accounts:avatar", args=[self.username])

    @property
    def map_url(self):
        return "https://www.openstreetmap.org/search?" + urlencode({"query": self.location})
