from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.utils.translation import gettext as _
from django.views.generic import CreateView, DetailView, TemplateView, UpdateView

from ..forms import TalkForm
from ..mixins import ManagedTalkMixin, PagedTalksMixin
from ..models import Talk
from .comments import TalkPageMixin


class TimelineView(PagedTalksMixin, TemplateView):
    template_name = "talks/timeline.html"

    def get_queryset(self):
        return Talk.objects.timeline()


class TalkDetailView(TalkPageMixin, DetailView):
    """A talk, a page of its comments (`?page=N`) and the comment form."""

    queryset = Talk.objects.select_related("author")
    context_object_name = "talk"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**self.talk_page_context(self.object), **kwargs)


class TalkCreateView(LoginRequiredMixin, CreateView):
    model = Talk
    form_class = TalkForm
    template_name = "talks/talk_form.html"

    def form_valid(self, form):
        form.instance.author = self.request.user
        messages.success(self.request, _("The talk was added."))
        return super().form_valid(form)


class TalkUpdateView(ManagedTalkMixin, UpdateView):
    model = Talk
    form_class = TalkForm
    template_name = "talks/talk_form.html"

    def form_valid(self, form):
        messages.success(self.request, _("The talk was updated."))
        return super().form_valid(form)
