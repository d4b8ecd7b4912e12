from django.contrib.sitemaps import Sitemap

from accounts.models import User

from .models import Talk


class TalkSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return Talk.objects.order_by("id").only("id", "updated_at")

    def lastmod(self, talk):
        return talk.updated_at


class SpeakerSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return User.objects.filter(talks__isnull=False).distinct().order_by("id").only("username")
