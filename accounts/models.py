import hashlib
from urllib.parse import urlencode

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse

from talks_site.email_addresses import validate_deliverable_email

from .identity import login_identity, lookup_spelling

GRAVATAR_URL = "https://www.gravatar.com/avatar/"


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
        "email address", max_length=254, unique=True, validators=[validate_deliverable_email]
    )
    name = models.CharField(max_length=64, blank=True)
    location = models.CharField(max_length=64, blank=True)
    bio = models.TextField(blank=True)

    first_name = None
    last_name = None

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["username"]

    objects = SpeakerManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="user_email_ci_unique",
                violation_error_message="A user with that email address already exists.",
            ),
        ]

    def __str__(self):
        return self.username

    def get_absolute_url(self):
        return reverse("accounts:profile", args=[self.username])

    def get_full_name(self):
        return self.name or self.username

    def get_short_name(self):
        return self.username

    @property
    def display_name(self):
        return self.name or self.username

    def avatar_url(self, size=256, default="identicon", rating="pg"):
        """Gravatar URL for this user's email (SHA-256 of the trimmed, lower-cased address)."""
        digest = hashlib.sha256(self.email.strip().lower().encode()).hexdigest()
        query = urlencode({"s": size, "r": rating, "d": default})
        return f"{GRAVATAR_URL}{digest}?{query}"

    @property
    def map_url(self):
        return "https://www.openstreetmap.org/search?" + urlencode({"query": self.location})
