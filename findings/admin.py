from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import BodyLiaison, Clue, CluePerson, Evidence, Finding, FindingCategory, FindingReview


@admin.register(FindingCategory)
class FindingCategoryAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "parent", "is_active"]
    search_fields = ["name", "code"]


class ReviewInline(admin.TabularInline):
    model = FindingReview
    extra = 0
    readonly_fields = ["from_state", "to_state", "actor", "comment", "at"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class EvidenceInline(admin.TabularInline):
    model = Evidence
    extra = 0
    readonly_fields = ["original_name", "size", "uploaded_by", "uploaded_at"]
    exclude = ["file"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Finding)
class FindingAdmin(SimpleHistoryAdmin):
    list_display = ["number", "title", "inspection", "category", "review_state", "key_minority"]
    list_filter = ["review_state", "key_minority", "immediate", "source"]
    search_fields = ["title"]
    raw_id_fields = ["inspection", "category", "author", "feedback"]
    readonly_fields = ["review_state"]
    inlines = [ReviewInline, EvidenceInline]


class CluePersonInline(admin.TabularInline):
    model = CluePerson
    extra = 0


@admin.register(Clue)
class ClueAdmin(SimpleHistoryAdmin):
    list_display = ["summary", "inspection", "receiving_body", "status", "transfer_date", "feedback_due_date"]
    list_filter = ["receiving_body", "status", "disposition"]
    raw_id_fields = ["inspection", "finding", "created_by"]
    readonly_fields = ["status"]  # moves only through the clue services (findings/workflow.py CLUE_TRANSITIONS)
    inlines = [CluePersonInline]


@admin.register(BodyLiaison)
class BodyLiaisonAdmin(SimpleHistoryAdmin):
    list_display = ["user", "body"]
    raw_id_fields = ["user"]
