"""A comment's moderation paths are what reverse() gives, without a reverse() per comment."""

import pytest
from django.urls import (
    NoReverseMatch,
    clear_script_prefix,
    include,
    path,
    reverse,
    set_script_prefix,
)

from talks.api import views
from talks.paths import path_with_pk

# Another URLconf, for the test that swaps to it: the API somewhere else.
urlpatterns = [
    path(
        "v2/",
        include(([path("c/<int:pk>/", views.CommentView.as_view(), name="comment")], "api")),
    )
]

NAMES = ["talks:comment_approve", "talks:comment_delete", "api:comment"]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("pk", [1, 42, 10**17])
def test_a_path_is_the_one_reverse_gives(name, pk):
    assert path_with_pk(name, pk) == reverse(name, args=[pk])


def test_a_script_prefix_is_followed():
    path_with_pk("talks:comment_approve", 7)
    set_script_prefix("/talks-site/")
    try:
        assert path_with_pk("talks:comment_approve", 7) == "/talks-site/comments/7/approve/"
    finally:
        clear_script_prefix()
    assert path_with_pk("talks:comment_approve", 7) == "/comments/7/approve/"


def test_another_urlconf_is_followed(settings):
    assert path_with_pk("api:comment", 7) == "/api/1.0/comments/7"
    settings.ROOT_URLCONF = __name__

    assert path_with_pk("api:comment", 7) == "/v2/c/7/"


def test_the_comment_names_its_paths(talk):
    from conftest import make_comment

    comment = make_comment(talk, approved=False)

    assert comment.paths._asdict() == {
        "approve": f"/comments/{comment.pk}/approve/",
        "delete": f"/comments/{comment.pk}/delete/",
        "trust": f"/comments/{comment.pk}/trust/",
        "pin": f"/comments/{comment.pk}/pin/",
        "unpin": f"/comments/{comment.pk}/unpin/",
        "answered": f"/comments/{comment.pk}/answered/",
        "unanswered": f"/comments/{comment.pk}/unanswered/",
        "api": f"/api/1.0/comments/{comment.pk}",
        "api_pin": f"/api/1.0/comments/{comment.pk}/pin",
        "api_answered": f"/api/1.0/comments/{comment.pk}/answered",
    }


def test_a_pattern_without_one_integer_argument_is_refused():
    with pytest.raises(NoReverseMatch):
        path_with_pk("talks:moderate", 1)
