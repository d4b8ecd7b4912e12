"""Conversations in a real browser: replying in place, the speaker's pin and answered marks
without a reload, and moments that restart the player; all under the strict CSP."""

import re

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD, make_comment, make_talk
from talks.models import Comment

from .conftest import log_in
from .test_csp_and_a11y import Watcher

YOUTUBE = "https://youtu.be/DJtef410XaM"


@pytest.fixture
def watcher(page):
    return Watcher(page)


@pytest.fixture
def video_talk(john):
    talk = make_talk(john, title="Flask by Example", video_url=YOUTUBE)
    question = make_comment(talk, author_name="Ann", body="What happens at 12:34?")
    make_comment(talk, author_name="Bob", body="Great talk")
    return talk, question


def article(page, comment):
    return page.locator(f"#comment-{comment.pk}")


def test_a_visitor_replies_in_place_and_the_approved_reply_shows_under_the_comment(
    page, watcher, video_talk
):
    talk, question = video_talk
    watcher.visit(talk.get_absolute_url())

    article(page, question).get_by_role("link", name="Reply to Ann").click()

    form = article(page, question).locator("#comment-form")
    expect(form).to_be_visible()
    expect(form.get_by_text("Replying to Ann")).to_be_visible()
    form.get_by_label("Name").fill("Cy")
    form.get_by_label("Email").fill("cy@example.org")
    form.get_by_role("textbox", name=re.compile(r"^Comment")).fill("It is the *demo*")
    form.get_by_role("button", name="Submit").click()
    expect(page.get_by_text("It will be published after the presenter reviews it.")).to_be_visible()
    watcher.collect("posted")

    reply = Comment.objects.get(parent=question)
    assert (reply.author_name, reply.approved) == ("Cy", False)
    reply.approve()
    watcher.visit(talk.get_absolute_url())
    expect(article(page, question).locator(f"#comment-{reply.pk} em")).to_have_text("demo")
    assert watcher.problems == []


def test_the_reply_link_works_without_javascript(browser, live_server, video_talk):
    talk, question = video_talk
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(talk.get_absolute_url())
        page.get_by_role("link", name="Reply to Ann").click()
        expect(page.get_by_text("Replying to Ann")).to_be_visible()
        assert page.locator("input[name=parent]").input_value() == str(question.pk)
    finally:
        context.close()


def test_the_speaker_pins_and_marks_answered_without_a_reload(page, watcher, john, video_talk):
    talk, question = video_talk
    later = Comment.objects.get(body="Great talk")
    log_in(page, john, PASSWORD)
    watcher.visit(talk.get_absolute_url())
    page.evaluate("window.stillTheSamePage = true")

    article(page, later).get_by_role("button", name="Pin the comment by Bob").click()
    expect(article(page, later).get_by_text("Pinned", exact=True)).to_be_visible()
    expect(page.locator("[data-comment-list] > article").first).to_have_id(f"comment-{later.pk}")
    expect(
        article(page, later).get_by_role("button", name="Unpin the comment by Bob")
    ).to_be_focused()

    article(page, question).get_by_role("button", name="Pin the comment by Ann").click()
    expect(article(page, question).get_by_text("Pinned", exact=True)).to_be_visible()
    expect(article(page, later).get_by_text("Pinned", exact=True)).to_be_hidden()
    # The comment pinned before is offered its Pin again.
    expect(
        article(page, later).get_by_role("button", name="Pin the comment by Bob")
    ).to_be_visible()

    answered = article(page, question).get_by_role(
        "button", name="Mark answered the comment by Ann"
    )
    answered.click()
    expect(article(page, question).get_by_text("Answered", exact=True)).to_be_visible()
    # Turned into its opposite, which undoes it, through the API and without it alike.
    undo = article(page, question).get_by_role("button", name="Not answered the comment by Ann")
    expect(undo).to_be_focused()
    assert undo.get_attribute("formaction") == f"/comments/{question.pk}/unanswered/"
    undo.click()
    expect(article(page, question).get_by_text("Answered", exact=True)).to_be_hidden()
    expect(answered).to_be_visible()

    assert page.evaluate("window.stillTheSamePage") is True
    assert list(Comment.objects.filter(pinned=True).values_list("pk", flat=True)) == [question.pk]
    assert Comment.objects.get(pk=question.pk).answered is False
    watcher.collect("marks")
    assert watcher.problems == []


def test_clicking_a_moment_restarts_the_player_there(page, watcher, video_talk):
    talk, _ = video_talk
    watcher.visit(talk.get_absolute_url())
    frame = page.locator('[data-player="video"] iframe')
    # Nothing is loaded from the provider yet: a moment builds the player starting there.
    assert frame.count() == 0

    moment = page.get_by_role("link", name="12:34")
    assert moment.get_attribute("href") == "https://www.youtube.com/watch?v=DJtef410XaM&t=754s"
    moment.click()

    expect(frame).to_have_attribute("src", re.compile(r"[?&]start=754(&|$)"))
    assert page.url.endswith(talk.get_absolute_url())

    # A player already playing is restarted at the moment instead.
    frame.evaluate("node => { node.src = node.src.replace(/start=754/, 'start=1'); }")
    moment.scroll_into_view_if_needed()
    moment.click()
    expect(frame).to_have_attribute("src", re.compile(r"[?&]start=754(&|$)"))
    watcher.collect("moment")
    assert watcher.problems == []
