"""Comments and the rules on who reads and hears of them (imported by talks.models)."""

from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.dispatch import Signal
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from talks_site.email_addresses import validate_deliverable_email

from .addresses import EmailAddress, TrustedAddress
from .comment_queries import CommentManager
from .markdown import render_markdown
from .paths import comment_paths


class Recipient(NamedTuple):
    """Someone to email: an address, the name to greet them by, the language to write in."""

    address: str
    name: str
    language: str


# Sent by Comment.approve() when it published a waiting comment, with `comment` and `told`,
# inside the approval's transaction where there is one (services.approve_comment's).
comment_published = Signal()


class Comment(models.Model):
    talk = models.ForeignKey(
        "talks.Talk",
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

    objects = CommentManager()
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

    @cached_property
    def paths(self):
        """Where a moderator's buttons for this comment post, and what they call in the API."""
        return comment_paths(self.pk)

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

    def approve(self, told=None):
        """Publish this comment if it still waits; True when this call published it.

        One conditional UPDATE decides, so two moderators' clicks (or a click and the
        commenter's own link) publish it once, without reading its state first. The comment
        then sends `comment_published`, on which the outbox queues the publication's emails
        (talks.notifications.outbox.comment_published); `told`, whom they go to when the
        caller read that beforehand (services.approve_comment), goes with it.
        """
        published = Comment.objects.filter(pk=self.pk, approved=False).update(approved=True)
        if published:
            self.approved = True
            comment_published.send(sender=Comment, comment=self, told=told)
        return bool(published)

    @property
    def email(self):
        """Where this comment's author is reached."""
        return self.author.email if self.author_id else self.author_email

    def recipients(self):
        """Who is told about this comment: the talk's author while it waits, else the subscribers
        (subscribers_to_tell)."""
        if self.approved:
            return self.subscribers_to_tell()
        talk_author = self.talk.author
        if self.email.lower() == talk_author.email.lower():
            return []
        return [Recipient(talk_author.email, talk_author.display_name, talk_author.email_language)]

    def subscribers_to_tell(self):
        """Who hears of this comment once it is published.

        Subscribers are the authors of the talk's other published comments with notify on and a
        proven address, each address once (case-blind), never the talk's author nor this
        comment's own author. A reply also tells the author of the comment it answers, talk's
        author included, as a subscriber: when that comment has notify on, and it is not the
        reply's own author.
        """
        talk_author = self.talk.author
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
        rows = Comment.objects.subscriber_rows(self.talk_id).exclude(pk=self.pk)
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
