"""配合上级巡视/巡察 pages: the visits (office and leadership), their requests, each owner's own requests."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from xuncha.exports import export_response, log_download, wants_export
from xuncha.forms import call_service, refused_as_404
from xuncha.history import history_entries
from xuncha.paging import paginate
from xuncha.roles import PERM_MANAGE, require_manage, require_oversight, sees_everything
from xuncha.submissions import resubmission_leads_to_first_result

from .. import upper_selectors as selectors
from .. import upper_workflow as uw
from ..choices import TermType
from ..services import upper as services
from ..upper_exports import UPPER_REQUESTS
from ..upper_filtersets import RequestFilterSet
from ..upper_forms import AttachmentForm, RequestForm, RequestTransitionForm, VisitForm
from .tasks import task_create_page


def _saved(form, service, **kwargs):
    """Call the service with the form's data; a refusal is a 404, a validation error goes on the form."""
    return call_service(form, service, **kwargs, **form.cleaned_data)


@login_required
@require_GET
def visit_list(request):
    require_oversight(request.user)
    return render(
        request,
        "rectification/upper/visit_list.html",
        {"visits": selectors.visit_list(user=request.user), "can_manage": request.user.has_perm(PERM_MANAGE)},
    )


@login_required
def visit_form(request, pk=None):
    require_manage(request.user)
    visit = selectors.visit_get(user=request.user, pk=pk) if pk else None
    form = VisitForm(request.POST or None, instance=visit)
    if request.method == "POST" and form.is_valid():
        if visit is None:
            saved = _saved(form, services.visit_create, actor=request.user)
        else:
            saved = _saved(form, services.visit_update, actor=request.user, visit=visit)
        if saved:
            messages.success(request, _("已保存。"))
            return redirect("rectification:upper_visit_detail", pk=saved.pk)
    return render(
        request, "rectification/upper/form.html", {"form": form, "visit": visit, "title": _("上级巡视（巡察）")}
    )


@login_required
@require_GET
def visit_detail(request, pk):
    visit = selectors.visit_get(user=request.user, pk=pk)
    return render(
        request,
        "rectification/upper/visit_detail.html",
        {
            "visit": visit,
            "requests": selectors.request_list(user=request.user, visit=visit),
            "can_manage": request.user.has_perm(PERM_MANAGE),
            "history": history_entries(visit),
        },
    )


@login_required
def request_create(request, visit_pk):
    require_manage(request.user)
    visit = selectors.visit_get(user=request.user, pk=visit_pk)
    form = RequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        saved = _saved(form, services.request_create, actor=request.user, visit=visit)
        if saved:
            messages.success(request, _("已交办。"))
            return redirect("rectification:upper_request_detail", pk=saved.pk)
    return render(request, "rectification/upper/form.html", {"form": form, "visit": visit, "title": _("交办事项")})


@login_required
def request_edit(request, pk):
    require_manage(request.user)
    item = selectors.request_get(user=request.user, pk=pk)
    form = RequestForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        if _saved(form, services.request_update, actor=request.user, request=item):
            messages.success(request, _("已保存。"))
            return redirect("rectification:upper_request_detail", pk=item.pk)
    return render(request, "rectification/upper/form.html", {"form": form, "visit": item.visit, "title": _("交办事项")})


@login_required
@require_GET
def request_list(request):
    """交办事项: all of them for office and leadership, one's own for an owner; nobody else has the list."""
    if not (sees_everything(request.user) or selectors.has_requests(request.user)):
        raise Http404
    filterset = RequestFilterSet(request.GET, queryset=selectors.request_list(user=request.user), request=request)
    if wants_export(request):
        return export_response(request, UPPER_REQUESTS, filterset=filterset)
    return render(
        request,
        "rectification/upper/request_list.html",
        {"form": filterset.form, "page_obj": paginate(request, filterset.qs)},
    )


@login_required
@require_GET
def request_detail(request, pk):
    item = selectors.request_get(user=request.user, pk=pk)
    roles = uw.roles_on(request.user, item)
    return render(
        request,
        "rectification/upper/request_detail.html",
        {
            "item": item,
            "transitions": uw.available_moves(roles, item.status),
            "transition_form": RequestTransitionForm(),
            "can_attach": uw.can_attach(roles, item.status),
            "attachment_form": AttachmentForm(),
            "attachments": item.attachments.select_related("uploaded_by"),
            "events": selectors.request_events(item),
            "can_manage": request.user.has_perm(PERM_MANAGE),
            "takes_tasks": services.request_accepts_tasks(item),
            "tasks": selectors.request_tasks(user=request.user, request=item),
            "history": history_entries(item),
        },
    )


@login_required
@resubmission_leads_to_first_result
def request_task_create(request, pk):
    """The office turns a 问题整改 request into one or more tasks of the 整改台账 (来源 上级巡视巡察)."""
    require_manage(request.user)
    item = selectors.request_get(user=request.user, pk=pk)
    if not services.request_accepts_tasks(item):
        raise Http404
    initial = {"responsible_unit": item.owner_unit_id, "term_type": TermType.DEADLINE, "due_date": item.due_date}
    return task_create_page(
        request,
        initial=initial,
        create=lambda data: services.upper_task_create(actor=request.user, request=item, **data),
        again=reverse("rectification:upper_task_create", kwargs={"pk": item.pk}),
        context={"upper_request": item, "existing": item.tasks.select_related("responsible_unit")},
    )


@login_required
@require_POST
def request_transition(request, pk):
    item = selectors.request_get(user=request.user, pk=pk)
    form = RequestTransitionForm(request.POST)
    if form.is_valid():
        try:
            with refused_as_404():
                item = services.request_transition(actor=request.user, request=item, **form.cleaned_data)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("交办事项状态已更新为“%(s)s”。") % {"s": item.get_status_display()})
    return redirect("rectification:upper_request_detail", pk=item.pk)


@login_required
@require_POST
def request_attach(request, pk):
    item = selectors.request_get(user=request.user, pk=pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            with refused_as_404():
                services.request_attach(actor=request.user, request=item, files=form.cleaned_data["files"])
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("附件已上传。"))
    else:
        for error in form.errors.get("files", []):
            messages.error(request, error)
    return redirect("rectification:upper_request_detail", pk=item.pk)


@login_required
@require_GET
def attachment_download(request, pk):
    attachment = selectors.attachment_get(user=request.user, pk=pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    log_download(user=request.user, kind="upper_attachment", obj=attachment, filename=attachment.original_name)
    return FileResponse(handle, as_attachment=True, filename=attachment.original_name)


@login_required
@require_GET
def upper_report(request, pk):
    """办理情况报告 (.docx): the visit and every request with its answer; office and leadership, logged."""
    from django.utils import timezone

    from xuncha.exports import log_export
    from xuncha.models import ExportLog
    from xuncha.word import docx_response, render_docx

    from ..choices import OPEN_REQUEST_STATUSES, RequestStatus

    visit = selectors.visit_get(user=request.user, pk=pk)
    rows = list(selectors.request_list(user=request.user, visit=visit))
    today = timezone.localdate()
    context = {
        "team": visit.team,
        "level": visit.get_level_display(),
        "target": visit.target,
        "start": f"{visit.start_date:%Y-%m-%d}",
        "end": f" 至 {visit.end_date:%Y-%m-%d}" if visit.end_date else "",
        "liaison_office": visit.liaison_office,
        "contacts": visit.contacts,
        "total": len(rows),
        "confirmed": sum(r.status == RequestStatus.CONFIRMED for r in rows),
        "submitted": sum(r.status == RequestStatus.SUBMITTED for r in rows),
        "open": sum(r.status in OPEN_REQUEST_STATUSES for r in rows),
        "overdue": sum(r.status in OPEN_REQUEST_STATUSES and r.due_date < today for r in rows),
        "requests": [
            {
                "index": i,
                "kind": r.get_kind_display(),
                "title": r.title,
                "unit": r.owner_unit.name,
                "owner": r.owner.get_full_name() or r.owner.username,
                "requested": f"{r.requested_date:%Y-%m-%d}",
                "due": f"{r.due_date:%Y-%m-%d}",
                "status": r.get_status_display(),
                "reply": r.reply,
            }
            for i, r in enumerate(rows, start=1)
        ],
        "issuer": visit.liaison_office,
        "date": f"{today:%Y年%m月%d日}",
    }
    filename = f"配合上级巡视办理情况报告_{visit.team}_{today:%Y%m%d}.docx"
    content = render_docx("upper_report", context)
    log_export(
        user=request.user,
        kind="upper_report",
        filename=filename,
        action=ExportLog.Action.DOCUMENT,
        confidential=True,
        object_repr=str(visit),
        filters={"id": visit.pk},
        row_count=len(rows),
    )
    return docx_response(content, filename)
