"""Django admin for support staff, read-mostly: the portal's pages are the main UI, and every
change there goes through services.py so rules and notices apply."""

from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import Document, Meeting, Minutes


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "kind", "status", "agenda_published_at", "leader"]
    list_filter = ["council", "kind", "status"]
    date_hierarchy = "starts_at"


@admin.register(Minutes)
class MinutesAdmin(ReadOnlyAdmin):
    list_display = ["meeting", "status", "version", "published_version", "approved_at", "published_at"]
    list_filter = ["status"]


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin):
    list_display = ["meeting", "kind", "status", "source", "rendered_at"]
    list_filter = ["kind", "status"]
