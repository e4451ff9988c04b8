"""巡察任务 pages: the group's own list, one inspection's page, stage moves and activity counters."""

import tempfile

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rounds import exports
from xuncha.exports import export_response, log_export, wants_export
from xuncha.exports.engine import mark_download
from xuncha.models import ExportAction
from xuncha.paging import paginate
from xuncha.roles import require_manage, require_oversight, sees_everything

from .. import selectors, services, workflow
from ..archive import build_archive
from ..choices import Stage
from ..filtersets import InspectionFilterSet
from ..forms import AdvanceForm, CountersForm
from ..models import Inspection, InspectionGroup
from .common import call_service, can_manage, history_of

ARCHIVE_IN_MEMORY = 32 * 1024 * 1024


@login_required
def my_inspections(request):
    """A member's group work; for office and leadership, every inspection. Others have no such page (404)."""
    overseer = sees_everything(request.user)
    groups = InspectionGroup.objects.visible_to(request.user)
    if not overseer and not groups.exists():
        raise Http404
    filterset = InspectionFilterSet(request.GET, queryset=selectors.inspection_list(user=request.user), request=request)
    filters = filterset.form
    if wants_export(request):
        return export_response(request, exports.INSPECTIONS, filterset=filterset)
    page = paginate(request, filterset.qs)
    workable = selectors.workable_group_ids(request.user)
    registered = set(
        Inspection.petition_register.rel.related_model.objects.filter(inspection__in=list(page)).values_list(
            "inspection_id", flat=True
        )
    )
    for inspection in page:
        inspection.registered_petitions = inspection.pk in registered
        inspection.editable = workable is None or inspection.group_id in workable
        if inspection.editable:
            inspection.counters_form = _counters_form(inspection)
    return render(
        request,
        "rounds/my_inspections.html",
        {"filters": filters, "page": page, "overseer": overseer},
    )


def _counters_form(inspection):
    return CountersForm(initial={f: getattr(inspection, f) for f in services.COUNTER_FIELDS}, inspection=inspection)


def _inspection_context(request, inspection, *, counters_form=None):
    from rectification.models import Feedback  # rectification sits above rounds: read its feedback here

    editable = services.may_work_on(request.user, inspection) and not inspection.is_archived
    office = can_manage(request.user)
    roles = workflow.roles_on(request.user, inspection)
    return {
        "inspection": inspection,
        "stages": [(s, s <= inspection.stage) for s in Stage],
        "members": selectors.group_memberships(inspection.group),
        "editable": editable,
        "is_office": office,
        "can_archive": office and inspection.stage == Stage.ARCHIVED and not inspection.is_archived,
        "can_give_feedback": office and inspection.stage == Stage.FEEDBACK,
        "counters_form": counters_form or (_counters_form(inspection) if editable else None),
        "moves": [to for to, _rule in workflow.available_moves(roles, inspection.stage)],
        "today": timezone.localdate(),
        **selectors.inspection_workspace(user=request.user, inspection=inspection),
        **history_of(inspection, related=[(_("巡察反馈"), Feedback.history.filter(inspection_id=inspection.pk))]),
    }


@login_required
def inspection_detail(request, pk):
    inspection = selectors.inspection_get(user=request.user, pk=pk)
    return render(request, "rounds/inspection_detail.html", _inspection_context(request, inspection))


@login_required
@require_POST
def inspection_advance(request, pk):
    inspection = selectors.inspection_get(user=request.user, pk=pk)
    # Only those who move some stage of this inspection reach the workflow; others get the 404 of the unseen.
    if not workflow.roles_on(request.user, inspection):
        raise Http404
    form = AdvanceForm(request.POST)
    if form.is_valid():
        moved = call_service(  # a refused step says why: the page shows every stage to those who move some
            form,
            services.inspection_advance,
            explained=True,
            actor=request.user,
            inspection=inspection,
            **form.cleaned_data,
        )
        if moved:
            messages.success(
                request,
                _("%(unit)s 已进入“%(stage)s”阶段。") % {"unit": moved.unit.name, "stage": moved.get_stage_display()},
            )
            return redirect("rounds:inspection_detail", inspection.pk)
    messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("rounds:inspection_detail", inspection.pk)


@login_required
@require_POST
def inspection_counters(request, pk):
    inspection = selectors.inspection_get(user=request.user, pk=pk)
    if not services.may_work_on(request.user, inspection):
        raise Http404  # leadership reads only; nobody else sees the inspection at all
    form = CountersForm(request.POST, initial={"petitions": inspection.petitions}, inspection=inspection)
    saved = form.is_valid() and call_service(
        form, services.inspection_update_counters, actor=request.user, inspection=inspection, **form.cleaned_data
    )
    if request.htmx:
        return render(
            request,
            "rounds/partials/counters_form.html",
            {"inspection": inspection, "form": _counters_form(saved) if saved else form, "saved": bool(saved)},
        )
    if saved:
        messages.success(request, _("已更新%(unit)s的工作量统计。") % {"unit": inspection.unit.name})
        return redirect("rounds:inspection_detail", inspection.pk)
    return render(
        request, "rounds/inspection_detail.html", _inspection_context(request, inspection, counters_form=form)
    )


@login_required
@require_POST
def inspection_archive(request, pk):
    require_manage(request.user)
    inspection = selectors.inspection_get(user=request.user, pk=pk)
    try:
        services.inspection_archive(actor=request.user, inspection=inspection)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(unit)s 的巡察任务已立卷归档。") % {"unit": inspection.unit.name})
    return redirect("rounds:inspection_detail", inspection.pk)


@login_required
def inspection_archive_download(request, pk):
    """The archived inspection as one zip with its index: office and leadership only, logged, never cached."""
    require_oversight(request.user)
    inspection = selectors.inspection_get(user=request.user, pk=pk)
    if not inspection.is_archived:
        raise Http404
    # Spooled: a small archive stays in memory, a large one (many evidence files) goes to a temporary file.
    out = tempfile.SpooledTemporaryFile(max_size=ARCHIVE_IN_MEMORY)
    files = build_archive(inspection, out)
    out.seek(0)
    filename = f"巡察档案_{inspection.unit.name}_{inspection.round.year}第{inspection.round.number}轮.zip"
    log_export(
        user=request.user,
        kind="inspection_archive",
        filename=filename,
        action=ExportAction.DOWNLOAD,
        confidential=True,
        object_repr=str(inspection),
        filters={"id": inspection.pk},
        row_count=files,
    )
    response = FileResponse(out, as_attachment=True, filename=filename, content_type="application/zip")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    mark_download(request, response)
    return response
