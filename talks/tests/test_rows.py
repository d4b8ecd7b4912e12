"""Rows read as values make the same instances select_related() and only() would, at no query."""

import pytest
from django.contrib.auth.models import AnonymousUser

from conftest import make_comment
from talks.fragments import fingerprint
from talks.models import QUEUE_FIELDS, THREAD_ORDER, Comment
from talks.rows import Rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def reply(talk, susan):
    question = make_comment(talk, author=susan, body="What about *caching*?")
    return make_comment(talk, parent=question, author_name="Ann", approved=False, body="Same")


def test_each_value_lands_in_its_own_field_whatever_the_order_asked(talk, reply):
    # Talk declares slides_url before video_url: asked the other way round, each stays its own.
    talk.video_url, talk.slides_url = "https://youtu.be/abcdefghijk", "https://example.org/deck"
    talk.save()
    fields = ("talk__video_url", "body_html", "talk__slides_url", "id", "talk__id", "talk_id")
    rows = Rows.read(Comment.objects.filter(pk=reply.pk), fields)

    [comment] = rows
    assert (comment.pk, comment.body_html) == (reply.pk, reply.body_html)
    assert (comment.talk.video_url, comment.talk.slides_url) == (talk.video_url, talk.slides_url)


def test_a_queue_built_from_rows_is_the_queue_as_instances(talk, reply, django_assert_num_queries):
    queue = Comment.objects.pending_on_all_talks()
    with django_assert_num_queries(1):
        rows = Rows.read(queue, QUEUE_FIELDS)
    expected = list(queue)

    with django_assert_num_queries(0):
        built = list(rows)
        shown = [what_the_queue_shows(comment) for comment in built]
    assert built == expected
    assert shown == [what_the_queue_shows(comment) for comment in expected]


def test_a_source_reads_what_the_queryset_narrowed_to_its_fields_does(talk, reply):
    source = Rows.source(Comment, QUEUE_FIELDS)
    queue = Comment.objects.pending_on_all_talks()

    assert Rows.read(source.pending_on_all_talks(), QUEUE_FIELDS).values == list(
        queue.values_list(*QUEUE_FIELDS)
    )
    # Asked for other fields, a source's queryset is narrowed to those.
    assert Rows.read(source.order_by("id"), ("id", "body")).values == [
        (reply.parent_id, reply.parent.body),
        (reply.pk, reply.body),
    ]


def what_the_queue_shows(comment):
    return (
        comment.pk,
        comment.display_name,
        comment.author_email,
        comment.created_at,
        comment.talk.title,
        comment.talk.get_absolute_url(),
        comment.parent.display_name,
        comment.parent.author.get_absolute_url(),
    )


def test_no_row_joined_is_none_and_costs_no_query(talk, django_assert_num_queries):
    make_comment(talk, author_name="Ann")
    rows = Rows.read(
        Comment.objects.all(), ("id", "author_id", "author_name", "author__id", "author__name")
    )
    with django_assert_num_queries(0):
        [comment] = rows
        assert comment.author is None
        assert comment.display_name == "Ann"


def test_a_column_not_read_is_deferred_as_with_only(talk, django_assert_num_queries):
    make_comment(talk, body="Deferred")
    [comment] = Rows.read(Comment.objects.all(), ("id",))
    with django_assert_num_queries(1):
        assert comment.body == "Deferred"


@pytest.mark.parametrize(
    ("fields", "missing"),
    [
        (("body", "talk__id"), "read id too"),
        (("id", "author__name"), "author__id"),
        (("id", "parent__author__id"), "parent__id"),
    ],
)
def test_rows_without_a_primary_key_to_build_on_are_refused(talk, fields, missing):
    make_comment(talk)
    with pytest.raises(ValueError, match=missing):
        list(Rows.read(Comment.objects.all(), fields))


def test_the_digest_of_rows_follows_every_value_read(talk, john):
    comment = make_comment(talk, author=john)
    queryset = Comment.objects.order_by(*THREAD_ORDER)
    fields = ("id", "pinned", "author_id", "author__id", "author__name")
    before = fingerprint(Rows.read(queryset, fields))
    assert fingerprint(Rows.read(queryset, fields)) == before

    john.name = "John Renamed"
    john.save()
    renamed = fingerprint(Rows.read(queryset, fields))
    Comment.objects.filter(pk=comment.pk).update(pinned=True)
    pinned = fingerprint(Rows.read(queryset, fields))
    assert len({before, renamed, pinned}) == 3


def test_a_thread_page_gives_each_comment_the_replies_its_reader_may_see(talk, john, reply):
    [question] = Comment.objects.thread_page(talk, john, None)
    assert question.shown_replies == [reply]  # the talk's author sees the waiting reply

    [question] = Comment.objects.thread_page(talk, AnonymousUser(), None)
    assert question.shown_replies == []
