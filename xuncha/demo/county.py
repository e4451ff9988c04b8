"""Building one county of demo data (see the package docstring)."""

import io
import random
import time as clock
from collections import Counter, defaultdict
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.auth.models import Group, Permission, User
from django.core.management.base import CommandError
from django.db import connection, reset_queries, transaction
from django.utils import timezone

from accounts.models import Profile
from findings.choices import ClueStatus, Disposition, Outcome, ReceivingBody, ReviewState, Source
from findings.models import BodyLiaison, Clue, CluePerson, Finding, FindingCategory, FindingReview
from rectification.choices import TaskStatus, TermType
from rectification.models import Feedback, ProgressReport, RectificationTask, TaskEvent
from rounds.choices import InspectionKind, MemberRole, RoundStatus, Specialty, Stage, UnitKind
from rounds.models import (
    Avoidance,
    GroupMembership,
    Inspection,
    InspectionGroup,
    InspectionGroupGroupObjectPermission,
    InspectionGroupUserObjectPermission,
    Inspector,
    Milestone,
    PartyUnit,
    Plan,
    PlanUnit,
    Round,
    UnitLiaison,
)
from rounds.services import LEAD_PERM, WORK_PERM, group_create, membership_add, round_update
from xuncha.roles import LEADERSHIP_GROUP, OFFICE_GROUP

from .texts import (
    AVOIDANCE_REASONS,
    CLUE_SUMMARIES,
    COMMUNITIES,
    DEPARTMENTS,
    FINDING_DETAILS,
    FINDING_TITLES,
    FINDINGS_PER_INSPECTION,
    FOLLOW_UP_FINDINGS,
    GIVEN,
    GOALS,
    MEASURES,
    OUTCOMES,
    POSTS,
    RANK_WEIGHTS,
    RANKS,
    REJECT_COMMENT,
    REPORT_TEXTS,
    SOURCE_WEIGHTS,
    SURNAMES,
    SYSTEMS,
    TASKS_PER_FINDING,
    TOWNSHIPS,
    VILLAGE_CLASSICS,
    VILLAGE_STEMS,
    VILLAGE_SUFFIXES,
)

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


DEMO_HANDLER_POST = "办公室主任"


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


def build_county(number: int, *, volume: float, password_hash: str) -> tuple[int, Counter, float]:
    """One county in one transaction; also what a worker process runs."""
    started = clock.monotonic()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # Seed data can be rebuilt: a crash loses whole counties at worst, so don't wait for each WAL flush.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
        counts = CountyBuilder(County(number), volume=volume, password_hash=password_hash).build()
    return number, counts, clock.monotonic() - started


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


class CountyBuilder:
    """Builds one county, in the order the work happens: registry, people, plan, rounds, inspections,
    findings and clues, feedback and rectification."""

    def __init__(self, county: County, *, volume: float, password_hash: str):
        self.county = county
        self.rng = random.Random(f"{SEED}-{county.number}")
        self.volume = volume
        self.password_hash = password_hash
        self.today = timezone.localdate()
        self.now = timezone.localtime()
        self.tz = timezone.get_current_timezone()
        self.counts = Counter()
        self.categories = list(FindingCategory.objects.filter(children__isnull=True, is_active=True).order_by("code"))
        self.letter_seq = Counter()
        self.copy = not county.demo and connection.vendor == "postgresql"

    def build(self) -> Counter:
        self._make_accounts()
        self._make_units()
        visits = self._schedule()
        self._make_inspectors(visits)
        self._make_plan(visits)
        self._make_rounds(visits)
        self._make_groups(visits)
        self._make_inspections(visits)
        self._staff_groups(visits)
        self._close_finished_rounds()
        self._make_feedbacks()
        self._make_findings()
        self._make_clues()
        self._make_tasks()
        if self.county.demo:
            self._make_liaisons()
            self._make_reports()
            from .after_feedback import make as make_after_feedback

            make_after_feedback(self)
            self._make_petitions()
            self._make_upper_visit()
        return self.counts

    def _make_upper_visit(self):
        """One provincial visit with a few requests to the county's departments, through the services: one
        confirmed, one reported, one in hand, one overdue (so the reminder sweep has something to say)."""
        from rectification.services import upper as us

        today = timezone.localdate()
        liaison = self.accounts["liaison"]  # the demo's unit liaison owns them: log in as liaison to answer
        unit = UnitLiaison.objects.get(user=liaison).unit
        visit = us.visit_create(
            actor=self.office,
            level="province",
            team="省委第三巡视组",
            target="县委",
            start_date=today - timedelta(days=40),
            liaison_office="县委办公室联络协调组",
            contacts="县委办副主任 13800000000",
        )
        plans = [
            ("documents", "调阅近三年县委常委会会议纪要", -30, -20, ["doing", "submitted", "confirmed"]),
            ("interviews", "安排县直部门主要负责人个别谈话", -10, 5, ["doing", "submitted"]),
            ("explanation", "说明县城投公司政府隐性债务情况", -5, 10, ["doing"]),
            ("petitions", "办理巡视组转办的群众来信", -20, -3, []),
        ]
        for kind, title, asked, due, steps in plans:
            request = us.request_create(
                actor=self.office,
                visit=visit,
                kind=kind,
                title=title,
                requested_date=today + timedelta(days=asked),
                owner_unit=unit,
                owner=liaison,
                due_date=today + timedelta(days=due),
            )
            for step in steps:
                who = self.office if step == "confirmed" else liaison
                reply = "已按要求报送。" if step == "submitted" else ""
                request = us.request_transition(actor=who, request=request, to_status=step, reply=reply)
            self.counts["upper_requests"] += 1

    def _make_petitions(self):
        """A few 巡察信访 in the latest round's first inspections (received, one assigned, one closed) and two the
        office received county-wide; through the services, so each inspection's 受理信访件数 is its register's."""
        from findings import petition_services as ps
        from findings.choices import PetitionChannel, PetitionRoute

        today = timezone.localdate()
        latest = max(self.rounds)
        on_site = [i for i in self.inspections if self.visit_of[i.pk].round_no == latest and i.stage >= Stage.STATIONED]
        channels = list(PetitionChannel)
        for n, insp in enumerate(sorted(on_site, key=lambda i: i.pk)[:3]):
            leader = self._staff_of(insp).leader
            received = min(insp.entry_date or today, today)
            for k in range(2):
                petition = ps.petition_create(
                    actor=leader,
                    inspection=insp,
                    received_date=received,
                    channel=channels[(n * 2 + k) % len(channels)],
                    petitioner_name="" if k else self._person_name(),
                    subject_unit=insp.unit,
                    subject_person=f"{self.rng.choice(SURNAMES)}某",
                    summary=CLUE_SUMMARIES[(n * 2 + k) % len(CLUE_SUMMARIES)],
                )
                self.counts["petitions"] += 1
                if k == 0 and n < 2:
                    petition = ps.petition_transition(
                        actor=leader, petition=petition, to_status="assigned", on=received, route=PetitionRoute.GROUP
                    )
                if k == 0 and n == 0:
                    ps.petition_transition(
                        actor=leader,
                        petition=petition,
                        to_status="closed",
                        on=received,
                        reply="经核实，已纳入问题底稿。",
                    )
        for channel in (PetitionChannel.LETTER, PetitionChannel.QR):
            ps.petition_create(
                actor=self.office,
                received_date=today - timedelta(days=7),
                channel=channel,
                petitioner_name=self._person_name(),
                summary="反映某乡镇村级财务公开不及时。",
            )
            self.counts["petitions"] += 1

    def _make_reports(self):
        """巡察报告 for the latest two rounds, written and reviewed through the services as people would:
        an inspection still reporting has a draft (some put to the 组务会); one fed back has a final report."""
        from findings import report_services
        from findings.choices import ReportState

        latest = sorted(self.rounds)[-2:]
        leadership = self.accounts["leadership"]
        today = timezone.localdate()
        for insp in self.inspections:
            v = self.visit_of[insp.pk]
            if v.round_no not in latest or insp.stage < Stage.REPORTING:
                continue
            leader = self._staff_of(insp).leader
            report = report_services.report_create(actor=leader, inspection=insp)
            steps = [(leader, ReportState.GROUP_MEETING, "")]
            if insp.stage >= Stage.FEEDBACK:
                steps += [
                    (leader, ReportState.OFFICE_CONSULT, "组务会讨论通过"),
                    (self.office, ReportState.LEADERSHIP_REVIEW, "组办会商通过"),
                    (leadership, ReportState.SECRETARY_MEETING, "领导小组审议通过"),
                    (leadership, ReportState.FINAL, "原则同意，按意见修改后反馈"),
                ]
            elif self.rng.random() < 0.5:
                continue  # still a draft
            day = min(insp.onsite_end_date or today, today)
            for actor, to_state, comment in steps:
                report = report_services.report_transition(
                    actor=actor, report=report, to_state=to_state, meeting_date=day, comment=comment
                )
                day = min(day + timedelta(days=3), today)
            self.counts["reports"] += 1

    # --- helpers -------------------------------------------------------------------------------

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

    # --- people and registry ---------------------------------------------------------------------

    def _make_accounts(self):
        if not self.county.demo:
            self.office = self._save(User, [self._new_user("office", self._person_name(), email=True)])[0]
            self._join([self.office], OFFICE_GROUP)
            return
        taken = User.objects.filter(username__in=[a[0] for a in ACCOUNTS]).values_list("username", flat=True)
        if taken:
            raise CommandError(f"账号 {'、'.join(taken)} 已存在，但演示规划不存在：请在空数据库上运行 seed_demo。")
        users = {
            username: self._new_user(
                username,
                name,
                email=username != "admin",
                is_staff=username == "admin",
                is_superuser=username == "admin",
            )
            for username, _role, name in ACCOUNTS
            if username not in PERSONAS
        }
        self._save(User, list(users.values()))
        self.office = users["office"]
        self._join([self.office], OFFICE_GROUP)
        self._join([users["leadership"]], LEADERSHIP_GROUP)
        self.accounts = users

    def _make_units(self):
        prefix, rng = self.county.prefix, self.rng
        top = [(f"{t}党委", UnitKind.TOWNSHIP) for t in TOWNSHIPS] + DEPARTMENTS
        heads = [self._new_user(f"head{i:03d}", self._person_name()) for i in range(1, len(top) + 1)]
        handlers = [self._new_user(f"handler{i:03d}", self._person_name()) for i in range(1, len(top) + 1)]
        self._save(User, heads + handlers)
        units = self._save(
            PartyUnit,
            [
                PartyUnit(name=prefix + name, kind=kind, head=head)
                for (name, kind), head in zip(top, heads, strict=True)
            ],
            "units",
        )
        self.head_of = {u.pk: h for u, h in zip(units, heads, strict=True)}
        self.handler_of = {u.pk: h for u, h in zip(units, handlers, strict=True)}
        # Each unit's 经办人 works there: the task form's pickers offer them as "姓名 · 单位 · 职务".
        self._save(
            Profile,
            [Profile(user=h, unit=u, post=DEMO_HANDLER_POST) for u, h in zip(units, handlers, strict=True)],
        )
        self.townships = [u for u in units if u.kind == UnitKind.TOWNSHIP]
        self.others = [u for u in units if u.kind != UnitKind.TOWNSHIP]

        villages = []
        for township, names in zip(self.townships, self._village_names(), strict=True):
            villages += [PartyUnit(name=prefix + n, kind=UnitKind.VILLAGE, parent=township) for n in names]
        villages = self._save(PartyUnit, villages, "units")
        self.villages_of = defaultdict(list)
        for v in villages:
            self.villages_of[v.parent_id].append(v)
            # A village has no head of its own here: its tasks are led and handled from the township.
            self.head_of[v.pk] = self.head_of[v.parent_id]
            self.handler_of[v.pk] = self.handler_of[v.parent_id]
        rng.shuffle(self.townships)
        rng.shuffle(self.others)

    def _village_names(self) -> list[list[str]]:
        rng = self.rng
        counts = [COMMUNITY_COUNT] + self._split(VILLAGES - COMMUNITY_COUNT, len(TOWNSHIPS) - 1, lo=6, hi=15)
        names = [[f"{c}社区{'党委' if rng.random() < 0.4 else '党支部'}" for c in COMMUNITIES[:COMMUNITY_COUNT]]]
        seen = set(VILLAGE_CLASSICS)
        classics = VILLAGE_CLASSICS[:]
        rng.shuffle(classics)
        for n in counts[1:]:
            batch = []
            while len(batch) < n:
                if classics and rng.random() < 0.15:
                    stem = classics.pop()
                else:
                    stem = rng.choice(VILLAGE_STEMS) + rng.choice(VILLAGE_SUFFIXES)
                    if stem in seen:
                        continue
                    seen.add(stem)
                batch.append(f"{stem}村{self._pick({'党支部': 80, '党总支': 15, '党委': 5})}")
            names.append(batch)
        return names

    def _split(self, total, parts, *, lo, hi) -> list[int]:
        counts = [total // parts + (i < total % parts) for i in range(parts)]
        for _ in range(parts * 3):
            i, j = self.rng.randrange(parts), self.rng.randrange(parts)
            if counts[i] > lo and counts[j] < hi:
                counts[i] -= 1
                counts[j] += 1
        return counts

    def _make_inspectors(self, visits):
        rng, demo = self.rng, self.county.demo
        latest_units = {v.unit.pk for v in visits if v.round_no == ROUNDS}
        safe_homes = [u for u in self.townships + self.others if u.pk not in latest_units]
        homes = self.townships + self.others
        persona_names = {a[0]: a[2] for a in ACCOUNTS}
        people, users = [], []
        for i in range(INSPECTORS):
            persona = list(PERSONAS)[i] if demo and i < len(PERSONAS) else None
            leader_pool = i < LEADER_POOL and (persona is None or PERSONAS[persona][1] == MemberRole.LEADER)
            user = (
                self._new_user(persona, persona_names[persona], email=True)
                if persona
                else self._new_user(f"xcg{i + 1:03d}", self._person_name())
            )
            if persona:
                home = rng.choice(safe_homes)  # the personas' group must not have to avoid anything
            else:
                home = None if rng.random() < 0.25 else rng.choice(homes)
            users.append(user)
            people.append(
                Inspector(
                    name=user.first_name,
                    user=user,
                    home_unit=home,
                    rank=rng.choice(["正科级", "正科级", "一级主任科员"])
                    if leader_pool
                    else rng.choices(RANKS, RANK_WEIGHTS)[0],
                    specialties=rng.sample(Specialty.values, rng.randint(1, 3)),
                    in_leader_pool=leader_pool,
                )
            )
        self._save(User, users)
        self.inspectors = self._save(Inspector, people)
        self.personas = {p.user.username: p for p in self.inspectors[: len(PERSONAS)]} if demo else {}

        avoiders = rng.sample(self.inspectors[len(PERSONAS) :], 8)
        avoidances = [
            Avoidance(
                inspector=p,
                unit=rng.choice([u for u in homes if u.pk != p.home_unit_id]),
                reason=rng.choice(AVOIDANCE_REASONS),
            )
            for p in avoiders
        ]
        self._save(Avoidance, avoidances)
        self.avoided = {p.pk: {p.home_unit_id} - {None} for p in self.inspectors}
        for a in avoidances:
            self.avoided[a.inspector.pk].add(a.unit.pk)

    # --- plan, rounds and who inspects whom --------------------------------------------------------

    def _anchor(self, round_no) -> date:
        """The entry day of a round's first batch."""
        return self.today - timedelta(days=LATEST_ROUND_AGE_DAYS + (ROUNDS - round_no) * ROUND_SPACING_DAYS)

    def _schedule(self) -> list[Visit]:
        """Spread every unit over the rounds (a township with its villages), then add 回头看/整改评估."""
        rng = self.rng
        self.group_count = {r: 4 if r == ROUNDS else rng.choice((2, 3, 3, 4)) for r in range(1, ROUNDS + 1)}
        per_round_t = len(self.townships) // ROUNDS
        per_round_o = len(self.others) // ROUNDS
        visits = []
        for r in range(1, ROUNDS + 1):
            units = (
                self.townships[(r - 1) * per_round_t : r * per_round_t]
                + self.others[(r - 1) * per_round_o : r * per_round_o]
            )
            if r == ROUNDS:  # whatever the division left over
                units += self.townships[r * per_round_t :] + self.others[r * per_round_o :]
            n_groups = self.group_count[r]
            # The latest round's last batch enters after today: those units are not yet covered, as at
            # any real point of a term, so the dashboard has uncovered units to show.
            batches = 5 if r == ROUNDS else 4
            for g in range(1, n_groups + 1):
                mine = units[g - 1 :: n_groups]
                for i, unit in enumerate(mine):
                    batch = min(i * batches // max(len(mine) - 1, 1), batches - 1)
                    visits.append(self._visit(r, g, unit, self._kind(unit, r), batch))
                    for village in self.villages_of.get(unit.pk, []):
                        visits.append(self._visit(r, g, village, self._kind(village, r), batch))
            visits += self._follow_ups(r, visits)
        return visits

    def _kind(self, unit, round_no) -> str:
        if unit.kind == UnitKind.VILLAGE:
            return self._pick({InspectionKind.VILLAGE: 80, InspectionKind.ELEVATED: 10, InspectionKind.CROSS: 10})
        if unit.kind != UnitKind.TOWNSHIP and round_no in THEMES:
            return InspectionKind.SPECIAL
        return self._pick({InspectionKind.REGULAR: 90, InspectionKind.MOBILE: 10})

    def _follow_ups(self, r, visits) -> list[Visit]:
        """A 回头看 of a unit inspected three or more rounds ago, and a 整改评估 of one from two rounds ago."""
        latest, rng = r == ROUNDS, self.rng
        n_groups = self.group_count[r]
        extra = []
        done = {(v.unit.pk, v.kind) for v in visits}

        def candidates(rounds):
            return [
                v.unit
                for v in visits
                if v.round_no in rounds
                and v.unit.kind != UnitKind.VILLAGE
                and v.kind not in (InspectionKind.LOOKBACK, InspectionKind.ASSESSMENT)
            ]

        if r >= 5:
            pool = [u for u in candidates(range(1, r - 2)) if (u.pk, InspectionKind.LOOKBACK) not in done]
            # In the latest round it is still being prepared, so that every stage occurs.
            extra.append(
                self._visit(
                    r, r % n_groups + 1, rng.choice(pool), InspectionKind.LOOKBACK, 4 if latest else rng.randint(1, 3)
                )
            )
        if r >= 4:
            pool = [u for u in candidates([r - 2]) if (u.pk, InspectionKind.ASSESSMENT) not in done]
            extra.append(
                self._visit(
                    r,
                    (r + 1) % n_groups + 1,
                    rng.choice(pool),
                    InspectionKind.ASSESSMENT,
                    3 if latest else rng.randint(1, 3),
                )
            )
        return extra

    def _visit(self, r, g, unit, kind, batch) -> Visit:
        """Dates follow from the round's anchor and the batch; the stage follows from the dates and today.
        The latest round has no jitter so that each of its batches lands in a known stage."""
        rng, latest = self.rng, r == ROUNDS
        entry = self._anchor(r) + timedelta(days=batch * BATCH_OFFSET_DAYS + (0 if latest else rng.randint(0, 4)))
        onsite_end = entry + timedelta(days=35 if latest else rng.randint(30, 40))
        feedback = onsite_end + timedelta(days=15 if latest else rng.randint(10, 20))
        visit = Visit(r, g, unit, kind, entry, onsite_end, feedback)
        visit.stage = self._stage(visit)
        return visit

    def _stage(self, v: Visit) -> int:
        today = self.today
        if today < v.entry:
            return Stage.PREPARATION
        if today < v.entry + timedelta(days=STATIONED_DAYS):
            return Stage.STATIONED
        if today < v.onsite_end:
            return Stage.UNDERSTANDING
        if today < v.feedback:
            return Stage.REPORTING
        if today < v.feedback + timedelta(days=RECTIFICATION_AFTER_DAYS):
            return Stage.FEEDBACK
        if today < v.feedback + timedelta(days=ARCHIVED_AFTER_DAYS):
            return Stage.RECTIFICATION
        return Stage.ARCHIVED

    def _make_plan(self, visits):
        rng = self.rng
        self.plan = self._save(
            Plan, [Plan(name=self.county.plan_name, start_year=PLAN_YEARS[0], end_year=PLAN_YEARS[1])]
        )[0]
        covering = {v.unit.pk: v for v in visits if v.kind not in (InspectionKind.LOOKBACK, InspectionKind.ASSESSMENT)}
        scope = []
        for unit_id, visit in covering.items():
            year = visit.entry.year
            if rng.random() < 0.1:  # plans are made ahead; some units moved a year since
                year += rng.choice((-1, 1))
            scope.append(
                PlanUnit(plan=self.plan, unit_id=unit_id, planned_year=min(max(year, PLAN_YEARS[0]), PLAN_YEARS[1]))
            )
        self._save(PlanUnit, scope)
        self._save(Milestone, [Milestone(plan=self.plan, year=y, target_rate=rate) for y, rate in MILESTONES.items()])

    def _make_rounds(self, visits):
        open_rounds = {v.round_no for v in visits if v.stage < Stage.ARCHIVED}
        # Every round is formed while open (a finished round takes no new members); the finished ones close
        # once their groups are staffed (_close_finished_rounds).
        self.finished_rounds = [r for r in range(1, ROUNDS + 1) if r not in open_rounds]
        rounds = []
        for r in range(1, ROUNDS + 1):
            start = self._anchor(r) - timedelta(days=7)  # 动员部署会 a week before entry
            rounds.append(
                Round(
                    plan=self.plan,
                    number=r,
                    year=start.year,
                    start_date=start,
                    end_date=start + timedelta(days=120),
                    theme=THEMES.get(r, ""),
                    status=RoundStatus.ACTIVE,
                )
            )
        self.rounds = {r.number: r for r in self._save(Round, rounds)}

    def _make_groups(self, visits):
        keys = sorted({(v.round_no, v.group_no) for v in visits})
        if self.county.demo:
            self.groups = {
                (r, g): group_create(actor=self.office, round=self.rounds[r], name=GROUP_NAMES[g - 1]) for r, g in keys
            }
            return
        # Counties beyond the demo: what group_create does, in bulk.
        auth_groups = self._save(
            Group, [Group(name=f"巡察组#{self.rounds[r].pk}-{GROUP_NAMES[g - 1]}") for r, g in keys]
        )
        groups = self._save(
            InspectionGroup,
            [
                InspectionGroup(round=self.rounds[r], name=GROUP_NAMES[g - 1], order=g, auth_group=ag)
                for (r, g), ag in zip(keys, auth_groups, strict=True)
            ],
        )
        work = _permission(WORK_PERM)
        self._save(
            InspectionGroupGroupObjectPermission,
            [
                InspectionGroupGroupObjectPermission(group=g.auth_group, permission=work, content_object=g)
                for g in groups
            ],
        )
        self.groups = dict(zip(keys, groups, strict=True))

    def _make_inspections(self, visits):
        rng = self.rng
        inspections = []
        for v in visits:
            s = v.stage
            inspections.append(
                Inspection(
                    round=self.rounds[v.round_no],
                    group=self.groups[(v.round_no, v.group_no)],
                    unit=v.unit,
                    kind=v.kind,
                    stage=s,
                    stage_changed_at=self._stage_changed_at(v),
                    entry_date=v.entry if s >= Stage.STATIONED else None,
                    onsite_end_date=v.onsite_end if s >= Stage.REPORTING else None,
                    feedback_date=v.feedback if s >= Stage.FEEDBACK else None,
                    **self._counters(v, rng),
                )
            )
        self.inspections = self._save(Inspection, inspections, "inspections")
        self.visit_of = {i.pk: v for i, v in zip(self.inspections, visits, strict=True)}

    def _stage_changed_at(self, v: Visit):
        day = {
            Stage.PREPARATION: None,
            Stage.STATIONED: v.entry,
            Stage.UNDERSTANDING: v.entry + timedelta(days=STATIONED_DAYS),
            Stage.REPORTING: v.onsite_end,
            Stage.FEEDBACK: v.feedback,
            Stage.RECTIFICATION: v.feedback + timedelta(days=RECTIFICATION_AFTER_DAYS),
            Stage.ARCHIVED: v.feedback + timedelta(days=ARCHIVED_AFTER_DAYS),
        }[v.stage]
        return self._at(day) if day else None

    @staticmethod
    def _counters(v: Visit, rng) -> dict:
        """了解问题的途径: a village is smaller; counts grow while the group is on site."""
        share = {Stage.PREPARATION: 0, Stage.STATIONED: 0.2, Stage.UNDERSTANDING: 0.7}.get(v.stage, 1)
        small = v.unit.kind == UnitKind.VILLAGE
        ranges = {
            "interviews": (10, 30) if small else (40, 150),
            "documents": (30, 120) if small else (100, 600),
            "questionnaires": (20, 80) if small else (50, 300),
            "visits": (3, 15) if small else (5, 40),
            "petitions": (0, 8) if small else (0, 30),
        }
        return {name: int(rng.randint(lo, hi) * share) for name, (lo, hi) in ranges.items()}

    def _staff_groups(self, visits):
        """Leader from the 组长库, a deputy, a liaison and members; nobody in two groups of a round, and never
        in a group one of whose units they must avoid (回避). The demo personas sit only in the latest round."""
        units_of = defaultdict(set)
        for v in visits:
            units_of[(v.round_no, v.group_no)].add(v.unit.pk)
        persona_ids = {p.pk for p in self.personas.values()}
        pool = [p for p in self.inspectors if p.pk not in persona_ids]
        self.staff, plan = {}, []
        for r in range(1, ROUNDS + 1):
            used = set()
            for g in range(1, self.group_count[r] + 1):
                members = self._pick_members(r, g, units_of[(r, g)], pool, used)
                plan += [(self.groups[(r, g)], p, role) for p, role in members]
                by_role = defaultdict(list)
                for p, role in members:
                    by_role[role].append(p.user)
                self.staff[(r, g)] = Staff(
                    leader=by_role[MemberRole.LEADER][0],
                    deputy=by_role[MemberRole.DEPUTY][0],
                    writers=by_role[MemberRole.MEMBER] + by_role[MemberRole.LIAISON] + by_role[MemberRole.DEPUTY],
                )
        if self.county.demo:
            for group, person, role in plan:
                membership_add(actor=self.office, group=group, inspector=person, role=role)
        else:
            self._bulk_memberships(plan)

    def _close_finished_rounds(self):
        rounds = [self.rounds[r] for r in self.finished_rounds]
        if self.county.demo:
            for round_ in rounds:
                round_update(actor=self.office, round=round_, status=RoundStatus.CLOSED)
        else:
            Round.objects.filter(pk__in=[r.pk for r in rounds]).update(status=RoundStatus.CLOSED)
        for round_ in rounds:
            round_.status = RoundStatus.CLOSED

    def _pick_members(self, r, g, units, pool, used) -> list[tuple]:
        fixed = [(p, PERSONAS[name][1]) for name, p in self.personas.items() if r == ROUNDS and PERSONAS[name][0] == g]
        roles = [MemberRole.DEPUTY, MemberRole.LIAISON] + [MemberRole.MEMBER] * self.rng.randint(2, 4)
        if not any(role == MemberRole.LEADER for _, role in fixed):
            roles.insert(0, MemberRole.LEADER)
        members = list(fixed)
        used |= {p.pk for p, _ in fixed}
        for role in roles:
            free = [p for p in pool if p.pk not in used and not (self.avoided[p.pk] & units)]
            if role == MemberRole.LEADER:
                free = [p for p in free if p.in_leader_pool]
            person = self.rng.choice(free)
            used.add(person.pk)
            members.append((person, role))
        return members

    def _bulk_memberships(self, plan):
        """What membership_add grants, in bulk: the group's auth group, and lead_group for leaders."""
        self._save(GroupMembership, [GroupMembership(group=g, inspector=p, role=role) for g, p, role in plan])
        links = {(p.user.pk, g.auth_group_id) for g, p, _ in plan}
        User.groups.through.objects.bulk_create([User.groups.through(user_id=u, group_id=a) for u, a in links])
        lead = _permission(LEAD_PERM)
        self._save(
            InspectionGroupUserObjectPermission,
            [
                InspectionGroupUserObjectPermission(user=p.user, permission=lead, content_object=g)
                for g, p, role in plan
                if role in (MemberRole.LEADER, MemberRole.DEPUTY)
            ],
        )

    # --- feedback, findings, clues ---------------------------------------------------------------

    def _make_feedbacks(self):
        feedbacks = []
        for insp in self.inspections:
            if insp.stage >= Stage.FEEDBACK:
                r, d = insp.round, insp.feedback_date
                feedbacks.append(
                    Feedback(
                        inspection=insp,
                        date=d,
                        plan_due=d + timedelta(days=r.plan_due_days),
                        report_due=d + timedelta(days=r.report_due_days),
                        assessment_due=d + timedelta(days=r.assessment_due_days),
                        given_by=self._staff_of(insp).leader,
                    )
                )
        self.feedback_of = {f.inspection.pk: f for f in self._save(Feedback, feedbacks)}

    def _staff_of(self, insp) -> Staff:
        v = self.visit_of[insp.pk]
        return self.staff[(v.round_no, v.group_no)]

    def _finding_count(self, insp) -> int:
        v = self.visit_of[insp.pk]
        if v.kind in (InspectionKind.LOOKBACK, InspectionKind.ASSESSMENT):
            lo, hi = FOLLOW_UP_FINDINGS
        else:
            lo, hi = FINDINGS_PER_INSPECTION[v.unit.kind]
        share = {Stage.PREPARATION: 0, Stage.STATIONED: 0.15, Stage.UNDERSTANDING: 0.6}.get(insp.stage, 1)
        expected = self.rng.randint(lo, hi) * share * self.volume
        return int(expected) + (self.rng.random() < expected % 1)

    def _review_state(self, stage) -> str:
        if stage >= Stage.FEEDBACK:
            return ReviewState.REPORTED
        weights = {
            Stage.STATIONED: {ReviewState.DRAFT: 1},
            Stage.UNDERSTANDING: {ReviewState.DRAFT: 45, ReviewState.DEPUTY_REVIEW: 35, ReviewState.LEADER_SIGN: 20},
            Stage.REPORTING: {
                ReviewState.DRAFT: 10,
                ReviewState.DEPUTY_REVIEW: 20,
                ReviewState.LEADER_SIGN: 30,
                ReviewState.REPORTED: 40,
            },
        }[stage]
        return self._pick(weights)

    def _make_findings(self):
        findings, reviews = [], []
        for insp in self.inspections:
            staff, v = self._staff_of(insp), self.visit_of[insp.pk]
            feedback = self.feedback_of.get(insp.pk)
            # Drafted while on site; reviewed before the feedback (or by today).
            last = feedback.date - timedelta(days=1) if feedback else self.today
            for seq in range(1, self._finding_count(insp) + 1):
                finding, steps = self._finding(insp, v, seq, staff, min(v.onsite_end, self.today), last)
                finding["feedback_id"] = feedback.pk if feedback else None
                findings.append(finding)
                reviews.append(steps)
        ids = self._insert(Finding, findings, "findings")
        self._insert(
            FindingReview,
            [
                {"finding_id": pk, "from_state": a, "to_state": b, "actor_id": actor.pk, "comment": comment, "at": at}
                for pk, steps in zip(ids, reviews, strict=True)
                for a, b, actor, comment, at in steps
            ],
        )
        for pk, finding in zip(ids, findings, strict=True):
            finding["id"] = pk
        self.findings = findings

    def _finding(self, insp, v, seq, staff, drafted_by, last):
        rng = self.rng
        category = rng.choice(self.categories)
        title = rng.choice(FINDING_TITLES.get(category.code, [category.name])).format(amount=rng.randint(2, 300))
        source = self._pick(SOURCE_WEIGHTS)
        state = self._review_state(insp.stage)
        author = rng.choice(staff.writers)
        created = self._at(self._day(v.entry + timedelta(days=1), drafted_by))
        steps = self._review_steps(state, created.date(), last, author, staff)
        description = (
            f"{Source(source).label}中发现：{v.unit.name.removeprefix(self.county.prefix)}{title}。"
            + rng.choice(FINDING_DETAILS).format(year=v.entry.year - 2, k=rng.randint(2, 15))
        )
        finding = {
            "inspection_id": insp.pk,
            "seq": seq,
            "category_id": category.pk,
            "title": title,
            "description": description,
            "source": source,
            "key_minority": rng.random() < 0.15,
            "immediate": rng.random() < 0.1,
            "review_state": state,
            "author_id": author.pk,
            "created_at": created,
            "updated_at": steps[-1][4] if steps else created,
        }
        return finding, steps

    def _review_steps(self, state, start: date, last: date, author, staff) -> list[tuple]:
        """三审 up to `state`: the author submits, the deputy reviews, the leader signs; sometimes sent back once."""
        rng = self.rng
        order = [ReviewState.DRAFT, ReviewState.DEPUTY_REVIEW, ReviewState.LEADER_SIGN, ReviewState.REPORTED]
        moves = []
        for i in range(order.index(state)):
            if i == 0:
                moves.append((order[0], order[1], author, ""))
            elif i == 1:
                if rng.random() < 0.08:
                    moves.append((order[1], order[0], staff.deputy, "请补充佐证材料，核实涉及金额"))
                    moves.append((order[0], order[1], author, "已补充"))
                moves.append((order[1], order[2], staff.deputy, "事实清楚，同意报组长审签"))
            else:
                moves.append((order[2], order[3], staff.leader, "同意，列入巡察报告"))
        days = sorted(self._day(start, last) for _ in moves)
        # Step 0 of the day is the drafting itself.
        return [
            (a, b, actor, comment, self._at(day, step + 1))
            for step, ((a, b, actor, comment), day) in enumerate(zip(moves, days, strict=True))
        ]

    def _make_clues(self):
        by_inspection = defaultdict(list)
        for f in self.findings:
            by_inspection[f["inspection_id"]].append(f["id"])
        clues, people = [], []
        for insp in self.inspections:
            if insp.stage < Stage.UNDERSTANDING:
                continue
            found = by_inspection[insp.pk]
            n = round(len(found) * 0.04 * self.rng.uniform(0.5, 1.5))
            if insp.unit.kind != UnitKind.VILLAGE:
                n = max(n, 1)  # every group has clue work to show
            for _ in range(n):
                clue, persons = self._clue(insp, found)
                clues.append(clue)
                people.append(persons)
        clues = self._save(Clue, clues, "clues")
        self._save(
            CluePerson,
            [
                CluePerson(clue=c, name=name, post=post, rank=rank)
                for c, ps in zip(clues, people, strict=True)
                for name, post, rank in ps
            ],
        )

    def _clue(self, insp, found):
        rng, v, today = self.rng, self.visit_of[insp.pk], self.today
        persons = [(self._person_name(), *rng.choice(POSTS[v.unit.kind])) for _ in range(rng.choice((1, 1, 2)))]
        body = self._pick({ReceivingBody.DISCIPLINE: 80, ReceivingBody.ORGANISATION: 15, ReceivingBody.OTHER: 5})
        clue = Clue(
            inspection=insp,
            finding_id=rng.choice(found) if found and rng.random() < 0.7 else None,
            summary=rng.choice(CLUE_SUMMARIES).format(name=persons[0][0]) + "。",
            receiving_body=body,
            receiving_body_other="县审计局" if body == ReceivingBody.OTHER else "",
            created_by=self._staff_of(insp).leader,
            created_at=self._at(self._day(v.entry + timedelta(days=STATIONED_DAYS), min(v.onsite_end, today))),
        )
        transferable = insp.stage >= Stage.FEEDBACK or (insp.stage == Stage.REPORTING and rng.random() < 0.5)
        if transferable and v.onsite_end + timedelta(days=3) <= self.today:
            self._transfer(clue, v)
        return clue, persons

    def _transfer(self, clue, v):
        """移交 after the onsite work, feedback due in three months; most are answered, some are late."""
        rng, today = self.rng, self.today
        transferred = self._day(v.onsite_end + timedelta(days=3), min(v.onsite_end + timedelta(days=25), today))
        self.letter_seq[transferred.year] += 1
        clue.status = ClueStatus.TRANSFERRED
        clue.transfer_date = transferred
        clue.letter_number = f"{self.county.letter_prefix}〔{transferred.year}〕{self.letter_seq[transferred.year]}号"
        clue.feedback_due_date = transferred + timedelta(days=90)
        age = (today - transferred).days
        if age > 20 and rng.random() < min(0.9, age / 120):
            clue.disposition = self._pick(
                {Disposition.TALK: 35, Disposition.VERIFY: 30, Disposition.SHELVE: 10, Disposition.CLOSE: 25}
            )
            clue.outcome = rng.choice(OUTCOMES[clue.disposition])
            clue.outcome_detail = f"经{Disposition(clue.disposition).label}，处理结果：{Outcome(clue.outcome).label}。"
            clue.status = ClueStatus.ANSWERED
            clue.answered_date = self._day(
                transferred + timedelta(days=20), min(transferred + timedelta(days=120), today)
            )
        elif age > 10 and rng.random() < 0.5:
            clue.disposition = rng.choice([Disposition.TALK, Disposition.VERIFY])  # under way, no outcome yet

    # --- rectification ---------------------------------------------------------------------------

    def _make_tasks(self):
        tasks, histories = [], []
        for finding in self.findings:
            start = self._rectification_start(finding)
            if start is None:
                continue
            for k in range(self.rng.choices(*TASKS_PER_FINDING)[0]):
                task, history = self._task(finding, start, first=k == 0)
                tasks.append(task)
                histories.append(history)
        ids = self._insert(RectificationTask, tasks, "tasks")
        events, reports = [], []
        for pk, (task_events, task_reports) in zip(ids, histories, strict=True):
            events += [{"task_id": pk, **e} for e in task_events]
            reports += [{"task_id": pk, **r} for r in task_reports]
        self._insert(TaskEvent, events)
        self._insert(ProgressReport, reports)

    def _rectification_start(self, finding):
        """Fed-back findings start at the feedback; 立行立改 ones as soon as the report is signed."""
        if finding["feedback_id"] is not None:
            return self.feedback_of[finding["inspection_id"]].date
        if finding["immediate"] and finding["review_state"] == ReviewState.REPORTED:
            return finding["updated_at"].date()
        return None

    def _task(self, finding, start: date, *, first: bool):
        rng = self.rng
        unit = self.visit_of[finding["inspection_id"]].unit
        if unit.kind == UnitKind.TOWNSHIP and self.villages_of[unit.pk] and rng.random() < 0.15:
            unit = rng.choice(self.villages_of[unit.pk])  # the township hands part of it to a village
        if finding["immediate"] and first:
            term = TermType.IMMEDIATE
        else:
            term = self._pick({TermType.DEADLINE: 75, TermType.LONG_TERM: 15, TermType.IMMEDIATE: 10})
        span = {TermType.IMMEDIATE: (15, 30), TermType.DEADLINE: (60, 180), TermType.LONG_TERM: (365, 730)}[term]
        due = start + timedelta(days=rng.randint(*span))
        handler = self.handler_of[unit.pk]
        status, progress, events, reports = self._task_course(term, start, due, handler)
        task = {
            "finding_id": finding["id"],
            "round_id": self.rounds[self.visit_of[finding["inspection_id"]].round_no].pk,  # COPY skips save()
            "measure": rng.choice(MEASURES).format(system=rng.choice(SYSTEMS)),
            "goal": rng.choice(GOALS),
            "responsible_leader_id": self.head_of[unit.pk].pk,
            "responsible_unit_id": unit.pk,
            "handler_id": handler.pk,
            "term_type": term,
            "due_date": due,
            "status": status,
            "progress": progress,
            "closed_at": events[-1]["at"] if status == TaskStatus.CLOSED else None,
            "created_at": self._at(start),
        }
        return task, (events, reports)

    def _task_status(self, term, age) -> str:
        """Young tasks are mostly open; after half a year most are closed, except long-term ones."""
        S = TaskStatus
        if age < 30:
            weights = {S.NOT_STARTED: 50, S.IN_PROGRESS: 42, S.SUBMITTED: 6, S.CLOSED: 2}
        elif age < 180:
            weights = {S.NOT_STARTED: 5, S.IN_PROGRESS: 40, S.SUBMITTED: 20, S.CLOSED: 35}
        elif term == TermType.LONG_TERM:
            weights = {S.IN_PROGRESS: 40, S.SUBMITTED: 5, S.CLOSED: 55}
        else:
            weights = {S.NOT_STARTED: 1, S.IN_PROGRESS: 5, S.SUBMITTED: 2, S.CLOSED: 92}
        return self._pick(weights)

    def _task_course(self, term, start: date, due: date, handler):
        """The status with the events and progress reports that led to it, dated between start and today."""
        rng, today = self.rng, self.today
        status = self._task_status(term, (today - start).days)
        S = TaskStatus
        moves = []
        if status != S.NOT_STARTED:
            moves.append((S.NOT_STARTED, S.IN_PROGRESS, handler, ""))
        if status in (S.SUBMITTED, S.CLOSED):
            if rng.random() < 0.08:
                moves += [
                    (S.IN_PROGRESS, S.SUBMITTED, handler, ""),
                    (S.SUBMITTED, S.IN_PROGRESS, self.office, REJECT_COMMENT),
                ]
            moves.append((S.IN_PROGRESS, S.SUBMITTED, handler, "整改完成，申请销号"))
        if status == S.CLOSED:
            moves.append((S.SUBMITTED, S.CLOSED, self.office, "经核查，整改到位，予以销号"))
        began = min(self._day(start + timedelta(days=1), min(start + timedelta(days=15), today)), today)
        finish = self._day(began, min(max(due, began), today))
        days = [began] + sorted(self._day(began, finish) for _ in moves[1:]) if moves else []
        events = [
            {"from_status": a, "to_status": b, "actor_id": actor.pk, "comment": comment, "at": self._at(day, step)}
            for step, ((a, b, actor, comment), day) in enumerate(zip(moves, days, strict=True))
        ]
        progress = {S.NOT_STARTED: 0, S.IN_PROGRESS: rng.randrange(10, 100, 10)}.get(status, 100)
        reports = []
        if status != S.NOT_STARTED and (status != S.CLOSED or rng.random() < 0.2):
            n = 1 if status == S.CLOSED else rng.randint(1, 2)
            report_days = sorted(self._day(began, days[-1]) for _ in range(n))
            for i, day in enumerate(report_days, start=1):
                reports.append(
                    {
                        "text": REPORT_TEXTS[-1] if progress == 100 and i == n else rng.choice(REPORT_TEXTS[:3]),
                        "progress": progress * i // n,
                        "author_id": handler.pk,
                        "created_at": self._at(day, i),
                    }
                )
        return status, progress, events, reports

    def _make_liaisons(self):
        """The unit liaison sits in the unit that group 1 of the latest round has already given feedback to."""
        group1 = self.groups[(ROUNDS, 1)]
        unit = next(
            i.unit
            for i in self.inspections
            if i.group_id == group1.pk and i.stage >= Stage.FEEDBACK and i.unit.kind != UnitKind.VILLAGE
        )
        self._save(UnitLiaison, [UnitLiaison(user=self.accounts["liaison"], unit=unit)])
        self._save(BodyLiaison, [BodyLiaison(user=self.accounts["jiwei"], body=ReceivingBody.DISCIPLINE)])


def _permission(perm: str) -> Permission:
    app_label, codename = perm.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)
