"""The site's own settings, plus what the benchmark needs: a reference page and a query counter.

Nothing here changes how the site's pages work; the counter only adds a response header.
"""

from talks_site.settings import *  # noqa: F403 - the site's settings, unchanged
from talks_site.settings import BASE_DIR, MIDDLEWARE, TEMPLATES

ROOT_URLCONF = "bench.urls"

# Outermost, so that it counts the queries of every other middleware too.
MIDDLEWARE = ["bench.middleware.QueryCountMiddleware", *MIDDLEWARE]

TEMPLATES = [
    {**TEMPLATES[0], "DIRS": [*TEMPLATES[0]["DIRS"], BASE_DIR / "bench" / "templates"]},
    *TEMPLATES[1:],
]
