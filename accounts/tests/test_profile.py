import datetime

import pytest
from django.contrib.messages import get_messages
from pytest_django.asserts import assertInHTML

from conftest import make_talk, make_user


@pytest.fixture
def profile_john(john):
    john.location = "Portland, OR"
    john.bio = "Writes Flask.\nTeaches it."
    john.save()
    return john


def test_a_profile_shows_avatar_username_name_location_bio_and_talks(client, profile_john, talk):
    response = client.get("/user/john/")

    assert response.status_code == 200
    assert response.context["profile"] == profile_john
    assert list(response.context["talks"]) == [talk]
    content = response.content.decode()
    assert f'src="{profile_john.avatar_url()}"'.replace("&", "&amp;") in content
    assert 'alt="Avatar of John Doe"' in content
    assertInHTML('<h1 class="h2 mb-0">john</h1>', content)
    assertInHTML('<p class="lead mb-1">John Doe</p>', content)
    assert (
        '<a href="https://www.openstreetmap.org/search?query=Portland%2C+OR" '
        'rel="nofollow noopener">Portland, OR</a>'
    ) in content
    assert "Writes Flask.<br>Teaches it." in content
    assertInHTML(f'<a href="/talk/{talk.pk}/">Flask by Example</a>', content)


def test_a_profile_lists_only_that_speakers_talks_newest_first(client, john, david):
    old = make_talk(john, title="Old", date=datetime.date(2012, 1, 1))
    new = make_talk(john, title="New", date=datetime.date(2015, 1, 1))
    make_talk(david, title="Not johns")

    response = client.get("/user/john/")

    assert list(response.context["talks"]) == [new, old]


def test_a_profile_without_talks_says_so(client, david):
    response = client.get("/user/david/")

    assert response.status_code == 200
    assert "No talks yet." in response.content.decode()


def test_an_unknown_user_is_a_404(client, db):
    response = client.get("/user/nobody/")

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_the_username_in_the_address_is_matched_exactly(client, john):
    assert client.get("/user/JOHN/").status_code == 404


def test_a_username_with_dots_and_at_signs_has_a_profile(client, db):
    make_user("ann.lee@work", email="ann@example.com")

    assert client.get("/user/ann.lee@work/").status_code == 200


def test_only_the_owner_sees_the_edit_profile_button(client, john, david):
    edit_button = 'href="/profile/edit/">Edit profile</a>'
    assert edit_button not in client.get("/user/john/").content.decode().split("<main")[1]

    client.force_login(david)
    assert edit_button not in client.get("/user/john/").content.decode().split("<main")[1]

    client.force_login(john)
    assert edit_button in client.get("/user/john/").content.decode().split("<main")[1]


def test_the_profile_editor_needs_a_login(client, db):
    response = client.get("/profile/edit/")

    assert response.status_code == 302
    assert response.url == "/auth/login/?next=/profile/edit/"


def test_the_profile_editor_shows_the_current_values(john_client, john):
    response = john_client.get("/profile/edit/")

    assert response.status_code == 200
    assert response.context["form"].instance == john
    assert list(response.context["form"].fields) == [
        "name",
        "location",
        "bio",
        "avatar",
        "gravatar_email",
        "language",
    ]
    assert 'value="John Doe"' in response.content.decode()


def test_a_speaker_edits_their_profile(john_client, john):
    response = john_client.post(
        "/profile/edit/", {"name": "John Q. Doe", "location": "Lyon", "bio": "Hello"}
    )

    assert response.status_code == 302
    assert response.url == "/user/john/"
    john.refresh_from_db()
    assert (john.name, john.location, john.bio) == ("John Q. Doe", "Lyon", "Hello")
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Your profile was updated."]


def test_a_speaker_chooses_the_language_of_their_emails(john_client, john):
    form = john_client.get("/profile/edit/").context["form"]
    assert list(form.fields["language"].choices) == [
        ("", "Site default"),
        ("en", "English"),
        ("de", "German"),
    ]

    response = john_client.post(
        "/profile/edit/", {"name": "John Doe", "location": "", "bio": "", "language": "de"}
    )

    assert response.status_code == 302
    john.refresh_from_db()
    assert (john.language, john.email_language) == ("de", "de")


def test_a_language_the_site_lacks_is_refused(john_client, john):
    response = john_client.post("/profile/edit/", {"name": "John Doe", "language": "fr"})

    assert response.status_code == 200
    assert response.context["form"].errors["language"] == [
        "Select a valid choice. fr is not one of the available choices."
    ]
    john.refresh_from_db()
    assert (john.language, john.email_language) == ("", "en")


def test_the_profile_editor_changes_only_the_logged_in_user(john_client, john, david):
    john_client.post("/profile/edit/", {"name": "Changed", "location": "", "bio": ""})

    david.refresh_from_db()
    assert david.name == "David"


def test_name_and_location_are_at_most_64_characters(john_client, john):
    response = john_client.post("/profile/edit/", {"name": "n" * 65, "location": "l" * 65})

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "name": ["Ensure this value has at most 64 characters (it has 65)."],
        "location": ["Ensure this value has at most 64 characters (it has 65)."],
    }
    john.refresh_from_db()
    assert (john.name, john.location) == ("John Doe", "")


def test_64_characters_are_enough_for_a_name_and_a_location(john_client, john):
    response = john_client.post("/profile/edit/", {"name": "n" * 64, "location": "l" * 64})

    assert response.status_code == 302
    john.refresh_from_db()
    assert (john.name, john.location) == ("n" * 64, "l" * 64)


def test_nul_bytes_in_the_profile_are_form_errors(john_client, john):
    response = john_client.post(
        "/profile/edit/", {"name": "a\x00b", "location": "\x00", "bio": "bio\x00"}
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "name": ["Null characters are not allowed."],
        "location": ["Null characters are not allowed."],
        "bio": ["Null characters are not allowed."],
    }


def test_the_profile_editor_cannot_change_email_username_or_staff(john_client, john):
    john_client.post(
        "/profile/edit/",
        {
            "name": "John",
            "email": "evil@example.com",
            "username": "root",
            "is_staff": "on",
            "is_superuser": "on",
        },
    )

    john.refresh_from_db()
    assert (john.email, john.username, john.is_staff, john.is_superuser) == (
        "john@example.com",
        "john",
        False,
        False,
    )
