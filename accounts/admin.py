from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from core.admin import ReadOnlyAdmin

from .models import Notice, Role, User


class RoleInline(admin.TabularInline):
    model = Role
    extra = 0


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "name", "politician", "is_active"]
    search_fields = ["email", "name"]
    inlines = [RoleInline]
    autocomplete_fields = ["politician"]
    fieldsets = [
        (None, {"fields": ["email", "password", "name", "politician"]}),
        ("Access", {"fields": ["is_active", "is_staff", "is_superuser"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]


@admin.register(Notice)
class NoticeAdmin(ReadOnlyAdmin):
    """The outbox, read only and without the body, html or url: a notice can hold a respondent's
    personal survey link, which nobody in the admin may see."""

    list_display = ["to_email", "subject", "status", "due_at", "sent_at"]
    list_filter = ["status"]
    search_fields = ["to_email", "subject", "key"]
    fields = [
        "key",
        "to_email",
        "subject",
        "status",
        "created_at",
        "due_at",
        "sent_at",
        "attempts",
        "last_error",
    ]
