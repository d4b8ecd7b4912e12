from django.conf import settings
from django.contrib.auth import SESSION_KEY

from conftest import PASSWORD

LOGIN_URL = "/auth/login/"
LOGOUT_URL = "/auth/logout/"


def log_in(client, email, password=PASSWORD, **extra):
    return client.post(LOGIN_URL, {"username": email, "password": password, **extra})


def test_the_login_page_asks_for_email_password_and_keep_me_logged_in(client, db):
    response = client.get(LOGIN_URL)

    assert response.status_code == 200
    assert list(response.context["form"].fields) == ["username", "password", "remember_me"]
    content = response.content.decode()
    assert 'type="email" name="username"' in content
    assert "Keep me logged in" in content


def test_a_speaker_logs_in_with_email_and_password(client, john):
    response = log_in(client, "john@example.com")

    assert response.status_code == 302
    assert response.url == "/"
    assert client.session[SESSION_KEY] == str(john.pk)


def test_the_email_matches_in_any_case(client, john):
    response = log_in(client, "  JOHN@Example.COM ")

    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(john.pk)


def test_a_wrong_password_is_refused_with_a_message(client, john):
    response = log_in(client, "john@example.com", PASSWORD.upper())

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Please enter a correct email and password. The password is case-sensitive."
    ]
    assert SESSION_KEY not in client.session


def test_a_username_is_not_an_email_and_does_not_log_in(client, john):
    response = log_in(client, "john")

    assert response.status_code == 200
    assert response.context["form"].errors["username"] == ["Enter a valid email address."]
    assert SESSION_KEY not in client.session


def test_an_inactive_account_cannot_log_in(client, john):
    john.is_active = False
    john.save()

    response = log_in(client, "john@example.com")

    assert response.status_code == 200
    assert SESSION_KEY not in client.session


def test_login_goes_back_to_the_page_that_asked_for_it(client, john):
    response = log_in(client, "john@example.com", next="/profile/edit/")

    assert response.status_code == 302
    assert response.url == "/profile/edit/"


def test_login_never_sends_the_user_to_another_site(client, john):
    response = log_in(client, "john@example.com", next="https://evil.example/")

    assert response.status_code == 302
    assert response.url == "/"


def test_without_keep_me_logged_in_the_session_ends_with_the_browser(client, john):
    response = log_in(client, "john@example.com")

    assert client.session.get_expire_at_browser_close() is True
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert (cookie["max-age"], cookie["expires"]) == ("", "")


def test_keep_me_logged_in_makes_the_session_outlive_the_browser(client, john):
    response = log_in(client, "john@example.com", remember_me="on")

    assert client.session.get_expire_at_browser_close() is False
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["max-age"] == settings.SESSION_COOKIE_AGE == 1209600


def test_keep_me_logged_in_holds_after_a_browser_session_on_the_same_browser(client, john):
    log_in(client, "john@example.com")
    client.post(LOGOUT_URL)

    log_in(client, "john@example.com", remember_me="on")

    assert client.session[SESSION_KEY] == str(john.pk)
    assert client.session.get_expire_at_browser_close() is False


def test_a_logged_in_user_posting_the_login_form_stays_who_they_are(john_client, john, david):
    response = log_in(john_client, "david@example.com")

    assert response.status_code == 302
    assert response.url == "/"
    assert john_client.session[SESSION_KEY] == str(john.pk)


def test_a_logged_in_user_stays_logged_in_on_the_next_requests(client, john):
    log_in(client, "john@example.com")

    first = client.get("/profile/edit/")
    second = client.get("/")

    assert first.status_code == 200
    assert first.context["user"] == john
    assert second.context["user"] == john
    assert 'href="/profile/edit/">Edit profile</a>' in second.content.decode()


def test_a_logged_in_user_asking_for_the_login_page_goes_home(john_client):
    response = john_client.get(LOGIN_URL)

    assert response.status_code == 302
    assert response.url == "/"


def test_logout_by_post_ends_the_session(client, john):
    log_in(client, "john@example.com")

    response = client.post(LOGOUT_URL)

    assert response.status_code == 302
    assert response.url == "/"
    assert SESSION_KEY not in client.session
    assert client.get("/profile/edit/").status_code == 302


def test_logout_by_get_is_not_allowed(john_client, john):
    response = john_client.get(LOGOUT_URL)

    assert response.status_code == 405
    assert john_client.session[SESSION_KEY] == str(john.pk)


def test_logout_needs_the_csrf_token(john, client):
    csrf_client = client.__class__(enforce_csrf_checks=True)
    csrf_client.force_login(john)

    response = csrf_client.post(LOGOUT_URL)

    assert response.status_code == 403
    assert csrf_client.session[SESSION_KEY] == str(john.pk)


def test_changing_the_case_of_the_address_gives_no_extra_guesses(client, john, settings):
    settings.AXES_FAILURE_LIMIT = 3
    assert log_in(client, "john@example.com", "wrong").status_code == 200
    assert log_in(client, "JOHN@example.com", "wrong").status_code == 200
    assert log_in(client, "John@Example.com", "wrong").status_code == 429

    response = log_in(client, "jOhN@example.com")

    assert response.status_code == 429
    assert "Too many failed logins" in response.content.decode()
    assert SESSION_KEY not in client.session


def test_a_logged_in_user_sent_back_to_the_login_page_goes_home(john_client):
    response = john_client.get(LOGIN_URL, {"next": LOGIN_URL})

    assert response.status_code == 302
    assert response.url == "/"
