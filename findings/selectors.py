"""Reads for findings and clues. Each starts from `visible_to(user)`: what the user may not see does not exist."""

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone
from guardian.shortcuts import get_objects_for_user

from rounds.managers import IN_A_GROUP
from rounds.models import Inspection, InspectionGroup
from xuncha.roles import Role, identity_of, roles_of, sees_everything
from xuncha.search import any_of, contains

from . import workflow
from .choices import ReviewState
from .models import Clue, CluePerson, Evidence, Finding, FindingCategory, FindingReview

# Who has a findings list or a clues list at all; anyone else gets 404 on the list pages.
FINDING_READERS = frozenset({Role.OFFICE, Role.LEADERSHIP, Role.GROUP_LEADER, Role.GROUP_MEMBER, Role.UNIT_LIAISON})
CLUE_READERS = frozenset({Role.OFFICE, Role.LEADERSHIP, Role.GROUP_LEADER, Role.DISCIPLINE_LIAISON})


def reads_findings(user) -> bool:
    return bool(roles_of(user) & FINDING_READERS)


def reads_clues(user) -> bool:
    return bool(roles_of(user) & CLUE_READERS)


def sees_authors(user) -> bool:
    """Who drafted a finding is the group's business: overseers and group members see it; the inspected
    unit's liaison does not. The list and its export both ask this."""
    return sees_everything(user) or groups_worked_in(user).exists()


def groups_worked_in(user):
    """Groups the user is a member of (never "all" for office: office staff do not draft)."""
    if not roles_of(user) & IN_A_GROUP:
        return InspectionGroup.objects.none()
    if user.is_superuser:  # guardian gives a superuser every group
        return get_objects_for_user(user, workflow.WORK_PERM, klass=InspectionGroup, accept_global_perms=False)
    return InspectionGroup.objects.filter(pk__in=sorted(identity_of(user).work_groups))  # read with the roles


def groups_led(user):
    return InspectionGroup.objects.led_by(user)


def inspections_for_drafting(user):
    """Inspections the user may draft findings for: visible to them, of a group they are in."""
    return (
        Inspection.objects.visible_to(user)
        .filter(group__in=groups_worked_in(user).values("pk"))
        .select_related("group", "unit", "round")
    )


def inspections_for_clues(user):
    return (
        Inspection.objects.visible_to(user)
        .filter(group__in=groups_led(user).values("pk"))
        .select_related("group", "unit", "round")
    )


def finding_filter_inspections(user):
    """Inspections for the findings list's filter: every inspection the user sees, and for a unit liaison
    (who sees no group's work) the inspections of the findings fed back to their unit."""
    inspections = Inspection.objects.visible_to(user)
    if Role.UNIT_LIAISON in roles_of(user):
        inspections |= Inspection.objects.filter(pk__in=Finding.objects.visible_to(user).values("inspection_id"))
    return inspections.select_related("group", "unit", "round")


def clue_filter_inspections(user):
    """Inspections for the clues list's filter: only those with a clue the user sees."""
    clues = Clue.objects.visible_to(user).values("inspection_id")
    return Inspection.objects.filter(pk__in=clues).select_related("group", "unit", "round")


def leaf_categories():
    return FindingCategory.objects.filter(is_active=True, children__isnull=True).select_related("parent")


def category_tree() -> tuple[list, list]:
    """(top-level categories, active leaves with their parent set), in the office's order. The tree is a few
    dozen rows: one plain query, where the self-joins of leaf_categories() cost more to plan than to read."""
    categories = list(FindingCategory.objects.order_by("order", "code"))
    by_pk = {c.pk: c for c in categories}
    with_children = {c.parent_id for c in categories}
    for c in categories:
        c.parent = by_pk.get(c.parent_id)
    top = [c for c in categories if c.parent_id is None]
    return top, [c for c in categories if c.is_active and c.pk not in with_children]


def _evidence_count():
    # A correlated subquery, not a JOIN + GROUP BY: the paginator's COUNT(*) then drops it entirely.
    per_finding = Evidence.objects.filter(finding=OuterRef("pk")).order_by().values("finding").annotate(n=Count("pk"))
    return Coalesce(Subquery(per_finding.values("n")[:1]), 0)


def finding_search(qs, words: str):
    """The findings list's one search (page, export, API): title, description or number."""
    # Each arm on its own index (xuncha/search.py), combined with UNION rather than an OR that scans.
    found = Finding.objects
    return qs.filter(
        pk__in=any_of(
            found.filter(contains("title", words)),
            found.filter(contains("description", words)),
            found.filter(Finding.number_q(words)),
        )
    )


def finding_list(*, user):
    """Findings the user may see, newest first, with what the list shows joined in; the list's filters and sort
    are findings.filtersets.FindingFilterSet."""
    return (
        Finding.objects.visible_to(user)
        # Only what the list shows: each joined table costs the planner time on every page.
        .select_related("inspection__group", "inspection__unit", "category", "author")
        .annotate(evidence_count=_evidence_count())
        .order_by("-created_at", "-pk")
    )


def finding_filter_groups(user):
    """Groups for the findings list's filter: the groups of the inspections it offers."""
    return InspectionGroup.objects.filter(pk__in=finding_filter_inspections(user).values("group_id")).select_related(
        "round"
    )


def finding_get(*, user, pk) -> Finding:
    qs = Finding.objects.visible_to(user).select_related(
        "inspection__group", "inspection__unit", "inspection__round", "category__parent", "author", "feedback"
    )
    return get_object_or_404(qs, pk=pk)


def with_working_papers(user) -> QuerySet:
    """The working-papers rule, written once: evidence, the review trail, the history and the Word 问题底稿 are
    the group's working papers — the group and the overseers see them; a unit liaison reads only the finding
    as it was fed back. The findings whose working papers `user` sees."""
    findings = Finding.objects.visible_to(user)
    if sees_everything(user):
        return findings
    return findings.filter(inspection__group__in=groups_worked_in(user).values("pk"))


def sees_group_work(user, finding: Finding) -> bool:
    return sees_everything(user) or with_working_papers(user).filter(pk=finding.pk).exists()


def finding_reviews(finding: Finding):
    return FindingReview.objects.filter(finding=finding).select_related("actor")


def finding_evidence(finding: Finding):
    return Evidence.objects.filter(finding=finding).select_related("uploaded_by")


def evidence_get(*, user, pk) -> Evidence:
    """An evidence file through the findings door, narrowed to the group's working papers (404 otherwise)."""
    findings = with_working_papers(user)
    return get_object_or_404(Evidence.objects.filter(finding__in=findings.values("pk")), pk=pk)


def awaiting_count(*, user) -> int:
    """Findings waiting for this user's review step, for the badge in the navigation."""
    from rounds.choices import MemberRole
    from rounds.models import GroupMembership

    led = list(groups_led(user).values_list("pk", flat=True))
    if not led:  # most users, office and leadership included: spare them a count over every finding
        return 0
    leader_of = GroupMembership.objects.filter(inspector__user=user, role=MemberRole.LEADER, group__in=led)
    return (
        Finding.objects.visible_to(user)
        .filter(
            Q(review_state=ReviewState.DEPUTY_REVIEW, inspection__group__in=led)
            | Q(review_state=ReviewState.LEADER_SIGN, inspection__group__in=leader_of.values("group_id"))
        )
        .count()
    )


def clue_search(qs, words: str):
    """The clues list's one search (page, export, API): summary, letter number or a person's name."""
    # Each arm on its own (xuncha/search.py), combined with UNION: one clue per match, no DISTINCT needed.
    clues = Clue.objects
    return qs.filter(
        pk__in=any_of(
            clues.filter(contains("summary", words)),
            clues.filter(letter_number__icontains=words),
            clues.filter(people__name__icontains=words),
        )
    )


def clue_list(*, user):
    """Clues the user may see, newest first; the list's filters and sort are findings.filtersets.ClueFilterSet."""
    return (
        Clue.objects.visible_to(user)
        .select_related("inspection__group", "inspection__unit", "finding")
        .prefetch_related(Prefetch("people", queryset=CluePerson.objects.order_by("pk")))
        .order_by("-created_at", "-pk")
    )


def clue_get(*, user, pk) -> Clue:
    qs = Clue.objects.visible_to(user).select_related(
        "inspection__group", "inspection__unit", "inspection__round", "finding", "created_by"
    )
    return get_object_or_404(qs, pk=pk)


def clue_findings_choices(inspection):
    return Finding.objects.filter(inspection=inspection).order_by("seq")


def overdue_clue_count(*, user) -> int:
    return Clue.objects.visible_to(user).overdue(timezone.localdate()).count()
