"""`{% cache None name value|fingerprint %}`: a fragment cached under a digest of what it shows;
`{% cache_forms name value|fingerprint %}`: the same for a fragment whose forms carry the
request's CSRF token, which is never cached."""

from django import template
from django.core.cache.utils import make_template_fragment_key
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from .. import fragments

register = template.Library()


@register.filter
def fingerprint(value):
    """The digest of `value` (rows, a page of them, an unbound form): see talks/fragments.py."""
    return fragments.fingerprint(value)


@register.tag("cache_forms")
def do_cache_forms(parser, token):
    """{% cache_forms name vary_on... %}…{% endcache_forms %}: kept forever, as {% cache None %}."""
    bits = token.split_contents()
    if len(bits) < 3:
        raise template.TemplateSyntaxError(f"'{bits[0]}' takes a name and what it varies on.")
    nodelist = parser.parse(("endcache_forms",))
    parser.delete_first_token()
    return CachedFormsNode(nodelist, bits[1], [parser.compile_filter(bit) for bit in bits[2:]])


class CachedFormsNode(template.Node):
    """Renders its content once with a stand-in for the CSRF token, caches that, and puts this
    request's token in the stand-in's places: the cache never holds a token, and the page's
    forms all carry the one the rest of the page does."""

    def __init__(self, nodelist, name, vary_on):
        self.nodelist, self.name, self.vary_on = nodelist, name, vary_on

    def render(self, context):
        token = context.get("csrf_token")
        token = str(token) if token else ""
        # Django's csrf context processor says NOTPROVIDED when the request has no token.
        if not token or token == "NOTPROVIDED":  # noqa: S105 - a marker, not a password
            # Rendered without a request's token: nothing to stand in for.
            return self.nodelist.render(context)
        # The language too: the same comments read in German are another fragment.
        key = make_template_fragment_key(
            f"forms:{self.name}:{get_language()}",
            [value.resolve(context) for value in self.vary_on],
        )
        cache = fragments.fragment_cache()
        parts = cache.get(key)
        if parts is None:
            stand_in = fragments.csrf_stand_in()
            with context.push(csrf_token=stand_in):
                parts = self.nodelist.render(context).split(stand_in)
            cache.set(key, parts)
        # The parts are rendered template output, and a token is letters and digits.
        return mark_safe(token.join(parts))  # noqa: S308 - see above
