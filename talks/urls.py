from django.urls import path

from . import feeds
from .views import talks as views

app_name = "talks"

urlpatterns = [
    path("", views.TimelineView.as_view(), name="timeline"),
    path("talk/new/", views.TalkCreateView.as_view(), name="create"),
    path("talk/<int:pk>/", views.TalkDetailView.as_view(), name="detail"),
    path("talk/<int:pk>/edit/", views.TalkUpdateView.as_view(), name="edit"),
    path("feeds/talks/", feeds.TimelineFeed(), name="timeline_feed"),
    path("feeds/user/<str:username>/", feeds.SpeakerFeed(), name="speaker_feed"),
    path("feeds/talk/<int:pk>/comments/", feeds.TalkCommentsFeed(), name="comments_feed"),
]
