"""The demo's texts: speakers, talk topics and abstracts, venues, embeds and comments.

seed_demo cycles through them to write rows at any scale; the benchmark finds the showcase talk by
its title.
"""

from typing import NamedTuple

DEMO_PASSWORD = "talks-demo-password"  # noqa: S105 - printed for the demo's login, never for real use

# The talk with the most discussion: the benchmark finds it by this title.
SHOWCASE_TITLE = "Keeping Django fast at any size"


class Speaker(NamedTuple):
    username: str
    name: str
    location: str
    bio: str


class Venue(NamedTuple):
    name: str
    url: str


SPEAKERS = [
    Speaker(
        "ada", "Ada Lovelace", "London, UK", "Writes programs for engines that do not exist yet."
    ),
    Speaker(
        "grace", "Grace Hopper", "Arlington, VA", "Compilers, COBOL, and nanoseconds on a string."
    ),
    Speaker("alan", "Alan Turing", "Manchester, UK", "Computability, morphogenesis and long runs."),
    Speaker(
        "katherine", "Katherine Johnson", "Hampton, VA", "Orbital mechanics by hand and by machine."
    ),
    Speaker(
        "edsger",
        "Edsger Dijkstra",
        "Austin, TX",
        "Shortest paths, semaphores and handwritten notes.",
    ),
    Speaker(
        "barbara",
        "Barbara Liskov",
        "Cambridge, MA",
        "Abstraction, substitution and distributed systems.",
    ),
]
TOPICS = [
    "Django at scale",
    "Testing without mocks",
    "Async Python in practice",
    "Postgres indexes explained",
    "Accessible forms",
    "Writing a tiny compiler",
    "Caching without tears",
    "Type hints in large codebases",
    "Shipping on a Friday",
    "Observability for small teams",
    "Search with trigrams",
    "Designing a public API",
    "The art of the code review",
    "Background jobs that never lose work",
    "Security headers you should send",
]
# Abstracts of the length real ones have, so that listings render what they would in production.
ABSTRACTS = [
    "{topic} sounds simple until the first real project. This talk walks through what we "
    "learned shipping it at {venue}: the mistakes that cost us a weekend, the patterns that "
    "survived two rewrites, and the small tools that made the difference. You will leave with "
    "a checklist you can apply on Monday morning, and a few stories to tell your team.",
    "A practical introduction to {topic_lower}. We start from a working example, break it in "
    "the ways production breaks things, and fix it one step at a time. No prior experience is "
    "needed; bring a laptop if you want to follow along.",
    "Why is {topic_lower} still hard in 2024? We look at three real codebases, measure where "
    "the time goes, and compare the options honestly, including the boring one that usually "
    "wins. Slides, code and the benchmark data are linked below.",
    "Given at {venue}. {topic}: what the documentation does not tell you, what the error "
    "messages mean, and how to keep the whole thing understandable for the next person.",
]
VENUES = [
    Venue("PyCon US", "https://us.pycon.org/"),
    Venue("DjangoCon Europe", "https://djangocon.eu/"),
    Venue("EuroPython", "https://europython.eu/"),
    Venue("PyData London", ""),
    Venue("Local Python meetup", ""),
]
VIDEOS = [
    "https://www.youtube.com/watch?v=DJtef410XaM",
    "https://vimeo.com/76979871",
    "",
]
SLIDES = [
    "https://speakerdeck.com/player/c3e2b1c05f8a4c1b8d2c4bd4f5b5d3f1",
    "https://docs.google.com/presentation/d/1a2B3c4D5e6F7g8H9i0JkLmNoPqRsTuVwXyZ/edit",
    "",
]
NAMES = ["Sam", "Priya", "Jonas", "Mei", "Carlos", "Fatima", "Olu", "Ines", "Tomasz", "Yuki"]
BODIES = [
    "Great talk, thanks! The part about **indexes** finally made it click for me.",
    "Do you have the code from the demo somewhere? I would love to try it.",
    "I tried this at work and it cut our page time in half.\n\n    EXPLAIN ANALYZE SELECT ...",
    "Slides are here too: https://example.com/slides (for those who asked).",
    "Question: how does this compare to *the approach from last year*?",
    "> Tests should fail for one reason\n\nThis is the best advice of the whole conference.",
    "Loved it. A few notes:\n\n1. the audio cut out at 12:30\n2. the slides are great",
    "Could you share the benchmark numbers for the bigger dataset?",
    "This deserves more views. Sharing with my team.",
    "The live demo was brave and it worked. Respect!",
]
