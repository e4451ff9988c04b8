"""What the API shows of each row: the columns of the matching page and ledger, ids for the links between them."""

from rest_framework import serializers

from findings.models import Clue, CluePerson, Finding
from rectification.models import ProgressReport, RectificationTask, Reminder
from rounds.models import Inspection, PartyUnit, Plan, Round


class UnitSerializer(serializers.ModelSerializer):
    class Meta:
        model = PartyUnit
        fields = ["id", "name", "kind", "parent", "is_active"]


class PlanSerializer(serializers.ModelSerializer):
    class Meta:
        model = Plan
        fields = ["id", "name", "start_year", "end_year"]


class RoundSerializer(serializers.ModelSerializer):
    label = serializers.CharField(source="__str__", read_only=True)

    class Meta:
        model = Round
        fields = ["id", "label", "plan", "number", "year", "start_date", "end_date", "theme", "status"]


class InspectionSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    group_name = serializers.CharField(source="group.name", read_only=True)

    class Meta:
        model = Inspection
        fields = [
            "id",
            "round",
            "group",
            "group_name",
            "unit",
            "unit_name",
            "kind",
            "stage",
            "entry_date",
            "onsite_end_date",
            "feedback_date",
            "interviews",
            "documents",
            "questionnaires",
            "visits",
            "petitions",
        ]


class FindingSerializer(serializers.ModelSerializer):
    number = serializers.CharField(read_only=True)
    category_name = serializers.CharField(source="category.name", read_only=True, default=None)

    class Meta:
        model = Finding
        fields = [
            "id",
            "number",
            "inspection",
            "category",
            "category_name",
            "title",
            "description",
            "source",
            "key_minority",
            "immediate",
            "review_state",
            "created_at",
        ]


class CluePersonSerializer(serializers.ModelSerializer):
    class Meta:
        model = CluePerson
        fields = ["name", "post", "rank"]


class ClueSerializer(serializers.ModelSerializer):
    people = CluePersonSerializer(many=True, read_only=True)

    class Meta:
        model = Clue
        fields = [
            "id",
            "inspection",
            "summary",
            "people",
            "receiving_body",
            "receiving_body_other",
            "status",
            "transfer_date",
            "letter_number",
            "feedback_due_date",
            "disposition",
            "outcome",
            "answered_date",
            "created_at",
        ]


class TaskSerializer(serializers.ModelSerializer):
    finding_number = serializers.CharField(source="finding.number", read_only=True)
    responsible_unit_name = serializers.CharField(source="responsible_unit.name", read_only=True)

    class Meta:
        model = RectificationTask
        fields = [
            "id",
            "finding",
            "finding_number",
            "round",
            "measure",
            "goal",
            "responsible_unit",
            "responsible_unit_name",
            "term_type",
            "due_date",
            "progress",
            "status",
            "closed_at",
        ]


class ProgressReportSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProgressReport
        fields = ["id", "task", "text", "progress", "created_at"]


class ReminderSerializer(serializers.ModelSerializer):
    class Meta:
        model = Reminder
        fields = ["id", "task", "clue", "document", "rung", "due_date", "state", "created_at", "sent_at"]
