import datetime

from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def time_tag(value, style="date"):
    """A <time> element with a readable UTC fallback; static/js/localtime.js localises it.

    `style` is "date" (a day) or "relative" (a moment, shown as "3 hours ago").
    """
    if isinstance(value, datetime.datetime):
        machine = value.astimezone(datetime.timezone.utc).isoformat(timespec="seconds")
        human = value.astimezone(datetime.timezone.utc).strftime("%-d %B %Y, %H:%M UTC")
    else:
        machine = value.isoformat()
        human = value.strftime("%-d %B %Y")
    return format_html('<time datetime="{}" data-style="{}">{}</time>', machine, style, human)
