"""The pages the bench loads, in the order of its table.

Adding a page to the bench is one line in PAGES: its key (for --only and the results), its label,
its path, which client asks for it (a visitor, its speaker logged in, or the API with the
speaker's token) and, if it has one, its target share of the reference page's requests/s. Paths
and labels may name the fixture's values in braces: {showcase_id}, {speaker_username},
{last_page}, {showcase_approved}, {showcase_pending}, {speaker_pending}.
"""

from dataclasses import dataclass

from .fixture import pending_comment_paths

# Targets: requests/s as a share of the reference page's; a moderator's pages show a form or two
# per comment, hence the talk page's allowance.
PUBLIC_TARGET, TALK_TARGET, MODERATOR_TARGET, API_TARGET = 0.7, 0.5, 0.5, 0.7
SEARCH_TARGET = 0.5
# Words of the demo data: one in the title and abstract of every fifteenth talk, one in the
# showcase's title alone (seed_demo, talks/management/demo_data.py), whatever the stemming:
# "keeping" would find every abstract with "keep" in it.
COMMON_WORD, RARE_WORD = "django", "fast"
# A write's slowest requests (p99) at most this many times its median (p50).
API_TAIL_LIMIT = 5
# The deepest page of the home page's listing the bench asks for.
DEEP_PAGE = 1000


@dataclass(frozen=True)
class Page:
    key: str
    label: str
    path: str = ""
    client: str = "visitor"
    target: float | None = None
    method: str = "GET"
    # The most the p99 latency may be as a multiple of the p50, if that is a target too.
    tail_limit: float | None = None
    # For a call that uses up what it asks for: a context manager of the fixture giving a
    # function of a count that makes that many more paths, one per request, and clearing up
    # the ones left after the measurement.
    fresh: object = None

    def requests(self, fixture, more_paths=None):
        values = {**fixture.values(), "deep_page": min(DEEP_PAGE, fixture.last_page)}
        return Requests(
            key=self.key,
            label=self.label.format(**values),
            method=self.method,
            paths=[] if more_paths is not None else [self.path.format(**values)],
            headers=fixture.headers(self.client),
            target=self.target,
            tail_limit=self.tail_limit,
            more_paths=more_paths,
        )


@dataclass
class Requests:
    """One page's requests as the measurer sends them."""

    key: str
    label: str
    method: str
    paths: list
    headers: dict
    target: float | None = None
    tail_limit: float | None = None
    body: bytes = b""
    # For a call that uses its path up: makes `count` more (Page.fresh's).
    more_paths: object = None

    def have_paths(self, count):
        """At least `count` unused paths, made as they are needed: a queue of waiting comments
        made all at once would be many times the 500 of the speaker's that the bench sets."""
        if self.more_paths is not None and len(self.paths) < count:
            self.paths += self.more_paths(count - len(self.paths))

    def next_path(self):
        """The path of the next request alone: an API call uses its comment up, a GET repeats."""
        return self.paths.pop(0) if self.method != "GET" else self.paths[0]


# What every page is measured against: 50 rows through the ORM into a plain template.
REFERENCE = Page("reference", "reference page", "/bench/reference/")

PAGES = [
    Page("home", "/ (page 1)", "/", target=PUBLIC_TARGET),
    Page("deep", "/?page={deep_page}", "/?page={deep_page}", target=PUBLIC_TARGET),
    Page("profile", "a speaker's profile", "/user/{speaker_username}/", target=PUBLIC_TARGET),
    Page("talk", "talk, 100 comments (visitor)", "/talk/{showcase_id}/", target=TALK_TARGET),
    Page("home_speaker", "/ (page 1, a speaker)", "/", "speaker", PUBLIC_TARGET),
    Page(
        "profile_speaker",
        "a speaker's own profile",
        "/user/{speaker_username}/",
        "speaker",
        PUBLIC_TARGET,
    ),
    Page(
        "talk_speaker",
        "talk, {showcase_approved} + {showcase_pending} waiting (its speaker)",
        "/talk/{showcase_id}/",
        "speaker",
        MODERATOR_TARGET,
    ),
    Page(
        "moderate",
        "/moderate/ ({speaker_pending} waiting)",
        "/moderate/",
        "speaker",
        MODERATOR_TARGET,
    ),
    Page("feed", "Atom feed", "/feeds/talks/", target=PUBLIC_TARGET),
    Page(
        "search_common",
        f"search, a common word ({COMMON_WORD})",
        f"/search/?q={COMMON_WORD}",
        target=SEARCH_TARGET,
    ),
    Page(
        "search_rare",
        f"search, a rare word ({RARE_WORD})",
        f"/search/?q={RARE_WORD}",
        target=SEARCH_TARGET,
    ),
    Page(
        "api_approve",
        "API approve (PUT)",
        "",
        "api",
        API_TARGET,
        method="PUT",
        tail_limit=API_TAIL_LIMIT,
        fresh=pending_comment_paths,
    ),
]
