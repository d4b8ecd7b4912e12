"""The admin site: Django's, with list filters that never end in a server error."""

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters

from accounts.forms import AdminLoginForm


class BoundedChangeListMixin:
    """Reads a date beyond what Python's dates hold as a bad lookup, like any other.

    Django answers `?date__year=abc` with its "?e=1" page (IncorrectLookupParameters) but lets
    the OverflowError of a year past a C long escape from every date hierarchy as a 500.
    """

    def get_changelist(self, request, **kwargs):
        changelist = super().get_changelist(request, **kwargs)

        class BoundedChangeList(changelist):
            def get_filters(self, request):
                try:
                    return super().get_filters(request)
                except OverflowError as error:
                    raise IncorrectLookupParameters(error) from error

        return BoundedChangeList


class AdminSite(admin.AdminSite):
    """Every model admin registered here, ours and the installed apps', gets bounded filters."""

    # The same login identity (accounts.identity) as every other way in.
    login_form = AdminLoginForm

    def register(self, model_or_iterable, admin_class=None, **options):
        base = admin_class or admin.ModelAdmin
        namespace = {"__module__": base.__module__}
        bounded = type(base.__name__, (BoundedChangeListMixin, base), namespace)
        super().register(model_or_iterable, bounded, **options)
