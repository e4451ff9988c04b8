"""Reads for the pages after the feedback (documents, assessments, outcomes): each starts from `visible_to`."""

from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404

from xuncha.roles import Role, roles_of, sees_everything

from .after_models import timeliness_expression
from .choices import DocumentKind, Timeliness
from .models import Assessment, DocumentFile, Feedback, UnitDocument

# Who has the unit documents at all (the ledger's readers and the supervising liaisons); others get 404.
DOCUMENT_READERS = frozenset(
    {
        Role.OFFICE,
        Role.LEADERSHIP,
        Role.GROUP_LEADER,
        Role.GROUP_MEMBER,
        Role.UNIT_LIAISON,
        Role.SUPERVISING_LIAISON,
    }
)
# Assessments, outcomes and accountability: the office, leadership and the supervising liaisons.
ASSESSMENT_READERS = frozenset({Role.OFFICE, Role.LEADERSHIP, Role.SUPERVISING_LIAISON})


def reads_documents(user) -> bool:
    return bool(roles_of(user) & DOCUMENT_READERS)


def reads_assessments(user) -> bool:
    return sees_everything(user) or bool(roles_of(user) & ASSESSMENT_READERS)


def documents_annotated(qs, today):
    return qs.annotate(timeliness_value=timeliness_expression(today))


def feedback_documents(*, user, today):
    """Feedbacks (one per inspection) whose documents the user may see, each with its documents annotated
    on time / late / missing — the per-inspection table of the ledger and the dashboard. Its list filters
    through after_filtersets.DocumentFilterSet."""
    docs = documents_annotated(UnitDocument.objects.visible_to(user), today).order_by("kind")
    feedbacks = Feedback.objects.filter(pk__in=docs.values("feedback")).select_related(
        "inspection__round", "inspection__unit", "inspection__group"
    )
    return feedbacks.prefetch_related(Prefetch("documents", queryset=docs, to_attr="docs")).order_by("-date", "-pk")


def with_documents(feedbacks, today, *, timeliness="", kind=""):
    """The feedbacks with a document that is both of the `kind` and `timeliness` asked (either may be empty)."""
    if not (timeliness or kind):
        return feedbacks
    wanted = documents_annotated(UnitDocument.objects.all(), today)
    if timeliness:
        wanted = wanted.filter(timeliness_value=timeliness)
    if kind:
        wanted = wanted.filter(kind=kind)
    return feedbacks.filter(pk__in=wanted.values("feedback"))


def document_counts(*, user, today) -> dict:
    """{kind: {timeliness: n}} over the documents the user may see: the dashboard's card."""
    rows = (
        documents_annotated(UnitDocument.objects.visible_to(user), today)
        .values("kind", "timeliness_value")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = {kind: dict.fromkeys(Timeliness.values, 0) for kind in DocumentKind.values}
    for row in rows:
        counts[row["kind"]][row["timeliness_value"]] = row["n"]
    return counts


def document_get(*, user, pk) -> UnitDocument:
    return get_object_or_404(
        UnitDocument.objects.visible_to(user).select_related(
            "feedback", "inspection__round", "inspection__group", "unit"
        ),
        pk=pk,
    )


def feedback_get(*, user, pk) -> Feedback:
    return get_object_or_404(
        Feedback.objects.visible_to(user).select_related("inspection__round", "inspection__group", "inspection__unit"),
        pk=pk,
    )


def document_file_get(*, user, pk) -> DocumentFile:
    visible = UnitDocument.objects.visible_to(user).values("pk")
    return get_object_or_404(DocumentFile.objects.filter(submission__document__in=visible), pk=pk)


def assessment_list(*, user):
    """The assessments the user may see; the list filters through after_filtersets.AssessmentFilterSet."""
    qs = Assessment.objects.visible_to(user).select_related("inspection__round", "unit", "assessor")
    qs = qs.select_related("lookback_proposal")
    return qs.order_by("-assessed_on", "-pk")


def assessment_get(*, user, pk) -> Assessment:
    return get_object_or_404(
        Assessment.objects.visible_to(user).select_related("inspection__round", "unit", "assessor"), pk=pk
    )


def document_summary(*, user, today, recent: int = 10) -> dict:
    """The documents' figures for the dashboard and the ledger: counts by kind and timeliness, recent feedbacks."""
    counts = document_counts(user=user, today=today)
    return {
        "timeliness_choices": Timeliness.choices,
        "document_counts": [
            (kind, label, [(value, counts[kind][value]) for value in Timeliness.values])
            for kind, label in DocumentKind.choices
        ],
        "recent_feedbacks": list(feedback_documents(user=user, today=today)[:recent]) if recent else [],
    }


def inspection_for_results(*, user, pk):
    """An inspection whose assessment, outcomes and accountability the user may read (404 outside)."""
    from rounds.models import Inspection

    from .scopes import supervised_q

    qs = Inspection.objects.select_related("round", "group", "unit")
    if not sees_everything(user):
        supervised = supervised_q(user, "unit")
        qs = qs.filter(supervised) if supervised is not None else qs.none()
    return get_object_or_404(qs.filter(feedback__isnull=False), pk=pk)


def awaiting_assessment(*, user):
    """Inspections fed back and not yet assessed, by their assessment due date (the office's to-do)."""
    from rounds.models import Inspection

    if not sees_everything(user):
        return Inspection.objects.none()
    return (
        Inspection.objects.filter(feedback__isnull=False, assessment__isnull=True)
        .select_related("round", "unit", "feedback")
        .order_by("feedback__assessment_due", "pk")
    )


def assessment_file_get(*, user, pk):
    from .models import AssessmentFile

    visible = Assessment.objects.visible_to(user).values("pk")
    return get_object_or_404(AssessmentFile.objects.filter(assessment__in=visible), pk=pk)
