import pytest

from accounts.models import User
from conftest import PASSWORD

PAGES = [
    "/admin/accounts/user/",
    "/admin/accounts/user/?q=john",
    "/admin/accounts/user/?is_staff__exact=1",
    "/admin/talks/talk/",
    "/admin/talks/talk/?q=flask",
    "/admin/talks/talk/?date__year=2014",
]


@pytest.mark.parametrize("path", PAGES)
def test_an_admin_opens_the_user_and_talk_admin_lists(susan_client, talk, path):
    assert susan_client.get(path).status_code == 200


@pytest.mark.parametrize("path", PAGES)
def test_a_speaker_is_sent_to_the_admin_login(john_client, talk, path):
    response = john_client.get(path)

    assert response.status_code == 302
    assert response.url.startswith("/admin/login/?next=/admin/")


def test_the_user_list_shows_profile_columns_and_finds_by_email(susan_client, john, david):
    response = susan_client.get("/admin/accounts/user/?q=john@example")

    assert list(response.context["cl"].result_list) == [john]
    assert response.context["cl"].list_display == [
        "action_checkbox",
        "username",
        "email",
        "name",
        "location",
        "is_staff",
        "is_active",
        "date_joined",
    ]


def test_the_talk_list_finds_by_author_and_shows_sensible_columns(susan_client, talk):
    response = susan_client.get("/admin/talks/talk/?q=john")

    assert list(response.context["cl"].result_list) == [talk]
    assert response.context["cl"].list_display == [
        "action_checkbox",
        "title",
        "author",
        "venue",
        "date",
        "created_at",
    ]


def test_an_admin_opens_a_user_and_a_talk(susan_client, john, talk):
    assert susan_client.get(f"/admin/accounts/user/{john.pk}/change/").status_code == 200
    assert susan_client.get(f"/admin/talks/talk/{talk.pk}/change/").status_code == 200


def test_an_admin_adds_a_user_from_the_admin(susan_client, db):
    response = susan_client.post(
        "/admin/accounts/user/add/",
        {
            "email": "ann@example.com",
            "username": "ann",
            "usable_password": "true",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )

    assert response.status_code == 302
    ann = User.objects.get(username="ann")
    assert (ann.email, ann.check_password(PASSWORD)) == ("ann@example.com", True)


def test_the_admin_refuses_an_email_taken_in_another_case_with_a_message(susan_client, john):
    response = susan_client.post(
        "/admin/accounts/user/add/",
        {
            "email": "JOHN@example.com",
            "username": "johnny",
            "usable_password": "true",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors() == [
        "A user with that email address already exists."
    ]
    assert User.objects.filter(username="johnny").exists() is False
