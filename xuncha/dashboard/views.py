from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from findings.models import FindingCategory
from rounds.models import PartyUnit, Round
from xuncha.exports import export_response, wants_export
from xuncha.paging import ListPaginator, paginate
from xuncha.roles import require_oversight

from . import cache, figures
from .drilldown import DRILLDOWNS
from .selectors import Scope


def oversee_required(view):
    """Office and leadership only; everyone else is told the page does not exist (no existence leak)."""

    safe = require_safe(view)

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        require_oversight(request.user)  # before the method check: a 405 would tell outsiders the page exists
        return safe(request, *args, **kwargs)

    return wrapped


def _scope() -> Scope | None:
    today = timezone.localdate()
    plan = cache.current_plan_cached(today)
    return Scope(plan=plan, today=today) if plan else None


CHART_LABELS = {
    "coverage_by_kind": _("各类别覆盖率（%）"),
    "rate": _("覆盖率"),
    "target": _("目标"),
    "planned": _("计划巡察"),
    "covered": _("已覆盖"),
    "completion": _("整改完成率"),
    "no_data": _("暂无数据"),
}


@oversee_required
def index(request):
    scope = _scope()
    data = cache.figures_for(scope) if scope else None
    labels = {key: str(label) for key, label in CHART_LABELS.items()}
    from rectification.after_selectors import document_summary

    # The unit documents are read live (a handful of rows per feedback), outside the cached figures.
    documents = document_summary(user=request.user, today=timezone.localdate())
    return render(request, "dashboard/index.html", {"d": data, "chart_labels": labels, **documents})


@oversee_required
def data(request):
    """The dashboard's figures as JSON (documented on the page, section 数据接口)."""
    scope = _scope()
    payload = cache.figures_for(scope) if scope else {"plan": None}
    return JsonResponse(payload, json_dumps_params={"ensure_ascii": False})


@oversee_required
def drilldown(request, name):
    spec = DRILLDOWNS[name]
    scope = _scope()
    filterset = spec.filterset(request.GET, scope=scope, name=name, user=request.user)
    form = filterset.form
    # A filter that does not parse shows its error and no rows, rather than every row.
    rows = filterset.qs if scope and filterset.is_valid() else None
    if rows is not None and wants_export(request):
        # The log tells these rows from the whole list's: the dashboard's plan, then the figure's filters.
        return export_response(request, spec.export, filterset=filterset)
    page = ListPaginator([]).get_page(1) if rows is None else paginate(request, rows)
    if name == "unit_rectification":
        page.object_list = [figures.unit_row(u) for u in page.object_list]
    else:
        _label_rounds(name, page.object_list)
    return render(
        request,
        spec.template,
        {
            "title": spec.title,
            "section": spec.section,
            "form": form,
            "page_obj": page,
            "applied": _applied(form, request.GET) if form.is_valid() else [],
            "scope": scope,
        },
    )


ROUND_PATHS = {"tasks": "round", "findings": "inspection.round", "inspections": "round"}


def _label_rounds(name, rows) -> None:
    """Each row's round as text, translated once per round rather than once per row."""
    if name not in ROUND_PATHS:
        return
    labels = {}
    for row in rows:
        round_ = row
        for attr in ROUND_PATHS[name].split("."):
            round_ = getattr(round_, attr)
        if round_.pk not in labels:
            labels[round_.pk] = str(round_)
        row.round_label = labels[round_.pk]


def _applied(form, params) -> list[tuple[str, str, str]]:
    """The filters in words, so that a drill-down says what its rows are, each with the address of the
    list without it."""
    names = {
        "round": lambda pk: str(Round.objects.filter(pk=pk).first() or pk),
        "unit": lambda pk: str(PartyUnit.objects.filter(pk=pk).values_list("name", flat=True).first() or pk),
        "category": lambda pk: str(FindingCategory.objects.filter(pk=pk).first() or pk),
    }
    applied = []
    for field in form:
        value = form.cleaned_data.get(field.name)
        if value is None or value == "":
            continue
        if field.name in names:
            text = names[field.name](value)
        elif hasattr(field.field, "choices"):
            raw = "1" if value is True else "0" if value is False else str(value)
            text = str(dict((str(k), v) for k, v in field.field.choices).get(raw, value))
        else:
            text = str(value)
        without = params.copy()
        for name in (field.name, "page", "export"):
            without.pop(name, None)
        applied.append((str(field.label), text, f"?{without.urlencode()}"))
    return applied
