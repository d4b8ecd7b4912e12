"""seed_demo at benchmark scale: exact counts, the showcase talk, bulk inserts, rendered bodies."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from talks.management.demo_data import SHOWCASE_TITLE
from talks.markdown import render_markdown
from talks.models import Comment, Talk


def seed(*args):
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def bench_seed(talks=300, comments=3000, *more):
    return seed(
        "--speakers=20",
        f"--talks={talks}",
        f"--comments={comments}",
        "--showcase-approved=40",
        "--showcase-pending=25",
        *more,
    )


@pytest.fixture
def seeded(db):
    bench_seed()
    return Talk.objects.select_related("author").get(title=SHOWCASE_TITLE)


def test_the_counts_asked_for_are_the_counts_made(seeded):
    assert (User.objects.count(), Talk.objects.count(), Comment.objects.count()) == (
        20,
        300,
        3000,
    )


def test_the_showcase_is_the_newest_talk_with_its_published_and_waiting_comments(seeded):
    assert Talk.objects.timeline().first() == seeded
    assert seeded.comments.approved().count() == 40
    assert seeded.comments.pending().count() == 25


def test_the_showcase_speakers_queue_holds_exactly_the_showcases_waiting_comments(seeded):
    queue = Comment.objects.pending_for(seeded.author)

    assert queue.count() == 25
    assert set(queue.values_list("talk", flat=True)) == {seeded.pk}
    assert seeded.author.is_staff is False


def test_the_showcases_waiting_comments_are_spread_among_its_published_ones(seeded):
    states = list(seeded.comments.order_by("created_at", "id").values_list("approved", flat=True))

    # 25 waiting among 65: never two in a row, half of them in each half.
    assert states.count(False) == 25
    assert "FF" not in "".join("T" if state else "F" for state in states)
    assert states[:32].count(False) in (12, 13)


def test_the_speakers_queue_may_hold_more_waiting_on_their_other_talks(db):
    out = bench_seed(300, 3000, "--speaker-pending=30")
    showcase = Talk.objects.select_related("author").get(title=SHOWCASE_TITLE)
    queue = Comment.objects.pending_for(showcase.author)
    others = queue.exclude(talk=showcase)

    assert (queue.count(), others.count(), Comment.objects.count()) == (55, 30, 3000)
    # Dealt in turn over her 15 other talks.
    assert others.values("talk").distinct().count() == 15
    assert others.filter(talk__author=showcase.author).count() == 30
    assert "30 more wait on grace's other talks." in out


def test_the_other_comments_are_spread_over_the_other_talks_some_waiting(seeded):
    others = Comment.objects.exclude(talk=seeded)

    assert others.values("talk").distinct().count() > 250
    # About a tenth wait (--pending 0.1), none of them on the showcase speaker's talks.
    assert 200 < others.pending().count() < 360
    assert others.pending().filter(talk__author=seeded.author).exists() is False


def test_every_comment_names_its_talks_author(seeded):
    assert Comment.objects.exclude(talk_author=F("talk__author")).exists() is False


def test_the_speakers_share_the_talks_evenly(seeded):
    per_speaker = sorted(user.talks.count() for user in User.objects.all())

    # 299 talks dealt in turn to 20 speakers, then the showcase to grace.
    assert per_speaker == [14, *[15] * 18, 16]


def test_every_stored_body_is_its_markdown_rendered(seeded):
    pairs = set(Comment.objects.values_list("body", "body_html").distinct())

    assert len(pairs) == 10
    assert all(body_html == render_markdown(body) for body, body_html in pairs)


def test_some_comments_are_by_speakers_and_the_rest_by_visitors(seeded):
    by_speakers = Comment.objects.filter(author__isnull=False)

    assert by_speakers.exists() is True
    assert by_speakers.filter(approved=False).exists() is False
    assert by_speakers.filter(notify=True).exists() is False
    assert Comment.objects.filter(author__isnull=True, author_email="").exists() is False


def test_rows_go_in_bulk_whatever_their_number(db):
    def statements(**counts):
        with CaptureQueriesContext(connection) as queries:
            bench_seed(**counts)
        Comment.objects.all().delete()
        Talk.objects.all().delete()
        User.objects.all().delete()
        return len(queries)

    assert statements(talks=50, comments=500) == statements(talks=2000, comments=15000)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--speakers=0"], "--speakers must be at least 1"),
        (["--pending=1.5"], "--pending between 0 and 1"),
        (["--comments=10"], "--comments must count the showcase talk's and --speaker-pending's"),
        (["--comments=20", "--speaker-pending=10"], "must count the showcase talk's and"),
        (["--speaker-pending=-1"], "the other counts at least 0"),
        (["--talks=1", "--comments=100"], "need at least 2 talks"),
    ],
)
def test_impossible_counts_are_refused_with_a_reason(db, args, message):
    with pytest.raises(CommandError, match=message):
        seed(*args)
    assert Talk.objects.exists() is False


def test_the_summary_names_the_showcase_and_its_queue(db):
    out = bench_seed()
    showcase = Talk.objects.get(title=SHOWCASE_TITLE)

    assert "Added 20 speakers, 300 talks and 3000 comments." in out
    assert f"grace's talk {showcase.pk} has 40 comments published and 25 waiting." in out
