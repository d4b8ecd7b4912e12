"""The outbox's rows: emails waiting to be sent, sent, or given up on (imported by talks.models)."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

PENDING = Q(sent_at__isnull=True, failed_at__isnull=True)


class OutboxEmailQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(PENDING)

    def failed(self):
        """Emails given up on after OUTBOX_MAX_ATTEMPTS failures, kept for the admin to see."""
        return self.filter(failed_at__isnull=False)

    def due(self, now=None, *, backoff=True):
        """Pending emails whose flush interval and retry backoff have passed, oldest first.

        The prompt kinds wait for no interval: someone is waiting for them. `backoff=False`
        also takes the failed emails still waiting out their backoff (an operator's flush).
        """
        now = now or timezone.now()
        cutoff = now - datetime.timedelta(seconds=settings.MAIL_FLUSH_INTERVAL)
        interval_over = Q(created_at__lte=cutoff) | Q(kind__in=OutboxEmail.PROMPT_KINDS)
        due = self.pending().filter(interval_over)
        if backoff:
            due = due.filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        return due.order_by("created_at", "id")


class OutboxEmail(models.Model):
    """An email waiting to be sent (or sent, or given up on): one pending per address, talk and
    kind."""

    class Kind(models.TextChoices):
        MODERATION = "moderation", _("comments waiting for moderation")
        NEW_COMMENTS = "new_comments", _("new comments")
        PASSWORD_RESET = "password_reset", _("password reset link")
        CONFIRM_ADDRESS = "confirm_address", _("confirm your email address")
        PUBLISH_COMMENT = "publish_comment", _("publish your comment")
        COMMENT_APPROVED = "comment_approved", _("your comment is published")

    # Sent at the next flush, asked for at once: someone is waiting for them.
    PROMPT_KINDS = (Kind.CONFIRM_ADDRESS, Kind.PUBLISH_COMMENT, Kind.PASSWORD_RESET)

    # The talk a notification is about; none for a password reset.
    talk = models.ForeignKey(
        "talks.Talk",
        on_delete=models.CASCADE,
        verbose_name=_("talk"),
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # outbox_talk_idx and the pending constraint cover the lookups by talk
    )
    # The account a password reset link is for: its token is made when the email is written,
    # so no token is ever stored.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # Lower-cased, so that the pending constraint holds case-blind.
    address = models.EmailField(_("address"), max_length=254)
    name = models.CharField(_("name"), max_length=150, blank=True)
    # The recipient's language, worked out when the row is made: the email is written in it.
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        db_default=settings.LANGUAGE_CODE,  # rows written in bulk, by SQL, get it too
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind)
    # The comments this email tells of; more join it until it is sent.
    comments = models.ManyToManyField("talks.Comment", verbose_name=_("comments"), related_name="+")
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    # After a failure the row waits here before its next try, longer after each (the backoff).
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    # Set once OUTBOX_MAX_ATTEMPTS tries failed: the row is no longer pending, and stays.
    failed_at = models.DateTimeField(_("failed"), null=True, blank=True)

    objects = OutboxEmailQuerySet.as_manager()

    class Meta:
        verbose_name = _("outbox email")
        verbose_name_plural = _("outbox emails")
        constraints = [
            # A second comment before the flush joins the pending email instead of adding one;
            # it also serves "is one queued for (address, talk)" and the unsubscribe delete.
            models.UniqueConstraint(
                fields=["address", "talk", "kind"],
                condition=PENDING,
                name="outbox_one_pending_per_address_talk_kind",
            ),
        ]
        indexes = [
            # The flush: WHERE <pending> AND created_at <= … ORDER BY created_at.
            models.Index(fields=["created_at"], condition=PENDING, name="outbox_due_idx"),
            # Deleting a talk cascades here: WHERE talk_id = ….
            models.Index(fields=["talk"], name="outbox_talk_idx"),
        ]

    def __str__(self):
        if self.sent_at:
            state = gettext("sent %(when)s") % {"when": f"{self.sent_at:%Y-%m-%d %H:%M}"}
        elif self.failed_at:
            state = gettext("failed %(when)s") % {"when": f"{self.failed_at:%Y-%m-%d %H:%M}"}
        else:
            state = gettext("pending")
        values = {"kind": self.get_kind_display(), "address": self.address, "state": state}
        if self.talk_id:
            return gettext("%(kind)s to %(address)s about talk %(talk)s (%(state)s)") % {
                **values,
                "talk": self.talk_id,
            }
        return gettext("%(kind)s to %(address)s (%(state)s)") % values
