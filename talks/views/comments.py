"""Posting comments on the talk page, and their live preview."""

import logging
from functools import partial
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import View
from django.views.generic.base import TemplateResponseMixin
from django.views.generic.detail import SingleObjectMixin

from talks_site.json_errors import json_error

from .. import ratelimit
from ..confirmations import proven_address
from ..forms import CommentForm, CommentPreviewForm
from ..markdown import render_markdown
from ..models import Comment, EmailAddress, Talk
from ..moments import link_moments, moment_targets
from ..pagination import page_number

logger = logging.getLogger(__name__)

COMMENTS_CLOSED = _("Comments are closed.")
COMMENTS_TALK_MISSING = _("There is no such talk.")
VISITOR_POSTED = _(
    "Thank you for your comment. It will be published after the presenter reviews it."
)
USER_POSTED = _("Your comment was published.")
TRUSTED_POSTED = _("Your comment was published: the speaker trusts your address.")
TRUSTED_HELD = _(
    "Thank you for your comment. The speaker trusts %(address)s: we emailed it a link that "
    "publishes your comment (this browser has not proved it reads that inbox yet)."
)
CONFIRM_ASKED = _(
    "To hear of new comments, follow the link we emailed to %(address)s to confirm it."
)


def comment_url(comment, user):
    """The talk page that shows `comment` to `user`, scrolled to it.

    A reply is shown with its top-level comment, so it is on that comment's page.
    """
    talk = comment.talk
    top_level = comment.parent if comment.parent_id else comment
    position = Comment.objects.thread(talk, user).up_to(top_level).count()
    page = (position - 1) // settings.COMMENTS_PER_PAGE + 1
    query = f"?page={page}" if page > 1 else ""
    return f"{talk.get_absolute_url()}{query}#{comment.anchor}"


class CommentLinkView(SingleObjectMixin, View):
    """A comment's lasting address, for emails and feeds: on to the talk page that shows it.

    A waiting comment is for its talk's author and admins: a visitor is asked to log in first;
    anyone else gets a 404, as for a comment that is gone.
    """

    queryset = Comment.objects.select_related("talk", "parent")

    def get(self, request, *args, **kwargs):
        comment = self.get_object()
        if not comment.approved and not comment.talk.can_be_managed_by(request.user):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            raise Http404(gettext("This comment is not published."))
        return HttpResponseRedirect(comment_url(comment, request.user))


class TalkPageMixin(TemplateResponseMixin):
    """The talk page: the talk, one page of its comments as the reader may see them, the form."""

    template_name = "talks/talk_detail.html"

    def talk_page_context(self, talk, form=None):
        user = self.request.user
        can_manage = talk.can_be_managed_by(user)
        # The talk's author's "Unanswered questions": a filter nobody else has use for.
        unanswered = can_manage and self.request.GET.get("unanswered") == "1"
        raw_number = self.request.GET.get("page")
        number = page_number(raw_number)
        read = partial(Comment.objects.thread_page, talk, user, raw_number, unanswered=unanswered)
        # The comments are a fragment cached under talk.comments_version: read only when it is
        # not cached. A later page may not exist, and is read at once for its 404.
        page = read() if number > 1 else SimpleLazyObject(read)
        query = urlencode([("unanswered", "1")] * unanswered + [("page", number)] * (number > 1))
        comments_open = talk.comments_are_open()
        if form is None and comments_open:
            reply_to = Comment.objects.answerable(talk, self.request.GET.get("reply"))
            form = CommentForm(talk=talk, user=user, reply_to=reply_to)
        return {
            "talk": talk,
            "can_manage": can_manage,
            "comments_page": page,
            "comments_page_number": number,
            "comments_open": comments_open,
            "unanswered": unanswered,
            "pager_query": "unanswered=1" if unanswered else "",
            "here_query": query,
            "form": form,
            "moderation_next": talk.get_absolute_url() + (f"?{query}" if query else ""),
        }


class CommentCreateView(TalkPageMixin, SingleObjectMixin, View):
    """Posts the talk page's comment form; errors re-render the page with the form filled in."""

    http_method_names = ["post"]
    queryset = Talk.objects.select_related("author")

    def post(self, request, *args, **kwargs):
        talk = self.get_object()
        form = CommentForm(
            request.POST,
            talk=talk,
            user=request.user,
            proven_address=proven_address(request),
            language=request.LANGUAGE_CODE,
        )
        if not talk.comments_are_open():
            # Refused before anything else, and nothing is stored; the page keeps the text.
            return self.render_to_response(self.talk_page_context(talk, form), status=403)
        try:
            ratelimit.check(request, "comment")
        except ratelimit.RateLimited as limited:
            form.add_error(
                None,
                gettext("You are commenting too fast. Please wait %(wait)s.")
                % {"wait": limited.wait},
            )
            return limited.refuse(self.render_to_response(self.talk_page_context(talk, form)))
        if not form.is_valid():
            return self.render_to_response(self.talk_page_context(talk, form))
        if form.is_spam:
            # Answered exactly like a visitor's comment, so the bot learns nothing; stored nowhere.
            logger.info("honeypot filled on talk %s, comment dropped", talk.pk)
            messages.success(request, VISITOR_POSTED)
            return HttpResponseRedirect(f"{talk.get_absolute_url()}#comments")
        comment = form.save()
        if comment.approved:
            messages.success(request, TRUSTED_POSTED if not comment.author_id else USER_POSTED)
            return HttpResponseRedirect(comment_url(comment, request.user))
        address = {"address": comment.author_email}
        if comment.is_from_trusted_address():
            messages.success(request, TRUSTED_HELD % address)
        else:
            messages.success(request, VISITOR_POSTED)
            if comment.notify and not EmailAddress.objects.is_confirmed(comment.author_email):
                messages.info(request, CONFIRM_ASKED % address)
        return HttpResponseRedirect(f"{talk.get_absolute_url()}#comments")


class CommentPreviewView(View):
    """The HTML the server would store for a comment body: `{"html": ...}`."""

    http_method_names = ["post"]

    def http_method_not_allowed(self, request, *args, **kwargs):
        response = json_error(405, gettext("Send the comment text with POST."))
        response["Allow"] = "POST"
        return response

    def post(self, request, pk=None):
        # At a talk's own address the preview shows its moments, and a closed talk says so.
        talk = None
        if pk is not None:
            talk = Talk.objects.filter(pk=pk).first()
            if talk is None:
                return json_error(404, COMMENTS_TALK_MISSING)
            if not talk.comments_are_open():
                return json_error(403, str(COMMENTS_CLOSED))
        try:
            ratelimit.check(request, "preview", factor=ratelimit.PREVIEWS_PER_COMMENT)
        except ratelimit.RateLimited as limited:
            message = gettext("Preview paused: too many requests. Wait %(wait)s.") % {
                "wait": limited.wait
            }
            return limited.refuse(json_error(429, message))
        form = CommentPreviewForm(request.POST)
        if not form.is_valid():
            return json_error(400, form.errors["body"][0])
        html = render_markdown(form.cleaned_data["body"])
        if talk is not None:
            html = link_moments(html, moment_targets(talk))
        return JsonResponse({"html": html})
