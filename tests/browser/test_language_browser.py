import datetime

from playwright.sync_api import expect

from conftest import make_comment, make_talk


def test_a_reader_switches_to_german_from_the_footer_and_the_talk_page_follows(
    browser, live_server, john
):
    talk = make_talk(john, title="Flask by Example", date=datetime.date(2014, 4, 11))
    make_comment(talk, body="Nice talk")
    context = browser.new_context(base_url=live_server.url, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        page.goto(f"/talk/{talk.pk}/")
        expect(page.locator("html")).to_have_attribute("lang", "en")
        expect(page.get_by_role("heading", name="Comments", exact=True)).to_be_visible()
        expect(page.locator('time[datetime="2014-04-11"]').first).to_have_text("April 11, 2014")

        footer = page.locator("footer")
        footer.get_by_label("Language").select_option("de")
        footer.get_by_role("button", name="Switch").click()

        # Back on the same talk page, in German: the text, and the dates the browser writes.
        page.wait_for_url(f"**/talk/{talk.pk}/")
        expect(page.locator("html")).to_have_attribute("lang", "de")
        expect(page.get_by_role("heading", name="Kommentare", exact=True)).to_be_visible()
        expect(page.get_by_role("button", name="Absenden")).to_be_visible()
        expect(page.locator('time[datetime="2014-04-11"]').first).to_have_text("11. April 2014")
        expect(footer.get_by_label("Sprache")).to_have_value("de")

        # The choice stays with the browser, over its own English.
        page.goto("/")
        expect(page.locator("html")).to_have_attribute("lang", "de")
        expect(page.get_by_role("link", name="Atom-Feed")).to_be_visible()
    finally:
        context.close()


def test_dates_follow_the_pages_language_in_the_readers_own_variant_of_it(
    browser, live_server, john
):
    make_talk(john, date=datetime.date(2014, 4, 11))
    # A German page for a browser set to British English; an English one in its British spelling.
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    try:
        page.goto("/")
        expect(page.locator('time[datetime="2014-04-11"]')).to_have_text("11 April 2014")
        context.add_cookies([{"name": "django_language", "value": "de", "url": live_server.url}])
        page.goto("/")
        expect(page.locator("html")).to_have_attribute("lang", "de")
        expect(page.locator('time[datetime="2014-04-11"]')).to_have_text("11. April 2014")
    finally:
        context.close()
