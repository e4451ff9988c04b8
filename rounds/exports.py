"""Export specs for the registry, the people pool, rounds and inspections (see xuncha/exports)."""

from django.db.models import Count, Prefetch, Q
from django.utils.translation import gettext_lazy as _

from xuncha.exports import Column, ExportSpec
from xuncha.exports.access import GROUP_ROLES, overseers, with_roles
from xuncha.roles import sees_everything

from .filtersets import InspectionFilterSet, InspectorFilterSet, RoundFilterSet, UnitFilterSet
from .models import Avoidance, Inspection, InspectionGroup, Inspector, PartyUnit, Round
from .selectors import coverage_of, current_plan, with_coverage


# The registry and the people pool are the office's books: overseers read them, nobody else does.
def units_queryset(user):
    qs = PartyUnit.objects.all() if sees_everything(user) else PartyUnit.objects.none()
    return with_coverage(qs, current_plan()).select_related("parent")


UNITS = ExportSpec(
    kind="units",
    title=_("巡察对象名录"),
    columns=(
        Column(_("序号"), "pk", 7, "seq"),
        # 编号 is the key an edited export is imported back by (rounds/imports.py): the same unit, even renamed.
        Column(_("编号"), "pk", 8, "int"),
        Column(_("名称"), "name", 32),
        Column(_("类别"), "get_kind_display", 24),
        Column(_("上级乡镇"), "parent.name", 20),
        Column(_("计划年度"), "planned_year", 10),
        Column(_("覆盖"), lambda unit: coverage_of(unit).label, 10),
        Column(_("在册"), "is_active", 8),
    ),
    base=units_queryset,
    allowed=overseers,
    filterset=UnitFilterSet,
    order_by=("kind", "name"),
    prepare=lambda qs: qs.select_related("parent"),
)


def _avoided_names(person):
    return "、".join(a.unit.name for a in person.avoidances.all())


def _people_joins(qs):
    return qs.select_related("home_unit").prefetch_related(
        Prefetch("avoidances", queryset=Avoidance.objects.select_related("unit").order_by("unit__name"))
    )


def people_queryset(user):
    return _people_joins(Inspector.objects.all() if sees_everything(user) else Inspector.objects.none())


PEOPLE = ExportSpec(
    kind="people",
    title=_("巡察人才库"),
    columns=(
        Column(_("序号"), "pk", 7, "seq"),
        Column(_("编号"), "pk", 8, "int"),  # the key an edited export is imported back by (rounds/imports.py)
        Column(_("姓名"), "name", 12),
        Column(_("工作单位"), "home_unit.name", 28),
        Column(_("职级"), "rank", 14),
        Column(_("专业特长"), "specialty_labels", 22),
        Column(_("组长库"), "in_leader_pool", 8),
        Column(_("回避单位"), _avoided_names, 32, "wrap"),
        Column(_("在库"), "is_active", 8),
    ),
    base=people_queryset,
    allowed=overseers,
    filterset=InspectorFilterSet,
    order_by=("name", "pk"),
    prepare=_people_joins,
)


def rounds_queryset(user):
    """All rounds for overseers; otherwise the rounds the user has a group in, counting only their groups."""
    if sees_everything(user):
        qs = Round.objects.annotate(
            group_count=Count("groups", distinct=True), inspection_count=Count("inspections", distinct=True)
        )
    else:
        groups = InspectionGroup.objects.visible_to(user).values("pk")
        qs = Round.objects.filter(pk__in=Round.objects.filter(groups__in=groups).values("pk")).annotate(
            group_count=Count("groups", filter=Q(groups__in=groups), distinct=True),
            inspection_count=Count("inspections", filter=Q(inspections__group__in=groups), distinct=True),
        )
    return qs.select_related("plan")


ROUNDS = ExportSpec(
    kind="rounds",
    title=_("巡察轮次"),
    columns=(
        Column(_("轮次"), str, 22),
        Column(_("年度"), "year", 8, "int"),
        Column(_("规划"), "plan.name", 26),
        Column(_("开始日期"), "start_date", 12, "date"),
        Column(_("结束日期"), "end_date", 12, "date"),
        Column(_("专项主题"), "theme", 30, "wrap"),
        Column(_("状态"), "get_status_display", 10),
        Column(_("巡察组数"), "group_count", 10, "int"),
        Column(_("巡察任务数"), "inspection_count", 10, "int"),
    ),
    base=rounds_queryset,
    allowed=with_roles(*GROUP_ROLES),
    filterset=RoundFilterSet,
    order_by=("-year", "-number"),
)


def _inspection_joins(qs):
    return qs.select_related("round", "group", "unit")


def inspections_queryset(user):
    return _inspection_joins(Inspection.objects.visible_to(user))


INSPECTIONS = ExportSpec(
    kind="inspections",
    title=_("巡察任务"),
    columns=(
        Column(_("序号"), "pk", 7, "seq"),
        Column(_("轮次"), "round", 20),
        Column(_("巡察组"), "group.name", 14),
        Column(_("被巡察单位"), "unit.name", 28),
        Column(_("巡察类型"), "get_kind_display", 12),
        Column(_("阶段"), "get_stage_display", 10),
        Column(_("进驻日期"), "entry_date", 12, "date"),
        Column(_("驻点结束日期"), "onsite_end_date", 12, "date"),
        Column(_("反馈日期"), "feedback_date", 12, "date"),
        Column(_("个别谈话人次"), "interviews", 10, "int"),
        Column(_("调阅资料份数"), "documents", 10, "int"),
        Column(_("问卷份数"), "questionnaires", 10, "int"),
        Column(_("走访次数"), "visits", 10, "int"),
        Column(_("受理信访件数"), "petitions", 10, "int"),
    ),
    base=inspections_queryset,
    allowed=with_roles(*GROUP_ROLES),
    filterset=InspectionFilterSet,
    order_by=("-round__year", "-round__number", "group__order", "group__name", "unit__name"),
    prepare=_inspection_joins,
)
