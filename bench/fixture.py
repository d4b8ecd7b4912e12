"""Who requests what: the showcase talk, its speaker logged in, comments for the API to approve."""

import contextlib
from dataclasses import dataclass

from .database import SHOWCASE_APPROVED, SHOWCASE_PENDING, SPEAKER_PENDING


@dataclass
class Fixture:
    showcase_id: int
    speaker_username: str
    speaker_cookie: str
    speaker_token: str
    approval_talk_ids: list
    last_page: int

    def headers(self, client):
        """What each kind of client sends: pages go out compressed, as to a browser, and
        compressing is part of their cost."""
        visitor = {"Accept-Encoding": "gzip, br"}
        if client == "visitor":
            return visitor
        if client == "speaker":
            return {**visitor, "Cookie": self.speaker_cookie}
        if client == "api":
            return {
                **visitor,
                "Authorization": f"Bearer {self.speaker_token}",
                "Content-Type": "application/json",
            }
        raise ValueError(f"No such client: {client!r}")

    def values(self):
        """What a page's path and label may name, as {showcase_id} and the like."""
        return {
            "showcase_id": self.showcase_id,
            "speaker_username": self.speaker_username,
            "last_page": self.last_page,
            "showcase_approved": SHOWCASE_APPROVED,
            "showcase_pending": SHOWCASE_PENDING,
            "speaker_pending": SPEAKER_PENDING,
        }


def prepare_fixture(counts):
    """Find the showcase talk and its speaker, and log the speaker in (a session and a token)."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    from talks.api.auth import issue_token
    from talks.management.demo_data import SHOWCASE_TITLE
    from talks.models import Talk

    showcase = Talk.objects.select_related("author").get(title=SHOWCASE_TITLE)
    speaker = showcase.author
    browser = Client()
    browser.force_login(speaker, backend="django.contrib.auth.backends.ModelBackend")
    # One page first, as a browser would have seen before, for the CSRF cookie it then keeps
    # sending: without it, every logged-in page would make and set a new one.
    browser.get("/", HTTP_HOST="127.0.0.1")
    cookie = "; ".join(
        f"{name}={browser.cookies[name].value}"
        for name in (settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME)
    )
    # The approvals run on the speaker's other talks, not on the showcase the pages show.
    approval_talks = list(
        Talk.objects.filter(author=speaker)
        .exclude(pk=showcase.pk)
        .order_by("-date", "-id")
        .values_list("id", flat=True)[:200]
    )
    connection.close()
    return Fixture(
        showcase.pk,
        speaker.username,
        cookie,
        issue_token(speaker),
        approval_talks,
        last_page=max(1, -(-counts["talks"] // 50)),
    )


@contextlib.contextmanager
def pending_comment_paths(fixture):
    """A function of a count making the API paths of that many fresh pending comments, one for
    each approval, spread over the speaker's talks; the ones no call approved go afterwards,
    leaving the database as it was."""
    made = []

    def more(count):
        paths = create_pending_comments(fixture, int(count), start=len(made))
        made.extend(paths)
        return paths

    try:
        yield more
    finally:
        delete_unused(made)


def create_pending_comments(fixture, count, start=0):
    from django.db import connection

    from talks.management.demo_data import BODIES
    from talks.markdown import render_markdown
    from talks.models import Comment, Talk

    body_html = render_markdown(BODIES[0])
    talks = fixture.approval_talk_ids
    authors = dict(Talk.objects.filter(pk__in=talks).values_list("id", "author"))
    created = Comment.objects.bulk_create(
        Comment(
            talk_id=talks[index % len(talks)],
            talk_author_id=authors[talks[index % len(talks)]],
            author_name="Reader",
            author_email=f"reader{index % 500}@example.org",
            body=BODIES[0],
            body_html=body_html,
            notify=index % 2 == 0,
            approved=False,
        )
        for index in range(start, start + count)
    )
    vacuum(connection, "talks_comment")
    connection.close()
    return [f"/api/1.0/comments/{comment.pk}" for comment in created]


def vacuum(connection, table=None):
    """On PostgreSQL, what autovacuum does on a live database soon after rows change: the
    visibility map that lets an index-only scan (a speaker's count of waiting comments) skip the
    table, and, for the whole database, the planner's statistics too. The bench does not wait
    for it, nor count on it: a server may run without it, as pgbench assumes when it vacuums
    before each run."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM {table}" if table else "VACUUM ANALYZE")


def delete_unused(paths):
    from django.db import connection

    from talks.models import Comment

    pks = [int(path.rsplit("/", 1)[1]) for path in paths]
    Comment.objects.pending().filter(pk__in=pks).delete()
    connection.close()
