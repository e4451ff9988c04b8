"""整改评估, rectification outcomes and 问责: recorded by the office; read by leadership and supervising liaisons."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rounds.models import Inspection
from xuncha.forms import add_service_errors
from xuncha.history import history_entries, stamp
from xuncha.paging import paginate
from xuncha.roles import PERM_MANAGE, require_manage

from .. import after_selectors as selectors
from ..after_filtersets import AssessmentFilterSet
from ..after_forms import (
    AccountabilityFormForm,
    AssessmentForm,
    GradeBandsForm,
    IndicatorFormSet,
    OfficialForm,
    OutcomeForm,
    ProposalDecisionForm,
)
from ..choices import GRADE_COLOURS, Grade, ProposalStatus
from ..models import AssessmentIndicator, GradeBand, LookbackProposal, RectificationTask
from ..services import assessments as services
from .common import error_text


def require_assessments(user):
    if not selectors.reads_assessments(user):
        raise Http404


@login_required
def assessment_list(request):
    require_assessments(request.user)
    filterset = AssessmentFilterSet(request.GET, queryset=selectors.assessment_list(user=request.user), request=request)
    rows = filterset.qs
    return render(
        request,
        "rectification/assessment_list.html",
        {
            "form": filterset.form,
            "page": paginate(request, rows),
            "awaiting": selectors.awaiting_assessment(user=request.user)[:20],
            "is_office": request.user.has_perm(PERM_MANAGE),
            "colours": GRADE_COLOURS,
        },
    )


@login_required
def assessment_create(request, inspection_pk):
    require_manage(request.user)
    inspection = get_object_or_404(
        Inspection.objects.select_related("round", "unit", "feedback"),
        pk=inspection_pk,
        feedback__isnull=False,
        assessment__isnull=True,
    )
    indicators = AssessmentIndicator.objects.filter(is_active=True)
    form = AssessmentForm(
        request.POST or None,
        request.FILES or None,
        indicators=indicators,
        initial={"assessed_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.assessment_record(
                actor=request.user,
                inspection=inspection,
                assessed_on=form.cleaned_data["assessed_on"],
                scores=form.scores(),
                evidence=form.cleaned_data["evidence"],
                files=form.cleaned_data["files"],
                talk=form.talk(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("已登记整改评估：%(score)s 分，%(grade)s。")
                % {"score": assessment.score, "grade": assessment.get_grade_display()},
            )
            return redirect("rectification:assessment_detail", pk=assessment.pk)
    return render(request, "rectification/assessment_form.html", {"form": form, "inspection": inspection})


@login_required
def assessment_detail(request, pk):
    require_assessments(request.user)
    assessment = selectors.assessment_get(user=request.user, pk=pk)
    proposal = LookbackProposal.objects.filter(assessment=assessment).select_related("decided_by").first()
    return render(
        request,
        "rectification/assessment_detail.html",
        {
            "a": assessment,
            "scores": assessment.scores.select_related("indicator"),
            "files": assessment.files.all(),
            "proposal": proposal,
            "talks": assessment.accountabilities.all(),
            "is_office": request.user.has_perm(PERM_MANAGE),
            "decision_form": ProposalDecisionForm(),
            "colours": GRADE_COLOURS,
            "history": history_entries(assessment),
            "ProposalStatus": ProposalStatus,
        },
    )


@login_required
@require_POST
def proposal_decide(request, pk):
    require_manage(request.user)
    proposal = get_object_or_404(LookbackProposal, pk=pk)
    form = ProposalDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("无效的操作，请刷新页面后重试。"))
    else:
        try:
            services.lookback_decide(actor=request.user, proposal=proposal, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, _("已处理回头看建议。"))
    return redirect("rectification:assessment_detail", pk=proposal.assessment_id)


@login_required
def assessment_file_download(request, pk):
    require_assessments(request.user)
    stored = selectors.assessment_file_get(user=request.user, pk=pk)
    try:
        handle = stored.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=stored.original_name)


def _bands_initial():
    bands = dict(GradeBand.objects.values_list("grade", "min_score"))
    return {"excellent": bands.get(Grade.EXCELLENT), "pass_": bands.get(Grade.PASS), "basic": bands.get(Grade.BASIC)}


@login_required
def assessment_settings(request):
    """The office configures the indicators (and their weights) and the grade thresholds."""
    require_manage(request.user)
    formset = IndicatorFormSet(request.POST or None, queryset=AssessmentIndicator.objects.all(), prefix="ind")
    bands = GradeBandsForm(request.POST or None, initial=_bands_initial(), prefix="band")
    if request.method == "POST" and formset.is_valid() and bands.is_valid():
        with transaction.atomic():
            for obj in formset.save(commit=False):
                stamp(obj, actor=request.user, reason=_("设置评估指标"))
                obj.save()
            for grade, field in ((Grade.EXCELLENT, "excellent"), (Grade.PASS, "pass_"), (Grade.BASIC, "basic")):
                band, _created = GradeBand.objects.get_or_create(grade=grade, defaults={"min_score": 0})
                if band.min_score != bands.cleaned_data[field]:
                    band.min_score = bands.cleaned_data[field]
                    stamp(band, actor=request.user, reason=_("设置评估等次"))
                    band.save()
        messages.success(request, _("评估指标与等次已保存。"))
        return redirect("rectification:assessment_settings")
    return render(request, "rectification/assessment_settings.html", {"formset": formset, "bands": bands})


# --- outcomes, accountability and officials of one inspection -----------------------------------


def _forms(inspection, data=None, which=None):
    tasks = RectificationTask.objects.filter(finding__inspection=inspection)
    officials = inspection.officials.all()
    return {
        "outcome_form": OutcomeForm(data if which == "outcome" else None, tasks=tasks),
        "accountability_form": AccountabilityFormForm(
            data if which == "accountability" else None, tasks=tasks, officials=officials
        ),
        "official_form": OfficialForm(data if which == "official" else None),
    }


def _results_page(request, inspection, forms=None, status=200):
    context = {
        "inspection": inspection,
        "officials": inspection.officials.all(),
        "outcomes": inspection.rectification_outcomes.select_related("task"),
        "accountabilities": inspection.accountabilities.select_related("task", "official"),
        "assessment": getattr(inspection, "assessment", None),
        "is_office": request.user.has_perm(PERM_MANAGE),
        **(forms or _forms(inspection)),
    }
    return render(request, "rectification/inspection_outcomes.html", context, status=status)


@login_required
def inspection_outcomes(request, inspection_pk):
    require_assessments(request.user)
    return _results_page(request, selectors.inspection_for_results(user=request.user, pk=inspection_pk))


@login_required
@require_POST
def inspection_outcome_add(request, inspection_pk, which):
    require_manage(request.user)
    inspection = selectors.inspection_for_results(user=request.user, pk=inspection_pk)
    if which not in ("outcome", "accountability", "official"):
        raise Http404
    forms = _forms(inspection, request.POST, which)
    form = forms[f"{which}_form"]
    if form.is_valid():
        data = form.cleaned_data
        record = {
            "outcome": services.outcome_record,
            "accountability": services.accountability_record,
            "official": services.official_add,
        }[which]
        try:
            record(actor=request.user, inspection=inspection, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已登记。"))
            return redirect("rectification:inspection_outcomes", inspection_pk=inspection.pk)
    return _results_page(request, inspection, forms=forms, status=400)


# --- supervising liaisons (纪委监委/组织部 日常监督): given and narrowed by the office -----------------


@login_required
def supervisor_list(request, pk=None):
    """The supervising liaisons, and a form to add one or change the units one supervises."""
    require_manage(request.user)
    from ..after_forms import SupervisorForm
    from ..models import SupervisingLiaison

    instance = get_object_or_404(SupervisingLiaison, pk=pk) if pk else None
    form = SupervisorForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.supervisor_save(
                actor=request.user,
                user=instance.user if instance else data["user"],
                body=data["body"],
                all_units=data["all_units"],
                units=data["units"],
                supervisor=instance,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("日常监督对接人已保存。"))
            return redirect("rectification:supervisor_list")
    rows = SupervisingLiaison.objects.select_related("user").prefetch_related("units").order_by("body", "pk")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "rectification/supervisor_list.html", {"rows": rows, "form": form, "editing": instance}, status=status
    )
