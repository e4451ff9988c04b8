"""The 整改台账 (the headline export) and the reminders list.

The ledger streams 60,000 rows in bounded memory: the joins are one select_related, and the evidence
file names come from one correlated string_agg/group_concat subquery, so the query count does not
grow with the rows."""

from django.utils.translation import gettext_lazy as _

from xuncha.exports import Column, ExportSpec
from xuncha.exports.access import any_role
from xuncha.exports.sql import joined_names
from xuncha.people import full_name

from . import selectors
from .choices import TaskSource, TaskStatus, TermType
from .filtersets import ReminderFilterSet, TaskFilterSet
from .models import ProgressEvidence, RectificationTask


def _person(user):
    return full_name(user)


PERSON_FIELDS = ("username", "first_name", "last_name")


def _ledger_joins(qs):
    # Only the fields the columns read: 60,000 rows × 8 joined objects is where the time goes.
    return (
        qs.select_related(
            "round",
            "finding__category__parent",
            "upper_request",
            "responsible_unit",
            "responsible_leader",
            "handler",
        )
        .only(
            "measure",
            "goal",
            "term_type",
            "due_date",
            "progress",
            "status",
            "closed_at",
            "finding__inspection",
            "finding__seq",
            "finding__title",
            "upper_request__title",
            "round__year",
            "round__number",
            "finding__category__name",
            "finding__category__parent__name",
            "responsible_unit__name",
            *(f"responsible_leader__{f}" for f in PERSON_FIELDS),
            *(f"handler__{f}" for f in PERSON_FIELDS),
        )
        .annotate(
            evidence_names=joined_names(
                ProgressEvidence.objects.order_by("report_id", "pk"), outer="report__task", field="original_name"
            )
        )
    )


def ledger_queryset(user):
    return _ledger_joins(RectificationTask.objects.visible_to(user))


LEDGER_COLUMNS = (
    Column(_("序号"), "pk", 6, "seq"),
    Column(_("问题编号"), "finding.number", 11),
    Column(_("问题类别"), "finding.category", 18, "wrap"),
    # The finding's title, or for a task of an upper-level visit the 问题整改 request it rectifies.
    Column(_("反馈问题"), "problem_title", 32, "wrap"),
    Column(_("整改措施"), "measure", 40, "wrap"),
    Column(_("整改目标"), "goal", 28, "wrap"),
    Column(_("责任领导"), lambda t: _person(t.responsible_leader), 10),
    Column(_("责任部门"), "responsible_unit.name", 18, "wrap"),
    Column(_("经办人"), lambda t: _person(t.handler), 10),
    Column(_("时限类型"), "term_type", 10, choices=TermType),
    Column(_("整改时限"), "due_date", 12, "date"),
    Column(_("进度"), "progress", 8, "percent"),
    Column(_("状态"), "status", 12, choices=TaskStatus),
    Column(_("佐证材料"), "evidence_names", 28, "wrap"),
    Column(_("销号日期"), "closed_at", 12, "date"),
    # Last, so the columns the office's sheets refer to keep their letters.
    Column(_("来源"), "get_source_display", 12),
)

LEDGER = ExportSpec(
    kind="ledger",
    title=_("整改台账"),
    columns=LEDGER_COLUMNS,
    base=ledger_queryset,
    allowed=selectors.reads_ledger,  # the ledger page's own gate
    filterset=TaskFilterSet,
    order_by=("finding__inspection_id", "finding__seq", "due_date", "pk"),
    confidential=True,
    prepare=_ledger_joins,
    # ?sheets=round: one sheet per round, newest round first; the upper-level visits' tasks (no round) on their own.
    sheet_key=lambda t: str(t.round) if t.round_id else str(TaskSource.UPPER.label),
    sheet_order=(
        "-round__year",
        "-round__number",
        "round_id",
        "finding__inspection_id",
        "finding__seq",
        "pk",
    ),
)


def _reminder_joins(qs):
    return qs.select_related("task__responsible_unit", "task__finding", "task__upper_request", "clue", "document__unit")


def reminders_queryset(user):
    return _reminder_joins(selectors.reminders_visible(user))


def _unit_of(reminder):
    return reminder.task.responsible_unit.name if reminder.task_id else None


def _subject(reminder):
    if reminder.task_id:
        task = reminder.task
        return f"{task.finding.number if task.finding_id else task.get_source_display()} {task.measure}"
    if reminder.document_id:
        return str(reminder.document)
    return str(reminder.clue)


REMINDERS = ExportSpec(
    kind="reminders",
    title=_("整改提醒"),
    columns=(
        Column(_("序号"), "pk", 6, "seq"),
        Column(_("提醒级别"), "get_rung_display", 14),
        Column(_("到期日期"), "due_date", 12, "date"),
        Column(_("事项"), _subject, 48, "wrap"),
        Column(_("责任部门"), lambda r: r.document.unit.name if r.document_id else _unit_of(r), 20),
        Column(_("状态"), "get_state_display", 10),
        Column(_("生成时间"), "created_at", 12, "date"),
        Column(_("发送时间"), "sent_at", 12, "date"),
    ),
    base=reminders_queryset,
    allowed=any_role,
    filterset=ReminderFilterSet,
    order_by=("-created_at", "-pk"),
    confidential=True,
    prepare=_reminder_joins,
)
