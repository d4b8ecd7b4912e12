"""Moments in the talk: times ("12:34", "1:02:03") and slide numbers ("slide 7") in a comment
become links into the talk's own video and slides.

This runs on the sanitised HTML, when a page shows it (not at save), so old comments get their
moments too and an edited video moves them. Only text nodes outside links and code are read,
with Python's HTML parser; every link made here has an href we build from the talk's validated
embed, so nothing a commenter writes can shape one.
"""

import html
import re
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser

from .embeds import embed_for

# Players whose page can be opened at a moment, and how: YouTube with ?t=, Vimeo with #t=.
SEEKABLE = {"YouTube": "{url}&t={seconds}s", "Vimeo": "{url}#t={seconds}s"}
SLIDE_DECKS = {"Speaker Deck": "{url}?slide={number}"}

# A time is h:mm:ss or m:ss / mm:ss, standing alone: not part of a longer number, ratio or
# word ("javascript:12:34", "1:2:3:4", "v1.12:30" stay text).
_MOMENT = re.compile(
    r"(?<![\w:.,/])(?:(?P<h>\d{1,2}):(?=\d{2}:))?(?P<m>\d{1,2}):(?P<s>\d{2})(?![\w:]|[.,]\d)"
    r"|(?<!\w)(?P<slide>slide)\s+(?P<n>\d{1,4})(?!\w)",
    re.IGNORECASE,
)
# Nothing in these is read for moments: a link is someone's link, code is code.
_SKIPPED = frozenset({"a", "code", "pre"})
# What any moment needs somewhere in the HTML: most comments have neither, and are not parsed.
_MAYBE = re.compile(r"\d:\d\d|slide", re.IGNORECASE)
# Below a day: longer times are not plausibly a place in a talk's video.
_MAX_SECONDS = 24 * 3600


@dataclass(frozen=True)
class MomentTargets:
    """Where a talk's moments can point: its video's page and its slide deck, when they can."""

    video: str | None = None  # a SEEKABLE template with the video's url filled in
    slides: str | None = None  # a SLIDE_DECKS template with the deck's url filled in

    def __bool__(self):
        return self.video is not None or self.slides is not None


NO_TARGETS = MomentTargets()


@lru_cache(maxsize=1024)
def _targets(video_url, slides_url):
    video = embed_for(video_url) if video_url else None
    slides = embed_for(slides_url) if slides_url else None
    video_template = SEEKABLE.get(video.provider) if video else None
    slides_template = SLIDE_DECKS.get(slides.provider) if slides else None
    return MomentTargets(
        video=video_template.replace("{url}", video.url) if video_template else None,
        slides=slides_template.replace("{url}", slides.url) if slides_template else None,
    )


def moment_targets(talk):
    """The moment targets of `talk`, from its stored embed links."""
    return _targets(talk.video_url, talk.slides_url)


def _seconds(match):
    hours = int(match["h"]) if match["h"] is not None else 0
    minutes, seconds = int(match["m"]), int(match["s"])
    if minutes >= 60 or seconds >= 60:
        return None
    total = hours * 3600 + minutes * 60 + seconds
    return total if total < _MAX_SECONDS else None


def _link_text(text, targets):
    """`text` (plain) as HTML, its moments made links."""
    out = []
    position = 0
    for match in _MOMENT.finditer(text):
        if match["slide"] is not None:
            number = int(match["n"])
            if targets.slides is None or number < 1:
                continue
            href = targets.slides.format(number=number)
            link = (
                f'<a class="moment" href="{html.escape(href)}" data-slide="{number}">'
                f"{html.escape(match[0])}</a>"
            )
        else:
            seconds = _seconds(match)
            if targets.video is None or seconds is None:
                continue
            href = targets.video.format(seconds=seconds)
            link = (
                f'<a class="moment" href="{html.escape(href)}" data-seek="{seconds}">'
                f"{html.escape(match[0])}</a>"
            )
        out.append(html.escape(text[position : match.start()], quote=False))
        out.append(link)
        position = match.end()
    if not out:
        return None
    out.append(html.escape(text[position:], quote=False))
    return "".join(out)


class _MomentLinker(HTMLParser):
    """Copies sanitised HTML as it is, turning the moments of its readable text into links."""

    def __init__(self, targets):
        super().__init__(convert_charrefs=True)
        self.targets = targets
        self.out = []
        self.skipping = 0
        self.linked = False

    def handle_starttag(self, tag, attrs):
        # The tag as written: it already passed the sanitiser, so it is copied, not rebuilt.
        self.out.append(self.get_starttag_text())
        if tag in _SKIPPED:
            self.skipping += 1

    def handle_startendtag(self, tag, attrs):
        self.out.append(self.get_starttag_text())

    def handle_endtag(self, tag):
        self.out.append(f"</{tag}>")
        if tag in _SKIPPED and self.skipping:
            self.skipping -= 1

    def handle_data(self, data):
        linked = None if self.skipping else _link_text(data, self.targets)
        if linked is None:
            self.out.append(html.escape(data, quote=False))
        else:
            self.out.append(linked)
            self.linked = True


def link_moments(sanitised_html, targets):
    """`sanitised_html` with the moments of its text linked to `targets`; as is without any."""
    if not targets or not _MAYBE.search(sanitised_html):
        return sanitised_html
    linker = _MomentLinker(targets)
    linker.feed(sanitised_html)
    linker.close()
    # Unchanged HTML is returned as stored, not as re-serialised by the parser.
    return "".join(linker.out) if linker.linked else sanitised_html
