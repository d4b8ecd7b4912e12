"""Moderation queues, and the Approve / Delete buttons for browsers without JavaScript.

With JavaScript, static/js/moderation.js sends the same buttons to the JSON API instead.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView, View
from django.views.generic.detail import SingleObjectMixin

from .. import services
from ..models import Comment


class ModerationQueueView(LoginRequiredMixin, TemplateView):
    """The comments waiting on the talks the user wrote, oldest first."""

    template_name = "talks/moderate.html"
    heading = _("Comments waiting for you")

    def queue_of(self):
        """Whose talks' waiting comments this queue shows."""
        return self.request.user

    def get_context_data(self, **kwargs):
        page = Comment.objects.queue_page(self.request.GET.get("page"), self.queue_of())
        return super().get_context_data(
            heading=self.heading,
            comments_page=page,
            moderation_next=self.request.get_full_path(),
            **kwargs,
        )


class AdminModerationQueueView(UserPassesTestMixin, ModerationQueueView):
    """Every waiting comment, for admins; other users get 403."""

    heading = _("All comments waiting for review")

    def test_func(self):
        return self.request.user.is_staff

    def queue_of(self):
        return None  # every talk's


class CommentModerationView(LoginRequiredMixin, SingleObjectMixin, View):
    """Approves or deletes one waiting comment, then goes back to where the button was."""

    http_method_names = ["post"]
    queryset = Comment.objects.select_related("talk")
    action = None  # "approve", "delete" or "trust"

    def post(self, request, *args, **kwargs):
        comment = self.get_object()
        if not comment.talk.can_be_managed_by(request.user):
            raise PermissionDenied(
                gettext("Only the talk's author or an admin may moderate its comments.")
            )
        try:
            if self.action == "approve":
                services.approve_comment(comment)
                messages.success(request, gettext("The comment was approved."))
            elif self.action == "trust":
                services.approve_and_trust(comment)
                messages.success(
                    request,
                    _("The comment was approved, and %(address)s is now trusted on your talks.")
                    % {"address": comment.author_email},
                )
            else:
                services.delete_comment(comment)
                messages.success(request, gettext("The comment was deleted."))
        except services.CommentStateError as error:
            messages.error(request, str(error))
        return HttpResponseRedirect(next_url(request, comment))


def next_url(request, comment):
    """Where a button posted from a page goes back to: the page's own `next`, if it is ours."""
    url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return f"{comment.talk.get_absolute_url()}#comments"
