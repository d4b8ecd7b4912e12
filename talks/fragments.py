"""Rendered fragments cached under a digest of what they show, so that none is ever stale.

A page fetches its rows anyway (one indexed query); what costs is rendering them. The cache key
of a fragment is a digest of every value it renders, taken from the rows just fetched: a new
talk, an edit, an approval or a deletion changes those rows, hence the key, and the very next
request renders afresh. Nothing is invalidated, so no signal or write path can forget to.
The talk page's comments, the largest list, are keyed by a number the database moves instead
(talks/comments_version.py), so that a cached page need not read them at all.

The cache is CACHES["template_fragments"] (Django's `{% cache %}` tag uses it too): memory in
each process, bounded in entries, separate from the default cache so that pages can never push
rate-limit counters out.
"""

import dataclasses
import datetime
import decimal
import functools
import hashlib
import operator
import pickle

from django import forms
from django.core.cache import caches
from django.db.models import Model
from django.utils.crypto import salted_hmac
from django.utils.functional import LazyObject, empty

from .rows import Rows

# Related objects are followed this deep (a comment's author, a talk's author).
_MAX_DEPTH = 3
_SCALARS = (str, int, float, bool, type(None), datetime.date, datetime.time, decimal.Decimal)


def fragment_cache():
    return caches["template_fragments"]


def fingerprint(*values):
    """A digest of `values`: model instances (every loaded field, and the related objects
    loaded with them), rows read as values (talks/rows.py), pages and lists of them, unbound
    forms, and plain scalars."""
    seen = {}
    parts = tuple(_parts(value, 0, seen) for value in values)
    # Pickled rather than repr()'d: a fraction of the time for a page of rows, and the same
    # bytes always mean the same values (pickle writes every scalar out, datetimes included).
    return hashlib.blake2b(pickle.dumps(parts, protocol=5), digest_size=16).hexdigest()


@functools.cache
def csrf_stand_in():
    """What a cached fragment holds where a CSRF token goes ({% cache_forms %}): letters and
    digits like a token, derived from SECRET_KEY, so that no comment can contain it and have a
    moderator's token put there."""
    return salted_hmac("talks.fragments.csrf_stand_in", "token").hexdigest()


def _parts(value, depth, seen):
    if isinstance(value, _SCALARS):
        return value
    if isinstance(value, LazyObject):  # request.user: what it stands for
        if value._wrapped is empty:
            value._setup()
        value = value._wrapped
    if isinstance(value, Rows):
        # Values as the database gave them, every one a scalar: pickled as they are.
        return (value.model._meta.label, value.fields, value.values)
    if isinstance(value, Model):
        if depth >= _MAX_DEPTH:
            return (value._meta.label, value.pk)
        # One row shown many times (a profile's speaker on each of their talks, the talk of
        # each of a queue's comments) is spelled out once, as it was loaded for the page.
        pk = value.pk
        row = (value._meta.label, pk, *value._state.fields_cache) if pk is not None else id(value)
        if row in seen:
            return ("seen", seen[row])
        seen[row] = len(seen)
        return _instance_parts(value, depth, seen)
    if isinstance(value, list | tuple):
        return tuple(_parts(item, depth, seen) for item in value)
    if isinstance(value, forms.BaseForm):
        if value.is_bound:
            raise ValueError("A bound form shows what was posted: render it, do not cache it.")
        initial = tuple(
            (name, repr(value.get_initial_for_field(field, name)))
            for name, field in value.fields.items()
        )
        return (type(value).__qualname__, value.prefix, initial)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (
            type(value).__qualname__,
            tuple(
                _parts(getattr(value, field.name), depth, seen)
                for field in dataclasses.fields(value)
            ),
        )
    raise TypeError(f"Cannot fingerprint a {type(value).__name__}: pass what the fragment shows.")


@functools.cache
def _columns(model):
    """The attribute names of `model`'s columns, and a getter of all their values at once."""
    names = tuple(field.attname for field in model._meta.concrete_fields)
    return frozenset(names), operator.itemgetter(*names)


@functools.cache
def _loaded_columns(model, loaded):
    """The names of the columns `loaded` of `model`, in order, and a getter of their values."""
    shown = tuple(sorted(loaded))
    return shown, operator.itemgetter(*shown)


def _instance_parts(instance, depth, seen):
    loaded = instance.__dict__
    names, every_column = _columns(type(instance))
    try:
        fields = every_column(loaded)
    except KeyError:
        # Loaded with only() the columns its page shows: the others are not shown, and reading
        # one would cost a query for each row, which the pinned query counts would catch.
        shown, some_columns = _loaded_columns(type(instance), frozenset(names & loaded.keys()))
        fields = (shown, some_columns(loaded))
    related = tuple(
        (name, _parts(other, depth + 1, seen))
        for name, other in sorted(instance._state.fields_cache.items())
        if other is None or isinstance(other, Model)
    )
    # Rows of other tables an instance carries (a prefetch, a list of its own) are not its
    # columns: a list shown with it is read as talks.rows.Rows, whose digest has every row.
    if hasattr(instance, "_prefetched_objects_cache") or list in map(type, loaded.values()):
        raise TypeError(
            f"A {instance._meta.label} carrying other rows: fingerprint the Rows they were read as."
        )
    return (instance._meta.label, fields, related)
