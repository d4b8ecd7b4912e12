import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import make_comment, make_talk
from talks.context_processors import moderation
from talks.models import Comment


def comment_ids(response):
    return [int(pk) for pk in re.findall(r'<article id="comment-(\d+)"', response.content.decode())]


def badges(response):
    html = response.content.decode()
    return dict(re.findall(r'data-pending-count="(\w+)">(\d+)<', html))


@pytest.fixture
def queue(talk, david):
    """john's talk: one approved, one pending; david's talk: one pending."""
    return {
        "approved": make_comment(talk, approved=True),
        "pending": make_comment(talk, approved=False, author_email="pat@example.org"),
        "other": make_comment(make_talk(david, title="David's talk"), approved=False),
    }


# --- The moderation lists ---------------------------------------------------------------


def test_moderation_lists_for_a_speaker_and_an_admin(talk, john, susan):
    make_comment(talk, approved=True)
    pending = make_comment(talk, approved=False)

    assert list(Comment.objects.pending_for(john)) == [pending]
    assert list(Comment.objects.pending_for(susan)) == []  # she owns no talk
    assert list(Comment.objects.pending_on_all_talks()) == [pending]


def test_pending_counts_for_a_speaker_and_an_admin(queue, john, susan, david):
    assert Comment.objects.pending_counts(john) == {"mine": 1, "all": None}
    assert Comment.objects.pending_counts(david) == {"mine": 1, "all": None}
    assert Comment.objects.pending_counts(susan) == {"mine": 0, "all": 2}


# --- Each comment names its talk's author: the speaker's queue follows a talk's hand-over ------


def talk_form(talk, **changes):
    fields = ("title", "description", "slides_url", "video_url", "venue", "venue_url")
    return {
        **{name: getattr(talk, name) for name in fields},
        "author": talk.author_id,
        "date": talk.date.isoformat(),
        **changes,
    }


def test_a_talk_handed_to_another_speaker_in_the_admin_takes_its_queue_along(
    susan_client, queue, talk, john, david
):
    url = reverse("admin:talks_talk_change", args=[talk.pk])

    response = susan_client.post(url, talk_form(talk, author=david.pk))

    assert response.status_code == 302
    assert Comment.objects.pending_counts(john)["mine"] == 0
    assert list(Comment.objects.pending_for(david)) == [queue["pending"], queue["other"]]
    assert set(talk.comments.values_list("talk_author", flat=True)) == {david.pk}


def test_a_comment_moved_to_another_talk_in_the_admin_moves_to_that_speakers_queue(
    susan_client, queue, john, david
):
    comment = queue["pending"]
    davids_talk = queue["other"].talk
    form = {
        "talk": davids_talk.pk,
        "author": "",
        "author_name": comment.author_name,
        "author_email": comment.author_email,
        "body": comment.body,
        "notify": "on",
    }

    susan_client.post(reverse("admin:talks_comment_change", args=[comment.pk]), form)

    assert Comment.objects.pending_counts(john)["mine"] == 0
    assert Comment.objects.pending_counts(david)["mine"] == 2


@pytest.mark.skipif(
    connection.vendor != "sqlite", reason="PostgreSQL plans tiny tables with a sequential scan"
)
def test_a_speakers_queue_and_badge_read_their_own_index(queue, john):
    for plan in (
        Comment.objects.pending_for(john).explain(),
        Comment.objects.pending().filter(talk_author=john).values("pk").explain(),
    ):
        assert "comment_pending_author_idx" in plan


def test_a_queue_page_reads_its_ids_from_the_comments_alone(queue, john):
    # Joined there to the talks, PostgreSQL walked every speaker's waiting comments: 300 ms.
    with CaptureQueriesContext(connection) as queries:
        Comment.objects.queue_page(None, john)
    [page] = queries.captured_queries
    ids = page["sql"].partition(" IN (SELECT ")[2]

    assert ids
    assert "JOIN" not in ids


# --- /moderate/ and /moderate/admin/ --------------------------------------------------------


def test_the_moderation_page_lists_the_speakers_own_waiting_comments(john_client, queue):
    response = john_client.get(reverse("talks:moderate"))
    html = response.content.decode()

    assert response.status_code == 200
    assert comment_ids(response) == [queue["pending"].pk]
    assert "pat@example.org" in html
    assert 'on <a href="/talk/' in html  # each with its talk
    assert f'data-api-url="/api/1.0/comments/{queue["pending"].pk}"' in html


def test_a_speaker_with_nothing_waiting_sees_an_empty_queue(susan_client, queue):
    response = susan_client.get(reverse("talks:moderate"))

    assert comment_ids(response) == []
    assert "No comments are waiting." in response.content.decode()
    assert "pat@example.org" not in response.content.decode()


def test_the_admin_queue_lists_every_waiting_comment(susan_client, queue):
    response = susan_client.get(reverse("talks:moderate_admin"))

    assert response.status_code == 200
    assert comment_ids(response) == [queue["pending"].pk, queue["other"].pk]


def test_the_admin_queue_is_403_for_a_speaker(john_client, queue):
    response = john_client.get(reverse("talks:moderate_admin"))

    assert response.status_code == 403
    assert "pat@example.org" not in response.content.decode()


@pytest.mark.parametrize("name", ["talks:moderate", "talks:moderate_admin"])
def test_the_moderation_pages_send_visitors_to_log_in(client, queue, name):
    response = client.get(reverse(name))

    assert response.status_code == 302
    assert response["Location"] == f"/auth/login/?next={reverse(name)}"


def test_the_moderation_queue_is_paged(settings, john_client, talk):
    settings.COMMENTS_PER_PAGE = 2
    comments = [make_comment(talk, approved=False) for _ in range(3)]

    first = john_client.get(reverse("talks:moderate"))
    second = john_client.get(reverse("talks:moderate") + "?page=2")

    assert comment_ids(first) == [comments[0].pk, comments[1].pk]
    assert comment_ids(second) == [comments[2].pk]
    assert 'href="/moderate/?page=2" rel="next"' in first.content.decode()


# --- Navbar badges --------------------------------------------------------------------------


def test_the_navbar_shows_the_speakers_count(john_client, queue):
    response = john_client.get("/")

    assert badges(response) == {"mine": "1"}


def test_the_navbar_shows_an_admin_both_counts(susan_client, queue):
    response = susan_client.get("/")

    assert badges(response) == {"mine": "0", "all": "2"}


def test_visitors_have_no_moderation_links(client, queue):
    html = client.get("/").content.decode()

    assert badges(client.get("/")) == {}
    assert "/moderate/" not in html


def test_the_counts_cost_one_query_and_only_when_shown(rf, susan, queue, django_assert_num_queries):
    request = rf.get("/")
    request.user = susan
    context = moderation(request)

    with django_assert_num_queries(0):
        moderation(request)
    with django_assert_num_queries(1):
        assert context["pending_counts"]["all"] == 2
        assert context["pending_counts"]["mine"] == 0


def test_a_visitor_gets_no_counts_and_no_query(db, django_assert_num_queries):
    request = RequestFactory().get("/")
    request.user = AnonymousUser()

    with django_assert_num_queries(0):
        assert dict(moderation(request)["pending_counts"]) == {}


# --- The buttons without JavaScript ---------------------------------------------------------


def approve(client, comment, **data):
    return client.post(reverse("talks:comment_approve", args=[comment.pk]), data)


def delete(client, comment, **data):
    return client.post(reverse("talks:comment_delete", args=[comment.pk]), data)


def test_the_author_approves_from_the_form_and_returns_to_the_page(john_client, queue, talk):
    response = approve(john_client, queue["pending"], next=f"/talk/{talk.pk}/")

    assert response.status_code == 302
    assert response["Location"] == f"/talk/{talk.pk}/"
    assert Comment.objects.get(pk=queue["pending"].pk).approved is True
    messages = [str(m) for m in john_client.get(response["Location"]).context["messages"]]
    assert messages == ["The comment was approved."]


def test_the_author_deletes_from_the_form(john_client, queue, talk):
    response = delete(john_client, queue["pending"])

    assert response["Location"] == f"/talk/{talk.pk}/#comments"
    assert Comment.objects.filter(pk=queue["pending"].pk).exists() is False


def test_an_admin_uses_the_forms_on_any_talk(susan_client, queue):
    approve(susan_client, queue["other"], next="/moderate/admin/")

    assert Comment.objects.get(pk=queue["other"].pk).approved is True


def test_another_speaker_gets_403_from_the_forms(david_client, queue):
    assert approve(david_client, queue["pending"]).status_code == 403
    assert delete(david_client, queue["pending"]).status_code == 403
    assert Comment.objects.get(pk=queue["pending"].pk).approved is False


def test_visitors_are_sent_to_log_in_by_the_forms(client, queue):
    response = delete(client, queue["pending"])

    assert response.status_code == 302
    assert response["Location"].startswith("/auth/login/")
    assert Comment.objects.filter(pk=queue["pending"].pk).exists() is True


def test_the_forms_refuse_get(john_client, queue):
    url = reverse("talks:comment_approve", args=[queue["pending"].pk])

    assert john_client.get(url).status_code == 405


def test_the_forms_404_for_an_unknown_comment(john_client, db):
    assert john_client.post(reverse("talks:comment_approve", args=[999])).status_code == 404


def test_the_forms_explain_a_comment_in_the_wrong_state(john_client, queue, talk):
    response = delete(john_client, queue["approved"], next="/moderate/")

    assert response["Location"] == "/moderate/"
    messages = [str(m) for m in john_client.get("/moderate/").context["messages"]]
    assert messages == ["An approved comment cannot be deleted here."]
    assert Comment.objects.filter(pk=queue["approved"].pk).exists() is True


def test_the_forms_never_redirect_to_another_site(john_client, queue, talk):
    response = approve(john_client, queue["pending"], next="https://evil.example/")

    assert response["Location"] == f"/talk/{talk.pk}/#comments"
