import re

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from simple_history.models import HistoricalRecords

from xuncha.db import dates_in_order, valid_choice

from .choices import InspectionKind, MemberRole, RoundStatus, Specialty, Stage, UnitKind
from .managers import InspectionGroupQuerySet, InspectionQuerySet


class PartyUnit(models.Model):
    """巡察对象: a party organisation the plan may inspect."""

    name = models.CharField(_("名称"), max_length=120, unique=True)
    kind = models.CharField(_("类别"), max_length=20, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("上级乡镇")
    )
    head = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="headed_units",
        verbose_name=_("主要负责人"),
    )
    is_active = models.BooleanField(_("在册"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("巡察对象")
        verbose_name_plural = _("巡察对象")
        ordering = ["kind", "name"]
        constraints = [
            valid_choice("kind", UnitKind, "partyunit_kind_valid"),
            models.CheckConstraint(
                condition=~Q(kind=UnitKind.VILLAGE) | Q(parent__isnull=False), name="partyunit_village_has_township"
            ),
        ]
        # The registry list's order, so a page is read off the index (43,000 units at province scale).
        indexes = [models.Index(fields=["kind", "name", "id"], name="unit_kind_name_id")]

    def __str__(self):
        return self.name


class Inspector(models.Model):
    """巡察人才库: a person who may be sent to inspect."""

    name = models.CharField(_("姓名"), max_length=40)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, verbose_name=_("登录账号")
    )
    home_unit = models.ForeignKey(
        PartyUnit, models.PROTECT, related_name="staff", verbose_name=_("工作单位"), null=True, blank=True
    )
    rank = models.CharField(_("职级"), max_length=40, blank=True)
    specialties = models.JSONField(_("专业特长"), default=list, blank=True)
    in_leader_pool = models.BooleanField(_("组长库"), default=False)
    avoid_units = models.ManyToManyField(
        PartyUnit, through="Avoidance", related_name="+", blank=True, verbose_name=_("申报回避单位")
    )
    is_active = models.BooleanField(_("在库"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("巡察干部")
        verbose_name_plural = _("巡察人才库")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def specialty_labels(self) -> list[str]:
        return [str(Specialty(s).label) for s in self.specialties if s in Specialty.values]

    def avoided_unit_ids(self) -> set[int]:
        """Units this person must not inspect (rounds.selectors.avoids)."""
        from .selectors import avoided_units

        return set(avoided_units(self))


class Avoidance(models.Model):
    """A declared 回避: the inspector must not inspect this unit."""

    inspector = models.ForeignKey(Inspector, models.CASCADE, related_name="avoidances", verbose_name=_("巡察干部"))
    unit = models.ForeignKey(PartyUnit, models.CASCADE, related_name="+", verbose_name=_("回避单位"))
    reason = models.CharField(_("回避事由"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("回避申报")
        verbose_name_plural = _("回避申报")
        constraints = [models.UniqueConstraint(fields=["inspector", "unit"], name="avoidance_once_per_unit")]

    def __str__(self):
        return f"{self.inspector} 回避 {self.unit}"


class Plan(models.Model):
    """巡察工作规划 for one committee term."""

    name = models.CharField(_("名称"), max_length=120)
    start_year = models.PositiveSmallIntegerField(_("起始年度"))
    end_year = models.PositiveSmallIntegerField(_("结束年度"))
    units = models.ManyToManyField(PartyUnit, through="PlanUnit", related_name="plans", verbose_name=_("巡察范围"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("巡察工作规划")
        verbose_name_plural = _("巡察工作规划")
        ordering = ["-start_year"]
        constraints = [
            models.CheckConstraint(condition=Q(end_year__gte=models.F("start_year")), name="plan_years_in_order")
        ]
        # The two global permissions (xuncha/roles.py); everything narrower is an object permission.
        permissions = [
            ("oversee", _("查看全部巡察工作")),
            ("manage", _("管理巡察工作")),
        ]

    def __str__(self):
        return self.name


class PlanUnit(models.Model):
    """A unit in the plan's scope, with the year it is planned to be inspected."""

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="scope", verbose_name=_("规划"))
    unit = models.ForeignKey(PartyUnit, models.PROTECT, related_name="plan_entries", verbose_name=_("巡察对象"))
    planned_year = models.PositiveSmallIntegerField(_("计划年度"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("规划范围")
        verbose_name_plural = _("规划范围")
        constraints = [models.UniqueConstraint(fields=["plan", "unit"], name="planunit_once_per_plan")]
        # The dashboard's unit lists walk the scope in this order and stop after a page (xuncha/dashboard).
        indexes = [models.Index(fields=["plan", "planned_year", "id"], name="planunit_plan_year_id")]

    def __str__(self):
        return f"{self.unit} ({self.planned_year})"


class Milestone(models.Model):
    """A yearly coverage target, e.g. 50% by the end of 2024."""

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="milestones", verbose_name=_("规划"))
    year = models.PositiveSmallIntegerField(_("年度"))
    target_rate = models.DecimalField(
        _("覆盖率目标(%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("年度目标")
        verbose_name_plural = _("年度目标")
        ordering = ["year"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "year"], name="milestone_once_per_year"),
            models.CheckConstraint(
                condition=Q(target_rate__gte=0) & Q(target_rate__lte=100), name="milestone_rate_is_percent"
            ),
        ]

    def __str__(self):
        return f"{self.year}: {self.target_rate}%"


def default_plan_due_days():
    return settings.XUNCHA_FEEDBACK_DUE_DAYS["plan"]


def default_report_due_days():
    return settings.XUNCHA_FEEDBACK_DUE_DAYS["report"]


def default_assessment_due_days():
    return settings.XUNCHA_FEEDBACK_DUE_DAYS["assessment"]


class Round(models.Model):
    """巡察轮次: 第N轮."""

    plan = models.ForeignKey(Plan, models.PROTECT, related_name="rounds", verbose_name=_("规划"))
    number = models.PositiveSmallIntegerField(_("轮次"))
    year = models.PositiveSmallIntegerField(_("年度"))
    start_date = models.DateField(_("开始日期"), null=True, blank=True)
    end_date = models.DateField(_("结束日期"), null=True, blank=True)
    theme = models.CharField(_("专项主题"), max_length=200, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=RoundStatus.choices, default=RoundStatus.PLANNED)
    # Due dates that a feedback starts, in days (defaults from settings, editable per round).
    plan_due_days = models.PositiveSmallIntegerField(_("整改方案时限(天)"), default=default_plan_due_days)
    report_due_days = models.PositiveSmallIntegerField(_("整改报告时限(天)"), default=default_report_due_days)
    assessment_due_days = models.PositiveSmallIntegerField(_("整改评估时限(天)"), default=default_assessment_due_days)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("巡察轮次")
        verbose_name_plural = _("巡察轮次")
        ordering = ["-year", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="round_number_once_per_plan"),
            dates_in_order("start_date", "end_date", "round_dates_in_order"),
            valid_choice("status", RoundStatus, "round_status_valid"),
        ]

    def __str__(self):
        return self.label(self.year, self.number)

    @staticmethod
    def label(year: int, number: int) -> str:
        """A round's name wherever it is shown, also for rows read with values() (the dashboard)."""
        return _("%(year)s年第%(number)s轮巡察") % {"year": year, "number": number}


class InspectionGroup(models.Model):
    """巡察组. Its rights are object permissions on this row, granted to `auth_group` (every member)
    and to the leaders themselves; they follow the memberships ("一次一授权")."""

    round = models.ForeignKey(Round, models.PROTECT, related_name="groups", verbose_name=_("轮次"))
    name = models.CharField(_("名称"), max_length=60)
    # 第一, 第二, 第三 … in that order (by name they sort 第一, 第三, 第二): derived from the name at creation.
    order = models.PositiveSmallIntegerField(_("序号"), default=0)
    auth_group = models.OneToOneField(Group, models.PROTECT, related_name="inspection_group", editable=False)
    # 三审 needs three people; a group without a deputy may have its leader also do the 复核 only by the
    # office's recorded exception (rounds.services.group_set_review_exception).
    review_exception = models.BooleanField(_("无副组长：准许组长兼复核"), default=False)
    review_exception_reason = models.CharField(_("例外理由"), max_length=200, blank=True)
    history = HistoricalRecords()

    objects = InspectionGroupQuerySet.as_manager()

    class Meta:
        verbose_name = _("巡察组")
        verbose_name_plural = _("巡察组")
        ordering = ["round", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["round", "name"], name="group_name_once_per_round"),
            models.CheckConstraint(
                condition=Q(review_exception=False) | ~Q(review_exception_reason=""),
                name="group_review_exception_has_reason",
            ),
        ]
        permissions = [
            ("work_in_group", _("参与本组巡察工作")),
            ("lead_group", _("领导本组：复核审签底稿、查看和移交线索")),
        ]

    def __str__(self):
        return f"{self.round} · {self.name}"


_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}


def group_order_from_name(name: str) -> int:
    """The number a group's name carries (第三巡察组 → 3, 第12组 → 12, 第二十一巡察组 → 21); 0 when it has none."""
    match = re.search(r"\d+", name)
    if match:
        return min(int(match[0]), 32767)
    match = re.search(r"第([零〇一二两三四五六七八九十百]+)", name)
    if not match:
        return 0
    total, current = 0, 0
    for char in match[1]:
        if char == "百":
            total += (current or 1) * 100
            current = 0
        elif char == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = _DIGITS[char]
    return min(total + current, 32767)


class InspectionGroupUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(InspectionGroup, models.CASCADE)


class InspectionGroupGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(InspectionGroup, models.CASCADE)


class GroupMembership(models.Model):
    group = models.ForeignKey(InspectionGroup, models.CASCADE, related_name="memberships", verbose_name=_("巡察组"))
    inspector = models.ForeignKey(Inspector, models.PROTECT, related_name="memberships", verbose_name=_("巡察干部"))
    role = models.CharField(_("组内职务"), max_length=20, choices=MemberRole.choices, default=MemberRole.MEMBER)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("巡察组成员")
        verbose_name_plural = _("巡察组成员")
        constraints = [
            models.UniqueConstraint(fields=["group", "inspector"], name="membership_once_per_group"),
            models.UniqueConstraint(
                fields=["group"], condition=Q(role=MemberRole.LEADER), name="membership_one_leader_per_group"
            ),
            valid_choice("role", MemberRole, "membership_role_valid"),
        ]

    def __str__(self):
        return f"{self.group.name} {self.get_role_display()} {self.inspector}"


class Inspection(models.Model):
    """巡察任务: one group inspecting one unit in one round."""

    round = models.ForeignKey(Round, models.PROTECT, related_name="inspections", verbose_name=_("轮次"))
    group = models.ForeignKey(InspectionGroup, models.PROTECT, related_name="inspections", verbose_name=_("巡察组"))
    unit = models.ForeignKey(PartyUnit, models.PROTECT, related_name="inspections", verbose_name=_("被巡察单位"))
    kind = models.CharField(_("巡察类型"), max_length=20, choices=InspectionKind.choices)
    stage = models.PositiveSmallIntegerField(_("阶段"), choices=Stage.choices, default=Stage.PREPARATION)
    stage_changed_at = models.DateTimeField(_("阶段变更时间"), null=True, blank=True)
    entry_date = models.DateField(_("进驻日期"), null=True, blank=True)
    onsite_end_date = models.DateField(_("驻点结束日期"), null=True, blank=True)
    feedback_date = models.DateField(_("反馈日期"), null=True, blank=True)
    # Ways problems were learned (了解问题的途径).
    interviews = models.PositiveIntegerField(_("个别谈话人次"), default=0)
    documents = models.PositiveIntegerField(_("调阅资料份数"), default=0)
    questionnaires = models.PositiveIntegerField(_("问卷份数"), default=0)
    visits = models.PositiveIntegerField(_("走访次数"), default=0)
    petitions = models.PositiveIntegerField(_("受理信访件数"), default=0)
    # 回头看: the earlier inspection of the same unit whose fed-back findings this one checks item by item.
    follows = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="lookbacks",
        verbose_name=_("回头看对象（原巡察任务）"),
    )
    # 立卷归档: once archived the inspection is read-only (its findings, clues, feedback and tasks).
    archived_at = models.DateTimeField(_("归档时间"), null=True, blank=True)
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("归档人")
    )
    history = HistoricalRecords()

    objects = InspectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("巡察任务")
        verbose_name_plural = _("巡察任务")
        ordering = ["-round__year", "-round__number", "group__order", "group__name", "unit__name"]
        constraints = [
            models.UniqueConstraint(fields=["round", "unit", "kind"], name="inspection_once_per_round_unit_kind"),
            valid_choice("kind", InspectionKind, "inspection_kind_valid"),
            valid_choice("stage", Stage, "inspection_stage_valid"),
            dates_in_order("entry_date", "onsite_end_date", "inspection_onsite_after_entry"),
            dates_in_order("onsite_end_date", "feedback_date", "inspection_feedback_after_onsite"),
            # Only a finished inspection (评估/归档) is archived.
            models.CheckConstraint(
                condition=Q(archived_at__isnull=True) | Q(stage=Stage.ARCHIVED),
                name="inspection_archived_when_finished",
            ),
            models.CheckConstraint(condition=~Q(follows=models.F("pk")), name="inspection_follows_another"),
        ]
        indexes = [models.Index(fields=["unit", "stage"], name="inspection_unit_stage")]

    def __str__(self):
        return f"{self.group.name} · {self.unit.name}（{self.get_kind_display()}）"

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


class UnitLiaison(models.Model):
    """被巡察单位联络员: sees the feedback and tasks addressed to this unit."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="unit_liaison", verbose_name=_("账号")
    )
    unit = models.ForeignKey(PartyUnit, models.CASCADE, related_name="liaisons", verbose_name=_("单位"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("单位联络员")
        verbose_name_plural = _("单位联络员")

    def __str__(self):
        return f"{self.unit} · {self.user}"
