"""Pages go out as Brotli to a browser that accepts it, else as gzip; padded against BREACH."""

import gzip
import secrets

import brotli
import pytest
from django.http import HttpResponse, StreamingHttpResponse
from django.test import RequestFactory

from talks_site.compression import CompressionMiddleware, accepts_brotli, compress, metadata_block

PAGE = b"<!doctype html><title>Talks</title>" + b"<p>A talk about Django.</p>" * 300


@pytest.mark.parametrize(
    ("header", "accepted"),
    [
        ("gzip, deflate, br, zstd", True),
        ("br", True),
        ("BR", True),
        ("gzip;q=1.0, br ; q=0.8", True),
        ("br;q=0", False),
        ("br;q=0.000, gzip", False),
        ("br;q=nonsense", False),
        ("gzip, deflate", False),
        ("brotli", False),
        ("*", False),
        ("", False),
    ],
)
def test_brotli_is_used_only_when_the_header_accepts_it(header, accepted):
    assert accepts_brotli(header) is accepted


@pytest.mark.parametrize("length", [1, 2, 99, 256])
def test_a_metadata_block_is_skipped_by_the_decoder(length):
    compressor = brotli.Compressor(quality=4)
    stream = compressor.process(PAGE) + compressor.flush()

    padded = stream + metadata_block(length) + compressor.finish()

    assert brotli.decompress(padded) == PAGE
    assert len(padded) == len(stream) + 2 + length + 1


def test_each_compression_is_padded_by_a_random_length_below_the_limit():
    unpadded = len(compress(PAGE, max_random_bytes=1))
    streams = [compress(PAGE, max_random_bytes=100) for _ in range(200)]

    assert {brotli.decompress(stream) for stream in streams} == {PAGE}
    extra = {len(stream) - unpadded for stream in streams}
    # No padding, or a block's two bytes of header and 1 to 99 of its own.
    assert extra <= {0} | set(range(3, 102))
    assert len(extra) > 20


def respond(accept_encoding, response):
    request = RequestFactory().get("/", headers={"Accept-Encoding": accept_encoding})
    return CompressionMiddleware(lambda request: response)(request)


def test_a_page_goes_out_as_brotli_with_its_length_vary_and_a_weak_etag():
    page = HttpResponse(PAGE, content_type="text/html")
    page["ETag"] = '"v1"'

    response = respond("gzip, deflate, br", page)

    assert response["Content-Encoding"] == "br"
    assert brotli.decompress(response.content) == PAGE
    assert response["Content-Length"] == str(len(response.content))
    assert len(response.content) < len(PAGE) / 10
    assert response["Vary"] == "Accept-Encoding"
    assert response["ETag"] == 'W/"v1"'


@pytest.mark.parametrize("header", ["gzip", "gzip, br;q=0"])
def test_a_browser_without_brotli_gets_gzip(header):
    response = respond(header, HttpResponse(PAGE))

    assert response["Content-Encoding"] == "gzip"
    assert gzip.decompress(response.content) == PAGE
    assert response["Vary"] == "Accept-Encoding"


def test_a_streamed_response_is_gzipped_as_it_streams_even_for_brotli():
    response = respond("gzip, br", StreamingHttpResponse(iter([PAGE[:500], PAGE[500:]])))

    assert response["Content-Encoding"] == "gzip"
    assert gzip.decompress(b"".join(response.streaming_content)) == PAGE


def test_a_short_response_is_left_as_it_is():
    response = respond("br", HttpResponse(b"short"))

    assert response.content == b"short"
    assert not response.has_header("Content-Encoding")


def test_an_already_encoded_response_is_left_as_it_is():
    response = respond("br", HttpResponse(PAGE, headers={"Content-Encoding": "identity"}))

    assert response.content == PAGE
    assert response["Content-Encoding"] == "identity"


def test_an_incompressible_response_is_sent_as_it_is():
    noise = secrets.token_bytes(500)
    response = respond("br", HttpResponse(noise))

    assert response.content == noise
    assert not response.has_header("Content-Encoding")
