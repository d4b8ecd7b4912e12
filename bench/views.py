"""The reference page: what Django costs to read 50 rows through the ORM and render them."""

from django.shortcuts import render

from talks.models import Talk


def reference(request):
    """The 50 newest talks in a plain template: no site template, tag or queryset method."""
    talks = Talk.objects.order_by("-date", "-id")[:50]
    return render(request, "bench/reference.html", {"talks": talks})
