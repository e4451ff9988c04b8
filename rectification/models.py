from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from xuncha.db import dates_in_order, valid_choice

from .choices import (
    NOT_OVERDUE_STATUSES,
    LookbackResult,
    ReminderState,
    Rung,
    SpotCheckKind,
    SpotCheckResult,
    TaskStatus,
    TermType,
)
from .managers import FeedbackQuerySet, TaskQuerySet


class Feedback(models.Model):
    """反馈: the problem list handed to the inspected unit, which starts the rectification clock."""

    inspection = models.OneToOneField(
        "rounds.Inspection", models.PROTECT, related_name="feedback", verbose_name=_("巡察任务")
    )
    date = models.DateField(_("反馈日期"))
    plan_due = models.DateField(_("整改方案报送期限"))
    report_due = models.DateField(_("整改报告报送期限"))
    assessment_due = models.DateField(_("整改评估期限"))
    given_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("登记人"))
    history = HistoricalRecords()

    objects = FeedbackQuerySet.as_manager()

    class Meta:
        verbose_name = _("巡察反馈")
        verbose_name_plural = _("巡察反馈")
        ordering = ["-date"]
        constraints = [
            dates_in_order("date", "plan_due", "feedback_plan_due_after_date"),
            dates_in_order("date", "report_due", "feedback_report_due_after_date"),
            dates_in_order("date", "assessment_due", "feedback_assessment_due_after_date"),
        ]

    def __str__(self):
        return gettext("%(inspection)s 反馈 %(date)s") % {
            "inspection": self.inspection,
            "date": f"{self.date:%Y-%m-%d}",
        }


class RectificationTask(models.Model):
    """整改任务: one row of the 整改台账."""

    finding = models.ForeignKey("findings.Finding", models.PROTECT, related_name="tasks", verbose_name=_("反馈问题"))
    # The finding's round, copied when the task is saved (a finding never moves to another inspection), so that
    # lists and counts by round or plan read the task table alone instead of joining up through findings and
    # inspections: at province scale that join is most of the cost of every ledger page.
    round = models.ForeignKey(
        "rounds.Round",
        models.PROTECT,
        related_name="+",
        blank=True,
        editable=False,
        db_index=False,  # task_round_due_date_id below starts with it
        verbose_name=_("轮次"),
    )
    measure = models.TextField(_("整改措施"))
    goal = models.TextField(_("整改目标"), blank=True)
    responsible_leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="led_tasks",
        verbose_name=_("责任领导"),
    )
    responsible_unit = models.ForeignKey(
        "rounds.PartyUnit", models.PROTECT, related_name="tasks", verbose_name=_("责任部门")
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="handled_tasks",
        verbose_name=_("经办人"),
    )
    term_type = models.CharField(_("整改时限类型"), max_length=20, choices=TermType.choices)
    due_date = models.DateField(_("整改时限"))
    progress = models.PositiveSmallIntegerField(_("进度(%)"), default=0)
    status = models.CharField(_("状态"), max_length=20, choices=TaskStatus.choices, default=TaskStatus.NOT_STARTED)
    closed_at = models.DateTimeField(_("销号日期"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    history = HistoricalRecords()

    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("整改任务")
        verbose_name_plural = _("整改台账")
        ordering = ["due_date", "pk"]
        constraints = [
            valid_choice("status", TaskStatus, "task_status_valid"),
            valid_choice("term_type", TermType, "task_term_type_valid"),
            models.CheckConstraint(condition=Q(progress__lte=100), name="task_progress_is_percent"),
            models.CheckConstraint(
                condition=Q(status=TaskStatus.CLOSED, closed_at__isnull=False)
                | (~Q(status=TaskStatus.CLOSED) & Q(closed_at__isnull=True)),
                name="task_closed_iff_closed_at",
            ),
        ]
        indexes = [
            models.Index(fields=["responsible_unit", "status"], name="task_unit_status"),
            models.Index(fields=["status"], name="task_status"),
            # Open tasks by due date: the overdue lists and the reminder sweep.
            models.Index(fields=["due_date"], name="task_open_due", condition=~Q(status__in=NOT_OVERDUE_STATUSES)),
            # The dashboard's task lists: by due date, a page at a time (xuncha/dashboard).
            models.Index(fields=["due_date", "id"], name="task_due_date_id"),
            # A round's (or a plan's rounds') tasks by due date: the dashboard's lists and per-round counts.
            models.Index(fields=["round", "due_date", "id"], name="task_round_due_date_id"),
        ]

    def __str__(self):
        return self.measure[:40]

    def is_overdue(self, today) -> bool:
        """One task's side of TaskQuerySet.overdue: past due and neither closed nor awaiting verification."""
        return self.due_date < today and self.status not in NOT_OVERDUE_STATUSES

    def save(self, *args, **kwargs):
        if self.round_id is None:
            self.round_id = self.finding.inspection.round_id
        super().save(*args, **kwargs)


class TaskEvent(models.Model):
    """A status change of a task: who, when, from what to what, and why."""

    task = models.ForeignKey(RectificationTask, models.CASCADE, related_name="events", verbose_name=_("整改任务"))
    from_status = models.CharField(_("原状态"), max_length=20, choices=TaskStatus.choices)
    to_status = models.CharField(_("新状态"), max_length=20, choices=TaskStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("操作人"))
    comment = models.TextField(_("说明"), blank=True)
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("状态变更")
        verbose_name_plural = _("状态变更")
        ordering = ["at", "pk"]
        constraints = [
            valid_choice("from_status", TaskStatus, "taskevent_from_valid"),
            valid_choice("to_status", TaskStatus, "taskevent_to_valid"),
        ]

    def __str__(self):
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"


class ProgressReport(models.Model):
    """整改进展: append-only; a correction is a new report, never an edit."""

    task = models.ForeignKey(RectificationTask, models.PROTECT, related_name="reports", verbose_name=_("整改任务"))
    text = models.TextField(_("进展情况"))
    progress = models.PositiveSmallIntegerField(_("进度(%)"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("报告人"))
    created_at = models.DateTimeField(_("报告时间"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("整改进展")
        verbose_name_plural = _("整改进展")
        ordering = ["created_at", "pk"]
        constraints = [models.CheckConstraint(condition=Q(progress__lte=100), name="report_progress_is_percent")]

    def __str__(self):
        return f"{self.progress}% {self.text[:30]}"


def progress_evidence_path(instance, filename):
    import uuid

    return f"evidence/progress/{instance.report_id}/{uuid.uuid4().hex}"


class ProgressEvidence(models.Model):
    report = models.ForeignKey(ProgressReport, models.PROTECT, related_name="evidence", verbose_name=_("整改进展"))
    file = models.FileField(_("文件"), upload_to=progress_evidence_path, max_length=200)
    original_name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveBigIntegerField(_("大小"))
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("整改佐证材料")
        verbose_name_plural = _("整改佐证材料")

    def __str__(self):
        return self.original_name


class Reminder(models.Model):
    """One rung of the reminder ladder for one task (or one late clue, one document the unit owes, one upper-level
    request) and one due date.

    Written once per (task, rung, due_date) and claimed for sending by a conditional UPDATE, so
    sweeps that overlap or retry never send twice."""

    task = models.ForeignKey(
        RectificationTask, models.CASCADE, null=True, blank=True, related_name="reminders", verbose_name=_("整改任务")
    )
    clue = models.ForeignKey(
        "findings.Clue", models.CASCADE, null=True, blank=True, related_name="reminders", verbose_name=_("问题线索")
    )
    document = models.ForeignKey(
        "rectification.UnitDocument",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="reminders",
        verbose_name=_("整改文书"),
    )
    request = models.ForeignKey(
        "rectification.UpperRequest",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="reminders",
        verbose_name=_("交办事项"),
    )
    rung = models.CharField(_("提醒级别"), max_length=20, choices=Rung.choices)
    due_date = models.DateField(_("到期日期"))
    state = models.CharField(_("状态"), max_length=20, choices=ReminderState.choices, default=ReminderState.PENDING)
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)
    # When a sender claimed it (pending → sending); a claim older than the lease is taken over.
    claimed_at = models.DateTimeField(_("领取时间"), null=True, blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("提醒")
        verbose_name_plural = _("提醒")
        ordering = ["-created_at"]
        constraints = [
            valid_choice("rung", Rung, "reminder_rung_valid"),
            valid_choice("state", ReminderState, "reminder_state_valid"),
            # Exactly one subject: a task, a clue, a document the unit owes, an upper-level request (配合上级巡视).
            models.CheckConstraint(
                condition=Q(task__isnull=False, clue__isnull=True, document__isnull=True, request__isnull=True)
                | Q(task__isnull=True, clue__isnull=False, document__isnull=True, request__isnull=True)
                | Q(task__isnull=True, clue__isnull=True, document__isnull=False, request__isnull=True)
                | Q(task__isnull=True, clue__isnull=True, document__isnull=True, request__isnull=False),
                name="reminder_for_one_subject",
            ),
            # A cancelled rung (due date or owner changed) no longer counts, so the ladder can restart.
            models.UniqueConstraint(
                fields=["task", "rung", "due_date"],
                condition=Q(task__isnull=False) & ~Q(state=ReminderState.CANCELLED),
                name="reminder_once_per_task_rung",
            ),
            models.UniqueConstraint(
                fields=["clue", "rung", "due_date"],
                condition=Q(clue__isnull=False) & ~Q(state=ReminderState.CANCELLED),
                name="reminder_once_per_clue_rung",
            ),
            models.UniqueConstraint(
                fields=["document", "rung", "due_date"],
                condition=Q(document__isnull=False) & ~Q(state=ReminderState.CANCELLED),
                name="reminder_once_per_document_rung",
            ),
            models.UniqueConstraint(
                fields=["request", "rung", "due_date"],
                condition=Q(request__isnull=False) & ~Q(state=ReminderState.CANCELLED),
                name="reminder_once_per_request_rung",
            ),
        ]
        indexes = [
            models.Index(fields=["created_at"], name="reminder_pending", condition=Q(state=ReminderState.PENDING)),
            models.Index(fields=["claimed_at"], name="reminder_sending", condition=Q(state=ReminderState.SENDING)),
        ]

    def __str__(self):
        return f"{self.get_rung_display()} {self.due_date:%Y-%m-%d}"


class Notification(models.Model):
    """站内消息: what a person finds in their inbox. One per (reminder, recipient)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="notifications", verbose_name=_("接收人")
    )
    reminder = models.ForeignKey(
        Reminder, models.CASCADE, null=True, blank=True, related_name="notifications", verbose_name=_("提醒")
    )
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("邮件发送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("站内消息")
        verbose_name_plural = _("站内消息")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["reminder", "recipient"],
                condition=Q(reminder__isnull=False),
                name="notification_once_per_reminder",
            )
        ]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox"),
            models.Index(fields=["recipient"], name="notification_unread", condition=Q(read_at__isnull=True)),
        ]

    def __str__(self):
        return self.title


class SpotCheck(models.Model):
    """回头看/抽查: a reproducible random draw of closed tasks or finished inspections."""

    kind = models.CharField(_("抽查对象"), max_length=20, choices=SpotCheckKind.choices)
    round = models.ForeignKey(
        "rounds.Round", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("轮次范围")
    )
    seed = models.BigIntegerField(_("随机种子"))
    sample_size = models.PositiveIntegerField(_("抽取数量"))
    drawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("抽取人"))
    drawn_at = models.DateTimeField(_("抽取时间"), auto_now_add=True)
    note = models.TextField(_("说明"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("回头看/抽查")
        verbose_name_plural = _("回头看/抽查")
        ordering = ["-drawn_at"]
        constraints = [valid_choice("kind", SpotCheckKind, "spotcheck_kind_valid")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.drawn_at:%Y-%m-%d}"


class SpotCheckItem(models.Model):
    spot_check = models.ForeignKey(SpotCheck, models.CASCADE, related_name="items", verbose_name=_("抽查"))
    task = models.ForeignKey(RectificationTask, models.PROTECT, null=True, blank=True, related_name="+")
    inspection = models.ForeignKey("rounds.Inspection", models.PROTECT, null=True, blank=True, related_name="+")
    result = models.CharField(
        _("核查结果"), max_length=20, choices=SpotCheckResult.choices, default=SpotCheckResult.PENDING
    )
    note = models.TextField(_("核查情况"), blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("核查人")
    )
    checked_at = models.DateTimeField(_("核查时间"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("抽查项")
        verbose_name_plural = _("抽查项")
        constraints = [
            valid_choice("result", SpotCheckResult, "spotcheckitem_result_valid"),
            models.CheckConstraint(
                condition=Q(task__isnull=False, inspection__isnull=True)
                | Q(task__isnull=True, inspection__isnull=False),
                name="spotcheckitem_task_or_inspection",
            ),
            models.UniqueConstraint(fields=["spot_check", "task"], name="spotcheckitem_task_once"),
            models.UniqueConstraint(fields=["spot_check", "inspection"], name="spotcheckitem_inspection_once"),
        ]

    def __str__(self):
        return f"{self.task or self.inspection} {self.get_result_display()}"


def lookback_evidence_path(instance, filename):
    import uuid

    return f"evidence/lookback/{instance.inspection_id}/{uuid.uuid4().hex}"


class LookbackCheck(models.Model):
    """回头看 item check: one fed-back finding of the earlier inspection, checked again with evidence."""

    inspection = models.ForeignKey(
        "rounds.Inspection", models.PROTECT, related_name="lookback_checks", verbose_name=_("回头看任务")
    )
    finding = models.ForeignKey(
        "findings.Finding", models.PROTECT, related_name="lookback_checks", verbose_name=_("原反馈问题")
    )
    task = models.ForeignKey(
        RectificationTask,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="lookback_checks",
        verbose_name=_("整改任务"),
    )
    result = models.CharField(_("核查结论"), max_length=20, choices=LookbackResult.choices)
    note = models.TextField(_("核查情况"))
    evidence = models.FileField(_("佐证材料"), upload_to=lookback_evidence_path, max_length=200, blank=True)
    evidence_name = models.CharField(_("文件名"), max_length=200, blank=True)
    new_due_date = models.DateField(_("新的整改时限"), null=True, blank=True)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("核查人"))
    checked_at = models.DateTimeField(_("核查时间"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("回头看核查")
        verbose_name_plural = _("回头看核查")
        ordering = ["checked_at", "pk"]
        constraints = [
            valid_choice("result", LookbackResult, "lookbackcheck_result_valid"),
            models.UniqueConstraint(fields=["inspection", "finding"], name="lookbackcheck_once_per_finding"),
            # A check that sends the problem back names the new due date it set.
            models.CheckConstraint(
                condition=~Q(result__in=["not_done", "perfunctory"]) | Q(new_due_date__isnull=False),
                name="lookbackcheck_reopen_has_due_date",
            ),
        ]

    def __str__(self):
        return f"{self.finding} {self.get_result_display()}"


# After the feedback: documents, assessment, outcomes, supervision (kept in their own module).
from .after_models import (  # noqa: E402
    Accountability,
    Assessment,
    AssessmentFile,
    AssessmentIndicator,
    AssessmentScore,
    DocumentEvent,
    DocumentFile,
    DocumentSubmission,
    GradeBand,
    InspectionOfficial,
    LookbackProposal,
    RectificationOutcome,
    ResultsAccess,
    SupervisingLiaison,
    UnitDocument,
)

__all__ = [
    "Accountability",
    "Assessment",
    "AssessmentFile",
    "AssessmentIndicator",
    "AssessmentScore",
    "DocumentEvent",
    "DocumentFile",
    "DocumentSubmission",
    "Feedback",
    "GradeBand",
    "InspectionOfficial",
    "LookbackCheck",
    "LookbackProposal",
    "Notification",
    "ProgressEvidence",
    "ProgressReport",
    "RectificationOutcome",
    "RectificationTask",
    "Reminder",
    "ResultsAccess",
    "SpotCheck",
    "SpotCheckItem",
    "SupervisingLiaison",
    "TaskEvent",
    "UnitDocument",
]


# 配合上级巡视/巡察 (the county as the inspected party): its own module, registered with this app here.
from .upper_models import UpperRequest, UpperRequestAttachment, UpperRequestEvent, UpperVisit  # noqa: E402, F401
