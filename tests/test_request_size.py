"""Request bodies over the limit are refused whatever their content type; no file is uploaded."""

import socket

from django.core.files.uploadedfile import SimpleUploadedFile

TOO_BIG_MESSAGE = "The request is too large: this site accepts at most 256 KiB."
MIB = 1024 * 1024


def test_a_big_multipart_upload_to_the_preview_is_refused_as_too_large(client, db):
    upload = SimpleUploadedFile("big.bin", b"\0" * MIB)

    response = client.post(
        "/comments/preview/",
        {"body": "hello", "file": upload},
        headers={"Accept": "application/json"},
    )

    assert response.status_code == 413
    assert response.json()["message"] == TOO_BIG_MESSAGE


def test_a_small_file_in_any_form_is_refused_and_never_stored(client, talk, settings, tmp_path):
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    upload = SimpleUploadedFile("note.txt", b"hello")

    response = client.post(
        f"/talk/{talk.pk}/comments/",
        {"author_name": "Ann", "author_email": "ann@example.org", "body": "Hi", "f": upload},
    )

    assert response.status_code == 400
    assert "This site takes no file uploads." in response.content.decode()
    assert list(tmp_path.iterdir()) == []
    assert talk.comments.count() == 0


def test_a_multipart_form_without_files_still_works(client, talk):
    response = client.post(
        f"/talk/{talk.pk}/comments/",
        {"author_name": "Ann", "author_email": "ann@example.org", "body": "Hi"},
    )

    assert response.status_code == 302
    assert talk.comments.count() == 1


def test_any_content_type_over_the_limit_is_refused(client, db):
    for content_type in ("text/plain", "application/octet-stream", "image/png", ""):
        response = client.post("/comments/preview/", b"x" * (MIB // 2), content_type=content_type)
        assert response.status_code == 413, content_type


def test_gunicorn_answers_a_300_mb_upload_with_413_before_reading_it(start_server, live_database):
    """The declared length is enough: the server answers without taking the body."""
    server = start_server(DATABASE_URL=live_database.url)
    boundary = "x" * 16
    head = (
        "POST /comments/preview/ HTTP/1.1\r\n"
        f"Host: 127.0.0.1:{server.port}\r\n"
        "X-Forwarded-Proto: https\r\n"
        f"Content-Type: multipart/form-data; boundary={boundary}\r\n"
        f"Content-Length: {300 * MIB}\r\n"
        "Accept: application/json\r\n"
        "Connection: close\r\n\r\n"
    )
    with socket.create_connection(("127.0.0.1", server.port), timeout=20) as conn:
        conn.sendall(head.encode() + f"--{boundary}\r\n".encode() + b"\0" * 65536)
        answer = b""
        while chunk := conn.recv(65536):
            answer += chunk

    status_line = answer.split(b"\r\n", 1)[0]
    assert status_line == b"HTTP/1.1 413 Request Entity Too Large"
    assert TOO_BIG_MESSAGE.encode() in answer
