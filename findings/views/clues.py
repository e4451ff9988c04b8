from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from findings import exports
from findings.models import Clue, Finding
from xuncha.exports import export_response, wants_export
from xuncha.forms import add_service_errors, refused_as_404
from xuncha.history import history_entries
from xuncha.paging import paginate
from xuncha.params import parse_id
from xuncha.submissions import create_once, resubmission_leads_to_first_result

from .. import selectors, services, workflow
from ..filtersets import ClueFilterSet
from ..forms import ClueDispositionForm, ClueForm, CluePersonFormSet, ClueTransferForm
from .common import only_choice, pk_in

LEADS = workflow.CLUE_KEEPERS


@login_required
@require_GET
def clue_list(request):
    if not selectors.reads_clues(request.user):
        raise Http404
    filterset = ClueFilterSet(request.GET, queryset=selectors.clue_list(user=request.user), request=request)
    if wants_export(request):
        return export_response(request, exports.CLUES, filterset=filterset)
    page = paginate(request, filterset.qs)
    form = filterset.form
    return render(
        request,
        "findings/clue_list.html",
        {
            "form": form,
            "page_obj": page,
            "can_create": selectors.inspections_for_clues(request.user).exists(),
            "overdue_count": selectors.overdue_clue_count(user=request.user),
        },
    )


@login_required
@require_GET
def clue_detail(request, pk):
    clue = selectors.clue_get(user=request.user, pk=pk)
    roles = workflow.clue_roles(request.user, clue)
    finding_visible = bool(clue.finding_id) and Finding.objects.visible_to(request.user).filter(pk=clue.finding_id)
    return render(
        request,
        "findings/clue_detail.html",
        {
            "clue": clue,
            "people": clue.people.order_by("pk"),
            # 立卷归档: an archived inspection's clues are read-only (the services refuse too).
            "can_edit": workflow.clue_can_edit(roles, clue.status) and not clue.inspection.is_archived,
            "can_transfer": workflow.clue_can_transfer(roles, clue.status) and not clue.inspection.is_archived,
            "can_record": workflow.clue_can_record(roles, clue.status) and not clue.inspection.is_archived,
            "finding_visible": bool(finding_visible and finding_visible.exists()),
            "history": history_entries(clue),
        },
    )


def _people_rows(formset) -> list[dict]:
    return [form.cleaned_data for form in formset.forms if form.cleaned_data]


def _clue_form(request, *, clue=None):
    inspections = selectors.inspections_for_clues(request.user)
    findings = Finding.objects.filter(inspection__in=inspections.values("pk")).order_by("inspection_id", "seq")
    instance = clue or Clue()
    form = ClueForm(request.POST or None, instance=instance, inspections=inspections, findings=findings)
    if clue is None:
        form.initial["inspection"] = only_choice(inspections)
        if request.GET.get("inspection") and pk_in(inspections, request.GET["inspection"]):
            form.initial["inspection"] = request.GET["inspection"]
        finding_pk = parse_id(request.GET.get("finding"))
        related = findings.filter(pk=finding_pk).first() if finding_pk else None
        if related is not None:  # "据此登记线索" from a finding's page
            form.initial.update(inspection=related.inspection_id, finding=related.pk)
    formset = CluePersonFormSet(request.POST or None, instance=instance, prefix="people")
    return inspections, form, formset


@login_required
@resubmission_leads_to_first_result
def clue_create(request):
    inspections, form, formset = _clue_form(request)
    if not inspections.exists():
        raise Http404
    if request.method == "POST" and not pk_in(inspections, request.POST.get("inspection")):
        raise Http404
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            with refused_as_404():
                clue = create_once(
                    request,
                    form,
                    lambda: services.clue_create(actor=request.user, people=_people_rows(formset), **form.cleaned_data),
                    lambda made: reverse("findings:clue_detail", args=[made.pk]),
                )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("问题线索已登记，待移交。"))
            return redirect("findings:clue_detail", pk=clue.pk)
    return render(request, "findings/clue_form.html", {"form": form, "formset": formset, "clue": None})


@login_required
def clue_edit(request, pk):
    clue = selectors.clue_get(user=request.user, pk=pk)
    roles = workflow.clue_roles(request.user, clue)
    if not roles & LEADS:
        raise Http404
    if not workflow.clue_can_edit(roles, clue.status):
        messages.warning(request, _("线索已移交，不能再修改。"))
        return redirect("findings:clue_detail", pk=clue.pk)
    _inspections, form, formset = _clue_form(request, clue=clue)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "inspection"}
        try:
            with refused_as_404():
                services.clue_update(actor=request.user, clue=clue, people=_people_rows(formset), **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("问题线索已保存。"))
            return redirect("findings:clue_detail", pk=clue.pk)
    return render(request, "findings/clue_form.html", {"form": form, "formset": formset, "clue": clue})


@login_required
def clue_transfer(request, pk):
    clue = selectors.clue_get(user=request.user, pk=pk)
    roles = workflow.clue_roles(request.user, clue)
    if not roles & LEADS:
        raise Http404
    if not workflow.clue_can_transfer(roles, clue.status):
        messages.warning(request, _("该线索已移交。"))
        return redirect("findings:clue_detail", pk=clue.pk)
    initial = {
        "receiving_body": clue.receiving_body,
        "receiving_body_other": clue.receiving_body_other,
        "transfer_date": timezone.localdate(),
        "expected_status": clue.status,
    }
    form = ClueTransferForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            with refused_as_404():
                clue = services.clue_transfer(actor=request.user, clue=clue, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("线索已移交%(body)s，反馈期限 %(due)s。")
                % {"body": clue.receiving_body_label, "due": clue.feedback_due_date.isoformat()},
            )
            return redirect("findings:clue_detail", pk=clue.pk)
    return render(
        request,
        "findings/clue_action.html",
        {"clue": clue, "form": form, "title": _("移交问题线索"), "submit": _("确认移交"), "confirm": True},
    )


@login_required
def clue_disposition(request, pk):
    clue = selectors.clue_get(user=request.user, pk=pk)
    roles = workflow.clue_roles(request.user, clue)
    if not workflow.clue_can_record(roles, clue.status):
        raise Http404
    initial = {
        "disposition": clue.disposition,
        "outcome": clue.outcome,
        "outcome_detail": clue.outcome_detail,
        "answered_date": clue.answered_date,
        "expected_status": clue.status,
    }
    form = ClueDispositionForm(request.POST or None, initial=initial, clue=clue)
    if request.method == "POST" and form.is_valid():
        try:
            with refused_as_404():
                clue = services.clue_record_disposition(actor=request.user, clue=clue, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("线索处置情况已登记。"))
            return redirect("findings:clue_detail", pk=clue.pk)
    return render(
        request,
        "findings/clue_action.html",
        {"clue": clue, "form": form, "title": _("登记处置情况"), "submit": _("保存"), "confirm": False},
    )
