"""A talk's and a speaker's calendars, parsed back with icalendar."""

import datetime

import pytest
from icalendar import Calendar

from conftest import make_talk

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = "https://talks.example.org"


def events(response):
    calendar = Calendar.from_ical(response.content)
    return [component for component in calendar.walk("VEVENT")]


def test_a_talks_calendar_is_one_all_day_event(client, talk):
    response = client.get(f"/talk/{talk.pk}/calendar.ics")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    [event] = events(response)
    assert str(event["uid"]) == f"talk-{talk.pk}@talks.example.org"
    assert str(event["summary"]) == talk.title
    assert str(event["location"]) == talk.venue
    assert str(event["url"]) == f"https://talks.example.org/talk/{talk.pk}/"
    assert event.decoded("dtstart") == talk.date
    assert event.decoded("dtend") == talk.date + datetime.timedelta(days=1)
    assert isinstance(event.decoded("dtstamp"), datetime.datetime)


def test_the_uid_stays_when_the_talk_changes(client, talk):
    before = events(client.get(f"/talk/{talk.pk}/calendar.ics"))[0]["uid"]
    talk.title = "Renamed"
    talk.save()

    after = events(client.get(f"/talk/{talk.pk}/calendar.ics"))[0]

    assert after["uid"] == before and str(after["summary"]) == "Renamed"


def test_a_speakers_calendar_has_each_of_their_talks(client, john, david):
    mine = [
        make_talk(john, title=f"Mine {n}", date=datetime.date(2020, 1, n + 1)) for n in range(3)
    ]
    make_talk(david, title="Not mine")

    response = client.get("/user/john/calendar.ics")

    assert response.status_code == 200
    assert [str(event["summary"]) for event in events(response)] == ["Mine 2", "Mine 1", "Mine 0"]
    assert {str(event["uid"]) for event in events(response)} == {
        f"talk-{talk.pk}@talks.example.org" for talk in mine
    }


def test_an_odd_title_is_escaped_in_the_file(client, john):
    talk = make_talk(john, title="Commas, semicolons; and\nnewlines", venue="Hall \\ 1")

    [event] = events(client.get(f"/talk/{talk.pk}/calendar.ics"))

    assert str(event["summary"]) == "Commas, semicolons; and\nnewlines"
    assert str(event["location"]) == "Hall \\ 1"


def test_calendars_of_nothing_are_404(client, db):
    assert client.get("/talk/999999/calendar.ics").status_code == 404
    assert client.get("/user/nobody/calendar.ics").status_code == 404


def test_talk_and_profile_pages_link_their_calendars(client, talk):
    assert (
        f'href="/talk/{talk.pk}/calendar.ics"'.encode()
        in client.get(talk.get_absolute_url()).content
    )
    assert b'href="/user/john/calendar.ics"' in client.get("/user/john/").content
