"""A speaker's avatar tells nothing of their login email unless they choose a Gravatar."""

import hashlib
from xml.etree import ElementTree

from conftest import make_user

SVG = "{http://www.w3.org/2000/svg}"


def sha256(address):
    return hashlib.sha256(address.encode()).hexdigest()


def test_by_default_a_profile_shows_our_own_avatar_and_no_hash_of_the_login_email(client, john):
    page = client.get("/user/john/").content.decode()

    assert 'src="/user/john/avatar.svg"' in page
    assert sha256("john@example.com") not in page
    assert "gravatar.com" not in page


def test_our_avatar_is_an_svg_pattern_from_a_salted_hash_of_the_user(client, john, david):
    response = client.get("/user/john/avatar.svg")
    again = client.get("/user/john/avatar.svg")
    other = client.get("/user/david/avatar.svg")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response["Cache-Control"] == "public, max-age=86400"
    svg = ElementTree.fromstring(response.content)  # noqa: S314 - our own SVG
    assert svg.tag == f"{SVG}svg"
    assert svg.findtext(f"{SVG}title") == "John Doe"
    assert len(svg.findall(f"{SVG}rect")) > 1
    assert again.content == response.content
    assert other.content != response.content
    assert sha256("john@example.com").encode() not in response.content


def test_the_pattern_changes_with_the_secret_key_so_nobody_can_work_it_out(client, john, settings):
    before = client.get("/user/john/avatar.svg").content
    settings.SECRET_KEY = "another-secret-key-" + "x" * 40

    assert client.get("/user/john/avatar.svg").content != before


def test_an_unknown_users_avatar_is_a_404(client, db):
    assert client.get("/user/nobody/avatar.svg").status_code == 404


def test_a_speaker_may_show_the_gravatar_of_a_public_address_instead(john_client, john):
    response = john_client.post(
        "/profile/edit/",
        {"name": "John", "avatar": "gravatar", "gravatar_email": "talks@johndoe.example"},
    )
    page = john_client.get("/user/john/").content.decode()

    assert response.status_code == 302
    assert f"https://www.gravatar.com/avatar/{sha256('talks@johndoe.example')}" in page
    assert sha256("john@example.com") not in page


def test_choosing_a_gravatar_needs_the_public_address(john_client, john):
    response = john_client.post("/profile/edit/", {"name": "John", "avatar": "gravatar"})

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "gravatar_email": ["Give the address whose Gravatar to show."]
    }


def test_the_profile_pages_structured_data_links_the_avatar_absolutely(client, db, settings):
    settings.SITE_URL = "https://talks.example.com"
    make_user("ada", name="Ada")

    page = client.get("/user/ada/").content.decode()

    assert 'content="https://talks.example.com/user/ada/avatar.svg"' in page
