import datetime
import re
import zoneinfo

from django.contrib.messages import get_messages
from django.test import RequestFactory
from django.views import defaults
from pytest_django.asserts import assertContains, assertInHTML

from conftest import make_talk
from talks.models import Talk
from talks.templatetags.talks_tags import time_tag

NEW_TALK = {
    "title": "Django at scale",
    "description": "Big tables, small pages.",
    "slides_url": "",
    "video_url": "https://youtu.be/dQw4w9WgXcQ",
    "venue": "DjangoCon",
    "venue_url": "https://djangocon.eu/",
    "date": "2015-06-01",
}


def main(response):
    """The page's own content, without the navbar and footer."""
    return response.content.decode().split('<main id="main"')[1].split("</main>")[0]


# The timeline


def test_the_timeline_lists_talks_newest_first_with_author_venue_and_date(client, john, david):
    old = make_talk(john, title="Old talk", date=datetime.date(2012, 3, 1))
    new = make_talk(david, title="New talk", venue="EuroPython", date=datetime.date(2016, 7, 20))
    same_day = make_talk(john, title="Same day, added later", date=datetime.date(2016, 7, 20))

    response = client.get("/")

    assert response.status_code == 200
    assert list(response.context["talks"]) == [same_day, new, old]
    content = main(response)
    assertInHTML(f'<a href="/talk/{new.pk}/">New talk</a>', content)
    assertInHTML('<a href="/user/david/">David</a>', content)
    assert "EuroPython &middot; <time" in content
    assertInHTML('<time datetime="2016-07-20" data-style="date">20 July 2016</time>', content)


def test_an_empty_timeline_says_there_are_no_talks(client, db):
    response = client.get("/")

    assert response.status_code == 200
    assert "No talks yet." in main(response)
    assert 'aria-label="Pages"' not in main(response)


# The navbar


def test_a_visitor_sees_home_and_presenter_login(client, db):
    content = client.get("/").content.decode()

    assertInHTML('<a class="nav-link" href="/">Home</a>', content)
    assertInHTML('<a class="nav-link" href="/auth/login/">Presenter Login</a>', content)
    assert "New Talk" not in content
    assert "Logout" not in content


def test_a_speaker_sees_profile_new_talk_and_a_user_menu_with_logout(john_client):
    content = john_client.get("/").content.decode()

    assertInHTML('<a class="nav-link" href="/user/john/">Profile</a>', content)
    assertInHTML('<a class="nav-link" href="/talk/new/">New Talk</a>', content)
    assert '<form method="post" action="/auth/logout/">' in content
    assertInHTML('<button class="dropdown-item" type="submit">Logout</button>', content)
    assert "Presenter Login" not in content
    assert 'href="/admin/"' not in content


def test_an_admin_also_sees_the_admin_link(susan_client):
    assertContains(
        susan_client.get("/"), '<a class="dropdown-item" href="/admin/">Admin</a>', html=True
    )


def test_pages_load_bootstrap_and_our_own_js_deferred(client, db):
    content = client.get("/").content.decode()

    assertInHTML('<link rel="stylesheet" href="/static/bootstrap/css/bootstrap.min.css">', content)
    assertInHTML(
        '<script src="/static/bootstrap/js/bootstrap.bundle.min.js" defer></script>', content
    )
    assertInHTML('<script src="/static/js/localtime.js" defer></script>', content)


def test_whitenoise_serves_bootstrap(client, settings, db):
    # Production serves collected files; here WhiteNoise finds them through the finders.
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True

    response = client.get("/static/bootstrap/css/bootstrap.min.css")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/css")
    assert b"Bootstrap  v5.3.3" in b"".join(response.streaming_content)


# The talk page


def test_the_talk_page_shows_its_header(client, john):
    talk = make_talk(
        john,
        title="Flask by Example",
        description="Learn Flask.\nBuild an app.",
        venue="PyCon",
        venue_url="https://us.pycon.org/2014/",
        date=datetime.date(2014, 4, 11),
    )

    response = client.get(f"/talk/{talk.pk}/")

    assert response.status_code == 200
    content = main(response)
    assertInHTML(f'<h1><a href="/talk/{talk.pk}/">Flask by Example</a></h1>', content)
    assertInHTML('<p class="lead talk-description">Learn Flask.<br>Build an app.</p>', content)
    assertInHTML('<a href="/user/john/">John Doe</a>', content)
    assertInHTML('<a href="https://us.pycon.org/2014/" rel="nofollow noopener">PyCon</a>', content)
    assertInHTML('<time datetime="2014-04-11" data-style="date">11 April 2014</time>', content)


def test_a_venue_without_a_url_is_plain_text(client, talk):
    content = main(client.get(f"/talk/{talk.pk}/"))

    assert "at PyCon," in content
    assert "nofollow" not in content


def test_the_talk_page_embeds_video_and_slides_that_we_build(client, john):
    talk = make_talk(
        john,
        video_url="https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        slides_url="https://noti.st/akrabat/3fdyeY",
    )

    content = main(client.get(f"/talk/{talk.pk}/"))

    # Placeholders, not frames: the player is built on click (static/js/embeds.js).
    assert "<iframe" not in content
    assert content.count('class="embed-placeholder"') == 2
    assert 'data-embed-src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"' in content
    assert 'data-embed-src="https://noti.st/akrabat/3fdyeY/embed"' in content
    assert content.index("youtube-nocookie") < content.index("noti.st/akrabat/3fdyeY/embed")
    assert '<a href="https://www.youtube.com/watch?v=dQw4w9WgXcQ" rel="noopener">' in content
    assert 'class="embed-placeholder" href="https://www.youtube.com/watch?v=dQw4w9WgXcQ"' in content


def test_a_stored_link_that_is_no_longer_recognised_embeds_nothing(client, john):
    talk = make_talk(john, video_url='"><script>alert(1)</script>')

    content = main(client.get(f"/talk/{talk.pk}/"))

    assert "<iframe" not in content and "embed-placeholder" not in content
    assert "<script>alert(1)" not in content


def test_an_unknown_talk_is_a_404(client, db):
    assert client.get("/talk/999/").status_code == 404


def test_the_edit_button_shows_for_the_author_and_admins_only(client, talk, john, susan, david):
    button = f'href="/talk/{talk.pk}/edit/">Edit talk</a>'
    assert button not in main(client.get(f"/talk/{talk.pk}/"))
    for user, shown in ((david, False), (john, True), (susan, True)):
        client.force_login(user)
        assert (button in main(client.get(f"/talk/{talk.pk}/"))) is shown, user


# New talk


def test_adding_a_talk_needs_a_login(client, db):
    for response in (client.get("/talk/new/"), client.post("/talk/new/", NEW_TALK)):
        assert response.status_code == 302
        assert response.url == "/auth/login/?next=/talk/new/"
    assert Talk.objects.exists() is False


def test_a_speaker_adds_a_talk(john_client, john):
    assert john_client.get("/talk/new/").status_code == 200

    response = john_client.post("/talk/new/", NEW_TALK)

    talk = Talk.objects.get()
    assert response.status_code == 302
    assert response.url == f"/talk/{talk.pk}/"
    assert (talk.author, talk.title, talk.video_url, talk.venue_url, talk.date) == (
        john,
        "Django at scale",
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "https://djangocon.eu/",
        datetime.date(2015, 6, 1),
    )
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["The talk was added."]


def test_the_author_field_cannot_be_posted(john_client, john, david):
    john_client.post("/talk/new/", {**NEW_TALK, "author": david.pk})

    assert Talk.objects.get().author == john


# Edit talk


def test_editing_a_talk_needs_a_login(client, talk):
    response = client.get(f"/talk/{talk.pk}/edit/")

    assert response.status_code == 302
    assert response.url == f"/auth/login/?next=/talk/{talk.pk}/edit/"


def test_the_author_edits_their_talk(john_client, talk):
    assert john_client.get(f"/talk/{talk.pk}/edit/").context["form"].instance == talk

    response = john_client.post(f"/talk/{talk.pk}/edit/", {**NEW_TALK, "title": "Renamed"})

    assert response.status_code == 302
    assert response.url == f"/talk/{talk.pk}/"
    talk.refresh_from_db()
    assert talk.title == "Renamed"
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["The talk was updated."]


def test_an_admin_edits_any_talk_and_the_author_stays(susan_client, talk, john):
    response = susan_client.post(f"/talk/{talk.pk}/edit/", {**NEW_TALK, "title": "By susan"})

    assert response.status_code == 302
    talk.refresh_from_db()
    assert (talk.title, talk.author) == ("By susan", john)


def test_another_speaker_gets_403_and_changes_nothing(david_client, talk):
    get = david_client.get(f"/talk/{talk.pk}/edit/")
    post = david_client.post(f"/talk/{talk.pk}/edit/", {**NEW_TALK, "title": "Hijacked"})

    assert (get.status_code, post.status_code) == (403, 403)
    assert "Only the talk&#x27;s author or an admin may do this." in main(get)
    talk.refresh_from_db()
    assert talk.title == "Flask by Example"


def test_editing_an_unknown_talk_is_a_404(john_client, db):
    assert john_client.get("/talk/999/edit/").status_code == 404
    assert john_client.post("/talk/999/edit/", NEW_TALK).status_code == 404


def test_a_non_numeric_talk_id_is_a_404(john_client, db):
    assert john_client.get("/talk/abc/edit/").status_code == 404
    assert john_client.get("/talk/-1/").status_code == 404


# Error pages


def test_the_404_page_is_styled_and_links_home(client, db):
    response = client.get("/no/such/page/")

    assert response.status_code == 404
    content = response.content.decode()
    assertInHTML("<title>Not found · Talks</title>", content)
    assert "bootstrap.min.css" in content
    assertInHTML('<a href="/">Back to the talks</a>', content)


def test_the_403_page_is_styled(david_client, talk):
    content = david_client.get(f"/talk/{talk.pk}/edit/").content.decode()

    assertInHTML("<title>Not allowed · Talks</title>", content)
    assertInHTML("<h1>You are not allowed to do that</h1>", content)


def test_the_500_page_renders_without_a_request_context(db):
    request = RequestFactory().get("/")

    response = defaults.server_error(request)

    assert response.status_code == 500
    content = response.content.decode()
    assertInHTML("<title>Something went wrong · Talks</title>", content)
    assert "bootstrap.min.css" in content
    assert "Presenter Login" in content


# Dates


def test_a_date_becomes_a_time_element_with_a_readable_fallback():
    assert time_tag(datetime.date(2014, 4, 1)) == (
        '<time datetime="2014-04-01" data-style="date">1 April 2014</time>'
    )


def test_a_moment_is_shown_in_utc_whatever_its_time_zone():
    paris = zoneinfo.ZoneInfo("Europe/Paris")
    moment = datetime.datetime(2014, 4, 11, 1, 30, tzinfo=paris)

    assert time_tag(moment, "relative") == (
        '<time datetime="2014-04-10T23:30:00+00:00" data-style="relative">'
        "10 April 2014, 23:30 UTC</time>"
    )


def test_the_flash_message_shows_on_the_next_page_as_a_status(john_client):
    response = john_client.post("/talk/new/", NEW_TALK, follow=True)

    assert response.status_code == 200
    assert re.search(
        r'<div class="alert alert-success" role="status">\s*The talk was added.\s*</div>',
        main(response),
    )
    assert "The talk was added." not in john_client.get("/").content.decode()
