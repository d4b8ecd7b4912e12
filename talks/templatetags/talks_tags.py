import datetime

from django import template
from django.utils.dateformat import format as format_date
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import pgettext

from .. import structured_data
from ..moments import link_moments, moment_targets

register = template.Library()


@register.simple_tag
def time_tag(value, style="date"):
    """A <time> element with a readable UTC fallback; static/js/localtime.js localises it.

    `style` is "date" (a day) or "relative" (a moment, shown as "3 hours ago").
    """
    if isinstance(value, datetime.datetime):
        value = value.astimezone(datetime.timezone.utc)
        machine = value.isoformat(timespec="seconds")
        # Month names come in the page's language from Django's own catalogue.
        human = format_date(
            value, pgettext("date format of a moment, in UTC", "j F Y, H:i \\U\\T\\C")
        )
    else:
        machine = value.isoformat()
        human = format_date(value, pgettext("date format of a day", "j F Y"))
    return format_html('<time datetime="{}" data-style="{}">{}</time>', machine, style, human)


@register.simple_tag
def page_link(number, base_url="", fragment="", query=""):
    """The link to page `number` of a list: its first page is `base_url` itself, when given.

    A list shown without a base URL links by its query alone, "?page=1" included. `query`
    (e.g. "unanswered=1") is a filter the list keeps on every page.
    """
    params = [query] if query else []
    if number > 1 or not base_url:
        params.append(f"page={number}")
    return f"{base_url}{'?' + '&'.join(params) if params else ''}{fragment}"


@register.simple_tag
def event_json_ld(talk):
    """The talk as schema.org Event JSON-LD."""
    return structured_data.json_ld_script(structured_data.event(talk))


@register.simple_tag
def person_json_ld(user):
    """The speaker as schema.org Person JSON-LD."""
    return structured_data.json_ld_script(structured_data.person(user))


@register.inclusion_tag("includes/_open_graph.html")
def talk_open_graph(talk):
    return {"properties": structured_data.talk_open_graph(talk)}


@register.inclusion_tag("includes/_open_graph.html")
def profile_open_graph(user):
    return {"properties": structured_data.profile_open_graph(user)}


@register.filter
def with_moments(body_html, talk):
    """A comment's stored HTML with its moments linked into `talk`'s video and slides."""
    # body_html was sanitised at save (talks.markdown); link_moments copies it and adds only
    # links whose every attribute it builds itself: marking the result safe is sound.
    return mark_safe(link_moments(body_html, moment_targets(talk)))  # noqa: S308 - see above
