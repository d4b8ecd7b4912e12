"""The notification emails: one method per email, one helper that renders its templates."""

import html

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.html import strip_tags
from django.utils.http import urlsafe_base64_encode
from django.utils.text import Truncator

from ..confirmations import confirmation_url, publish_url
from ..links import absolute_url
from ..models import OutboxEmail
from ..moderation_links import moderation_url
from .unsubscribe import unsubscribe_url

EXCERPT_LENGTH = 200
# What a reply's email quotes of the comment it answers.
ANSWERED_EXCERPT_LENGTH = 60
Kind = OutboxEmail.Kind


def render_email(name, context, *, to, language, headers=None):
    """The email made of templates/emails/<name>_subject.txt, <name>.txt and <name>.html.

    Written in `language` (the recipient's, or settings.LANGUAGE_CODE when unknown), whatever
    the language of the request or worker that sends it.
    """
    context = {"site_url": settings.SITE_URL, **context}
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = render_to_string(f"emails/{name}_subject.txt", context)
        subject = settings.EMAIL_SUBJECT_PREFIX + " ".join(subject.split())
        text = render_to_string(f"emails/{name}.txt", context)
        html_body = render_to_string(f"emails/{name}.html", context)
        language = translation.get_language()
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        to=[to],
        headers={
            "Auto-Submitted": "auto-generated",
            "Content-Language": language,
            **(headers or {}),
        },
    )
    message.attach_alternative(html_body, "text/html")
    return message


def excerpt(comment, length=EXCERPT_LENGTH):
    """The start of a comment as plain text, from its sanitised HTML."""
    text = " ".join(html.unescape(strip_tags(comment.body_html)).split())
    return Truncator(text).chars(length)


def password_reset_email(outbox):
    """The link that sets a new password; None once the account can no longer use one.

    The token is made now, as the email is written: it is never stored, and it is valid for
    PASSWORD_RESET_TIMEOUT from here.
    """
    user = outbox.user
    if user is None or not user.is_active or not user.has_usable_password():
        return None
    context = {
        "user": user,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
    }
    return render_email("password_reset", context, to=outbox.address, language=outbox.language)


class EmailWriter:
    """Writes the emails of one flush.

    A flush tells many subscribers of the same few comments: each comment's excerpt and link,
    and each talk's link, is worked out once per flush rather than once per email.
    """

    def __init__(self):
        self._comments = {}
        self._talk_urls = {}

    def email(self, outbox):
        """The email for an outbox row, or None when none of its comments still calls for it.

        Reads the row's comments through `outbox.comments.all()`, which the flush prefetches
        for a batch in the order the email tells them: no query here.
        """
        if outbox.kind == Kind.PASSWORD_RESET:
            return password_reset_email(outbox)
        make_email, wanted = {
            # A comment approved or deleted before the flush needs no review.
            Kind.MODERATION: (self.moderation_email, False),
            # A deleted one is no news.
            Kind.NEW_COMMENTS: (self.new_comments_email, True),
            Kind.COMMENT_APPROVED: (self.comment_approved_email, True),
            Kind.PUBLISH_COMMENT: (self.publish_comment_email, False),
            # A comment deleted as spam asks nobody to confirm.
            Kind.CONFIRM_ADDRESS: (self.confirm_address_email, None),
        }[outbox.kind]
        comments = [
            comment
            for comment in outbox.comments.all()
            if wanted is None or comment.approved == wanted
        ]
        return make_email(outbox, comments) if comments else None

    def moderation_email(self, outbox, comments):
        """Tell a talk's author that comments wait, each with links that act on it."""
        speaker = outbox.talk.author
        context = self._context(outbox, comments)
        for comment, shown in zip(comments, context["comments"], strict=True):
            shown["links"] = {
                action: moderation_url(comment, action, speaker)
                for action in ("approve", "delete", "trust")
            }
            shown["address"] = "" if comment.author_id else comment.author_email
        return render_email("moderation", context, to=outbox.address, language=outbox.language)

    def new_comments_email(self, outbox, comments):
        """Tell a commenter of new comments on a talk, with a one-click way to stop."""
        return self._subscriber_email("new_comments", outbox, comments)

    def comment_approved_email(self, outbox, comments):
        """Tell a visitor that the speaker published their comment."""
        return self._subscriber_email("comment_approved", outbox, comments)

    def publish_comment_email(self, outbox, comments):
        """Give a trusted visitor the link that publishes their waiting comment."""
        context = self._context(outbox, comments)
        for comment, shown in zip(comments, context["comments"], strict=True):
            shown["publish_url"] = publish_url(comment)
        return render_email("publish_comment", context, to=outbox.address, language=outbox.language)

    def confirm_address_email(self, outbox, comments):
        """Ask a visitor to confirm their address before it is told of new comments."""
        context = {
            **self._context(outbox, comments),
            "address": outbox.address,
            "confirm_url": confirmation_url(outbox.address),
        }
        return render_email("confirm_address", context, to=outbox.address, language=outbox.language)

    def _subscriber_email(self, name, outbox, comments):
        unsubscribe = unsubscribe_url(outbox.address, outbox.talk_id)
        headers = {
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
        return render_email(
            name,
            {**self._context(outbox, comments), "unsubscribe_url": unsubscribe},
            to=outbox.address,
            language=outbox.language,
            headers=headers,
        )

    def _context(self, outbox, comments):
        talk = outbox.talk
        if talk.pk not in self._talk_urls:
            self._talk_urls[talk.pk] = absolute_url(talk.get_absolute_url())
        return {
            "name": outbox.name,
            "talk": talk,
            "talk_url": self._talk_urls[talk.pk],
            "comments": [self._comment(comment) for comment in comments],
        }

    def _comment(self, comment):
        """What an email shows of a comment: its own copy, since some emails add to it."""
        if comment.pk not in self._comments:
            self._comments[comment.pk] = {
                "author": comment.display_name,
                "excerpt": excerpt(comment),
                "url": absolute_url(comment.get_absolute_url()),
                "created_at": comment.created_at,
                # A reply names the comment it answers, with the start of it.
                "answers": (
                    {
                        "author": comment.parent.display_name,
                        "excerpt": excerpt(comment.parent, ANSWERED_EXCERPT_LENGTH),
                    }
                    if comment.parent_id
                    else None
                ),
            }
        return dict(self._comments[comment.pk])
