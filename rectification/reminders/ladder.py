"""The ladder: which rung each subject is on, who hears of it (one rule for every subject), and its message."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xuncha.roles import LEADERSHIP_GROUP, OFFICE_GROUP

from ..choices import Rung
from ..models import Reminder

ESCALATE_AFTER_DAYS = 30

# Who hears of a rung, by subject. The unit's liaisons stand in for a task without a named 经办人.
HANDLER, LEADER, UNIT_HEAD, OFFICE, LEADERSHIP = "handler", "leader", "unit_head", "office", "leadership"
LIAISONS, OWNER = "liaisons", "owner"
TASK, CLUE, DOCUMENT, REQUEST = "task", "clue", "document", "request"
RECIPIENTS = {
    TASK: {
        Rung.D20: {HANDLER},
        Rung.D10: {HANDLER, LEADER},
        Rung.DUE: {HANDLER, LEADER},
        Rung.OVERDUE: {UNIT_HEAD, OFFICE},
        # The unit head and the office stay on it: a task first seen 40 days late skips the overdue rung.
        Rung.ESCALATED: {LEADERSHIP, UNIT_HEAD, OFFICE},
    },
    # A clue whose feedback (from the discipline commission / organisation department) is late.
    CLUE: {Rung.OVERDUE: {OFFICE}, Rung.ESCALATED: {OFFICE, LEADERSHIP}},
    # A document the unit owes (整改方案/整改报告): its liaisons write it, its head answers for it once late.
    DOCUMENT: {
        Rung.D20: {LIAISONS},
        Rung.D10: {LIAISONS},
        Rung.DUE: {LIAISONS, UNIT_HEAD},
        Rung.OVERDUE: {LIAISONS, UNIT_HEAD, OFFICE},
        Rung.ESCALATED: {LIAISONS, UNIT_HEAD, OFFICE, LEADERSHIP},
    },
    # An upper-level request (配合上级巡视): its county owner all along, the office once late, leadership after 30 days.
    REQUEST: {
        Rung.D20: {OWNER},
        Rung.D10: {OWNER},
        Rung.DUE: {OWNER},
        Rung.OVERDUE: {OWNER, OFFICE},
        Rung.ESCALATED: {OWNER, OFFICE, LEADERSHIP},
    },
}
TASK_RECIPIENTS, CLUE_RECIPIENTS = RECIPIENTS[TASK], RECIPIENTS[CLUE]
DOCUMENT_RECIPIENTS, REQUEST_RECIPIENTS = RECIPIENTS[DOCUMENT], RECIPIENTS[REQUEST]

# The kinds a person sorts their reminders by (inbox filter), and the digest's sections, in reading order.
SUBJECTS = [
    (TASK, gettext_lazy("整改任务")),
    (CLUE, gettext_lazy("问题线索")),
    (DOCUMENT, gettext_lazy("整改文书")),
    (REQUEST, gettext_lazy("上级交办事项")),
]
SOON, DUE, OVERDUE, ESCALATED = "soon", "due", "overdue", "escalated"
RUNG_GROUPS = [
    (SOON, gettext_lazy("即将到期"), (Rung.D20, Rung.D10)),
    (DUE, gettext_lazy("今日到期"), (Rung.DUE,)),
    (OVERDUE, gettext_lazy("已逾期"), (Rung.OVERDUE,)),
    (ESCALATED, gettext_lazy("督办"), (Rung.ESCALATED,)),
]
GROUP_OF_RUNG = {rung.value: key for key, _label, rungs in RUNG_GROUPS for rung in rungs}


def subject_of(reminder: Reminder) -> str:
    if reminder.task_id:
        return TASK
    if reminder.clue_id:
        return CLUE
    return DOCUMENT if reminder.document_id else REQUEST


@dataclass
class Audience:
    """The standing audiences, looked up once per sweep rather than once per reminder."""

    office: list
    leadership: list

    @classmethod
    def load(cls):
        users = get_user_model().objects.filter(is_active=True)
        return cls(
            office=list(users.filter(groups__name=OFFICE_GROUP).distinct()),
            leadership=list(users.filter(groups__name=LEADERSHIP_GROUP).distinct()),
        )


def recipients(reminder: Reminder, audience: Audience, liaisons: dict) -> list:
    """Who hears of this rung (`liaisons`: unit id → its liaison users); the SQL writer for tasks mirrors it."""
    kind = subject_of(reminder)
    kinds = RECIPIENTS[kind].get(reminder.rung, {OFFICE})
    people = []
    if kind == TASK:
        task = reminder.task
        if HANDLER in kinds:
            people += [task.handler] if task.handler_id else liaisons.get(task.responsible_unit_id, [])
        if LEADER in kinds and task.responsible_leader_id:
            people.append(task.responsible_leader)
        if UNIT_HEAD in kinds and task.responsible_unit.head_id:
            people.append(task.responsible_unit.head)
    elif kind == DOCUMENT:
        unit = reminder.document.unit
        if LIAISONS in kinds:
            people += liaisons.get(unit.pk, [])
        if UNIT_HEAD in kinds and unit.head_id:
            people.append(unit.head)
    elif kind == REQUEST and OWNER in kinds:
        people.append(reminder.request.owner)
    if OFFICE in kinds:
        people += audience.office
    if LEADERSHIP in kinds:
        people += audience.leadership
    unique = {}
    for person in people:
        if person is not None and person.is_active:
            unique.setdefault(person.pk, person)
    return list(unique.values())


def _url(name: str, pk: int) -> str:
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:
        return ""


def _clue_message(reminder: Reminder) -> tuple[str, str, str]:
    clue = reminder.clue
    title = _("【%(rung)s】问题线索办理情况未按期反馈：%(letter)s") % {
        "rung": reminder.get_rung_display(),
        "letter": clue.letter_number,
    }
    body = _("移交单位：%(body)s；移交日期：%(sent)s；反馈期限：%(due)s。") % {
        "body": clue.receiving_body_other or clue.get_receiving_body_display(),
        "sent": f"{clue.transfer_date:%Y-%m-%d}",
        "due": f"{reminder.due_date:%Y-%m-%d}",
    }
    return title, body, _url("findings:clue_detail", clue.pk)


def _document_message(reminder: Reminder) -> tuple[str, str, str]:
    document = reminder.document
    title = _("【%(rung)s】%(unit)s%(kind)s尚未报送") % {
        "rung": reminder.get_rung_display(),
        "unit": document.unit.name,
        "kind": document.get_kind_display(),
    }
    body = _("报送期限：%(due)s；当前状态：%(status)s。请联络员上传文书并报送巡察办审核。") % {
        "due": f"{reminder.due_date:%Y-%m-%d}",
        "status": document.get_status_display(),
    }
    return title, body, _url("rectification:document_detail", document.pk)


def _request_message(reminder: Reminder) -> tuple[str, str, str]:
    request = reminder.request
    title = _("【%(rung)s】上级交办事项：%(title)s") % {
        "rung": reminder.get_rung_display(),
        "title": request.title[:40],
    }
    body = _("%(team)s交办；承办单位：%(unit)s；办理时限：%(due)s；当前状态：%(status)s。") % {
        "team": request.visit.team,
        "unit": request.owner_unit.name,
        "due": f"{reminder.due_date:%Y-%m-%d}",
        "status": request.get_status_display(),
    }
    return title, body, _url("rectification:upper_request_detail", request.pk)


MESSAGES = {CLUE: _clue_message, DOCUMENT: _document_message, REQUEST: _request_message}
