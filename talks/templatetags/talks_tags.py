import datetime

from django import template
from django.utils.dateformat import format as format_date
from django.utils.html import format_html
from django.utils.translation import pgettext

from .. import structured_data

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
def page_link(number, base_url="", fragment="", kept_query=""):
    """The link to page `number` of a list: its first page is `base_url` itself, when given.

    A list shown without a base URL links by its query alone, "?page=1" included, after
    `kept_query` ("q=django&"), the part of the query that every page of the list repeats.
    """
    query = f"?{kept_query}page={number}" if number > 1 or not base_url else ""
    return f"{base_url}{query}{fragment}"


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
