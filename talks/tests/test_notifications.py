"""Who is told about a comment, and the outbox rows a saved comment writes."""

import datetime

import pytest
from django.core import mail
from django.db import IntegrityError
from django.utils import timezone

from conftest import make_comment, make_talk, make_user
from talks.models import Comment, EmailAddress, OutboxEmail, Recipient
from talks.services import approve_comment, create_comment

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("confirmed_visitors")]

Kind = OutboxEmail.Kind


@pytest.fixture
def thread(talk, susan):
    """A talk by john with six comments (c4 still pending), by visitors and by susan."""
    return {
        "c1": make_comment(talk, author_name="n1", author_email="e@e.com", notify=True),
        "c2": make_comment(talk, author_name="n2", author_email="e2@e2.com", notify=False),
        "c3": make_comment(talk, author=susan),
        "c4": make_comment(talk, author_name="n4", author_email="e4@e4.com", approved=False),
        "c5": make_comment(talk, author=susan),
        "c6": make_comment(talk, author_name="n6", author_email="e6@e6.com", notify=False),
    }


def pending_rows(talk):
    rows = OutboxEmail.objects.pending().filter(talk=talk).order_by("address")
    return [(row.address, row.kind, sorted(c.pk for c in row.comments.all())) for row in rows]


# --- The rule: comment.recipients() -----------------------------------------------------------


def test_publishing_c4_tells_notify_on_visitors_and_users_but_not_its_author(thread):
    thread["c4"].approve()

    assert thread["c4"].recipients() == [
        Recipient("e@e.com", "n1", "en"),
        Recipient("susan@example.com", "Susan", "en"),
    ]


def test_publishing_c5_tells_neither_the_talk_author_nor_a_still_pending_commenter(thread):
    assert thread["c5"].recipients() == [Recipient("e@e.com", "n1", "en")]


def test_a_pending_commenter_is_told_once_their_comment_is_approved(thread):
    thread["c4"].approve()

    assert thread["c5"].recipients() == [
        Recipient("e@e.com", "n1", "en"),
        Recipient("e4@e4.com", "n4", "en"),
    ]


def test_an_address_is_told_once_however_many_comments_and_however_it_is_cased(talk, david):
    make_comment(talk, author_name="Eve", author_email="eve@example.org")
    make_comment(talk, author_name="Eve again", author_email="EVE@Example.org")
    make_comment(talk, author=david)
    make_comment(talk, author=david)
    new = make_comment(talk, author_name="New", author_email="new@example.org")

    assert new.recipients() == [
        Recipient("eve@example.org", "Eve", "en"),
        Recipient("david@example.com", "David", "en"),
    ]


def test_the_talk_author_is_never_told_of_new_comments_even_as_a_visitor(talk, john):
    make_comment(talk, author=john)
    make_comment(talk, author_name="John", author_email="JOHN@example.com")
    new = make_comment(talk, author_name="New", author_email="new@example.org")

    assert new.recipients() == []


def test_a_commenter_is_not_told_of_their_own_comment_whatever_the_case(talk, david):
    make_comment(talk, author_name="Eve", author_email="eve@example.org")
    make_comment(talk, author=david)
    own = make_comment(talk, author_name="Eve", author_email="Eve@Example.org")
    as_visitor = make_comment(talk, author_name="David", author_email="DAVID@example.com")

    assert own.recipients() == [Recipient("david@example.com", "David", "en")]
    assert as_visitor.recipients() == [Recipient("eve@example.org", "Eve", "en")]


def test_a_pending_comment_subscribes_nobody(talk):
    make_comment(talk, author_name="Stranger", author_email="stranger@example.org", approved=False)
    new = make_comment(talk, author_name="New", author_email="new@example.org")

    assert new.recipients() == []


def test_a_user_whose_comments_all_have_notify_off_is_not_told(talk, david):
    make_comment(talk, author=david, notify=False)
    new = make_comment(talk, author_name="New", author_email="new@example.org")

    assert new.recipients() == []


def test_a_speaker_who_commented_through_the_site_hears_of_the_next_published_comment(talk, david):
    create_comment(talk=talk, user=david, body="Thanks!")
    visitor = create_comment(
        talk=talk, body="Me too", author_name="New", author_email="new@example.org"
    )
    approve_comment(visitor)

    assert visitor.recipients() == [Recipient("david@example.com", "David", "en")]


def test_comments_on_other_talks_subscribe_nobody_here(talk, john):
    other = make_talk(john, title="Another talk")
    make_comment(other, author_name="Elsewhere", author_email="elsewhere@example.org")
    new = make_comment(talk, author_name="New", author_email="new@example.org")

    assert new.recipients() == []


def test_a_waiting_comment_is_for_the_talk_author_alone(thread, john):
    assert thread["c4"].recipients() == [Recipient("john@example.com", "John Doe", "en")]


def test_the_talk_author_is_not_asked_to_review_a_comment_from_their_own_address(talk):
    waiting = make_comment(
        talk, author_name="Me", author_email="John@Example.com", approved=False, notify=True
    )

    assert waiting.recipients() == []


def test_recipients_take_two_queries_however_many_subscribers(talk, django_assert_num_queries):
    for number in range(20):
        make_comment(talk, author_name=f"n{number}", author_email=f"e{number}@example.org")
        EmailAddress.objects.confirm(f"e{number}@example.org")
    new = Comment.objects.get(pk=make_comment(talk, author_email="new@example.org").pk)

    with django_assert_num_queries(3):  # the talk, its author, the subscribers
        recipients = new.recipients()

    assert len(recipients) == 20


# --- Saving a comment writes the outbox rows ------------------------------------------------


def test_a_visitor_comment_waiting_queues_one_email_to_the_talk_author(talk):
    waiting = make_comment(talk, author_email="v@example.org", approved=False)

    assert pending_rows(talk) == [("john@example.com", Kind.MODERATION, [waiting.pk])]


def test_approving_queues_one_email_per_subscriber_and_nothing_for_the_author(thread, talk):
    OutboxEmail.objects.all().delete()

    thread["c4"].approve()

    assert pending_rows(talk) == [
        ("e4@e4.com", Kind.COMMENT_APPROVED, [thread["c4"].pk]),
        ("e@e.com", Kind.NEW_COMMENTS, [thread["c4"].pk]),
        ("susan@example.com", Kind.NEW_COMMENTS, [thread["c4"].pk]),
    ]


def test_approving_through_a_fresh_instance_queues_the_same(thread, talk):
    OutboxEmail.objects.all().delete()

    Comment.objects.get(pk=thread["c4"].pk).approve()

    assert [row[:2] for row in pending_rows(talk)] == [
        ("e4@e4.com", Kind.COMMENT_APPROVED),
        ("e@e.com", Kind.NEW_COMMENTS),
        ("susan@example.com", Kind.NEW_COMMENTS),
    ]


def test_saving_an_approved_comment_again_queues_nothing(thread, talk):
    OutboxEmail.objects.all().delete()
    c1 = Comment.objects.get(pk=thread["c1"].pk)

    c1.body = "Edited"
    c1.save()
    c1.approve()
    thread["c5"].refresh_from_db()
    thread["c5"].save()

    assert pending_rows(talk) == []


def test_saving_a_waiting_comment_again_queues_nothing_more(talk):
    waiting = make_comment(talk, author_email="v@example.org", approved=False)
    OutboxEmail.objects.all().delete()

    waiting.body = "Edited"
    waiting.save()

    assert pending_rows(talk) == []


def test_loading_fixtures_queues_nothing(talk, susan):
    comment = Comment(talk=talk, author=susan, body="Hi", body_html="<p>Hi</p>", approved=True)
    from django.db.models.signals import post_save

    post_save.send(Comment, instance=comment, created=True, raw=True)

    assert pending_rows(talk) == []


def test_more_comments_before_the_flush_join_the_one_pending_email(talk):
    first = make_comment(talk, author_name="n1", author_email="e@e.com")
    replies = [make_comment(talk, author_email=f"r{n}@example.org") for n in range(3)]

    assert OutboxEmail.objects.filter(address="e@e.com").count() == 1
    assert pending_rows(talk)[0] == ("e@e.com", Kind.NEW_COMMENTS, [c.pk for c in replies])
    assert first.pk not in pending_rows(talk)[0][2]


def test_a_new_email_is_queued_once_the_pending_one_was_sent(talk):
    make_comment(talk, author_name="n1", author_email="e@e.com")
    make_comment(talk, author_email="r1@example.org")
    OutboxEmail.objects.update(sent_at=timezone.now())

    second = make_comment(talk, author_email="r2@example.org")

    assert OutboxEmail.objects.filter(address="e@e.com").count() == 2
    assert pending_rows(talk)[0] == ("e@e.com", Kind.NEW_COMMENTS, [second.pk])


def test_the_database_refuses_a_second_pending_email_for_an_address_and_talk(talk):
    OutboxEmail.objects.create(talk=talk, address="e@e.com", kind=Kind.NEW_COMMENTS)

    with pytest.raises(IntegrityError):
        OutboxEmail.objects.create(talk=talk, address="e@e.com", kind=Kind.NEW_COMMENTS)


@pytest.mark.parametrize("subscribers", [1, 30])
def test_queueing_takes_the_same_queries_for_one_subscriber_or_thirty(
    talk, subscribers, django_assert_num_queries
):
    for number in range(subscribers):
        make_comment(talk, author_name=f"n{number}", author_email=f"e{number}@example.org")
        EmailAddress.objects.confirm(f"e{number}@example.org")
    comment = make_comment(talk, author_email="new@example.org", approved=False)
    comment = Comment.objects.select_related("talk__author").get(pk=comment.pk)
    OutboxEmail.objects.all().delete()

    # the update; recipients, savepoint, insert rows, lock and read them, link the comment,
    # release; then the same for the commenter's notice, after reading that its address is
    # confirmed
    with django_assert_num_queries(13):
        comment.approve()

    assert OutboxEmail.objects.pending().filter(talk=talk, kind=Kind.NEW_COMMENTS).count() == (
        subscribers
    )
    assert OutboxEmail.objects.pending().filter(talk=talk, kind=Kind.COMMENT_APPROVED).count() == 1


def test_delivery_is_asked_for_once_the_comment_commits_and_not_before(
    talk, settings, django_capture_on_commit_callbacks
):
    settings.MAIL_FLUSH_INTERVAL = 0
    make_comment(talk, author_name="n1", author_email="e@e.com")

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        make_comment(talk, author_email="new@example.org")
    assert mail.outbox == []
    for callback in callbacks:
        callback()

    assert [message.to for message in mail.outbox] == [["e@e.com"]]
    assert OutboxEmail.objects.pending().count() == 0


def test_a_rolled_back_comment_leaves_no_email_behind(talk):
    from django.db import transaction

    make_comment(talk, author_name="n1", author_email="e@e.com")
    OutboxEmail.objects.all().delete()

    with pytest.raises(RuntimeError), transaction.atomic():
        make_comment(talk, author_email="new@example.org")
        raise RuntimeError("the request failed after saving")

    assert OutboxEmail.objects.count() == 0


def test_a_comment_joining_a_pending_email_does_not_ask_for_another_delivery(
    talk, django_capture_on_commit_callbacks
):
    make_comment(talk, author_name="n1", author_email="e@e.com")

    with django_capture_on_commit_callbacks() as first:
        make_comment(talk, author_email="r1@example.org", notify=False)
    with django_capture_on_commit_callbacks() as second:
        make_comment(talk, author_email="r2@example.org", notify=False)

    assert (len(first), len(second)) == (1, 0)


def test_a_pending_email_keeps_the_age_of_its_first_comment(talk):
    """A row's age decides when it goes: it is set once, when the row is made."""
    make_comment(talk, author_name="n1", author_email="e@e.com")
    make_comment(talk, author_email="r1@example.org", notify=False)
    made = OutboxEmail.objects.get().created_at

    make_comment(talk, author_email="r2@example.org", notify=False)

    assert OutboxEmail.objects.get().created_at == made
    assert made <= timezone.now() < made + datetime.timedelta(minutes=1)


def test_a_user_is_told_at_their_account_address(talk):
    user = make_user("eve", email="Eve@Example.org", name="Eve")
    make_comment(talk, author=user)

    make_comment(talk, author_email="new@example.org")

    assert pending_rows(talk)[0][0] == "eve@example.org"
    assert OutboxEmail.objects.get().name == "Eve"
