"""The reminder ladder: which rung is due for which task, who hears of it, and sending each rung exactly once.

Two phases, both safe to run any number of times and concurrently:

1. `plan(today)` writes one Reminder row per (task, rung, due date) with INSERT … SELECT … ON CONFLICT
   DO NOTHING, batch by batch over task id ranges, so memory stays flat and a second sweep writes nothing.
   Catch-up rule: each open task gets the *highest* rung due as of `today`, by windows over its due date:

       due_date in (today+10, today+20]  → d20        due_date == today           → due
       due_date in (today, today+10]     → d10        due_date in [today-30, today) → overdue
                                                      due_date < today-30          → escalated (督办)

   A missed day is caught up (the window still holds the task the next day); a rung already superseded is
   skipped (a task first seen 5 days before its due date gets d10, never a stale d20). The documents a unit
   owes after the feedback (整改方案/整改报告) climb the same ladder, one row per (document, rung, due date).
2. `send(ids)` claims rows by a conditional UPDATE (pending → sending, or a "sending" row whose lease ran
   out because its worker died), writes Notification rows that are unique per (reminder, recipient),
   e-mails the ones not yet e-mailed, and marks the rows sent. A crash anywhere leaves a state the next
   attempt completes without doubling an inbox row.
"""

import logging
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date as Date
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db import connection, transaction
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from findings.choices import ClueStatus
from findings.models import Clue
from rounds.models import UnitLiaison
from xuncha.roles import LEADERSHIP_GROUP, OFFICE_GROUP

from .choices import DOCUMENT_OWED, NOT_OVERDUE_STATUSES, ReminderState, Rung
from .models import Notification, RectificationTask, Reminder, UnitDocument
from .upper_models import UpperRequest

log = logging.getLogger(__name__)

ESCALATE_AFTER_DAYS = 30
PLAN_BATCH = 50_000  # task ids per INSERT … SELECT
SEND_CHUNK = 500  # reminders per claim / per Celery message

HANDLER, LEADER, UNIT_HEAD, OFFICE, LEADERSHIP = "handler", "leader", "unit_head", "office", "leadership"
TASK_RECIPIENTS = {
    Rung.D20: {HANDLER},
    Rung.D10: {HANDLER, LEADER},
    Rung.DUE: {HANDLER, LEADER},
    Rung.OVERDUE: {UNIT_HEAD, OFFICE},
    # The unit head and the office stay on it: a task first seen 40 days late skips the overdue rung.
    Rung.ESCALATED: {LEADERSHIP, UNIT_HEAD, OFFICE},
}
# A clue whose feedback (from the discipline commission / organisation department) is late.
CLUE_RECIPIENTS = {Rung.OVERDUE: {OFFICE}, Rung.ESCALATED: {OFFICE, LEADERSHIP}}
# A document the unit owes (整改方案/整改报告): its liaisons write it, its head answers for it once late.
LIAISONS = "liaisons"
DOCUMENT_RECIPIENTS = {
    Rung.D20: {LIAISONS},
    Rung.D10: {LIAISONS},
    Rung.DUE: {LIAISONS, UNIT_HEAD},
    Rung.OVERDUE: {LIAISONS, UNIT_HEAD, OFFICE},
    Rung.ESCALATED: {LIAISONS, UNIT_HEAD, OFFICE, LEADERSHIP},
}
# An upper-level request (配合上级巡视): its county owner all along, the office once late, leadership after 30 days.
OWNER = "owner"
REQUEST_RECIPIENTS = {
    Rung.D20: {OWNER},
    Rung.D10: {OWNER},
    Rung.DUE: {OWNER},
    Rung.OVERDUE: {OWNER, OFFICE},
    Rung.ESCALATED: {OWNER, OFFICE, LEADERSHIP},
}


# --- phase 1: plan ----------------------------------------------------------------------------


def _rung_case(col: str) -> str:
    return (
        f"CASE WHEN {col} < %s THEN '{Rung.ESCALATED.value}' WHEN {col} < %s THEN '{Rung.OVERDUE.value}' "
        f"WHEN {col} = %s THEN '{Rung.DUE.value}' WHEN {col} <= %s THEN '{Rung.D10.value}' "
        f"ELSE '{Rung.D20.value}' END"
    )


def _case_params(today: Date) -> list:
    ops = connection.ops
    return [
        ops.adapt_datefield_value(today - timedelta(days=ESCALATE_AFTER_DAYS)),
        ops.adapt_datefield_value(today),
        ops.adapt_datefield_value(today),
        ops.adapt_datefield_value(today + timedelta(days=10)),
    ]


def task_plan_sql(today: Date, *, id_range: tuple[int, int] | None = None) -> tuple[str, list]:
    """INSERT … SELECT writing the due rung of every open task (in one id range, or all of them)."""
    ops = connection.ops
    r, t = Reminder._meta.db_table, RectificationTask._meta.db_table
    closed = ", ".join(f"'{s.value}'" for s in NOT_OVERDUE_STATUSES)
    sql = (
        f"INSERT INTO {r} (task_id, clue_id, rung, due_date, state, created_at) "
        f"SELECT t.id, NULL, {_rung_case('t.due_date')}, t.due_date, '{ReminderState.PENDING.value}', %s "
        f"FROM {t} t WHERE t.due_date <= %s AND t.status NOT IN ({closed})"
    )
    params = [*_case_params(today), ops.adapt_datetimefield_value(timezone.now())]
    params.append(ops.adapt_datefield_value(today + timedelta(days=20)))
    if id_range:
        sql += " AND t.id >= %s AND t.id < %s"
        params += list(id_range)
    return sql + " ON CONFLICT DO NOTHING", params


def clue_plan_sql(today: Date, *, id_range: tuple[int, int] | None = None) -> tuple[str, list]:
    ops = connection.ops
    r, c = Reminder._meta.db_table, Clue._meta.db_table
    sql = (
        f"INSERT INTO {r} (task_id, clue_id, rung, due_date, state, created_at) "
        f"SELECT NULL, c.id, {_rung_case('c.feedback_due_date')}, c.feedback_due_date, "
        f"'{ReminderState.PENDING.value}', %s "
        f"FROM {c} c WHERE c.feedback_due_date < %s AND c.status = %s AND c.answered_date IS NULL"
    )
    params = [
        *_case_params(today),
        ops.adapt_datetimefield_value(timezone.now()),
        ops.adapt_datefield_value(today),
        ClueStatus.TRANSFERRED.value,
    ]
    if id_range:
        sql += " AND c.id >= %s AND c.id < %s"
        params += list(id_range)
    return sql + " ON CONFLICT DO NOTHING", params


def document_plan_sql(today: Date, *, id_range: tuple[int, int] | None = None) -> tuple[str, list]:
    """INSERT … SELECT writing the due rung of every document still owed (not yet in, or sent back)."""
    ops = connection.ops
    r, d = Reminder._meta.db_table, UnitDocument._meta.db_table
    owed = ", ".join(f"'{s.value}'" for s in DOCUMENT_OWED)
    sql = (
        f"INSERT INTO {r} (task_id, clue_id, document_id, rung, due_date, state, created_at) "
        f"SELECT NULL, NULL, d.id, {_rung_case('d.due_date')}, d.due_date, '{ReminderState.PENDING.value}', %s "
        f"FROM {d} d WHERE d.due_date <= %s AND d.status IN ({owed})"
    )
    params = [
        *_case_params(today),
        ops.adapt_datetimefield_value(timezone.now()),
        ops.adapt_datefield_value(today + timedelta(days=20)),
    ]
    if id_range:
        sql += " AND d.id >= %s AND d.id < %s"
        params += list(id_range)
    return sql + " ON CONFLICT DO NOTHING", params


def request_plan_sql(today: Date, *, id_range: tuple[int, int] | None = None) -> tuple[str, list]:
    """The same ladder over the deadlines of upper-level requests the county has still to answer."""
    from .choices import OPEN_REQUEST_STATUSES

    ops = connection.ops
    r, q = Reminder._meta.db_table, UpperRequest._meta.db_table
    open_ = ", ".join(f"'{s.value}'" for s in OPEN_REQUEST_STATUSES)
    sql = (
        f"INSERT INTO {r} (task_id, clue_id, request_id, rung, due_date, state, created_at) "
        f"SELECT NULL, NULL, q.id, {_rung_case('q.due_date')}, q.due_date, '{ReminderState.PENDING.value}', %s "
        f"FROM {q} q WHERE q.due_date <= %s AND q.status IN ({open_})"
    )
    params = [*_case_params(today), ops.adapt_datetimefield_value(timezone.now())]
    params.append(ops.adapt_datefield_value(today + timedelta(days=20)))
    if id_range:
        sql += " AND q.id >= %s AND q.id < %s"
        params += list(id_range)
    return sql + " ON CONFLICT DO NOTHING", params


def _id_ranges(model, batch: int) -> Iterator[tuple[int, int]]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MIN(id), MAX(id) FROM {model._meta.db_table}")
        lo, hi = cursor.fetchone()
    if lo is None:
        return
    for start in range(lo, hi + 1, batch):
        yield start, start + batch


def plan(today: Date, *, batch: int = PLAN_BATCH) -> int:
    """Write the rows due as of `today`; returns how many were new. Each batch commits on its own."""

    written = 0
    for model, sql_for in (
        (RectificationTask, task_plan_sql),
        (Clue, clue_plan_sql),
        (UnitDocument, document_plan_sql),
        (UpperRequest, request_plan_sql),
    ):
        for id_range in _id_ranges(model, batch):
            sql, params = sql_for(today, id_range=id_range)
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql, params)
                written += max(cursor.rowcount, 0)
    return written


# --- phase 2: send ----------------------------------------------------------------------------


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


def request_recipients(reminder: Reminder, audience: Audience) -> list:
    kinds = REQUEST_RECIPIENTS[reminder.rung]
    people = [reminder.request.owner] if OWNER in kinds else []
    people += audience.office if OFFICE in kinds else []
    people += audience.leadership if LEADERSHIP in kinds else []
    return list({p.pk: p for p in people if p.is_active}.values())


def recipients(reminder: Reminder, audience: Audience, liaisons: dict) -> list:
    """Who hears of a document's or a clue's rung (a task's are written in SQL: write_task_notifications)."""
    people = []
    if reminder.document_id:
        kinds = DOCUMENT_RECIPIENTS[reminder.rung]
        unit = reminder.document.unit
        if LIAISONS in kinds:
            people += liaisons.get(unit.pk, [])
        if UNIT_HEAD in kinds and unit.head_id:
            people.append(unit.head)
    else:
        kinds = CLUE_RECIPIENTS.get(reminder.rung, {OFFICE})
    if OFFICE in kinds:
        people += audience.office
    if LEADERSHIP in kinds:
        people += audience.leadership
    unique = {}
    for person in people:
        if person is not None and person.is_active:
            unique.setdefault(person.pk, person)
    return list(unique.values())


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

    TASK_RECIPIENTS, read row by row in tests/reminder_support.py, gives the same answer. ON CONFLICT DO NOTHING on
    notification_once_per_reminder: a retry after a crash adds only the rows that are missing."""
    from django.contrib.auth.models import Group

    from rounds.models import PartyUnit

    from .choices import TaskStatus

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

    # The unit's liaisons stand in for a missing 经办人.
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


def send(ids: Iterable[int], *, audience: Audience | None = None) -> list[int]:
    """Deliver the rows this caller can claim; returns the ids it delivered."""
    mine = claim(ids)
    if not mine:
        return []
    write_task_notifications(mine)
    clue_reminders = list(Reminder.objects.filter(pk__in=mine, clue__isnull=False).select_related("clue"))
    if clue_reminders:
        audience = audience or Audience.load()
        notes = []
        for reminder in clue_reminders:
            title, body, url = _clue_message(reminder)
            for person in recipients(reminder, audience, {}):
                notes.append(Notification(recipient=person, reminder=reminder, title=title, body=body, url=url))
        # Unique per (reminder, recipient): a retry after a crash adds only what is missing.
        Notification.objects.bulk_create(notes, ignore_conflicts=True)
    _write_document_notifications(mine, audience)
    _write_request_notifications(mine, audience)
    _email(mine)
    if settings.XUNCHA_REMINDER_TEST_DELAY:
        time.sleep(settings.XUNCHA_REMINDER_TEST_DELAY)  # test hook: widen the "killed mid-send" window
    Reminder.objects.filter(pk__in=mine, state=ReminderState.SENDING).update(
        state=ReminderState.SENT, sent_at=timezone.now()
    )
    return mine


def _write_document_notifications(ids: list[int], audience: Audience | None) -> None:
    """Inbox rows for the document rungs among these ids (a few per feedback: no need for set-based SQL)."""
    document_reminders = list(
        Reminder.objects.filter(pk__in=ids, document__isnull=False).select_related("document__unit__head")
    )
    if not document_reminders:
        return
    audience = audience or Audience.load()
    unit_ids = {r.document.unit_id for r in document_reminders}
    liaisons: dict = {}
    for row in UnitLiaison.objects.filter(unit_id__in=unit_ids).select_related("user"):
        liaisons.setdefault(row.unit_id, []).append(row.user)
    notes = []
    for reminder in document_reminders:
        title, body, url = _document_message(reminder)
        for person in recipients(reminder, audience, liaisons):
            notes.append(Notification(recipient=person, reminder=reminder, title=title, body=body, url=url))
    # Unique per (reminder, recipient): a retry after a crash adds only what is missing.
    Notification.objects.bulk_create(notes, ignore_conflicts=True)


def _write_request_notifications(ids: list[int], audience: Audience | None) -> None:
    """Inbox rows for the upper-level request rungs among these ids (配合上级巡视: a handful at a time)."""
    request_reminders = list(
        Reminder.objects.filter(pk__in=ids, request__isnull=False).select_related(
            "request__owner", "request__owner_unit", "request__visit"
        )
    )
    if not request_reminders:
        return
    audience = audience or Audience.load()
    notes = []
    for reminder in request_reminders:
        title, body, url = _request_message(reminder)
        for person in request_recipients(reminder, audience):
            notes.append(Notification(recipient=person, reminder=reminder, title=title, body=body, url=url))
    Notification.objects.bulk_create(notes, ignore_conflicts=True)


EMAIL_BATCH = 50


def _email(reminder_ids: list[int]) -> None:
    """E-mail each notification once: emailed_at is set as soon as the backend accepted a small batch,
    so a retry after a crash re-mails at most that batch (EMAIL_BATCH), never the whole reminder."""
    pending = (
        Notification.objects.filter(reminder_id__in=reminder_ids, emailed_at__isnull=True)
        .exclude(recipient__email="")
        .select_related("recipient")
        .order_by("pk")
    )
    site = settings.XUNCHA_SITE_URL.rstrip("/")
    with get_connection() as conn:
        batch = []
        for note in pending.iterator(chunk_size=500):
            text = note.body + (f"\n\n{site}{note.url}" if note.url else "")
            batch.append((note.pk, EmailMessage(note.title, text, settings.DEFAULT_FROM_EMAIL, [note.recipient.email])))
            if len(batch) == EMAIL_BATCH:
                _send_batch(conn, batch)
                batch = []
        if batch:
            _send_batch(conn, batch)


def _send_batch(conn, batch) -> None:
    try:
        conn.send_messages([message for _, message in batch])
    except Exception:  # noqa: BLE001 - a mail server hiccup must not stop the inbox; the next attempt retries
        log.exception("reminder e-mail batch failed; will retry")
        return
    # Without waiting for the disk flush (PostgreSQL): a worker crash loses nothing committed.
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
        Notification.objects.filter(pk__in=[pk for pk, _ in batch], emailed_at__isnull=True).update(
            emailed_at=timezone.now()
        )


# --- the sweep --------------------------------------------------------------------------------


@dataclass
class SweepResult:
    written: int
    dispatched: int


def sweep(today: Date | None = None, *, dispatch: Callable[[list[int]], object] | None = None) -> SweepResult:
    """Plan today's rungs, then hand every sendable row to `dispatch` by chunks (in-process by default)."""
    today = today or timezone.localdate()
    written = plan(today)
    audience = Audience.load() if dispatch is None else None
    dispatch = dispatch or (lambda ids: send(ids, audience=audience))
    dispatched = 0
    for ids in sendable_id_chunks():
        dispatch(ids)
        dispatched += len(ids)
    log.info("reminder sweep %s: %d new rows, %d dispatched", today, written, dispatched)
    return SweepResult(written=written, dispatched=dispatched)
