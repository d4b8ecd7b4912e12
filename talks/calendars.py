"""Talks as iCalendar files (RFC 5545), built with the icalendar package."""

import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from .links import absolute_url


def _uid(talk):
    # Stable across edits and requests: a calendar that imported it once updates the same event.
    return f"talk-{talk.pk}@{urlsplit(settings.SITE_URL).hostname}"


def _event(talk, stamp):
    event = Event()
    event.add("uid", _uid(talk))
    event.add("dtstamp", stamp)
    event.add("summary", talk.title)
    # An all-day event: DTSTART is a DATE, DTEND the next day (exclusive).
    event.add("dtstart", talk.date)
    event.add("dtend", talk.date + datetime.timedelta(days=1))
    event.add("location", talk.venue)
    event.add("url", absolute_url(talk.get_absolute_url()))
    if talk.description:
        event.add("description", talk.description)
    return event


def calendar_for(talks, name):
    """An iCalendar file (bytes) with one all-day VEVENT per talk."""
    calendar = Calendar()
    calendar.add("prodid", "-//Talks//talks calendar//EN")
    calendar.add("version", "2.0")
    # An X- property is written as given: line breaks would end the line, so fold them away.
    calendar.add("x-wr-calname", " ".join(name.split()))
    stamp = timezone.now()
    for talk in talks:
        calendar.add_component(_event(talk, stamp))
    return calendar.to_ical()
