import re

from django.core import mail
from django.test import TestCase

from conftest import PASSWORD

NEW_PASSWORD = "a brand new passphrase for john"


def ask_for_a_reset(client, email, **extra):
    """Ask, and run what the request left for after its commit: the outbox's delivery."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post("/auth/password-reset/", {"email": email}, **extra)


def test_the_reset_email_links_to_site_url_and_the_link_sets_a_new_password(client, john, settings):
    settings.SITE_URL = "https://talks.example.com"

    response = ask_for_a_reset(client, "John@Example.com")

    assert response.status_code == 302
    assert response.url == "/auth/password-reset/sent/"
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert (email.to, email.subject) == (["john@example.com"], "[talks] Reset your password")
    links = re.findall(r"https://talks\.example\.com(/auth/reset/\S+/)", email.body)
    assert len(links) == 1
    html, mimetype = email.alternatives[0]
    assert mimetype == "text/html"
    assert f'href="https://talks.example.com{links[0]}"' in html

    form_page = client.get(links[0], follow=True)
    assert form_page.status_code == 200
    assert form_page.context["validlink"] is True
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert done.status_code == 302
    assert done.url == "/auth/reset/done/"
    john.refresh_from_db()
    assert john.check_password(NEW_PASSWORD) is True
    assert john.check_password(PASSWORD) is False
    login = client.post("/auth/login/", {"username": "john@example.com", "password": NEW_PASSWORD})
    assert login.status_code == 302


def test_a_reset_link_works_only_once(client, john):
    ask_for_a_reset(client, "john@example.com")
    link = re.search(r"/auth/reset/\S+/", mail.outbox[0].body)[0]
    page = client.get(link, follow=True)
    client.post(
        page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )

    again = client.get(link, follow=True)

    assert again.status_code == 200
    assert again.context["validlink"] is False
    assert "This link has expired" in again.content.decode()


def test_an_unknown_address_gets_the_same_answer_and_no_email(client, john):
    response = ask_for_a_reset(client, "nobody@example.com")

    assert response.status_code == 302
    assert response.url == "/auth/password-reset/sent/"
    assert mail.outbox == []


def test_a_tampered_reset_link_is_refused_with_a_message(client, john):
    response = client.get("/auth/reset/MQ/not-a-token/", follow=True)

    assert response.status_code == 200
    assert response.context["validlink"] is False


def test_the_new_password_must_be_confirmed(client, john):
    ask_for_a_reset(client, "john@example.com")
    link = re.search(r"/auth/reset/\S+/", mail.outbox[0].body)[0]
    page = client.get(link, follow=True)

    response = client.post(
        page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD + "x"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "new_password2": ["The two password fields didn\u2019t match."]
    }
    john.refresh_from_db()
    assert john.check_password(PASSWORD) is True


def test_the_request_only_queues_the_link_and_answers_alike_for_any_address(client, john):
    from talks.models import OutboxEmail

    known = client.post("/auth/password-reset/", {"email": "John@Example.com"})
    unknown = client.post("/auth/password-reset/", {"email": "nobody@example.com"})

    assert (known.status_code, known.url) == (unknown.status_code, unknown.url)
    assert mail.outbox == []  # sent by the worker, after the request
    [row] = OutboxEmail.objects.all()
    assert (row.kind, row.address, row.user, row.talk) == ("password_reset", john.email, john, None)


def test_an_address_gets_three_links_an_hour_whatever_its_spelling(client, john):
    spellings = ["john@example.com", "JOHN@example.com", "John@Example.Com", "john@EXAMPLE.com"]

    statuses = [ask_for_a_reset(client, email).status_code for email in spellings]

    assert statuses == [302, 302, 302, 429]
    assert len(mail.outbox) == 3


def test_an_unknown_address_is_throttled_the_same_as_a_known_one(client, john):
    statuses = [ask_for_a_reset(client, "nobody@example.com").status_code for _ in range(4)]

    assert statuses == [302, 302, 302, 429]


def test_one_client_may_ask_ten_times_an_hour_for_any_addresses(client, john):
    statuses = [ask_for_a_reset(client, f"person{n}@example.com").status_code for n in range(10)]
    over = ask_for_a_reset(client, "john@example.com")

    assert statuses == [302] * 10
    assert over.status_code == 429
    assert "Too many password reset requests" in over.content.decode()
    assert mail.outbox == []
    other_client = ask_for_a_reset(client, "john@example.com", REMOTE_ADDR="192.0.2.9")
    assert other_client.status_code == 302
    assert len(mail.outbox) == 1
