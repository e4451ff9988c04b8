"""The one door for findings and clues (see rounds/managers.py)."""

from django.db import models

from xuncha.roles import identity_of, sees_everything

from .choices import ClueStatus


class FindingQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Office/leadership: all; group members: their group's; unit liaisons: what was fed back to their unit."""
        if sees_everything(user):
            return self
        if not user.is_authenticated:
            return self.none()
        from rounds.models import Inspection, InspectionGroup

        # The group's inspections as ids (a subquery on the inspection table): the planner then reads the
        # findings by inspection, instead of walking every finding newest first and joining up to its group.
        groups = InspectionGroup.objects.visible_to(user).values("pk")
        scope = models.Q(inspection__in=Inspection.objects.filter(group__in=groups).values("pk"))
        unit_id = identity_of(user).liaison_unit  # read with the roles, no query of its own
        if unit_id:
            scope |= models.Q(feedback__isnull=False, inspection__unit_id=unit_id)
        return self.filter(scope)


def clue_overdue_q(today) -> models.Q:
    """逾期未反馈 as a condition, for counts and filters (ClueQuerySet.overdue; one clue's side is
    Clue.is_overdue): transferred, not yet answered, and past the feedback due date."""
    return models.Q(status=ClueStatus.TRANSFERRED, feedback_due_date__lt=today)


class ClueQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Clues are tighter than findings: group leaders of the group, and the receiving body once transferred."""
        if sees_everything(user):
            return self
        if not user.is_authenticated:
            return self.none()
        from rounds.models import InspectionGroup

        scope = models.Q(inspection__group__in=InspectionGroup.objects.led_by(user).values("pk"))
        body = identity_of(user).body  # read with the roles, no query of its own
        if body:
            scope |= models.Q(receiving_body=body) & ~models.Q(status=ClueStatus.DRAFT)
        return self.filter(scope)

    def overdue(self, today):
        """Transferred, past the feedback due date, and not yet answered (逾期未反馈)."""
        return self.filter(clue_overdue_q(today))


class InspectionReportQuerySet(models.QuerySet):
    def visible_to(self, user):
        """巡察报告: office and leadership read all; a group's 组长/副组长 read their own group's. Members and
        liaisons read none (a report counts clues and speaks of people)."""
        if sees_everything(user):
            return self
        if not user.is_authenticated:
            return self.none()
        from rounds.models import InspectionGroup

        return self.filter(inspection__group__in=InspectionGroup.objects.led_by(user).values("pk"))


class PetitionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """巡察信访: office and leadership read all; a group's members read their own group's petitions (the
        petitioner is narrower still: findings.petition_workflow.sees_petitioner). County-wide petitions
        (no inspection) are the office's."""
        if sees_everything(user):
            return self
        if not user.is_authenticated:
            return self.none()
        from rounds.models import InspectionGroup

        return self.filter(inspection__group__in=InspectionGroup.objects.visible_to(user).values("pk"))
