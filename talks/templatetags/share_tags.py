from django import template

from .. import qrcodes

register = template.Library()


@register.filter
def short_link(talk):
    """The talk's absolute short link (SITE_URL/t/<id>)."""
    return qrcodes.short_link(talk)
