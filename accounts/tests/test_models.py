import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from accounts.models import User
from conftest import PASSWORD, make_user

# sha256sum of "john@example.com", worked out outside Python.
JOHN_SHA256 = "855f96e983f1f8e8be944692b6f719fd54329826cb62e98015efee8e2e071dd4"


def test_setting_a_password_stores_a_hash_not_the_password(john):
    john.refresh_from_db()

    assert john.password != PASSWORD
    assert PASSWORD not in john.password
    assert john.has_usable_password() is True


def test_the_right_password_verifies_and_a_wrong_one_does_not(john):
    assert john.check_password(PASSWORD) is True
    assert john.check_password(PASSWORD + "!") is False
    assert john.check_password("") is False


def test_two_users_with_the_same_password_get_different_hashes(john, david):
    assert john.password != david.password
    assert john.check_password(PASSWORD) is True
    assert david.check_password(PASSWORD) is True


def chooses_gravatar(user, address):
    user.avatar, user.gravatar_email = user.Avatar.GRAVATAR, address
    return user


def test_the_gravatar_is_the_sha256_of_the_address_with_size_rating_and_default(john):
    chooses_gravatar(john, "john@example.com")

    assert john.avatar_url(size=256, rating="pg", default="retro") == (
        f"https://www.gravatar.com/avatar/{JOHN_SHA256}?s=256&r=pg&d=retro"
    )


def test_the_gravatar_hash_ignores_case_and_surrounding_spaces(john):
    chooses_gravatar(john, "  John@Example.COM ")

    assert john.avatar_url() == (
        f"https://www.gravatar.com/avatar/{JOHN_SHA256}?s=256&r=pg&d=identicon"
    )


def test_the_gravatar_is_always_https_and_never_the_old_md5(john):
    url = chooses_gravatar(john, "john@example.com").avatar_url()

    assert url.startswith("https://www.gravatar.com/avatar/")
    assert "d4c74594d841139328695756648b6bd6" not in url


def test_a_user_shows_their_name_or_else_their_username(db):
    named = make_user("ada", name="Ada Lovelace")
    unnamed = make_user("grace")

    assert (named.display_name, named.get_full_name(), str(named)) == (
        "Ada Lovelace",
        "Ada Lovelace",
        "ada",
    )
    assert (unnamed.display_name, unnamed.get_full_name(), str(unnamed)) == (
        "grace",
        "grace",
        "grace",
    )


def test_a_profile_lives_at_user_slash_username(john):
    assert john.get_absolute_url() == "/user/john/"


def test_the_location_links_to_a_map_search(john):
    john.location = "Lyon & Paris"

    assert john.map_url == "https://www.openstreetmap.org/search?query=Lyon+%26+Paris"


def test_a_user_is_found_by_email_in_any_case(john):
    assert User.objects.get_by_natural_key("JOHN@example.COM") == john


def test_the_database_refuses_an_email_that_differs_only_in_case(john):
    with pytest.raises(IntegrityError):
        make_user("johnny", email="John@Example.com")


def test_model_validation_names_the_taken_email_address(john):
    other = User(username="johnny", email="JOHN@example.com")
    other.set_password(PASSWORD)

    with pytest.raises(ValidationError) as error:
        other.full_clean()

    assert error.value.messages == ["A user with that email address already exists."]


def test_a_username_and_an_email_are_both_required(db):
    with pytest.raises(ValidationError) as error:
        User(username="", email="", password="x").full_clean()

    assert sorted(error.value.message_dict) == ["email", "username"]
