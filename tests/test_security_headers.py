"""Production settings, checked on real responses from gunicorn with DEBUG off.

The server runs exactly as deployed: DEBUG=false, collected and compressed static files served
by WhiteNoise, HTTPS terminated by a (pretend) load balancer that sets X-Forwarded-Proto.
"""

import gzip
import re
from html.parser import HTMLParser

import brotli
import pytest

from conftest import PASSWORD
from talks.embed_providers import FRAME_SOURCES

from .live_servers import Server, manage, new_live_database

PRODUCTION_STATIC = {
    "STATICFILES_BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
}
HASHED_NAME = re.compile(r"\.[0-9a-f]{12}\.[a-z0-9]+$")


@pytest.fixture(scope="module")
def site(live_database_template, tmp_path_factory):
    """gunicorn with production settings, collected static files and a talk with a comment."""
    static_root = tmp_path_factory.mktemp("staticfiles")
    manage("collectstatic", "--noinput", STATIC_ROOT=static_root, **PRODUCTION_STATIC)
    database = new_live_database(live_database_template, tmp_path_factory.mktemp("db"))
    talk_id = database.run(
        """
        from conftest import make_comment, make_talk, make_user
        john = make_user("john", name="John Doe")
        talk = make_talk(john, title="Flask by Example", video_url="https://youtu.be/DJtef410XaM")
        make_comment(talk, body="Nice talk")
        print(talk.pk)
        """
    ).strip()
    server = Server(
        log_path=tmp_path_factory.mktemp("logs") / "gunicorn.log",
        DATABASE_URL=database.url,
        STATIC_ROOT=static_root,
        workers=1,
        threads=2,
        **PRODUCTION_STATIC,
    )
    with server:
        server.pages = ["/", f"/talk/{talk_id}/", "/user/john/", "/auth/login/"]
        yield server
    database.close()


def parse_csp(header):
    policy = {}
    for directive in header.split(";"):
        name, *sources = directive.split()
        policy[name] = set(sources)
    return policy


class MarkupAudit(HTMLParser):
    """Collects what a strict CSP would block: inline scripts, styles and event handlers."""

    def __init__(self):
        super().__init__()
        self.inline = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and "src" not in attrs and attrs.get("type") != "application/ld+json":
            self.inline.append(f"<script> without src at line {self.getpos()[0]}")
        if tag == "style":
            self.inline.append(f"<style> at line {self.getpos()[0]}")
        for name in attrs:
            if name == "style" or name.startswith("on"):
                self.inline.append(f"{name}= on <{tag}> at line {self.getpos()[0]}")
        for name in ("href", "src", "action"):
            if (attrs.get(name) or "").strip().lower().startswith("javascript:"):
                self.inline.append(f"javascript: URL on <{tag}> at line {self.getpos()[0]}")


def test_production_settings_pass_check_deploy_without_a_warning():
    output = manage("check", "--deploy", "--fail-level", "WARNING")

    assert output.strip() == "System check identified no issues (0 silenced)."


def test_every_page_sends_the_strict_content_security_policy(site):
    expected = {
        "default-src": {"'self'"},
        "script-src": {"'self'"},
        "style-src": {"'self'"},
        "img-src": {"'self'", "https://www.gravatar.com", "data:"},
        "frame-src": set(FRAME_SOURCES),
        "frame-ancestors": {"'none'"},
        "form-action": {"'self'"},
        "base-uri": {"'none'"},
        "object-src": {"'none'"},
    }
    client = site.client()
    for path in site.pages:
        response = client.get(path)
        assert response.status == 200, path
        assert parse_csp(response.header("Content-Security-Policy")) == expected, path


def test_no_page_needs_unsafe_inline(site):
    client = site.client()
    for path in site.pages:
        audit = MarkupAudit()
        audit.feed(client.get(path).text)
        assert audit.inline == [], path


def test_every_response_carries_hsts_nosniff_referrer_policy_and_frame_denial(site):
    client = site.client()
    for path in [*site.pages, "/no-such-page/", "/health/", "/feeds/talks/"]:
        response = client.get(path)
        headers = {
            name: response.header(name)
            for name in (
                "Strict-Transport-Security",
                "X-Content-Type-Options",
                "Referrer-Policy",
                "X-Frame-Options",
                "Cross-Origin-Opener-Policy",
            )
        }
        assert headers == {
            "Strict-Transport-Security": "max-age=31536000; includeSubDomains; preload",
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "same-origin",
            "X-Frame-Options": "DENY",
            "Cross-Origin-Opener-Policy": "same-origin",
        }, path


def test_plain_http_is_redirected_to_https_permanently(site):
    response = site.client().get("/user/john/?page=2", https=False)

    assert response.status == 301
    assert response.header("Location") == f"https://127.0.0.1:{site.port}/user/john/?page=2"


def test_csrf_and_session_cookies_are_secure_http_only_and_same_site(site):
    client = site.client()
    csrf = client.get("/auth/login/").cookies()["csrftoken"]
    session = client.log_in("john@example.com", PASSWORD).cookies()["sessionid"]

    for cookie in (csrf, session):
        assert (cookie["secure"], cookie["httponly"], cookie["samesite"]) == (True, True, "Lax")


def test_the_language_cookie_is_secure_http_only_and_same_site(site):
    response = site.client().post("/i18n/setlang/", {"language": "de"}, csrf_from="/")

    cookie = response.cookies()["django_language"]
    assert cookie.value == "de"
    assert (cookie["secure"], cookie["httponly"], cookie["samesite"]) == (True, True, "Lax")


def test_a_visitor_reading_pages_gets_no_cookie_but_the_language_forms_csrf_token(site):
    # The footer's language switcher is a POST form (Django's set_language) on every page,
    # so its CSRF token is the one cookie; no session is started for a reader.
    client = site.client()
    for path in ("/", "/user/john/"):
        assert set(client.get(path).cookies()) == {"csrftoken"}, path


def test_pages_link_static_files_by_hashed_name_cached_for_a_year(site):
    client = site.client()
    urls = set()
    for path in site.pages:
        urls.update(re.findall(r'(?:href|src)="(/static/[^"]+)"', client.get(path).text))

    assert {url.rsplit("/", 1)[-1].split(".")[0] for url in urls} >= {
        "bootstrap",
        "site",
        "localtime",
    }
    for url in urls:
        assert HASHED_NAME.search(url), url
        response = client.get(url)
        assert response.status == 200, url
        assert response.header("Cache-Control") == "max-age=31536000, public, immutable", url


def test_static_files_are_served_brotli_or_gzip_compressed_as_the_browser_accepts(site):
    client = site.client()
    url = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', client.get("/").text)[1]

    plain = client.get(url)
    as_br = client.get(url, headers={"Accept-Encoding": "gzip, deflate, br"})
    as_gzip = client.get(url, headers={"Accept-Encoding": "gzip"})

    assert plain.header("Content-Encoding") is None
    assert plain.body.startswith(b"/* Talks")
    assert as_br.header("Content-Encoding") == "br"
    assert brotli.decompress(as_br.body) == plain.body
    assert as_gzip.header("Content-Encoding") == "gzip"
    assert gzip.decompress(as_gzip.body) == plain.body
    for response in (plain, as_br, as_gzip):
        assert response.header("Vary") == "Accept-Encoding"


def test_pages_are_served_brotli_or_gzip_compressed_as_the_browser_accepts(site):
    client = site.client()
    for path in site.pages:
        as_br = client.get(path, headers={"Accept-Encoding": "gzip, deflate, br, zstd"})
        as_gzip = client.get(path, headers={"Accept-Encoding": "gzip, deflate"})

        assert as_br.header("Content-Encoding") == "br", path
        assert brotli.decompress(as_br.body).startswith(b"<!doctype html>"), path
        assert as_gzip.header("Content-Encoding") == "gzip", path
        assert gzip.decompress(as_gzip.body).startswith(b"<!doctype html>"), path
        for response in (as_br, as_gzip):
            assert response.header("Content-Length") == str(len(response.body)), path
            assert "Accept-Encoding" in response.header("Vary"), path


def test_unhashed_static_names_are_cached_only_briefly(site):
    response = site.client().get("/static/css/site.css")

    assert (response.status, response.header("Cache-Control")) == (200, "max-age=60, public")


def test_the_styled_404_page_is_served_in_production(site):
    response = site.client().get("/talk/999999/")

    assert response.status == 404
    assert re.search(r'href="/static/css/site\.[0-9a-f]{12}\.css"', response.text)
