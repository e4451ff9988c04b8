"""After the feedback: the unit's documents (整改方案/整改报告), the 整改评估 assessment, rectification outcomes and
accountability (问责), the supervising liaisons of 纪委监委/组织部, and the officials named on an inspection.

Imported by rectification/models.py; kept apart so the ledger's models stay readable."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from xuncha.db import valid_choice
from xuncha.models import TransitionEvent

from .choices import (
    DOCUMENT_OWED,
    AccountabilityForm,
    DocumentKind,
    DocumentStatus,
    Grade,
    OfficialRole,
    ProposalStatus,
    SupervisingBody,
    Timeliness,
)
from .managers import AssessmentQuerySet, DocumentQuerySet, UnitScopedQuerySet


class UnitDocument(models.Model):
    """A document the inspected unit owes after the feedback; opened with the feedback, one of each kind."""

    feedback = models.ForeignKey("rectification.Feedback", models.PROTECT, related_name="documents")
    # The feedback's inspection and unit, copied when opened (they never change), for scoped lists.
    inspection = models.ForeignKey("rounds.Inspection", models.PROTECT, related_name="+", verbose_name=_("巡察任务"))
    unit = models.ForeignKey("rounds.PartyUnit", models.PROTECT, related_name="+", verbose_name=_("被巡察单位"))
    kind = models.CharField(_("文书"), max_length=20, choices=DocumentKind.choices)
    due_date = models.DateField(_("报送期限"))
    status = models.CharField(_("状态"), max_length=20, choices=DocumentStatus.choices, default=DocumentStatus.PENDING)
    first_submitted_on = models.DateField(_("首次报送日期"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("审核通过时间"), null=True, blank=True)
    history = HistoricalRecords()

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("整改文书")
        verbose_name_plural = _("整改文书")
        ordering = ["due_date", "pk"]
        constraints = [
            valid_choice("kind", DocumentKind, "unitdocument_kind_valid"),
            valid_choice("status", DocumentStatus, "unitdocument_status_valid"),
            models.UniqueConstraint(fields=["feedback", "kind"], name="unitdocument_once_per_feedback"),
            models.CheckConstraint(
                condition=Q(status=DocumentStatus.PENDING) | Q(first_submitted_on__isnull=False),
                name="unitdocument_submitted_has_date",
            ),
            models.CheckConstraint(
                condition=Q(status=DocumentStatus.ACCEPTED, accepted_at__isnull=False)
                | (~Q(status=DocumentStatus.ACCEPTED) & Q(accepted_at__isnull=True)),
                name="unitdocument_accepted_iff_accepted_at",
            ),
        ]
        indexes = [
            # Owed documents by due date: the reminder sweep and the "missing" counts.
            models.Index(fields=["due_date"], name="unitdocument_owed_due", condition=Q(status__in=DOCUMENT_OWED)),
            models.Index(fields=["unit", "kind"], name="unitdocument_unit_kind"),
        ]

    def __str__(self):
        return f"{self.unit} · {self.get_kind_display()}"

    def timeliness(self, today) -> str:
        """On time / late / missing / not yet due: the first submission against the due date."""
        if self.first_submitted_on is not None:
            return Timeliness.ON_TIME if self.first_submitted_on <= self.due_date else Timeliness.LATE
        return Timeliness.MISSING if today > self.due_date else Timeliness.NOT_DUE


def timeliness_expression(today):
    """UnitDocument.timeliness as a database expression, for annotations and counts."""
    return models.Case(
        models.When(first_submitted_on__lte=models.F("due_date"), then=models.Value(Timeliness.ON_TIME.value)),
        models.When(first_submitted_on__isnull=False, then=models.Value(Timeliness.LATE.value)),
        models.When(due_date__lt=today, then=models.Value(Timeliness.MISSING.value)),
        default=models.Value(Timeliness.NOT_DUE.value),
        output_field=models.CharField(),
    )


class DocumentSubmission(models.Model):
    """One submission of a document with its attachments; append-only (a resubmission is a new row)."""

    document = models.ForeignKey(UnitDocument, models.PROTECT, related_name="submissions", verbose_name=_("整改文书"))
    text = models.TextField(_("报送说明"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("报送人"))
    created_at = models.DateTimeField(_("报送时间"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("文书报送")
        verbose_name_plural = _("文书报送")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.document} {self.created_at:%Y-%m-%d}"


def document_file_path(instance, filename):
    return f"evidence/documents/{instance.submission_id}/{uuid.uuid4().hex}"


class DocumentFile(models.Model):
    submission = models.ForeignKey(DocumentSubmission, models.PROTECT, related_name="files", verbose_name=_("报送"))
    file = models.FileField(_("文件"), upload_to=document_file_path, max_length=200)
    original_name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveBigIntegerField(_("大小"))
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("文书附件")
        verbose_name_plural = _("文书附件")
        ordering = ["pk"]

    def __str__(self):
        return self.original_name


class DocumentEvent(TransitionEvent):
    """A status change of a document: who, when, from what to what, and why (退回 always says why)."""

    document = models.ForeignKey(UnitDocument, models.CASCADE, related_name="events", verbose_name=_("整改文书"))
    from_status = models.CharField(_("原状态"), max_length=20, choices=DocumentStatus.choices)
    to_status = models.CharField(_("新状态"), max_length=20, choices=DocumentStatus.choices)

    class Meta(TransitionEvent.Meta):
        verbose_name = _("文书状态变更")
        verbose_name_plural = _("文书状态变更")
        constraints = [
            valid_choice("from_status", DocumentStatus, "documentevent_from_valid"),
            valid_choice("to_status", DocumentStatus, "documentevent_to_valid"),
        ]


# --- 整改评估 ------------------------------------------------------------------------------------


class AssessmentIndicator(models.Model):
    """An indicator the office scores a unit's rectification on (0–100 each), weighted into the total."""

    name = models.CharField(_("指标"), max_length=60, unique=True)
    weight = models.PositiveSmallIntegerField(_("权重(%)"), validators=[MinValueValidator(1), MaxValueValidator(100)])
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("评估指标")
        verbose_name_plural = _("评估指标")
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(weight__gte=1, weight__lte=100), name="indicator_weight_is_percent")
        ]

    def __str__(self):
        return self.name


class GradeBand(models.Model):
    """The lowest total that earns a grade (thresholds the office configures); below every band is 不合格."""

    grade = models.CharField(_("等次"), max_length=20, choices=Grade.choices, unique=True)
    min_score = models.DecimalField(
        _("最低分"), max_digits=5, decimal_places=1, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("评估等次")
        verbose_name_plural = _("评估等次")
        ordering = ["-min_score"]
        constraints = [
            valid_choice("grade", Grade, "gradeband_grade_valid"),
            models.CheckConstraint(condition=Q(min_score__gte=0, min_score__lte=100), name="gradeband_score_range"),
        ]

    def __str__(self):
        return f"{self.get_grade_display()} ≥ {self.min_score}"


class Assessment(models.Model):
    """整改评估 of one inspected unit, for one inspection, after its rectification period."""

    inspection = models.OneToOneField(
        "rounds.Inspection", models.PROTECT, related_name="assessment", verbose_name=_("巡察任务")
    )
    unit = models.ForeignKey("rounds.PartyUnit", models.PROTECT, related_name="+", verbose_name=_("被巡察单位"))
    assessed_on = models.DateField(_("评估日期"))
    score = models.DecimalField(_("总分"), max_digits=5, decimal_places=1)
    grade = models.CharField(_("等次"), max_length=20, choices=Grade.choices)
    evidence = models.TextField(_("评估依据"), blank=True)
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("评估人"))
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    history = HistoricalRecords()

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("整改评估")
        verbose_name_plural = _("整改评估")
        ordering = ["-assessed_on", "-pk"]
        constraints = [
            valid_choice("grade", Grade, "assessment_grade_valid"),
            models.CheckConstraint(condition=Q(score__gte=0, score__lte=100), name="assessment_score_range"),
        ]

    def __str__(self):
        return f"{self.unit} {self.get_grade_display()} {self.score}"


class AssessmentScore(models.Model):
    assessment = models.ForeignKey(Assessment, models.CASCADE, related_name="scores", verbose_name=_("整改评估"))
    indicator = models.ForeignKey(AssessmentIndicator, models.PROTECT, related_name="+", verbose_name=_("指标"))
    # The weight when scored: a later change of the indicator does not rewrite a past assessment.
    weight = models.PositiveSmallIntegerField(_("权重(%)"))
    score = models.DecimalField(
        _("得分"), max_digits=5, decimal_places=1, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("指标得分")
        verbose_name_plural = _("指标得分")
        ordering = ["indicator__order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "indicator"], name="assessmentscore_once"),
            models.CheckConstraint(condition=Q(score__gte=0, score__lte=100), name="assessmentscore_range"),
        ]

    def __str__(self):
        return f"{self.indicator}: {self.score}"


def assessment_file_path(instance, filename):
    return f"evidence/assessments/{instance.assessment_id}/{uuid.uuid4().hex}"


class AssessmentFile(models.Model):
    assessment = models.ForeignKey(Assessment, models.PROTECT, related_name="files", verbose_name=_("整改评估"))
    file = models.FileField(_("文件"), upload_to=assessment_file_path, max_length=200)
    original_name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveBigIntegerField(_("大小"))
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("评估材料")
        verbose_name_plural = _("评估材料")
        ordering = ["pk"]

    def __str__(self):
        return self.original_name


class LookbackProposal(models.Model):
    """A poor grade (基本合格/不合格) proposes the unit for 回头看; the office accepts or dismisses it."""

    assessment = models.OneToOneField(
        Assessment, models.PROTECT, related_name="lookback_proposal", verbose_name=_("整改评估")
    )
    unit = models.ForeignKey("rounds.PartyUnit", models.PROTECT, related_name="+", verbose_name=_("被巡察单位"))
    status = models.CharField(_("状态"), max_length=20, choices=ProposalStatus.choices, default=ProposalStatus.PROPOSED)
    note = models.TextField(_("处理意见"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("处理人")
    )
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("提出时间"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("回头看建议")
        verbose_name_plural = _("回头看建议")
        ordering = ["-created_at", "-pk"]
        constraints = [
            valid_choice("status", ProposalStatus, "lookbackproposal_status_valid"),
            models.CheckConstraint(
                condition=Q(status=ProposalStatus.PROPOSED) | Q(decided_at__isnull=False),
                name="lookbackproposal_decided_has_time",
            ),
        ]

    def __str__(self):
        return f"{self.unit} {self.get_status_display()}"


# --- outcomes and accountability ---------------------------------------------------------------


class RectificationOutcome(models.Model):
    """What rectification produced, per task or per unit (the inspection): rules made, money recovered."""

    inspection = models.ForeignKey(
        "rounds.Inspection", models.PROTECT, related_name="rectification_outcomes", verbose_name=_("巡察任务")
    )
    task = models.ForeignKey(
        "rectification.RectificationTask",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="outcomes",
        verbose_name=_("整改任务"),
    )
    rules_count = models.PositiveIntegerField(_("建立/完善制度(项)"), default=0)
    funds_recovered = models.DecimalField(
        _("追回/挽回资金(万元)"), max_digits=14, decimal_places=2, default=Decimal("0")
    )
    note = models.TextField(_("说明"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("登记人")
    )
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    history = HistoricalRecords()

    objects = UnitScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("整改成果")
        verbose_name_plural = _("整改成果")
        ordering = ["-recorded_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(funds_recovered__gte=0), name="outcome_funds_not_negative"),
        ]

    def __str__(self):
        return f"{self.inspection} {self.rules_count} / {self.funds_recovered}"


class Accountability(models.Model):
    """问责: who was held to account, in which form, when — per task or per unit; a 约谈 may come from an assessment."""

    inspection = models.ForeignKey(
        "rounds.Inspection", models.PROTECT, related_name="accountabilities", verbose_name=_("巡察任务")
    )
    task = models.ForeignKey(
        "rectification.RectificationTask",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="accountabilities",
        verbose_name=_("整改任务"),
    )
    assessment = models.ForeignKey(
        Assessment, models.PROTECT, null=True, blank=True, related_name="accountabilities", verbose_name=_("整改评估")
    )
    official = models.ForeignKey(
        "rectification.InspectionOfficial",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="accountabilities",
        verbose_name=_("被问责领导干部"),
    )
    person = models.CharField(_("被问责人"), max_length=40)
    post = models.CharField(_("职务"), max_length=100, blank=True)
    form = models.CharField(_("问责方式"), max_length=20, choices=AccountabilityForm.choices)
    date = models.DateField(_("问责日期"))
    note = models.TextField(_("说明"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("登记人")
    )
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    history = HistoricalRecords()

    objects = UnitScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("问责")
        verbose_name_plural = _("问责")
        ordering = ["-date", "-pk"]
        constraints = [valid_choice("form", AccountabilityForm, "accountability_form_valid")]

    def __str__(self):
        return f"{self.person} {self.get_form_display()} {self.date:%Y-%m-%d}"


# --- who reads, and who is read about ------------------------------------------------------------


class SupervisingLiaison(models.Model):
    """纪委监委/组织部 日常监督: reads the rectification of the units their body supervises (all by default)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="supervising_liaison", verbose_name=_("账号")
    )
    body = models.CharField(_("单位"), max_length=20, choices=SupervisingBody.choices)
    all_units = models.BooleanField(_("监督全部单位"), default=True)
    units = models.ManyToManyField(
        "rounds.PartyUnit", blank=True, related_name="+", verbose_name=_("监督单位（不监督全部单位时）")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("日常监督对接人")
        verbose_name_plural = _("日常监督对接人")
        constraints = [valid_choice("body", SupervisingBody, "supervisingliaison_body_valid")]

    def __str__(self):
        return f"{self.get_body_display()} · {self.user}"


class InspectionOfficial(models.Model):
    """A leading official of the inspected unit named on the inspection: its 一把手 and 班子成员."""

    inspection = models.ForeignKey(
        "rounds.Inspection", models.CASCADE, related_name="officials", verbose_name=_("巡察任务")
    )
    name = models.CharField(_("姓名"), max_length=40)
    post = models.CharField(_("职务"), max_length=100)
    role = models.CharField(_("身份"), max_length=20, choices=OfficialRole.choices, default=OfficialRole.MEMBER)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("被巡察单位领导班子成员")
        verbose_name_plural = _("被巡察单位领导班子成员")
        ordering = ["inspection", "role", "pk"]
        constraints = [
            valid_choice("role", OfficialRole, "official_role_valid"),
            models.UniqueConstraint(fields=["inspection", "name"], name="official_once_per_inspection"),
            models.UniqueConstraint(
                fields=["inspection"], condition=Q(role=OfficialRole.HEAD), name="official_one_head_per_inspection"
            ),
        ]

    def __str__(self):
        return f"{self.name}（{self.post}）"


class ResultsAction(models.TextChoices):
    VIEW = "view", _("查看")
    XLSX = "xlsx", _("导出Excel")
    DOCX = "docx", _("导出Word")


class ResultsAccess(models.Model):
    """Every view and export of the 巡察结果运用 sheet (cadre evaluation material): who, what, with which filters."""

    Action = ResultsAction

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("操作人"))
    action = models.CharField(_("操作"), max_length=10, choices=ResultsAction.choices)
    filters = models.JSONField(_("筛选条件"), default=dict, blank=True)
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("结果运用查阅记录")
        verbose_name_plural = _("结果运用查阅记录")
        ordering = ["-at", "-pk"]
        constraints = [valid_choice("action", ResultsAction, "resultsaccess_action_valid")]

    def __str__(self):
        return f"{self.user} {self.get_action_display()} {self.at:%Y-%m-%d %H:%M}"
