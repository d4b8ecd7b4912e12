"""A queryset built once is cloned for each use: never stale, never shared."""

import pytest

from conftest import make_comment
from talks.models import Comment
from talks.prepared import built_once

pytestmark = pytest.mark.django_db


@built_once
def published_ids(model, field):
    return model._default_manager.approved().order_by(field).values_list(field, flat=True)


def test_each_call_gets_a_clone_that_reads_the_rows_of_its_moment(talk):
    first = published_ids(Comment, "id")
    assert list(first) == []
    comment = make_comment(talk, approved=True)

    second = published_ids(Comment, "id")

    assert second is not first
    assert list(second) == [comment.pk]
    # Each clone keeps what it read, as any queryset does.
    assert list(first) == []


def test_a_clone_filtered_further_leaves_the_next_call_unfiltered(talk):
    kept, other = make_comment(talk, approved=True), make_comment(talk, approved=True)

    assert list(published_ids(Comment, "id").exclude(pk=other.pk)) == [kept.pk]
    assert list(published_ids(Comment, "id")) == [kept.pk, other.pk]


def test_each_set_of_arguments_is_built_on_its_own(talk):
    comment = make_comment(talk, approved=True)

    assert list(published_ids(Comment, "id")) == [comment.pk]
    assert list(published_ids(Comment, "talk_id")) == [talk.pk]
