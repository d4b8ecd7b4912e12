from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.db import models
from django.utils.text import Truncator
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from talks_site.ids import parse_id

from . import services
from .models import Comment, EmailAddress, OutboxEmail, Talk, TrustedAddress


@admin.register(Talk)
class TalkAdmin(admin.ModelAdmin):
    list_display = ("title", "author", "venue", "date", "created_at")
    list_filter = ("date",)
    list_select_related = ("author",)
    search_fields = ("title", "description", "venue", "author__username", "author__email")
    raw_id_fields = ("author",)
    date_hierarchy = "date"
    ordering = ("-date", "-id")
    # The venue URL field, like the site's form, reads "example.com" as https (Django 6's default).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


class TalkFilter(admin.SimpleListFilter):
    """Filter by talk: offers the talks with comments waiting (a short list even on a big site)."""

    title = _("talk")
    parameter_name = "talk"

    def lookups(self, request, model_admin):
        talks = Talk.objects.filter(comments__approved=False)
        talk_id = parse_id(self.value())
        if talk_id is not None:
            talks = Talk.objects.filter(pk=talk_id) | talks
        return [(talk.pk, talk.title) for talk in talks.distinct().order_by("title")[:50]]

    def has_output(self):
        # A talk asked for in the address filters the list even when it has no comment waiting.
        return bool(self.value()) or super().has_output()

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        talk_id = parse_id(self.value())
        if talk_id is None:
            # The changelist answers this with its "?e=1" page, not an error.
            raise IncorrectLookupParameters(_("The talk filter takes a talk id."))
        return queryset.filter(talk_id=talk_id)


class ReplyFilter(admin.SimpleListFilter):
    """Top-level comments or replies."""

    title = _("kind")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return [("top", _("Top-level comments")), ("reply", _("Replies"))]

    def queryset(self, request, queryset):
        if self.value() == "top":
            return queryset.filter(parent__isnull=True)
        if self.value() == "reply":
            return queryset.filter(parent__isnull=False)
        return queryset


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = (
        "excerpt",
        "display_name",
        "author_email",
        "talk",
        "in_reply_to",
        "created_at",
        "approved",
    )
    list_filter = ("approved", TalkFilter, ReplyFilter, "pinned", "answered")
    list_select_related = ("talk", "author", "parent__author")
    search_fields = ("body", "author_name", "author_email")
    raw_id_fields = ("talk", "author")
    # A reply's place and the speaker's marks are set on the site, where their rules apply.
    readonly_fields = ("approved", "created_at", "parent", "pinned", "answered")
    fields = (
        "talk",
        "parent",
        "author",
        "author_name",
        "author_email",
        "body",
        "notify",
        "approved",
        "pinned",
        "answered",
    )
    ordering = ("-created_at", "-id")
    actions = ["approve_comments", "approve_and_trust_comments"]
    # The changelist's "N of M selected" would COUNT(*) the whole comments table.
    show_full_result_count = False

    @admin.display(description=_("comment"))
    def excerpt(self, comment):
        return Truncator(comment.body).chars(80)

    @admin.display(description=_("in reply to"))
    def in_reply_to(self, comment):
        if not comment.parent_id:
            return ""
        return gettext("#%(id)s by %(name)s") % {
            "id": comment.parent_id,
            "name": comment.parent.display_name,
        }

    @admin.display(description=_("by"))
    def display_name(self, comment):
        return comment.display_name

    def has_add_permission(self, request):
        # Comments are written on the site, where the posting rules apply.
        return False

    @admin.action(description=_("Approve selected comments"), permissions=["change"])
    def approve_comments(self, request, queryset):
        """Approve each waiting comment through the service, so each one notifies like the API."""
        approved = 0
        for comment in queryset.pending().select_related("talk", "author"):
            try:
                services.approve_comment(comment)
            except (services.CommentStateError, Comment.DoesNotExist):
                continue  # approved or deleted by someone else since the list was shown
            approved += 1
        message = ngettext(
            "Approved %(count)d comment.", "Approved %(count)d comments.", approved
        ) % {"count": approved}
        self.message_user(request, message)

    @admin.action(
        description=_("Approve selected comments and trust their addresses"),
        permissions=["change"],
    )
    def approve_and_trust_comments(self, request, queryset):
        """Approve each waiting visitor comment and let its talk's author trust its address."""
        approved = 0
        for comment in queryset.pending().filter(author__isnull=True).select_related("talk"):
            try:
                services.approve_and_trust(comment)
            except (services.CommentStateError, Comment.DoesNotExist):
                continue  # approved or deleted by someone else since the list was shown
            approved += 1
        self.message_user(
            request,
            ngettext(
                "Approved %(count)d comment and trusted its address.",
                "Approved %(count)d comments and trusted their addresses.",
                approved,
            )
            % {"count": approved},
        )


@admin.register(EmailAddress)
class EmailAddressAdmin(admin.ModelAdmin):
    """Visitors' addresses: which are confirmed, and when one was last asked to confirm."""

    list_display = ("address", "confirmed_at", "confirmation_sent_at", "created_at")
    list_filter = (("confirmed_at", admin.EmptyFieldListFilter),)
    search_fields = ("address",)
    ordering = ("-created_at", "-id")
    readonly_fields = ("address", "confirmation_sent_at", "created_at")

    def has_add_permission(self, request):
        # An address is confirmed by its owner, through the emailed link.
        return False


@admin.register(TrustedAddress)
class TrustedAddressAdmin(admin.ModelAdmin):
    """Every speaker's trusted addresses; deleting one ends that trust."""

    list_display = ("address", "speaker", "created_at", "from_comment")
    list_select_related = ("speaker", "from_comment")
    search_fields = ("address", "speaker__username", "speaker__email")
    raw_id_fields = ("speaker", "from_comment")
    ordering = ("-created_at", "-id")

    def has_add_permission(self, request):
        # Trust is given from a comment ("Approve and trust"), where the address was seen.
        return False

    def has_change_permission(self, request, obj=None):
        return False


class SentFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("pending", _("Pending")), ("sent", _("Sent")), ("failed", _("Failed"))]

    def queryset(self, request, queryset):
        if self.value() == "pending":
            return queryset.pending()
        if self.value() == "sent":
            return queryset.filter(sent_at__isnull=False)
        if self.value() == "failed":
            return queryset.failed()
        return queryset


@admin.register(OutboxEmail)
class OutboxEmailAdmin(admin.ModelAdmin):
    """What the worker has sent and what still waits (with the last delivery error)."""

    list_display = (
        "address",
        "kind",
        "talk",
        "created_at",
        "sent_at",
        "failed_at",
        "attempts",
        "next_attempt_at",
        "last_error",
    )
    list_filter = (SentFilter, "kind")
    list_select_related = ("talk",)
    search_fields = ("address",)
    ordering = ("-created_at", "-id")
    readonly_fields = [field.name for field in OutboxEmail._meta.fields] + ["comments"]

    def has_add_permission(self, request):
        # Rows are written only with their comment, in the same transaction.
        return False

    def has_change_permission(self, request, obj=None):
        return False
