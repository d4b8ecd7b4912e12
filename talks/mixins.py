from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied


class ManagedTalkMixin(LoginRequiredMixin):
    """For views on one talk that only its author or an admin may use: anyone else gets 403."""

    def get_object(self, queryset=None):
        talk = super().get_object(queryset)
        if not talk.can_be_managed_by(self.request.user):
            raise PermissionDenied("Only the talk's author or an admin may do this.")
        return talk
