from django.urls import path

from . import feeds
from .views import comments, inbox, moderation, search, share, speaker, trusted, unsubscribe
from .views import talks as views

app_name = "talks"

urlpatterns = [
    path("", views.TimelineView.as_view(), name="timeline"),
    path("search/", search.SearchView.as_view(), name="search"),
    path("talk/new/", views.TalkCreateView.as_view(), name="create"),
    path("talk/<int:pk>/", views.TalkDetailView.as_view(), name="detail"),
    path("t/<int:pk>", share.ShortLinkView.as_view(), name="short_link"),
    path("talk/<int:pk>/qr.svg", share.QRCodeView.as_view(kind="svg"), name="qr_svg"),
    path("talk/<int:pk>/qr.png", share.QRCodeView.as_view(kind="png"), name="qr_png"),
    path("talk/<int:pk>/slide/", share.SlideView.as_view(), name="slide"),
    path("talk/<int:pk>/calendar.ics", share.TalkCalendarView.as_view(), name="calendar"),
    path(
        "user/<str:username>/calendar.ics",
        share.SpeakerCalendarView.as_view(),
        name="speaker_calendar",
    ),
    path("talk/<int:pk>/edit/", views.TalkUpdateView.as_view(), name="edit"),
    path("talk/<int:pk>/comments/", comments.CommentCreateView.as_view(), name="comment_create"),
    path("comments/preview/", comments.CommentPreviewView.as_view(), name="comment_preview"),
    path(
        "talk/<int:pk>/comments/preview/",
        comments.CommentPreviewView.as_view(),
        name="talk_comment_preview",
    ),
    path("comments/<int:pk>/", comments.CommentLinkView.as_view(), name="comment"),
    path(
        "comments/<int:pk>/approve/",
        moderation.CommentModerationView.as_view(action="approve"),
        name="comment_approve",
    ),
    path(
        "comments/<int:pk>/delete/",
        moderation.CommentModerationView.as_view(action="delete"),
        name="comment_delete",
    ),
    *[
        path(f"comments/<int:pk>/{action}/", view, name=f"comment_{action}")
        for action, view in speaker.ACTION_VIEWS.items()
    ],
    path(
        "comments/<int:pk>/trust/",
        moderation.CommentModerationView.as_view(action="trust"),
        name="comment_trust",
    ),
    path("moderate/", moderation.ModerationQueueView.as_view(), name="moderate"),
    path("moderate/trusted/", trusted.TrustedAddressListView.as_view(), name="trusted"),
    path(
        "moderate/trusted/<int:pk>/remove/",
        trusted.TrustedAddressRemoveView.as_view(),
        name="trusted_remove",
    ),
    path(
        "moderate/email/<int:pk>/<str:action>/<str:token>/",
        inbox.EmailModerationView.as_view(),
        name="email_moderate",
    ),
    path("confirm/<str:token>/", inbox.ConfirmAddressView.as_view(), name="confirm_address"),
    path("publish/<str:token>/", inbox.PublishCommentView.as_view(), name="publish_comment"),
    path("moderate/admin/", moderation.AdminModerationQueueView.as_view(), name="moderate_admin"),
    path("feeds/talks/", feeds.TimelineFeed(), name="timeline_feed"),
    path("feeds/user/<str:username>/", feeds.SpeakerFeed(), name="speaker_feed"),
    path("feeds/talk/<int:pk>/comments/", feeds.TalkCommentsFeed(), name="comments_feed"),
    path("unsubscribe/<str:token>/", unsubscribe.UnsubscribeView.as_view(), name="unsubscribe"),
]
