import datetime
import re

from playwright.sync_api import expect

from conftest import PASSWORD
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
    expect(page.locator("iframe")).to_have_attribute(
        "src", "https://www.youtube-nocookie.com/embed/DJtef410XaM"
    )
