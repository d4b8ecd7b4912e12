import datetime

from django.conf import settings
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .embeds import embed_for

# What a list of talks shows of each (templates/includes/_talk_list.html, the search page's);
# one that names the speakers shows what links to each.
LISTED_FIELDS = ("id", "title", "venue", "date", "description")
LISTED_AUTHOR_FIELDS = ("author_id", "author__id", "author__username", "author__name")


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
    # Moved by the database on every change to what the talk's comments show (a comment
    # written, edited, moderated or deleted, a commenter renamed): the talk page's cached
    # comments are found under it without reading them (talks/comments_version.py).
    comments_version = models.PositiveBigIntegerField(default=0, db_default=0, editable=False)

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


# The other models, registered with the app here and read from here by the rest of the project.
from .addresses import EmailAddress, TrustedAddress  # noqa: E402, F401
from .comment_queries import QUEUE_FIELDS, THREAD_ORDER, CommentQuerySet  # noqa: E402, F401
from .comments import Comment, Recipient  # noqa: E402, F401
from .outbox_emails import PENDING, OutboxEmail, OutboxEmailQuerySet  # noqa: E402, F401
from .search.models import TalkSearchEntry  # noqa: E402, F401 - a model must be imported by models
