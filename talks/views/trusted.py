"""A speaker's trusted addresses: the list on /moderate/trusted/ and its Remove buttons."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView, View
from django.views.generic.detail import SingleObjectMixin

from ..models import TrustedAddress
from ..pagination import paginate


class TrustedAddressListView(LoginRequiredMixin, TemplateView):
    """The addresses whose comments the user's talks publish at once, newest first."""

    template_name = "talks/trusted_addresses.html"

    def get_context_data(self, **kwargs):
        page = paginate(
            TrustedAddress.objects.of(self.request.user),
            self.request.GET.get("page"),
            settings.COMMENTS_PER_PAGE,
        )
        return super().get_context_data(trusted_page=page, **kwargs)


class TrustedAddressRemoveView(LoginRequiredMixin, SingleObjectMixin, View):
    """Stops trusting one address; another speaker's entries are not found (404)."""

    http_method_names = ["post"]

    def get_queryset(self):
        return TrustedAddress.objects.filter(speaker=self.request.user)

    def post(self, request, *args, **kwargs):
        trusted = self.get_object()
        trusted.delete()
        messages.success(
            request,
            _("%(address)s is no longer trusted: its comments wait for your review.")
            % {"address": trusted.address},
        )
        return HttpResponseRedirect(reverse("talks:trusted"))
