from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import TemplateView

from ..models import Talk
from ..notifications.unsubscribe import read_token, unsubscribe


# RFC 8058 one-click unsubscribing is a bare POST from a mail client: it cannot carry a CSRF
# token. Nothing here trusts the session: the only act is the one the signed token names.
@method_decorator(csrf_exempt, name="dispatch")
class UnsubscribeView(TemplateView):
    """GET asks to confirm; POST (the button, or a mail client's one-click) unsubscribes."""

    template_name = "talks/unsubscribe.html"

    def dispatch(self, request, *args, token, **kwargs):
        found = read_token(token)
        if found is None:
            return render(request, "talks/unsubscribe_invalid.html", status=400)
        self.address, talk_id = found
        self.talk = Talk.objects.filter(pk=talk_id).first()
        if self.talk is None:
            return render(request, "talks/unsubscribe_gone.html", status=404)
        return super().dispatch(request, *args, token=token, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(address=self.address, talk=self.talk, **kwargs)

    def post(self, request, *args, **kwargs):
        unsubscribe(self.address, self.talk.pk)
        return render(request, "talks/unsubscribe_done.html", self.get_context_data(**kwargs))
