"""The short link, the QR codes, the closing slide and the Share box."""

import png
import pytest
import zxingcpp

from conftest import make_talk

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = "https://talks.example.org"


def decode_png(data):
    """The texts of the QR codes in a PNG, read by zxing-cpp from its grey pixels."""
    width, height, rows, info = png.Reader(bytes=data).asDirect()
    assert info["greyscale"] and not info["alpha"]
    top = 2 ** info["bitdepth"] - 1
    pixels = bytearray()
    for row in rows:
        pixels.extend(value * 255 // top for value in row)
    image = memoryview(bytes(pixels)).cast("B", (height, width))
    return [barcode.text for barcode in zxingcpp.read_barcodes(image)]


def test_the_short_link_redirects_permanently_to_the_talk(client, talk):
    response = client.get(f"/t/{talk.pk}")

    assert response.status_code == 301
    assert response["Location"] == f"/talk/{talk.pk}/"


def test_a_short_link_to_no_talk_is_404(client, db):
    assert client.get("/t/999999").status_code == 404


def test_the_png_qr_code_decodes_to_the_short_link(client, talk):
    response = client.get(f"/talk/{talk.pk}/qr.png")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert decode_png(response.content) == [f"https://talks.example.org/t/{talk.pk}"]


def test_the_svg_qr_code_is_an_svg_that_scales(client, talk):
    response = client.get(f"/talk/{talk.pk}/qr.svg")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    body = response.content.decode()
    assert body.startswith("<svg") and "viewBox" in body and 'width="' not in body.split(">")[0]


def test_qr_codes_are_cached_publicly_and_downloadable(client, talk):
    response = client.get(f"/talk/{talk.pk}/qr.png", {"download": ""})

    assert response["Cache-Control"] == "public, max-age=86400"
    assert response["Content-Disposition"] == f'attachment; filename="talk-{talk.pk}-qr.png"'
    assert "Content-Disposition" not in client.get(f"/talk/{talk.pk}/qr.svg")


def test_qr_codes_of_no_talk_are_404(client, db):
    assert client.get("/talk/999999/qr.png").status_code == 404
    assert client.get("/talk/999999/qr.svg").status_code == 404


def test_the_closing_slide_shows_title_speaker_code_and_link(client, talk):
    response = client.get(f"/talk/{talk.pk}/slide/")

    content = response.content.decode()
    assert response.status_code == 200
    assert f'<h1 class="slide-title">{talk.title}</h1>' in content
    assert '<p class="slide-speaker">John Doe</p>' in content
    assert f'src="/talk/{talk.pk}/qr.svg"' in content
    assert f'<p class="slide-link">https://talks.example.org/t/{talk.pk}</p>' in content
    assert "<script" not in content and "style=" not in content and "<style" not in content
    assert "/static/css/slide.css" in content


def test_the_author_sees_the_share_box(john_client, talk):
    content = john_client.get(talk.get_absolute_url()).content.decode()

    assert "Share on your last slide" in content
    assert f"https://talks.example.org/t/{talk.pk}" in content
    assert f"/talk/{talk.pk}/qr.png?download" in content
    assert f"/talk/{talk.pk}/slide/" in content


def test_visitors_and_other_speakers_see_no_share_box(client, david_client, talk):
    assert b"Share on your last slide" not in client.get(talk.get_absolute_url()).content
    assert b"Share on your last slide" not in david_client.get(talk.get_absolute_url()).content


def test_a_long_title_still_fits_a_qr_code(client, john):
    talk = make_talk(john, title="x" * 128)

    assert decode_png(client.get(f"/talk/{talk.pk}/qr.png").content) == [
        f"https://talks.example.org/t/{talk.pk}"
    ]
