"""QR codes of a talk's short link, built with segno (PNG and SVG without an image library)."""

import io

import segno
from django.urls import reverse

from .links import absolute_url


def short_link(talk):
    """The talk's short absolute link, /t/<id>, for slides and QR codes."""
    return absolute_url(reverse("talks:short_link", args=[talk.pk]))


def _code(talk):
    # Level M survives a smudged projector or a phone at an angle; the link stays short.
    return segno.make(short_link(talk), error="m", micro=False)


def png(talk, scale=10):
    buffer = io.BytesIO()
    _code(talk).save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()


def svg(talk):
    buffer = io.BytesIO()
    # Sized by the page (CSS), not by the file: the slide stretches it to the screen.
    _code(talk).save(buffer, kind="svg", scale=1, border=4, xmldecl=False, omitsize=True)
    return buffer.getvalue()
