from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Feedback,
    Notification,
    ProgressReport,
    RectificationTask,
    Reminder,
    SpotCheck,
    SpotCheckItem,
    TaskEvent,
)


@admin.register(Feedback)
class FeedbackAdmin(SimpleHistoryAdmin):
    list_display = ["inspection", "date", "plan_due", "report_due", "assessment_due"]
    raw_id_fields = ["inspection", "given_by"]


class TaskEventInline(admin.TabularInline):
    model = TaskEvent
    extra = 0
    readonly_fields = ["from_status", "to_status", "actor", "comment", "at"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(RectificationTask)
class RectificationTaskAdmin(SimpleHistoryAdmin):
    list_display = ["measure", "responsible_unit", "term_type", "due_date", "progress", "status"]
    list_filter = ["status", "term_type"]
    search_fields = ["measure"]
    raw_id_fields = ["finding", "upper_request", "responsible_unit", "responsible_leader", "handler"]
    # Status moves only through the transitions service.
    readonly_fields = ["status", "closed_at"]
    inlines = [TaskEventInline]

    def get_readonly_fields(self, request, obj=None):
        # A task never moves to another origin: its round is copied from the finding when it is made.
        return [*self.readonly_fields, "finding", "upper_request"] if obj else self.readonly_fields


@admin.register(ProgressReport)
class ProgressReportAdmin(SimpleHistoryAdmin):
    list_display = ["task", "progress", "author", "created_at"]
    raw_id_fields = ["task", "author"]

    # Append-only: a correction is a new report.
    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["task", "clue", "rung", "due_date", "state", "sent_at"]
    list_filter = ["rung", "state"]
    raw_id_fields = ["task", "clue"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["recipient", "title", "created_at", "read_at"]
    raw_id_fields = ["recipient", "reminder"]


class SpotCheckItemInline(admin.TabularInline):
    model = SpotCheckItem
    extra = 0
    raw_id_fields = ["task", "inspection", "checked_by"]


@admin.register(SpotCheck)
class SpotCheckAdmin(SimpleHistoryAdmin):
    list_display = ["kind", "round", "seed", "sample_size", "drawn_by", "drawn_at"]
    inlines = [SpotCheckItemInline]


from .models import (  # noqa: E402
    Accountability,
    Assessment,
    AssessmentIndicator,
    GradeBand,
    InspectionOfficial,
    LookbackProposal,
    RectificationOutcome,
    SupervisingLiaison,
    UnitDocument,
)


@admin.register(UnitDocument)
class UnitDocumentAdmin(SimpleHistoryAdmin):
    list_display = ["unit", "kind", "due_date", "status", "first_submitted_on"]
    list_filter = ["kind", "status"]
    raw_id_fields = ["feedback", "inspection", "unit"]
    readonly_fields = ["status", "first_submitted_on", "accepted_at"]  # moves only through the workflow service


@admin.register(AssessmentIndicator)
class AssessmentIndicatorAdmin(SimpleHistoryAdmin):
    list_display = ["name", "weight", "order", "is_active"]


@admin.register(GradeBand)
class GradeBandAdmin(SimpleHistoryAdmin):
    list_display = ["grade", "min_score"]


@admin.register(Assessment)
class AssessmentAdmin(SimpleHistoryAdmin):
    list_display = ["unit", "assessed_on", "score", "grade"]
    raw_id_fields = ["inspection", "unit", "assessor"]


@admin.register(SupervisingLiaison)
class SupervisingLiaisonAdmin(SimpleHistoryAdmin):
    list_display = ["user", "body", "all_units"]
    raw_id_fields = ["user"]
    filter_horizontal = ["units"]


for model in (Accountability, InspectionOfficial, LookbackProposal, RectificationOutcome):
    admin.site.register(model, SimpleHistoryAdmin)
