from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import AccountEvent, Profile


@admin.register(Profile)
class ProfileAdmin(SimpleHistoryAdmin):
    list_display = ["user", "phone", "unit", "must_change_password"]
    search_fields = ["user__username", "user__first_name", "phone"]
    raw_id_fields = ["user", "unit"]


@admin.register(AccountEvent)
class AccountEventAdmin(admin.ModelAdmin):
    list_display = ["at", "account", "action", "actor", "detail"]
    list_filter = ["action"]
    search_fields = ["account__username", "detail"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
