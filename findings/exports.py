"""Export specs for findings and clues: confidential, so every export is logged as such."""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from xuncha.exports import Column, ExportSpec
from xuncha.people import full_name

from .choices import ReceivingBody
from .filtersets import ClueFilterSet, FindingFilterSet
from .models import Clue, CluePerson, Finding
from .selectors import reads_clues, reads_findings, sees_authors


def _finding_joins(qs):
    return qs.select_related("inspection__round", "inspection__group", "inspection__unit", "category__parent", "author")


def findings_queryset(user):
    return _finding_joins(Finding.objects.visible_to(user))


def _person_name(user):
    return full_name(user)


FINDINGS = ExportSpec(
    kind="findings",
    title=_("问题底稿"),
    columns=(
        Column(_("问题编号"), "number", 12),
        Column(_("轮次"), "inspection.round", 18),
        Column(_("巡察组"), "inspection.group.name", 12),
        Column(_("被巡察单位"), "inspection.unit.name", 24),
        Column(_("问题类别"), "category", 26, "wrap"),
        Column(_("问题标题"), "title", 36, "wrap"),
        Column(_("问题描述"), "description", 50, "wrap"),
        Column(_("问题来源"), "get_source_display", 10),
        Column(_("涉及关键少数"), "key_minority", 8),
        Column(_("立行立改"), "immediate", 8),
        Column(_("审核状态"), "get_review_state_display", 12),
        Column(_("起草人"), lambda f: _person_name(f.author), 10, shown_to=sees_authors),
        Column(_("起草日期"), "created_at", 12, "date"),
    ),
    base=findings_queryset,
    allowed=reads_findings,  # the list page's own gate
    filterset=FindingFilterSet,
    order_by=("-inspection__round__year", "-inspection__round__number", "inspection_id", "seq"),
    confidential=True,
    prepare=_finding_joins,
)


def _clue_joins(qs):
    return qs.select_related("inspection__round", "inspection__group", "inspection__unit").prefetch_related(
        Prefetch("people", queryset=CluePerson.objects.order_by("pk"))
    )


def clues_queryset(user):
    return _clue_joins(Clue.objects.visible_to(user))


def _people(clue):
    parts = []
    for p in clue.people.all():
        detail = "，".join(x for x in (p.post, p.rank) if x)
        parts.append(f"{p.name}（{detail}）" if detail else p.name)
    return "、".join(parts)


def _body(clue):
    if clue.receiving_body == ReceivingBody.OTHER and clue.receiving_body_other:
        return clue.receiving_body_other
    return clue.get_receiving_body_display()


CLUES = ExportSpec(
    kind="clues",
    title=_("问题线索"),
    columns=(
        Column(_("序号"), "pk", 7, "seq"),
        Column(_("轮次"), "inspection.round", 18),
        Column(_("巡察组"), "inspection.group.name", 12),
        Column(_("被巡察单位"), "inspection.unit.name", 24),
        Column(_("线索摘要"), "summary", 44, "wrap"),
        Column(_("涉及人员"), _people, 26, "wrap"),
        Column(_("移交单位"), _body, 14),
        Column(_("状态"), "get_status_display", 10),
        Column(_("移交日期"), "transfer_date", 12, "date"),
        Column(_("移交函号"), "letter_number", 18),
        Column(_("反馈期限"), "feedback_due_date", 12, "date"),
        Column(_("处置方式"), "get_disposition_display", 12),
        Column(_("处理结果"), "get_outcome_display", 14),
        Column(_("反馈日期"), "answered_date", 12, "date"),
    ),
    base=clues_queryset,
    # Members, unit liaisons and people without a role have no clue page: they get 404, not an empty file.
    allowed=reads_clues,
    filterset=ClueFilterSet,
    order_by=("-created_at", "-pk"),
    confidential=True,
    prepare=_clue_joins,
)
