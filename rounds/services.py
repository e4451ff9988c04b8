"""Writes for the registry, plans, rounds, groups, memberships and inspections.

Each is one transaction, validates with full_clean and records its actor (and a reason) in the history."""

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from guardian.shortcuts import assign_perm, remove_perm

from xuncha.concurrency import lock_for_edit, require_state
from xuncha.db import save_validated
from xuncha.history import stamp
from xuncha.roles import PERM_MANAGE

from . import selectors, workflow
from .choices import LEADING_ROLES, InspectionKind, MemberRole, RoundStatus, Stage, UnitKind
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
    group_order_from_name,
)

WORK_PERM = "rounds.work_in_group"
LEAD_PERM = "rounds.lead_group"


@transaction.atomic
def group_create(*, actor, round: Round, name: str) -> InspectionGroup:
    """Create a group with its own auth group, which will carry the members' object permissions."""
    group = stamp(
        InspectionGroup(round=round, name=name, order=group_order_from_name(name)), actor=actor, reason=_("组建巡察组")
    )
    group.full_clean(exclude=["auth_group"])  # a duplicate name is a form error before its auth group is made
    auth_group = Group.objects.get_or_create(name=f"巡察组#{round.pk}-{name}")[0]
    group.auth_group = auth_group
    save_validated(group)
    assign_perm(WORK_PERM, auth_group, group)
    return group


def avoidance_conflicts(*, inspector: Inspector, group: InspectionGroup) -> list:
    """Units of this group's inspections that the inspector must avoid (回避)."""
    avoided = selectors.avoided_units(inspector)
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


def membership_grant_all(inspector: Inspector) -> None:
    """Grant the rights of every group the person sits in to their (newly linked) account."""
    for membership in inspector.memberships.select_related("group", "inspector__user"):
        _grant(membership)


def membership_revoke_all(inspector: Inspector) -> None:
    """Take the rights of every group the person sits in from their account (before it is unlinked)."""
    for membership in inspector.memberships.select_related("group", "inspector__user"):
        _revoke(membership)


def _check_single_leader(group: InspectionGroup, role: str, keep: GroupMembership | None = None) -> None:
    if role != MemberRole.LEADER:
        return
    leader = group.memberships.filter(role=MemberRole.LEADER).exclude(pk=getattr(keep, "pk", None))
    leader = leader.select_related("inspector").first()
    if leader:
        raise ValidationError(
            _("%(group)s已有组长%(person)s，请先调整其职务。") % {"group": group.name, "person": leader.inspector.name}
        )


def _check_round_open(round_: Round) -> None:
    """A finished round's groups are history: nobody joins them and they take no new units."""
    if round_.status == RoundStatus.CLOSED:
        raise ValidationError(_("%(round)s已结束，不能再调整巡察组成员或分配被巡察单位。") % {"round": round_})


def _lock_group(group: InspectionGroup) -> None:
    """Queue the writes that check 回避 between a group's members and its units (a member joining, a unit
    assigned): each locks the group row before its check, so the second checks what the first wrote.
    Locking the memberships would not do: SELECT … FOR UPDATE locks rows that exist, never a row being inserted."""
    list(InspectionGroup.objects.select_for_update().filter(pk=group.pk).values_list("pk", flat=True))


@transaction.atomic
def membership_add(*, actor, group: InspectionGroup, inspector: Inspector, role: str = MemberRole.MEMBER):
    """Add a person to a group and grant the group's rights ("一次一授权"); refuse a 回避 conflict."""
    _check_round_open(group.round)
    _lock_group(group)
    conflicts = avoidance_conflicts(inspector=inspector, group=group)
    if conflicts:
        names = "、".join(i.unit.name for i in conflicts)
        raise ValidationError(
            _("%(person)s 须回避 %(units)s，不能加入%(group)s。")
            % {"person": inspector.name, "units": names, "group": group.name}
        )

    def check_place():
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
        _check_single_leader(group, role)

    check_place()
    if not inspector.is_active:
        raise ValidationError(_("%(person)s 已不在人才库中。") % {"person": inspector.name})
    membership = stamp(
        GroupMembership(group=group, inspector=inspector, role=role), actor=actor, reason=_("加入巡察组")
    )
    save_validated(membership, recheck=check_place)  # two offices adding one person at once: one gets the error
    _grant(membership)
    return membership


@transaction.atomic
def membership_change_role(*, actor, membership: GroupMembership, role: str) -> GroupMembership:
    _check_round_open(membership.group.round)
    _check_single_leader(membership.group, role, keep=membership)
    membership.role = role
    stamp(membership, actor=actor, reason=_("调整组内职务"))
    save_validated(membership, recheck=lambda: _check_single_leader(membership.group, role, keep=membership))
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
    _check_round_open(membership.group.round)
    _revoke(membership)
    stamp(membership, actor=actor, reason=_("退出巡察组"))
    membership.delete()


def _save(instance, *, actor, reason: str, recheck=None):
    """Validate and save with attribution: the common tail of every write below (a concurrent duplicate
    is refused with the same ValidationError as a later one, see save_validated)."""
    stamp(instance, actor=actor, reason=reason)
    return save_validated(instance, recheck=recheck)


def _assign(instance, fields: dict):
    for name, value in fields.items():
        setattr(instance, name, value)
    return instance


# --- Unit registry (巡察对象库) ---------------------------------------------------------------

UNIT_FIELDS = ("name", "kind", "parent")


class Hierarchy:
    """What can be wrong with a unit's place in the registry (the codes hierarchy_problem answers)."""

    VILLAGE_WITHOUT_TOWNSHIP = "village_without_township"
    PARENT_NOT_TOWNSHIP = "parent_not_township"
    OWN_PARENT = "own_parent"


def hierarchy_problem(*, kind: str | None, parent_kind: str | None, own_parent: bool) -> str | None:
    """The unit-hierarchy rule, written once for the registry form and the Excel import: a village (村/社区)
    belongs to a township; only a township (乡镇党委) is a parent; no unit is its own parent."""
    if parent_kind is None:
        return Hierarchy.VILLAGE_WITHOUT_TOWNSHIP if kind == UnitKind.VILLAGE else None
    if parent_kind != UnitKind.TOWNSHIP:
        return Hierarchy.PARENT_NOT_TOWNSHIP
    return Hierarchy.OWN_PARENT if own_parent else None


UNIT_HIERARCHY_MESSAGES = {
    Hierarchy.VILLAGE_WITHOUT_TOWNSHIP: gettext_lazy("村(社区)党组织须选择所属乡镇。"),
    Hierarchy.PARENT_NOT_TOWNSHIP: gettext_lazy("上级只能是乡镇党委。"),
    Hierarchy.OWN_PARENT: gettext_lazy("上级不能是本单位。"),
}


def _check_unit(unit: PartyUnit) -> None:
    problem = hierarchy_problem(
        kind=unit.kind,
        parent_kind=unit.parent.kind if unit.parent_id is not None else None,
        own_parent=unit.pk is not None and unit.parent_id == unit.pk,
    )
    if problem:
        raise ValidationError({"parent": UNIT_HIERARCHY_MESSAGES[problem]})
    if unit.pk and unit.kind != UnitKind.TOWNSHIP and unit.children.exists():
        raise ValidationError({"kind": _("该乡镇下仍有村(社区)党组织，不能改为其他类别。")})


@transaction.atomic
def unit_create(*, actor, name: str, kind: str, parent: PartyUnit | None = None) -> PartyUnit:
    unit = PartyUnit(name=name, kind=kind, parent=parent)
    _check_unit(unit)
    return _save(unit, actor=actor, reason=_("新增巡察对象"))


@transaction.atomic
def unit_update(*, actor, unit: PartyUnit, version: str | None = None, **fields) -> PartyUnit:
    lock_for_edit(unit, version)
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
def inspector_update(*, actor, inspector: Inspector, version: str | None = None, **fields) -> Inspector:
    lock_for_edit(inspector, version)
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
    # Compared with the stored account: a ModelForm has already put the new one on the instance.
    stored_user = Inspector.objects.filter(pk=inspector.pk).values_list("user_id", flat=True).first()
    relinked = "user" in fields and getattr(fields["user"], "pk", None) != stored_user
    if relinked:
        membership_revoke_all(inspector)  # the old account leaves the person's groups ...
    _assign(inspector, {k: v for k, v in fields.items() if k in INSPECTOR_FIELDS})
    _save(inspector, actor=actor, reason=_("修改巡察干部信息"))
    if relinked:
        membership_grant_all(inspector)  # ... and the new one joins them
    return inspector


@transaction.atomic
def avoidance_declare(*, actor, inspector: Inspector, unit: PartyUnit, reason: str = "") -> Avoidance:
    """Declare that a person must not inspect `unit`; refused while their group already inspects it."""

    def check_declared():
        if Avoidance.objects.filter(inspector=inspector, unit=unit).exists():
            raise ValidationError({"unit": _("已申报回避%(unit)s。") % {"unit": unit.name}})

    check_declared()
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
    avoidance = Avoidance(inspector=inspector, unit=unit, reason=reason)
    return _save(avoidance, actor=actor, reason=_("申报回避"), recheck=check_declared)


@transaction.atomic
def avoidance_withdraw(*, actor, avoidance: Avoidance) -> None:
    stamp(avoidance, actor=actor, reason=_("撤销回避申报"))
    avoidance.delete()


# --- Plan (巡察工作规划) --------------------------------------------------------------------------


@transaction.atomic
def plan_create(*, actor, name: str, start_year: int, end_year: int) -> Plan:
    return _save(Plan(name=name, start_year=start_year, end_year=end_year), actor=actor, reason=_("制定巡察规划"))


@transaction.atomic
def plan_update(*, actor, plan: Plan, name: str, start_year: int, end_year: int, version: str | None = None) -> Plan:
    lock_for_edit(plan, version)
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
        try:
            _save(PlanUnit(plan=plan, unit=unit, planned_year=planned_year), actor=actor, reason=_("纳入巡察范围"))
        except ValidationError:
            if plan.scope.filter(unit=unit).exists():
                continue  # put in scope by a concurrent request since: it keeps its year, as above
            raise
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
    try:
        return _save(milestone, actor=actor, reason=_("设定年度覆盖目标"))
    except ValidationError:
        if milestone.pk is not None or not Milestone.objects.filter(plan=plan, year=year).exists():
            raise
    # Created by a concurrent request since: set it, as a later request would have.
    milestone = Milestone.objects.get(plan=plan, year=year)
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
def round_update(*, actor, round: Round, version: str | None = None, **fields) -> Round:
    lock_for_edit(round, version)
    _assign(round, {k: v for k, v in fields.items() if k in ROUND_FIELDS and k != "plan"})
    return _save(round, actor=actor, reason=_("修改巡察轮次"))


# --- Inspections (巡察任务) ----------------------------------------------------------------------


def _members_who_must_avoid(group: InspectionGroup, unit: PartyUnit) -> list[Inspector]:
    members = Inspector.objects.filter(memberships__group=group)
    return list(members.filter(selectors.avoids(unit.pk)).distinct().order_by("name"))


class NeedsConfirmation(ValidationError):
    """A write that is allowed but unusual: the page shows the warnings and asks to confirm."""


def lookback_earlier(unit: PartyUnit, *, exclude=None) -> Inspection | None:
    """The inspection a 回头看 of `unit` looks back on: the latest one of the unit that gave feedback."""
    earlier = Inspection.objects.filter(unit=unit, feedback__isnull=False).exclude(kind=InspectionKind.LOOKBACK)
    if exclude is not None:
        earlier = earlier.exclude(pk=exclude.pk)
    return earlier.order_by("-round__year", "-round__number", "-feedback__date", "-pk").first()


def lookback_warnings(*, group: InspectionGroup, unit: PartyUnit) -> list[str]:
    """Why a 回头看 of `unit` in this group's round is unusual: the plan never inspected the unit, or another
    inspection of the round is still open on it."""
    from .selectors import covering_inspections

    warnings = []
    if not covering_inspections(group.round.plan).filter(unit=unit).exists():
        warnings.append(_("%(unit)s 在本规划内从未被巡察过，回头看没有可核查的反馈问题。") % {"unit": unit.name})
    other = (
        Inspection.objects.filter(round_id=group.round_id, unit=unit, stage__lt=Stage.ARCHIVED)
        .select_related("group")
        .first()
    )
    if other:
        warnings.append(
            _("%(unit)s 正由%(group)s进行%(kind)s（%(stage)s），尚未结束。")
            % {
                "unit": unit.name,
                "group": other.group.name,
                "kind": other.get_kind_display(),
                "stage": other.get_stage_display(),
            }
        )
    return warnings


@transaction.atomic
def inspection_assign(
    *, actor, group: InspectionGroup, unit: PartyUnit, kind: str, confirmed: bool = False
) -> Inspection:
    """Give a group a unit to inspect in its round; refused when a current member must avoid (回避) the unit.
    A 回头看 is linked to the unit's earlier inspection; an unusual one needs `confirmed`."""
    _check_round_open(group.round)
    if not PartyUnit.objects.filter(pk=unit.pk, is_active=True).exists():
        raise ValidationError({"unit": _("%(unit)s 已停用，不能分配巡察任务。") % {"unit": unit.name}})
    _lock_group(group)  # no member joins between this check and the insert
    avoiders = _members_who_must_avoid(group, unit)
    if avoiders:
        raise ValidationError(
            {
                "unit": _("%(people)s 须回避%(unit)s，%(group)s不能巡察该单位。")
                % {"people": "、".join(p.name for p in avoiders), "unit": unit.name, "group": group.name}
            }
        )

    def check_assigned():
        same = Inspection.objects.filter(round_id=group.round_id, unit=unit, kind=kind).select_related("group").first()
        if same:
            raise ValidationError(
                {
                    "unit": _("本轮已将%(unit)s的%(kind)s任务分配给%(group)s。")
                    % {"unit": unit.name, "kind": same.get_kind_display(), "group": same.group.name}
                }
            )

    check_assigned()
    follows = None
    if kind == InspectionKind.LOOKBACK:
        warnings = lookback_warnings(group=group, unit=unit)
        if warnings and not confirmed:
            raise NeedsConfirmation(warnings)
        follows = lookback_earlier(unit)
    inspection = Inspection(round=group.round, group=group, unit=unit, kind=kind, follows=follows)
    return _save(inspection, actor=actor, reason=_("分配巡察任务"), recheck=check_assigned)


@transaction.atomic
def inspection_unassign(*, actor, inspection: Inspection) -> None:
    """Withdraw a unit from a group before the group has entered it (准备 only); afterwards the record stays."""
    inspection = Inspection.objects.select_for_update().select_related("unit").get(pk=inspection.pk)
    if not Inspection.objects.filter(selectors.withdrawable(), pk=inspection.pk).exists():
        raise ValidationError(
            _("%(unit)s 的巡察任务已进入“%(stage)s”阶段，不能撤销。")
            % {"unit": inspection.unit.name, "stage": inspection.get_stage_display()}
        )
    stamp(inspection, actor=actor, reason=_("撤销巡察任务"))
    inspection.delete()


@transaction.atomic
def inspection_advance(
    *, actor, inspection: Inspection, to_stage: int, reason: str = "", expected_stage: int | None = None
) -> Inspection:
    """Move an inspection one stage forward, as rounds/workflow.py allows this actor; dated and attributed."""
    # Lock first: two people pressing "next stage" at once must not skip a stage or double-stamp it.
    inspection = Inspection.objects.select_for_update().select_related("group", "unit").get(pk=inspection.pk)
    require_state(
        expected=expected_stage,
        current=inspection.stage,
        message=_("%(unit)s 已被他人推进到“%(stage)s”阶段，请刷新页面后再操作。")
        % {"unit": inspection.unit.name, "stage": inspection.get_stage_display()},
    )
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
    if not rule.by & workflow.roles_on(actor, inspection):
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
    refuse_if_archived(inspection.pk)
    changed = {k: v for k, v in counts.items() if k in COUNTER_FIELDS and getattr(inspection, k) != v}
    if has_petition_register(inspection):
        changed.pop("petitions", None)  # counted from the register (findings.petition_services), never typed
    if not changed:
        return inspection
    _assign(inspection, changed)
    return _save(inspection, actor=actor, reason=_("更新了解问题途径统计"))


# --- 立卷归档 ----------------------------------------------------------------------------------------


def refuse_if_archived(inspection_id: int) -> None:
    """The one guard of an archived inspection's record: its findings, clues, feedback and tasks take no writes."""
    archived = Inspection.objects.filter(pk=inspection_id, archived_at__isnull=False).select_related("unit").first()
    if archived:
        raise ValidationError(
            _("%(unit)s 的巡察任务已立卷归档，不能再修改其问题底稿、线索、反馈或整改任务。")
            % {"unit": archived.unit.name}
        )


@transaction.atomic
def inspection_archive(*, actor, inspection: Inspection) -> Inspection:
    """立卷归档: the office closes a finished inspection's file; from then on its record is read-only."""
    from rectification.choices import TaskStatus
    from rectification.models import RectificationTask

    if not actor.has_perm(PERM_MANAGE):
        raise PermissionDenied
    inspection = Inspection.objects.select_for_update().select_related("unit").get(pk=inspection.pk)
    if inspection.is_archived:
        raise ValidationError(_("该巡察任务已立卷归档。"))
    if inspection.stage != Stage.ARCHIVED:
        raise ValidationError(
            _("只有进入“评估/归档”阶段的巡察任务才能立卷归档，当前阶段为“%(stage)s”。")
            % {"stage": inspection.get_stage_display()}
        )
    open_tasks = RectificationTask.objects.filter(finding__inspection=inspection).exclude(status=TaskStatus.CLOSED)
    n = open_tasks.count()
    if n:
        raise ValidationError(_("尚有 %(n)d 项整改任务未销号，不能立卷归档。") % {"n": n})
    inspection.archived_at = timezone.now()
    inspection.archived_by = actor
    return _save(inspection, actor=actor, reason=_("立卷归档"))


def has_petition_register(inspection: Inspection) -> bool:
    """Once a petition is registered for the inspection, 受理信访件数 is the register's count."""
    return inspection.petition_register.exists()  # not the list's cached flag: the write asks the database
