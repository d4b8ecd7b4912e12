"""Slides and video embeds from an allow-list of providers.

Printing a speaker's embed code as it was pasted would make one bad paste stored XSS. Instead a
speaker pastes a link, or a provider's <iframe> code of which only the src is read; the URL must
match a known provider shape exactly, and we store a canonical link and build the player URL
ourselves. Nothing the speaker typed ever reaches a page except as the validated ids below.
"""

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# The longest paste read: a provider's whole <iframe> code, much longer than the stored link.
EMBED_MAX_LENGTH = 2000


@dataclass(frozen=True)
class Embed:
    provider: str  # human name, e.g. "YouTube"
    src: str  # the iframe src we build (https, provider player URL)
    url: str  # canonical https link to the talk/slides on the provider, shown beside the frame
    ratio: str  # Bootstrap ratio class suffix: "16x9" or "4x3"


_UNSUPPORTED_MESSAGE = _(
    "Paste a link (or the <iframe> embed code) from YouTube, Vimeo, Speaker Deck, SlideShare, "
    "Google Slides or Notist, for example https://www.youtube.com/watch?v=dQw4w9WgXcQ, "
    "https://youtu.be/dQw4w9WgXcQ, https://vimeo.com/76979871, "
    "https://speakerdeck.com/player/<id>, "
    "https://www.slideshare.net/slideshow/embed_code/key/<key>, "
    "https://docs.google.com/presentation/d/<id>/edit or https://noti.st/<user>/<talk>. "
    "A Speaker Deck or SlideShare page address cannot be embedded: use the Embed button there "
    "and paste the embed code (or the player link in it)."
)

# Ids are matched whole against strict classes, so no quote, angle bracket, slash, dot or
# percent-escape can ever reach the URLs we build.
_YOUTUBE_ID = r"[A-Za-z0-9_-]{11}"
_YOUTUBE_PATH = re.compile(rf"/(?:embed|shorts|live)/({_YOUTUBE_ID})")
_YOUTUBE_SHORT_PATH = re.compile(rf"/({_YOUTUBE_ID})")
_YOUTUBE_ID_RE = re.compile(_YOUTUBE_ID)
_VIMEO_PATH = re.compile(r"/([0-9]{1,12})(?:/([0-9a-f]{6,20}))?")
_VIMEO_PLAYER_PATH = re.compile(r"/video/([0-9]{1,12})")
_VIMEO_HASH = re.compile(r"[0-9a-f]{6,20}")
_SPEAKERDECK_PATH = re.compile(r"/player/([0-9a-f]{32})")
_SLIDESHARE_PATH = re.compile(r"/slideshow/embed_code/(?:key/([A-Za-z0-9_-]{4,40})|([0-9]{1,12}))")
# /d/<id>/edit (a shared deck) or /d/e/<id>/pub (a deck published to the web); min lengths keep
# the literal "e" of the second form from passing as an id of the first.
_GOOGLE_PATH = re.compile(r"/presentation/d/(?:(e)/)?([A-Za-z0-9_-]{20,200})(?:/[a-z]*)?")
# noti.st/<user>/<talk code>, optionally followed by the talk's slug or by /embed.
_NOTIST_PATH = re.compile(r"/([A-Za-z0-9_-]{1,64})/([A-Za-z0-9_-]{1,64})(?:/[A-Za-z0-9_-]{1,200})?")


def _youtube(host: str, path: str, query: str) -> Embed | None:
    if host == "youtu.be":
        match = _YOUTUBE_SHORT_PATH.fullmatch(path)
        video_id = match and match[1]
    elif path == "/watch":
        values = parse_qs(query).get("v", [])
        video_id = values[0] if len(values) == 1 and _YOUTUBE_ID_RE.fullmatch(values[0]) else None
    else:
        match = _YOUTUBE_PATH.fullmatch(path)
        video_id = match and match[1]
    if not video_id:
        return None
    # Start times and playlists are dropped: the link is to the talk, not a moment of it.
    return Embed(
        "YouTube",
        f"https://www.youtube-nocookie.com/embed/{video_id}",
        f"https://www.youtube.com/watch?v={video_id}",
        "16x9",
    )


def _vimeo(host: str, path: str, query: str) -> Embed | None:
    if host == "player.vimeo.com":
        match = _VIMEO_PLAYER_PATH.fullmatch(path)
        values = parse_qs(query).get("h", [])
        if values and not (len(values) == 1 and _VIMEO_HASH.fullmatch(values[0])):
            return None  # a hash is there but malformed: refuse rather than silently drop it
        secret = values[0] if values else None
    else:
        match = _VIMEO_PATH.fullmatch(path)
        secret = match and match[2]
    if not match:
        return None
    # An unlisted video only plays with its privacy hash (vimeo.com/<id>/<hash> or ?h=), so keep it.
    src = f"https://player.vimeo.com/video/{match[1]}" + (f"?h={secret}" if secret else "")
    url = f"https://vimeo.com/{match[1]}" + (f"/{secret}" if secret else "")
    return Embed("Vimeo", src, url, "16x9")


def _speakerdeck(host: str, path: str, query: str) -> Embed | None:
    # A deck page (speakerdeck.com/<user>/<slug>) names no player id; finding it would take a call
    # to their oEmbed API at save time. Only the player URL from the embed code is accepted.
    match = _SPEAKERDECK_PATH.fullmatch(path)
    if not match:
        return None
    player = f"https://speakerdeck.com/player/{match[1]}"
    return Embed("Speaker Deck", player, player, "16x9")


def _slideshare(host: str, path: str, query: str) -> Embed | None:
    # Same as Speaker Deck: only the embed URL carries the id the player needs.
    match = _SLIDESHARE_PATH.fullmatch(path)
    if not match:
        return None
    tail = f"key/{match[1]}" if match[1] else match[2]
    player = f"https://www.slideshare.net/slideshow/embed_code/{tail}"
    return Embed("SlideShare", player, player, "4x3")


def _google_slides(host: str, path: str, query: str) -> Embed | None:
    match = _GOOGLE_PATH.fullmatch(path)
    if not match:
        return None
    if match[1]:
        base = f"https://docs.google.com/presentation/d/e/{match[2]}"
        return Embed("Google Slides", f"{base}/embed", f"{base}/pub", "16x9")
    base = f"https://docs.google.com/presentation/d/{match[2]}"
    return Embed("Google Slides", f"{base}/embed", f"{base}/edit", "16x9")


def _notist(host: str, path: str, query: str) -> Embed | None:
    match = _NOTIST_PATH.fullmatch(path)
    if not match:
        return None
    talk = f"https://noti.st/{match[1]}/{match[2]}"
    return Embed("Notist", f"{talk}/embed", talk, "16x9")


# Hosts are compared exactly, after lower-casing, against this table: no suffix or substring
# matching, so youtube.com.evil.example and evilyoutube.com simply are not in it.
_PROVIDERS = {
    **dict.fromkeys(
        (
            "youtube.com",
            "www.youtube.com",
            "m.youtube.com",
            "youtu.be",
            "youtube-nocookie.com",
            "www.youtube-nocookie.com",
        ),
        _youtube,
    ),
    **dict.fromkeys(("vimeo.com", "www.vimeo.com", "player.vimeo.com"), _vimeo),
    **dict.fromkeys(("speakerdeck.com", "www.speakerdeck.com"), _speakerdeck),
    **dict.fromkeys(("slideshare.net", "www.slideshare.net"), _slideshare),
    "docs.google.com": _google_slides,
    "noti.st": _notist,
}


def _from_url(url: str) -> Embed | None:
    # Only plain printable ASCII: no whitespace or control characters (which browsers and
    # urllib silently drop or fold), no backslashes (which browsers read as "/"), no unicode.
    if (
        not url
        or len(url) > EMBED_MAX_LENGTH
        or not all("!" <= ch <= "~" for ch in url)
        or "\\" in url
    ):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. an unbalanced "[" in the host
        return None
    # Also refuses javascript:, data: and scheme-relative //host links (their scheme is "").
    if parts.scheme.lower() not in ("http", "https"):
        return None
    # The netloc must be a bare host name: "@" means userinfo, ":" a port.
    host = parts.netloc.lower()
    if "@" in host or ":" in host or host not in _PROVIDERS:
        return None
    return _PROVIDERS[host](host, parts.path.removesuffix("/"), parts.query)


class _IframeSrcParser(HTMLParser):
    """Collects the src of each <iframe>; every other tag and attribute is ignored."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.sources: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "iframe":
            # A browser uses the first of duplicated attributes; so do we. Entities in the value
            # are already decoded, as a browser would; the decoded URL then faces the checks.
            src = next((value for name, value in attrs if name == "src"), None)
            self.sources.append(src or "")


def _iframe_src(code: str) -> str:
    parser = _IframeSrcParser()
    try:
        parser.feed(code)
        parser.close()
    except AssertionError:  # html.parser still asserts on some malformed markup, e.g. "<![x <a>"
        return ""
    # Exactly one frame: with several we would be guessing which one the speaker meant.
    return parser.sources[0].strip() if len(parser.sources) == 1 else ""


def normalize_embed(value: str) -> str:
    """Clean a pasted link or <iframe> code into the canonical provider URL to store."""
    value = value.strip()
    if not value:
        return ""
    if len(value) > EMBED_MAX_LENGTH:
        raise ValidationError(
            _(
                "This is too long for an embed (at most %(limit)d characters): "
                "paste just the link to the talk or slides."
            ),
            code="embed_too_long",
            params={"limit": EMBED_MAX_LENGTH},
        )
    # A URL never holds a raw "<", so anything with one is read as HTML embed code.
    embed = _from_url(_iframe_src(value) if "<" in value else value)
    if embed is None:
        raise ValidationError(_UNSUPPORTED_MESSAGE, code="unsupported_embed")
    return embed.url


def embed_for(url: str) -> Embed | None:
    """The embed for a stored URL, or None when it is not a recognised provider link."""
    return _from_url(url) if isinstance(url, str) else None
