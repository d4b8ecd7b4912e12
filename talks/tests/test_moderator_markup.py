"""What a moderator's pages show of each comment, element by element.

The speaker's talk page and /moderate/ show each comment with its author's email, its badge and
its Approve and Delete forms: these tests read every comment back out of the HTML, compare it with
what the comment's data says must be shown, and press the buttons as a browser would, with the
page's own CSRF token.
"""

import datetime
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import make_comment, make_talk, make_user
from talks.models import Comment

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class Element:
    def __init__(self, tag, attrs, parent=None):
        # A bare attribute (`hidden`) has the value None: "" here, as in the DOM.
        self.tag, self.parent, self.children = tag, parent, []
        self.attrs = {name: value or "" for name, value in attrs}

    def iter(self):
        yield self
        for child in self.children:
            if isinstance(child, Element):
                yield from child.iter()

    def find_all(self, tag=None, **attrs):
        return [
            element
            for element in self.iter()
            if (tag is None or element.tag == tag)
            and all(element.attrs.get(name.replace("_", "-")) == v for name, v in attrs.items())
        ]

    def find(self, tag=None, **attrs):
        found = self.find_all(tag, **attrs)
        return found[0] if found else None

    @property
    def text(self):
        return "".join(child if isinstance(child, str) else child.text for child in self.children)

    def has(self, attribute):
        return attribute in self.attrs


class TreeBuilder(HTMLParser):
    """The page as a tree of Elements (the standard library parses; this only nests)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = self.current = Element("document", {})

    def handle_starttag(self, tag, attrs):
        element = Element(tag, attrs, self.current)
        self.current.children.append(element)
        if tag not in VOID:
            self.current = element

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Element(tag, attrs, self.current))

    def handle_endtag(self, tag):
        element = self.current
        while element is not self.root and element.tag != tag:
            element = element.parent
        if element is not self.root:
            self.current = element.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse(response):
    builder = TreeBuilder()
    builder.feed(response.content.decode())
    return builder.root


def squeeze(text):
    return " ".join(text.split())


def shown_comment(article):
    """Everything the page shows of one comment, as plain values."""
    header = article.find("header")
    number = header.find("a", **{"class": "comment-number"})
    name = header.find("span", **{"class": "fw-semibold text-body"})
    name_link = name.find("a")
    email = header.find("a", **{"class": "comment-email"})
    time = header.find("time")
    talk_link = next(
        (span.find("a") for span in header.find_all("span") if span.text.startswith("on ")), None
    )
    badge = header.find("span", data_pending_label="")
    forms = [shown_form(form) for form in article.find_all("form")]
    error = article.find("p", data_moderation_error="")
    reply = article.find("a", **{"class": "btn btn-sm btn-link px-0"})
    return {
        "id": article.attrs["id"],
        "label": article.attrs["aria-label"],
        "number": (number.attrs["href"], number.text) if number else None,
        "name": squeeze(name.text),
        "profile": name_link.attrs["href"] if name_link else None,
        "email": (email.attrs["href"], email.text) if email else None,
        "time": (time.attrs["datetime"], time.attrs["data-style"]),
        "talk": (talk_link.attrs["href"], talk_link.text) if talk_link else None,
        "badge": squeeze(badge.text) if badge else None,
        "body": squeeze(article.find("div", **{"class": "comment-body"}).text),
        "forms": forms,
        "error": error is not None and error.has("hidden") and error.attrs.get("role") == "alert",
        "reply": (reply.attrs["href"], squeeze(reply.text)) if reply else None,
    }


def shown_form(form):
    """A form as it posts: its fields, and each button with where it sends them (formaction)
    and the API call the page's script makes instead."""
    hidden = posted_fields(form)
    return {
        "method": form.attrs.get("method"),
        "action": form.attrs.get("action"),
        "fields": sorted(hidden),
        "next": hidden.get("next"),
        "buttons": [
            {
                "label": squeeze(button.text),
                "class": button.attrs.get("class"),
                "posts_to": button.attrs.get("formaction"),
                "moderate": button.attrs.get("data-moderate"),
                "speaker_action": button.attrs.get("data-speaker-action"),
                "api_url": button.attrs.get("data-api-url"),
                "twin": button.attrs.get("data-twin"),
            }
            for button in form.find_all("button")
        ],
    }


def form_of(button):
    element = button.parent
    while element.tag != "form":
        element = element.parent
    return element


def posted_fields(form):
    """What a form sends: its hidden inputs (the CSRF token and `next`)."""
    return {i.attrs["name"]: i.attrs["value"] for i in form.find_all("input", type="hidden")}


def csrf_tokens(article):
    return [i.attrs["value"] for i in article.find_all("input", name="csrfmiddlewaretoken")]


def expected_form(buttons, next_url):
    # No action of its own: each button names where it posts.
    return {
        "method": "post",
        "action": None,
        "fields": ["csrfmiddlewaretoken", "next"],
        "next": next_url,
        "buttons": buttons,
    }


def button(label, css_class, posts_to, moderate=None, api_url=None):
    return {
        "label": label,
        "class": css_class,
        "posts_to": posts_to,
        "moderate": moderate,
        "speaker_action": None,
        "api_url": api_url,
        "twin": None,
    }


# A speaker's action: the view it posts to, its opposite's, its API view and its label.
SPEAKER_ACTIONS = {
    "pin": ("pin", "unpin", "pin", "Pin"),
    "unpin": ("unpin", "pin", "pin", "Unpin"),
    "answer": ("answered", "unanswered", "answered", "Mark answered"),
    "unanswer": ("unanswered", "answered", "answered", "Not answered"),
}


def speaker_button(comment, name, action):
    path, twin, api, label = SPEAKER_ACTIONS[action]
    return {
        "label": f"{label} the comment by {name}",
        "class": "btn btn-sm btn-outline-secondary",
        "posts_to": reverse(f"talks:comment_{path}", args=[comment.pk]),
        "moderate": None,
        "speaker_action": action,
        "api_url": reverse(f"api:comment_{api}", args=[comment.pk]),
        "twin": reverse(f"talks:comment_{twin}", args=[comment.pk]),
    }


def expected_comment(comment, *, number=None, show_talk=False, next_url):
    """What a moderator must see of `comment`: the same whichever page shows it."""
    name = comment.author.display_name if comment.author_id else comment.author_name
    forms = []
    if not comment.approved:
        approve = reverse("talks:comment_approve", args=[comment.pk])
        api = reverse("api:comment", args=[comment.pk])
        buttons = [
            button(f"Approve the comment by {name}", "btn btn-sm btn-success", approve, "PUT", api),
            button(
                f"Delete the comment by {name}",
                "btn btn-sm btn-outline-danger",
                reverse("talks:comment_delete", args=[comment.pk]),
                "DELETE",
                api,
            ),
        ]
        if not comment.author_id:
            # Approve and trust: a plain post, between the two the page's script drives.
            trust = reverse("talks:comment_trust", args=[comment.pk])
            label = f"Approve and trust {comment.author_email}"
            buttons.insert(1, button(label, "btn btn-sm btn-outline-success", trust))
        forms.append(expected_form(buttons, next_url))
    if comment.approved and not show_talk:
        # Pin or Unpin, Mark answered or Not answered: whichever applies, naming its opposite.
        buttons = [
            speaker_button(comment, name, "unpin" if comment.pinned else "pin"),
            speaker_button(comment, name, "unanswer" if comment.answered else "answer"),
        ]
        forms.append(expected_form(buttons, next_url))
    here_query = next_url.partition("?")[2]
    reply = None
    if comment.approved and not show_talk:
        query = f"{here_query}&" if here_query else ""
        reply = (f"?{query}reply={comment.pk}#comment-form", f"Reply to {name}")
    created = comment.created_at.astimezone(datetime.timezone.utc)
    return {
        "id": f"comment-{comment.pk}",
        "label": f"Comment #{number} by {name}" if number else f"Comment by {name}",
        "number": (f"#comment-{comment.pk}", f"#{number}") if number else None,
        "name": name,
        "profile": comment.author.get_absolute_url() if comment.author_id else None,
        "email": None
        if comment.author_id
        else (f"mailto:{comment.author_email}", comment.author_email),
        "time": (created.isoformat(timespec="seconds"), "relative"),
        "talk": (comment.talk.get_absolute_url(), comment.talk.title) if show_talk else None,
        "badge": None if comment.approved else "Waiting for approval",
        "body": squeeze(comment.body),
        "forms": forms,
        "error": not comment.approved,
        "reply": reply,
    }


def articles(page):
    return page.find_all("article", data_comment="")


def badges(page):
    return {
        badge.attrs["data-pending-count"]: badge.text
        for badge in page.find_all("span")
        if badge.has("data-pending-count")
    }


@pytest.fixture
def discussion(talk, john, david):
    """john's talk: visitors' and users' comments, published and waiting, with names that need
    escaping; a waiting comment on david's talk that john's pages must not show."""
    start = timezone.now() - datetime.timedelta(hours=1)
    comments = []
    rows = [
        ({"author_name": "Ada <b>", "author_email": "ada@example.org"}, True),
        ({"author": david}, True),
        ({"author_name": 'Pat "Q" O\'Neil', "author_email": "pat+q@example.org"}, False),
        ({"author": make_user("erin", name="Erin & Co")}, False),
        ({"author_name": "Sam", "author_email": "sam@example.org"}, True),
        ({"author_name": "Lee", "author_email": "lee@example.org"}, False),
    ]
    for n, (who, approved) in enumerate(rows):
        comment = make_comment(talk, approved=approved, body=f"Point {n} & more", **who)
        Comment.objects.filter(pk=comment.pk).update(
            created_at=start + datetime.timedelta(minutes=n)
        )
        comments.append(Comment.objects.select_related("talk", "author").get(pk=comment.pk))
    make_comment(make_talk(david, title="David's talk"), approved=False)
    return comments


def moderator(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def test_the_speakers_talk_page_shows_every_comment_with_its_email_badge_and_buttons(
    talk, john, discussion
):
    page = parse(moderator(john).get(talk.get_absolute_url()))

    shown = [shown_comment(article) for article in articles(page)]
    assert shown == [
        expected_comment(comment, number=n, next_url=talk.get_absolute_url())
        for n, comment in enumerate(discussion, start=1)
    ]
    assert badges(page) == {"mine": "3"}


def test_the_speakers_later_talk_page_sends_the_buttons_back_to_it(
    talk, john, discussion, settings
):
    settings.COMMENTS_PER_PAGE = 4
    here = f"{talk.get_absolute_url()}?page=2"
    page = parse(moderator(john).get(here))

    shown = [shown_comment(article) for article in articles(page)]
    assert shown == [
        expected_comment(comment, number=n, next_url=here)
        for n, comment in enumerate(discussion[4:], start=5)
    ]


def test_moderate_shows_the_waiting_comments_with_their_talks_and_buttons(talk, john, discussion):
    page = parse(moderator(john).get("/moderate/?page=1"))

    shown = [shown_comment(article) for article in articles(page)]
    waiting = [comment for comment in discussion if not comment.approved]
    assert shown == [
        expected_comment(comment, show_talk=True, next_url="/moderate/?page=1")
        for comment in waiting
    ]
    assert badges(page) == {"mine": "3"}


def test_the_admin_queue_shows_both_badges_and_every_waiting_comment(susan, discussion):
    page = parse(moderator(susan).get("/moderate/admin/"))

    assert len(articles(page)) == 4
    assert badges(page) == {"mine": "0", "all": "4"}


def test_a_visitor_sees_no_email_badge_or_button(client, talk, discussion):
    page = parse(client.get(talk.get_absolute_url()))

    shown = [shown_comment(article) for article in articles(page)]
    published = [comment for comment in discussion if comment.approved]
    assert [(c["id"], c["email"], c["badge"], c["forms"]) for c in shown] == [
        (f"comment-{comment.pk}", None, None, []) for comment in published
    ]


@pytest.mark.parametrize("path", ["talk", "/moderate/"])
def test_each_button_posts_with_the_pages_csrf_token_and_acts(talk, john, discussion, path):
    browser = moderator(john)
    url = talk.get_absolute_url() if path == "talk" else path
    browser.get(url)
    # The second request, whose comments come from the cache with this request's token.
    page = parse(browser.get(url))
    waiting = [a for a in articles(page) if a.find("button", data_moderate="PUT")]
    tokens = {token for article in articles(page) for token in csrf_tokens(article)}
    # One token for the whole page: every form carries the same one, and it is the session's.
    assert len(tokens) == 1

    approve = waiting[0].find("button", data_moderate="PUT")
    delete = waiting[1].find("button", data_moderate="DELETE")
    for button in (approve, delete):
        response = browser.post(button.attrs["formaction"], posted_fields(form_of(button)))
        assert response.status_code == 302
        assert response["Location"] == url

    first, second = (Comment.objects.filter(pk=int(a.attrs["id"][8:])) for a in waiting[:2])
    assert first.get().approved is True
    assert not second.exists()
    if path == "talk":
        # The speaker's own buttons post the same way: Pin, in the first published comment.
        pin = page.find("button", data_speaker_action="pin")
        assert browser.post(pin.attrs["formaction"], posted_fields(form_of(pin)))["Location"] == url
        assert Comment.objects.get(pk=int(pin.attrs["formaction"].split("/")[2])).pinned


def test_a_button_without_the_pages_token_is_refused(talk, john, discussion):
    browser = moderator(john)
    page = parse(browser.get(talk.get_absolute_url()))
    approve = next(
        a.find("button", data_moderate="PUT")
        for a in articles(page)
        if a.find("button", data_moderate="PUT")
    )

    response = browser.post(approve.attrs["formaction"], {"next": talk.get_absolute_url()})

    assert response.status_code == 403
    assert Comment.objects.filter(pk=int(approve.attrs["formaction"].split("/")[2]), approved=False)
