"""What each role does here: the landing page lists these, in this order, for the roles a user has."""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from .roles import Role


@dataclass(frozen=True)
class Duty:
    title: str
    description: str
    url_name: str = ""
    icon: str = "dot"
    shown_to: Callable | None = None  # user -> bool, where the role alone does not open the page

    @property
    def url(self) -> str:
        try:
            return reverse(self.url_name) if self.url_name else ""
        except NoReverseMatch:
            return ""


DUTIES = {
    Role.OFFICE: [
        Duty(
            _("巡察对象库"), _("维护被巡察党组织名录：新增、修改、停用，导入导出台账。"), "rounds:unit_list", "building"
        ),
        Duty(_("巡察人才库"), _("维护巡察干部、组长库和回避申报。"), "rounds:inspector_list", "people"),
        Duty(_("巡察工作规划"), _("制定五年规划、巡察范围和年度覆盖目标。"), "rounds:plan_list", "calendar-range"),
        Duty(
            _("轮次与巡察组"),
            _("部署巡察轮次，组建巡察组，分配巡察任务，推进工作阶段。"),
            "rounds:round_list",
            "diagram-3",
        ),
        Duty(
            _("整改台账"),
            _("登记反馈、分解整改任务，审核整改进展，销号或退回。"),
            "rectification:task_list",
            "journal-check",
        ),
        Duty(
            _("整改文书与评估"),
            _("审核被巡察单位报送的整改方案和整改报告，开展整改评估，登记整改成果与问责。"),
            "rectification:document_list",
            "file-earmark-check",
        ),
        Duty(
            _("回头看/抽查"),
            _("随机抽取已销号任务或已完成巡察，复核整改成效。"),
            "rectification:spotcheck_list",
            "shuffle",
        ),
        Duty(_("覆盖率与整改看板"), _("巡察全覆盖进度、问题分布与整改完成情况。"), "dashboard:index", "bar-chart"),
        Duty(
            _("账号与权限"),
            _("开通、停用账号，重置密码、解除锁定，授予领导小组、联络员、负责人和对接人角色。"),
            "accounts:account_list",
            "person-gear",
        ),
        Duty(_("问题类别"), _("维护问题底稿的分类（三大问题及其细项）。"), "findings:category_list", "diagram-2"),
    ],
    Role.LEADERSHIP: [
        Duty(
            _("覆盖率与整改看板"),
            _("查看巡察全覆盖进度、问题分布、线索处置和整改完成率。"),
            "dashboard:index",
            "bar-chart",
        ),
        Duty(_("巡察轮次"), _("查阅各轮次巡察任务与报告。"), "rounds:round_list", "diagram-3"),
        Duty(
            _("巡察报告"),
            _("查阅各巡察任务的巡察报告及审议状态，审议报告，审定各轮综合报告。"),
            "findings:report_list",
            "file-earmark-text",
        ),
        Duty(_("整改台账"), _("查阅整改任务、逾期情况和督办事项。"), "rectification:task_list", "journal-check"),
    ],
    Role.GROUP_LEADER: [
        Duty(
            _("本组巡察任务"), _("掌握本组被巡察单位、阶段和了解问题情况。"), "rounds:my_inspections", "clipboard-data"
        ),
        Duty(
            _("问题底稿审核"),
            _("复核、审签本组问题底稿，必要时退回修改。"),
            "findings:finding_list",
            "file-earmark-check",
        ),
        Duty(_("问题线索"), _("登记并向纪委监委、组织部移交问题线索，跟踪反馈。"), "findings:clue_list", "send"),
        Duty(
            _("巡察报告"),
            _("根据已报告的问题底稿起草巡察报告，提交组务会审议。"),
            "findings:report_list",
            "file-earmark-text",
        ),
    ],
    Role.GROUP_MEMBER: [
        Duty(
            _("本组巡察任务"),
            _("查看本组任务，更新谈话、调阅、走访等工作量。"),
            "rounds:my_inspections",
            "clipboard-data",
        ),
        Duty(_("问题底稿"), _("起草问题底稿，上传佐证材料，提交复核。"), "findings:finding_list", "file-earmark-text"),
    ],
    Role.UNIT_LIAISON: [
        Duty(
            _("本单位整改任务"),
            _("查看反馈问题和整改任务，报送整改进展和佐证材料。"),
            "rectification:task_list",
            "list-check",
        ),
        Duty(
            _("整改文书"),
            _("查看反馈意见和期限，按期报送整改方案、整改报告和主要负责人组织落实情况报告。"),
            "rectification:document_list",
            "file-earmark-arrow-up",
        ),
    ],
    Role.UNIT_HEAD: [
        Duty(
            _("本单位整改任务"),
            _("查阅本单位的整改任务、进展和佐证材料（只读），掌握逾期情况。"),
            "rectification:task_list",
            "list-check",
        ),
        Duty(_("整改提醒"), _("查看本单位整改任务的到期和逾期提醒。"), "rectification:reminder_list", "bell"),
    ],
    Role.DISCIPLINE_LIAISON: [
        Duty(_("移交线索办理"), _("查看移交本单位的问题线索，登记处置方式和办理结果。"), "findings:clue_list", "inbox"),
    ],
    Role.SUPERVISING_LIAISON: [
        Duty(
            _("整改日常监督"),
            _("查阅所监督单位的整改台账、整改文书和整改评估（只读）。"),
            "rectification:task_list",
            "eye",
        ),
        Duty(
            _("巡察结果运用"),
            _("按单位和领导干部查阅巡察结果，供干部考核评价参考。"),
            "rectification:results_sheet",
            "person-badge",
            shown_to=lambda user: _reads_results(user),
        ),
    ],
}


def _reads_results(user) -> bool:
    from rectification.results import reads_results  # the sheet's own rule: 组织部, not 纪委监委

    return reads_results(user)


def duties_for(roles, user=None) -> list[tuple[Role, list[Duty]]]:
    return [
        (role, [d for d in DUTIES[role] if d.shown_to is None or (user is not None and d.shown_to(user))])
        for role in Role
        if role in roles
    ]


# --- what waits for the user: the landing page's to-do list -----------------------------------------------------


@dataclass(frozen=True)
class ToDo:
    """One line of the to-do list: how many items wait, and the list that shows exactly them."""

    key: str
    title: str
    count: int
    url: str
    tone: str = "primary"  # the badge's colour while something waits


def _link(name: str, **params) -> str:
    from django.utils.http import urlencode

    return reverse(name) + (f"?{urlencode(params)}" if params else "")


def _counts(user, roles, today) -> dict:
    """Every count the user's to-do list shows: one conditional aggregate per table the user's roles read."""
    from django.db.models import Count, Q

    from findings.choices import ClueStatus, ReviewState
    from findings.managers import clue_overdue_q
    from findings.models import Clue, Finding
    from rectification.after_models import timeliness_expression
    from rectification.choices import OPEN_REQUEST_STATUSES, TaskStatus, Timeliness
    from rectification.managers import due_soon_q, overdue_q
    from rectification.models import RectificationTask, UnitDocument
    from rectification.upper_models import UpperRequest

    counts: dict = {}
    if roles & {Role.OFFICE, Role.LEADERSHIP, Role.UNIT_LIAISON, Role.UNIT_HEAD, Role.SUPERVISING_LIAISON}:
        counts.update(
            RectificationTask.objects.visible_to(user).aggregate(
                tasks_submitted=Count("pk", filter=Q(status=TaskStatus.SUBMITTED)),
                tasks_due_soon=Count("pk", filter=due_soon_q(today)),
                tasks_overdue=Count("pk", filter=overdue_q(today)),
                tasks_all=Count("pk"),
                tasks_closed=Count("pk", filter=Q(status=TaskStatus.CLOSED)),
            )
        )
    if roles & {Role.GROUP_LEADER, Role.GROUP_MEMBER}:
        counts.update(
            Finding.objects.visible_to(user).aggregate(
                findings_draft=Count("pk", filter=Q(review_state=ReviewState.DRAFT)),
                findings_deputy=Count("pk", filter=Q(review_state=ReviewState.DEPUTY_REVIEW)),
                findings_sign=Count("pk", filter=Q(review_state=ReviewState.LEADER_SIGN)),
            )
        )
    if roles & {Role.OFFICE, Role.LEADERSHIP, Role.GROUP_LEADER, Role.DISCIPLINE_LIAISON}:
        counts.update(
            Clue.objects.visible_to(user).aggregate(
                clues_draft=Count("pk", filter=Q(status=ClueStatus.DRAFT)),
                clues_transferred=Count("pk", filter=Q(status=ClueStatus.TRANSFERRED)),
                clues_overdue=Count("pk", filter=clue_overdue_q(today)),
            )
        )
    if roles & {Role.OFFICE, Role.UNIT_LIAISON}:
        counts.update(
            UnitDocument.objects.visible_to(user)
            .annotate(timeliness_value=timeliness_expression(today))
            .aggregate(
                documents_missing=Count("pk", filter=Q(timeliness_value=Timeliness.MISSING)),
                documents_not_due=Count("pk", filter=Q(timeliness_value=Timeliness.NOT_DUE)),
            )
        )
    counts.update(
        UpperRequest.objects.filter(owner=user, status__in=OPEN_REQUEST_STATUSES).aggregate(
            requests_open=Count("pk"), requests_overdue=Count("pk", filter=Q(due_date__lt=today))
        )
    )
    return counts


def _cached_counts(user, roles, today) -> dict:
    """Office and leadership count whole tables: kept per user and data version (like the lists' row counts)."""
    from django.core.cache import cache

    from .dataversion import version  # the one data version every cached figure follows
    from .resilience import cached
    from .roles import sees_everything

    if not sees_everything(user):
        return _counts(user, roles, today)
    current = version()
    if current is None:  # the cache is unreachable: counted by the database
        return _counts(user, roles, today)
    key = f"workbench:{current}:{today.isoformat()}:{user.pk}:{','.join(sorted(roles))}"
    counts = cached(lambda: cache.get(key))
    if counts is None:
        counts = _counts(user, roles, today)
        cached(lambda: cache.set(key, counts, timeout=settings.DASHBOARD_CACHE_SECONDS))
    return counts


def todos_for(user, roles, today=None) -> list[ToDo]:
    """What waits for this user, in the order of their roles, each with its count and its filtered list."""
    from django.utils import timezone

    from findings.choices import ClueStatus, ReviewState
    from rectification.choices import TaskStatus, Timeliness

    today = today or timezone.localdate()
    c = _cached_counts(user, roles, today)
    todos: list[ToDo] = []

    def add(key, title, name, tone="primary", **params):
        if key in c and not any(t.key == key for t in todos):
            todos.append(ToDo(key, title, c[key], _link(name, **params), tone))

    ledger = "rectification:task_list"
    if Role.OFFICE in roles:
        add("tasks_submitted", _("整改任务待审核销号"), ledger, status=TaskStatus.SUBMITTED.value)
        add("tasks_overdue", _("逾期整改任务"), ledger, "danger", overdue="on")
        add(
            "documents_missing",
            _("逾期未报送的整改文书"),
            "rectification:document_list",
            "danger",
            timeliness=Timeliness.MISSING.value,
        )
        add("clues_overdue", _("线索逾期未反馈"), "findings:clue_list", "danger", overdue="on")
    if Role.GROUP_LEADER in roles:
        add(
            "findings_deputy",
            _("问题底稿待复核"),
            "findings:finding_list",
            review_state=ReviewState.DEPUTY_REVIEW.value,
        )
        add("findings_sign", _("问题底稿待审签"), "findings:finding_list", review_state=ReviewState.LEADER_SIGN.value)
        add("clues_draft", _("问题线索待移交"), "findings:clue_list", status=ClueStatus.DRAFT.value)
        add("clues_overdue", _("线索逾期未反馈"), "findings:clue_list", "danger", overdue="on")
    if Role.GROUP_MEMBER in roles:
        add(
            "findings_draft",
            _("问题底稿草稿（待提交复核）"),
            "findings:finding_list",
            review_state=ReviewState.DRAFT.value,
        )
    if roles & {Role.UNIT_LIAISON, Role.UNIT_HEAD}:
        add("tasks_due_soon", _("本单位10日内到期的整改任务"), ledger, "warning", due_soon="on")
        add("tasks_overdue", _("本单位逾期整改任务"), ledger, "danger", overdue="on")
    if Role.UNIT_LIAISON in roles:
        add(
            "documents_not_due",
            _("待报送的整改文书"),
            "rectification:document_list",
            "warning",
            timeliness=Timeliness.NOT_DUE.value,
        )
        add(
            "documents_missing",
            _("逾期未报送的整改文书"),
            "rectification:document_list",
            "danger",
            timeliness=Timeliness.MISSING.value,
        )
    if Role.DISCIPLINE_LIAISON in roles:
        add("clues_transferred", _("移交线索待办理"), "findings:clue_list", status=ClueStatus.TRANSFERRED.value)
        add("clues_overdue", _("线索逾期未反馈"), "findings:clue_list", "danger", overdue="on")
    if Role.SUPERVISING_LIAISON in roles:
        add("tasks_overdue", _("所监督单位逾期整改任务"), ledger, "danger", overdue="on")
    if c.get("requests_open"):  # only for the people who own an upper-level request (配合上级巡视)
        add("requests_open", _("我承办的上级交办事项"), "rectification:upper_request_list")
        add("requests_overdue", _("我承办的逾期交办事项"), "rectification:upper_request_list", "danger")
    return todos


@dataclass(frozen=True)
class Headline:
    title: str
    value: str
    url: str
    tone: str = ""


def headlines_for(user, roles, today=None) -> list[Headline]:
    """Leadership's few figures over all tasks and clues, each opening the list behind it (the dashboard for more)."""
    from django.utils import timezone

    if Role.LEADERSHIP not in roles:
        return []
    today = today or timezone.localdate()
    c = _cached_counts(user, roles, today)
    rate = f"{100 * c['tasks_closed'] / c['tasks_all']:.1f}%" if c.get("tasks_all") else "—"
    ledger = "rectification:task_list"
    return [
        Headline(_("整改任务"), str(c.get("tasks_all", 0)), _link(ledger)),
        Headline(_("整改完成率（已销号）"), rate, _link(ledger, status="closed")),
        Headline(_("逾期整改任务"), str(c.get("tasks_overdue", 0)), _link(ledger, overdue="on"), "danger"),
        Headline(
            _("线索逾期未反馈"), str(c.get("clues_overdue", 0)), _link("findings:clue_list", overdue="on"), "danger"
        ),
    ]


def recent_jobs(user, roles) -> list:
    """Imports and exports the user started in the last week, newest first: a few rows, each with its own page."""
    from datetime import timedelta

    from django.utils import timezone

    from .models import ExportJob, ImportJob

    since = timezone.now() - timedelta(days=7)
    jobs = [
        (
            job.created_at,
            _("导出"),
            job.filename or job.kind,
            job.get_status_display(),
            job.status,
            reverse("exports:export_job", args=[job.pk]),
        )
        for job in ExportJob.objects.filter(user=user, created_at__gte=since).order_by("-created_at")[:5]
    ]
    if Role.OFFICE in roles:  # imports are the office's
        jobs += [
            (
                job.created_at,
                _("导入"),
                job.original_name,
                job.get_status_display(),
                job.status,
                reverse("exports:import_job", args=[job.pk]),
            )
            for job in ImportJob.objects.filter(created_by=user, created_at__gte=since).order_by("-created_at")[:5]
        ]
    return sorted(jobs, key=lambda j: j[0], reverse=True)[:5]
