import datetime
from typing import NamedTuple

from django.conf import settings
from django.db import models, transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .embeds import embed_for
from .markdown import render_markdown


class TalkQuerySet(models.QuerySet):
    def timeline(self):
        """Talks newest first, with what a listing shows of their author."""
        return self.select_related("author").order_by("-date", "-id")

    def by(self, user):
        """`user`'s talks, newest first. Each one's author is `user` itself: no join, no copies."""
        return (self & user.talks.all()).order_by("-date", "-id")

    def search(self, query):
        """Talks matching every word of `query` (text or a parsed one), best match first."""
        from .search import parse_query
        from .search.models import search

        query = parse_query(query) if isinstance(query, str) else query
        return search(self.select_related("author"), query) if query else self.none()


class Talk(models.Model):
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        verbose_name=_("author"),
        related_name="talks",
        db_index=False,  # talk_author_timeline_idx starts with author
    )
    title = models.CharField(_("title"), max_length=128)
    description = models.TextField(_("description"), blank=True)
    slides_url = models.CharField(_("slides"), max_length=500, blank=True)
    video_url = models.CharField(_("video"), max_length=500, blank=True)
    venue = models.CharField(_("venue"), max_length=128)
    venue_url = models.URLField(_("venue URL"), max_length=200, blank=True)
    date = models.DateField(_("date"))
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = TalkQuerySet.as_manager()

    class Meta:
        verbose_name = _("talk")
        verbose_name_plural = _("talks")
        indexes = [
            # The home page timeline: ORDER BY date DESC, id DESC.
            models.Index(fields=["-date", "-id"], name="talk_timeline_idx"),
            # A speaker's profile: WHERE author_id = … ORDER BY date DESC, id DESC.
            models.Index(fields=["author", "-date", "-id"], name="talk_author_timeline_idx"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        adding = self._state.adding
        with transaction.atomic():
            super().save(*args, **kwargs)
            if not adding and (update_fields is None or "author" in update_fields):
                # Each comment names its talk's author for the moderation queues: a talk
                # handed over takes them along. Only rows naming someone else are written.
                self.comments.exclude(talk_author=self.author_id).update(talk_author=self.author_id)

    def get_absolute_url(self):
        return reverse("talks:detail", args=[self.pk])

    def can_be_managed_by(self, user):
        """A talk's author and admins may edit it and moderate its comments."""
        return user.is_authenticated and (user.is_staff or self.author_id == user.pk)

    @property
    def slides_embed(self):
        return embed_for(self.slides_url) if self.slides_url else None

    @property
    def video_embed(self):
        return embed_for(self.video_url) if self.video_url else None


class CommentQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(approved=True)

    def pending(self):
        return self.filter(approved=False)

    def thread(self, talk, user):
        """A talk's comments as `user` may see them, oldest first."""
        comments = self.filter(talk=talk).select_related("author").order_by("created_at", "id")
        return comments if talk.can_be_managed_by(user) else comments.approved()

    def pending_for(self, user):
        """Comments waiting on the talks `user` wrote, oldest first."""
        return (
            self.pending()
            .filter(talk_author=user)
            .select_related("talk", "author")
            .order_by("created_at", "id")
        )

    def pending_on_all_talks(self):
        """Every waiting comment, oldest first: the admins' queue."""
        return self.pending().select_related("talk", "author").order_by("created_at", "id")

    def pending_counts(self, user):
        """Comments waiting on `user`'s talks ("mine") and, for an admin, on all talks ("all")."""
        pending = self.pending()
        if not user.is_staff:
            return {"mine": pending.filter(talk_author=user).count(), "all": None}
        return pending.aggregate(mine=Count("pk", filter=Q(talk_author=user)), all=Count("pk"))

    def up_to(self, comment):
        """The comments of this thread that come no later than `comment` (oldest first order)."""
        earlier = Q(created_at__lt=comment.created_at)
        return self.filter(earlier | Q(created_at=comment.created_at, pk__lte=comment.pk))

    def subscribed(self):
        """Comments whose author asked to hear of new ones; only a published one subscribes."""
        return self.approved().filter(notify=True)

    def by_address(self, address):
        """Comments written from `address`: a visitor's given email or a user's account email."""
        return self.filter(
            Q(author__isnull=True, author_email__iexact=address) | Q(author__email__iexact=address)
        )


class Recipient(NamedTuple):
    """Someone to email: an address, the name to greet them by, the language to write in."""

    address: str
    name: str
    language: str


class Comment(models.Model):
    talk = models.ForeignKey(
        Talk,
        on_delete=models.CASCADE,
        verbose_name=_("talk"),
        related_name="comments",
        db_index=False,  # comment_thread_idx starts with talk
    )
    # Set for a logged-in speaker's comment; visitors give a name and an email instead.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        verbose_name=_("author"),
        related_name="comments",
    )
    # The talk's author, copied from the talk on save (and kept in step by Talk.save): a
    # speaker's moderation queue and navbar badge read one index, not every talk they wrote.
    # The comments go with their talk when its author is deleted, so nothing cascades here.
    talk_author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        verbose_name=_("talk's author"),
        related_name="+",
        editable=False,
        db_index=False,  # comment_pending_author_idx covers the lookups
    )
    author_name = models.CharField(_("name"), max_length=64, blank=True)
    author_email = models.EmailField(_("email"), max_length=64, blank=True)
    body = models.TextField(_("comment"))
    # The sanitised HTML of `body`, rendered once at save: pages show this, never `body`.
    body_html = models.TextField(editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    notify = models.BooleanField(_("notify me of new comments"), default=True)
    approved = models.BooleanField(_("approved"), default=False)
    # The page's language when the comment was posted: a visitor's emails are written in it.
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        db_default=settings.LANGUAGE_CODE,  # rows written in bulk, by SQL, get it too
    )

    objects = CommentQuerySet.as_manager()

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        indexes = [
            # A talk page: WHERE talk_id = … [AND approved] ORDER BY created_at.
            models.Index(fields=["talk", "approved", "created_at"], name="comment_thread_idx"),
            # The admin's moderation queue and badge: the (few) comments still waiting.
            models.Index(
                fields=["created_at"], condition=Q(approved=False), name="comment_pending_idx"
            ),
            # A speaker's: WHERE NOT approved AND talk_author_id = … ORDER BY created_at.
            models.Index(
                fields=["talk_author", "created_at"],
                condition=Q(approved=False),
                name="comment_pending_author_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(author__isnull=False) | (~Q(author_name="") & ~Q(author_email="")),
                name="comment_has_author",
            ),
        ]

    def __str__(self):
        return gettext("Comment #%(id)s by %(name)s on talk %(talk)s") % {
            "id": self.pk,
            "name": self.display_name,
            "talk": self.talk_id,
        }

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "body" in update_fields:
            self.body_html = render_markdown(self.body)
            if update_fields is not None:
                kwargs["update_fields"] = update_fields = {*update_fields, "body_html"}
        if update_fields is None or "talk" in update_fields:
            self.talk_author_id = self.talk.author_id
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "talk_author"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        """The comment's lasting link: it finds the page of its talk that shows it."""
        return reverse("talks:comment", args=[self.pk])

    @property
    def anchor(self):
        """The id of the comment's element on its talk's page."""
        return f"comment-{self.pk}"

    @property
    def display_name(self):
        return self.author.display_name if self.author_id else self.author_name

    def approve(self):
        """Publish a waiting comment; an approved one is left as it is.

        The only save that names `approved` alone, so its post_save knows it published the
        comment (see talks.notifications.outbox.comment_saved). services.approve_comment locks
        the row first, so that two moderators' clicks publish it once.
        """
        if self.approved:
            return
        self.approved = True
        self.save(update_fields=["approved"])

    @property
    def email(self):
        """Where this comment's author is reached."""
        return self.author.email if self.author_id else self.author_email

    def recipients(self):
        """Who is told about this comment: the talk's author while it waits, else the subscribers.

        Subscribers are the authors of the talk's other published comments with notify on,
        each address once (case-blind), never the talk's author nor this comment's own author.
        """
        talk_author = self.talk.author
        if not self.approved:
            if self.email.lower() == talk_author.email.lower():
                return []
            return [
                Recipient(talk_author.email, talk_author.display_name, talk_author.email_language)
            ]
        told = {talk_author.email.lower(): None, self.email.lower(): None}
        rows = (
            Comment.objects.filter(talk_id=self.talk_id)
            .subscribed()
            .exclude(pk=self.pk)
            .order_by("created_at", "id")
            .values_list(
                "author_email",
                "author_name",
                "language",
                "author__email",
                "author__name",
                "author__username",
                "author__language",
            )
        )
        for row in rows:
            visitor_email, visitor_name, language, user_email, user_name, username, chosen = row
            address = user_email or visitor_email
            if address.lower() not in told:
                name = (user_name or username) if user_email else visitor_name
                # A user's own choice, else the language they commented in.
                told[address.lower()] = Recipient(address, name, chosen or language)
        return [recipient for recipient in told.values() if recipient is not None]


class OutboxEmailQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(sent_at__isnull=True)

    def due(self, now=None):
        """Pending emails whose flush interval has passed, oldest first."""
        now = now or timezone.now()
        cutoff = now - datetime.timedelta(seconds=settings.MAIL_FLUSH_INTERVAL)
        return self.pending().filter(created_at__lte=cutoff).order_by("created_at", "id")


class OutboxEmail(models.Model):
    """A notification waiting to be sent (or sent): one pending per address and talk."""

    class Kind(models.TextChoices):
        MODERATION = "moderation", _("comments waiting for moderation")
        NEW_COMMENTS = "new_comments", _("new comments")

    talk = models.ForeignKey(
        Talk,
        on_delete=models.CASCADE,
        verbose_name=_("talk"),
        related_name="+",
        db_index=False,  # outbox_talk_idx and the pending constraint cover the lookups by talk
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
    comments = models.ManyToManyField(Comment, verbose_name=_("comments"), related_name="+")
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)

    objects = OutboxEmailQuerySet.as_manager()

    class Meta:
        verbose_name = _("outbox email")
        verbose_name_plural = _("outbox emails")
        constraints = [
            # A second comment before the flush joins the pending email instead of adding one;
            # it also serves "is one queued for (address, talk)" and the unsubscribe delete.
            models.UniqueConstraint(
                fields=["address", "talk"],
                condition=Q(sent_at__isnull=True),
                name="outbox_one_pending_per_address_talk",
            ),
        ]
        indexes = [
            # The flush: WHERE sent_at IS NULL AND created_at <= … ORDER BY created_at.
            models.Index(
                fields=["created_at"], condition=Q(sent_at__isnull=True), name="outbox_due_idx"
            ),
            # Deleting a talk cascades here: WHERE talk_id = ….
            models.Index(fields=["talk"], name="outbox_talk_idx"),
        ]

    def __str__(self):
        if self.sent_at:
            state = gettext("sent %(when)s") % {"when": f"{self.sent_at:%Y-%m-%d %H:%M}"}
        else:
            state = gettext("pending")
        return gettext("%(kind)s to %(address)s about talk %(talk)s (%(state)s)") % {
            "kind": self.get_kind_display(),
            "address": self.address,
            "talk": self.talk_id,
            "state": state,
        }


# Registered with the app here; Talk.objects.search() reads it.
from .search.models import TalkSearchEntry  # noqa: E402, F401 - a model must be imported by models
