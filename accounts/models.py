import hashlib
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

GRAVATAR_URL = "https://www.gravatar.com/avatar/"


class SpeakerManager(UserManager):
    def get_by_natural_key(self, email):
        # People type their address in any case; it is stored as given but unique case-blind.
        return self.get(email__iexact=email)


class User(AbstractUser):
    """A speaker (or admin). Visitors never have an account."""

    email = models.EmailField(_("email address"), max_length=254, unique=True)
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

    def avatar_url(self, size=256, default="identicon", rating="pg"):
        """Gravatar URL for this user's email (SHA-256 of the trimmed, lower-cased address)."""
        digest = hashlib.sha256(self.email.strip().lower().encode()).hexdigest()
        query = urlencode({"s": size, "r": rating, "d": default})
        return f"{GRAVATAR_URL}{digest}?{query}"

    @property
    def map_url(self):
        return "https://www.openstreetmap.org/search?" + urlencode({"query": self.location})
