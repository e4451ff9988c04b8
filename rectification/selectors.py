"""Reads for rectification pages: each starts from what the user may see."""

from django.db.models import Exists, OuterRef, Q
from django.shortcuts import get_object_or_404

from findings.choices import ReviewState
from findings.models import Clue, Finding
from rounds.models import PartyUnit, Round
from xuncha.roles import Role, roles_of, sees_everything
from xuncha.search import any_of, contains

from .models import ProgressEvidence, RectificationTask, Reminder

# Who has the 整改台账 at all; anyone else gets 404 on its pages.
LEDGER_READERS = frozenset(
    {
        Role.OFFICE,
        Role.LEADERSHIP,
        Role.GROUP_LEADER,
        Role.GROUP_MEMBER,
        Role.UNIT_LIAISON,
        Role.UNIT_HEAD,
        Role.SUPERVISING_LIAISON,  # read-only: the units their body supervises (TaskQuerySet.visible_to)
    }
)


def reads_ledger(user) -> bool:
    return bool(roles_of(user) & LEDGER_READERS)


def task_list(*, user, q="", round=None, unit=None, status="", term_type="", overdue=False, today=None):
    """The 整改台账 rows this user may see, filtered, with the joins the ledger shows."""
    qs = RectificationTask.objects.visible_to(user).select_related("finding", "responsible_unit", "handler")
    if q:
        # Three arms, each on its own index (xuncha/search.py), their ids combined with UNION: an OR of the
        # three in one WHERE made the planner scan every task (2 M tasks: 0.5–1.2 s; bench/RESULTS.md).
        findings = any_of(Finding.objects.filter(contains("title", q)), Finding.objects.filter(Finding.number_q(q)))
        units = PartyUnit.objects.filter(contains("name", q)).values("pk")
        tasks = RectificationTask.objects
        qs = qs.filter(
            pk__in=any_of(
                tasks.filter(contains("measure", q)),
                tasks.filter(finding__in=findings),
                tasks.filter(responsible_unit__in=units),
            )
        )
    if round is not None:
        qs = qs.filter(round=round)
    if unit is not None:
        qs = qs.filter(responsible_unit=unit)
    if status:
        qs = qs.filter(status=status)
    if term_type:
        qs = qs.filter(term_type=term_type)
    if overdue:
        qs = qs.overdue(today)
    return qs.order_by("due_date", "pk")


def task_units(*, user):
    """Units for the ledger's filter: all for overseers (a unit taken off the register keeps its tasks),
    else only those of the user's own tasks."""
    if sees_everything(user):
        return PartyUnit.objects.all()
    return PartyUnit.objects.filter(pk__in=RectificationTask.objects.visible_to(user).values("responsible_unit"))


def task_rounds(*, user):
    """Rounds for the ledger's filter: all for overseers, else only those of the user's own tasks."""
    if sees_everything(user):
        return Round.objects.all()
    return Round.objects.filter(pk__in=RectificationTask.objects.visible_to(user).values("round"))


def task_get(*, user, pk) -> RectificationTask:
    return get_object_or_404(
        RectificationTask.objects.visible_to(user, named=True).select_related(
            "finding__inspection__round",
            "finding__inspection__group",
            "finding__feedback",
            "responsible_unit",
            "handler",
            "responsible_leader",
        ),
        pk=pk,
    )


def unassigned_findings(*, user):
    """件件有着落: fed-back findings (or reported 立行立改 ones) that have no task yet."""
    has_task = RectificationTask.objects.filter(finding=OuterRef("pk"))
    return (
        Finding.objects.visible_to(user)
        .filter(Q(feedback__isnull=False) | Q(immediate=True, review_state=ReviewState.REPORTED))
        .filter(~Exists(has_task))
        .select_related("inspection__round", "inspection__unit", "inspection__group", "feedback", "category")
        .order_by("inspection_id", "seq")
    )


def evidence_get(*, user, pk) -> ProgressEvidence:
    visible = RectificationTask.objects.visible_to(user, named=True).values("pk")
    return get_object_or_404(ProgressEvidence.objects.filter(report__task__in=visible), pk=pk)


def reminders_visible(user):
    """Reminders of the tasks and clues the user may see (through each one's own door)."""
    from .models import UnitDocument

    return Reminder.objects.filter(
        Q(task__in=RectificationTask.objects.visible_to(user).values("pk"))
        | Q(clue__in=Clue.objects.visible_to(user).values("pk"))
        | Q(document__in=UnitDocument.objects.visible_to(user).values("pk"))
    )


def reminder_list(*, user, q="", rung="", state=""):
    """The reminder ladder's rungs for the user's tasks and clues, newest first, with what the list shows."""
    qs = reminders_visible(user).select_related(
        "task__responsible_unit", "task__finding", "clue__inspection__unit", "document__unit"
    )
    if q:
        qs = qs.filter(
            Q(task__measure__icontains=q) | Q(task__finding__title__icontains=q) | Q(clue__summary__icontains=q)
        )
    if rung:
        qs = qs.filter(rung=rung)
    if state:
        qs = qs.filter(state=state)
    return qs.order_by("-created_at", "-pk")
