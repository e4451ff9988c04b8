"""巡察信访 pages: the register, one petition, its handling, and turning it into a finding or a clue."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from xuncha.exports import export_response, log_export, wants_export
from xuncha.forms import add_service_errors, refused_as_404
from xuncha.history import history_entries
from xuncha.models import ExportLog
from xuncha.paging import paginate
from xuncha.params import parse_id
from xuncha.roles import PERM_MANAGE

from .. import petition_selectors as selectors
from .. import petition_services as services
from .. import petition_workflow as pw
from ..models import Clue, Finding
from ..petition_exports import PETITIONS
from ..petition_filtersets import PetitionFilterSet
from ..petition_forms import (
    PetitionClueForm,
    PetitionFindingForm,
    PetitionForm,
    PetitionTransitionForm,
)
from .common import pk_in


@login_required
@require_GET
def petition_list(request):
    if not selectors.reads_petitions(request.user):
        raise Http404
    filterset = PetitionFilterSet(request.GET, queryset=selectors.petition_list(user=request.user), request=request)
    form = filterset.form
    if wants_export(request):
        return export_response(request, PETITIONS, filterset=filterset)
    petitions = filterset.qs
    return render(
        request,
        "findings/petitions/list.html",
        {
            "form": form,
            "page_obj": paginate(request, petitions),
            "can_create": selectors.inspections_for_petitions(request.user).exists()
            or request.user.has_perm(PERM_MANAGE),
        },
    )


def _log_petitioner_view(request, petition):
    # Seeing who wrote a petition leaves the same trace as exporting it (保密: 查阅留痕).
    log_export(
        user=request.user,
        kind="petitioner",
        filename=str(petition),
        action=ExportLog.Action.DOWNLOAD,
        confidential=True,
        object_repr=str(petition),
        filters={"id": petition.pk},
    )


@login_required
@require_GET
def petition_detail(request, pk):
    petition = selectors.petition_get(user=request.user, pk=pk)
    roles = pw.roles_on(request.user, petition)
    shows_petitioner = pw.sees_petitioner(roles)
    if shows_petitioner and (petition.petitioner_name or petition.petitioner_contact):
        _log_petitioner_view(request, petition)
    transitions = pw.available_moves(roles, petition.status)
    return render(
        request,
        "findings/petitions/detail.html",
        {
            "petition": petition,
            "shows_petitioner": shows_petitioner,
            "can_edit": pw.can_edit(roles, petition.status),
            "can_make_finding": pw.can_make_finding(roles, petition),
            "can_make_clue": pw.can_make_clue(roles, petition),
            "transitions": transitions,
            "transition_form": PetitionTransitionForm(initial={"expected_status": petition.status}),
            "events": selectors.petition_events(petition),
            # Each link only for whom its own door lets through (a member reads the finding, not the clue).
            "finding_visible": bool(petition.finding_id)
            and Finding.objects.visible_to(request.user).filter(pk=petition.finding_id).exists(),
            "clue_visible": bool(petition.clue_id)
            and Clue.objects.visible_to(request.user).filter(pk=petition.clue_id).exists(),
            # The full history carries the petitioner: only for those who may see it.
            "history": history_entries(petition) if shows_petitioner else None,
        },
    )


@login_required
def petition_create(request):
    inspections = selectors.inspections_for_petitions(request.user)
    county_wide = request.user.has_perm(PERM_MANAGE)
    if not county_wide and not inspections.exists():
        raise Http404
    if request.method == "POST" and not pk_in(inspections, request.POST.get("inspection")):
        raise Http404
    form = PetitionForm(request.POST or None, inspections=inspections, county_wide=county_wide)
    wanted = parse_id(request.GET.get("inspection", ""))
    if request.method == "GET" and wanted is not None and inspections.filter(pk=wanted).exists():
        form.initial["inspection"] = wanted
    if request.method == "POST" and form.is_valid():
        try:
            with refused_as_404():
                petition = services.petition_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("信访件已受理登记。"))
            return redirect("findings:petition_detail", pk=petition.pk)
    return render(request, "findings/petitions/form.html", {"form": form, "petition": None})


@login_required
def petition_edit(request, pk):
    petition = selectors.petition_get(user=request.user, pk=pk)
    roles = pw.roles_on(request.user, petition)
    if not pw.sees_petitioner(roles):
        raise Http404  # the form shows the petitioner: only those who may see it edit
    if not pw.can_edit(roles, petition.status):
        messages.warning(request, _("信访件已分办，不能再修改。"))
        return redirect("findings:petition_detail", pk=petition.pk)
    form = PetitionForm(request.POST or None, instance=petition, inspections=None, county_wide=False)
    if request.method == "POST" and form.is_valid():
        try:
            with refused_as_404():
                services.petition_update(actor=request.user, petition=petition, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("信访件已保存。"))
            return redirect("findings:petition_detail", pk=petition.pk)
    return render(request, "findings/petitions/form.html", {"form": form, "petition": petition})


@login_required
@require_POST
def petition_transition(request, pk):
    petition = selectors.petition_get(user=request.user, pk=pk)
    roles = pw.roles_on(request.user, petition)
    if not roles & pw.HANDLERS:
        raise Http404
    form = PetitionTransitionForm(request.POST)
    if form.is_valid():
        try:
            with refused_as_404():
                petition = services.petition_transition(actor=request.user, petition=petition, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("信访件状态已更新为“%(s)s”。") % {"s": petition.get_status_display()})
            return redirect("findings:petition_detail", pk=petition.pk)
    for error in [*form.non_field_errors(), *(e for f in form for e in f.errors)]:
        messages.error(request, error)
    return redirect("findings:petition_detail", pk=petition.pk)


@login_required
def petition_to_finding(request, pk):
    petition = selectors.petition_get(user=request.user, pk=pk)
    if not pw.can_make_finding(pw.roles_on(request.user, petition), petition):
        raise Http404
    initial = {"title": petition.summary.splitlines()[0][:60], "description": petition.summary}
    form = PetitionFindingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            with refused_as_404():
                finding = services.petition_make_finding(actor=request.user, petition=petition, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已据信访件起草问题底稿 %(n)s。") % {"n": finding.number})
            return redirect("findings:finding_detail", pk=finding.pk)
    return render(
        request,
        "findings/petitions/convert.html",
        {"petition": petition, "form": form, "title": _("据信访件起草问题底稿")},
    )


@login_required
def petition_to_clue(request, pk):
    petition = selectors.petition_get(user=request.user, pk=pk)
    if not pw.can_make_clue(pw.roles_on(request.user, petition), petition):
        raise Http404
    initial = {"summary": petition.summary, "person_name": petition.subject_person[:40]}
    form = PetitionClueForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        people = [{"name": data["person_name"], "post": data["person_post"], "rank": ""}]
        try:
            with refused_as_404():
                clue = services.petition_make_clue(
                    actor=request.user,
                    petition=petition,
                    summary=data["summary"],
                    receiving_body=data["receiving_body"],
                    people=people,
                )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已据信访件登记问题线索，待移交。"))
            return redirect("findings:clue_detail", pk=clue.pk)
    return render(
        request,
        "findings/petitions/convert.html",
        {"petition": petition, "form": form, "title": _("据信访件登记问题线索")},
    )
