"""Phase 2, deliver: claim rows by a conditional UPDATE and write one inbox item per (reminder, recipient)."""

from collections.abc import Iterable, Iterator
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from rounds.models import UnitLiaison
from xuncha.roles import LEADERSHIP_GROUP, OFFICE_GROUP

from ..choices import ReminderState, Rung
from ..models import Notification, RectificationTask, Reminder
from .ladder import (
    HANDLER,
    LEADER,
    LEADERSHIP,
    MESSAGES,
    OFFICE,
    TASK_RECIPIENTS,
    UNIT_HEAD,
    Audience,
    _url,
    recipients,
    subject_of,
)

SEND_CHUNK = 500  # reminders per claim / per Celery message


def lease() -> timedelta:
    return timedelta(seconds=settings.XUNCHA_REMINDER_LEASE_SECONDS)


def _sendable() -> Q:
    """Pending, or claimed by a sender that has not finished within the lease (its worker died)."""
    return Q(state=ReminderState.PENDING) | Q(state=ReminderState.SENDING, claimed_at__lt=timezone.now() - lease())


def sendable_id_chunks(chunk: int = SEND_CHUNK) -> Iterator[list[int]]:
    """Ids to send, by keyset pages: never the whole table in memory."""
    last = 0
    while True:
        ids = list(
            Reminder.objects.filter(_sendable(), pk__gt=last).order_by("pk").values_list("pk", flat=True)[:chunk]
        )
        if not ids:
            return
        yield ids
        last = ids[-1]


def claim(ids: Iterable[int]) -> list[int]:
    """pending → sending by a conditional UPDATE; returns the ids this caller won (another sender gets none)."""
    ids = list(ids)
    if not ids:
        return []
    ops = connection.ops
    now = timezone.now()
    marks = ", ".join(["%s"] * len(ids))
    sql = (
        f"UPDATE {Reminder._meta.db_table} SET state = %s, claimed_at = %s "
        f"WHERE id IN ({marks}) AND (state = %s OR (state = %s AND claimed_at < %s)) RETURNING id"
    )
    params = [
        ReminderState.SENDING.value,
        ops.adapt_datetimefield_value(now),
        *ids,
        ReminderState.PENDING.value,
        ReminderState.SENDING.value,
        ops.adapt_datetimefield_value(now - lease()),
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)
        return sorted(row[0] for row in cursor.fetchall())


def _sql_text(template: str, exprs: dict[str, tuple[str, list]], params: list) -> str:
    """A translated "%(name)s" template as SQL concatenation; literal pieces and each expression's own
    parameters are appended to `params` in the order they appear in the SQL."""
    import re

    parts = []
    for i, piece in enumerate(re.split(r"%\((\w+)\)s", template.replace("%%", "%"))):
        if i % 2:
            sql, sql_params = exprs[piece]
            parts.append(f"CAST({sql} AS TEXT)")
            params.extend(sql_params)
        elif piece:
            parts.append("%s")
            params.append(piece)
    return "(" + " || ".join(parts or ["''"]) + ")"


def _choice_case(col: str, choices) -> tuple[str, list]:
    params = []
    for value, label in choices:
        params += [value, str(label)]
    return f"(CASE {col} {' '.join(['WHEN %s THEN %s'] * len(choices))} ELSE {col} END)", params


def write_task_notifications(reminder_ids: list[int]) -> int:
    """Inbox rows for the task rungs among these ids, set-based: one INSERT … SELECT per chunk, not per person.

    Mirrors `recipients()` (tests hold the two to the same answer). ON CONFLICT DO NOTHING on
    notification_once_per_reminder: a retry after a crash adds only the rows that are missing."""
    from django.contrib.auth.models import Group

    from rounds.models import PartyUnit

    from ..choices import TaskStatus

    if not reminder_ids:
        return 0
    ops = connection.ops
    R, T, U = Reminder._meta.db_table, RectificationTask._meta.db_table, PartyUnit._meta.db_table
    N, L = Notification._meta.db_table, UnitLiaison._meta.db_table
    user_t = get_user_model()._meta.db_table
    member_t = get_user_model().groups.through._meta.db_table
    rungs = lambda kind: ", ".join(f"'{r.value}'" for r, kinds in TASK_RECIPIENTS.items() if kind in kinds)  # noqa: E731
    marks = ", ".join(["%s"] * len(reminder_ids))
    office_id = Group.objects.filter(name=OFFICE_GROUP).values_list("pk", flat=True).first() or 0
    leadership_id = Group.objects.filter(name=LEADERSHIP_GROUP).values_list("pk", flat=True).first() or 0

    def select(uid: str, kind: str, cond: str, extra: str = "") -> str:
        return (
            f"SELECT r.id AS rid, {uid} AS uid FROM {extra}{R} r JOIN {T} t ON t.id = r.task_id "
            f"JOIN {U} u ON u.id = t.responsible_unit_id WHERE r.id IN ({marks}) AND r.rung IN ({rungs(kind)}) "
            f"AND {cond}"
        )

    # The unit's liaisons stand in for a missing 经办人, as in recipients().
    who = " UNION ".join(
        [
            select("t.handler_id", HANDLER, "t.handler_id IS NOT NULL"),
            select("l.user_id", HANDLER, "t.handler_id IS NULL AND l.unit_id = t.responsible_unit_id", f"{L} l, "),
            select("t.responsible_leader_id", LEADER, "t.responsible_leader_id IS NOT NULL"),
            select("u.head_id", UNIT_HEAD, "u.head_id IS NOT NULL"),
            select("m.user_id", OFFICE, "m.group_id = %s", f"{member_t} m, "),
            select("m.user_id", LEADERSHIP, "m.group_id = %s", f"{member_t} m, "),
        ]
    )
    who_params = [*reminder_ids] * 4 + [*reminder_ids, office_id, *reminder_ids, leadership_id]
    params: list = []
    title = _sql_text(
        _("【%(rung)s】整改任务：%(measure)s"),
        {"rung": _choice_case("r.rung", Rung.choices), "measure": ("SUBSTR(t.measure, 1, 40)", [])},
        params,
    )
    body = _sql_text(
        _("责任部门：%(unit)s；整改时限：%(due)s；当前状态：%(status)s；进度：%(progress)s%%。"),
        {
            "unit": ("u.name", []),
            "due": ("r.due_date", []),
            "status": _choice_case("t.status", TaskStatus.choices),
            "progress": ("t.progress", []),
        },
        params,
    )
    prefix = _url("rectification:task_detail", 0).rsplit("0/", 1)[0]
    sql = (
        f"INSERT INTO {N} (recipient_id, reminder_id, title, body, url, created_at) "
        f"SELECT w.uid, r.id, {title}, {body}, %s || CAST(t.id AS TEXT) || '/', %s "
        f"FROM ({who}) w JOIN {R} r ON r.id = w.rid JOIN {T} t ON t.id = r.task_id "
        f"JOIN {U} u ON u.id = t.responsible_unit_id JOIN {user_t} p ON p.id = w.uid AND p.is_active "
        f"WHERE true ON CONFLICT DO NOTHING"
    )
    all_params = [*params, prefix, ops.adapt_datetimefield_value(timezone.now()), *who_params]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, all_params)
        return max(cursor.rowcount, 0)


def write_other_notifications(reminder_ids: list[int], audience: Audience | None) -> int:
    """Inbox items for the clue, document and request rungs among these ids (a handful a day: row by row)."""
    others = list(
        Reminder.objects.filter(pk__in=reminder_ids, task__isnull=True).select_related(
            "clue", "document__unit__head", "request__owner", "request__owner_unit", "request__visit"
        )
    )
    if not others:
        return 0
    from django.urls import reverse

    from ..after_selectors import reads_documents

    audience = audience or Audience.load()
    unit_ids = {r.document.unit_id for r in others if r.document_id}
    liaisons: dict = {}
    for row in UnitLiaison.objects.filter(unit_id__in=unit_ids).select_related("user"):
        liaisons.setdefault(row.unit_id, []).append(row.user)
    notes = []
    for reminder in others:
        title, body, url = MESSAGES[subject_of(reminder)](reminder)
        for person in recipients(reminder, audience, liaisons):
            link = url
            if reminder.document_id and not reads_documents(person):
                # A unit head answers for a late document but reads only the unit's tasks: the link opens those.
                link = reverse("rectification:task_list") + f"?unit={reminder.document.unit_id}"
            notes.append(Notification(recipient=person, reminder=reminder, title=title, body=body, url=link))
    # Unique per (reminder, recipient): a retry after a crash adds only what is missing.
    return len(Notification.objects.bulk_create(notes, ignore_conflicts=True))
