"""Export specs for the two drill-down lists no other list shares (xuncha/exports); the drill-downs of
tasks, findings, clues and inspections export through their own lists' specs."""

from django.utils.translation import gettext_lazy as _

from xuncha.exports import Column, ExportSpec
from xuncha.exports.access import overseers
from xuncha.rates import rate

PLAN_UNITS = ExportSpec(
    kind="plan_units",
    title=_("巡察范围内单位"),
    columns=(
        Column(_("序号"), "pk", 7, "seq"),
        Column(_("单位"), "unit.name", 32),
        Column(_("类别"), "unit.get_kind_display", 24),
        Column(_("上级乡镇"), "unit.parent.name", 20),
        Column(_("计划年度"), "planned_year", 10, "int"),
        Column(_("本届是否已巡察"), "covered", 14),
    ),
    allowed=overseers,
)

UNIT_RECTIFICATION = ExportSpec(
    kind="unit_rectification",
    title=_("各责任单位整改完成情况"),
    columns=(
        Column(_("序号"), "pk", 7, "seq"),
        Column(_("责任单位"), lambda u: u["responsible_unit__name"], 32),
        Column(_("逾期"), lambda u: u["overdue"], 10, "int"),
        Column(_("整改任务"), lambda u: u["total"], 10, "int"),
        Column(_("已销号"), lambda u: u["closed"], 10, "int"),
        Column(_("完成率"), lambda u: rate(u["closed"], u["total"]), 10, "rate"),
    ),
    allowed=overseers,
)
