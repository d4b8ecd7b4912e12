"""What a talk carries off the site: its short link, QR codes, closing slide and calendars."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.cache import patch_cache_control
from django.views import View
from django.views.generic import DetailView, RedirectView

from accounts.models import User

from .. import calendars, qrcodes
from ..models import Talk


class ShortLinkView(RedirectView):
    """`/t/<id>`: the address on a slide, a permanent redirect to the talk."""

    permanent = True

    def get_redirect_url(self, *args, **kwargs):
        return get_object_or_404(Talk.objects.only("pk"), pk=kwargs["pk"]).get_absolute_url()


class QRCodeView(View):
    """`/talk/<id>/qr.svg` or `qr.png`: the short link as a QR code."""

    kind = None  # "svg" or "png"
    content_types = {"svg": "image/svg+xml", "png": "image/png"}

    def get(self, request, pk):
        talk = get_object_or_404(Talk.objects.only("pk"), pk=pk)
        image = qrcodes.svg(talk) if self.kind == "svg" else qrcodes.png(talk)
        response = HttpResponse(image, content_type=self.content_types[self.kind])
        if "download" in request.GET:
            response["Content-Disposition"] = f'attachment; filename="talk-{pk}-qr.{self.kind}"'
        # It depends on the talk's id and SITE_URL alone: a day in any cache is safe.
        patch_cache_control(response, public=True, max_age=86400)
        return response


class SlideView(DetailView):
    """`/talk/<id>/slide/`: a full-screen closing slide with the QR code and the short link."""

    queryset = Talk.objects.select_related("author")
    context_object_name = "talk"
    template_name = "talks/slide.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(short_link=qrcodes.short_link(self.object), **kwargs)


def calendar_response(talks, name, filename):
    response = HttpResponse(
        calendars.calendar_for(talks, name), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    # Calendar apps poll subscriptions; a few minutes' staleness costs nobody anything.
    patch_cache_control(response, public=True, max_age=300)
    return response


class TalkCalendarView(View):
    """`/talk/<id>/calendar.ics`: the talk as one all-day event."""

    def get(self, request, pk):
        talk = get_object_or_404(Talk, pk=pk)
        return calendar_response([talk], talk.title, f"talk-{pk}.ics")


class SpeakerCalendarView(View):
    """`/user/<username>/calendar.ics`: every talk of a speaker, one event each."""

    def get(self, request, username):
        speaker = get_object_or_404(User, username=username)
        return calendar_response(
            Talk.objects.by(speaker), speaker.display_name, f"{speaker.username}.ics"
        )
