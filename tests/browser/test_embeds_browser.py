"""Embeds cost nothing until wanted: no request to a provider before the reader clicks."""

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from conftest import make_talk
from talks.embed_providers import FRAME_SOURCES

PROVIDER_HOSTS = {urlsplit(origin).hostname for origin in FRAME_SOURCES} | {
    "www.youtube.com",
    "youtube.com",
    "i.ytimg.com",
    "vimeo.com",
    "i.vimeocdn.com",
}


@pytest.fixture
def talk(john):
    return make_talk(
        john,
        title="Flask by Example",
        video_url="https://youtu.be/DJtef410XaM",
        slides_url="https://noti.st/akrabat/3fdyeY",
    )


@pytest.fixture
def watched(page):
    """The page, and every request it made to a host other than the live server (aborted)."""
    outside = []
    page.on(
        "request", lambda request: outside.append(request.url) if _outside(request.url) else None
    )
    page.route(re.compile(r"^https?://(?!127\.0\.0\.1|localhost)"), lambda route: route.abort())
    return page, outside


def _outside(url):
    return urlsplit(url).hostname not in ("127.0.0.1", "localhost")


def test_no_provider_is_asked_until_the_placeholder_is_clicked(watched, talk):
    page, outside = watched
    page.goto(f"/talk/{talk.pk}/")
    page.wait_for_load_state("networkidle")

    expect(page.locator("a.embed-placeholder")).to_have_count(2)
    assert page.locator("iframe").count() == 0
    assert outside == []

    page.get_by_role("link", name="Play: Video on YouTube Flask by Example").click()

    frame = page.locator("iframe")
    expect(frame).to_have_count(1)
    expect(frame).to_have_attribute("src", "https://www.youtube-nocookie.com/embed/DJtef410XaM")
    expect(frame).to_have_attribute("title", "Video on YouTube: Flask by Example")
    expect(frame).to_have_attribute(
        "sandbox", "allow-scripts allow-same-origin allow-popups allow-presentation"
    )
    page.wait_for_timeout(200)
    assert {urlsplit(url).hostname for url in outside} == {"www.youtube-nocookie.com"}
    expect(page.locator("a.embed-placeholder")).to_have_count(1)  # the slides still wait


def test_without_javascript_the_placeholder_is_a_link_to_the_provider(browser, live_server, talk):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    outside = []
    page.route(
        re.compile(r"^https?://(?!127\.0\.0\.1|localhost)"),
        lambda route: (outside.append(route.request.url), route.abort()),
    )
    try:
        page.goto(f"/talk/{talk.pk}/")
        placeholder = page.locator("a.embed-placeholder").first
        expect(placeholder).to_have_attribute("href", "https://www.youtube.com/watch?v=DJtef410XaM")
        placeholder.click()
        page.wait_for_timeout(300)
        assert page.locator("iframe").count() == 0
        assert any(url.startswith("https://www.youtube.com/watch?v=DJtef410XaM") for url in outside)
    finally:
        context.close()


def test_searching_from_the_navbar(page, talk):
    page.goto("/")
    page.get_by_role("searchbox", name="Search talks").fill("flask exa")
    page.keyboard.press("Enter")

    page.wait_for_url(re.compile(r"/search/\?q=flask\+exa$"))
    result = page.locator("article.talk-summary h2 a")
    expect(result).to_have_text("Flask by Example")
    expect(page.locator("article.talk-summary h2 mark")).to_have_text(["Flask", "Example"])
