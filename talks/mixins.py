"""View mixins the talk pages share with other apps' pages (a speaker's profile lists talks)."""

from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from .models import LISTED_AUTHOR_FIELDS, LISTED_FIELDS
from .pagination import paginate


class ManagedTalkMixin(LoginRequiredMixin):
    """For views on one talk that only its author or an admin may use: anyone else gets 403."""

    def get_object(self, queryset=None):
        talk = super().get_object(queryset)
        if not talk.can_be_managed_by(self.request.user):
            raise PermissionDenied(_("Only the talk's author or an admin may do this."))
        return talk


class PagedTalksMixin:
    """For a page listing talks with Newer/Older links (`?page=N`): get_queryset says which."""

    # Read as rows (talks/rows.py): the list is a cached fragment.
    listed_fields = LISTED_FIELDS + LISTED_AUTHOR_FIELDS

    def get_queryset(self):
        raise NotImplementedError

    def get_context_data(self, **kwargs):
        page = paginate(
            self.get_queryset(),
            self.request.GET.get("page"),
            settings.TALKS_PER_PAGE,
            rows=self.listed_fields,
        )
        return super().get_context_data(page=page, talks=page.object_list, **kwargs)
