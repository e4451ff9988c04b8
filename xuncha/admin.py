from django.contrib import admin

from .models import ExportLog, ImportJob


class ReadOnlyAdmin(admin.ModelAdmin):
    """An audit record is never added, changed or deleted by hand."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ExportLog)
class ExportLogAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "user", "action", "kind", "confidential", "row_count", "filename"]
    list_filter = ["action", "kind", "confidential"]
    search_fields = ["user__username", "user__first_name", "filename", "object_repr"]
    date_hierarchy = "created_at"
    list_select_related = ["user"]


@admin.register(ImportJob)
class ImportJobAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "created_by", "kind", "status", "total", "created_count", "original_name"]
    list_filter = ["kind", "status"]
    list_select_related = ["created_by"]
