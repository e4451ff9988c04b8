"""巡察报告 and 综合报告 pages: read, edit, move through the review, download as Word."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from rounds import selectors as round_selectors
from rounds.models import InspectionGroup
from xuncha.forms import add_service_errors, refused_as_404
from xuncha.history import history_entries
from xuncha.paging import paginate

from .. import report_selectors as sel
from .. import report_services as services
from .. import report_workflow as wf
from ..choices import ReviewState
from ..models import FindingCategory
from ..report_forms import CommonProblemForm, ReportForm, ReportTransitionForm, RoundReportForm, RoundTransitionForm


@login_required
@require_GET
def report_list(request):
    """Every report the user may read, with the round's 综合报告 for office and leadership."""
    reports = sel.report_list(user=request.user)
    overseer = bool(wf.overseer_roles(request.user))
    if not overseer and not InspectionGroup.objects.led_by(request.user).exists():
        raise Http404  # members and liaisons read no reports
    page = paginate(request, reports)
    return render(request, "findings/reports/report_list.html", {"page": page, "overseer": overseer})


def _report_page(request, report, *, form=None, status=200):
    roles = wf.roles_on(request.user, report.inspection)
    return render(
        request,
        "findings/reports/report_detail.html",
        {
            "report": report,
            "inspection": report.inspection,
            "facts": sel.report_facts(user=request.user, inspection=report.inspection),
            "steps": sel.report_steps(report),
            "transitions": wf.available_moves(roles, report.state),
            "transition_form": form or ReportTransitionForm(initial={"expected_state": report.state}),
            "can_edit": wf.can_edit(roles, report.state),
            "overseer": bool(roles & {wf.OFFICE, wf.LEADERSHIP}),
            "history": history_entries(report),
        },
        status=status,
    )


@login_required
@require_GET
def report_detail(request, pk):
    return _report_page(request, sel.report_get(user=request.user, pk=pk))


@login_required
@require_POST
def report_create(request, inspection_id):
    inspection = round_selectors.inspection_get(user=request.user, pk=inspection_id)
    try:
        with refused_as_404():
            report = services.report_create(actor=request.user, inspection=inspection)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("rounds:inspection_detail", inspection.pk)
    messages.success(request, _("已根据本组已报告的问题底稿生成巡察报告初稿。"))
    return redirect("findings:report_detail", pk=report.pk)


@login_required
def report_edit(request, pk):
    report = sel.report_get(user=request.user, pk=pk)
    roles = wf.roles_on(request.user, report.inspection)
    if not roles & wf.EDITORS:
        raise Http404
    if not wf.can_edit(roles, report.state):
        messages.warning(request, _("报告已提交审议，只有草稿（含被退回的）可以修改。"))
        return redirect("findings:report_detail", pk=report.pk)
    form = ReportForm(request.POST or None, instance=report, initial={"expected_state": report.state})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        expected = data.pop("expected_state") or None
        try:
            with refused_as_404():
                if "regenerate" in request.POST:
                    services.report_regenerate(actor=request.user, report=report, expected_state=expected)
                else:
                    services.report_update(actor=request.user, report=report, expected_state=expected, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("巡察报告已保存。"))
            return redirect("findings:report_detail", pk=report.pk)
    return render(request, "findings/reports/report_form.html", {"form": form, "report": report})


@login_required
@require_POST
def report_transition(request, pk):
    report = sel.report_get(user=request.user, pk=pk)
    form = ReportTransitionForm(request.POST)
    if form.is_valid():
        try:
            with refused_as_404():
                report = services.report_transition(
                    actor=request.user,
                    report=report,
                    to_state=form.cleaned_data["to_state"],
                    meeting_date=form.cleaned_data["meeting_date"],
                    comment=form.cleaned_data["comment"],
                    expected_state=form.cleaned_data["expected_state"] or None,
                )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("巡察报告已转为“%(state)s”。") % {"state": report.get_state_display()})
            return redirect("findings:report_detail", pk=report.pk)
    elif not wf.roles_on(request.user, report.inspection):
        raise Http404
    report.refresh_from_db()
    return _report_page(request, report, form=form)


# --- The round's 综合报告 -----------------------------------------------------------------------
def _round_categories(round_):
    """The categories the office may mark: those of the round's reported findings."""
    return FindingCategory.objects.filter(
        findings__inspection__round=round_, findings__review_state=ReviewState.REPORTED
    ).distinct()


def _round_page(request, round_, *, form=None, common_form=None, transition_form=None, status=200):
    report = sel.round_report_of(round_)
    roles = frozenset(wf.overseer_roles(request.user))
    state = report.state if report else wf.R.DRAFT
    editable = wf.round_can_edit(roles, state)
    return render(
        request,
        "findings/reports/round_report.html",
        {
            "round": round_,
            "report": report,
            "state": wf.R(state),
            "inspections": sel.round_inspections(round_),
            "facts": sel.round_facts(round_=round_, report=report),
            "editable": editable,
            "form": form or (RoundReportForm(instance=report) if editable else None),
            "common_form": common_form
            or (CommonProblemForm(categories=_round_categories(round_)) if editable else None),
            "transitions": wf.round_available_moves(roles, state),
            "transition_form": transition_form or RoundTransitionForm(initial={"expected_state": state}),
            "history": history_entries(report) if report else [],
        },
        status=status,
    )


@login_required
@require_GET
def round_report(request, round_id):
    return _round_page(request, sel.round_get(user=request.user, pk=round_id))


def _office_only(request):
    if wf.OFFICE not in wf.overseer_roles(request.user):
        raise Http404


@login_required
@require_POST
def round_report_edit(request, round_id):
    round_ = sel.round_get(user=request.user, pk=round_id)
    _office_only(request)
    form = RoundReportForm(request.POST)
    if form.is_valid():
        try:
            services.round_report_update(actor=request.user, round_=round_, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("综合报告已保存。"))
            return redirect("findings:round_report", round_id=round_.pk)
    return _round_page(request, round_, form=form)


@login_required
@require_POST
def round_report_common(request, round_id):
    round_ = sel.round_get(user=request.user, pk=round_id)
    _office_only(request)
    form = CommonProblemForm(request.POST, categories=_round_categories(round_))
    if form.is_valid():
        data = form.cleaned_data
        try:
            if data["remove"]:
                services.round_report_unmark_common(actor=request.user, round_=round_, category=data["category"])
            else:
                services.round_report_mark_common(
                    actor=request.user, round_=round_, category=data["category"], note=data["note"]
                )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("普遍性问题已更新。"))
            return redirect("findings:round_report", round_id=round_.pk)
    return _round_page(request, round_, common_form=form)


@login_required
@require_POST
def round_report_transition(request, round_id):
    round_ = sel.round_get(user=request.user, pk=round_id)
    form = RoundTransitionForm(request.POST)
    if form.is_valid():
        try:
            with refused_as_404():
                report = services.round_report_transition(
                    actor=request.user,
                    round_=round_,
                    to_state=form.cleaned_data["to_state"],
                    comment=form.cleaned_data["comment"],
                    expected_state=form.cleaned_data["expected_state"] or None,
                )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("综合报告已转为“%(state)s”。") % {"state": report.get_state_display()})
            return redirect("findings:round_report", round_id=round_.pk)
    return _round_page(request, round_, transition_form=form)
