"""What the notification emails say: subject, both bodies, excerpts, links and headers."""

import datetime

import pytest
from django.core import mail
from django.utils import dateformat, timezone
from pytest_django.asserts import assertInHTML

from conftest import make_comment, make_talk
from talks.models import OutboxEmail
from talks.moderation_links import ACTIONS, moderation_url
from talks.notifications.emails import excerpt
from talks.notifications.outbox import flush_outbox
from talks.notifications.unsubscribe import make_token

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("confirmed_visitors")]

SITE = "https://talks.example.com"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE
    settings.MAIL_FLUSH_INTERVAL = 0


@pytest.fixture
def qa_talk(john):
    return make_talk(john, title="Q&A <live> & more")


def send():
    flush_outbox(now=timezone.now() + datetime.timedelta(seconds=1))
    return mail.outbox


def html_of(message):
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return html


def test_ampersands_arrive_as_ampersands_in_the_subject_and_text_and_escaped_in_html(qa_talk):
    make_comment(qa_talk, author_name="Ann & Co", author_email="ann@example.org")
    make_comment(qa_talk, author_name="Bob", author_email="bob@example.org", body="Me & you")

    [message] = send()

    assert message.subject == '[talks] New comment on "Q&A <live> & more"'
    assert 'There is a new comment on "Q&A <live> & more":' in message.body
    assert "Hello Ann & Co," in message.body
    assert "  Me & you\n" in message.body
    assert "&amp;" not in message.body
    assert "Q&amp;A &lt;live&gt; &amp; more" in html_of(message)
    assert "Me &amp; you" in html_of(message)


def test_a_commenter_email_quotes_and_links_each_new_comment(talk):
    make_comment(talk, author_name="Ann", author_email="ann@example.org")
    first = make_comment(
        talk, author_name="Bob", author_email="bob@example.org", notify=False, body="**Great** talk"
    )
    second = make_comment(
        talk,
        author_name="Cy",
        author_email="cy@example.org",
        notify=False,
        body="> quoted\n\nand *more*",
    )

    [message] = send()

    assert message.to == ["ann@example.org"]
    assert message.subject == '[talks] New comments on "Flask by Example"'
    assert message.from_email == "Talks <talks@localhost>"
    talk_url = f"{SITE}/talk/{talk.pk}/"
    unsubscribe_url = f"{SITE}/unsubscribe/{make_token('ann@example.org', talk.pk)}/"
    assert message.body == (
        "Hello Ann,\n\n"
        'There are 2 new comments on "Flask by Example":\n\n'
        "Bob wrote:\n"
        "  Great talk\n"
        f"Read it: {SITE}/comments/{first.pk}/\n\n"
        "Cy wrote:\n"
        "  quoted and more\n"
        f"Read it: {SITE}/comments/{second.pk}/\n\n"
        f"The talk: {talk_url}\n\n"
        "You get these emails because you commented on this talk and asked to hear about new "
        "comments.\n"
        f"Stop them (for this talk only): {unsubscribe_url}\n"
    )
    html = html_of(message)
    assertInHTML(f'<a href="{SITE}/comments/{first.pk}/">Read it on the talk\'s page</a>', html)
    assertInHTML("<blockquote>quoted and more</blockquote>", html)
    assertInHTML(f'<a href="{unsubscribe_url}">Stop them for this talk</a>', html)


def test_a_commenter_email_carries_one_click_unsubscribe_headers(talk):
    make_comment(talk, author_name="Ann", author_email="Ann@Example.org")
    make_comment(talk, author_name="Bob", author_email="bob@example.org")

    [message] = send()

    token = make_token("ann@example.org", talk.pk)
    assert message.extra_headers == {
        "Auto-Submitted": "auto-generated",
        "Content-Language": "en",
        "List-Unsubscribe": f"<{SITE}/unsubscribe/{token}/>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    parsed = message.message()
    assert parsed["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_the_review_email_tells_the_talk_author_what_waits(talk):
    waiting = make_comment(
        talk, author_name="Vi", author_email="vi@example.org", approved=False, body="Hello *there*"
    )

    [message] = send()

    assert message.to == ["john@example.com"]
    assert message.subject == '[talks] Comment waiting for your review on "Flask by Example"'
    when = dateformat.format(waiting.created_at, "j M Y, H:i e")
    links = {action: moderation_url(waiting, action, talk.author) for action in ACTIONS}
    assert message.body == (
        "Hello John Doe,\n\n"
        'A comment waits for your review on your talk "Flask by Example":\n\n'
        f"Vi wrote on {when}:\n"
        "  Hello there\n"
        f"Approve: {links['approve']}\n"
        f"Delete: {links['delete']}\n"
        f"Approve and trust vi@example.org: {links['trust']}\n"
        f"On the talk's page: {SITE}/comments/{waiting.pk}/\n\n"
        "Nobody else sees it until you approve.\n"
        "Each link opens a page with one button: nothing happens until you press it. A trusted "
        "address publishes its next comments on your talks at once.\n"
    )
    for url in links.values():
        assert url in html_of(message)
    assert message.extra_headers == {"Auto-Submitted": "auto-generated", "Content-Language": "en"}
    assert "Hello *there*" not in html_of(message)
    assert "Hello there" in html_of(message)


def test_an_excerpt_is_plain_text_of_about_two_hundred_characters(talk):
    comment = make_comment(talk, body="word " * 100 + "\n\n<b>html</b> &amp; `code`")
    short = make_comment(talk, body="# Title\n\nSee <https://example.com/?a=1&b=2> & **this**")

    assert len(excerpt(comment)) == 200
    assert excerpt(comment).endswith("word…")
    assert excerpt(short) == "Title See https://example.com/?a=1&b=2 & this"


def test_the_outbox_row_remembers_the_name_to_greet(talk):
    make_comment(talk, author_name="Ann", author_email="ann@example.org")
    make_comment(talk, author_name="Bob", author_email="bob@example.org")

    assert OutboxEmail.objects.get().name == "Ann"
