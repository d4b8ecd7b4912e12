from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404
from django.views.generic import UpdateView

from talks.models import Talk
from talks.views.talks import PagedListView

from .forms import LoginForm, ProfileForm
from .models import User


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        if not form.cleaned_data["remember_me"]:
            # Expire the session when the browser closes.
            self.request.session.set_expiry(0)
        return super().form_valid(form)


class ProfileView(PagedListView):
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
        messages.success(self.request, "Your profile was updated.")
        return super().form_valid(form)
