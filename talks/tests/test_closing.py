"""Closing comments: by the speaker's switch, or by COMMENTS_CLOSE_AFTER_DAYS after the talk."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import make_comment, make_talk
from talks.forms import TalkForm
from talks.models import Comment

CLOSED = "Comments are closed."
VISITOR = {"author_name": "Ann", "author_email": "ann@example.org", "body": "Hello", "notify": "on"}
TODAY = timezone.localdate()


def talk_data(talk, **changes):
    data = {
        "title": talk.title,
        "venue": talk.venue,
        "date": talk.date.isoformat(),
        "description": "",
        "slides_url": "",
        "video_url": "",
        "venue_url": "",
    }
    return {**data, **changes}


@pytest.fixture
def closed_by_switch(talk):
    talk.comments_open = False
    talk.save()
    return talk


@pytest.fixture
def closed_by_date(settings, john):
    settings.COMMENTS_CLOSE_AFTER_DAYS = 30
    return make_talk(john, title="Old", date=TODAY - datetime.timedelta(days=31))


@pytest.fixture(params=["switch", "date"])
def closed(request):
    return request.getfixturevalue(f"closed_by_{request.param}")


def test_a_closed_talk_shows_the_notice_instead_of_the_form(client, closed):
    page = client.get(closed.get_absolute_url()).content.decode()

    assert CLOSED in page
    assert 'id="comment-form"' not in page


def test_a_comment_posted_to_a_closed_talk_is_refused_and_nothing_is_stored(client, closed):
    response = client.post(reverse("talks:comment_create", args=[closed.pk]), VISITOR)

    assert response.status_code == 403
    page = response.content.decode()
    assert CLOSED in page
    assert "Hello" in page  # the text sent, handed back to keep
    assert Comment.objects.exists() is False


def test_a_reply_and_a_users_comment_are_refused_too(david_client, closed):
    question = make_comment(closed)

    response = david_client.post(
        reverse("talks:comment_create", args=[closed.pk]), {"body": "Hi", "parent": question.pk}
    )

    assert response.status_code == 403
    assert Comment.objects.filter(parent=question).exists() is False
    page = david_client.get(closed.get_absolute_url()).content.decode()
    assert "data-reply=" not in page


def test_the_preview_of_a_closed_talk_is_refused_as_json(client, closed):
    response = client.post(reverse("talks:talk_comment_preview", args=[closed.pk]), {"body": "x"})

    assert response.status_code == 403
    assert response.json() == {"status": "forbidden", "message": CLOSED}


def test_the_preview_of_a_missing_talk_is_a_json_404(client, db):
    response = client.post(reverse("talks:talk_comment_preview", args=[987654]), {"body": "x"})

    assert response.status_code == 404
    assert response.json()["status"] == "not found"


def test_comments_stay_open_through_the_last_day(settings, john):
    settings.COMMENTS_CLOSE_AFTER_DAYS = 30
    talk = make_talk(john, date=TODAY - datetime.timedelta(days=30))

    assert talk.comments_close_on == TODAY
    assert talk.comments_are_open() is True
    assert talk.comments_are_open(today=TODAY + datetime.timedelta(days=1)) is False


def test_without_the_setting_comments_never_close_by_themselves(settings, john):
    settings.COMMENTS_CLOSE_AFTER_DAYS = None
    talk = make_talk(john, date=datetime.date(1990, 1, 1))

    assert talk.comments_close_on is None
    assert talk.comments_are_open() is True


def test_the_speaker_reopens_a_talk_the_date_closed_and_it_stays_open(john_client, closed_by_date):
    talk = closed_by_date
    form = john_client.get(reverse("talks:edit", args=[talk.pk])).context["form"]
    assert form.initial["comments_open"] is False
    assert "30 days after the talk's date" in str(form["comments_open"].help_text)

    john_client.post(reverse("talks:edit", args=[talk.pk]), talk_data(talk, comments_open="on"))

    talk.refresh_from_db()
    assert talk.comments_open is True
    assert talk.comments_are_open(today=TODAY + datetime.timedelta(days=3650)) is True
    response = Client().post(reverse("talks:comment_create", args=[talk.pk]), VISITOR)
    assert response.status_code == 302


def test_keeping_a_recent_talk_open_keeps_following_the_schedule(settings, john):
    settings.COMMENTS_CLOSE_AFTER_DAYS = 30
    talk = make_talk(john, date=TODAY)

    form = TalkForm(talk_data(talk, comments_open="on"), instance=talk)
    assert form.is_valid(), form.errors
    form.save()

    talk.refresh_from_db()
    assert talk.comments_open is None
    assert talk.comments_are_open(today=TODAY + datetime.timedelta(days=31)) is False


def test_unticking_the_box_closes_comments_whatever_the_date(john_client, talk):
    john_client.post(reverse("talks:edit", args=[talk.pk]), talk_data(talk))

    talk.refresh_from_db()
    assert talk.comments_open is False
    assert talk.comments_are_open() is False


def test_a_new_talk_form_starts_with_comments_open(john_client):
    form = john_client.get(reverse("talks:create")).context["form"]

    assert form["comments_open"].value() is True


def test_a_closed_talk_still_lets_the_speaker_moderate_and_pin(john_client, closed_by_switch):
    waiting = make_comment(closed_by_switch, approved=False)
    published = make_comment(closed_by_switch)

    john_client.post(reverse("talks:comment_approve", args=[waiting.pk]))
    john_client.post(reverse("talks:comment_pin", args=[published.pk]))

    assert Comment.objects.get(pk=waiting.pk).approved is True
    assert Comment.objects.get(pk=published.pk).pinned is True
