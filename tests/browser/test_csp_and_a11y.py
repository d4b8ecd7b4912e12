"""Every kind of page under the site's Content-Security-Policy, in Chromium: no violation, no
script error; and an axe-core accessibility scan of the main pages: no serious or critical issue.

The CSP test runs with the policy enforced as in production. Only the axe test bypasses it,
because Playwright injects axe's file as an inline script, which the policy rightly blocks.
"""

import os
import re
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD, make_comment, make_talk
from talks.notifications.unsubscribe import make_token

from .conftest import log_in

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"

# Collects the violations the browser reports to the page, before any of its own scripts run.
WATCH_CSP = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline"} ` +
    `at ${event.sourceFile}:${event.lineNumber} ${event.sample}`
  );
});
"""


@pytest.fixture
def site(john, susan, david):
    """A talk with both embeds, approved and waiting comments, and a second speaker's talk."""
    talk = make_talk(
        john,
        title="Flask by Example",
        description="Learn Flask\nstep by step",
        video_url="https://youtu.be/DJtef410XaM",
        slides_url="https://speakerdeck.com/player/31ab60bc1dd6446b8aa0f5d8e8e5e8e5",
        venue_url="https://us.pycon.org/2014/",
    )
    make_comment(talk, author_name="Ann", author_email="ann@example.org", body="Great *talk*")
    make_comment(talk, author=susan, body="Thanks, [slides](https://example.com)")
    make_comment(talk, approved=False, author_name="Bob", body="Waiting for review")
    make_talk(david, title="Another talk")
    return talk


class Watcher:
    """What the browser said while showing pages: CSP violations, console CSP notes, JS errors."""

    def __init__(self, page):
        self.page = page
        self.problems = []
        page.add_init_script(WATCH_CSP)
        page.on("console", self.console)
        page.on("pageerror", lambda error: self.problems.append(f"script error: {error}"))
        # Other sites (video, slides, avatars) are not reached from tests; the policy is checked
        # before any request leaves, so their frames and images still meet it.
        page.route(re.compile(r"^https?://(?!127\.0\.0\.1|localhost)"), lambda route: route.abort())

    def console(self, message):
        text = message.text
        if "Content Security Policy" in text or "Content-Security-Policy" in text:
            self.problems.append(f"console: {text}")

    def visit(self, path):
        response = self.page.goto(path)
        self.page.wait_for_load_state("load")
        self.collect(path)
        return response

    def collect(self, where):
        violations = self.page.evaluate("window.__cspViolations || []")
        self.problems.extend(f"{where}: {violation}" for violation in violations)


def test_no_page_breaks_the_content_security_policy(page, site, john, susan):
    watcher = Watcher(page)
    unsubscribe = "/unsubscribe/" + quote(make_token("ann@example.org", site.pk)) + "/"

    visitor_pages = [
        "/",
        site.get_absolute_url(),
        "/user/john/",
        "/auth/login/",
        "/auth/password-reset/",
        unsubscribe,
        "/no-such-page/",
        "/user/%00/",  # the 400 page
    ]
    for path in visitor_pages:
        watcher.visit(path)

    watcher.visit(unsubscribe)
    page.get_by_role("button", name="Unsubscribe").click()
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Stop these emails?")
    watcher.collect("unsubscribed")

    # The lockout page, after too many wrong passwords.
    for _ in range(5):
        watcher.visit("/auth/login/")
        page.get_by_label("Email").fill("david@example.com")
        page.get_by_label("Password").fill("wrong password")
        page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Too many failed logins")).to_be_visible()
    watcher.collect("lockout")

    # The preview script fetches the rendering as the visitor types.
    watcher.visit(site.get_absolute_url())
    page.get_by_role("textbox", name=re.compile(r"^Comment")).fill("Hello **world**")
    expect(page.locator("#comment-preview strong")).to_have_text("world")
    watcher.collect("preview")

    log_in(page, john, PASSWORD)
    speaker_pages = [
        "/",
        site.get_absolute_url(),
        "/moderate/",
        "/profile/edit/",
        "/talk/new/",
        f"/talk/{site.pk}/edit/",
    ]
    for path in speaker_pages:
        watcher.visit(path)

    # The moderation script approves in place through the JSON API.
    watcher.visit("/moderate/")
    page.get_by_role("button", name=re.compile("^Approve")).first.click()
    expect(page.get_by_text("No comments are waiting.")).to_be_visible()
    page.get_by_role("button", name="john").click()  # the account menu (Bootstrap's dropdown)
    expect(page.get_by_role("link", name="Edit profile")).to_be_visible()
    watcher.collect("moderation")

    page.context.clear_cookies()
    log_in(page, susan, PASSWORD)
    for path in ("/moderate/admin/", "/admin/", "/admin/talks/comment/", "/admin/talks/talk/"):
        watcher.visit(path)

    assert watcher.problems == []


@pytest.fixture
def axe_page(browser, live_server):
    """A page whose CSP Chromium ignores, so that axe-core can be injected as a script."""
    if not AXE.exists():
        message = f"{AXE} is missing: run `npm ci` at the repository root"
        if os.environ.get("TALKS_REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    context = browser.new_context(base_url=live_server.url, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.route(re.compile(r"^https?://(?!127\.0\.0\.1|localhost)"), lambda route: route.abort())
    yield page
    context.close()


def serious_accessibility_problems(page):
    page.add_script_tag(path=str(AXE))
    # Frames show other sites (video, slides): axe checks that each has a title, not inside.
    results = page.evaluate(
        """async () => {
          const results = await axe.run(document, {
            iframes: false,
            runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa",
                                            "wcag22aa", "best-practice"]},
          });
          return results.violations;
        }"""
    )
    return [
        f"{violation['impact']}: {violation['id']} ({violation['help']}) at "
        + ", ".join(str(node["target"]) for node in violation["nodes"])
        for violation in results
        if violation["impact"] in ("serious", "critical")
    ]


def test_the_main_pages_have_no_serious_accessibility_problem(axe_page, site, john):
    page = axe_page
    problems = {}
    pages = ["/", site.get_absolute_url(), "/user/john/", "/auth/login/", "/auth/password-reset/"]
    for path in pages:
        page.goto(path)
        problems[path] = serious_accessibility_problems(page)

    # A form sent back with errors: messages must be tied to their fields.
    page.goto(site.get_absolute_url())
    page.get_by_role("button", name="Submit").click()
    problems["talk page with form errors"] = serious_accessibility_problems(page)

    log_in(page, john, PASSWORD)
    for path in ("/moderate/", site.get_absolute_url(), "/profile/edit/", "/talk/new/"):
        page.goto(path)
        problems[f"{path} (speaker)"] = serious_accessibility_problems(page)

    assert problems == {key: [] for key in problems}


def test_search_slide_share_and_a_clicked_player_keep_the_policy(page, site, john):
    watcher = Watcher(page)
    for path in ("/search/?q=flask", "/search/?q=%22", f"/talk/{site.pk}/slide/"):
        watcher.visit(path)

    # The player built on click must be a frame the policy allows (frame-src).
    watcher.visit(site.get_absolute_url())
    page.get_by_role("link", name=re.compile(r"^Play: Video on YouTube")).click()
    expect(page.locator("iframe")).to_have_count(1)
    watcher.collect("player")

    log_in(page, john, PASSWORD)
    watcher.visit(site.get_absolute_url())  # with the Share box

    assert watcher.problems == []


def test_search_slide_and_share_box_have_no_serious_accessibility_problem(axe_page, site, john):
    page = axe_page
    problems = {}
    for path in ("/search/?q=flask", "/search/?q=", f"/talk/{site.pk}/slide/"):
        page.goto(path)
        problems[path] = serious_accessibility_problems(page)
    log_in(page, john, PASSWORD)
    page.goto(site.get_absolute_url())
    problems["talk page with the Share box"] = serious_accessibility_problems(page)

    assert problems == {key: [] for key in problems}
