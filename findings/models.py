import re
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from xuncha.db import dates_in_order, valid_choice
from xuncha.models import TransitionEvent

from .choices import (
    ClueStatus,
    Disposition,
    Outcome,
    PetitionChannel,
    PetitionRoute,
    PetitionStatus,
    ReceivingBody,
    ReportState,
    ReviewState,
    RoundReportState,
    Source,
)
from .managers import ClueQuerySet, FindingQuerySet, InspectionReportQuerySet, PetitionQuerySet

NUMBER = re.compile(r"(\d{1,9})-(\d{1,6})")  # 问题编号 as Finding.number writes it


class FindingCategory(models.Model):
    """问题类别: a configurable tree (三大问题 → 四个落实 / 六项纪律 …)."""

    name = models.CharField(_("名称"), max_length=100)
    parent = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("上级类别")
    )
    code = models.CharField(_("编码"), max_length=20, unique=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("问题类别")
        verbose_name_plural = _("问题类别")
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["parent", "name"], name="category_name_once_per_parent")]

    def __str__(self):
        return f"{self.parent.name} / {self.name}" if self.parent_id else self.name


def evidence_path(instance, filename):
    # Stored under a random name outside the web root; the original name is kept on the row.
    import uuid

    return f"evidence/findings/{instance.finding_id}/{uuid.uuid4().hex}"


class Finding(models.Model):
    """问题底稿: one problem a group found, reviewed 草稿 → 副组长复核 → 组长审签 → 已报告."""

    inspection = models.ForeignKey(
        "rounds.Inspection", models.PROTECT, related_name="findings", verbose_name=_("巡察任务")
    )
    seq = models.PositiveIntegerField(_("序号"))
    category = models.ForeignKey(FindingCategory, models.PROTECT, related_name="findings", verbose_name=_("问题类别"))
    title = models.CharField(_("问题标题"), max_length=200)
    description = models.TextField(_("问题描述"))
    source = models.CharField(_("问题来源"), max_length=20, choices=Source.choices)
    key_minority = models.BooleanField(_("涉及关键少数"), default=False)
    immediate = models.BooleanField(_("立行立改"), default=False)
    review_state = models.CharField(
        _("审核状态"), max_length=20, choices=ReviewState.choices, default=ReviewState.DRAFT
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("起草人"))
    feedback = models.ForeignKey(
        "rectification.Feedback",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="findings",
        verbose_name=_("反馈"),
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    history = HistoricalRecords()

    objects = FindingQuerySet.as_manager()

    class Meta:
        verbose_name = _("问题底稿")
        verbose_name_plural = _("问题底稿")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "seq"], name="finding_seq_once_per_inspection"),
            valid_choice("review_state", ReviewState, "finding_review_state_valid"),
            valid_choice("source", Source, "finding_source_valid"),
            # Only a reported finding can be handed over in a feedback.
            models.CheckConstraint(
                condition=Q(feedback__isnull=True) | Q(review_state=ReviewState.REPORTED),
                name="finding_fed_back_only_when_reported",
            ),
        ]
        indexes = [
            models.Index(fields=["inspection", "review_state"], name="finding_inspection_state"),
            # The findings list, newest first, a page at a time (read backwards).
            models.Index(fields=["created_at", "id"], name="finding_created_id"),
        ]

    def __str__(self):
        return f"{self.number} {self.title}"

    @property
    def number(self) -> str:
        """问题编号, stable and readable: 巡察任务号-序号."""
        return f"{self.inspection_id:05d}-{self.seq:03d}"

    @staticmethod
    def number_q(text: str, prefix: str = "") -> models.Q:
        """The finding a 问题编号 typed into a search box names ("00403-039"), or no row."""
        match = NUMBER.fullmatch(text.strip())
        if not match:
            return models.Q(pk__in=[])
        return models.Q(**{f"{prefix}inspection_id": int(match[1]), f"{prefix}seq": int(match[2])})


class FindingReview(TransitionEvent):
    """One step of the review (三审): who moved the finding, from what to what, with what comment."""

    FROM_FIELD, TO_FIELD = "from_state", "to_state"

    finding = models.ForeignKey(Finding, models.CASCADE, related_name="reviews", verbose_name=_("问题底稿"))
    from_state = models.CharField(_("原状态"), max_length=20, choices=ReviewState.choices)
    to_state = models.CharField(_("新状态"), max_length=20, choices=ReviewState.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("经办人"))
    comment = models.TextField(_("意见"), blank=True)

    class Meta(TransitionEvent.Meta):
        verbose_name = _("审核记录")
        verbose_name_plural = _("审核记录")
        constraints = [
            valid_choice("from_state", ReviewState, "findingreview_from_valid"),
            valid_choice("to_state", ReviewState, "findingreview_to_valid"),
        ]


class Evidence(models.Model):
    """佐证材料 attached to a finding; downloaded only through a view that checks permission."""

    finding = models.ForeignKey(Finding, models.CASCADE, related_name="evidence", verbose_name=_("问题底稿"))
    file = models.FileField(_("文件"), upload_to=evidence_path, max_length=200)
    original_name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveBigIntegerField(_("大小"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("佐证材料")
        verbose_name_plural = _("佐证材料")
        ordering = ["uploaded_at"]

    def __str__(self):
        return self.original_name


def default_clue_feedback_due(transfer_date):
    return transfer_date + timedelta(days=settings.XUNCHA_CLUE_FEEDBACK_DAYS)


class Clue(models.Model):
    """问题线索: handed to the discipline commission or the organisation department."""

    inspection = models.ForeignKey(
        "rounds.Inspection", models.PROTECT, related_name="clues", verbose_name=_("巡察任务")
    )
    finding = models.ForeignKey(
        Finding, models.SET_NULL, null=True, blank=True, related_name="clues", verbose_name=_("关联问题")
    )
    summary = models.TextField(_("线索摘要"))
    receiving_body = models.CharField(_("移交单位"), max_length=20, choices=ReceivingBody.choices)
    receiving_body_other = models.CharField(_("其他移交单位名称"), max_length=100, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=ClueStatus.choices, default=ClueStatus.DRAFT)
    transfer_date = models.DateField(_("移交日期"), null=True, blank=True)
    letter_number = models.CharField(_("移交函号"), max_length=60, blank=True)
    feedback_due_date = models.DateField(_("反馈期限"), null=True, blank=True)
    disposition = models.CharField(_("处置方式"), max_length=20, choices=Disposition.choices, blank=True)
    outcome = models.CharField(_("处理结果"), max_length=20, choices=Outcome.choices, blank=True)
    outcome_detail = models.TextField(_("处理情况"), blank=True)
    answered_date = models.DateField(_("反馈日期"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    history = HistoricalRecords()

    objects = ClueQuerySet.as_manager()

    class Meta:
        verbose_name = _("问题线索")
        verbose_name_plural = _("问题线索")
        ordering = ["-created_at"]
        constraints = [
            valid_choice("receiving_body", ReceivingBody, "clue_receiving_body_valid"),
            valid_choice("status", ClueStatus, "clue_status_valid"),
            models.CheckConstraint(
                condition=Q(disposition="") | Q(disposition__in=Disposition.values), name="clue_disposition_valid"
            ),
            models.CheckConstraint(condition=Q(outcome="") | Q(outcome__in=Outcome.values), name="clue_outcome_valid"),
            # A transferred clue carries its transfer date, letter number and feedback due date.
            models.CheckConstraint(
                condition=Q(status=ClueStatus.DRAFT)
                | (Q(transfer_date__isnull=False, feedback_due_date__isnull=False) & ~Q(letter_number="")),
                name="clue_transfer_recorded",
            ),
            dates_in_order("transfer_date", "feedback_due_date", "clue_due_after_transfer"),
            dates_in_order("transfer_date", "answered_date", "clue_answer_after_transfer"),
        ]
        indexes = [
            models.Index(fields=["receiving_body", "status"], name="clue_body_status"),
        ]

    def __str__(self):
        return self.summary[:40]

    @property
    def is_overdue(self) -> bool:
        """逾期未反馈: transferred, past the due date (Asia/Shanghai), and no answer yet."""
        return (
            self.status == ClueStatus.TRANSFERRED
            and self.feedback_due_date is not None
            and timezone.localdate() > self.feedback_due_date
        )

    @property
    def receiving_body_label(self) -> str:
        if self.receiving_body == ReceivingBody.OTHER and self.receiving_body_other:
            return self.receiving_body_other
        return self.get_receiving_body_display()


class CluePerson(models.Model):
    """A person a clue involves."""

    clue = models.ForeignKey(Clue, models.CASCADE, related_name="people", verbose_name=_("问题线索"))
    name = models.CharField(_("姓名"), max_length=40)
    post = models.CharField(_("职务"), max_length=100, blank=True)
    rank = models.CharField(_("职级"), max_length=40, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("涉及人员")
        verbose_name_plural = _("涉及人员")

    def __str__(self):
        return self.name


class BodyLiaison(models.Model):
    """纪委监委/组织部 对接人: sees only clues transferred to their body."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="body_liaison", verbose_name=_("账号")
    )
    body = models.CharField(_("单位"), max_length=20, choices=ReceivingBody.choices)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("线索对接人")
        verbose_name_plural = _("线索对接人")
        constraints = [valid_choice("body", ReceivingBody, "bodyliaison_body_valid")]

    def __str__(self):
        return f"{self.get_body_display()} · {self.user}"


# --- Reports ----------------------------------------------------------------------------------
# They live with the findings they are drafted from (and the clues they count); findings already
# depends on rounds, so an inspection's and a round's report add no new direction between apps.
class InspectionReport(models.Model):
    """巡察报告 of one inspection: drafted by its group from its reported findings, then reviewed."""

    inspection = models.OneToOneField(
        "rounds.Inspection", models.PROTECT, related_name="report", verbose_name=_("巡察任务")
    )
    state = models.CharField(_("审议状态"), max_length=20, choices=ReportState.choices, default=ReportState.DRAFT)
    overview = models.TextField(_("基本情况"), blank=True)
    problems = models.TextField(_("发现的主要问题"), blank=True)
    clues_text = models.TextField(_("问题线索情况"), blank=True)
    suggestions = models.TextField(_("意见建议"), blank=True)
    decision = models.TextField(_("书记专题会意见"), blank=True)
    decision_date = models.DateField(_("书记专题会日期"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("起草时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    history = HistoricalRecords()

    objects = InspectionReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("巡察报告")
        verbose_name_plural = _("巡察报告")
        constraints = [
            valid_choice("state", ReportState, "inspectionreport_state_valid"),
            # A final report carries the secretary meeting's decision and its date.
            models.CheckConstraint(
                condition=~Q(state=ReportState.FINAL) | (Q(decision_date__isnull=False) & ~Q(decision="")),
                name="inspectionreport_final_has_decision",
            ),
        ]

    def __str__(self):
        return _("%(unit)s巡察报告") % {"unit": self.inspection.unit.name}


class InspectionReportStep(TransitionEvent):
    """One dated, signed step of a report's review: who, which meeting, when it met, with what opinion."""

    FROM_FIELD, TO_FIELD = "from_state", "to_state"

    report = models.ForeignKey(InspectionReport, models.CASCADE, related_name="steps", verbose_name=_("巡察报告"))
    from_state = models.CharField(_("原状态"), max_length=20, choices=ReportState.choices)
    to_state = models.CharField(_("新状态"), max_length=20, choices=ReportState.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("签署人"))
    meeting_date = models.DateField(_("会议日期"))
    comment = models.TextField(_("意见"), blank=True)
    at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta(TransitionEvent.Meta):
        verbose_name = _("报告审议记录")
        verbose_name_plural = _("报告审议记录")
        constraints = [
            valid_choice("from_state", ReportState, "reportstep_from_valid"),
            valid_choice("to_state", ReportState, "reportstep_to_valid"),
        ]


class RoundReport(models.Model):
    """综合报告 of a round for the leadership group: written by the office, approved by leadership."""

    round = models.OneToOneField("rounds.Round", models.PROTECT, related_name="report", verbose_name=_("轮次"))
    state = models.CharField(_("状态"), max_length=20, choices=RoundReportState.choices, default=RoundReportState.DRAFT)
    summary = models.TextField(_("总体情况"), blank=True)
    suggestions = models.TextField(_("下一步工作建议"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("报送人")
    )
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("审定人")
    )
    approved_at = models.DateTimeField(_("审定时间"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("综合报告")
        verbose_name_plural = _("综合报告")
        constraints = [
            valid_choice("state", RoundReportState, "roundreport_state_valid"),
            models.CheckConstraint(
                condition=~Q(state=RoundReportState.APPROVED) | Q(approved_by__isnull=False, approved_at__isnull=False),
                name="roundreport_approved_is_signed",
            ),
        ]

    def __str__(self):
        return _("%(round)s综合报告") % {"round": self.round}


class CommonProblem(models.Model):
    """普遍性问题: a finding category the office marks as common across the round's units."""

    report = models.ForeignKey(RoundReport, models.CASCADE, related_name="common_problems", verbose_name=_("综合报告"))
    category = models.ForeignKey(FindingCategory, models.PROTECT, related_name="+", verbose_name=_("问题类别"))
    note = models.CharField(_("说明"), max_length=500, blank=True)
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("标记人"))
    marked_at = models.DateTimeField(_("标记时间"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("普遍性问题")
        verbose_name_plural = _("普遍性问题")
        ordering = ["category__code"]
        constraints = [models.UniqueConstraint(fields=["report", "category"], name="commonproblem_once_per_report")]

    def __str__(self):
        return str(self.category)


# --- 巡察信访 ----------------------------------------------------------------------------------
# Petitions live with findings and clues because that is what they become; the register is per inspection,
# or county-wide (no inspection) for what the office receives itself.
class Petition(models.Model):
    """巡察信访件: one petition received, 受理 → 分办 → 办结; the petitioner is confidential."""

    inspection = models.ForeignKey(
        "rounds.Inspection",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="petition_register",
        verbose_name=_("巡察任务"),
        help_text=_("留空表示巡察办直接受理的全县信访件。"),
    )
    received_date = models.DateField(_("受理日期"))
    channel = models.CharField(_("来源渠道"), max_length=20, choices=PetitionChannel.choices)
    petitioner_name = models.CharField(_("信访人"), max_length=60, blank=True)
    petitioner_contact = models.CharField(_("信访人联系方式"), max_length=100, blank=True)
    subject_unit = models.ForeignKey(
        "rounds.PartyUnit",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("被反映单位"),
    )
    subject_person = models.CharField(_("被反映人"), max_length=100, blank=True)
    summary = models.TextField(_("反映内容摘要"))
    status = models.CharField(
        _("办理状态"), max_length=20, choices=PetitionStatus.choices, default=PetitionStatus.RECEIVED
    )
    route = models.CharField(_("分办去向"), max_length=20, choices=PetitionRoute.choices, blank=True)
    route_detail = models.CharField(_("承办部门"), max_length=100, blank=True)
    assigned_date = models.DateField(_("分办日期"), null=True, blank=True)
    reply = models.TextField(_("办理情况"), blank=True)
    closed_date = models.DateField(_("办结日期"), null=True, blank=True)
    finding = models.OneToOneField(
        Finding, models.SET_NULL, null=True, blank=True, related_name="petition", verbose_name=_("形成问题底稿")
    )
    clue = models.OneToOneField(
        Clue, models.SET_NULL, null=True, blank=True, related_name="petition", verbose_name=_("形成问题线索")
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("登记人"))
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    history = HistoricalRecords()

    objects = PetitionQuerySet.as_manager()

    class Meta:
        verbose_name = _("巡察信访件")
        verbose_name_plural = _("巡察信访件")
        ordering = ["-received_date", "-pk"]
        constraints = [
            valid_choice("channel", PetitionChannel, "petition_channel_valid"),
            valid_choice("status", PetitionStatus, "petition_status_valid"),
            models.CheckConstraint(
                condition=Q(route="") | Q(route__in=PetitionRoute.values), name="petition_route_valid"
            ),
            # Past 受理 a petition has its route and date; 办结 also has its reply date.
            models.CheckConstraint(
                condition=Q(status=PetitionStatus.RECEIVED) | (~Q(route="") & Q(assigned_date__isnull=False)),
                name="petition_assigned_has_route",
            ),
            models.CheckConstraint(
                condition=~Q(status=PetitionStatus.CLOSED) | Q(closed_date__isnull=False),
                name="petition_closed_has_date",
            ),
            dates_in_order("received_date", "assigned_date", "petition_assigned_after_received"),
            dates_in_order("assigned_date", "closed_date", "petition_closed_after_assigned"),
        ]
        indexes = [
            models.Index(fields=["inspection", "status"], name="petition_inspection_status"),
            models.Index(fields=["received_date", "id"], name="petition_received_id"),
        ]

    def __str__(self):
        return _("信访件 #%(n)s") % {"n": self.pk}

    @property
    def route_label(self) -> str:
        label = self.get_route_display() if self.route else ""
        return f"{label}（{self.route_detail}）" if self.route_detail else label


class PetitionEvent(models.Model):
    """One step of a petition's handling: who moved it, from what to what, with what note."""

    petition = models.ForeignKey(Petition, models.CASCADE, related_name="events", verbose_name=_("信访件"))
    from_status = models.CharField(_("原状态"), max_length=20, choices=PetitionStatus.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=20, choices=PetitionStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("经办人"))
    note = models.TextField(_("说明"), blank=True)
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("信访办理记录")
        verbose_name_plural = _("信访办理记录")
        ordering = ["at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(from_status="") | Q(from_status__in=PetitionStatus.values), name="petitionevent_from_valid"
            ),
            valid_choice("to_status", PetitionStatus, "petitionevent_to_valid"),
        ]

    def __str__(self):
        return f"{self.from_status} → {self.to_status}"
