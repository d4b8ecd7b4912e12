"""Each email is written in its recipient's language, whatever the sender's request spoke."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone, translation

from conftest import make_comment, make_user
from talks import services
from talks.models import OutboxEmail
from talks.notifications.outbox import flush_outbox

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _send_at_once(settings):
    settings.MAIL_FLUSH_INTERVAL = 0


def send():
    mail.outbox.clear()
    flush_outbox(now=timezone.now() + datetime.timedelta(seconds=1))
    return {message.to[0]: message for message in mail.outbox}


def html_of(message):
    [(html, _mimetype)] = message.alternatives
    return html


def post_comment(client, talk, name, email, body, language):
    form = {"author_name": name, "author_email": email, "body": body, "notify": "on"}
    response = client.post(f"/talk/{talk.pk}/comments/", form, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 302


def test_a_german_visitor_and_an_english_speaker_each_get_their_own_language(client, john, talk):
    post_comment(client, talk, "Grete", "grete@example.de", "Sehr gut!", "de")

    # The speaker has not chosen a language: the site's, not the German visitor's.
    to_john = send()["john@example.com"]
    assert to_john.subject == '[talks] Comment waiting for your review on "Flask by Example"'
    assert to_john.body.startswith("Hello John Doe,\n\nA comment waits for your review")
    assert to_john.extra_headers["Content-Language"] == "en"
    assert '<html lang="en">' in html_of(to_john)

    services.approve_comment(talk.comments.get())
    send()
    david = make_user("david", name="David")
    services.create_comment(talk=talk, user=david, body="Thanks!", language="en")

    to_grete = send()["grete@example.de"]
    assert to_grete.subject == "[talks] Neuer Kommentar zu „Flask by Example“"
    assert to_grete.extra_headers["Content-Language"] == "de"
    assert to_grete.body.startswith(
        "Hallo Grete,\n\nEs gibt einen neuen Kommentar zu „Flask by Example“:\n"
    )
    assert "David schreibt:\n  Thanks!\n" in to_grete.body
    assert "Abbestellen (nur für diesen Vortrag): http://127.0.0.1:8000/unsubscribe/" in (
        to_grete.body
    )
    html = html_of(to_grete)
    assert '<html lang="de">' in html
    assert ">Für diesen Vortrag abbestellen</a>." in html
    assert "new comment" not in to_grete.body + html


def test_a_speaker_who_chose_german_gets_german_whatever_the_visitor_spoke(client, john, talk):
    john.language = "de"
    john.save()
    post_comment(client, talk, "Ann", "ann@example.org", "Great talk", "en")
    post_comment(client, talk, "Bob", "bob@example.org", "Me too", "en")

    to_john = send()["john@example.com"]

    assert to_john.subject == "[talks] Kommentare zu „Flask by Example“ warten auf Ihre Freigabe"
    assert "2 Kommentare zu Ihrem Vortrag „Flask by Example“ warten auf Ihre Freigabe:" in (
        to_john.body
    )
    assert "Niemand sonst sieht sie, bevor Sie sie freigeben." in to_john.body


def test_a_user_subscriber_gets_their_chosen_language_over_that_of_their_comment(john, talk):
    david = make_user("david", name="David", language="de")
    make_comment(talk, author_name="Ann", author_email="ann@example.org", language="en")
    services.create_comment(talk=talk, user=david, body="Erster!", language="en")
    make_comment(talk, author_name="Bob", author_email="bob@example.org", language="en")

    messages = send()

    assert messages["david@example.com"].extra_headers["Content-Language"] == "de"
    assert messages["ann@example.org"].extra_headers["Content-Language"] == "en"
    assert messages["david@example.com"].subject.startswith("[talks] Neuer Kommentar zu „")


def test_the_outbox_row_carries_the_language_it_is_written_in(client, john, talk):
    make_comment(talk, author_name="Grete", author_email="grete@example.de", language="de")
    make_comment(talk, author_name="Ann", author_email="ann@example.org", language="en")

    rows = dict(OutboxEmail.objects.values_list("address", "language"))

    assert rows == {"grete@example.de": "de"}


def test_the_language_of_whoever_sends_does_not_leak_into_an_email(john, talk):
    make_comment(talk, author_name="Ann", author_email="ann@example.org")
    waiting = make_comment(talk, author_name="Bob", author_email="bob@example.org", approved=False)
    send()

    # A moderator on a German page, or a worker whose process speaks German.
    with translation.override("de"):
        services.approve_comment(waiting)
        to_ann = send()["ann@example.org"]

    assert to_ann.subject == '[talks] New comment on "Flask by Example"'
    assert to_ann.body.startswith("Hello Ann,\n\nThere is a new comment on")
