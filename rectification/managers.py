"""The one door for rectification data (see rounds/managers.py)."""

from datetime import timedelta

from django.db import models

from xuncha.roles import Role, identity_of, roles_of, sees_everything

from .choices import NOT_OVERDUE_STATUSES, TaskStatus


def _liaison_unit_id(user):
    return identity_of(user).liaison_unit  # read with the roles, no query of its own


def _or_supervised(scope, user, field):
    """Widen a scope with the units the user supervises (纪委监委/组织部 日常监督), if any."""
    from .scopes import supervised_q

    supervised = supervised_q(user, field)
    return scope | supervised if supervised is not None else scope


class FeedbackQuerySet(models.QuerySet):
    def visible_to(self, user):
        if sees_everything(user):
            return self
        if not user.is_authenticated:
            return self.none()
        from rounds.models import InspectionGroup

        scope = models.Q(inspection__group__in=InspectionGroup.objects.visible_to(user).values("pk"))
        unit_id = _liaison_unit_id(user)
        if unit_id:
            scope |= models.Q(inspection__unit_id=unit_id)
        return self.filter(_or_supervised(scope, user, "inspection__unit"))


# The ledger's default order, open tasks before closed ones (0 / 1); an index on the same expression
# (task_open_first) serves it.
OPEN_FIRST = models.Case(
    models.When(status=TaskStatus.CLOSED, then=models.Value(1)),
    default=models.Value(0),
    output_field=models.IntegerField(),
)


def overdue_q(today) -> models.Q:
    """Overdue tasks as a condition, for counts and filters (TaskQuerySet.overdue; one task's side is
    RectificationTask.is_overdue): past due and neither closed nor awaiting verification."""
    return models.Q(due_date__lt=today) & ~models.Q(status__in=NOT_OVERDUE_STATUSES)


def due_soon_q(today, days: int = 10) -> models.Q:
    """Due today or within `days` days and still being worked on (neither closed nor awaiting verification)."""
    return models.Q(due_date__gte=today, due_date__lte=today + timedelta(days=days)) & ~models.Q(
        status__in=NOT_OVERDUE_STATUSES
    )


class TaskQuerySet(models.QuerySet):
    def visible_to(self, user, *, named: bool = False):
        """Office/leadership: all; groups: their findings' tasks; unit liaisons: tasks their unit is responsible for;
        unit heads (PartyUnit.head): their unit's tasks, read-only; supervising liaisons: tasks of the units they
        supervise, read-only. With `named` (one task's page, its evidence),
        also the tasks naming the user 经办人 or 责任领导, read-only: whoever the reminder ladder writes to opens
        the task it points to. Lists leave `named` off: an OR on other columns would turn a group's indexed
        ledger into a scan of every task."""
        if sees_everything(user):
            return self
        if not user.is_authenticated:
            return self.none()
        from rounds.models import InspectionGroup, PartyUnit

        groups = InspectionGroup.objects.visible_to(user)
        # The groups' rounds too (a task carries its round; the group is three joins up): the task_round_due_date_id
        # index then reads the rounds' tasks in ledger order, instead of every task tested up to its group.
        scope = models.Q(round__in=groups.values("round"), finding__inspection__group__in=groups.values("pk"))
        unit_id = _liaison_unit_id(user)
        if unit_id:
            scope |= models.Q(responsible_unit_id=unit_id)
        if Role.UNIT_HEAD in roles_of(user):
            scope |= models.Q(responsible_unit__in=PartyUnit.objects.filter(head=user).values("pk"))
        if named:
            scope |= models.Q(handler=user) | models.Q(responsible_leader=user)
        return self.filter(_or_supervised(scope, user, "responsible_unit"))

    def overdue(self, today):
        """Past due and neither closed nor awaiting verification (README, "coverage, exactly")."""
        return self.filter(overdue_q(today))


class DocumentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The unit's documents: office/leadership all; groups their inspections'; the unit's liaison; supervisors."""
        if sees_everything(user):
            return self
        if not user.is_authenticated:
            return self.none()
        from rounds.models import InspectionGroup, UnitLiaison

        scope = models.Q(inspection__group__in=InspectionGroup.objects.visible_to(user).values("pk"))
        # The liaison's unit as a subquery: the ledger shows these counts without one more query.
        scope |= models.Q(unit__in=UnitLiaison.objects.filter(user=user).values("unit"))
        return self.filter(_or_supervised(scope, user, "unit"))


class AssessmentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Assessments: office/leadership, and the supervising liaisons of the unit (cadre evaluation material)."""
        if sees_everything(user):
            return self
        if not user.is_authenticated:
            return self.none()
        return self.filter(_or_supervised(models.Q(pk__in=[]), user, "unit"))


class UnitScopedQuerySet(models.QuerySet):
    """Outcomes and accountability, read like assessments: office/leadership and the unit's supervisors."""

    def visible_to(self, user):
        if sees_everything(user):
            return self
        if not user.is_authenticated:
            return self.none()
        return self.filter(_or_supervised(models.Q(pk__in=[]), user, "inspection__unit"))
