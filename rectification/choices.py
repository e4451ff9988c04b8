from django.db import models
from django.utils.translation import gettext_lazy as _


class TermType(models.TextChoices):
    IMMEDIATE = "immediate", _("立行立改")
    DEADLINE = "deadline", _("限期整改")
    LONG_TERM = "long_term", _("长期坚持")


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("未开始")
    IN_PROGRESS = "in_progress", _("整改中")
    SUBMITTED = "submitted", _("已完成待审核")
    CLOSED = "closed", _("已销号")


# A task is overdue when past due and not in one of these (README, "coverage, exactly").
NOT_OVERDUE_STATUSES = (TaskStatus.SUBMITTED, TaskStatus.CLOSED)

TASK_STATUS_COLOURS = {
    TaskStatus.NOT_STARTED: "secondary",
    TaskStatus.IN_PROGRESS: "primary",
    TaskStatus.SUBMITTED: "warning",
    TaskStatus.CLOSED: "success",
}


class Rung(models.TextChoices):
    """The reminder ladder, in order."""

    D20 = "d20", _("到期前20天")
    D10 = "d10", _("到期前10天")
    DUE = "due", _("今日到期")
    OVERDUE = "overdue", _("已逾期")
    ESCALATED = "escalated", _("逾期超30天督办")


class ReminderState(models.TextChoices):
    PENDING = "pending", _("待发送")
    SENDING = "sending", _("发送中")
    SENT = "sent", _("已发送")
    CANCELLED = "cancelled", _("已取消")


class SpotCheckKind(models.TextChoices):
    TASKS = "tasks", _("已销号整改任务")
    INSPECTIONS = "inspections", _("已完成巡察任务")


class SpotCheckResult(models.TextChoices):
    PENDING = "pending", _("待核查")
    PASSED = "passed", _("核查通过")
    FAILED = "failed", _("核查未通过")


SPOTCHECK_RESULT_COLOURS = {
    SpotCheckResult.PENDING: "secondary",
    SpotCheckResult.PASSED: "success",
    SpotCheckResult.FAILED: "danger",
}


# --- 配合上级巡视/巡察 -------------------------------------------------------------------------------
class UpperLevel(models.TextChoices):
    PROVINCE = "province", _("省委巡视")
    CITY = "city", _("市委巡察")


class RequestKind(models.TextChoices):
    DOCUMENTS = "documents", _("调阅材料")
    INTERVIEWS = "interviews", _("个别谈话安排")
    PETITIONS = "petitions", _("来信来访转办")
    EXPLANATION = "explanation", _("情况说明")
    RECTIFICATION = "rectification", _("问题整改")


class RequestStatus(models.TextChoices):
    TODO = "todo", _("待办")
    DOING = "doing", _("办理中")
    SUBMITTED = "submitted", _("已报送")
    CONFIRMED = "confirmed", _("已确认")
    RETURNED = "returned", _("退回")


# Still the county's to answer: these join the reminder ladder.
OPEN_REQUEST_STATUSES = (RequestStatus.TODO, RequestStatus.DOING, RequestStatus.RETURNED)

REQUEST_STATUS_COLOURS = {
    RequestStatus.TODO: "secondary",
    RequestStatus.DOING: "info",
    RequestStatus.SUBMITTED: "warning",
    RequestStatus.CONFIRMED: "success",
    RequestStatus.RETURNED: "danger",
}
