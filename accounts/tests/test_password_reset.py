import re

from django.core import mail

from conftest import PASSWORD

NEW_PASSWORD = "a brand new passphrase for john"


def ask_for_a_reset(client, email):
    return client.post("/auth/password-reset/", {"email": email})


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
