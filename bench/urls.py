"""The site's URLs, plus the reference page at /bench/reference/."""

from django.urls import path

from talks_site.urls import urlpatterns as site_urlpatterns

from . import views

urlpatterns = [
    path("bench/reference/", views.reference, name="bench_reference"),
    *site_urlpatterns,
]
