"""The load balancer's health check: /health/ answers 200 when the database does, else 503."""

import json


def test_health_check_says_ok_with_one_query_when_the_database_answers(
    db, client, django_assert_num_queries
):
    with django_assert_num_queries(1):
        response = client.get("/health/")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-store" in response["Cache-Control"]
    assert response.cookies == {}


def test_health_check_accepts_head_and_refuses_writes(db, client):
    assert client.head("/health/").status_code == 200
    assert client.post("/health/").status_code == 405
    assert client.delete("/health/").status_code == 405


def test_health_check_answers_over_plain_http_while_pages_redirect_to_https(
    live_database, start_server
):
    server = start_server(DATABASE_URL=live_database.url)
    probe = server.client()

    health = probe.get("/health/", https=False)
    home = probe.get("/", https=False)

    assert (health.status, health.json()) == (200, {"status": "ok"})
    assert (home.status, home.header("Location")) == (301, f"https://127.0.0.1:{server.port}/")


def test_health_check_says_503_when_the_database_cannot_be_opened(tmp_path, start_server):
    missing = tmp_path / "no-such-folder" / "talks.sqlite3"
    server = start_server(DATABASE_URL=f"sqlite:///{missing}")

    response = server.client().get("/health/", https=False)

    assert response.status == 503
    assert response.header("Content-Type") == "application/json"
    assert json.loads(response.body) == {
        "status": "unavailable",
        "message": "The database does not answer.",
    }
    assert "Health check: the database does not answer" in server.log()
