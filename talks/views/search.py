from urllib.parse import urlencode

from django.views.generic import TemplateView

from ..mixins import PagedTalksMixin
from ..models import Talk
from ..search import parse_query


class SearchView(PagedTalksMixin, TemplateView):
    """`/search/?q=…`: talks matching every word, best first, paged Newer/Older."""

    template_name = "talks/search.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.raw_query = request.GET.get("q", "").replace("\x00", "")
        self.query = parse_query(self.raw_query)

    def get_queryset(self):
        return Talk.objects.search(self.query)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            q=self.raw_query,
            query=self.query,
            # Kept in the Newer/Older links ahead of page=N (templates/includes/_pager.html).
            page_query=urlencode({"q": self.raw_query}),
            **kwargs,
        )
