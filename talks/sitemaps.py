from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap

from accounts.models import User

from .models import Talk


class SiteSitemap(Sitemap):
    """Locations on SITE_URL, whatever Host header the request came with."""

    changefreq = "weekly"

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc


class TalkSitemap(SiteSitemap):
    def items(self):
        return Talk.objects.order_by("id").only("id", "updated_at")

    def lastmod(self, talk):
        return talk.updated_at


class SpeakerSitemap(SiteSitemap):
    def items(self):
        return User.objects.filter(talks__isnull=False).distinct().order_by("id").only("username")
