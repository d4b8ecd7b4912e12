from django.contrib import admin

from .models import Talk


@admin.register(Talk)
class TalkAdmin(admin.ModelAdmin):
    list_display = ("title", "author", "venue", "date", "created_at")
    list_filter = ("date",)
    list_select_related = ("author",)
    search_fields = ("title", "description", "venue", "author__username", "author__email")
    raw_id_fields = ("author",)
    date_hierarchy = "date"
    ordering = ("-date", "-id")
