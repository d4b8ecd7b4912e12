from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, UpdateView

from talks.mixins import PagedTalksMixin
from talks.models import Talk

from .forms import LoginForm, ProfileForm
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
    email_template_name = "registration/password_reset_email.txt"
    html_email_template_name = "registration/password_reset_email.html"
    subject_template_name = "registration/password_reset_subject.txt"

    def form_valid(self, form):
        # The link in the email is built from SITE_URL, never from the request's Host header.
        self.extra_email_context = {"site_url": settings.SITE_URL}
        return super().form_valid(form)


class ProfileView(PagedTalksMixin, TemplateView):
    template_name = "accounts/profile.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.profile = get_object_or_404(User, username=kwargs["username"])

    def get_queryset(self):
        return Talk.objects.by(self.profile)

    def get_context_data(self, **kwargs):
        return super().get_context_data(profile=self.profile, **kwargs)


class ProfileEditView(LoginRequiredMixin, UpdateView):
    form_class = ProfileForm
    template_name = "accounts/profile_form.html"

    def get_object(self, queryset=None):
        return self.request.user

    def form_valid(self, form):
        messages.success(self.request, _("Your profile was updated."))
        return super().form_valid(form)
