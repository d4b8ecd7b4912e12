"""Replies in notifications: the person answered is told as a subscriber, and every email
says what a reply answers."""

import datetime

import pytest
from django.core import mail
from django.utils import dateformat, timezone

from conftest import make_comment
from talks.models import Recipient
from talks.notifications.outbox import flush_outbox
from talks.services import approve_comment

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("confirmed_visitors")]

SITE = "https://talks.example.com"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE
    settings.MAIL_FLUSH_INTERVAL = 0


def send():
    flush_outbox(now=timezone.now() + datetime.timedelta(seconds=1))
    return sorted(mail.outbox, key=lambda message: message.to)


def test_the_talks_author_answered_in_a_reply_is_told_of_it(talk, john, david):
    question_by_speaker = make_comment(talk, author=john, body="Any questions?")
    reply = make_comment(talk, parent=question_by_speaker, author=david, body="One")

    assert reply.recipients() == [Recipient("john@example.com", "John Doe", "en")]


def test_the_visitor_answered_is_told_and_others_as_before(talk, john):
    question = make_comment(talk, author_name="Ann", author_email="ann@example.org")
    make_comment(talk, author_name="Bob", author_email="bob@example.org")
    reply = make_comment(talk, parent=question, author=john, body="Here")

    assert reply.recipients() == [
        Recipient("ann@example.org", "Ann", "en"),
        Recipient("bob@example.org", "Bob", "en"),
    ]


def test_the_person_answered_with_notify_off_or_answering_themselves_is_not_told(talk, john):
    quiet = make_comment(talk, author=john, notify=False, body="No emails for me")
    own = make_comment(talk, author_name="Ann", author_email="ann@example.org")

    assert make_comment(
        talk, parent=quiet, author_name="Cy", author_email="cy@example.org"
    ).recipients() == [Recipient("ann@example.org", "Ann", "en")]
    assert make_comment(
        talk, parent=own, author_name="Ann", author_email="ANN@example.org"
    ).recipients() == [Recipient("cy@example.org", "Cy", "en")]


def test_a_waiting_reply_goes_to_the_speaker_for_review_saying_what_it_answers(talk):
    question = make_comment(talk, author_name="Ann", body="Will the slides be online?")
    reply = make_comment(talk, parent=question, approved=False, author_name="Cy", body="Yes please")

    [message] = send()

    when = dateformat.format(reply.created_at, "j M Y, H:i e")
    assert message.to == ["john@example.com"]
    said = f'Cy replied to Ann ("Will the slides be online?") on {when}:\n  Yes please\n'
    assert said in message.body
    [(html, _)] = message.alternatives
    said = "<strong>Cy</strong> replied to <strong>Ann</strong> (“Will the slides be online?”)"
    assert f"{said} on {when}:" in html


def test_the_answered_commenter_hears_of_the_reply_once_it_is_approved(talk):
    question = make_comment(talk, author_name="Ann", author_email="ann@example.org", body="Why?")
    reply = make_comment(talk, parent=question, approved=False, author_name="Cy", body="Because")
    send()
    mail.outbox.clear()

    approve_comment(reply)
    # Cy, whose address is confirmed, also hears that the reply is published.
    message, published = send()

    assert published.to == ["visitor@example.org"]
    assert published.subject == '[talks] Your comment on "Flask by Example" is published'
    assert message.to == ["ann@example.org"]
    assert 'Cy replied to Ann ("Why?"):\n  Because\n' in message.body
    assert f"Read it: {SITE}/comments/{reply.pk}/" in message.body
