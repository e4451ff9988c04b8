"""What every phase of the demo builder shares: the county, its constants, the bulk writers and the random helpers."""

import io
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.auth.models import Group, Permission, User
from django.db import connection, reset_queries

from findings.models import Clue, Finding, FindingReview
from rectification.models import ProgressReport, RectificationTask, TaskEvent
from rounds.choices import MemberRole, Stage
from rounds.models import PartyUnit, Plan

from .texts import GIVEN, SURNAMES

DEMO_PASSWORD = "xuncha-demo-2026"

SEED = 2026
BATCH_SIZE = 5000
TASKS_PER_COUNTY = 20_000  # the finding counts below are calibrated to give about this many tasks
HISTORY_REASON = "演示数据初始化"

PLAN_NAME = "县委2022—2026年巡察工作规划"
PLAN_YEARS = (2022, 2026)
MILESTONES = {2022: 20, 2023: 40, 2024: 60, 2025: 80, 2026: 100}

# Rounds are spaced back from today, so that the latest is under way whatever day the seed runs.
ROUNDS = 10
ROUND_SPACING_DAYS = 165
LATEST_ROUND_AGE_DAYS = 60  # entry of its first batch; later batches follow every BATCH_OFFSET_DAYS
BATCH_OFFSET_DAYS = 20
STATIONED_DAYS = 10  # 进驻 (mobilisation, notices) before 了解 begins
RECTIFICATION_AFTER_DAYS = 30  # after feedback: the rectification plan is due, the stage is 整改
ARCHIVED_AFTER_DAYS = 180  # after feedback: assessment done, archived
THEMES = {3: "乡村振兴领域专项巡察", 6: "医疗卫生和教育领域专项巡察", 8: "国有企业专项巡察"}
GROUP_NAMES = ["第一巡察组", "第二巡察组", "第三巡察组", "第四巡察组"]

INSPECTORS = 80
LEADER_POOL = 16
COMMUNITY_COUNT = 12
VILLAGES = 300

# username, role shown in the accounts table, full name. Group personas are inspectors of the latest round.
ACCOUNTS = [
    ("office", "巡察办工作人员", "周晓梅"),
    ("leadership", "县委/领导小组", "郑国华"),
    ("group1_leader", "第一巡察组组长", "陈志强"),
    ("group1_member", "第一巡察组成员", "林静"),
    ("group2_leader", "第二巡察组组长", "王建军"),
    ("group2_member", "第二巡察组成员", "赵敏"),
    ("liaison", "被巡察单位联络员", "孙丽"),
    ("jiwei", "县纪委监委线索对接人", "刘洋"),
    ("zuzhibu", "县委组织部日常监督对接人", "何婷"),
    ("admin", "系统管理员（超级用户）", "系统管理员"),
]
PERSONAS = {
    "group1_leader": (1, MemberRole.LEADER),
    "group1_member": (1, MemberRole.MEMBER),
    "group2_leader": (2, MemberRole.LEADER),
    "group2_member": (2, MemberRole.MEMBER),
}


@dataclass(frozen=True)
class County:
    number: int

    @property
    def demo(self) -> bool:
        return self.number == 1

    @property
    def prefix(self) -> str:
        return "" if self.demo else f"第{self.number}县·"

    @property
    def user_prefix(self) -> str:
        return "" if self.demo else f"c{self.number:03d}_"

    @property
    def letter_prefix(self) -> str:
        return "清巡" if self.demo else f"第{self.number}县巡"

    @property
    def label(self) -> str:
        return "演示县" if self.demo else f"第{self.number}县"

    @property
    def plan_name(self) -> str:
        return self.prefix + PLAN_NAME

    def present(self) -> bool:
        return Plan.objects.filter(name=self.plan_name).exists()


@dataclass
class Visit:
    """One planned inspection: which group of which round inspects which unit, and when."""

    round_no: int
    group_no: int
    unit: PartyUnit
    kind: str
    entry: date
    onsite_end: date
    feedback: date
    stage: int = Stage.PREPARATION


@dataclass
class Staff:
    leader: User
    deputy: User
    writers: list  # members, liaison and deputy: who drafts findings


@contextmanager
def given_timestamps():
    """bulk_create stamps auto_now(_add) fields with now(); the demo needs the days the work happened."""
    fields = [
        Finding._meta.get_field("created_at"),
        Finding._meta.get_field("updated_at"),
        FindingReview._meta.get_field("at"),
        Clue._meta.get_field("created_at"),
        RectificationTask._meta.get_field("created_at"),
        TaskEvent._meta.get_field("at"),
        ProgressReport._meta.get_field("created_at"),
    ]
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def copy_rows(model, rows: list[dict]) -> list[int]:
    """COPY rows into the model's table with ids reserved from its sequence; returns the ids in row order.
    Columns a row leaves out get the field's default, so a column added later does not break the seed."""
    meta, ops = model._meta, connection.ops
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    defaults = {f.attname: f.get_default() for f in fields if f.attname not in rows[0]}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, meta.pk.column, len(rows)],
        )
        ids = sorted(pk for (pk,) in cursor.fetchall())
        buffer = io.StringIO()
        for pk, row in zip(ids, rows, strict=True):
            values = [row[f.attname] if f.attname in row else defaults[f.attname] for f in fields]
            buffer.write("\t".join([str(pk), *map(_copy_text, values)]) + "\n")
        buffer.seek(0)
        columns = ", ".join(ops.quote_name(c) for c in [meta.pk.column, *(f.column for f in fields)])
        cursor.cursor.copy_expert(f"COPY {ops.quote_name(meta.db_table)} ({columns}) FROM STDIN", buffer)
    return ids


def _copy_text(value) -> str:
    """A value in COPY's text format."""
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, date):  # datetime too
        return value.isoformat()
    return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _permission(perm: str) -> Permission:
    app_label, codename = perm.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def through_table(moves: list[tuple], rule_for, start: str) -> list[tuple]:
    """The moves (from, to, …) unchanged, once each is a move of the workflow table `rule_for` reads, in a chain
    from `start`: the demo's histories are ones the services could have written."""
    state = start
    for move in moves:
        if move[0] != state or rule_for(move[0], move[1]) is None:
            raise ValueError(f"demo history {[m[:2] for m in moves]}: {move[:2]} is not a move from {state}")
        state = move[1]
    return moves


class Steps:
    """The helpers every phase uses; the phases are mixins over it, composed in county.CountyBuilder."""

    def _save(self, model, objs, counter=None):
        objs = model.objects.bulk_create(objs, batch_size=BATCH_SIZE)
        if self.county.demo and hasattr(model, "history"):
            model.history.bulk_history_create(
                objs, batch_size=BATCH_SIZE, default_user=self.office, default_change_reason=HISTORY_REASON
            )
        if counter:
            self.counts[counter] += len(objs)
        reset_queries()  # DEBUG=1 keeps every SQL string; bulk inserts make them huge
        return objs

    def _insert(self, model, rows: list[dict], counter=None) -> list[int]:
        """The volume tables (findings, reviews, tasks, events, reports) take rows as dicts of column values:
        benchmark counties on PostgreSQL COPY them, since at 2M tasks building model instances costs more
        than the database; the demo county saves them as instances, with history. Returns the ids in order."""
        if self.copy and rows:
            if counter:
                self.counts[counter] += len(rows)
            return copy_rows(model, rows)
        return [obj.pk for obj in self._save(model, [model(**row) for row in rows], counter)]

    def _pick(self, weights: dict):
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    def _person_name(self) -> str:
        rng = self.rng
        return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))

    def _new_user(self, username, name, *, email=None, **extra) -> User:
        if email is None:
            email = self.rng.random() < 0.4
        return User(
            username=self.county.user_prefix + username,
            first_name=name,
            email=f"{self.county.user_prefix}{username}@xuncha.example.com" if email else "",
            password=self.password_hash,
            **extra,
        )

    def _join(self, users, group_name):
        group = Group.objects.get(name=group_name)
        User.groups.through.objects.bulk_create([User.groups.through(user_id=u.pk, group_id=group.pk) for u in users])

    def _day(self, start: date, end: date) -> date:
        """A day in [start, end]; start when the range is empty."""
        if end <= start:
            return start
        return start + timedelta(days=self.rng.randint(0, (end - start).days))

    def _at(self, day: date, step: int = 0) -> datetime:
        """A working-hour moment on `day`; `step` keeps several steps of one object in order. Never in the future."""
        moment = datetime.combine(day, time(9 + 2 * step, self.rng.randrange(60)), tzinfo=self.tz)
        return min(moment, self.now)
