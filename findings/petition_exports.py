"""Export of the petition register: confidential, logged; the petitioner column is filled only on the rows
whose petitioner the reader may see (the office: all; a group's 组长/副组长: their group's)."""

from django.utils.translation import gettext_lazy as _

from xuncha.exports import Column, ExportSpec
from xuncha.exports.access import with_roles
from xuncha.roles import Role

from .choices import PetitionChannel, PetitionStatus
from .models import Petition
from .petition_filtersets import PetitionFilterSet
from .petition_selectors import with_petitioner_flag


def _joins(qs):
    return qs.select_related("inspection__round", "inspection__group", "inspection__unit", "subject_unit", "finding")


def petitions_queryset(user):
    return _joins(with_petitioner_flag(Petition.objects.visible_to(user), user))


def _petitioner(p):
    if not getattr(p, "show_petitioner", False):
        return ""
    return "，".join(x for x in (p.petitioner_name, p.petitioner_contact) if x)


def _register(p):
    if p.inspection_id is None:
        return _("全县（巡察办）")
    return f"{p.inspection.group.name} · {p.inspection.unit.name}"


PETITIONS = ExportSpec(
    kind="petitions",
    title=_("巡察信访台账"),
    columns=(
        Column(_("序号"), "pk", 7, "seq"),
        Column(_("受理日期"), "received_date", 12, "date"),
        Column(_("巡察任务"), _register, 28),
        Column(_("来源渠道"), "channel", 10, choices=PetitionChannel),
        Column(_("信访人"), _petitioner, 20),
        Column(_("被反映单位"), "subject_unit.name", 22),
        Column(_("被反映人"), "subject_person", 14),
        Column(_("反映内容摘要"), "summary", 44, "wrap"),
        Column(_("办理状态"), "status", 10, choices=PetitionStatus),
        Column(_("分办去向"), "route_label", 18),
        Column(_("分办日期"), "assigned_date", 12, "date"),
        Column(_("办理情况"), "reply", 36, "wrap"),
        Column(_("办结日期"), "closed_date", 12, "date"),
        Column(_("形成问题底稿"), lambda p: p.finding.number if p.finding_id else "", 12),
        Column(_("形成问题线索"), lambda p: _("是") if p.clue_id else "", 10),
    ),
    base=petitions_queryset,
    allowed=with_roles(Role.GROUP_LEADER, Role.GROUP_MEMBER),
    filterset=PetitionFilterSet,
    order_by=("-received_date", "-pk"),
    confidential=True,
    prepare=_joins,
)
