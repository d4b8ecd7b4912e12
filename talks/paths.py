"""Paths of a comment's moderation URLs, each URL pattern reversed once instead of per comment.

reverse() walks the URL resolver on every call: rendering a moderator's page of a hundred
waiting comments asked for four hundred. A pattern whose one argument is an integer is reversed
once with a marker number in the argument's place, and a comment's path is the marker replaced
by its pk: the URLconf stays the one source of every path.
"""

import functools
from typing import NamedTuple

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf, reverse

# Eighteen digits: the API's pattern takes ids of up to eighteen; no path holds it otherwise.
_MARKER = 918_273_645_546_372_819


@functools.lru_cache(maxsize=32)
def _around_pk(viewname, urlconf, script_prefix):
    """What comes before and after the pk in `viewname`'s path."""
    path = reverse(viewname, urlconf=urlconf, args=[_MARKER])
    head, marker, tail = path.partition(str(_MARKER))
    if not marker or str(_MARKER) in tail:
        raise ValueError(f"{viewname}'s path does not hold its argument once: {path}")
    return head, tail


def path_with_pk(viewname, pk):
    """reverse(viewname, args=[pk]) for a pattern whose one argument is an integer."""
    head, tail = _around_pk(viewname, get_urlconf(), get_script_prefix())
    return f"{head}{int(pk)}{tail}"


class CommentPaths(NamedTuple):
    """Where a moderator's buttons for one comment post without JavaScript, and what they call
    in the JSON API with it."""

    approve: str
    delete: str
    trust: str
    pin: str
    unpin: str
    answered: str
    unanswered: str
    api: str
    api_pin: str
    api_answered: str


_COMMENT_VIEWS = CommentPaths(
    approve="talks:comment_approve",
    delete="talks:comment_delete",
    trust="talks:comment_trust",
    pin="talks:comment_pin",
    unpin="talks:comment_unpin",
    answered="talks:comment_answered",
    unanswered="talks:comment_unanswered",
    api="api:comment",
    api_pin="api:comment_pin",
    api_answered="api:comment_answered",
)


def comment_paths(pk):
    return CommentPaths(*(path_with_pk(viewname, pk) for viewname in _COMMENT_VIEWS))


@receiver(setting_changed)
def _forget_paths(*, setting, **kwargs):
    # As Django's own URL caches are cleared when a test swaps the URLconf.
    if setting == "ROOT_URLCONF":
        _around_pk.cache_clear()
