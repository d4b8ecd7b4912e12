"""Personas and settings shared by every test.

The personas: john is a speaker who owns `talk`, susan is an admin who owns no talk, and a
visitor has no account at all.
"""

import datetime

import pytest

from accounts.models import User
from talks.models import Comment, Talk

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _test_settings(settings):
    # Hashed static names need `collectstatic`; tests render pages from the source files.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.SECURE_SSL_REDIRECT = False
    settings.COMMENT_RATE_LIMIT = "0"
    # In-process tests need no shared cache, and clearing one in memory needs no database; the
    # default (the database cache) is what the live-server tests and test_cache.py exercise.
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }


@pytest.fixture(autouse=True)
def _clear_cache(_test_settings):
    # Every alias: the default one (rate limits) and the rendered fragments, whose keys do not
    # cover settings a test overrides, such as SITE_URL in feeds.
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()
    yield
    for cache in caches.all():
        cache.clear()


def make_user(username, *, admin=False, **fields):
    user = User(
        username=username,
        email=fields.pop("email", f"{username}@example.com"),
        is_staff=admin,
        is_superuser=admin,
        **fields,
    )
    user.set_password(PASSWORD)
    user.save()
    return user


def make_talk(author, **fields):
    fields.setdefault("title", "A talk")
    fields.setdefault("venue", "PyCon")
    fields.setdefault("date", datetime.date(2014, 4, 11))
    return Talk.objects.create(author=author, **fields)


def make_comment(talk, *, author=None, approved=True, **fields):
    if author is None:
        fields.setdefault("author_name", "Visitor")
        fields.setdefault("author_email", "visitor@example.org")
    fields.setdefault("body", "Nice talk")
    return Comment.objects.create(talk=talk, author=author, approved=approved, **fields)


@pytest.fixture
def john(db):
    """A speaker, author of `talk`."""
    return make_user("john", name="John Doe")


@pytest.fixture
def susan(db):
    """An admin who owns no talk."""
    return make_user("susan", admin=True, name="Susan")


@pytest.fixture
def david(db):
    """A second speaker, with no rights over john's talk."""
    return make_user("david", name="David")


@pytest.fixture
def talk(john):
    return make_talk(john, title="Flask by Example", description="Learn Flask")


@pytest.fixture
def john_client(client, john):
    client.force_login(john)
    return client


@pytest.fixture
def susan_client(client, susan):
    client.force_login(susan)
    return client


@pytest.fixture
def david_client(client, david):
    client.force_login(david)
    return client
