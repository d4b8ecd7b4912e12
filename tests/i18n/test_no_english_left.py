"""Every page and email, rendered in German, holds no English a reader would see.

The data is German, so that what is left in English can only come from the site's own text.
Each page is rendered as a visitor, a speaker and an admin would see it, with a flash message,
form errors and pagers where the page has them.
"""

import datetime
import re

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.template.loader import render_to_string
from django.test import Client
from django.utils import timezone, translation

from conftest import make_comment, make_talk, make_user
from talks.notifications.outbox import flush_outbox
from talks.notifications.unsubscribe import make_token

from .english import find_english

pytestmark = pytest.mark.django_db

USER_TEXT = (
    "Flaschen und Kolben",
    "Ein Abend über Kolben",
    "Kongresshalle Ulm",
    "Grete Müller",
    "grete@beispiel.de",
    "Hans Huber",
    "hans",
    "Suse",
    "suse",
    "Otto",
    "otto",
    "Sehr gut erklärt",
    "Wartet noch",
    "Zweiter Vortrag",
    "Ulm",
    "Bodensee",
    "Lehrt Kolben",
)


@pytest.fixture(autouse=True)
def _small_pages(settings):
    settings.COMMENTS_PER_PAGE = 1
    settings.TALKS_PER_PAGE = 1
    settings.MAIL_FLUSH_INTERVAL = 0


@pytest.fixture
def world():
    hans = make_user("hans", name="Hans Huber", location="Ulm", bio="Lehrt Kolben", language="de")
    suse = make_user("suse", admin=True, name="Suse")
    otto = make_user("otto", name="Otto", language="de")
    talk = make_talk(
        hans,
        title="Flaschen und Kolben",
        description="Ein Abend über Kolben",
        venue="Kongresshalle Ulm",
        venue_url="https://kongresshalle.example/",
        video_url="https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        slides_url="https://speakerdeck.com/player/0123456789abcdef0123456789abcdef",
        date=datetime.date(2014, 4, 11),
    )
    make_talk(hans, title="Zweiter Vortrag", venue="Bodensee")
    make_comment(
        talk,
        author_name="Grete Müller",
        author_email="grete@beispiel.de",
        body="Sehr gut erklärt",
        language="de",
    )
    make_comment(talk, author=otto, body="Sehr gut erklärt")
    waiting = make_comment(
        talk,
        author_name="Grete Müller",
        author_email="grete@beispiel.de",
        body="Wartet noch",
        approved=False,
        language="de",
    )
    return {"hans": hans, "suse": suse, "otto": otto, "talk": talk, "waiting": waiting}


def german(user=None):
    client = Client(HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9")
    if user is not None:
        client.force_login(user)
    return client


def stored_names():
    """Names the database holds in English: Django writes permissions' names at migrate."""
    return tuple(Permission.objects.values_list("name", flat=True))


def shown_password(user):
    """The admin shows a password's salt and hash cut to their first letters: random, not words."""
    return tuple(part[:6] for part in user.password.split("$")[1:])


def assert_german(response_or_text, where, data=()):
    content = response_or_text
    if not isinstance(content, str):
        assert response_or_text.status_code < 500, where
        content = response_or_text.content.decode()
        assert re.search(r'<html lang="de"[ >]', content), where
    assert find_english(content, user_text=USER_TEXT + stored_names() + data) == [], where


def test_every_page_a_visitor_sees_is_german(world):
    talk = world["talk"]
    client = german()
    token = make_token("grete@beispiel.de", talk.pk)
    pages = [
        "/",
        "/?page=2",
        "/user/hans/",
        "/user/hans/?page=2",
        f"/talk/{talk.pk}/",
        f"/talk/{talk.pk}/?page=2",
        "/auth/login/",
        "/auth/password-reset/",
        "/auth/password-reset/sent/",
        "/auth/reset/MQ/abgelaufen/",
        "/auth/reset/done/",
        f"/unsubscribe/{token}/",
        "/unsubscribe/kaputt/",
        f"/unsubscribe/{make_token('grete@beispiel.de', 999)}/",
        "/search/?q=Kolben",
        "/search/?q=",
        "/search/?q=Quarkspeise",
        f"/talk/{talk.pk}/slide/",
        "/user/niemand/",  # 404
        "/?q=%00",  # 400
    ]
    for page in pages:
        assert_german(client.get(page), page)


def test_a_visitors_posts_their_errors_and_flash_messages_are_german(world):
    talk = world["talk"]
    client = german()

    refused = client.post(f"/talk/{talk.pk}/comments/", {"author_email": "kein-at"})
    assert_german(refused, "comment form errors")
    posted = client.post(
        f"/talk/{talk.pk}/comments/",
        {"author_name": "Grete Müller", "author_email": "grete@beispiel.de", "body": "Wartet noch"},
        follow=True,
    )
    assert_german(posted, "comment posted")
    login = client.post("/auth/login/", {"username": "hans@example.com", "password": "falsch"})
    assert_german(login, "login refused")
    unsubscribed = client.post(
        f"/unsubscribe/{make_token('grete@beispiel.de', talk.pk)}/",
        {"List-Unsubscribe": "One-Click"},
    )
    assert_german(unsubscribed, "unsubscribed")


def test_every_page_a_speaker_sees_is_german(world):
    talk, other = world["talk"], world["otto"]
    client = german(world["hans"])
    pages = [
        "/",
        f"/talk/{talk.pk}/",
        "/talk/new/",
        f"/talk/{talk.pk}/edit/",
        "/profile/edit/",
        "/moderate/",
        "/moderate/trusted/",
        "/user/hans/",
    ]
    for page in pages:
        assert_german(client.get(page), page)
    assert_german(
        client.post(
            "/talk/new/",
            {"title": "", "venue_url": "kein url", "video_url": "https://example.com/"},
        ),
        "talk form",
    )
    assert_german(client.post("/profile/edit/", {"name": "x" * 70}), "profile form errors")
    saved = client.post("/profile/edit/", {"name": "Hans Huber", "language": "de"}, follow=True)
    assert_german(saved, "profile saved")
    approved = client.post(
        f"/moderate/{world['waiting'].pk}/approve/", {"next": f"/talk/{talk.pk}/"}, follow=True
    )
    assert_german(approved, "approved")
    assert_german(german(other).get(f"/talk/{talk.pk}/edit/"), "403")


def test_every_page_an_admin_sees_is_german(world):
    talk = world["talk"]
    client = german(world["suse"])
    comment = talk.comments.first()
    pages = [
        "/moderate/admin/",
        f"/talk/{talk.pk}/",
        "/admin/",
        "/admin/talks/",
        "/admin/talks/talk/",
        f"/admin/talks/talk/{talk.pk}/change/",
        "/admin/talks/comment/",
        "/admin/talks/comment/?approved__exact=0",
        f"/admin/talks/comment/{comment.pk}/change/",
        "/admin/talks/outboxemail/",
        "/admin/accounts/user/",
        f"/admin/accounts/user/{world['hans'].pk}/change/",
    ]
    for page in pages:
        assert_german(client.get(page), page, data=shown_password(world["hans"]))
    approved = client.post(
        "/admin/talks/comment/",
        {"action": "approve_comments", "_selected_action": [world["waiting"].pk]},
        follow=True,
    )
    assert_german(approved, "admin action")


def test_the_server_error_page_is_german(rf):
    with translation.override("de"):
        assert_german(render_to_string("500.html", request=rf.get("/")), "500")


def test_every_email_to_a_german_reader_is_german(world, settings):
    talk = world["talk"]
    flush_outbox(now=timezone.now() + datetime.timedelta(seconds=1))  # the moderation email
    world["waiting"].approve()
    make_comment(talk, author_name="Zweite", author_email="zweite@beispiel.de", body="Wartet noch")
    flush_outbox(now=timezone.now() + datetime.timedelta(seconds=1))  # new comments, for Grete
    german().post("/auth/password-reset/", {"email": "hans@example.com"})
    flush_outbox(now=timezone.now() + datetime.timedelta(seconds=1))  # the reset link

    kinds = {}
    for message in mail.outbox:
        kinds.setdefault(message.to[0], []).append(message)
        [(html, _type)] = message.alternatives
        where = f"{message.to[0]}: {message.subject}"
        assert find_english(message.subject, user_text=USER_TEXT, html=False) == [], where
        assert find_english(message.body, user_text=USER_TEXT, html=False) == [], where
        assert find_english(html, user_text=USER_TEXT) == [], where
    # The moderation email and a password reset for Hans, the news for a visitor and a user,
    # and the request to confirm the address nobody confirmed yet.
    assert {"grete@beispiel.de", "hans@example.com", "otto@example.com"} <= set(kinds)
    assert len(kinds["hans@example.com"]) == 2


def test_the_json_errors_are_german(world):
    client = german()
    for response in (
        client.delete(f"/api/1.0/comments/{world['waiting'].pk}"),
        client.get("/api/1.0/nirgends"),
        client.post("/api/1.0/tokens", "{}", content_type="application/json"),
        client.get("/comments/preview/"),
    ):
        message = response.json()["message"]
        assert find_english(message, user_text=USER_TEXT, html=False) == [], message


# --- The net itself can catch what it is for --------------------------------------------------


def test_the_net_catches_an_unmarked_sentence_and_leaves_german_alone():
    page = '<p title="Löschen">Sehr gut</p><p>Bitte warten Sie.</p>'

    assert find_english(page) == []
    found = find_english("<p>Please wait for the speaker.</p>")
    assert {"Please", "for", "speaker", "the"} <= set(found)
    assert "of" in find_english('<img alt="Avatar of Hans">')
    assert find_english("<script>var the = 1;</script><style>.the {}</style>") == []


def test_the_net_catches_a_marked_string_shown_in_english():
    with translation.override("en"):
        english_404 = render_to_string("404.html")

    assert {"Page not found", "There is nothing here", "Back to the talks"} <= set(
        find_english(english_404)
    )


def test_the_net_fails_a_real_page_whose_template_has_an_unmarked_string(settings, tmp_path, world):
    original = (settings.BASE_DIR / "templates/404.html").read_text()
    unmarked = original.replace('{% translate "Page not found" %}', "Page not found")
    assert unmarked != original
    (tmp_path / "404.html").write_text(unmarked)
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]

    content = german().get("/user/niemand/").content.decode()

    assert re.search(r"<h1>Page not found</h1>", content)
    assert find_english(content, user_text=USER_TEXT) == ["Page not found", "Page", "found", "not"]


def test_the_lockout_page_is_german(world, settings):
    settings.AXES_FAILURE_LIMIT = 2
    client = german()
    for _attempt in range(2):
        locked = client.post("/auth/login/", {"username": "hans@example.com", "password": "x"})

    assert locked.status_code == 429
    assert_german(locked, "lockout")
    assert "Zu viele fehlgeschlagene Anmeldungen" in locked.content.decode()
