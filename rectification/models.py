from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from xuncha.db import dates_in_order, valid_choice
from xuncha.models import TransitionEvent

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
from .managers import OPEN_FIRST, FeedbackQuerySet, TaskQuerySet


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

    # Two origins, exactly one per task (task_one_origin): a finding of the county's own inspection (县委巡察), or a
    # 问题整改 request of an upper-level visit (上级巡视巡察), whose problems the county rectifies in the same ledger.
    finding = models.ForeignKey(
        "findings.Finding", models.PROTECT, null=True, blank=True, related_name="tasks", verbose_name=_("反馈问题")
    )
    upper_request = models.ForeignKey(
        "rectification.UpperRequest",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="tasks",
        db_index=False,  # task_upper_request below: a partial index, as only a few tasks have one
        verbose_name=_("上级交办的整改事项"),
    )
    # The finding's round, copied when the task is saved (a finding never moves to another inspection), so that
    # lists and counts by round or plan read the task table alone instead of joining up through findings and
    # inspections: at province scale that join is most of the cost of every ledger page. An upper-level task has no
    # county round (NULL): it is in no round's counts, and the county-wide ledger shows it.
    round = models.ForeignKey(
        "rounds.Round",
        models.PROTECT,
        related_name="+",
        null=True,
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
                condition=Q(finding__isnull=False, upper_request__isnull=True)
                | Q(finding__isnull=True, upper_request__isnull=False),
                name="task_one_origin",
                violation_error_message=_("整改任务须来自一个反馈问题或一项上级交办的整改事项（二者之一）。"),
            ),
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
            # A request's tasks (its page, the 来源 filter): the few upper-level rows, not a NULL per county task.
            models.Index(fields=["upper_request"], name="task_upper_request", condition=Q(upper_request__isnull=False)),
            # The ledger's first page: open tasks first, by due date (selectors.task_list).
            models.Index(OPEN_FIRST, "due_date", "id", name="task_open_first"),
        ]

    def __str__(self):
        return self.measure[:40]

    def is_overdue(self, today) -> bool:
        """One task's side of TaskQuerySet.overdue: past due and neither closed nor awaiting verification."""
        return self.due_date < today and self.status not in NOT_OVERDUE_STATUSES

    @property
    def is_upper(self) -> bool:
        """来源 上级巡视巡察: the task rectifies a problem an upper-level visit handed to the county."""
        return self.upper_request_id is not None

    @property
    def source(self) -> str:
        from .choices import TaskSource

        return TaskSource.UPPER if self.is_upper else TaskSource.COUNTY

    def get_source_display(self) -> str:
        from .choices import TaskSource

        return str(TaskSource(self.source).label)

    @property
    def problem_title(self) -> str:
        """The problem the task rectifies: the finding's title, or the upper-level request's."""
        if self.finding_id:
            return self.finding.title
        return self.upper_request.title if self.upper_request_id else ""

    def save(self, *args, **kwargs):
        if self.round_id is None and self.finding_id is not None:
            self.round_id = self.finding.inspection.round_id
        super().save(*args, **kwargs)


class TaskEvent(TransitionEvent):
    """A status change of a task: who, when, from what to what, and why."""

    task = models.ForeignKey(RectificationTask, models.CASCADE, related_name="events", verbose_name=_("整改任务"))
    from_status = models.CharField(_("原状态"), max_length=20, choices=TaskStatus.choices)
    to_status = models.CharField(_("新状态"), max_length=20, choices=TaskStatus.choices)

    class Meta(TransitionEvent.Meta):
        verbose_name = _("状态变更")
        verbose_name_plural = _("状态变更")
        constraints = [
            valid_choice("from_status", TaskStatus, "taskevent_from_valid"),
            valid_choice("to_status", TaskStatus, "taskevent_to_valid"),
        ]


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
    """站内消息, three shapes in one table (the inbox lists the last two):

    - an item: one reminder delivered to one person, unique per (reminder, recipient) — the exactly-once record;
    - a digest (提醒汇总, `day` set): one per person per day, gathering that day's items, sent once by e-mail;
    - a plain message (neither)."""

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
    day = models.DateField(_("汇总日期"), null=True, blank=True)
    digest = models.ForeignKey(
        "self", models.CASCADE, null=True, blank=True, related_name="items", verbose_name=_("提醒汇总")
    )
    # A sender that claimed the digest's e-mail; a claim older than the reminder lease is taken over.
    email_claimed_at = models.DateTimeField(_("邮件领取时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("站内消息")
        verbose_name_plural = _("站内消息")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["reminder", "recipient"],
                condition=Q(reminder__isnull=False),
                name="notification_once_per_reminder",
            ),
            models.UniqueConstraint(
                fields=["recipient", "day"], condition=Q(day__isnull=False), name="notification_one_digest_a_day"
            ),
            models.CheckConstraint(
                condition=Q(reminder__isnull=True) | Q(day__isnull=True), name="notification_item_or_digest"
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox"),
            models.Index(
                fields=["recipient"],
                name="notification_unread_inbox",
                condition=Q(read_at__isnull=True, reminder__isnull=True),
            ),
            # Delivered, not yet gathered into a digest (a crash between the two is completed by the next send).
            models.Index(
                fields=["recipient"],
                name="notification_ungathered",
                condition=Q(reminder__isnull=False, digest__isnull=True),
            ),
            models.Index(fields=["day"], name="notification_digest_unmailed", condition=Q(emailed_at__isnull=True)),
        ]

    def __str__(self):
        return self.title

    @property
    def shown_day(self):
        """The day the inbox files it under: a digest's own day, a message's local date."""
        return self.day or timezone.localdate(self.created_at)


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
