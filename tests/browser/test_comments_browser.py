import re

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD, make_comment
from talks.markdown import render_markdown
from talks.models import Comment

from .conftest import log_in


@pytest.fixture
def waiting(talk):
    """Two visitors' comments waiting on john's talk."""
    return (
        make_comment(talk, approved=False, author_name="Ann", body="Approve *me*"),
        make_comment(talk, approved=False, author_name="Bob", body="Delete me"),
    )


def comment(page, pk):
    return page.locator(f"#comment-{pk}")


def test_the_preview_follows_a_visitor_typing(page, talk):
    page.goto(talk.get_absolute_url())
    box = page.get_by_role("textbox", name=re.compile(r"^Comment"))

    box.press_sequentially("Hello **bold**")
    expect(page.locator("#comment-preview strong")).to_have_text("bold")

    text = "Hello **bold** <script>alert(1)</script> and https://example.com"
    box.fill(text)
    expect(page.locator("#comment-preview a")).to_have_attribute("href", "https://example.com")
    assert page.locator("#comment-preview").inner_html() == render_markdown(text)
    assert page.locator("#comment-preview script").count() == 0


def test_a_visitor_posts_a_comment_that_waits_for_the_presenter(page, talk):
    page.goto(talk.get_absolute_url())
    page.get_by_label("Name").fill("Ann")
    page.get_by_label("Email").fill("ann@example.org")
    page.get_by_role("textbox", name=re.compile(r"^Comment")).fill("Nice *talk*")
    expect(page.get_by_label("Notify me of new comments")).to_be_checked()
    page.get_by_role("button", name="Submit").click()

    expect(page.get_by_text("It will be published after the presenter reviews it.")).to_be_visible()
    assert page.url.endswith(f"/talk/{talk.pk}/#comments")
    stored = Comment.objects.get()
    assert (stored.author_name, stored.approved, stored.notify) == ("Ann", False, True)


def test_the_speaker_moderates_on_the_talk_page_without_a_reload(page, john, talk, waiting):
    keep, drop = waiting
    log_in(page, john, PASSWORD)
    page.goto(talk.get_absolute_url())
    page.evaluate("window.stillTheSamePage = true")
    badge = page.locator('[data-pending-count="mine"]')
    expect(badge).to_have_text("2")

    comment(page, keep.pk).get_by_role("button", name="Approve the comment by Ann").click()
    expect(comment(page, keep.pk).get_by_text("Waiting for approval")).to_have_count(0)
    expect(badge).to_have_text("1")
    comment(page, drop.pk).get_by_role("button", name="Delete").click()
    expect(comment(page, drop.pk)).to_have_count(0)
    expect(badge).to_have_text("0")

    expect(comment(page, keep.pk).get_by_role("button")).to_have_count(0)
    assert page.evaluate("window.stillTheSamePage") is True
    assert Comment.objects.get(pk=keep.pk).approved is True
    assert Comment.objects.filter(pk=drop.pk).exists() is False


def test_the_speaker_moderates_from_the_moderation_page(page, john, talk, waiting):
    keep, drop = waiting
    log_in(page, john, PASSWORD)
    page.get_by_role("link", name=re.compile(r"^Moderate")).click()
    expect(page.get_by_role("heading", name="Comments waiting for you")).to_be_visible()
    expect(comment(page, keep.pk).get_by_role("link", name=talk.title)).to_be_visible()

    comment(page, keep.pk).get_by_role("button", name="Approve the comment by Ann").click()
    expect(comment(page, keep.pk)).to_have_count(0)
    comment(page, drop.pk).get_by_role("button", name="Delete").click()
    expect(comment(page, drop.pk)).to_have_count(0)

    expect(page.get_by_text("No comments are waiting.")).to_be_visible()
    expect(page.locator('[data-pending-count="mine"]')).to_have_text("0")
    assert Comment.objects.get(pk=keep.pk).approved is True
    assert Comment.objects.filter(pk=drop.pk).exists() is False


def test_an_api_error_is_shown_on_the_comment(page, john, talk, waiting):
    keep, _ = waiting
    log_in(page, john, PASSWORD)
    page.goto(talk.get_absolute_url())
    Comment.objects.filter(pk=keep.pk).update(approved=True)  # approved elsewhere meanwhile

    comment(page, keep.pk).get_by_role("button", name="Delete").click()

    expect(comment(page, keep.pk).get_by_role("alert")).to_have_text(
        "An approved comment cannot be deleted here."
    )
    assert Comment.objects.filter(pk=keep.pk).exists() is True


def test_a_visitor_never_sees_another_visitors_email(page, browser, live_server, john, talk):
    page.goto(talk.get_absolute_url())
    page.get_by_label("Name").fill("Ann")
    page.get_by_label("Email").fill("ann-private@example.org")
    page.get_by_role("textbox", name=re.compile(r"^Comment")).fill("First!")
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_text("after the presenter reviews it")).to_be_visible()
    Comment.objects.get().approve()

    other = browser.new_context(base_url=live_server.url)
    try:
        visitor = other.new_page()
        visitor.goto(talk.get_absolute_url())
        expect(visitor.get_by_text("First!")).to_be_visible()
        assert "ann-private" not in visitor.content()
    finally:
        other.close()

    log_in(page, john, PASSWORD)
    page.goto(talk.get_absolute_url())
    expect(page.get_by_role("link", name="ann-private@example.org")).to_be_visible()
