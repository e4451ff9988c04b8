"""Writes for the petition register (巡察信访). Each is one transaction, records its actor and an event row."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rounds.models import Inspection
from xuncha.history import stamp
from xuncha.roles import PERM_MANAGE

from . import petition_workflow as pw
from . import services as finding_services
from . import workflow
from .choices import PetitionRoute, PetitionStatus, Source
from .models import Clue, Finding, Petition, PetitionEvent

PETITION_FIELDS = (
    "received_date",
    "channel",
    "petitioner_name",
    "petitioner_contact",
    "subject_unit",
    "subject_person",
    "summary",
)


def _require(roles, allowed, message):
    if not roles & allowed:
        raise PermissionDenied(message)


def _register_roles(actor, inspection: Inspection | None) -> frozenset:
    roles = {pw.OFFICE} if actor.has_perm(PERM_MANAGE) else set()
    if inspection is not None:
        roles |= workflow.group_roles(actor, inspection.group)
    return frozenset(roles)


def sync_petition_counter(inspection_id: int | None, *, actor) -> None:
    """受理信访件数 is the register's count: rewritten whenever the inspection's register changes."""
    if inspection_id is None:
        return
    inspection = Inspection.objects.select_for_update().get(pk=inspection_id)
    count = Petition.objects.filter(inspection_id=inspection_id).count()
    if inspection.petitions != count:
        inspection.petitions = count
        stamp(inspection, actor=actor, reason=_("受理信访件数按信访台账更新"))
        inspection.save(update_fields=["petitions"])


def _check_dates(petition: Petition):
    if petition.received_date and petition.received_date > timezone.localdate():
        raise ValidationError({"received_date": _("受理日期不能晚于今天。")})


@transaction.atomic
def petition_create(*, actor, inspection: Inspection | None = None, **fields) -> Petition:
    """The group's leader or the office registers a petition (受理); county-wide ones are the office's."""
    _require(_register_roles(actor, inspection), pw.HANDLERS, _("只有本组组长、副组长或巡察办可以登记信访件。"))
    petition = Petition(inspection=inspection, created_by=actor, status=PetitionStatus.RECEIVED)
    for name in PETITION_FIELDS:
        if name in fields:
            setattr(petition, name, "" if fields[name] is None and name != "subject_unit" else fields[name])
    _check_dates(petition)
    stamp(petition, actor=actor, reason=_("受理信访件"))
    petition.full_clean()
    petition.save()
    PetitionEvent.objects.create(petition=petition, from_status="", to_status=PetitionStatus.RECEIVED, actor=actor)
    sync_petition_counter(petition.inspection_id, actor=actor)
    return petition


def _locked(petition: Petition) -> Petition:
    # Lock the petition's row only: a county-wide petition has no inspection, and PostgreSQL refuses FOR UPDATE
    # on the nullable side of the outer join that select_related makes.
    return Petition.objects.select_for_update(of=("self",)).select_related("inspection__group").get(pk=petition.pk)


@transaction.atomic
def petition_update(*, actor, petition: Petition, **fields) -> Petition:
    """Correct a petition while it is still 受理 (not yet assigned)."""
    locked = _locked(petition)
    roles = pw.roles_on(actor, locked)
    _require(roles, pw.HANDLERS, _("只有本组组长、副组长或巡察办可以修改信访件。"))
    if not pw.can_edit(roles, locked.status):
        raise ValidationError(_("信访件已分办，不能再修改。"))
    before = {name: getattr(locked, name) for name in PETITION_FIELDS}
    for name in PETITION_FIELDS:
        if name in fields:
            setattr(locked, name, "" if fields[name] is None and name != "subject_unit" else fields[name])
    if before == {name: getattr(locked, name) for name in PETITION_FIELDS}:
        return locked  # saved unchanged: no history row
    _check_dates(locked)
    stamp(locked, actor=actor, reason=_("修改信访件"))
    locked.full_clean()
    locked.save()
    return locked


@transaction.atomic
def petition_transition(
    *,
    actor,
    petition: Petition,
    to_status: str,
    on: date,
    expected_status: str | None = None,
    route: str = "",
    route_detail: str = "",
    reply: str = "",
) -> Petition:
    """分办 (with a route) or 办结 (with the handling reply), through petition_workflow.TRANSITIONS."""
    # The row lock makes two handlers queue: the second sees the status the first left.
    locked = _locked(petition)
    roles = pw.roles_on(actor, locked)
    _require(roles, pw.HANDLERS | {workflow.MEMBER}, _("您无权办理该信访件。"))
    from_status = locked.status
    if expected_status and expected_status != from_status:
        raise ValidationError(
            _("该信访件已被他人办理，当前状态为“%(s)s”，请刷新后再操作。") % {"s": locked.get_status_display()}
        )
    rule = pw.rule_for(from_status, to_status)
    if rule is None:
        raise ValidationError(
            _("信访件不能从“%(from)s”变为“%(to)s”。")
            % {"from": PetitionStatus(from_status).label, "to": PetitionStatus(to_status).label}
        )
    _require(roles, rule.by, _("您无权对该信访件执行“%(action)s”。") % {"action": rule.label})
    if on > timezone.localdate():
        raise ValidationError({"on": _("日期不能晚于今天。")})
    note = ""
    if to_status == PetitionStatus.ASSIGNED:
        if route not in PetitionRoute.values:
            raise ValidationError({"route": _("请选择分办去向。")})
        if route == PetitionRoute.DEPARTMENT and not route_detail.strip():
            raise ValidationError({"route_detail": _("转有关部门时，请填写承办部门。")})
        if route == PetitionRoute.GROUP and locked.inspection_id is None:
            raise ValidationError({"route": _("全县信访件没有巡察组，请选择其他去向。")})
        if on < locked.received_date:
            raise ValidationError({"on": _("分办日期不能早于受理日期。")})
        locked.route, locked.route_detail, locked.assigned_date = route, route_detail.strip(), on
        note = locked.route_label
    else:
        reply = (reply or "").strip()
        if not reply:
            raise ValidationError({"reply": _("办结须填写办理情况。")})
        if on < locked.assigned_date:
            raise ValidationError({"on": _("办结日期不能早于分办日期。")})
        locked.reply, locked.closed_date = reply, on
        note = reply
    locked.status = to_status
    stamp(locked, actor=actor, reason=str(rule.label))
    locked.full_clean()
    locked.save()
    PetitionEvent.objects.create(petition=locked, from_status=from_status, to_status=to_status, actor=actor, note=note)
    return locked


@transaction.atomic
def petition_make_finding(*, actor, petition: Petition, category, title: str, description: str) -> Finding:
    """A group member drafts a finding (source 信访举报) from the petition; the two stay linked."""
    locked = _locked(petition)
    roles = pw.roles_on(actor, locked)
    if not pw.can_make_finding(roles, locked):
        if locked.finding_id:
            raise ValidationError(_("该信访件已形成问题底稿。"))
        raise PermissionDenied(_("只有本组成员可以据信访件起草问题底稿。"))
    finding = finding_services.finding_create(
        actor=actor,
        inspection=locked.inspection,
        category=category,
        title=title,
        description=description,
        source=Source.PETITION,
    )
    locked.finding = finding
    stamp(locked, actor=actor, reason=_("据信访件起草问题底稿"))
    locked.save(update_fields=["finding"])
    return finding


@transaction.atomic
def petition_make_clue(*, actor, petition: Petition, summary: str, receiving_body: str, people: list[dict]) -> Clue:
    """The group's leader records a clue from the petition (待移交); the two stay linked."""
    locked = _locked(petition)
    roles = pw.roles_on(actor, locked)
    if not pw.can_make_clue(roles, locked):
        if locked.clue_id:
            raise ValidationError(_("该信访件已形成问题线索。"))
        raise PermissionDenied(_("只有本组组长、副组长可以据信访件登记问题线索。"))
    clue = finding_services.clue_create(
        actor=actor,
        inspection=locked.inspection,
        people=people,
        summary=summary,
        receiving_body=receiving_body,
        finding=locked.finding,
    )
    locked.clue = clue
    stamp(locked, actor=actor, reason=_("据信访件登记问题线索"))
    locked.save(update_fields=["clue"])
    return clue
