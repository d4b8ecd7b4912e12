"""The inbox loop in Chromium, with the emails read from a real SMTP server.

A visitor comments and confirms from the email; the speaker approves and trusts from the
moderation email without logging in; the visitor's next comment appears at once; a fresh
browser with the same address is held and publishes through the emailed link. Every page is
watched for Content-Security-Policy violations.
"""

import re
import time

import pytest
from playwright.sync_api import expect

from talks.models import Comment, TrustedAddress
from talks.tests.smtpd import running_smtp_server

from .test_csp_and_a11y import Watcher

DELIVERY_TIMEOUT = 20


@pytest.fixture
def smtp(settings, live_server):
    with running_smtp_server() as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = server.port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        settings.SITE_URL = live_server.url
        settings.MAIL_FLUSH_INTERVAL = 0
        yield server


def next_email(smtp, to, subject_start):
    """The latest email to `to` whose subject starts so, once the worker has sent it."""
    deadline = time.monotonic() + DELIVERY_TIMEOUT
    while time.monotonic() < deadline:
        found = [
            message
            for message in smtp.messages
            if message["To"] == to and str(message["Subject"]).startswith(subject_start)
        ]
        if found:
            return found[-1]
        time.sleep(0.1)
    raise AssertionError(f"no email to {to}: {[m['Subject'] for m in smtp.messages]}")


def links(message, live_server):
    text = message.get_body(("plain",)).get_content()
    return re.findall(rf"{re.escape(live_server.url)}(/\S+)", text)


def comment_as_ann(page, talk, body):
    page.goto(talk.get_absolute_url())
    page.get_by_label("Name").fill("Ann")
    page.get_by_label("Email").fill("ann@example.org")
    page.get_by_role("textbox", name=re.compile(r"^Comment")).fill(body)
    page.get_by_role("button", name="Submit").click()


def test_the_inbox_loop(browser, live_server, smtp, talk):
    contexts = []

    def fresh_page():
        context = browser.new_context(base_url=live_server.url)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        return page, Watcher(page)

    try:
        visitor, visitor_watch = fresh_page()
        comment_as_ann(visitor, talk, "First *question*")
        expect(visitor.get_by_text("confirm it")).to_be_visible()

        confirmation = next_email(smtp, "ann@example.org", "[talks] Confirm your email address")
        [confirm_path] = [p for p in links(confirmation, live_server) if p.startswith("/confirm/")]
        visitor_watch.visit(confirm_path)
        visitor.get_by_role("button", name="Confirm").click()
        expect(visitor.get_by_role("heading", level=1)).to_have_text(
            "ann@example.org is confirmed."
        )
        visitor_watch.collect("confirmed")

        # The speaker, on a phone with no session, trusts Ann from the email.
        review = next_email(smtp, "john@example.com", "[talks] Comment waiting")
        [trust_path] = [p for p in links(review, live_server) if p.endswith("/") and "/trust/" in p]
        speaker, speaker_watch = fresh_page()
        speaker_watch.visit(trust_path)
        expect(speaker.get_by_text("First question")).to_be_visible()
        speaker.get_by_role("button", name="Approve and trust ann@example.org").click()
        expect(speaker.get_by_role("heading", level=1)).to_contain_text("now trusted")
        speaker_watch.collect("trusted")
        assert TrustedAddress.objects.get().address == "ann@example.org"

        # Ann's browser carries the cookie: her next comment is published at once.
        comment_as_ann(visitor, talk, "Second, at once")
        expect(visitor.get_by_text("the speaker trusts your address")).to_be_visible()
        second = Comment.objects.get(body="Second, at once")
        expect(visitor.locator(f"#comment-{second.pk}")).to_contain_text("Second, at once")
        expect(visitor.locator(f"#comment-{second.pk} [data-pending-label]")).to_have_count(0)

        # Another browser has no cookie: the comment waits and Ann is emailed a publish link.
        other, other_watch = fresh_page()
        comment_as_ann(other, talk, "Third, from elsewhere")
        expect(other.get_by_text("we emailed it a link")).to_be_visible()
        third = Comment.objects.get(body="Third, from elsewhere")
        assert third.approved is False
        publish = next_email(smtp, "ann@example.org", "[talks] Publish your comment")
        [publish_path] = [p for p in links(publish, live_server) if p.startswith("/publish/")]
        other_watch.visit(publish_path)
        other.get_by_role("button", name="Publish").click()
        expect(other.locator(f"#comment-{third.pk}")).to_contain_text("Third, from elsewhere")
        expect(other.get_by_text("Your comment was published.")).to_be_visible()
        other_watch.collect("published")
        third.refresh_from_db()
        assert third.approved is True

        assert visitor_watch.problems + speaker_watch.problems + other_watch.problems == []
    finally:
        for context in contexts:
            context.close()
