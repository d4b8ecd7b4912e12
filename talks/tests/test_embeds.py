import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from talks.embed_providers import FRAME_SOURCES, PROVIDER_NAMES
from talks.embeds import Embed, embed_for, normalize_embed

YOUTUBE = Embed(
    provider="YouTube",
    src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
    url="https://www.youtube.com/watch?v=dQw4w9WgXcQ",
    ratio="16x9",
)
VIMEO = Embed(
    provider="Vimeo",
    src="https://player.vimeo.com/video/76979871",
    url="https://vimeo.com/76979871",
    ratio="16x9",
)
VIMEO_UNLISTED = Embed(
    provider="Vimeo",
    src="https://player.vimeo.com/video/76979871?h=8272103f6e",
    url="https://vimeo.com/76979871/8272103f6e",
    ratio="16x9",
)
SPEAKERDECK_ID = "a1b2c3d4e5f60718293a4b5c6d7e8f90"
SPEAKERDECK = Embed(
    provider="Speaker Deck",
    src=f"https://speakerdeck.com/player/{SPEAKERDECK_ID}",
    url=f"https://speakerdeck.com/player/{SPEAKERDECK_ID}",
    ratio="16x9",
)
SLIDESHARE_KEY = Embed(
    provider="SlideShare",
    src="https://www.slideshare.net/slideshow/embed_code/key/AbCdEf123456",
    url="https://www.slideshare.net/slideshow/embed_code/key/AbCdEf123456",
    ratio="4x3",
)
SLIDESHARE_ID = Embed(
    provider="SlideShare",
    src="https://www.slideshare.net/slideshow/embed_code/12345678",
    url="https://www.slideshare.net/slideshow/embed_code/12345678",
    ratio="4x3",
)
DECK_ID = "1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms"
GOOGLE = Embed(
    provider="Google Slides",
    src=f"https://docs.google.com/presentation/d/{DECK_ID}/embed",
    url=f"https://docs.google.com/presentation/d/{DECK_ID}/edit",
    ratio="16x9",
)
PUBLISHED_ID = "2PACX-1vQx2_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-AbCdEfGhIjKlMnOpQrStUvWxYz0123"
GOOGLE_PUBLISHED = Embed(
    provider="Google Slides",
    src=f"https://docs.google.com/presentation/d/e/{PUBLISHED_ID}/embed",
    url=f"https://docs.google.com/presentation/d/e/{PUBLISHED_ID}/pub",
    ratio="16x9",
)
NOTIST = Embed(
    provider="Notist",
    src="https://noti.st/akrabat/3fdyeY/embed",
    url="https://noti.st/akrabat/3fdyeY",
    ratio="16x9",
)

LINKS = [
    ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", YOUTUBE),
    ("https://youtube.com/watch?v=dQw4w9WgXcQ&t=42s", YOUTUBE),
    ("http://m.youtube.com/watch?feature=share&v=dQw4w9WgXcQ", YOUTUBE),
    ("HTTPS://WWW.YOUTUBE.COM/watch?v=dQw4w9WgXcQ", YOUTUBE),
    ("https://youtu.be/dQw4w9WgXcQ", YOUTUBE),
    ("https://youtu.be/dQw4w9WgXcQ?si=Xy_12-ab", YOUTUBE),
    ("https://www.youtube.com/embed/dQw4w9WgXcQ", YOUTUBE),
    ("https://www.youtube.com/embed/dQw4w9WgXcQ/", YOUTUBE),
    ("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?start=10", YOUTUBE),
    ("https://youtube-nocookie.com/embed/dQw4w9WgXcQ", YOUTUBE),
    ("https://www.youtube.com/shorts/dQw4w9WgXcQ", YOUTUBE),
    ("https://www.youtube.com/live/dQw4w9WgXcQ?feature=shared", YOUTUBE),
    ("https://vimeo.com/76979871", VIMEO),
    ("https://www.vimeo.com/76979871?share=copy", VIMEO),
    ("https://player.vimeo.com/video/76979871", VIMEO),
    ("https://player.vimeo.com/video/76979871?badge=0&autopause=0", VIMEO),
    ("https://vimeo.com/76979871/8272103f6e", VIMEO_UNLISTED),
    ("https://player.vimeo.com/video/76979871?h=8272103f6e&badge=0", VIMEO_UNLISTED),
    (f"https://speakerdeck.com/player/{SPEAKERDECK_ID}", SPEAKERDECK),
    (f"https://speakerdeck.com/player/{SPEAKERDECK_ID}?slide=3", SPEAKERDECK),
    ("https://www.slideshare.net/slideshow/embed_code/key/AbCdEf123456", SLIDESHARE_KEY),
    ("https://slideshare.net/slideshow/embed_code/key/AbCdEf123456?startSlide=2", SLIDESHARE_KEY),
    ("https://www.slideshare.net/slideshow/embed_code/12345678", SLIDESHARE_ID),
    (f"https://docs.google.com/presentation/d/{DECK_ID}/edit?usp=sharing", GOOGLE),
    (f"https://docs.google.com/presentation/d/{DECK_ID}/edit#slide=id.p", GOOGLE),
    (f"https://docs.google.com/presentation/d/{DECK_ID}", GOOGLE),
    (f"https://docs.google.com/presentation/d/{DECK_ID}/embed?start=false", GOOGLE),
    (f"https://docs.google.com/presentation/d/{DECK_ID}/present", GOOGLE),
    (f"https://docs.google.com/presentation/d/e/{PUBLISHED_ID}/pub?start=false", GOOGLE_PUBLISHED),
    (f"https://docs.google.com/presentation/d/e/{PUBLISHED_ID}/embed", GOOGLE_PUBLISHED),
    ("https://noti.st/akrabat/3fdyeY", NOTIST),
    ("https://noti.st/akrabat/3fdyeY/capturing-light", NOTIST),
    ("https://noti.st/akrabat/3fdyeY/embed", NOTIST),
]

# Embed codes as the providers hand them out (trimmed where long), plus attributes nobody needs.
IFRAME_CODES = [
    (
        '<iframe width="560" height="315" src="https://www.youtube.com/embed/dQw4w9WgXcQ?si=Xy_1"'
        ' title="YouTube video player" frameborder="0" allow="accelerometer; autoplay;'
        ' clipboard-write; encrypted-media; gyroscope; picture-in-picture; web-share"'
        ' referrerpolicy="strict-origin-when-cross-origin" allowfullscreen></iframe>',
        YOUTUBE,
    ),
    (
        '<iframe src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"></iframe>',
        YOUTUBE,
    ),
    (
        '<div style="padding:56.25% 0 0 0;position:relative;"><iframe src="https://player.vimeo.com'
        '/video/76979871?h=8272103f6e&amp;badge=0&amp;autopause=0&amp;player_id=0&amp;app_id=58479"'
        ' frameborder="0" allow="autoplay; fullscreen; picture-in-picture; clipboard-write"'
        ' style="position:absolute;top:0;left:0;width:100%;height:100%;" title="A talk">'
        '</iframe></div><script src="https://player.vimeo.com/api/player.js"></script>',
        VIMEO_UNLISTED,
    ),
    (
        '<iframe src="https://player.vimeo.com/video/76979871" width="640" height="360"></iframe>',
        VIMEO,
    ),
    (
        '<iframe class="speakerdeck-iframe" frameborder="0"'
        f' src="https://speakerdeck.com/player/{SPEAKERDECK_ID}" title="Building Talks"'
        ' allowfullscreen="true" style="border: 0px; aspect-ratio: 560 / 315;"'
        ' data-ratio="1.7777777777777777"></iframe>',
        SPEAKERDECK,
    ),
    (
        '<iframe src="https://www.slideshare.net/slideshow/embed_code/key/AbCdEf123456"'
        ' width="510" height="420" frameborder="0" marginwidth="0" marginheight="0"'
        ' scrolling="no" style="border:1px solid #CCC;" allowfullscreen> </iframe>'
        ' <div style="margin-bottom:5px"> <strong> <a href="https://www.slideshare.net/u/talk"'
        ' title="Talk" target="_blank">Talk</a> </strong> from <strong>'
        '<a href="https://www.slideshare.net/u" target="_blank">u</a></strong> </div>',
        SLIDESHARE_KEY,
    ),
    (
        '<iframe src="https://www.slideshare.net/slideshow/embed_code/12345678"></iframe>',
        SLIDESHARE_ID,
    ),
    (
        f'<iframe src="https://docs.google.com/presentation/d/e/{PUBLISHED_ID}/embed?start=false'
        '&loop=false&delayms=3000" frameborder="0" width="960" height="569" allowfullscreen="true"'
        ' mozallowfullscreen="true" webkitallowfullscreen="true"></iframe>',
        GOOGLE_PUBLISHED,
    ),
    (
        f'<iframe src="https://docs.google.com/presentation/d/{DECK_ID}/embed"></iframe>',
        GOOGLE,
    ),
    (
        '<iframe src="https://noti.st/akrabat/3fdyeY/embed" width="960" height="540"></iframe>',
        NOTIST,
    ),
    # Only the src is read, so anything else riding along on the frame is dropped.
    (
        '<iframe src="https://www.youtube.com/embed/dQw4w9WgXcQ" onload="alert(1)"'
        ' srcdoc="<script>alert(1)</script>" allow="camera; microphone"></iframe>',
        YOUTUBE,
    ),
    ('<IFRAME SRC="https://youtu.be/dQw4w9WgXcQ"></IFRAME>', YOUTUBE),
    ('<iframe src="https://youtu.be/dQw4w9WgXcQ">', YOUTUBE),
    ('<iframe src=" https://youtu.be/dQw4w9WgXcQ "/>', YOUTUBE),
    # Entities in an attribute mean what they mean to a browser; the decoded URL is then checked.
    ('<iframe src="https&#58;//www.youtube.com/embed/dQw4w9WgXcQ"></iframe>', YOUTUBE),
]

XSS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "javascript://www.youtube.com/%0Aalert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe src="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>',
    '<iframe src="&#106;avascript:alert(1)"></iframe>',
    '<iframe src="https://evil.example/embed/dQw4w9WgXcQ"></iframe>',
    '<iframe src="https://youtu.be/dQw4w9WgXcQ"></iframe><iframe src="https://evil.example">',
    '<iframe src="https://www.youtube.com/embed/dQw4w9WgXcQ"',  # never closed
    '<iframe src="https://www.youtube.com/embed/dQw4w9WgXcQ></iframe>',  # unbalanced quote
    '<ifr<iframe src="https://youtu.be/dQw4w9WgXcQ">',
    '<![x <iframe src="https://youtu.be/dQw4w9WgXcQ">',  # makes html.parser assert
    '<!-- <iframe src="https://youtu.be/dQw4w9WgXcQ"> -->',
    "https://youtu.be/dQw4w9WgXcQ<script>alert(1)</script>",
    "&#106;avascript:alert(1)",
    "https&#58;//www.youtube.com/watch?v=dQw4w9WgXcQ",
    # Look-alike hosts, userinfo, ports, odd separators.
    "https://youtube.com.evil.example/watch?v=dQw4w9WgXcQ",
    "https://evilyoutube.com/watch?v=dQw4w9WgXcQ",
    "https://evil.example/?https://youtube.com/watch?v=dQw4w9WgXcQ",
    "https://evil.example/#https://youtu.be/dQw4w9WgXcQ",
    "https://www.youtube.com@evil.example/watch?v=dQw4w9WgXcQ",
    "https://user:pass@www.youtube.com/watch?v=dQw4w9WgXcQ",
    "https://www.youtube.com:8080/watch?v=dQw4w9WgXcQ",
    "https://www.youtube.com:443/watch?v=dQw4w9WgXcQ",
    "https://www.youtube.com./watch?v=dQw4w9WgXcQ",
    "https://www.youtube.com\\@evil.example/watch?v=dQw4w9WgXcQ",
    "https:\\\\www.youtube.com\\watch?v=dQw4w9WgXcQ",
    "https://www.you\ttube.com/watch?v=dQw4w9WgXcQ",
    "https://www.youtube.com/watch?v=dQw4w9WgXcQ\x00",
    "https://www.youtube.com/watch ?v=dQw4w9WgXcQ",
    "https://ｙoutube.com/watch?v=dQw4w9WgXcQ",  # noqa: RUF001 -- the full-width y is the point
    "https://[::1/watch?v=dQw4w9WgXcQ",
    "//www.youtube.com/watch?v=dQw4w9WgXcQ",
    "www.youtube.com/watch?v=dQw4w9WgXcQ",
    "https:www.youtube.com/watch?v=dQw4w9WgXcQ",
    "https:///www.youtube.com/watch?v=dQw4w9WgXcQ",
    "ftp://www.youtube.com/watch?v=dQw4w9WgXcQ",
    # Ids that are not ids.
    'https://www.youtube.com/watch?v=dQw4w9WgXc"onload="alert(1)',
    "https://www.youtube.com/watch?v=%22%3E%3Cscript%3Ealert(1)",
    "https://www.youtube.com/embed/dQw4w9WgXcQ%22onload%3D%22alert(1)",
    "https://www.youtube.com/embed/dQw4w9WgXc'",
    "https://www.youtube.com/watch?v=dQw4w9WgXcQ&v=aaaaaaaaaaa",
    "https://youtu.be/dQw4w9WgXcQQ",
    "https://youtu.be/dQw4w9WgX",
    "https://vimeo.com/76979871/../../evil",
    'https://player.vimeo.com/video/76979871?h="><script>',
    "https://speakerdeck.com/player/../../evil",
    'https://noti.st/akrabat/3fdyeY"onload="alert(1)',
    "https://noti.st/akrabat/3fdyeY/x/y",
]

NOT_EMBEDDABLE = [
    "https://speakerdeck.com/akrabat/capturing-light",
    "https://www.slideshare.net/akrabat/capturing-light",
    f"https://docs.google.com/document/d/{DECK_ID}/edit",
    "https://www.youtube.com/",
    "https://www.youtube.com/@somechannel",
    "https://www.youtube.com/playlist?list=PL0123456789",
    "https://vimeo.com/channels/staffpicks",
    "https://example.com/talk.mp4",
]


@pytest.mark.parametrize(("link", "expected"), LINKS)
def test_accepted_link_renders_the_embed_we_build(link, expected):
    assert embed_for(link) == expected


@pytest.mark.parametrize(("link", "expected"), LINKS)
def test_accepted_link_is_stored_as_the_canonical_url(link, expected):
    assert normalize_embed(link) == expected.url


@pytest.mark.parametrize(("code", "expected"), IFRAME_CODES)
def test_iframe_code_keeps_only_the_src(code, expected):
    assert normalize_embed(code) == expected.url
    assert embed_for(normalize_embed(code)) == expected


@pytest.mark.parametrize("value", [link for link, _ in LINKS] + [code for code, _ in IFRAME_CODES])
def test_normalizing_round_trips_and_is_idempotent(value):
    stored = normalize_embed(value)
    assert embed_for(stored) == embed_for(normalize_embed(stored))
    assert embed_for(stored) is not None
    assert normalize_embed(stored) == stored


@pytest.mark.parametrize("expected", sorted({e for _, e in LINKS + IFRAME_CODES}, key=str))
def test_every_frame_is_served_from_a_declared_frame_source(expected):
    assert expected.src.startswith(tuple(f"{origin}/" for origin in FRAME_SOURCES))
    assert expected.url.startswith("https://")
    assert expected.provider in PROVIDER_NAMES


def test_every_provider_has_an_accepted_shape():
    assert {e.provider for _, e in LINKS} == set(PROVIDER_NAMES)


def test_surrounding_whitespace_is_ignored():
    assert normalize_embed("  https://youtu.be/dQw4w9WgXcQ\n") == YOUTUBE.url


@pytest.mark.parametrize("value", ["", "   ", "\n"])
def test_empty_value_stays_empty(value):
    assert normalize_embed(value) == ""


@pytest.mark.parametrize("value", XSS + NOT_EMBEDDABLE)
def test_hostile_or_unknown_value_is_refused(value):
    with pytest.raises(ValidationError) as caught:
        normalize_embed(value)
    assert caught.value.code == "unsupported_embed"
    assert embed_for(value) is None


def test_refusal_message_lists_every_provider_and_example_links():
    with pytest.raises(ValidationError) as caught:
        normalize_embed("https://speakerdeck.com/akrabat/capturing-light")
    [message] = caught.value.messages
    for name in PROVIDER_NAMES:
        assert name in message
    assert "https://www.youtube.com/watch?v=" in message
    assert "https://speakerdeck.com/player/<id>" in message
    assert "embed code" in message


def test_overlong_value_is_refused_with_its_own_message():
    value = "https://www.youtube.com/watch?v=dQw4w9WgXcQ&pad=" + "a" * 2000
    with pytest.raises(ValidationError) as caught:
        normalize_embed(value)
    assert caught.value.code == "embed_too_long"
    assert "at most 2000 characters" in caught.value.messages[0]
    assert embed_for(value) is None


@pytest.mark.parametrize("value", [None, 42, b"https://youtu.be/dQw4w9WgXcQ", "\x00", "<"])
def test_embed_for_never_raises(value):
    assert embed_for(value) is None


_fragments = st.sampled_from(
    ["<iframe ", "src=", '"', "'", ">", "</iframe>", "<![", "<!--", "&#58;", "&amp;", " ", "\t",
     "https://", "http://", "//", "javascript:", "@", ":443", "\\", "youtu.be/", "www.youtube.com",
     "/watch?v=", "/embed/", "dQw4w9WgXcQ", "vimeo.com/", "76979871", "?h=", "noti.st/", "a/b"]
)  # fmt: skip


# No example database: the suite leaves no files behind in the working tree.
@settings(database=None)
@given(st.one_of(st.text(max_size=60), st.lists(_fragments, max_size=12).map("".join)))
def test_any_input_is_either_refused_or_stored_canonically(value):
    try:
        stored = normalize_embed(value)
    except ValidationError:
        return
    if stored:
        embed = embed_for(stored)
        assert embed is not None
        assert embed.url == stored
        assert normalize_embed(stored) == stored
        assert embed.src.startswith(tuple(f"{origin}/" for origin in FRAME_SOURCES))
