"""Which language a page is written in: Accept-Language, overridden by the footer's switcher."""

import re

import pytest
from django.conf import settings
from django.test import Client

from conftest import make_comment

pytestmark = pytest.mark.django_db


def html_lang(response):
    return re.search(r'<html lang="([^"]+)">', response.content.decode())[1]


def csrf_token(response):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode())[1]


def test_a_reader_without_a_preference_gets_english(client, talk):
    response = client.get("/")

    assert html_lang(response) == "en"
    assert "Atom feed" in response.content.decode()


def test_accept_language_de_gives_german_pages(client, talk):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9,en;q=0.5")

    assert html_lang(response) == "de"
    content = response.content.decode()
    assert "Atom-Feed" in content
    assert ">Sprache</label>" in content
    assert "Atom feed" not in content


def test_a_language_the_site_lacks_falls_back_to_english(client, talk):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9")

    assert html_lang(response) == "en"


def test_the_footer_switcher_is_a_post_form_with_the_csrf_token_and_both_languages(client, talk):
    content = client.get(talk.get_absolute_url()).content.decode()

    form = re.search(r'<form class="language-switcher[^>]*>.*?</form>', content, re.S)[0]
    assert 'method="post" action="/i18n/setlang/"' in form
    assert 'name="csrfmiddlewaretoken"' in form
    assert f'<input type="hidden" name="next" value="{talk.get_absolute_url()}">' in form
    options = re.findall(r'<option value="(\w+)" lang="\w+"( selected)?>(\w+)</option>', form)
    assert options == [("en", " selected", "English"), ("de", "", "Deutsch")]
    assert '<button class="btn btn-sm btn-outline-secondary" type="submit">Switch</button>' in form


def test_the_switcher_overrides_accept_language_and_persists_in_a_cookie(talk):
    browser = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    page = browser.get(talk.get_absolute_url())

    response = browser.post(
        "/i18n/setlang/",
        {
            "language": "de",
            "next": talk.get_absolute_url(),
            "csrfmiddlewaretoken": csrf_token(page),
        },
    )

    assert response.status_code == 302
    assert response["Location"] == talk.get_absolute_url()
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "de"
    assert cookie["httponly"] is True
    # The browser still asks for English; every later page is German all the same.
    for address in (talk.get_absolute_url(), "/", f"/user/{talk.author.username}/"):
        assert html_lang(browser.get(address)) == "de"

    back = browser.post(
        "/i18n/setlang/",
        {"language": "en", "next": "/", "csrfmiddlewaretoken": csrf_token(browser.get("/"))},
    )
    assert back.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert html_lang(Client(HTTP_ACCEPT_LANGUAGE="de").get("/")) == "de"
    assert html_lang(browser.get("/", HTTP_ACCEPT_LANGUAGE="de")) == "en"


def test_the_switcher_refuses_a_post_without_the_csrf_token(talk):
    browser = Client(enforce_csrf_checks=True)

    response = browser.post("/i18n/setlang/", {"language": "de", "next": "/"})

    assert response.status_code == 403
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


def test_the_switcher_ignores_a_language_the_site_lacks_and_a_get(client, talk):
    refused = client.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    looked_at = client.get("/i18n/setlang/?language=de&next=/")

    assert refused.status_code == 302
    assert html_lang(client.get("/")) == "en"
    assert settings.LANGUAGE_COOKIE_NAME not in looked_at.cookies
    assert html_lang(Client().get("/")) == "en"


def test_the_switcher_never_sends_the_reader_to_another_site(client, talk):
    response = client.post("/i18n/setlang/", {"language": "de", "next": "https://evil.example/"})

    assert response.status_code == 302
    assert response["Location"] == "/"


def test_a_visitor_comment_stores_the_language_of_the_page_it_was_posted_from(client, talk):
    form = {"author_name": "Grete", "author_email": "grete@example.de", "body": "Danke!"}
    client.post(f"/talk/{talk.pk}/comments/", form, HTTP_ACCEPT_LANGUAGE="de")
    client.post(
        f"/talk/{talk.pk}/comments/", {**form, "author_name": "Ann"}, HTTP_ACCEPT_LANGUAGE="en"
    )

    languages = dict(talk.comments.values_list("author_name", "language"))
    assert languages == {"Grete": "de", "Ann": "en"}


def test_a_comment_made_outside_a_request_is_in_the_site_language(talk):
    assert make_comment(talk).language == settings.LANGUAGE_CODE == "en"
