import hashlib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, UpdateView

from talks import ratelimit
from talks.mixins import PagedTalksMixin
from talks.models import LISTED_FIELDS, Talk

from .avatars import identicon
from .forms import LoginForm, ProfileForm, SpeakerPasswordResetForm
from .identity import login_identity
from .models import User


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True

    def get_redirect_url(self):
        # ?next= pointing back here would make Django raise (a 500) for a logged-in user.
        url = super().get_redirect_url()
        return "" if url == self.request.path else url

    def form_valid(self, form):
        response = super().form_valid(form)
        # After login(), which may flush the session of a previous user along with its expiry.
        # 0 ends the session when the browser closes; None keeps it for SESSION_COOKIE_AGE.
        self.request.session.set_expiry(None if form.cleaned_data["remember_me"] else 0)
        return response


class PasswordResetView(auth_views.PasswordResetView):
    """Asks for a reset link, throttled per address asked for and per client.

    The link goes out through the outbox (its links are built from SITE_URL, never from the
    request's Host header), and every address gets the same answer.
    """

    form_class = SpeakerPasswordResetForm

    def form_valid(self, form):
        address = login_identity(form.cleaned_data["email"])
        try:
            ratelimit.check(self.request, "password-reset", rate=self.client_rate())
            # A digest: any address makes a valid cache key, and the cache holds no addresses.
            digest = hashlib.sha256(address.encode()).hexdigest()
            ratelimit.check_key(f"password-reset-address:{digest}", self.address_rate())
        except ratelimit.RateLimited as limited:
            form.add_error(None, f"Too many password reset requests. Please wait {limited.wait}.")
            response = self.render_to_response(self.get_context_data(form=form), status=429)
            response["Retry-After"] = str(limited.retry_after)
            return response
        form.save()
        return HttpResponseRedirect(self.get_success_url())

    @staticmethod
    def client_rate():
        return ratelimit.parse_rate(
            settings.PASSWORD_RESET_CLIENT_RATE_LIMIT, "PASSWORD_RESET_CLIENT_RATE_LIMIT"
        )

    @staticmethod
    def address_rate():
        return ratelimit.parse_rate(settings.PASSWORD_RESET_RATE_LIMIT, "PASSWORD_RESET_RATE_LIMIT")


class ProfileView(PagedTalksMixin, TemplateView):
    template_name = "accounts/profile.html"
    # The list does not name the speaker on each talk: the page is theirs.
    listed_fields = LISTED_FIELDS

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        user = request.user
        if user.is_authenticated and user.username == kwargs["username"]:
            # A speaker's own profile: the user the session has just read, not read again.
            self.profile = user
        else:
            self.profile = get_object_or_404(User, username=kwargs["username"])

    def get_queryset(self):
        return Talk.objects.by(self.profile)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            profile=self.profile, own_profile=self.profile == self.request.user, **kwargs
        )


class AvatarView(TemplateView):
    """The avatar this site draws for a speaker: an SVG pattern from a salted hash of their id."""

    template_name = "accounts/avatar.svg"
    content_type = "image/svg+xml"

    def get_context_data(self, **kwargs):
        profile = get_object_or_404(User, username=self.kwargs["username"])
        return {"profile": profile, "avatar": identicon(profile)}

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        # The same for as long as the secret key: browsers may keep it a day.
        response["Cache-Control"] = "public, max-age=86400"
        return response


class ProfileEditView(LoginRequiredMixin, UpdateView):
    form_class = ProfileForm
    template_name = "accounts/profile_form.html"

    def get_object(self, queryset=None):
        return self.request.user

    def form_valid(self, form):
        messages.success(self.request, _("Your profile was updated."))
        return super().form_valid(form)
