"""Newer/Older paging that never counts the whole table.

A page fetches one row more than it shows: if that row exists, there is an older page.
"""

from dataclasses import dataclass

from django.http import Http404
from django.utils.translation import gettext as _

from .rows import Rows


@dataclass
class Page:
    object_list: list
    number: int
    per_page: int
    has_next: bool

    @property
    def has_previous(self):
        return self.number > 1

    @property
    def has_other_pages(self):
        return self.has_previous or self.has_next

    @property
    def next_page_number(self):
        return self.number + 1

    @property
    def previous_page_number(self):
        return self.number - 1

    @property
    def start_index(self):
        """The 1-based position of the first row on this page."""
        return (self.number - 1) * self.per_page + 1

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)


def page_number(raw):
    """The page asked for in `?page=`; anything but a positive integer is a 404."""
    if raw in (None, ""):
        return 1
    if not raw.isascii() or not raw.isdigit() or len(raw) > 9 or int(raw) < 1:
        raise Http404(_("No such page."))
    return int(raw)


def paginate(queryset, raw_number, per_page, *, ids_first=False, rows=None):
    """Page `raw_number` of `queryset`. With `rows` (field names), the page holds
    talks.rows.Rows of those fields (read as Rows.read() reads them): for a list shown in a
    cached fragment. `ids_first` (with `rows`) reads even the first page's ids on their own,
    from `queryset` alone, then the rows by those ids: for a queryset whose planner would pick
    the wrong index once joined to what the rows need."""
    number = page_number(raw_number)
    offset = (number - 1) * per_page
    window = queryset[offset : offset + per_page + 1]
    if ids_first:
        # From Rows.source, whose columns are set up once, in the queryset's order; its joins
        # stay out of the ids' subquery, which is the queryset's own.
        window = Rows.source(queryset.model, rows).filter(pk__in=window.values("pk"))
        window = window.order_by(*queryset.query.order_by)
    elif offset:
        # A deferred join: the database skips `offset` entries of the ordering's index alone
        # (a covering scan), then reads and joins only the rows shown. A plain OFFSET reads and
        # joins every row it skips: /?page=1000 took 30 to 50 times as long as page 1.
        window = queryset.filter(pk__in=window.values("pk"))
    found = Rows.read(window, rows).values if rows else list(window)
    if not found and number > 1:
        raise Http404(_("No such page."))
    shown = Rows(queryset.model, rows, found[:per_page], queryset.db) if rows else found[:per_page]
    return Page(shown, number, per_page, has_next=len(found) > per_page)
