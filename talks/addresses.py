"""Addresses a visitor has proven to hold, and the addresses each speaker trusts.

Imported by talks.models (so Django sees these models) and importing nothing from it: the
foreign keys name their models by string.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q, Value
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# However many comments name an address, it is asked to confirm at most this often.
CONFIRMATION_INTERVAL = datetime.timedelta(days=1)


class EmailAddressQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(confirmed_at__isnull=False)

    def is_confirmed(self, address):
        """Is `address` proven: confirmed by its link, or a user's account address?"""
        from django.contrib.auth import get_user_model

        address = address.lower()
        # One query for both, as an approval asks it inside its write transaction.
        confirmed = self.confirmed().filter(address=address).values_list(Value(1))
        accounts = get_user_model().objects.filter(email__iexact=address).values_list(Value(1))
        return confirmed.union(accounts, all=True).exists()

    def claim_confirmation_email(self, address, now=None):
        """Record that `address` is being asked to confirm; False when it was asked within a day.

        One conditional UPDATE decides, so two comments at the same moment claim it once.
        """
        now = now or timezone.now()
        address = address.lower()
        self.get_or_create(address=address)
        due = Q(confirmation_sent_at__isnull=True) | Q(
            confirmation_sent_at__lte=now - CONFIRMATION_INTERVAL
        )
        return bool(
            self.filter(due, address=address, confirmed_at__isnull=True).update(
                confirmation_sent_at=now
            )
        )

    def confirm(self, address, now=None):
        """Mark `address` as proven (its owner followed our link); again, it changes nothing."""
        address = address.lower()
        self.get_or_create(address=address)
        self.filter(address=address, confirmed_at__isnull=True).update(
            confirmed_at=now or timezone.now()
        )


class EmailAddress(models.Model):
    """A visitor's email address, and whether its owner has shown they read it."""

    # Lower-cased, so that the unique constraint holds case-blind.
    address = models.EmailField(_("address"), max_length=254, unique=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    # When the last "confirm your address" email was queued: it is sent at most once a day.
    confirmation_sent_at = models.DateTimeField(_("confirmation sent at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    objects = EmailAddressQuerySet.as_manager()

    class Meta:
        verbose_name = _("email address")
        verbose_name_plural = _("email addresses")

    def __str__(self):
        return self.address

    @property
    def is_confirmed(self):
        return self.confirmed_at is not None


class TrustedAddressQuerySet(models.QuerySet):
    def of(self, speaker):
        """The addresses `speaker` trusts, newest first, with the comment each was trusted from."""
        return (
            self.filter(speaker=speaker)
            .select_related("from_comment__talk")
            .order_by("-created_at", "-id")
        )

    def trusts(self, speaker_id, address):
        """Does the speaker `speaker_id` publish comments from `address` without review?"""
        return self.filter(speaker_id=speaker_id, address=address.lower()).exists()


class TrustedAddress(models.Model):
    """A speaker publishes comments from this address without review (with its cookie)."""

    speaker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="trusted_addresses",
        db_index=False,  # trusted_address_per_speaker starts with speaker
        verbose_name=_("speaker"),
    )
    # Lower-cased, so that the unique constraint holds case-blind.
    address = models.EmailField(_("address"), max_length=254)
    created_at = models.DateTimeField(_("trusted at"), default=timezone.now, editable=False)
    from_comment = models.ForeignKey(
        "talks.Comment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("from comment"),
    )

    objects = TrustedAddressQuerySet.as_manager()

    class Meta:
        verbose_name = _("trusted address")
        verbose_name_plural = _("trusted addresses")
        constraints = [
            # Also serves "does this speaker trust this address" at every visitor comment.
            models.UniqueConstraint(
                fields=["speaker", "address"], name="trusted_address_per_speaker"
            ),
        ]

    def __str__(self):
        return f"{self.address} trusted by {self.speaker_id}"
