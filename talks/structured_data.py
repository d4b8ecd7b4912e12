"""schema.org JSON-LD and Open Graph data for talk and profile pages.

Builders return plain data; `json_ld_script` is the one place that turns it into markup.
"""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from .links import absolute_url

SITE_NAME = "Talks"
# The escapes of Django's json_script: no "</script>", "<!--" or "&" can end the data block.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def avatar_image(user):
    """The absolute URL of a speaker's avatar: ours is a path on this site, a Gravatar is not."""
    url = user.avatar_url()
    return absolute_url(url) if url.startswith("/") else url


def person(user):
    """A speaker as a schema.org Person (never with their email)."""
    data = {
        "@context": "https://schema.org",
        "@type": "Person",
        "name": user.display_name,
        "alternateName": user.username,
        "url": absolute_url(user.get_absolute_url()),
        "image": avatar_image(user),
    }
    if user.location:
        data["homeLocation"] = {"@type": "Place", "name": user.location}
    if user.bio:
        data["description"] = user.bio
    return data


def event(talk):
    """A talk as a schema.org Event, with its speaker, venue and recording."""
    location = {"@type": "Place", "name": talk.venue}
    if talk.venue_url:
        location["url"] = talk.venue_url
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": talk.title,
        "url": absolute_url(talk.get_absolute_url()),
        "startDate": talk.date.isoformat(),
        "location": location,
        "performer": {
            "@type": "Person",
            "name": talk.author.display_name,
            "url": absolute_url(talk.author.get_absolute_url()),
        },
    }
    if talk.description:
        data["description"] = talk.description
    video = talk.video_embed
    if video:
        data["recordedIn"] = {
            "@type": "VideoObject",
            "name": talk.title,
            "url": video.url,
            "embedUrl": video.src,
        }
    return data


def _summary(text):
    return Truncator(" ".join(text.split())).chars(200)


def profile_open_graph(user):
    """Open Graph (property, content) pairs for a speaker's profile page."""
    pairs = [
        ("og:type", "profile"),
        ("og:site_name", SITE_NAME),
        ("og:title", user.display_name),
        ("og:url", absolute_url(user.get_absolute_url())),
        ("og:image", avatar_image(user)),
        ("profile:username", user.username),
    ]
    if user.bio:
        pairs.append(("og:description", _summary(user.bio)))
    return pairs


def talk_open_graph(talk):
    """Open Graph (property, content) pairs for a talk page."""
    pairs = [
        ("og:type", "article"),
        ("og:site_name", SITE_NAME),
        ("og:title", talk.title),
        ("og:url", absolute_url(talk.get_absolute_url())),
        ("og:image", avatar_image(talk.author)),
    ]
    if talk.description:
        pairs.append(("og:description", _summary(talk.description)))
    return pairs


def json_ld_script(data):
    """A <script type="application/ld+json"> block: data for crawlers, never run by browsers."""
    payload = json.dumps(data, cls=DjangoJSONEncoder).translate(_JSON_SCRIPT_ESCAPES)
    # Safe: json.dumps quotes every string and the escapes above leave no "<" or "&" in it.
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))  # noqa: S308 - escaped just above
