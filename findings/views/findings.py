from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from findings import exports
from rounds.models import Inspection
from xuncha.exports import export_response, wants_export
from xuncha.forms import add_service_errors, refused_as_404
from xuncha.history import history_entries
from xuncha.paging import paginate
from xuncha.submissions import create_once, resubmission_leads_to_first_result

from .. import selectors, services, workflow
from ..evidence import evidence_response
from ..filtersets import FindingFilterSet
from ..forms import EvidenceForm, FindingForm, TransitionForm
from .common import only_choice, pk_in


@login_required
@require_GET
def finding_list(request):
    if not selectors.reads_findings(request.user):
        raise Http404
    filterset = FindingFilterSet(request.GET, queryset=selectors.finding_list(user=request.user), request=request)
    if wants_export(request):
        return export_response(request, exports.FINDINGS, filterset=filterset)
    page = paginate(request, filterset.qs)
    form = filterset.form
    return render(
        request,
        "findings/finding_list.html",
        {
            "form": form,
            "page_obj": page,
            "can_create": selectors.inspections_for_drafting(request.user).exists(),
            "show_author": selectors.sees_authors(request.user),
            "awaiting": selectors.awaiting_count(user=request.user),
        },
    )


def _detail_context(request, finding, *, transition_form=None, evidence_form=None):
    roles = workflow.roles_on(request.user, finding)
    sees_work = selectors.sees_group_work(request.user, finding)
    archived = finding.inspection.is_archived  # 立卷归档: read-only, so no edit or review buttons
    can_edit = workflow.can_edit(roles, finding.review_state) and not archived
    return {
        "finding": finding,
        "archived": archived,
        "transitions": [] if archived else workflow.available_moves(roles, finding.review_state),
        "transition_form": transition_form or TransitionForm(initial={"expected_state": finding.review_state}),
        "can_edit": can_edit,
        "can_record_clue": workflow.can_record_clue(roles) and not archived,
        "evidence_form": (evidence_form or EvidenceForm()) if can_edit else None,
        "sees_work": sees_work,
        "evidence": selectors.finding_evidence(finding) if sees_work else [],
        "reviews": selectors.finding_reviews(finding) if sees_work else [],
        "history": history_entries(finding) if sees_work else [],
        "clues": finding.clues.all() if selectors.reads_clues(request.user) and sees_work else [],
    }


@login_required
@require_GET
def finding_detail(request, pk):
    finding = selectors.finding_get(user=request.user, pk=pk)
    return render(request, "findings/finding_detail.html", _detail_context(request, finding))


@login_required
@resubmission_leads_to_first_result
def finding_create(request):
    inspections = selectors.inspections_for_drafting(request.user)
    if not inspections.exists():
        raise Http404
    if request.method == "POST" and not pk_in(inspections, request.POST.get("inspection")):
        raise Http404
    initial = {"inspection": only_choice(inspections)}
    if request.GET.get("inspection") and pk_in(inspections, request.GET["inspection"]):
        initial["inspection"] = request.GET["inspection"]
    form = FindingForm(request.POST or None, request.FILES or None, inspections=inspections, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        files = data.pop("files")
        try:
            with refused_as_404():
                finding = create_once(
                    request,
                    form,
                    lambda: services.finding_create(actor=request.user, files=files, **data),
                    lambda made: reverse("findings:finding_detail", args=[made.pk]),
                )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("问题底稿 %(number)s 已保存为草稿。") % {"number": finding.number})
            return redirect("findings:finding_detail", pk=finding.pk)
    return render(request, "findings/finding_form.html", {"form": form, "finding": None})


@login_required
def finding_edit(request, pk):
    finding = selectors.finding_get(user=request.user, pk=pk)
    roles = workflow.roles_on(request.user, finding)
    if workflow.MEMBER not in roles:
        raise Http404
    if not workflow.can_edit(roles, finding.review_state):
        messages.warning(request, _("该底稿已提交审核，只有草稿（含被退回的）可以修改。"))
        return redirect("findings:finding_detail", pk=finding.pk)
    form = FindingForm(
        request.POST or None, request.FILES or None, instance=finding, inspections=Inspection.objects.none()
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        files = data.pop("files")
        try:
            with refused_as_404():
                services.finding_update(actor=request.user, finding=finding, files=files, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("问题底稿已保存。"))
            return redirect("findings:finding_detail", pk=finding.pk)
    return render(request, "findings/finding_form.html", {"form": form, "finding": finding})


@login_required
@require_POST
def finding_transition(request, pk):
    finding = selectors.finding_get(user=request.user, pk=pk)
    form = TransitionForm(request.POST)
    if form.is_valid():
        try:
            with refused_as_404():
                finding = services.finding_transition(
                    actor=request.user,
                    finding=finding,
                    to_state=form.cleaned_data["to_state"],
                    comment=form.cleaned_data["comment"],
                    expected_state=form.cleaned_data["expected_state"] or None,
                )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("问题底稿 %(number)s 已转为“%(state)s”。")
                % {"number": finding.number, "state": finding.get_review_state_display()},
            )
            return redirect("findings:finding_detail", pk=finding.pk)
    elif workflow.MEMBER not in workflow.roles_on(request.user, finding):
        raise Http404
    finding.refresh_from_db()
    return render(
        request, "findings/finding_detail.html", _detail_context(request, finding, transition_form=form), status=200
    )


@login_required
@require_POST
@resubmission_leads_to_first_result
def evidence_upload(request, pk):
    finding = selectors.finding_get(user=request.user, pk=pk)
    roles = workflow.roles_on(request.user, finding)
    if workflow.MEMBER not in roles:
        raise Http404
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            saved = create_once(
                request,
                form,
                lambda: services.evidence_add(actor=request.user, finding=finding, files=form.cleaned_data["files"]),
                lambda made: reverse("findings:finding_detail", args=[finding.pk]),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已上传 %(n)s 个佐证材料。") % {"n": len(saved)})
            return redirect("findings:finding_detail", pk=finding.pk)
    return render(request, "findings/finding_detail.html", _detail_context(request, finding, evidence_form=form))


@login_required
@require_GET
def evidence_download(request, pk):
    evidence = selectors.evidence_get(user=request.user, pk=pk)
    return evidence_response(user=request.user, evidence=evidence, kind="finding_evidence")
