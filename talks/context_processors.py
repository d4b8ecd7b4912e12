"""Template context for every page."""

from functools import partial

from django.utils.functional import SimpleLazyObject

from .models import Comment


def _pending_counts(request):
    user = request.user
    return Comment.objects.pending_counts(user) if user.is_authenticated else {}


def moderation(request):
    """`pending_counts.mine` / `.all` for the navbar badges: one query, and only if shown."""
    return {"pending_counts": SimpleLazyObject(partial(_pending_counts, request))}
