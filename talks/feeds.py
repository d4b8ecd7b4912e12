"""Atom feeds: the timeline, each speaker's talks, and each talk's published comments."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from accounts.models import User

from .models import Talk

FEED_LENGTH = 50


class TalkFeedMixin:
    feed_type = Atom1Feed

    def item_title(self, talk):
        return talk.title

    def item_description(self, talk):
        return talk.description

    def item_author_name(self, talk):
        return talk.author.display_name

    def item_pubdate(self, talk):
        return talk.created_at

    def item_updateddate(self, talk):
        return talk.updated_at


class TimelineFeed(TalkFeedMixin, Feed):
    title = "Talks"
    subtitle = "The newest talks"

    def link(self):
        return reverse("talks:timeline")

    def items(self):
        return Talk.objects.timeline()[:FEED_LENGTH]


class SpeakerFeed(TalkFeedMixin, Feed):
    def get_object(self, request, username):
        return get_object_or_404(User, username=username)

    def title(self, speaker):
        return f"Talks by {speaker.display_name}"

    def link(self, speaker):
        return speaker.get_absolute_url()

    def items(self, speaker):
        return Talk.objects.by(speaker)[:FEED_LENGTH]


class TalkCommentsFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, pk):
        return get_object_or_404(Talk, pk=pk)

    def title(self, talk):
        return f"Comments on {talk.title}"

    def link(self, talk):
        return talk.get_absolute_url()

    def items(self, talk):
        comments = talk.comments.approved().select_related("author", "talk")
        return comments.order_by("-created_at", "-id")[: settings.COMMENTS_PER_PAGE]

    def item_title(self, comment):
        return f"{comment.display_name} on {comment.talk.title}"

    def item_description(self, comment):
        return comment.body_html

    def item_author_name(self, comment):
        return comment.display_name

    def item_pubdate(self, comment):
        return comment.created_at
