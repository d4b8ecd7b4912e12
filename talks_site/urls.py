from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from talks.sitemaps import SpeakerSitemap, TalkSitemap

from .health import health

handler400 = "talks_site.errors.bad_request"

urlpatterns = [
    path("", include("talks.urls")),
    path("", include("accounts.urls")),
    path("admin/", admin.site.urls),
    path("api/1.0/", include("talks.api.urls")),
    path("health/", health, name="health"),
    # Django's set_language (POST only): the footer's language switcher.
    path("i18n/", include("django.conf.urls.i18n")),
    path(
        "sitemap.xml",
        sitemap,
        {"sitemaps": {"talks": TalkSitemap, "speakers": SpeakerSitemap}},
        name="sitemap",
    ),
]
