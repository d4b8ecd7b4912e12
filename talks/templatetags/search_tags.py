from django import template
from django.template.defaultfilters import truncatewords

from ..search.highlight import highlight

register = template.Library()


@register.simple_tag
def highlighted(text, query, words=None):
    """`text` with the search's words marked; cut to `words` words first when given."""
    return highlight(truncatewords(text, words) if words else text, query)
