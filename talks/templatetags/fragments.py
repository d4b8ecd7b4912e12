"""`{% cache None name value|fingerprint %}`: a fragment cached under a digest of what it shows."""

from django import template

from .. import fragments

register = template.Library()


@register.filter
def fingerprint(value):
    """The digest of `value` (rows, a page of them, an unbound form): see talks/fragments.py."""
    return fragments.fingerprint(value)
