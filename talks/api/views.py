"""The API's endpoints: approve or delete a comment, and get a token."""

from django import forms
from django.conf import settings
from django.contrib.auth import authenticate as check_password
from django.http import JsonResponse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from accounts.forms import LoginIdentityField
from talks_site.json_errors import json_error

from .. import services
from ..models import Comment
from . import auth
from .errors import ApiError, answers_errors_as_json


# Exempt from the CSRF middleware because a token is not sent by browsers on their own;
# requests that authenticate by session cookie are CSRF-checked in auth.authenticate.
@method_decorator([csrf_exempt, answers_errors_as_json], name="dispatch")
class ApiView(View):
    def http_method_not_allowed(self, request, *args, **kwargs):
        allowed = ", ".join(self._allowed_methods())
        message = _("%(method)s is not allowed here; use %(allowed)s.") % {
            "method": request.method,
            "allowed": allowed,
        }
        raise ApiError(405, message, {"Allow": allowed})


class CommentView(ApiView):
    """PUT approves a waiting comment; DELETE deletes one. The talk's author or an admin only."""

    http_method_names = ["put", "delete"]
    forbidden_message = gettext_lazy(
        "Only the talk's author or an admin may moderate this comment."
    )

    def get_comment(self, request, pk):
        body = auth.read_json(request)
        # With the talk's author, whom an approval's emails name and leave out. Read before
        # the caller is known, as a speaker's token names that author, who is then checked as
        # read here rather than read again; a failed authentication still answers first.
        comment = Comment.objects.select_related("talk__author").filter(pk=pk).first()
        author = [comment.talk.author] if comment is not None else []
        user = auth.authenticate(request, body, known=author)
        if comment is None:
            raise ApiError(404, _("There is no comment %(id)s.") % {"id": pk})
        if not comment.talk.can_be_managed_by(user):
            raise ApiError(403, str(self.forbidden_message))
        return comment, user

    def put(self, request, pk):
        comment, user = self.get_comment(request, pk)
        self.perform(services.approve_comment, comment)
        return self.done(user)

    def delete(self, request, pk):
        comment, user = self.get_comment(request, pk)
        self.perform(services.delete_comment, comment)
        return self.done(user)

    def perform(self, action, comment):
        try:
            action(comment)
        except services.CommentStateError as error:
            raise ApiError(400, str(error)) from None
        except Comment.DoesNotExist:
            raise ApiError(404, _("There is no comment %(id)s.") % {"id": comment.pk}) from None

    def done(self, user):
        # The moderator's new queue sizes, so a page can update its badges without reloading.
        return JsonResponse({"status": "ok", "pending": Comment.objects.pending_counts(user)})


class CommentStateView(CommentView):
    """PUT sets one of a comment's marks, DELETE clears it; either may be repeated (idempotent).

    Same callers and errors as CommentView; the answer is the comment's marks after the change.
    """

    forbidden_message = gettext_lazy(
        "Only the talk's author or an admin may pin or mark this comment."
    )

    def put(self, request, pk):
        comment, _user = self.get_comment(request, pk)
        return self.marks(comment, self.perform(self.set_mark, comment))

    def delete(self, request, pk):
        comment, _user = self.get_comment(request, pk)
        return self.marks(comment, self.perform(self.clear_mark, comment))

    def perform(self, action, comment):
        try:
            return action(comment)
        except services.CommentStateError as error:
            raise ApiError(400, str(error)) from None
        except Comment.DoesNotExist:
            raise ApiError(404, _("There is no comment %(id)s.") % {"id": comment.pk}) from None

    def marks(self, comment, unpinned=None):
        return JsonResponse(
            {
                "status": "ok",
                "comment": {
                    "id": comment.pk,
                    "pinned": comment.pinned,
                    "answered": comment.answered,
                },
                # The comment the pin moved from, so a page can update it too.
                "unpinned": unpinned,
            }
        )


class CommentPinView(CommentStateView):
    """PUT pins the comment (moving the talk's pin to it); DELETE unpins it."""

    @staticmethod
    def set_mark(comment):
        return services.pin_comment(comment)

    @staticmethod
    def clear_mark(comment):
        services.unpin_comment(comment)


class CommentAnsweredView(CommentStateView):
    """PUT marks a top-level comment answered; DELETE marks it unanswered."""

    @staticmethod
    def set_mark(comment):
        services.mark_answered(comment)

    @staticmethod
    def clear_mark(comment):
        services.mark_answered(comment, answered=False)


class TokenRequestForm(forms.Form):
    """What a token request holds; validated like the login form (no NUL bytes, a real email)."""

    email = LoginIdentityField(max_length=254)
    password = forms.CharField(strip=False, max_length=4096)


# A token is a credential: no browser, proxy or cache may keep one, nor the answer to a
# failed try (never_cache sends `no-store` among the rest, on every answer, errors included).
@method_decorator(never_cache, name="dispatch")
class TokenView(ApiView):
    """POST `{"email": ..., "password": ...}` → `{"token": ..., "expires_in": seconds}`."""

    http_method_names = ["post"]

    def post(self, request):
        body = auth.read_json(request) or {}
        if not all(isinstance(body.get(name), str) for name in ("email", "password")):
            raise ApiError(400, _('Send {"email": "...", "password": "..."} as JSON.'))
        form = TokenRequestForm(body)
        if not form.is_valid():
            field, errors = next(iter(form.errors.items()))
            raise ApiError(400, f"{field}: {errors[0]}")
        # The login throttle (django-axes) counts these attempts like the login form's.
        credentials = form.cleaned_data
        user = check_password(
            request, username=credentials["email"], password=credentials["password"]
        )
        if getattr(request, "axes_locked_out", False):
            # Answer the lockout here, in JSON; left set, the flag makes axes' middleware
            # replace this response with its HTML lockout page.
            request.axes_locked_out = False
            raise ApiError(429, _("Too many failed attempts: this account is locked for a while."))
        if user is None:
            raise ApiError(401, _("Wrong email or password."), auth.UNAUTHORIZED_HEADERS)
        return JsonResponse(
            {"token": auth.issue_token(user), "expires_in": settings.API_TOKEN_MAX_AGE}
        )


@csrf_exempt
def not_found(request, *args, **kwargs):
    """Any other address under the API."""
    return json_error(404, _("There is no API endpoint at %(path)s.") % {"path": request.path})
