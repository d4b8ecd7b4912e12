import datetime
import re
import zoneinfo

from django.utils import timezone
from playwright.sync_api import expect

from conftest import PASSWORD, make_comment, make_talk
from talks.models import Talk

from .conftest import log_in


def test_speaker_logs_in_and_creates_a_talk(page, john):
    log_in(page, john, PASSWORD)
    page.get_by_role("link", name="New Talk").click()
    page.get_by_label("Title").fill("Browsers are real")
    page.get_by_role("textbox", name=re.compile(r"^Venue\*?$")).fill("PyCon US")
    page.get_by_label("Date").fill("2026-05-14")
    page.get_by_label("Video").fill("https://youtu.be/DJtef410XaM")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("heading", name="Browsers are real")).to_be_visible()
    expect(page.get_by_text("The talk was added.")).to_be_visible()
    talk = Talk.objects.get()
    assert (talk.author, talk.date) == (john, datetime.date(2026, 5, 14))
    expect(page.locator("a.embed-placeholder")).to_have_attribute(
        "data-embed-src", "https://www.youtube-nocookie.com/embed/DJtef410XaM"
    )


def test_dates_are_shown_in_the_readers_language_and_time_zone(browser, live_server, john):
    talk = make_talk(john, date=datetime.date(2014, 4, 11))
    written = timezone.now() - datetime.timedelta(hours=3)
    make_comment(talk, created_at=written)
    context = browser.new_context(
        base_url=live_server.url, locale="de-DE", timezone_id="Pacific/Auckland"
    )
    page = context.new_page()
    try:
        page.goto("/")
        # A talk's day is the same day everywhere, whatever the reader's time zone.
        expect(page.locator('time[datetime="2014-04-11"]')).to_have_text("11. April 2014")

        page.goto(f"/talk/{talk.pk}/")
        moment = page.locator('time[data-style="relative"]')
        expect(moment).to_have_text("vor 3 Stunden")
        local = written.astimezone(zoneinfo.ZoneInfo("Pacific/Auckland"))
        expect(moment).to_have_attribute("title", re.compile(rf"^{local.day}\. .+ {local:%H:%M}$"))
    finally:
        context.close()


def test_a_bad_time_keeps_its_text_and_the_others_are_still_localised(browser, live_server, db):
    context = browser.new_context(
        base_url=live_server.url, locale="en-GB", timezone_id="America/Los_Angeles"
    )
    page = context.new_page()
    try:
        page.goto("/")
        page.evaluate(
            """() => {
              document.querySelector("main").insertAdjacentHTML("beforeend",
                '<time id="bad" datetime="not a date" data-style="date">server text</time>' +
                '<time id="moment" datetime="2014-04-11T03:00:00+00:00" data-style="date">' +
                '11 April 2014, 03:00 UTC</time>');
              window.talksLocalise(document);
            }"""
        )
        expect(page.locator("#bad")).to_have_text("server text")
        # 03:00 UTC is still the evening before in Los Angeles.
        expect(page.locator("#moment")).to_have_text("10 April 2014")
    finally:
        context.close()


def test_a_speaker_logs_out_from_the_user_menu(page, john):
    log_in(page, john, PASSWORD)
    expect(page.get_by_role("link", name="New Talk")).to_be_visible()

    page.get_by_role("button", name="john").click()
    page.get_by_role("button", name="Logout").click()

    expect(page.get_by_role("link", name="Presenter Login")).to_be_visible()
    expect(page.get_by_role("link", name="New Talk")).to_have_count(0)
    page.goto("/profile/edit/")
    expect(page).to_have_url(re.compile(r"/auth/login/\?next=/profile/edit/$"))


def test_pages_arrive_as_brotli_and_render_whatever_their_padding(page, john):
    talk = make_talk(john, title="Compressed, then read")
    make_comment(talk, body="Still *legible* after decoding.")
    for _ in range(10):  # each with its own random padding (talks_site/compression.py)
        response = page.goto(f"/talk/{talk.pk}/")

        assert response.header_value("content-encoding") == "br"
        expect(page.get_by_role("heading", name="Compressed, then read")).to_be_visible()
        expect(page.locator(".comment-body em")).to_have_text("legible")
