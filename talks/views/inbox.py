"""The pages behind the links emailed to visitors and speakers: GET shows, POST acts.

None needs a login: each acts only as far as its signed token says. Mail scanners follow links,
so a GET never changes anything; the page's one button sends the POST.
"""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from .. import moderation_links, services
from ..confirmations import (
    read_confirmation_token,
    read_publish_token,
    remember_address,
)
from ..models import Comment, EmailAddress
from .comments import comment_url

INVALID_TEMPLATE = "talks/inbox/link_invalid.html"
GONE_TEMPLATE = "talks/inbox/comment_gone.html"

DONE_MESSAGES = {
    "approve": _("The comment was approved."),
    "delete": _("The comment was deleted."),
    "trust": _("The comment was approved, and %(address)s is now trusted on your talks."),
}


def invalid_link(request):
    return render(request, INVALID_TEMPLATE, status=400)


def comment_gone(request):
    return render(request, GONE_TEMPLATE, status=404)


class ConfirmAddressView(TemplateView):
    """A visitor proves their address: it may then hear of new comments, and this browser
    carries a cookie naming it."""

    template_name = "talks/inbox/confirm_address.html"

    def dispatch(self, request, *args, token, **kwargs):
        self.address = read_confirmation_token(token)
        if self.address is None:
            return invalid_link(request)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            address=self.address,
            confirmed=EmailAddress.objects.is_confirmed(self.address),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        EmailAddress.objects.confirm(self.address)
        response = render(
            request, "talks/inbox/confirm_address_done.html", {"address": self.address}
        )
        return remember_address(response, self.address)


class PublishCommentView(TemplateView):
    """A trusted visitor publishes their waiting comment, proving their address on the way."""

    template_name = "talks/inbox/publish_comment.html"

    def dispatch(self, request, *args, token, **kwargs):
        found = read_publish_token(token)
        if found is None:
            return invalid_link(request)
        comment_id, self.address = found
        self.comment = Comment.objects.select_related("talk__author").filter(pk=comment_id).first()
        if self.comment is None:
            return comment_gone(request)
        if self.comment.author_email.lower() != self.address:
            return invalid_link(request)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(comment=self.comment, **kwargs)

    def post(self, request, *args, **kwargs):
        try:
            services.publish_own_comment(self.comment, self.address)
        except services.CommentStateError as error:
            messages.info(request, str(error))
            response = HttpResponseRedirect(f"{self.comment.talk.get_absolute_url()}#comments")
        else:
            messages.success(request, _("Your comment was published."))
            response = HttpResponseRedirect(comment_url(self.comment, request.user))
        return remember_address(response, self.address)


class EmailModerationView(TemplateView):
    """Approve, delete, or approve and trust, from the moderation email, without logging in."""

    template_name = "talks/inbox/moderate_comment.html"

    def dispatch(self, request, *args, pk, action, token, **kwargs):
        if action not in moderation_links.ACTIONS:
            return invalid_link(request)
        self.action = action
        self.comment = Comment.objects.select_related("talk__author").filter(pk=pk).first()
        if self.comment is None:
            return comment_gone(request)
        speaker = self.comment.talk.author
        if not moderation_links.check_token(self.comment, action, speaker, token):
            return invalid_link(request)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(comment=self.comment, action=self.action, **kwargs)

    def post(self, request, *args, **kwargs):
        if self.comment.approved:
            return self.get(request, *args, **kwargs)
        perform = {
            "approve": services.approve_comment,
            "delete": services.delete_comment,
            "trust": services.approve_and_trust,
        }[self.action]
        try:
            perform(self.comment)
        except Comment.DoesNotExist:  # deleted by another click since this page was read
            return comment_gone(request)
        except services.CommentStateError:
            return self.get(request, *args, **kwargs)
        message = DONE_MESSAGES[self.action] % {"address": self.comment.author_email}
        return render(
            request,
            "talks/inbox/moderate_comment_done.html",
            {"comment": self.comment, "action": self.action, "message": message},
        )
