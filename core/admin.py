"""Admin pieces the apps share."""

from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """For rows the portal's pages and services write (so rules and notices apply): read only."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
