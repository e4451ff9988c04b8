from django.db import models
from django.utils.translation import gettext_lazy as _


class TermType(models.TextChoices):
    IMMEDIATE = "immediate", _("立行立改")
    DEADLINE = "deadline", _("限期整改")
    LONG_TERM = "long_term", _("长期坚持")


class TaskSource(models.TextChoices):
    """来源 of a task in the 整改台账: the county's own inspection, or an upper-level visit's 问题整改 request."""

    COUNTY = "county", _("县委巡察")
    UPPER = "upper", _("上级巡视巡察")


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


class LookbackResult(models.TextChoices):
    """回头看: how the rectification of one fed-back finding stands when checked again."""

    DONE = "done", _("整改到位")
    PARTIAL = "partial", _("部分到位")
    NOT_DONE = "not_done", _("未到位")
    PERFUNCTORY = "perfunctory", _("应付整改")


# Results that send the problem back to rectification: the task is reopened (or created) with a new due date.
REOPENING_RESULTS = (LookbackResult.NOT_DONE, LookbackResult.PERFUNCTORY)

LOOKBACK_RESULT_COLOURS = {
    LookbackResult.DONE: "success",
    LookbackResult.PARTIAL: "warning",
    LookbackResult.NOT_DONE: "danger",
    LookbackResult.PERFUNCTORY: "dark",
}


# --- after the feedback: the unit's documents, assessment, outcomes, supervision -------------------


class DocumentKind(models.TextChoices):
    PLAN = "plan", _("整改方案")
    REPORT = "report", _("整改报告")
    HEAD_REPORT = "head_report", _("主要负责人组织落实情况报告")


class DocumentStatus(models.TextChoices):
    PENDING = "pending", _("待报送")
    SUBMITTED = "submitted", _("已报送待审核")
    RETURNED = "returned", _("已退回")
    ACCEPTED = "accepted", _("已通过")


# A document in one of these is still owed by the unit: it is reminded, and late once past due.
DOCUMENT_OWED = (DocumentStatus.PENDING, DocumentStatus.RETURNED)

DOCUMENT_STATUS_COLOURS = {
    DocumentStatus.PENDING: "secondary",
    DocumentStatus.SUBMITTED: "warning",
    DocumentStatus.RETURNED: "danger",
    DocumentStatus.ACCEPTED: "success",
}


class Timeliness(models.TextChoices):
    """Whether a document arrived by its due date (judged on its first submission)."""

    ON_TIME = "on_time", _("按时报送")
    LATE = "late", _("逾期报送")
    MISSING = "missing", _("逾期未报送")
    NOT_DUE = "not_due", _("未到期")


TIMELINESS_COLOURS = {
    Timeliness.ON_TIME: "success",
    Timeliness.LATE: "warning",
    Timeliness.MISSING: "danger",
    Timeliness.NOT_DUE: "secondary",
}


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("优秀")
    PASS = "pass", _("合格")
    BASIC = "basic", _("基本合格")
    FAIL = "fail", _("不合格")


# A grade that proposes the unit for 回头看.
POOR_GRADES = (Grade.BASIC, Grade.FAIL)

GRADE_COLOURS = {Grade.EXCELLENT: "success", Grade.PASS: "primary", Grade.BASIC: "warning", Grade.FAIL: "danger"}


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposed", _("建议回头看")
    ACCEPTED = "accepted", _("已纳入回头看")
    DISMISSED = "dismissed", _("不予回头看")


class AccountabilityForm(models.TextChoices):
    TALK = "talk", _("约谈")
    ADMONISH = "admonish", _("诫勉")
    CIRCULATE = "circulate", _("通报")
    ORGANISATIONAL = "organisational", _("组织处理")
    DISCIPLINARY = "disciplinary", _("纪律处分")


class SupervisingBody(models.TextChoices):
    DISCIPLINE = "discipline", _("县纪委监委")
    ORGANISATION = "organisation", _("县委组织部")


class OfficialRole(models.TextChoices):
    HEAD = "head", _("一把手")
    MEMBER = "member", _("班子成员")


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
