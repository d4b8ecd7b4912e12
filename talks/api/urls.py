"""Mounted at /api/1.0/; a trailing slash is optional on every endpoint."""

from django.urls import re_path

from . import views

app_name = "api"

urlpatterns = [
    re_path(r"^comments/(?P<pk>[0-9]{1,18})/?$", views.CommentView.as_view(), name="comment"),
    re_path(
        r"^comments/(?P<pk>[0-9]{1,18})/pin/?$", views.CommentPinView.as_view(), name="comment_pin"
    ),
    re_path(
        r"^comments/(?P<pk>[0-9]{1,18})/answered/?$",
        views.CommentAnsweredView.as_view(),
        name="comment_answered",
    ),
    re_path(r"^tokens/?$", views.TokenView.as_view(), name="tokens"),
    re_path(r"", views.not_found),
]
