from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from talks.sitemaps import SpeakerSitemap, TalkSitemap

urlpatterns = [
    path("", include("talks.urls")),
    path("", include("accounts.urls")),
    path("admin/", admin.site.urls),
    path(
        "sitemap.xml",
        sitemap,
        {"sitemaps": {"talks": TalkSitemap, "speakers": SpeakerSitemap}},
        name="sitemap",
    ),
]
