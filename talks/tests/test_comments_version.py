"""Talk.comments_version moves with every change to what a talk's comments show, whatever makes
the change, and never comes back to a number it has left (talks/comments_version.py)."""

import io

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import User
from conftest import make_comment, make_talk
from talks import comments_version
from talks.models import Comment, Talk


def version(talk):
    return Talk.objects.values_list("comments_version", flat=True).get(pk=talk.pk)


@pytest.fixture
def comment(talk):
    return make_comment(talk, approved=False)


def test_a_new_comment_moves_its_talks_version_alone(talk, david):
    other = make_talk(david, title="Another talk")
    before, other_before = version(talk), version(other)

    make_comment(talk)

    assert version(talk) > before
    assert version(other) == other_before


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda comment: comment.approve(), id="approved"),
        pytest.param(lambda comment: comment.delete(), id="deleted"),
        pytest.param(
            lambda comment: Comment.objects.filter(pk=comment.pk).update(pinned=True), id="update"
        ),
        pytest.param(
            lambda comment: Comment.objects.filter(pk=comment.pk).delete(), id="bulk delete"
        ),
        pytest.param(
            lambda comment: Comment.objects.bulk_create(
                [
                    Comment(
                        talk=comment.talk,
                        talk_author=comment.talk.author,
                        author_name="A",
                        author_email="a@example.org",
                    )
                ]
            ),
            id="bulk create",
        ),
    ],
)
def test_any_change_to_a_comment_moves_the_version(talk, comment, change):
    before = version(talk)

    change(comment)

    assert version(talk) > before


def test_a_comment_moved_to_another_talk_moves_both(talk, comment, david):
    other = make_talk(david, title="Another talk")
    before, other_before = version(talk), version(other)

    Comment.objects.filter(pk=comment.pk).update(talk=other)

    assert version(talk) > before
    assert version(other) > other_before


def test_a_commenters_new_name_moves_the_talks_they_commented_on(talk, david):
    commented = make_comment(talk, author=david)
    untouched = make_talk(david, title="David's own talk, no comments")
    before, untouched_before = version(talk), version(untouched)

    User.objects.filter(pk=commented.author_id).update(name="David Bowie")

    assert version(talk) > before
    assert version(untouched) == untouched_before


def test_a_commenters_login_leaves_the_version_alone(talk, david):
    make_comment(talk, author=david)
    before = version(talk)

    User.objects.filter(pk=david.pk).update(last_login=timezone.now())

    assert version(talk) == before


def test_a_talk_saved_from_an_older_copy_never_takes_an_older_version(talk):
    stale = Talk.objects.get(pk=talk.pk)
    make_comment(talk)
    seen = version(talk)

    stale.title = "Renamed from a copy loaded before the comment"
    stale.save()

    assert version(talk) > seen


def test_an_edit_of_the_talk_alone_keeps_the_version(talk):
    before = version(talk)

    Talk.objects.filter(pk=talk.pk).update(title="Renamed")

    assert version(talk) == before


@pytest.mark.skipif(
    connection.vendor != "sqlite", reason="SQLite's triggers step out of migrations"
)
def test_the_triggers_are_back_after_migrations(talk):
    comments_version.suspend_for_migrations(connection)
    before = version(talk)
    make_comment(talk)
    assert version(talk) == before  # gone while migrations run

    comments_version.install_after_migrations(connection)
    make_comment(talk)

    assert version(talk) > before


@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE is PostgreSQL's")
def test_emptying_the_comments_table_moves_every_version(talk, comment):
    before = version(talk)

    with connection.cursor() as cursor:
        # The test's comment left its deferred foreign-key checks pending, which TRUNCATE refuses.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("TRUNCATE talks_comment CASCADE")

    assert version(talk) > before


def test_seeding_moves_every_talks_version_once_and_leaves_the_triggers_on(talk, db):
    before = version(talk)

    call_command("seed_demo", talks=30, comments=20, stdout=io.StringIO())

    assert version(talk) == before + 1  # the one move after the bulk load, none per comment
    seeded = Talk.objects.exclude(pk=talk.pk)
    assert set(seeded.values_list("comments_version", flat=True)) == {1}
    showcase = seeded.order_by("-id").first()
    make_comment(showcase)
    assert version(showcase) == 2


def test_a_failed_bulk_load_leaves_the_triggers_on(talk):
    with pytest.raises(RuntimeError), transaction.atomic(), comments_version.bulk_load():
        raise RuntimeError("the load failed")
    before = version(talk)

    make_comment(talk)

    assert version(talk) > before
