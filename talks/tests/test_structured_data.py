import datetime
import json
import re

import pytest

from conftest import make_talk
from talks import structured_data

SITE = "https://talks.example.com"
# The avatar drawn here: no Gravatar hash of john's login email is published.
JOHN_AVATAR = f"{SITE}/user/john/avatar.svg"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def full_talk(john):
    return make_talk(
        john,
        title="Flask by Example",
        description="Learn   Flask\nby building an app.",
        venue="PyCon",
        venue_url="https://us.pycon.org/2014/",
        video_url="https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        date=datetime.date(2014, 4, 11),
    )


def json_ld_blocks(content):
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', content, re.S)
    return [json.loads(block) for block in blocks]


def open_graph(content):
    return re.findall(r'<meta property="([^"]+)" content="([^"]*)">', content)


# The builders


def test_a_speaker_is_a_schema_org_person(john):
    john.location = "Portland, OR"
    john.bio = "Writes Flask."

    assert structured_data.person(john) == {
        "@context": "https://schema.org",
        "@type": "Person",
        "name": "John Doe",
        "alternateName": "john",
        "url": f"{SITE}/user/john/",
        "image": JOHN_AVATAR,
        "homeLocation": {"@type": "Place", "name": "Portland, OR"},
        "description": "Writes Flask.",
    }


def test_a_person_leaves_out_what_the_speaker_did_not_fill_in(david):
    assert sorted(structured_data.person(david)) == [
        "@context",
        "@type",
        "alternateName",
        "image",
        "name",
        "url",
    ]


def test_a_talk_is_a_schema_org_event_with_venue_speaker_and_recording(full_talk):
    assert structured_data.event(full_talk) == {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": "Flask by Example",
        "url": f"{SITE}/talk/{full_talk.pk}/",
        "startDate": "2014-04-11",
        "location": {"@type": "Place", "name": "PyCon", "url": "https://us.pycon.org/2014/"},
        "performer": {"@type": "Person", "name": "John Doe", "url": f"{SITE}/user/john/"},
        "description": "Learn   Flask\nby building an app.",
        "recordedIn": {
            "@type": "VideoObject",
            "name": "Flask by Example",
            "url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            "embedUrl": "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
        },
    }


def test_a_bare_talk_is_an_event_without_description_venue_url_or_recording(talk):
    talk.description = ""

    data = structured_data.event(talk)

    assert data["location"] == {"@type": "Place", "name": "PyCon"}
    assert "description" not in data
    assert "recordedIn" not in data


def test_a_talk_page_has_article_open_graph_tags(full_talk):
    assert structured_data.talk_open_graph(full_talk) == [
        ("og:type", "article"),
        ("og:site_name", "Talks"),
        ("og:title", "Flask by Example"),
        ("og:url", f"{SITE}/talk/{full_talk.pk}/"),
        ("og:image", JOHN_AVATAR),
        ("og:description", "Learn Flask by building an app."),
    ]


def test_a_profile_has_profile_open_graph_tags(john):
    john.bio = "b" * 300

    assert structured_data.profile_open_graph(john) == [
        ("og:type", "profile"),
        ("og:site_name", "Talks"),
        ("og:title", "John Doe"),
        ("og:url", f"{SITE}/user/john/"),
        ("og:image", JOHN_AVATAR),
        ("profile:username", "john"),
        ("og:description", "b" * 199 + "…"),
    ]


def test_json_ld_cannot_end_its_script_element_or_open_a_comment():
    html = structured_data.json_ld_script({"name": "</script><script>alert(1)</script><!-- & é"})

    assert html == (
        '<script type="application/ld+json">'
        '{"name": "\\u003C/script\\u003E\\u003Cscript\\u003Ealert(1)\\u003C/script\\u003E'
        '\\u003C!-- \\u0026 \\u00e9"}</script>'
    )
    assert json_ld_blocks(html) == [{"name": "</script><script>alert(1)</script><!-- & é"}]


# On the pages


def test_the_profile_page_carries_person_json_ld_and_open_graph(client, john):
    content = client.get("/user/john/").content.decode()

    assert json_ld_blocks(content) == [structured_data.person(john)]
    assert open_graph(content) == [
        (prop, value.replace("&", "&amp;"))
        for prop, value in structured_data.profile_open_graph(john)
    ]
    assert "john@example.com" not in content


def test_the_talk_page_carries_event_json_ld_and_open_graph(client, full_talk):
    content = client.get(f"/talk/{full_talk.pk}/").content.decode()

    head = content.split("</head>")[0]
    assert json_ld_blocks(head) == [structured_data.event(full_talk)]
    assert open_graph(head) == [
        (prop, value.replace("&", "&amp;"))
        for prop, value in structured_data.talk_open_graph(full_talk)
    ]


def test_a_hostile_title_stays_data_on_the_talk_page(client, john):
    talk = make_talk(john, title='</script><script>alert(1)</script>"><b>')

    content = client.get(f"/talk/{talk.pk}/").content.decode()

    assert "<script>alert(1)" not in content
    assert json_ld_blocks(content)[0]["name"] == '</script><script>alert(1)</script>"><b>'
    escaped = "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;b&gt;"
    assert ("og:title", escaped) in open_graph(content)
