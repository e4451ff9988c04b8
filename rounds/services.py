"""Writes for the registry, plans, rounds, groups, memberships and inspections.

Each is one transaction, validates with full_clean and records its actor (and a reason) in the history."""

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from xuncha.history import stamp
from xuncha.roles import PERM_MANAGE

from . import workflow
from .choices import LEADING_ROLES, MemberRole, Stage, UnitKind
from .models import (
    Avoidance,
    GroupMembership,
    Inspection,
    InspectionGroup,
    Inspector,
    Milestone,
    PartyUnit,
    Plan,
    PlanUnit,
    Round,
)

WORK_PERM = "rounds.work_in_group"
LEAD_PERM = "rounds.lead_group"


@transaction.atomic
def group_create(*, actor, round: Round, name: str) -> InspectionGroup:
    """Create a group with its own auth group, which will carry the members' object permissions."""
    auth_group = Group.objects.create(name=f"巡察组#{round.pk}-{name}")
    group = stamp(InspectionGroup(round=round, name=name, auth_group=auth_group), actor=actor, reason=_("组建巡察组"))
    group.full_clean()
    group.save()
    assign_perm(WORK_PERM, auth_group, group)
    return group


def avoidance_conflicts(*, inspector: Inspector, group: InspectionGroup) -> list:
    """Units of this group's inspections that the inspector must avoid (回避)."""
    avoided = inspector.avoided_unit_ids()
    if not avoided:
        return []
    return list(Inspection.objects.filter(group=group, unit_id__in=avoided).select_related("unit"))


def _grant(membership: GroupMembership):
    user = membership.inspector.user
    if user is None:
        return
    user.groups.add(membership.group.auth_group)
    if membership.role in LEADING_ROLES:
        assign_perm(LEAD_PERM, user, membership.group)
    else:
        remove_perm(LEAD_PERM, user, membership.group)


def _revoke(membership: GroupMembership):
    user = membership.inspector.user
    if user is None:
        return
    user.groups.remove(membership.group.auth_group)
    remove_perm(LEAD_PERM, user, membership.group)


def _check_single_leader(group: InspectionGroup, role: str, keep: GroupMembership | None = None) -> None:
    if role != MemberRole.LEADER:
        return
    leader = group.memberships.filter(role=MemberRole.LEADER).exclude(pk=getattr(keep, "pk", None))
    leader = leader.select_related("inspector").first()
    if leader:
        raise ValidationError(
            _("%(group)s已有组长%(person)s，请先调整其职务。") % {"group": group.name, "person": leader.inspector.name}
        )


@transaction.atomic
def membership_add(*, actor, group: InspectionGroup, inspector: Inspector, role: str = MemberRole.MEMBER):
    """Add a person to a group and grant the group's rights ("一次一授权"); refuse a 回避 conflict."""
    conflicts = avoidance_conflicts(inspector=inspector, group=group)
    if conflicts:
        names = "、".join(i.unit.name for i in conflicts)
        raise ValidationError(
            _("%(person)s 须回避 %(units)s，不能加入%(group)s。")
            % {"person": inspector.name, "units": names, "group": group.name}
        )
    elsewhere = (
        GroupMembership.objects.filter(inspector=inspector, group__round_id=group.round_id)
        .select_related("group")
        .first()
    )
    if elsewhere:
        raise ValidationError(
            _("%(person)s 已是本轮%(other)s成员，同一轮次只能参加一个巡察组。")
            % {"person": inspector.name, "other": elsewhere.group.name}
        )
    if not inspector.is_active:
        raise ValidationError(_("%(person)s 已不在人才库中。") % {"person": inspector.name})
    _check_single_leader(group, role)
    membership = stamp(
        GroupMembership(group=group, inspector=inspector, role=role), actor=actor, reason=_("加入巡察组")
    )
    membership.full_clean()
    membership.save()
    _grant(membership)
    return membership


@transaction.atomic
def membership_change_role(*, actor, membership: GroupMembership, role: str) -> GroupMembership:
    _check_single_leader(membership.group, role, keep=membership)
    membership.role = role
    stamp(membership, actor=actor, reason=_("调整组内职务"))
    membership.full_clean()
    membership.save()
    _grant(membership)
    return membership


def has_deputy(group: InspectionGroup) -> bool:
    return group.memberships.filter(role=MemberRole.DEPUTY).exists()


def leader_may_review(group: InspectionGroup) -> bool:
    """三审 is three people; only a group without a deputy, by the office's recorded exception, has its
    leader do the 复核 as well as the 审签 (findings.services.finding_transition asks this)."""
    return group.review_exception and not has_deputy(group)


@transaction.atomic
def group_set_review_exception(*, actor, group: InspectionGroup, allowed: bool, reason: str = "") -> InspectionGroup:
    """The office allows (or withdraws) 组长兼复核 for a group without a deputy, with its reason in the history."""
    if not actor.has_perm(PERM_MANAGE):
        raise PermissionDenied(_("只有巡察办可以准许组长兼复核。"))
    locked = InspectionGroup.objects.select_for_update().get(pk=group.pk)
    reason = (reason or "").strip()
    if allowed and has_deputy(locked):
        raise ValidationError(_("%(group)s已配备副组长，复核应由副组长进行，无需例外。") % {"group": locked.name})
    if not reason:
        raise ValidationError({"reason": _("请说明理由。")})
    locked.review_exception = allowed
    locked.review_exception_reason = reason if allowed else ""
    verb = _("准许组长兼复核") if allowed else _("撤销组长兼复核")
    stamp(locked, actor=actor, reason=f"{verb}：{reason}")
    locked.full_clean()
    locked.save()
    return locked


@transaction.atomic
def membership_remove(*, actor, membership: GroupMembership) -> None:
    """Take a person out of a group; their rights on the group's work go with it."""
    _revoke(membership)
    stamp(membership, actor=actor, reason=_("退出巡察组"))
    membership.delete()


def _save(instance, *, actor, reason: str):
    """Validate and save with attribution: the common tail of every write below."""
    stamp(instance, actor=actor, reason=reason)
    instance.full_clean()
    instance.save()
    return instance


def _assign(instance, fields: dict):
    for name, value in fields.items():
        setattr(instance, name, value)
    return instance


# --- Unit registry (巡察对象库) ---------------------------------------------------------------

UNIT_FIELDS = ("name", "kind", "parent")


def _check_unit(unit: PartyUnit) -> None:
    if unit.kind == UnitKind.VILLAGE and unit.parent_id is None:
        raise ValidationError({"parent": _("村(社区)党组织须选择所属乡镇。")})
    if unit.parent_id is not None:
        if unit.parent.kind != UnitKind.TOWNSHIP:
            raise ValidationError({"parent": _("上级只能是乡镇党委。")})
        if unit.parent_id == unit.pk:
            raise ValidationError({"parent": _("上级不能是本单位。")})
    if unit.pk and unit.kind != UnitKind.TOWNSHIP and unit.children.exists():
        raise ValidationError({"kind": _("该乡镇下仍有村(社区)党组织，不能改为其他类别。")})


@transaction.atomic
def unit_create(*, actor, name: str, kind: str, parent: PartyUnit | None = None) -> PartyUnit:
    unit = PartyUnit(name=name, kind=kind, parent=parent)
    _check_unit(unit)
    return _save(unit, actor=actor, reason=_("新增巡察对象"))


@transaction.atomic
def unit_update(*, actor, unit: PartyUnit, **fields) -> PartyUnit:
    _assign(unit, {k: v for k, v in fields.items() if k in UNIT_FIELDS})
    _check_unit(unit)
    return _save(unit, actor=actor, reason=_("修改巡察对象"))


@transaction.atomic
def unit_set_active(*, actor, unit: PartyUnit, active: bool) -> PartyUnit:
    """Deactivate (停用) or restore a unit; units are never deleted, their inspections and history stay."""
    unit = PartyUnit.objects.select_for_update().get(pk=unit.pk)
    if unit.is_active == active:
        return unit
    unit.is_active = active
    return _save(unit, actor=actor, reason=_("恢复巡察对象") if active else _("停用巡察对象"))


# --- People pool (人才库) and 回避 -------------------------------------------------------------

INSPECTOR_FIELDS = ("name", "user", "home_unit", "rank", "specialties", "in_leader_pool", "is_active")


@transaction.atomic
def inspector_create(*, actor, **fields) -> Inspector:
    inspector = _assign(Inspector(), {k: v for k, v in fields.items() if k in INSPECTOR_FIELDS})
    return _save(inspector, actor=actor, reason=_("新增巡察干部"))


@transaction.atomic
def inspector_update(*, actor, inspector: Inspector, **fields) -> Inspector:
    new_home = fields.get("home_unit", inspector.home_unit)
    if new_home is not None and new_home.pk != inspector.home_unit_id:
        # A new home unit is a new 回避: refuse it while the person sits in a group that inspects it.
        clash = Inspection.objects.filter(group__memberships__inspector=inspector, unit=new_home).first()
        if clash:
            raise ValidationError(
                {
                    "home_unit": _("%(person)s 所在的%(group)s正在巡察%(unit)s，须先调整分组。")
                    % {"person": inspector.name, "group": clash.group.name, "unit": new_home.name}
                }
            )
    _assign(inspector, {k: v for k, v in fields.items() if k in INSPECTOR_FIELDS})
    return _save(inspector, actor=actor, reason=_("修改巡察干部信息"))


@transaction.atomic
def avoidance_declare(*, actor, inspector: Inspector, unit: PartyUnit, reason: str = "") -> Avoidance:
    """Declare that a person must not inspect `unit`; refused while their group already inspects it."""
    if Avoidance.objects.filter(inspector=inspector, unit=unit).exists():
        raise ValidationError({"unit": _("已申报回避%(unit)s。") % {"unit": unit.name}})
    clash = (
        Inspection.objects.filter(group__memberships__inspector=inspector, unit=unit).select_related("group").first()
    )
    if clash:
        raise ValidationError(
            {
                "unit": _("%(person)s 所在的%(group)s正在巡察%(unit)s，须先调整分组再申报回避。")
                % {"person": inspector.name, "group": clash.group.name, "unit": unit.name}
            }
        )
    return _save(Avoidance(inspector=inspector, unit=unit, reason=reason), actor=actor, reason=_("申报回避"))


@transaction.atomic
def avoidance_withdraw(*, actor, avoidance: Avoidance) -> None:
    stamp(avoidance, actor=actor, reason=_("撤销回避申报"))
    avoidance.delete()


# --- Plan (巡察工作规划) --------------------------------------------------------------------------


@transaction.atomic
def plan_create(*, actor, name: str, start_year: int, end_year: int) -> Plan:
    return _save(Plan(name=name, start_year=start_year, end_year=end_year), actor=actor, reason=_("制定巡察规划"))


@transaction.atomic
def plan_update(*, actor, plan: Plan, name: str, start_year: int, end_year: int) -> Plan:
    outside = plan.scope.exclude(planned_year__range=(start_year, end_year)).count()
    if outside:
        raise ValidationError(_("有 %(n)s 个单位的计划年度不在新的届期内，请先调整。") % {"n": outside})
    _assign(plan, {"name": name, "start_year": start_year, "end_year": end_year})
    return _save(plan, actor=actor, reason=_("修改巡察规划"))


def _check_year(plan: Plan, year: int, field: str = "planned_year") -> None:
    if not plan.start_year <= year <= plan.end_year:
        raise ValidationError(
            {field: _("年度须在规划届期 %(start)s–%(end)s 之内。") % {"start": plan.start_year, "end": plan.end_year}}
        )


@transaction.atomic
def plan_scope_add(*, actor, plan: Plan, units, planned_year: int) -> int:
    """Put units in the plan's scope for `planned_year`; units already in scope keep their year. Returns how many."""
    _check_year(plan, planned_year)
    already = set(plan.scope.values_list("unit_id", flat=True))
    added = 0
    for unit in units:
        if unit.pk in already or not unit.is_active:
            continue
        _save(PlanUnit(plan=plan, unit=unit, planned_year=planned_year), actor=actor, reason=_("纳入巡察范围"))
        added += 1
    return added


@transaction.atomic
def plan_scope_set_year(*, actor, entry: PlanUnit, planned_year: int) -> PlanUnit:
    _check_year(entry.plan, planned_year)
    entry.planned_year = planned_year
    return _save(entry, actor=actor, reason=_("调整计划年度"))


@transaction.atomic
def plan_scope_remove(*, actor, entry: PlanUnit) -> None:
    stamp(entry, actor=actor, reason=_("移出巡察范围"))
    entry.delete()


@transaction.atomic
def milestone_set(*, actor, plan: Plan, year: int, target_rate) -> Milestone:
    """Set the coverage target for a year of the plan (creates it or changes it)."""
    _check_year(plan, year, field="year")
    milestone = Milestone.objects.filter(plan=plan, year=year).first() or Milestone(plan=plan, year=year)
    milestone.target_rate = target_rate
    return _save(milestone, actor=actor, reason=_("设定年度覆盖目标"))


@transaction.atomic
def milestone_remove(*, actor, milestone: Milestone) -> None:
    stamp(milestone, actor=actor, reason=_("删除年度覆盖目标"))
    milestone.delete()


# --- Rounds ---------------------------------------------------------------------------------------

ROUND_FIELDS = (
    "plan",
    "number",
    "year",
    "start_date",
    "end_date",
    "theme",
    "status",
    "plan_due_days",
    "report_due_days",
    "assessment_due_days",
)


@transaction.atomic
def round_create(*, actor, **fields) -> Round:
    round_ = _assign(Round(), {k: v for k, v in fields.items() if k in ROUND_FIELDS})
    return _save(round_, actor=actor, reason=_("部署巡察轮次"))


@transaction.atomic
def round_update(*, actor, round: Round, **fields) -> Round:
    _assign(round, {k: v for k, v in fields.items() if k in ROUND_FIELDS and k != "plan"})
    return _save(round, actor=actor, reason=_("修改巡察轮次"))


# --- Inspections (巡察任务) ----------------------------------------------------------------------


def _members_who_must_avoid(group: InspectionGroup, unit: PartyUnit) -> list[Inspector]:
    members = Inspector.objects.filter(memberships__group=group)
    return list(members.filter(Q(home_unit=unit) | Q(avoidances__unit=unit)).distinct().order_by("name"))


@transaction.atomic
def inspection_assign(*, actor, group: InspectionGroup, unit: PartyUnit, kind: str) -> Inspection:
    """Give a group a unit to inspect in its round; refused when a current member must avoid (回避) the unit."""
    if not PartyUnit.objects.filter(pk=unit.pk, is_active=True).exists():
        raise ValidationError({"unit": _("%(unit)s 已停用，不能分配巡察任务。") % {"unit": unit.name}})
    # Lock the group's memberships so a member cannot join between this check and the insert.
    list(GroupMembership.objects.select_for_update().filter(group=group))
    avoiders = _members_who_must_avoid(group, unit)
    if avoiders:
        raise ValidationError(
            {
                "unit": _("%(people)s 须回避%(unit)s，%(group)s不能巡察该单位。")
                % {"people": "、".join(p.name for p in avoiders), "unit": unit.name, "group": group.name}
            }
        )
    same = Inspection.objects.filter(round_id=group.round_id, unit=unit, kind=kind).select_related("group").first()
    if same:
        raise ValidationError(
            {
                "unit": _("本轮已将%(unit)s的%(kind)s任务分配给%(group)s。")
                % {"unit": unit.name, "kind": same.get_kind_display(), "group": same.group.name}
            }
        )
    inspection = Inspection(round=group.round, group=group, unit=unit, kind=kind)
    return _save(inspection, actor=actor, reason=_("分配巡察任务"))


@transaction.atomic
def inspection_unassign(*, actor, inspection: Inspection) -> None:
    """Withdraw a unit from a group before the group has entered it (准备 only); afterwards the record stays."""
    inspection = Inspection.objects.select_for_update().select_related("unit").get(pk=inspection.pk)
    if inspection.stage != Stage.PREPARATION or inspection.findings.exists():
        raise ValidationError(
            _("%(unit)s 的巡察任务已进入“%(stage)s”阶段，不能撤销。")
            % {"unit": inspection.unit.name, "stage": inspection.get_stage_display()}
        )
    stamp(inspection, actor=actor, reason=_("撤销巡察任务"))
    inspection.delete()


@transaction.atomic
def inspection_advance(*, actor, inspection: Inspection, to_stage: int, reason: str = "") -> Inspection:
    """Move an inspection one stage forward, as rounds/workflow.py allows this actor; dated and attributed."""
    # Lock first: two people pressing "next stage" at once must not skip a stage or double-stamp it.
    inspection = Inspection.objects.select_for_update().select_related("group", "unit").get(pk=inspection.pk)
    rule = workflow.rule_for(inspection.stage, to_stage)
    if rule is None:
        raise ValidationError(
            _("%(unit)s 当前处于“%(stage)s”阶段，只能依次向前推进，不能改为“%(to)s”。")
            % {
                "unit": inspection.unit.name,
                "stage": inspection.get_stage_display(),
                "to": Stage(to_stage).label if to_stage in Stage.values else to_stage,
            }
        )
    if not rule.by & workflow.roles_for(actor, inspection):
        raise PermissionDenied(_("您无权将巡察任务推进到“%(to)s”阶段。") % {"to": Stage(to_stage).label})
    old_label = inspection.get_stage_display()
    now = timezone.now()
    inspection.stage = to_stage
    inspection.stage_changed_at = now
    if rule.sets_date and getattr(inspection, rule.sets_date) is None:
        setattr(inspection, rule.sets_date, timezone.localdate(now))
    note = _("阶段：%(old)s → %(new)s") % {"old": old_label, "new": inspection.get_stage_display()}
    return _save(inspection, actor=actor, reason=f"{note}；{reason}" if reason else note)


COUNTER_FIELDS = ("interviews", "documents", "questionnaires", "visits", "petitions")


def may_work_on(user, inspection: Inspection) -> bool:
    """Office, or a member of the inspection's own group (leadership reads but never writes)."""
    return user.has_perm(PERM_MANAGE) or user.has_perm(WORK_PERM, inspection.group)


@transaction.atomic
def inspection_update_counters(*, actor, inspection: Inspection, **counts) -> Inspection:
    """Record how many talks, documents, questionnaires, visits and petitions the group has logged so far."""
    inspection = Inspection.objects.select_for_update().select_related("group").get(pk=inspection.pk)
    if not may_work_on(actor, inspection):
        raise PermissionDenied
    changed = {k: v for k, v in counts.items() if k in COUNTER_FIELDS and getattr(inspection, k) != v}
    if has_petition_register(inspection):
        changed.pop("petitions", None)  # counted from the register (findings.petition_services), never typed
    if not changed:
        return inspection
    _assign(inspection, changed)
    return _save(inspection, actor=actor, reason=_("更新了解问题途径统计"))


def has_petition_register(inspection: Inspection) -> bool:
    """Once a petition is registered for the inspection, 受理信访件数 is the register's count."""
    return inspection.petition_register.exists()  # not the list's cached flag: the write asks the database
