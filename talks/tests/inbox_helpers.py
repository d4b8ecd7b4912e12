"""Helpers for the inbox tests: posting as a visitor, reading links from emails, table snapshots."""

import re

from django.core import mail
from django.test import Client, TestCase

from talks.models import Comment, EmailAddress, OutboxEmail, TrustedAddress


class CommittingClient(Client):
    """A test client whose requests run their on-commit callbacks, as a real commit would.

    The test's transaction never commits, so without this the outbox would never be flushed.
    """

    def request(self, **request):
        with TestCase.captureOnCommitCallbacks(execute=True):
            return super().request(**request)


TABLES = [Comment, EmailAddress, TrustedAddress, OutboxEmail, OutboxEmail.comments.through]


def snapshot():
    """Every row of every table an emailed link could change."""
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in TABLES}


def post_visitor_comment(client, talk, email="ann@example.org", body="Nice talk", notify=True):
    data = {"author_name": "Ann", "author_email": email, "body": body}
    if notify:
        data["notify"] = "on"
    return client.post(f"/talk/{talk.pk}/comments/", data, follow=True)


def flashes(response):
    return [str(message) for message in response.context["messages"]]


def emails_to(address, subject_part=""):
    return [
        message
        for message in mail.outbox
        if message.to == [address] and subject_part in message.subject
    ]


def link_in(message, path_prefix):
    """The site path of the first link in `message`'s text that starts with `path_prefix`."""
    [url] = re.findall(rf"https?://[^/\s]+({re.escape(path_prefix)}\S*)", message.body)[:1]
    return url
