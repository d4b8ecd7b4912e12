"""Atom feeds: the timeline, each speaker's talks, and each talk's published comments.

Every link in them is absolute from SITE_URL, so the Host header of a request never reaches
a feed (or a reader's cache of it).
"""

import copy

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import format_html, linebreaks
from django.utils.http import http_date
from django.utils.translation import gettext as _

from accounts.models import User

from .fragments import fingerprint, fragment_cache
from .links import absolute_url
from .models import Talk
from .xml_text import xml_safe

FEED_LENGTH = 50


class AtomFeed(Atom1Feed):
    """Atom without the code points XML 1.0 has no way to write, in every field of every feed.

    Every value the feed and its items are given passes here, so no field can be missed.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*xml_safe(args), **{key: xml_safe(value) for key, value in kwargs.items()})

    def add_item(self, *args, **kwargs):
        super().add_item(*xml_safe(args), **{key: xml_safe(value) for key, value in kwargs.items()})


class CachedFeed(Feed):
    """A feed written once per distinct content, then served from the fragment cache.

    The key is a digest of the feed's object and items (talks/fragments.py), fetched on every
    request: a new, edited or deleted item changes it, so the next response has it.
    """

    feed_type = AtomFeed

    def __call__(self, request, *args, **kwargs):
        try:
            obj = self.get_object(request, *args, **kwargs)
        except ObjectDoesNotExist:
            raise Http404("Feed object does not exist.") from None
        # Feed's own dispatch between items() and items(obj).
        items = list(self._get_dynamic_attr("items", obj))
        # Feeds' titles are written in the reader's language: one copy per language.
        language = translation.get_language()
        key = f"feed.{type(self).__qualname__}.{language}.{fingerprint(obj, items)}"
        cached = fragment_cache().get(key)
        if cached is None:
            # A copy per request (the view instance is shared by threads) whose `items` are the
            # rows just fetched: Feed reads a plain attribute as it is, so no second query.
            feed = copy.copy(self)
            feed.items = items
            feedgen = feed.get_feed(obj, request)
            cached = (
                feedgen.content_type,
                http_date(feedgen.latest_post_date().timestamp()),
                feedgen.writeString("utf-8"),
            )
            fragment_cache().set(key, cached)
        content_type, last_modified, body = cached
        response = HttpResponse(body, content_type=content_type)
        # As Feed sets it, for ConditionalGetMiddleware and readers' caches.
        response.headers["Last-Modified"] = last_modified
        return response


class TalkFeedMixin:
    def item_title(self, talk):
        return talk.title

    def item_description(self, talk):
        # Atom carries the summary as HTML; a description is plain text, so escape it.
        return linebreaks(talk.description, autoescape=True) if talk.description else ""

    def item_link(self, talk):
        return absolute_url(talk.get_absolute_url())

    def item_author_name(self, talk):
        return talk.author.display_name

    def item_author_link(self, talk):
        return absolute_url(talk.author.get_absolute_url())

    def item_pubdate(self, talk):
        return talk.created_at

    def item_updateddate(self, talk):
        return talk.updated_at


class TimelineFeed(TalkFeedMixin, CachedFeed):
    title = "Talks"
    subtitle = _("The newest talks")

    def link(self):
        return absolute_url(reverse("talks:timeline"))

    def feed_url(self):
        return absolute_url(reverse("talks:timeline_feed"))

    def items(self):
        return Talk.objects.timeline()[:FEED_LENGTH]


class SpeakerFeed(TalkFeedMixin, CachedFeed):
    def get_object(self, request, username):
        return get_object_or_404(User, username=username)

    def title(self, speaker):
        return _("Talks by %(name)s") % {"name": speaker.display_name}

    def link(self, speaker):
        return absolute_url(speaker.get_absolute_url())

    def feed_url(self, speaker):
        return absolute_url(reverse("talks:speaker_feed", args=[speaker.username]))

    def items(self, speaker):
        return Talk.objects.by(speaker)[:FEED_LENGTH]


class TalkCommentsFeed(CachedFeed):
    def get_object(self, request, pk):
        return get_object_or_404(Talk, pk=pk)

    def title(self, talk):
        return _("Comments on %(title)s") % {"title": talk.title}

    def link(self, talk):
        return absolute_url(talk.get_absolute_url())

    def feed_url(self, talk):
        return absolute_url(reverse("talks:comments_feed", args=[talk.pk]))

    def items(self, talk):
        comments = talk.comments.approved().select_related("author", "talk", "parent__author")
        return comments.order_by("-created_at", "-id")[: settings.COMMENTS_PER_PAGE]

    def item_title(self, comment):
        if comment.parent_id:
            return _("%(name)s replied to %(parent)s on %(title)s") % {
                "name": comment.display_name,
                "parent": comment.parent.display_name,
                "title": comment.talk.title,
            }
        return _("%(name)s on %(title)s") % {
            "name": comment.display_name,
            "title": comment.talk.title,
        }

    def item_description(self, comment):
        # Sanitised when the comment was saved (talks.markdown): the one HTML we trust. A reply
        # starts with a link to the comment it answers; the name is escaped here.
        if comment.parent_id:
            answered = format_html(
                '<p>In reply to <a href="{}">{}</a>:</p>',
                absolute_url(comment.parent.get_absolute_url()),
                comment.parent.display_name,
            )
            return answered + comment.body_html
        return comment.body_html

    def item_link(self, comment):
        return absolute_url(comment.get_absolute_url())

    def item_author_name(self, comment):
        return comment.display_name

    def item_pubdate(self, comment):
        return comment.created_at
