"""Static files: what collectstatic gathers and how long browsers keep it."""

from django.contrib.staticfiles.apps import StaticFilesConfig as BaseStaticFilesConfig
from whitenoise.middleware import WhiteNoiseMiddleware as BaseWhiteNoiseMiddleware


class StaticFilesConfig(BaseStaticFilesConfig):
    """Skip Bootstrap's unminified, RTL, partial and jQuery files.

    django-bootstrap-static ships every build (31 MB once hashed and compressed); the site links
    only bootstrap.min.css and bootstrap.bundle.min.js (and their source maps, which those files
    name). Compressing the rest with Brotli made `collectstatic` take four times as long.
    """

    ignore_patterns = [
        *BaseStaticFilesConfig.ignore_patterns,
        "bootstrap/css/bootstrap-*",
        "bootstrap/css/*.rtl.*",
        "bootstrap/css/bootstrap.css",
        "bootstrap/css/bootstrap.css.map",
        "bootstrap/js/bootstrap.js*",
        "bootstrap/js/bootstrap.esm*",
        "bootstrap/js/bootstrap.min.js*",
        "bootstrap/js/bootstrap.bundle.js*",
        "bootstrap/js/jquery*",
    ]


class WhiteNoiseMiddleware(BaseWhiteNoiseMiddleware):
    """WhiteNoise, keeping hashed files for one year rather than its default ten.

    A year is the longest lifetime HTTP/1.1 allowed (RFC 2616) and the one every cache and CDN
    honours as is; a hashed name never changes content, so a longer one gains nothing.
    """

    FOREVER = 365 * 24 * 60 * 60
