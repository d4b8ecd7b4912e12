"""The home page's first load with an empty cache: requests, bytes on the wire, caching."""

import gzip
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from . import load

ACCEPT_ENCODING = "gzip, br"
YEAR = 31536000
# A content hash in the name, as Django's manifest storage writes it: name.0123456789ab.ext
HASHED_NAME = re.compile(r"\.[0-9a-f]{12}\.[A-Za-z0-9]+$")


class _Assets(HTMLParser):
    """What a browser fetches before it can show the page: stylesheets, scripts, icons, images."""

    def __init__(self):
        super().__init__()
        self.urls = []
        self.blocking = []
        self.has_icon = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        rel = (attrs.get("rel") or "").lower().split()
        if tag == "link" and "stylesheet" in rel:
            self.urls.append(attrs["href"])
        elif tag == "link" and "icon" in rel:
            self.has_icon = True
            if not attrs.get("href", "").startswith("data:"):
                self.urls.append(attrs["href"])
        elif tag == "script" and attrs.get("src"):
            self.urls.append(attrs["src"])
            if "defer" not in attrs and "async" not in attrs and attrs.get("type") != "module":
                self.blocking.append(attrs["src"])
        elif tag == "img" and attrs.get("src", "").startswith("/"):
            self.urls.append(attrs["src"])


@dataclass
class Asset:
    url: str
    status: int
    wire_bytes: int
    encoding: str
    cache_control: str

    @property
    def hashed(self):
        return bool(HASHED_NAME.search(self.url.split("?")[0]))

    @property
    def immutable(self):
        directives = {part.strip() for part in self.cache_control.lower().split(",")}
        return "immutable" in directives and f"max-age={YEAR}" in directives


@dataclass
class FirstLoad:
    page: Asset
    assets: list = field(default_factory=list)
    blocking_scripts: list = field(default_factory=list)

    @property
    def requests(self):
        return 1 + len(self.assets)

    @property
    def wire_bytes(self):
        return self.page.wire_bytes + sum(asset.wire_bytes for asset in self.assets)

    @property
    def statics(self):
        return [asset for asset in self.assets if asset.url.startswith("/static/")]

    @property
    def problems(self):
        found = [f"{a.url}: HTTP {a.status}" for a in self.assets if a.status != 200]
        found += [f"{a.url}: no content hash in the name" for a in self.statics if not a.hashed]
        found += [
            f"{a.url}: Cache-Control {a.cache_control!r}" for a in self.statics if not a.immutable
        ]
        found += [f"{url}: a script that blocks rendering" for url in self.blocking_scripts]
        return found


def _get(base_url, path):
    status, headers, body = load.fetch(
        base_url, "GET", path, headers={"Accept-Encoding": ACCEPT_ENCODING}
    )
    # What crosses the wire: the (compressed) body and the response head.
    head = sum(len(name) + len(value) + 4 for name, value in headers.items()) + 17
    return (
        Asset(
            url=path,
            status=status,
            wire_bytes=len(body) + head,
            encoding=headers.get("Content-Encoding", "identity"),
            cache_control=headers.get("Cache-Control", ""),
        ),
        body,
    )


def _decoded(body, encoding):
    if encoding == "gzip":
        return gzip.decompress(body)
    if encoding == "br":
        import brotli  # WhiteNoise's own dependency for .br files

        return brotli.decompress(body)
    return body


def first_load(base_url, path="/"):
    page, body = _get(base_url, path)
    parser = _Assets()
    parser.feed(_decoded(body, page.encoding).decode())
    urls = list(dict.fromkeys(parser.urls))
    if not parser.has_icon:
        # Browsers ask for /favicon.ico on their own when the page names no icon.
        urls.append("/favicon.ico")
    result = FirstLoad(page=page, blocking_scripts=parser.blocking)
    for url in urls:
        asset, _ = _get(base_url, url)
        result.assets.append(asset)
    return result
