"""Project-wide records that belong to no single app: the export/download log and import jobs; and the abstract
event row every workflow writes."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .db import valid_choice


class TransitionEvent(models.Model):
    """One move of a workflow (xuncha.workflow): who moved the object, from what to what, when, and why.

    Each app's event model adds the foreign key to its object and its own from/to fields, with the choices of
    its table; their names are FROM_FIELD and TO_FIELD (the review trails of findings and reports say _state,
    the others _status)."""

    FROM_FIELD = "from_status"
    TO_FIELD = "to_status"

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("操作人"))
    comment = models.TextField(_("说明"), blank=True)
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["at", "pk"]

    @property
    def move(self) -> tuple[str, str]:
        return getattr(self, self.FROM_FIELD), getattr(self, self.TO_FIELD)

    def _label(self, name: str) -> str:
        value = getattr(self, name)
        return getattr(self, f"get_{name}_display")() if value else ""

    def __str__(self):
        return f"{self._label(self.FROM_FIELD)} → {self._label(self.TO_FIELD)}"


class ExportAction(models.TextChoices):
    EXPORT = "export", _("导出台账")
    DOCUMENT = "document", _("生成文书")
    DOWNLOAD = "download", _("下载文件")


class ImportKind(models.TextChoices):
    UNITS = "units", _("巡察对象")
    PEOPLE = "people", _("巡察人才库")


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("排队中")
    RUNNING = "running", _("处理中")
    REJECTED = "rejected", _("校验未通过")
    DONE = "done", _("已导入")
    FAILED = "failed", _("处理出错")


class ExportLog(models.Model):
    """Who took what out of the system, with which filters, how many rows, when. Append-only."""

    Action = ExportAction

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="export_logs", verbose_name=_("操作人")
    )
    action = models.CharField(_("操作"), max_length=20, choices=ExportAction.choices, default=ExportAction.EXPORT)
    kind = models.CharField(_("内容"), max_length=40)
    confidential = models.BooleanField(_("涉密材料"), default=False)
    filters = models.JSONField(_("筛选条件"), default=dict, blank=True)
    object_repr = models.CharField(_("对象"), max_length=200, blank=True)
    row_count = models.PositiveIntegerField(_("行数"), null=True, blank=True)
    filename = models.CharField(_("文件名"), max_length=200)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("导出与下载记录")
        verbose_name_plural = _("导出与下载记录")
        ordering = ["-created_at", "-pk"]
        constraints = [valid_choice("action", ExportAction, "exportlog_action_valid")]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="exportlog_user_time"),
            models.Index(fields=["kind", "-created_at"], name="exportlog_kind_time"),
        ]

    def __str__(self):
        return f"{self.user} {self.get_action_display()} {self.filename}"


class ImportJob(models.Model):
    """One uploaded .xlsx being validated and imported, in the background when a worker runs."""

    Kind = ImportKind
    Status = ImportStatus

    kind = models.CharField(_("导入内容"), max_length=20, choices=ImportKind.choices)
    status = models.CharField(_("状态"), max_length=20, choices=ImportStatus.choices, default=ImportStatus.PENDING)
    file = models.FileField(_("文件"), upload_to="imports/%Y/%m/", max_length=200)
    original_name = models.CharField(_("文件名"), max_length=200)
    total = models.PositiveIntegerField(_("数据行数"), default=0)
    processed = models.PositiveIntegerField(_("已处理"), default=0)
    created_count = models.PositiveIntegerField(_("已导入行数"), default=0)
    errors = models.JSONField(_("错误"), default=list, blank=True)
    message = models.TextField(_("说明"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="import_jobs", verbose_name=_("导入人")
    )
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    # The last sign of life: queued, or a running worker's beat (rounds/jobs.py fails a job whose beat stopped).
    heartbeat_at = models.DateTimeField(_("最近心跳"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("处理次数"), default=0)

    class Meta:
        verbose_name = _("导入任务")
        verbose_name_plural = _("导入任务")
        ordering = ["-created_at", "-pk"]
        constraints = [
            valid_choice("kind", ImportKind, "importjob_kind_valid"),
            valid_choice("status", ImportStatus, "importjob_status_valid"),
            models.CheckConstraint(condition=Q(processed__lte=models.F("total")), name="importjob_progress_bounded"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.original_name}"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.REJECTED, self.Status.DONE, self.Status.FAILED)

    @property
    def percent(self) -> int:
        if self.finished:
            return 100
        return int(self.processed * 100 / self.total) if self.total else 0


class FormSubmission(models.Model):
    """One create form, submitted once: its one-time key and where its result is (xuncha.submissions).

    The unique (user, key) makes a second submission of the same form, even one racing the first, find the
    first one's result instead of creating a second row."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+", verbose_name=_("提交人"))
    key = models.CharField(_("表单标识"), max_length=64)
    url = models.CharField(_("结果地址"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("表单提交记录")
        verbose_name_plural = _("表单提交记录")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="formsubmission_once_per_user")]

    def __str__(self):
        return f"{self.user} {self.key}"


class SiteSettings(models.Model):
    """The installation's own facts: the county and the committee term (one row, pk=1), set in 初始化向导."""

    county_name = models.CharField(_("县（市、区）名称"), max_length=60)
    term_label = models.CharField(_("县委届次"), max_length=30, blank=True, help_text=_("如“第十五届”。"))
    term_start_year = models.PositiveSmallIntegerField(_("本届起始年度"), null=True, blank=True)
    term_end_year = models.PositiveSmallIntegerField(_("本届结束年度"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("县情设置")
        verbose_name_plural = _("县情设置")
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="sitesettings_single_row"),
            models.CheckConstraint(
                condition=Q(term_start_year__isnull=True)
                | Q(term_end_year__isnull=True)
                | Q(term_end_year__gte=models.F("term_start_year")),
                name="sitesettings_term_in_order",
            ),
        ]

    def __str__(self):
        return f"{self.county_name}{self.term_label}"


class ExportStatus(models.TextChoices):
    PENDING = "pending", _("排队中")
    RUNNING = "running", _("生成中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


class ExportJob(models.Model):
    """A large list export made in the background (xuncha/exports/jobs.py): the list's own view is run again
    in the worker as the requester, with the same filters, so it returns the same rows under the same rights."""

    Status = ExportStatus

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="export_jobs", verbose_name=_("导出人")
    )
    kind = models.CharField(_("内容"), max_length=40)
    path = models.CharField(_("页面"), max_length=200)
    params = models.JSONField(_("筛选条件"), default=dict, blank=True)
    language = models.CharField(_("语言"), max_length=10, default="zh-hans")
    status = models.CharField(_("状态"), max_length=20, choices=ExportStatus.choices, default=ExportStatus.PENDING)
    total = models.PositiveIntegerField(_("行数"), default=0)
    processed = models.PositiveIntegerField(_("已写入"), default=0)
    file = models.FileField(_("文件"), upload_to="exports/%Y/%m/", max_length=200, blank=True)
    filename = models.CharField(_("文件名"), max_length=200, blank=True)
    message = models.TextField(_("说明"), blank=True)
    heartbeat_at = models.DateTimeField(_("最近心跳"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("处理次数"), default=0)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("后台导出")
        verbose_name_plural = _("后台导出")
        ordering = ["-created_at", "-pk"]
        constraints = [valid_choice("status", ExportStatus, "exportjob_status_valid")]

    def __str__(self):
        return f"{self.kind} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return min(99, int(self.processed * 100 / self.total)) if self.total else 0
