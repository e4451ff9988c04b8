from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from findings.evidence import evidence_response
from findings.models import Finding
from rectification import exports
from xuncha.concurrency import is_stale
from xuncha.exports import export_response, wants_export
from xuncha.forms import add_service_errors, refused_as_404
from xuncha.history import history_entries
from xuncha.paging import paginate
from xuncha.roles import PERM_MANAGE, require_manage, require_oversight, sees_everything
from xuncha.submissions import create_once, resubmission_leads_to_first_result

from .. import selectors, services, workflow
from ..choices import TASK_STATUS_COLOURS, TaskStatus, TermType
from ..filtersets import TaskFilterSet
from ..forms import ProgressForm, TaskForm, TransitionForm
from .common import error_text, require_ledger


@login_required
def task_list(request):
    require_ledger(request.user)
    filterset = TaskFilterSet(request.GET or None, queryset=selectors.task_list(user=request.user), request=request)
    if wants_export(request):
        return export_response(request, exports.LEDGER, filterset=filterset)
    page = paginate(request, filterset.qs)
    from ..after_selectors import document_summary

    return render(
        request,
        "rectification/task_list.html",
        {
            **document_summary(user=request.user, today=timezone.localdate(), recent=0),
            "form": filterset.form,
            "page": page,
            "colours": TASK_STATUS_COLOURS,
            "today": timezone.localdate(),
            "is_office": request.user.has_perm(PERM_MANAGE),
        },
    )


def _detail(request, task, progress_form=None, status=200):
    roles = workflow.roles_on(request.user, task)
    # 立卷归档: an archived inspection's (closed) tasks show no buttons; a later check reopens them, not this page.
    archived = task.finding_id is not None and task.finding.inspection.is_archived and task.status == TaskStatus.CLOSED
    context = {
        "task": task,
        "archived": archived,
        "colours": TASK_STATUS_COLOURS,
        "moves": [] if archived else workflow.button_moves(roles, task.status),
        "can_report": workflow.can_report(roles, task.status),
        "progress_form": progress_form
        or ProgressForm(initial={"progress": task.progress, "expected_status": task.status}),
        "reports": task.reports.select_related("author").prefetch_related("evidence"),
        "events": task.events.select_related("actor"),
        "history": history_entries(task),
        "can_edit": workflow.can_edit(roles, task.status),
        "overdue": task.is_overdue(timezone.localdate()),
        # The link back to the upper-level request, for whoever may open it (office, leadership, its owner).
        "request_link": task.is_upper
        and (sees_everything(request.user) or task.upper_request.owner_id == request.user.pk),
    }
    return render(request, "rectification/task_detail.html", context, status=status)


@login_required
def task_detail(request, pk):
    # The door alone decides: a 经办人 or 责任领导 named on the task opens it (read-only) from a reminder's link,
    # whatever else they do here.
    return _detail(request, selectors.task_get(user=request.user, pk=pk))


@login_required
@require_POST
def task_transition(request, pk):
    require_ledger(request.user)
    task = selectors.task_get(user=request.user, pk=pk)
    form = TransitionForm(request.POST)
    if not form.is_valid() or workflow.rule_for(task.status, form.cleaned_data["to_status"]) is None:
        messages.error(request, _("无效的操作，请刷新页面后重试。"))
        return redirect("rectification:task_detail", pk=task.pk)
    try:
        with refused_as_404():
            services.task_transition(
                actor=request.user,
                task=task,
                to_status=form.cleaned_data["to_status"],
                comment=form.cleaned_data["comment"],
                expected_status=form.cleaned_data["expected_status"] or None,
            )
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("任务状态已变更为“%s”。") % TaskStatus(form.cleaned_data["to_status"]).label)
    return redirect("rectification:task_detail", pk=task.pk)


@login_required
@require_POST
@resubmission_leads_to_first_result
def progress_add(request, pk):
    require_ledger(request.user)
    task = selectors.task_get(user=request.user, pk=pk)
    if not workflow.roles_on(request.user, task) & workflow.REPORTERS:
        raise Http404
    form = ProgressForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            create_once(
                request,
                form,
                lambda: services.progress_report_add(
                    actor=request.user,
                    task=task,
                    text=form.cleaned_data["text"],
                    progress=form.cleaned_data["progress"],
                    files=form.cleaned_data["files"],
                    submit="submit_for_review" in request.POST,
                    expected_status=form.cleaned_data["expected_status"] or None,
                ),
                lambda report: reverse("rectification:task_detail", args=[task.pk]),
            )
        except ValidationError as exc:
            if is_stale(exc):
                # Above the page, not in the form: the form is gone when the task is no longer open to reports.
                messages.error(request, error_text(exc))
                task.refresh_from_db()
                form.data = form.data.copy()
                form.data["expected_status"] = task.status
            else:
                add_service_errors(form, exc)
        else:
            done = "submit_for_review" in request.POST or form.cleaned_data["progress"] == 100
            messages.success(request, _("已申请销号，等待巡察办审核。") if done else _("整改进展已报送。"))
            return redirect("rectification:task_detail", pk=task.pk)
    # Show the page again with what was typed and what is wrong.
    return _detail(request, task, progress_form=form, status=400)


@login_required
def evidence_download(request, pk):
    require_ledger(request.user)
    evidence = selectors.evidence_get(user=request.user, pk=pk)
    return evidence_response(user=request.user, evidence=evidence, kind="progress_evidence")


@login_required
def unassigned(request):
    require_oversight(request.user)
    page = paginate(request, selectors.unassigned_findings(user=request.user))
    return render(
        request,
        "rectification/unassigned.html",
        {
            "page": page,
            "requests": selectors.unassigned_requests(user=request.user),
            "is_office": request.user.has_perm(PERM_MANAGE),
        },
    )


@login_required
@resubmission_leads_to_first_result
def task_create(request, finding_pk):
    require_manage(request.user)
    finding = get_object_or_404(
        Finding.objects.visible_to(request.user).select_related("inspection__unit", "inspection__round", "feedback"),
        pk=finding_pk,
    )
    if not services.tasks.finding_accepts_tasks(finding):
        raise Http404
    initial = {
        "responsible_unit": finding.inspection.unit_id,
        "term_type": TermType.IMMEDIATE if finding.immediate else TermType.DEADLINE,
        "due_date": finding.feedback.report_due if finding.feedback_id else timezone.localdate(),
    }
    return task_create_page(
        request,
        initial=initial,
        create=lambda data: services.task_create(actor=request.user, finding=finding, **data),
        again=reverse("rectification:task_create", kwargs={"finding_pk": finding.pk}),
        context={"finding": finding, "existing": finding.tasks.select_related("responsible_unit")},
    )


def task_create_page(request, *, initial, create, again, context):
    """The one 新增整改任务 page, whatever the task's origin (a finding, or an upper-level 问题整改 request):
    `create(cleaned_data)` makes the task; 保存并继续添加 returns to `again`."""
    form = TaskForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            with refused_as_404():
                task = create_once(
                    request,
                    form,
                    lambda: create(form.cleaned_data),
                    lambda made: reverse("rectification:task_detail", args=[made.pk]),
                )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("整改任务已创建。"))
            return redirect(
                again if "add_another" in request.POST else reverse("rectification:task_detail", args=[task.pk])
            )
    return render(request, "rectification/task_form.html", {"form": form, **context})


@login_required
def task_edit(request, pk):
    require_manage(request.user)
    task = selectors.task_get(user=request.user, pk=pk)
    form = TaskForm(request.POST or None, instance=task)
    if request.method == "POST" and form.is_valid():
        try:
            services.task_update(actor=request.user, task=task, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("整改任务已保存。"))
            return redirect("rectification:task_detail", pk=task.pk)
    return render(
        request,
        "rectification/task_form.html",
        {"form": form, "finding": task.finding, "upper_request": task.upper_request, "task": task},
    )
