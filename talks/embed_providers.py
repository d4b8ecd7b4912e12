"""The embed providers: their names and the origins their players are framed from.

Imports nothing, so that settings can read the origins for the CSP's frame-src without loading
any of the app; talks.embeds builds every player URL on one of them (a test holds it to that).
"""

PROVIDER_NAMES = ("YouTube", "Vimeo", "Speaker Deck", "SlideShare", "Google Slides", "Notist")
FRAME_SOURCES = (
    "https://www.youtube-nocookie.com",
    "https://player.vimeo.com",
    "https://speakerdeck.com",
    "https://www.slideshare.net",
    "https://docs.google.com",
    "https://noti.st",
)
