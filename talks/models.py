import datetime
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from talks_site.email_addresses import validate_deliverable_email

from .addresses import EmailAddress, TrustedAddress
from .embeds import embed_for
from .markdown import render_markdown
from .paths import path_with_pk


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
    # One state, three values: None follows the schedule (open until COMMENTS_CLOSE_AFTER_DAYS
    # after the talk's date, or for ever when that is unset); True is open whatever the date
    # (the speaker reopened them); False is closed by the speaker. See set_comments_open().
    comments_open = models.BooleanField(_("comments open"), null=True, blank=True, default=None)
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

    @property
    def comments_close_on(self):
        """The last day the schedule keeps comments open, or None when it never closes them."""
        days = settings.COMMENTS_CLOSE_AFTER_DAYS
        return None if days is None else self.date + datetime.timedelta(days=days)

    def open_by_schedule(self, today=None):
        close_on = self.comments_close_on
        return close_on is None or (today or timezone.localdate()) <= close_on

    def comments_are_open(self, today=None):
        """May anyone comment now: the speaker's choice, else the schedule."""
        if self.comments_open is not None:
            return self.comments_open
        return self.open_by_schedule(today)

    def set_comments_open(self, wanted, today=None):
        """Open or close comments as the speaker asks.

        Open while the schedule allows it keeps following the schedule (so they close by
        themselves later); open after it closed them is a reopening, kept for good.
        """
        if not wanted:
            self.comments_open = False
        elif self.open_by_schedule(today):
            self.comments_open = None
        else:
            self.comments_open = True


# How a talk page orders its top-level comments: the pinned one, then oldest first.
THREAD_ORDER = ("-pinned", "created_at", "id")


class CommentQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(approved=True)

    def pending(self):
        return self.filter(approved=False)

    def thread(self, talk, user):
        """A talk's top-level comments as `user` may see them, each with its replies.

        The pinned comment comes first, then the rest oldest first; the replies (oldest first,
        as visible to `user`) are fetched for the whole page in one more query.
        """
        moderator = talk.can_be_managed_by(user)
        replies = Comment.objects.select_related("author").order_by("created_at", "id")
        comments = (
            self.filter(talk=talk, parent__isnull=True)
            .select_related("author")
            .order_by(*THREAD_ORDER)
            # Into a list of each comment's (`shown_replies`): a prefetch into the related
            # manager builds a queryset for every comment of the page, a third of its time.
            .prefetch_related(
                Prefetch(
                    "replies",
                    queryset=replies if moderator else replies.approved(),
                    to_attr="shown_replies",
                )
            )
        )
        return comments if moderator else comments.approved()

    def answerable(self, talk, raw_id):
        """The comment of `talk` with id `raw_id` (as posted) if a reply may answer it: a
        published one. None for anything else, ids that are not numbers included."""
        if not (isinstance(raw_id, str) and raw_id.isascii() and raw_id.isdigit()):
            return None
        if len(raw_id) > 18:  # beyond a 64-bit id: no such comment
            return None
        return (
            self.approved()
            .filter(talk=talk, pk=int(raw_id))
            .select_related("author", "parent")
            .first()
        )

    def unanswered(self):
        """Top-level comments not marked answered, leaving out the talk's author's own."""
        return self.filter(parent__isnull=True, answered=False).filter(
            Q(author__isnull=True) | ~Q(author=F("talk_author"))
        )

    def pending_for(self, user):
        """Comments waiting on the talks `user` wrote, oldest first."""
        return (
            self.pending()
            .filter(talk_author=user)
            .select_related("talk", "author", "parent__author")
            .order_by("created_at", "id")
        )

    def pending_on_all_talks(self):
        """Every waiting comment, oldest first: the admins' queue."""
        return (
            self.pending()
            .select_related("talk", "author", "parent__author")
            .order_by("created_at", "id")
        )

    def pending_counts(self, user):
        """Comments waiting on `user`'s talks ("mine") and, for an admin, on all talks ("all")."""
        pending = self.pending()
        if not user.is_staff:
            return {"mine": pending.filter(talk_author=user).count(), "all": None}
        return pending.aggregate(mine=Count("pk", filter=Q(talk_author=user)), all=Count("pk"))

    def up_to(self, comment):
        """The comments of this thread shown no later than `comment`, a top-level one: the
        pinned comment, then the others up to it in THREAD_ORDER."""
        if comment.pinned:
            return self.filter(pk=comment.pk)
        earlier = Q(created_at__lt=comment.created_at)
        return self.filter(
            Q(pinned=True) | earlier | Q(created_at=comment.created_at, pk__lte=comment.pk)
        )

    def subscribed(self):
        """Comments whose author asked to hear of new ones; only a published one subscribes."""
        return self.approved().filter(notify=True)

    def from_confirmed_addresses(self):
        """Comments whose author's address is proven: a user's, or a visitor's confirmed one."""
        from django.contrib.auth import get_user_model

        address = Lower(OuterRef("author_email"))
        confirmed = EmailAddress.objects.confirmed().filter(address=address)
        account = get_user_model().objects.annotate(address=Lower("email")).filter(address=address)
        return self.filter(Q(author__isnull=False) | Exists(confirmed) | Exists(account))

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
    author_email = models.EmailField(
        _("email"), max_length=64, blank=True, validators=[validate_deliverable_email]
    )
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
    # The comment this one answers. Replies are one level deep: a parent is always top-level
    # (the form files a reply to a reply under its top-level comment), and of the same talk.
    parent = models.ForeignKey(
        "self",
        verbose_name=_("in reply to"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="replies",
        db_index=False,  # comment_replies_idx starts with parent
    )
    # Set by the talk's author or an admin, on top-level comments only: one pinned per talk,
    # shown first; "answered" marks a question dealt with. The database default serves bulk
    # inserts that name only the columns they fill (seed_demo).
    pinned = models.BooleanField(_("pinned"), default=False, db_default=False, editable=False)
    answered = models.BooleanField(_("answered"), default=False, db_default=False, editable=False)

    objects = CommentQuerySet.as_manager()
    # Set before approving when the commenter publishes it themselves: nobody tells them so.
    published_by_commenter = False

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
            # A speaker's: WHERE NOT approved AND talk_author_id = … ORDER BY created_at, id.
            # With the id, a page of the queue's ids is read off this index alone
            # (ModerationQueueView).
            models.Index(
                fields=["talk_author", "created_at", "id"],
                condition=Q(approved=False),
                name="comment_pending_author_idx",
            ),
            # A talk page's top-level comments: WHERE talk_id = … AND parent_id IS NULL
            # [AND approved] ORDER BY pinned DESC, created_at, id.
            models.Index(
                fields=["talk", "approved", "-pinned", "created_at", "id"],
                condition=Q(parent__isnull=True),
                name="comment_top_level_idx",
            ),
            # The replies of a page's comments: WHERE parent_id IN (…) ORDER BY created_at, id.
            models.Index(fields=["parent", "created_at", "id"], name="comment_replies_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(author__isnull=False) | (~Q(author_name="") & ~Q(author_email="")),
                name="comment_has_author",
            ),
            models.UniqueConstraint(
                fields=["talk"], condition=Q(pinned=True), name="comment_one_pinned_per_talk"
            ),
            models.CheckConstraint(
                condition=Q(parent__isnull=True) | Q(pinned=False, answered=False),
                name="comment_reply_not_pinned_or_answered",
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
    def approve_path(self):
        """Where the Approve button posts without JavaScript."""
        return path_with_pk("talks:comment_approve", self.pk)

    @property
    def delete_path(self):
        """Where the Delete button posts without JavaScript."""
        return path_with_pk("talks:comment_delete", self.pk)

    @property
    def api_path(self):
        """The comment in the JSON API, which both buttons call with JavaScript."""
        return path_with_pk("api:comment", self.pk)

    @property
    def anchor(self):
        """The id of the comment's element on its talk's page."""
        return f"comment-{self.pk}"

    @property
    def by_speaker(self):
        """Written by the talk's author, from their account: the "Speaker" badge."""
        return self.author_id is not None and self.author_id == self.talk_author_id

    def clean(self):
        # The site's form files replies correctly; this holds the admin to the same shape.
        parent = self.parent
        if parent is not None and (parent.parent_id is not None or parent.talk_id != self.talk_id):
            raise ValidationError(
                {"parent": _("A reply answers a top-level comment of the same talk.")}
            )

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

        Subscribers are the authors of the talk's other published comments with notify on and a
        proven address, each address once (case-blind), never the talk's author nor this
        comment's own author. A reply also tells the author of the comment it answers, talk's
        author included, as a subscriber: when that comment has notify on, and it is not the
        reply's own author.
        """
        talk_author = self.talk.author
        if not self.approved:
            if self.email.lower() == talk_author.email.lower():
                return []
            return [
                Recipient(talk_author.email, talk_author.display_name, talk_author.email_language)
            ]
        told = {talk_author.email.lower(): None, self.email.lower(): None}
        answered = self.parent if self.parent_id else None
        if (
            answered is not None
            and answered.notify
            and answered.email.lower() != self.email.lower()
        ):
            chosen = answered.author.language if answered.author_id else ""
            told[answered.email.lower()] = Recipient(
                answered.email, answered.display_name, chosen or answered.language
            )
        rows = (
            Comment.objects.filter(talk_id=self.talk_id)
            .subscribed()
            .from_confirmed_addresses()
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

    def is_from_trusted_address(self):
        """Does the talk's author trust the address of this visitor's comment?"""
        return not self.author_id and TrustedAddress.objects.trusts(
            self.talk_author_id, self.author_email
        )

    def author_to_tell_of_publication(self):
        """Whom to tell that a moderator published this comment: its visitor, if proven."""
        if self.author_id or self.published_by_commenter or self.author_email == "":
            return None
        if not EmailAddress.objects.is_confirmed(self.author_email):
            return None
        return Recipient(self.author_email, self.author_name, self.language)


# An outbox row still to be sent: neither sent nor given up on.
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
        Talk,
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
    comments = models.ManyToManyField(Comment, verbose_name=_("comments"), related_name="+")
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


# Registered with the app here; Talk.objects.search() reads it.
from .search.models import TalkSearchEntry  # noqa: E402, F401 - a model must be imported by models
