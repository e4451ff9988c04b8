from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    TOWNSHIP = "township", _("乡镇党委")
    DEPARTMENT = "department", _("县直部门单位党组(党委)")
    SOE = "soe", _("国有企业")
    INSTITUTION = "institution", _("事业单位")
    VILLAGE = "village", _("村(社区)党组织")


class MemberRole(models.TextChoices):
    LEADER = "leader", _("组长")
    DEPUTY = "deputy", _("副组长")
    LIAISON = "liaison", _("联络员")
    MEMBER = "member", _("成员")


LEADING_ROLES = (MemberRole.LEADER, MemberRole.DEPUTY)


class RoundStatus(models.TextChoices):
    PLANNED = "planned", _("筹备")
    ACTIVE = "active", _("进行中")
    CLOSED = "closed", _("已结束")


class InspectionKind(models.TextChoices):
    REGULAR = "regular", _("常规巡察")
    SPECIAL = "special", _("专项巡察")
    MOBILE = "mobile", _("机动巡察")
    ELEVATED = "elevated", _("提级巡察")
    CROSS = "cross", _("交叉巡察")
    VILLAGE = "village", _("村居巡察")
    LOOKBACK = "lookback", _("回头看")
    ASSESSMENT = "assessment", _("整改评估")


# Kinds that do not count towards coverage (README, "coverage, exactly").
NON_COVERING_KINDS = (InspectionKind.LOOKBACK, InspectionKind.ASSESSMENT)


class Stage(models.IntegerChoices):
    """Stages in order; a stage only moves forward, so "reached X" is `stage >= X`."""

    PREPARATION = 0, _("准备")
    STATIONED = 1, _("进驻")
    UNDERSTANDING = 2, _("了解")
    REPORTING = 3, _("报告")
    FEEDBACK = 4, _("反馈")
    RECTIFICATION = 5, _("整改")
    ARCHIVED = 6, _("评估/归档")


STAGE_COLOURS = {
    Stage.PREPARATION: "secondary",
    Stage.STATIONED: "primary",
    Stage.UNDERSTANDING: "info",
    Stage.REPORTING: "warning",
    Stage.FEEDBACK: "danger",
    Stage.RECTIFICATION: "success",
    Stage.ARCHIVED: "dark",
}


class Coverage(models.TextChoices):
    """A unit against the current plan (rounds.selectors.coverage_of)."""

    COVERED = "covered", _("已覆盖")
    UNCOVERED = "uncovered", _("未覆盖")
    OUT_OF_SCOPE = "out_of_scope", _("不在范围")


COVERAGE_COLOURS = {Coverage.COVERED: "success", Coverage.UNCOVERED: "warning", Coverage.OUT_OF_SCOPE: "light"}


class Specialty(models.TextChoices):
    DISCIPLINE = "discipline", _("纪检")
    ORGANISATION = "organisation", _("组织")
    FINANCE = "finance", _("财务")
    AUDIT = "audit", _("审计")
    PETITION = "petition", _("信访")
    LAW = "law", _("政法")
    PROPAGANDA = "propaganda", _("宣传")
    ECONOMY = "economy", _("经济")
