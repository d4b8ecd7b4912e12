import re

import pytest
from django.urls import reverse

from conftest import make_comment, make_talk
from talks.comments import comment_published
from talks.models import Comment

CHANGELIST = reverse("admin:talks_comment_changelist")


def listed(response):
    """The comment ids on an admin changelist page, in order."""
    html = response.content.decode()
    return [int(pk) for pk in re.findall(r'name="_selected_action" value="(\d+)"', html)]


@pytest.fixture
def comments(talk, david):
    other_talk = make_talk(david, title="Other talk")
    return {
        "approved": make_comment(talk, author_name="Ann", author_email="ann@example.org"),
        "pending": make_comment(
            talk, approved=False, author_name="Bob", body="About **decorators**"
        ),
        "other": make_comment(
            other_talk, approved=False, author_email="carol@example.org", body="Hi"
        ),
    }


def test_the_changelist_lists_comments_newest_first(susan_client, comments):
    response = susan_client.get(CHANGELIST)

    assert response.status_code == 200
    assert listed(response) == [
        comments["other"].pk,
        comments["pending"].pk,
        comments["approved"].pk,
    ]


def test_the_changelist_filters_by_approved(susan_client, comments):
    assert listed(susan_client.get(CHANGELIST, {"approved__exact": "1"})) == [
        comments["approved"].pk
    ]
    assert listed(susan_client.get(CHANGELIST, {"approved__exact": "0"})) == [
        comments["other"].pk,
        comments["pending"].pk,
    ]


def test_the_changelist_filters_by_talk(susan_client, comments, talk):
    response = susan_client.get(CHANGELIST, {"talk": str(talk.pk)})

    assert listed(response) == [comments["pending"].pk, comments["approved"].pk]


def test_the_talk_filter_offers_the_talks_with_waiting_comments(susan_client, comments, talk):
    make_talk(talk.author, title="Quiet talk")

    response = susan_client.get(CHANGELIST)

    choices = [
        choice["display"]
        for choice in response.context["cl"].filter_specs[1].choices(response.context["cl"])
    ]
    assert choices == ["All", "Flask by Example", "Other talk"]


def test_a_bad_talk_filter_value_is_not_a_500(susan_client, comments):
    response = susan_client.get(CHANGELIST, {"talk": "abc"})

    assert response.status_code == 302
    assert response["Location"] == f"{CHANGELIST}?e=1"


@pytest.mark.parametrize(
    ("query", "key"), [("decorators", "pending"), ("Ann", "approved"), ("carol@", "other")]
)
def test_the_changelist_searches_body_name_and_email(susan_client, comments, query, key):
    assert listed(susan_client.get(CHANGELIST, {"q": query})) == [comments[key].pk]


def test_the_approve_action_approves_each_comment_through_comment_approve(susan_client, comments):
    published = []

    def record(sender, comment, **kwargs):
        published.append(comment.pk)

    selected = [comments["pending"].pk, comments["other"].pk, comments["approved"].pk]
    comment_published.connect(record, sender=Comment)
    try:
        response = susan_client.post(
            CHANGELIST, {"action": "approve_comments", "_selected_action": selected}, follow=True
        )
    finally:
        comment_published.disconnect(record, sender=Comment)

    assert sorted(published) == sorted([comments["pending"].pk, comments["other"].pk])
    assert Comment.objects.filter(approved=False).count() == 0
    assert [str(m) for m in response.context["messages"]] == ["Approved 2 comments."]


def test_the_delete_action_deletes_the_selected_comments(susan_client, comments):
    selected = [comments["pending"].pk, comments["approved"].pk]

    confirm = susan_client.post(
        CHANGELIST, {"action": "delete_selected", "_selected_action": selected}
    )
    done = susan_client.post(
        CHANGELIST, {"action": "delete_selected", "_selected_action": selected, "post": "yes"}
    )

    assert confirm.status_code == 200  # Django's confirmation page
    assert done.status_code == 302
    assert list(Comment.objects.values_list("pk", flat=True)) == [comments["other"].pk]


def test_comments_are_not_added_in_the_admin(susan_client, db):
    assert susan_client.get(reverse("admin:talks_comment_add")).status_code == 403


def test_editing_a_body_in_the_admin_re_renders_it_and_approval_stays_read_only(
    susan_client, comments
):
    comment = comments["pending"]
    url = reverse("admin:talks_comment_change", args=[comment.pk])
    form = {
        "talk": comment.talk_id,
        "author": "",
        "author_name": "Bob",
        "author_email": "visitor@example.org",
        "body": "Now *edited*",
        "notify": "on",
        "approved": "on",
    }

    response = susan_client.post(url, form)

    comment.refresh_from_db()
    assert response.status_code == 302
    assert (comment.body_html, comment.approved) == ("<p>Now <em>edited</em></p>", False)


def test_the_comment_admin_is_for_admins_only(john_client, comments):
    response = john_client.get(CHANGELIST)

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_the_changelist_shows_and_filters_replies(susan_client, comments, talk):
    reply = make_comment(talk, parent=comments["approved"], author_name="Cy", body="Reply")

    replies = susan_client.get(CHANGELIST, {"kind": "reply"})
    top_level = susan_client.get(CHANGELIST, {"kind": "top"})

    assert listed(replies) == [reply.pk]
    assert f"#{comments['approved'].pk} by Ann" in replies.content.decode()
    assert reply.pk not in listed(top_level)
    assert len(listed(top_level)) == 3
