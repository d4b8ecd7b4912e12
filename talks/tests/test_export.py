"""export_speaker and import_speaker: what leaves the site, and what a second site makes of it."""

import datetime
import io
import json
import re
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from conftest import make_comment, make_talk, make_user
from talks.models import Comment, Talk

pytestmark = pytest.mark.django_db


@pytest.fixture
def exported(tmp_path, john, susan):
    """john's two talks, with published comments by a visitor and a user, and a waiting one."""
    first = make_talk(
        john,
        title="Flask by Example",
        description="Learn Flask",
        venue_url="https://us.pycon.org/2014/",
        video_url="https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        date=datetime.date(2014, 4, 11),
    )
    second = make_talk(john, title="Second <talk>", date=datetime.date(2015, 5, 5))
    make_comment(
        first, author_name="Ann", author_email="ann.secret@example.org", body="Great *talk*"
    )
    make_comment(first, author=susan, body="Thanks from Susan")
    make_comment(
        first,
        approved=False,
        author_name="Waiting Wendy",
        author_email="wendy.secret@example.org",
        body="Still waiting for review",
    )
    make_comment(second, author_name="Bob", author_email="bob.secret@example.org", body="Hi")
    make_talk(make_user("other"), title="Not john's")
    out = io.StringIO()
    call_command("export_speaker", "john", str(tmp_path), stdout=out, stderr=io.StringIO())
    assert out.getvalue() == f"Exported 2 talks of john to {tmp_path}.\n"
    return tmp_path


def all_text(directory):
    return "\n".join(path.read_text() for path in sorted(Path(directory).rglob("*")))


def test_the_export_holds_no_address_and_no_waiting_comment(exported):
    text = all_text(exported)

    assert "@example.org" not in text and "@example.com" not in text
    assert "secret" not in text
    assert "Waiting Wendy" not in text and "Still waiting" not in text
    assert "Not john" not in text


def test_the_json_holds_profile_talks_links_and_published_comments(exported, john):
    document = json.loads((exported / "talks.json").read_text())

    assert document["format"] == "talks-export" and document["version"] == 1
    assert document["speaker"] == {
        "username": "john",
        "name": "John Doe",
        "location": "",
        "bio": "",
    }
    assert [talk["title"] for talk in document["talks"]] == ["Second <talk>", "Flask by Example"]
    flask = document["talks"][1]
    assert flask["video_url"] == "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    assert flask["date"] == "2014-04-11"
    assert [(c["name"], c["body"]) for c in flask["comments"]] == [
        ("Ann", "Great *talk*"),
        ("Susan", "Thanks from Susan"),
    ]


def test_the_static_site_links_relatively_to_files_that_exist(exported):
    pages = sorted(path.name for path in exported.glob("*.html"))
    assert len(pages) == 3 and "index.html" in pages
    assert (exported / "style.css").exists()
    for page in exported.glob("*.html"):
        html = page.read_text()
        assert "<script" not in html
        for link in re.findall(r'(?:href|src)="([^"]+)"', html):
            if link.startswith("https://"):
                continue  # the venue and the providers, outside links by design
            assert not link.startswith("/") and "://" not in link, (page.name, link)
            assert (exported / link).is_file(), (page.name, link)


def test_the_talk_page_shows_the_comments_sanitised_and_the_title_escaped(exported):
    html = (exported / "index.html").read_text()
    assert "Second &lt;talk&gt;" in html
    talk = Talk.objects.get(title="Flask by Example")
    page = (exported / f"talk-{talk.pk}.html").read_text()
    assert "Great <em>talk</em>" in page
    assert 'href="https://www.youtube.com/watch?v=dQw4w9WgXcQ"' in page


def test_a_large_export_reports_its_progress(tmp_path, john):
    Talk.objects.bulk_create(
        Talk(author=john, title=f"T{n}", venue="V", date=datetime.date(2020, 1, 1))
        for n in range(250)
    )
    progress = io.StringIO()

    call_command("export_speaker", "john", str(tmp_path), stdout=io.StringIO(), stderr=progress)

    assert progress.getvalue() == (
        "100/250 talks written\n200/250 talks written\n250/250 talks written\n"
    )


def test_exporting_nobody_is_an_error(tmp_path, db):
    with pytest.raises(CommandError, match="No speaker is called 'nobody'"):
        call_command("export_speaker", "nobody", str(tmp_path))


def empty_the_site():
    Comment.objects.all().delete()
    Talk.objects.all().delete()


def test_an_import_into_an_empty_site_reproduces_talks_and_published_comments(exported, john):
    before = {
        talk.title: (talk.description, talk.venue, talk.date, talk.video_url, talk.venue_url)
        for talk in Talk.objects.by(john)
    }
    empty_the_site()
    mary = make_user("mary")
    out = io.StringIO()

    call_command("import_speaker", str(exported / "talks.json"), "--as", "mary", stdout=out)

    assert out.getvalue() == "Added 2 talks and 3 comments to mary.\n"
    after = {
        talk.title: (talk.description, talk.venue, talk.date, talk.video_url, talk.venue_url)
        for talk in Talk.objects.by(mary)
    }
    assert after == before
    flask = Talk.objects.get(title="Flask by Example")
    comments = list(Comment.objects.thread(flask, mary))
    assert [(c.display_name, c.body, c.approved) for c in comments] == [
        ("Ann", "Great *talk*", True),
        ("Susan", "Thanks from Susan", True),
    ]
    assert comments[0].body_html == "<p>Great <em>talk</em></p>"
    assert {c.notify for c in Comment.objects.all()} == {False}
    assert Talk.objects.search("flask").get() == flask


def test_a_second_import_adds_nothing(exported, john):
    empty_the_site()
    path = str(exported / "talks.json")
    call_command("import_speaker", path, stdout=io.StringIO())
    out = io.StringIO()

    call_command("import_speaker", path, stdout=out)

    assert out.getvalue() == "Added 0 talks and 0 comments to john.\n"
    assert (Talk.objects.count(), Comment.objects.count()) == (2, 3)


def test_an_import_sends_no_email(exported, john, mailoutbox):
    empty_the_site()
    call_command("import_speaker", str(exported / "talks.json"), stdout=io.StringIO())

    from talks.models import OutboxEmail

    assert OutboxEmail.objects.count() == 0 and mailoutbox == []


def test_importing_for_nobody_says_what_to_do(exported):
    with pytest.raises(CommandError, match="No speaker here is called 'ghost'"):
        call_command("import_speaker", str(exported / "talks.json"), "--as", "ghost")


@pytest.mark.parametrize(
    "content", ["not json", "[]", '{"format": "other"}', '{"format": "talks-export", "version": 9}']
)
def test_a_file_that_is_no_export_is_refused_with_a_message(tmp_path, john, content):
    path = tmp_path / "talks.json"
    path.write_text(content)

    with pytest.raises(CommandError):
        call_command("import_speaker", str(path), "--as", "john")


def test_a_malformed_talk_is_refused_and_nothing_is_added(tmp_path, john):
    path = tmp_path / "talks.json"
    document = {
        "format": "talks-export",
        "version": 1,
        "speaker": {"username": "john"},
        "talks": [
            {
                "title": "Fine",
                "venue": "V",
                "date": "2020-01-01",
                "created_at": "2020-01-01T00:00:00+00:00",
            },
            {"title": "Broken", "venue": "V", "date": "not a date"},
        ],
    }
    path.write_text(json.dumps(document))

    with pytest.raises(CommandError, match="not as an export writes them"):
        call_command("import_speaker", str(path))
    assert Talk.objects.count() == 0
