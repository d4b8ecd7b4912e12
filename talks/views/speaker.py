"""The speaker's buttons on their talk page: Pin / Unpin and Answered, for browsers without
JavaScript. With it, static/js/speaker.js sends the same buttons to the JSON API instead.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.utils.translation import gettext_lazy as _
from django.views.generic import View
from django.views.generic.detail import SingleObjectMixin

from .. import services
from ..models import Comment
from .moderation import next_url

# What each button does, and what the page then says.
ACTIONS = {
    "pin": (services.pin_comment, _("The comment is pinned.")),
    "unpin": (services.unpin_comment, _("The comment is no longer pinned.")),
    "answered": (services.mark_answered, _("The comment is marked answered.")),
    "unanswered": (
        lambda comment: services.mark_answered(comment, answered=False),
        _("The comment is no longer marked answered."),
    ),
}


class CommentSpeakerActionView(LoginRequiredMixin, SingleObjectMixin, View):
    """Pins, unpins, or marks a comment answered or not, then goes back to the talk page."""

    http_method_names = ["post"]
    queryset = Comment.objects.select_related("talk")
    action = None  # a key of ACTIONS

    def post(self, request, *args, **kwargs):
        comment = self.get_object()
        if not comment.talk.can_be_managed_by(request.user):
            raise PermissionDenied(_("Only the talk's author or an admin may do this."))
        perform, done = ACTIONS[self.action]
        try:
            perform(comment)
        except services.CommentStateError as error:
            messages.error(request, str(error))
        except Comment.DoesNotExist:
            raise Http404(_("This comment is not there any more.")) from None
        else:
            messages.success(request, done)
        return HttpResponseRedirect(next_url(request, comment))


ACTION_VIEWS = {name: CommentSpeakerActionView.as_view(action=name) for name in ACTIONS}
