"""A small hand-built county with two sealed inspection groups: the shared material for permission tests.

Every persona of DESIGN.md has a user here, named as in the demo data. Each group owns one inspection
with a reported (fed-back) finding, a draft finding, a transferred clue and a rectification task, whose
titles carry the group's marker so that a leak test can search every page for the other group's marker.
"""

import importlib
from datetime import date, timedelta
from types import SimpleNamespace

from django.apps import apps
from django.contrib.auth.models import Group, Permission, User
from django.utils import timezone

from findings.choices import ClueStatus, ReceivingBody, ReviewState, Source
from findings.models import BodyLiaison, Clue, CluePerson, Finding, FindingCategory
from rectification.choices import SupervisingBody, TaskStatus, TermType
from rectification.models import Feedback, RectificationTask, SupervisingLiaison
from rectification.services.documents import documents_open
from rounds.choices import InspectionKind, MemberRole, RoundStatus, Stage, UnitKind
from rounds.models import Inspection, Inspector, Milestone, PartyUnit, Plan, PlanUnit, Round, UnitLiaison
from rounds.services import group_create, group_set_review_exception, membership_add
from xuncha.roles import LEADERSHIP_GROUP, OFFICE_GROUP

PERSONAS = [
    "office",
    "leadership",
    "group1_leader",
    "group1_member",
    "group2_leader",
    "group2_member",
    "liaison",
    "jiwei",
    "unit_head",
    "zuzhibu",
    "nobody",
]
MARKERS = {1: "甲组机密", 2: "乙组机密"}


def _user(username, full_name, *groups):
    user = User.objects.create_user(username, password="pw", first_name=full_name, email=f"{username}@example.org")
    for name in groups:
        user.groups.add(Group.objects.get(name=name))
    return user


def _group_side(n, *, actor, round_, unit, users, category, today):
    marker = MARKERS[n]
    group = group_create(actor=actor, round=round_, name=f"第{'一二'[n - 1]}巡察组")
    leader = Inspector.objects.create(name=f"{n}组组长", user=users[f"group{n}_leader"], in_leader_pool=True)
    member = Inspector.objects.create(name=f"{n}组成员", user=users[f"group{n}_member"])
    membership_add(actor=actor, group=group, inspector=leader, role=MemberRole.LEADER)
    membership_add(actor=actor, group=group, inspector=member, role=MemberRole.MEMBER)
    # No deputy in these small groups: the office has allowed their leaders to do the 复核 too (三审 exception).
    group_set_review_exception(actor=actor, group=group, allowed=True, reason="本组未配备副组长")
    inspection = Inspection.objects.create(
        round=round_,
        group=group,
        unit=unit,
        kind=InspectionKind.REGULAR,
        stage=Stage.FEEDBACK,
        entry_date=today - timedelta(days=60),
        onsite_end_date=today - timedelta(days=30),
        feedback_date=today - timedelta(days=10),
    )
    feedback = Feedback.objects.create(
        inspection=inspection,
        date=today - timedelta(days=10),
        plan_due=today + timedelta(days=25),  # the documents it opens are owed, not yet on the reminder ladder
        report_due=today + timedelta(days=50),
        assessment_due=today + timedelta(days=170),
        given_by=actor,
    )
    documents_open(actor=actor, feedback=feedback)
    finding = Finding.objects.create(
        inspection=inspection,
        seq=1,
        category=category,
        title=f"{marker}问题：三重一大决策不规范",
        description=f"{marker}：详细情况",
        source=Source.INTERVIEW,
        review_state=ReviewState.REPORTED,
        author=users[f"group{n}_member"],
        feedback=feedback,
    )
    draft = Finding.objects.create(
        inspection=inspection,
        seq=2,
        category=category,
        title=f"{marker}草稿：公务接待超标准",
        description=f"{marker}：待核实",
        source=Source.DOCUMENTS,
        author=users[f"group{n}_member"],
    )
    clue = Clue.objects.create(
        inspection=inspection,
        finding=finding,
        summary=f"{marker}线索：某局长涉嫌违规收受礼金",
        receiving_body=ReceivingBody.DISCIPLINE if n == 1 else ReceivingBody.ORGANISATION,
        status=ClueStatus.TRANSFERRED,
        transfer_date=today - timedelta(days=5),
        letter_number=f"县巡〔{today.year}〕{n}号",
        feedback_due_date=today + timedelta(days=85),
        created_by=users[f"group{n}_leader"],
    )
    CluePerson.objects.create(clue=clue, name=f"{marker}张某", post="局长", rank="正科级")
    task = RectificationTask.objects.create(
        finding=finding,
        measure=f"{marker}整改措施：修订议事规则",
        goal="建立规范的决策程序",
        responsible_unit=unit,
        responsible_leader=users["office"],
        term_type=TermType.DEADLINE,
        due_date=today + timedelta(days=30),
        status=TaskStatus.IN_PROGRESS,
    )
    return SimpleNamespace(
        group=group,
        inspection=inspection,
        feedback=feedback,
        finding=finding,
        draft=draft,
        clue=clue,
        task=task,
        marker=marker,
    )


def ensure_reference_data():
    """The rows the data migrations make (role groups, category tree): a transactional test's flush removes them."""
    roles = importlib.import_module("rounds.migrations.0002_role_groups")
    for name, codenames in roles.ROLE_PERMS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*Permission.objects.filter(content_type__app_label="rounds", codename__in=codenames))
    importlib.import_module("findings.migrations.0003_seed_categories").seed(apps, None)
    importlib.import_module("rectification.migrations.0008_seed_assessment_and_documents").seed(apps, None)


def build_world(today: date | None = None) -> SimpleNamespace:
    today = today or timezone.localdate()
    ensure_reference_data()
    users = {
        "office": _user("office", "王办", OFFICE_GROUP),
        "leadership": _user("leadership", "李书记", LEADERSHIP_GROUP),
        "group1_leader": _user("group1_leader", "赵组长"),
        "group1_member": _user("group1_member", "钱组员"),
        "group2_leader": _user("group2_leader", "孙组长"),
        "group2_member": _user("group2_member", "周组员"),
        "liaison": _user("liaison", "吴联络"),
        "jiwei": _user("jiwei", "郑纪委"),
        "unit_head": _user("unit_head", "陈局长"),
        "zuzhibu": _user("zuzhibu", "陈组织"),
        "nobody": _user("nobody", "冯某"),
    }
    township = PartyUnit.objects.create(name="城关镇党委", kind=UnitKind.TOWNSHIP)
    village = PartyUnit.objects.create(name="东风村党支部", kind=UnitKind.VILLAGE, parent=township)
    # Group 1's unit has a head (责任单位负责人), who reads its tasks and receives their overdue reminders.
    finance = PartyUnit.objects.create(name="县财政局党组", kind=UnitKind.DEPARTMENT, head=users["unit_head"])
    education = PartyUnit.objects.create(name="县教育局党组", kind=UnitKind.DEPARTMENT)
    outside = PartyUnit.objects.create(name="县城投集团党委", kind=UnitKind.SOE)
    plan = Plan.objects.create(name="十四届县委巡察工作规划", start_year=today.year - 2, end_year=today.year + 2)
    for unit, year in [
        (township, today.year),
        (village, today.year + 1),
        (finance, today.year),
        (education, today.year),
    ]:
        PlanUnit.objects.create(plan=plan, unit=unit, planned_year=year)
    Milestone.objects.create(plan=plan, year=today.year, target_rate=50)
    round_ = Round.objects.create(plan=plan, number=1, year=today.year, status=RoundStatus.ACTIVE)
    category = FindingCategory.objects.filter(parent__isnull=False).order_by("code").first()
    office = users["office"]
    g1 = _group_side(1, actor=office, round_=round_, unit=finance, users=users, category=category, today=today)
    g2 = _group_side(2, actor=office, round_=round_, unit=education, users=users, category=category, today=today)
    UnitLiaison.objects.create(user=users["liaison"], unit=finance)
    BodyLiaison.objects.create(user=users["jiwei"], body=ReceivingBody.DISCIPLINE)
    # 组织部's daily supervision, narrowed by the office to group 2's unit (县教育局党组).
    supervisor = SupervisingLiaison.objects.create(
        user=users["zuzhibu"], body=SupervisingBody.ORGANISATION, all_units=False
    )
    supervisor.units.add(education)
    return SimpleNamespace(
        today=today,
        users=users,
        units=SimpleNamespace(
            township=township, village=village, finance=finance, education=education, outside=outside
        ),
        plan=plan,
        round=round_,
        category=category,
        g1=g1,
        g2=g2,
    )
