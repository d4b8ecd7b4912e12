import re

from django.urls import reverse

from conftest import make_comment
from talks.models import OutboxEmail

CHANGELIST = reverse("admin:talks_outboxemail_changelist")


def listed(response):
    html = response.content.decode()
    return [int(pk) for pk in re.findall(r'name="_selected_action" value="(\d+)"', html)]


def test_admins_see_pending_and_sent_emails_filtered_by_state(susan_client, talk):
    make_comment(talk, approved=False, notify=False)  # tells john that a comment waits
    waiting = OutboxEmail.objects.get()
    sent = OutboxEmail.objects.create(talk=talk, address="old@example.org", kind="new_comments")
    OutboxEmail.objects.filter(pk=sent.pk).update(sent_at=sent.created_at)

    assert listed(susan_client.get(CHANGELIST)) == [sent.pk, waiting.pk]
    assert listed(susan_client.get(CHANGELIST, {"state": "pending"})) == [waiting.pk]
    assert listed(susan_client.get(CHANGELIST, {"state": "sent"})) == [sent.pk]


def test_outbox_rows_cannot_be_added_or_edited_in_the_admin(susan_client, talk):
    make_comment(talk, approved=False, notify=False)
    row = OutboxEmail.objects.get()

    assert susan_client.get(reverse("admin:talks_outboxemail_add")).status_code == 403
    page = susan_client.get(reverse("admin:talks_outboxemail_change", args=[row.pk]))
    assert page.status_code == 200
    assert 'name="address"' not in page.content.decode()


def test_speakers_cannot_open_the_outbox(john_client):
    assert john_client.get(CHANGELIST).status_code == 302


def test_an_email_given_up_on_is_kept_and_listed_as_failed_with_its_error(susan_client, talk):
    make_comment(talk, approved=False, notify=False)
    waiting = OutboxEmail.objects.get()
    failed = OutboxEmail.objects.create(talk=talk, address="bad@example.org", kind="new_comments")
    OutboxEmail.objects.filter(pk=failed.pk).update(
        failed_at=failed.created_at, attempts=8, last_error="SMTPDataError: 550 No such user"
    )

    page = susan_client.get(CHANGELIST, {"state": "failed"})

    assert listed(page) == [failed.pk]
    assert "550 No such user" in page.content.decode()
    assert listed(susan_client.get(CHANGELIST, {"state": "pending"})) == [waiting.pk]
