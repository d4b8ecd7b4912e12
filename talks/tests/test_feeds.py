import datetime
import xml.etree.ElementTree as ET
from xml.dom import minidom

import pytest
from django.utils import timezone

from conftest import make_comment, make_talk
from talks.models import Talk

ATOM = "{http://www.w3.org/2005/Atom}"
SITE = "https://talks.example.com"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE


def read_feed(client, path, **headers):
    response = client.get(path, **headers)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    return ET.fromstring(response.content)  # noqa: S314 - our own feed, made in this test


def entries(feed):
    return [
        {
            "title": entry.findtext(f"{ATOM}title"),
            "link": entry.find(f"{ATOM}link").get("href"),
            "id": entry.findtext(f"{ATOM}id"),
            "author": entry.findtext(f"{ATOM}author/{ATOM}name"),
            "summary": entry.findtext(f"{ATOM}summary"),
        }
        for entry in feed.findall(f"{ATOM}entry")
    ]


def feed_links(feed):
    return {link.get("rel"): link.get("href") for link in feed.findall(f"{ATOM}link")}


def test_the_timeline_feed_lists_talks_newest_first_with_site_links(client, john, david):
    old = make_talk(john, title="Old", date=datetime.date(2012, 1, 1), description="")
    new = make_talk(david, title="New", date=datetime.date(2015, 1, 1), description="Hi")

    feed = read_feed(client, "/feeds/talks/")

    assert feed.findtext(f"{ATOM}title") == "Talks"
    assert feed.findtext(f"{ATOM}subtitle") == "The newest talks"
    assert feed_links(feed) == {"alternate": f"{SITE}/", "self": f"{SITE}/feeds/talks/"}
    assert entries(feed) == [
        {
            "title": "New",
            "link": f"{SITE}/talk/{new.pk}/",
            "id": f"{SITE}/talk/{new.pk}/",
            "author": "David",
            "summary": "<p>Hi</p>",
        },
        {
            "title": "Old",
            "link": f"{SITE}/talk/{old.pk}/",
            "id": f"{SITE}/talk/{old.pk}/",
            "author": "John Doe",
            "summary": "",
        },
    ]


def test_feed_links_ignore_the_host_the_request_came_with(client, talk):
    feed = read_feed(client, "/feeds/talks/", HTTP_HOST="localhost")

    assert feed_links(feed)["self"] == f"{SITE}/feeds/talks/"
    assert entries(feed)[0]["link"] == f"{SITE}/talk/{talk.pk}/"
    author = feed.find(f"{ATOM}entry/{ATOM}author/{ATOM}uri").text
    assert author == f"{SITE}/user/john/"


def test_a_plain_text_description_is_escaped_for_feed_readers(client, john):
    make_talk(john, description='<img src=x onerror="alert(1)"> & <b>more</b>\n\nSecond')

    feed = read_feed(client, "/feeds/talks/")

    assert entries(feed)[0]["summary"] == (
        "<p>&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; &lt;b&gt;more&lt;/b&gt;</p>"
        "\n\n<p>Second</p>"
    )


def test_the_timeline_feed_holds_the_newest_50(client, john):
    Talk.objects.bulk_create(
        Talk(
            author=john,
            title=f"Talk {n}",
            venue="PyCon",
            date=datetime.date(2000, 1, 1) + datetime.timedelta(n),
        )
        for n in range(51)
    )

    titles = [entry["title"] for entry in entries(read_feed(client, "/feeds/talks/"))]

    assert titles == [f"Talk {n}" for n in range(50, 0, -1)]


def test_a_speaker_feed_lists_only_their_talks(client, john, david, talk):
    make_talk(david, title="Not johns")

    feed = read_feed(client, "/feeds/user/john/")

    assert feed.findtext(f"{ATOM}title") == "Talks by John Doe"
    assert feed_links(feed) == {
        "alternate": f"{SITE}/user/john/",
        "self": f"{SITE}/feeds/user/john/",
    }
    assert [entry["title"] for entry in entries(feed)] == ["Flask by Example"]


def test_an_unknown_speakers_feed_is_a_404(client, db):
    assert client.get("/feeds/user/nobody/").status_code == 404


def test_a_talks_comment_feed_holds_only_approved_comments_newest_first(client, talk, susan):
    now = timezone.now()
    first = make_comment(talk, body="First **one**", created_at=now - datetime.timedelta(hours=2))
    make_comment(talk, body="Pending", approved=False, created_at=now - datetime.timedelta(hours=1))
    second = make_comment(talk, author=susan, body="Second", created_at=now)
    make_comment(make_talk(susan, title="Other"), body="Elsewhere")

    feed = read_feed(client, f"/feeds/talk/{talk.pk}/comments/")

    assert feed.findtext(f"{ATOM}title") == "Comments on Flask by Example"
    assert feed_links(feed) == {
        "alternate": f"{SITE}/talk/{talk.pk}/",
        "self": f"{SITE}/feeds/talk/{talk.pk}/comments/",
    }
    assert entries(feed) == [
        {
            "title": "Susan on Flask by Example",
            "link": f"{SITE}/comments/{second.pk}/",
            "id": f"{SITE}/comments/{second.pk}/",
            "author": "Susan",
            "summary": "<p>Second</p>",
        },
        {
            "title": "Visitor on Flask by Example",
            "link": f"{SITE}/comments/{first.pk}/",
            "id": f"{SITE}/comments/{first.pk}/",
            "author": "Visitor",
            "summary": "<p>First <strong>one</strong></p>",
        },
    ]


def test_a_comment_feed_never_shows_an_email_address(client, talk):
    make_comment(talk, author_email="secret@example.org")

    response = client.get(f"/feeds/talk/{talk.pk}/comments/")

    assert b"secret@example.org" not in response.content


def test_an_unknown_talks_comment_feed_is_a_404(client, db):
    assert client.get("/feeds/talk/999/comments/").status_code == 404


def test_pages_announce_their_feeds(client, talk):
    timeline = client.get("/").content.decode()
    profile = client.get("/user/john/").content.decode()
    page = client.get(f"/talk/{talk.pk}/").content.decode()

    feed_link = '<link rel="alternate" type="application/atom+xml" title="{}" href="{}">'
    assert feed_link.format("Talks", "/feeds/talks/") in timeline
    assert feed_link.format("Talks by John Doe", "/feeds/user/john/") in profile
    assert (
        feed_link.format("Comments on Flask by Example", f"/feeds/talk/{talk.pk}/comments/") in page
    )


# The sitemap

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def test_the_sitemap_lists_every_talk_and_each_speaker_with_talks_on_site_url(
    client, john, david, susan
):
    first = make_talk(john)
    second = make_talk(david)

    response = client.get("/sitemap.xml", HTTP_HOST="localhost")

    assert response.status_code == 200
    sitemap = ET.fromstring(response.content)  # noqa: S314 - our own sitemap, made in this test
    urls = sitemap.findall(f"{SITEMAP}url")
    assert [url.findtext(f"{SITEMAP}loc") for url in urls] == [
        f"{SITE}/talk/{first.pk}/",
        f"{SITE}/talk/{second.pk}/",
        f"{SITE}/user/john/",
        f"{SITE}/user/david/",
    ]
    assert urls[0].findtext(f"{SITEMAP}lastmod") == first.updated_at.date().isoformat()


def test_control_characters_that_xml_cannot_carry_are_left_out_of_feeds(client, john):
    john.name = "John\x1fDoe"
    john.save()
    talk = make_talk(john, title="Vertical\x0btab", description="Form\x0cfeed")
    make_comment(talk, author_name="Bell\x07")

    timeline = entries(read_feed(client, "/feeds/talks/"))
    speaker = read_feed(client, "/feeds/user/john/")
    comments = entries(read_feed(client, f"/feeds/talk/{talk.pk}/comments/"))

    assert (timeline[0]["title"], timeline[0]["summary"], timeline[0]["author"]) == (
        "Verticaltab",
        "<p>Formfeed</p>",
        "JohnDoe",
    )
    assert speaker.findtext(f"{ATOM}title") == "Talks by JohnDoe"
    assert (comments[0]["title"], comments[0]["author"]) == ("Bell on Verticaltab", "Bell")


def test_a_reply_in_the_comment_feed_says_what_it_answers(client, talk, john):
    question = make_comment(talk, author_name="Ann", body="Why?")
    reply = make_comment(talk, parent=question, author=john, body="Because")

    first = entries(read_feed(client, f"/feeds/talk/{talk.pk}/comments/"))[0]

    assert first["title"] == "John Doe replied to Ann on Flask by Example"
    assert first["summary"] == (
        f'<p>In reply to <a href="{SITE}/comments/{question.pk}/">Ann</a>:</p>{reply.body_html}'
    )


FEEDS = ["/feeds/talks/", "/feeds/user/john/", "/feeds/talk/{talk}/comments/"]
NOT_XML = "\ufffe\uffff\x0b\x1b"


@pytest.mark.parametrize("path", FEEDS)
def test_every_feed_parses_whatever_code_points_xml_forbids_its_fields_held(client, john, path):
    john.name = f"John{NOT_XML}Doe"
    john.save()
    talk = make_talk(john, title=f"Title{NOT_XML}", description=f"About{NOT_XML}", venue="V")
    make_comment(talk, author_name=f"Ann{NOT_XML}", body=f"Nice{NOT_XML} talk")

    response = client.get(path.format(talk=talk.pk))
    tree = ET.fromstring(response.content)  # noqa: S314 - our own feed, made in this test
    minidom.parseString(response.content)  # noqa: S318 - the same, with a second parser

    text = response.content.decode()
    assert not any(character in text for character in NOT_XML)
    [entry] = entries(tree)
    if "comments" in path:
        assert tree.findtext(f"{ATOM}title") == "Comments on Title"
        assert (entry["title"], entry["author"]) == ("Ann on Title", "Ann")
        assert entry["summary"].startswith("<p>Nice")
    else:
        assert (entry["title"], entry["author"], entry["summary"]) == (
            "Title",
            "JohnDoe",
            "<p>About</p>",
        )
