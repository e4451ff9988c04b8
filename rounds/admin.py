from django.contrib import admin
from guardian.admin import GuardedModelAdminMixin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Avoidance,
    GroupMembership,
    Inspection,
    InspectionGroup,
    Inspector,
    Milestone,
    PartyUnit,
    Plan,
    PlanUnit,
    Round,
    UnitLiaison,
)


@admin.register(PartyUnit)
class PartyUnitAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "parent", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name"]
    raw_id_fields = ["parent", "head"]


class AvoidanceInline(admin.TabularInline):
    model = Avoidance
    raw_id_fields = ["unit"]
    extra = 0


@admin.register(Inspector)
class InspectorAdmin(SimpleHistoryAdmin):
    list_display = ["name", "home_unit", "rank", "in_leader_pool", "is_active"]
    list_filter = ["in_leader_pool", "is_active"]
    search_fields = ["name"]
    raw_id_fields = ["user", "home_unit"]
    inlines = [AvoidanceInline]


class PlanUnitInline(admin.TabularInline):
    model = PlanUnit
    raw_id_fields = ["unit"]
    extra = 0


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


@admin.register(Plan)
class PlanAdmin(SimpleHistoryAdmin):
    list_display = ["name", "start_year", "end_year"]
    inlines = [MilestoneInline, PlanUnitInline]


@admin.register(Round)
class RoundAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "plan", "theme", "status", "start_date", "end_date"]
    list_filter = ["status", "year"]


class MembershipInline(admin.TabularInline):
    model = GroupMembership
    raw_id_fields = ["inspector"]
    extra = 0
    # Memberships carry object permissions: change them in the app, which grants and revokes.
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(InspectionGroup)
class InspectionGroupAdmin(GuardedModelAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "round"]
    list_filter = ["round"]
    inlines = [MembershipInline]


@admin.register(Inspection)
class InspectionAdmin(SimpleHistoryAdmin):
    list_display = ["unit", "group", "round", "kind", "stage"]
    list_filter = ["kind", "stage", "round"]
    search_fields = ["unit__name"]
    raw_id_fields = ["unit", "group", "round"]
    # The stage moves only through services.inspection_advance (rounds/workflow.py), the archive through
    # services.inspection_archive: the admin shows them, never writes them.
    readonly_fields = ["stage", "stage_changed_at", "archived_at", "archived_by"]


@admin.register(UnitLiaison)
class UnitLiaisonAdmin(SimpleHistoryAdmin):
    list_display = ["user", "unit"]
    raw_id_fields = ["user", "unit"]
