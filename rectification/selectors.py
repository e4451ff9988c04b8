"""Reads for rectification pages: each starts from what the user may see."""

from django.db.models import Exists, OuterRef, Q
from django.shortcuts import get_object_or_404

from findings.choices import ReviewState
from findings.models import Clue, Finding
from rounds.models import PartyUnit, Round
from xuncha.roles import Role, roles_of, sees_everything
from xuncha.search import any_of, contains

from .choices import TaskSource
from .managers import OPEN_FIRST
from .models import ProgressEvidence, RectificationTask, Reminder
from .upper_models import UpperRequest

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


def source_q(source: str) -> Q:
    """来源: the county's own inspections' tasks, or the upper-level visits' (task_one_origin: one or the other)."""
    return Q(upper_request__isnull=source != TaskSource.UPPER)


def reads_ledger(user) -> bool:
    return bool(roles_of(user) & LEDGER_READERS)


def task_search(qs, words: str):
    """The ledger's one search (page, export, API): the measure, the finding's title or number, the upper-level
    request's title, the unit's name."""
    # The arms each on their own index (xuncha/search.py), their ids combined with UNION: an OR of them in one
    # WHERE made the planner scan every task (2 M tasks: 0.5–1.2 s; bench/RESULTS.md).
    findings = any_of(Finding.objects.filter(contains("title", words)), Finding.objects.filter(Finding.number_q(words)))
    units = PartyUnit.objects.filter(contains("name", words)).values("pk")
    requests = UpperRequest.objects.filter(title__icontains=words).values("pk")
    tasks = RectificationTask.objects
    return qs.filter(
        pk__in=any_of(
            tasks.filter(contains("measure", words)),
            tasks.filter(finding__in=findings),
            tasks.filter(upper_request__in=requests),
            tasks.filter(responsible_unit__in=units),
        )
    )


def task_list(*, user):
    """The 整改台账 rows this user may see, open tasks first, with the joins the ledger shows; the ledger's
    filters and sort are rectification.filtersets.TaskFilterSet."""
    return (
        RectificationTask.objects.visible_to(user)
        .select_related("finding", "upper_request", "responsible_unit", "handler")
        .order_by(OPEN_FIRST, "due_date", "pk")
    )


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
            "upper_request__visit",
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


def unassigned_requests(*, user):
    """件件有着落 for the upper-level visits: 问题整改 requests the office has not yet turned into a task."""
    from .choices import RequestKind

    has_task = RectificationTask.objects.filter(upper_request=OuterRef("pk"))
    return (
        UpperRequest.objects.visible_to(user)
        .filter(kind=RequestKind.RECTIFICATION)
        .filter(~Exists(has_task))
        .select_related("visit", "owner_unit")
        .order_by("due_date", "pk")
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


def reminder_search(qs, words: str):
    """The reminders list's one search: the task's measure, finding or upper-level request, or the clue's summary."""
    return qs.filter(
        Q(task__measure__icontains=words)
        | Q(task__finding__title__icontains=words)
        | Q(task__upper_request__title__icontains=words)
        | Q(clue__summary__icontains=words)
    )


def reminder_list(*, user):
    """The reminder ladder's rungs for the user's tasks and clues, newest first, with what the list shows."""
    return (
        reminders_visible(user)
        .select_related(
            "task__responsible_unit", "task__finding", "task__upper_request", "clue__inspection__unit", "document__unit"
        )
        .order_by("-created_at", "-pk")
    )
