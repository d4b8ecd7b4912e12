"""Absolute links for emails, feeds, sitemaps and structured data."""

from django.conf import settings


def absolute_url(path):
    """`path` on the public site, built from SITE_URL and never from a request's Host header."""
    return settings.SITE_URL + path
