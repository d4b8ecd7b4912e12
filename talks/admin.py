from django.contrib import admin
from django.db import models

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
    # The venue URL field, like the site's form, reads "example.com" as https (Django 6's default).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
