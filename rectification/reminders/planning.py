"""Phase 1, plan: write one Reminder row per (subject, rung, due date) with INSERT … SELECT … ON CONFLICT DO NOTHING,
batch by batch over id ranges, so memory stays flat and a second sweep writes nothing."""

from collections.abc import Iterator
from datetime import date as Date
from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone

from findings.choices import ClueStatus
from findings.models import Clue

from ..choices import DOCUMENT_OWED, NOT_OVERDUE_STATUSES, ReminderState, Rung
from ..models import RectificationTask, Reminder, UnitDocument
from ..upper_models import UpperRequest
from .ladder import ESCALATE_AFTER_DAYS

PLAN_BATCH = 50_000  # subject ids per INSERT … SELECT


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
    from ..choices import OPEN_REQUEST_STATUSES

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
