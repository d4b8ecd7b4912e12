"""Settings for Talks, read once from the environment and an optional `.env` file.

Every variable is listed with a safe development value in `.env.example`.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from talks.embed_providers import FRAME_SOURCES

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment or in .env "
            "(or set DEBUG=true for local development)."
        )
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"  # noqa: S105 - DEBUG only

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Absolute links in emails and feeds are built from this, never from the request's Host header.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "accounts",
    "talks",
    "talks_site.apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "talks_site.staticfiles.StaticFilesConfig",
    "django.contrib.sitemaps",
    "crispy_forms",
    "crispy_bootstrap5",
    "bootstrap",
    "django_tasks",
    "django_tasks_db",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before anything reads a request body.
    "talks_site.middleware.LimitRequestBodyMiddleware",
    "talks_site.staticfiles.WhiteNoiseMiddleware",
    # Pages go out compressed (static files come precompressed from WhiteNoise, above), as
    # Brotli or gzip: the home page's HTML is 34 KB raw, 5 KB compressed. Each response is
    # padded with random bytes against BREACH, and CSRF tokens are masked afresh on each one.
    "talks_site.compression.CompressionMiddleware",
    "csp.middleware.CSPMiddleware",
    "talks_site.middleware.RejectNullCharactersMiddleware",
    "talks_site.middleware.MethodNotAllowedMessageMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language from the switcher's cookie, else Accept-Language; URLs carry no prefix.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "talks_site.urls"
WSGI_APPLICATION = "talks_site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "talks.context_processors.moderation",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside the writer; IMMEDIATE takes the write lock at BEGIN, so
    # concurrent writers queue on the busy timeout instead of failing with "database is locked";
    # talks_site.sqlite makes them queue in even steps (its docstring says why).
    DATABASES["default"]["ENGINE"] = "talks_site.sqlite"
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
    # Prepared statements (psycopg's, which Django leaves off): a statement run five times on a
    # connection is parsed once from then on, and planned once if PostgreSQL finds its generic
    # plan no costlier. Every logged-in page's session, user and count, and the moderation
    # queue's five-table join (0.8 ms to plan, 0.5 to run) were parsed and planned on each
    # request. Off for a pooler that hands one client's statements to several connections
    # (PgBouncer in transaction mode before 1.21): PREPARED_STATEMENTS=false.
    if env.bool("PREPARED_STATEMENTS", default=True):
        DATABASES["default"].setdefault("OPTIONS", {}).update(
            {"server_side_binding": True, "prepare_threshold": 5}
        )
DATABASES["default"].setdefault("TEST", {})

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache (rate limits, login throttling) -------------------------------------------------

# The default cache holds the rate limits' counters, so it must be one every worker shares: by
# default a table in the site's database (made by migrate), right for one machine with several
# gunicorn workers; Redis (CACHE_URL=redis://…) for several machines.
CACHES = {"default": env.cache("CACHE_URL", default="dbcache://talks_cache")}
# django-environ writes `?key_prefix=…&timeout=…` in lower case for Django's own Redis cache,
# which only reads upper-case keys: move them where Django looks.
for _option in ("key_prefix", "timeout", "version"):
    if _option in CACHES["default"]:
        CACHES["default"][_option.upper()] = CACHES["default"].pop(_option)
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache":
    # Its incr is atomic across workers (talks_site/cache.py). Django culls a third of the
    # table past MAX_ENTRIES (300 by default), which would reset live counters: one row per
    # client address and window, so allow for many clients.
    CACHES["default"]["BACKEND"] = "talks_site.cache.DatabaseCache"
    CACHES["default"].setdefault("OPTIONS", {}).setdefault("MAX_ENTRIES", 100_000)
PER_PROCESS_BACKENDS = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)
if not DEBUG and CACHES["default"]["BACKEND"] in PER_PROCESS_BACKENDS:
    raise ImproperlyConfigured(
        f"CACHE_URL names a cache of each process ({CACHES['default']['BACKEND']}): the rate "
        "limits would count apart in every gunicorn worker. Leave CACHE_URL unset (a table in "
        "the database) or point it at Redis (redis://…)."
    )
# Rendered page fragments, keyed by a digest of what they show (talks/fragments.py), so never
# stale: each process keeps its own, with no network hop, apart from the counters above.
# 500 entries of 20-80 KB bound it at about 40 MB a process.
CACHES["template_fragments"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "template-fragments",
    "TIMEOUT": None,
    "OPTIONS": {"MAX_ENTRIES": 500},
}

# --- Auth ---------------------------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "talks:timeline"
LOGOUT_REDIRECT_URL = "talks:timeline"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# Login throttling: after AXES_FAILURE_LIMIT failures for one account from one address,
# that pair is locked for AXES_COOLOFF_MINUTES.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_MINUTES", default=15) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
# Every way in (login form, API token, admin login) is counted under one spelling of the address.
AXES_USERNAME_CALLABLE = "accounts.identity.axes_username"
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Failures are rows in the database: every gunicorn worker on every machine sees the same
# count, and the admin lists and clears locks (axes' admin shows only database records).
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_CLIENT_IP_CALLABLE = "talks_site.client_ip.client_ip"

# --- Internationalisation -----------------------------------------------------------------

# The language of a reader without a preference, and of emails to someone whose is unknown.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("de", _("German"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static files -------------------------------------------------------------------------

STATIC_URL = "static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_BACKEND",
            default="whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}
# WhiteNoise serves hashed names (the only ones pages link) with a year's `immutable` caching by
# itself; this is for unhashed names, which may change with the next release.
WHITENOISE_MAX_AGE = 60

# --- Forms --------------------------------------------------------------------------------

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Email --------------------------------------------------------------------------------

vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Talks <talks@localhost>")
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
ADMINS = [tuple(admin.split(":", 1)) for admin in env.list("ADMINS", default=[])]
EMAIL_SUBJECT_PREFIX = "[talks] "

# --- Tasks (notification delivery) --------------------------------------------------------

# The database queue runs with `manage.py db_worker`; with TASKS_BACKEND=django_tasks_rq.RQBackend
# the queue is Redis (RQ_URL) and the worker `manage.py rqworker default --with-scheduler
# --job-class django_tasks_rq.Job` (the scheduler runs the emails delayed by run_after).
TASKS = {
    "default": {
        "BACKEND": env.str("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
RQ_QUEUES = {"default": {"URL": env.str("RQ_URL", default="redis://127.0.0.1:6379/0")}}
if TASKS["default"]["BACKEND"] == "django_tasks_rq.RQBackend":
    # django-rq provides RQ's connection settings and the `rqworker` command.
    INSTALLED_APPS.append("django_rq")

# --- Talks --------------------------------------------------------------------------------

TALKS_PER_PAGE = env.int("TALKS_PER_PAGE", default=50)
COMMENTS_PER_PAGE = env.int("COMMENTS_PER_PAGE", default=100)
# Days after a talk's date when its comments close by themselves (unset: they never do); the
# speaker can still close them sooner, or reopen them, on the talk form.
COMMENTS_CLOSE_AFTER_DAYS = env.int("COMMENTS_CLOSE_AFTER_DAYS", default=None)
if COMMENTS_CLOSE_AFTER_DAYS is not None and COMMENTS_CLOSE_AFTER_DAYS < 0:
    raise ImproperlyConfigured("COMMENTS_CLOSE_AFTER_DAYS must be 0 or more days (or unset).")
# Seconds a notification waits in the outbox, so a burst of comments becomes one email.
MAIL_FLUSH_INTERVAL = env.int("MAIL_FLUSH_INTERVAL", default=60 if DEBUG else 3600)
# A failed email is tried again after OUTBOX_RETRY_DELAY seconds, twice as long after each
# failure (at most an hour), and given up on after OUTBOX_MAX_ATTEMPTS tries: then it is kept,
# marked failed, in the admin.
OUTBOX_RETRY_DELAY = env.int("OUTBOX_RETRY_DELAY", default=60)
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=8)
# Comments and previews allowed per client address, e.g. "10/m"; "0" turns the limit off.
COMMENT_RATE_LIMIT = env.str("COMMENT_RATE_LIMIT", default="10/m")
# Password reset emails per address asked for, and requests per client address, e.g. "3/h".
PASSWORD_RESET_RATE_LIMIT = env.str("PASSWORD_RESET_RATE_LIMIT", default="3/h")
PASSWORD_RESET_CLIENT_RATE_LIMIT = env.str("PASSWORD_RESET_CLIENT_RATE_LIMIT", default="10/h")
# Lifetime of API tokens, in seconds.
API_TOKEN_MAX_AGE = env.int("API_TOKEN_MAX_AGE", default=3600)

# --- Security -----------------------------------------------------------------------------

SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# Load balancers probe the health check over plain HTTP, inside the private network.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Reverse proxies in front of the site (each appends to X-Forwarded-For): the client address
# used by login throttling and rate limits is read that many hops from the end. 0: REMOTE_ADDR.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_HTTPONLY = True  # read by LocaleMiddleware only; pages name it in <html lang>
LANGUAGE_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = not DEBUG
# The cookie naming the address a visitor proved (talks.confirmations) travels like the session.
ADDRESS_COOKIE_SECURE = SESSION_COOKIE_SECURE
# Scripts read the token from the page's form (the {% csrf_token %} input), never the cookie.
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# No form or API call here needs more; LimitRequestBodyMiddleware holds every request body,
# of any content type, to it.
DATA_UPLOAD_MAX_MEMORY_SIZE = 256 * 1024
# Nothing is uploaded here: a file part is refused (talks_site.uploads), and none would be
# big enough to spill to a temporary file.
FILE_UPLOAD_MAX_MEMORY_SIZE = DATA_UPLOAD_MAX_MEMORY_SIZE
FILE_UPLOAD_HANDLERS = ["talks_site.uploads.RefuseFileUploads"]

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "https://www.gravatar.com", "data:"],
        "frame-src": list(FRAME_SOURCES),
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

# --- Logging ------------------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        # One line per record, key=value pairs, a traceback escaped on the same line: readable
        # by people and by log collectors.
        "logfmt": {"()": "talks_site.logging.LogfmtFormatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "logfmt"},
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false"],
        },
    },
    "filters": {
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
        "as_warning": {"()": "talks_site.log_filters.AsWarning"},
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django": {"handlers": ["console", "mail_admins"], "level": "INFO", "propagate": False},
        # A bad Host header is the client's mistake (or a scanner's): a warning, never a mail.
        "django.security.DisallowedHost": {
            "handlers": ["console"],
            "filters": ["as_warning"],
            "level": "WARNING",
            "propagate": False,
        },
        # A task that crashes in the worker (not an SMTP refusal: that waits in the outbox).
        "django_tasks": {
            "handlers": ["console", "mail_admins"],
            "level": "INFO",
            "propagate": False,
        },
    },
}
