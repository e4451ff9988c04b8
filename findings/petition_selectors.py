"""Reads for the petition register. Each starts from `Petition.objects.visible_to(user)`."""

from django.db.models import BooleanField, Case, Q, Value, When
from django.shortcuts import get_object_or_404

from rounds.models import Inspection, InspectionGroup
from xuncha.roles import PERM_MANAGE, Role, roles_of

from .models import Petition, PetitionEvent

# Who has the register at all (anyone else gets 404): overseers and the groups. Unit and discipline
# liaisons have no petition page — a petition names whom it is about.
PETITION_READERS = frozenset({Role.OFFICE, Role.LEADERSHIP, Role.GROUP_LEADER, Role.GROUP_MEMBER})


def reads_petitions(user) -> bool:
    return bool(roles_of(user) & PETITION_READERS)


def with_petitioner_flag(qs, user):
    """`show_petitioner` on each row: the office sees every petitioner, a group's 组长/副组长 their group's."""
    if user.has_perm(PERM_MANAGE):
        return qs.annotate(show_petitioner=Value(True, output_field=BooleanField()))
    led = InspectionGroup.objects.led_by(user).values("pk")
    return qs.annotate(
        show_petitioner=Case(
            When(inspection__group__in=led, then=Value(True)), default=Value(False), output_field=BooleanField()
        )
    )


def petition_search(qs, words: str):
    """The petitions register's one search (page, export): the summary, the person or the unit complained of."""
    return qs.filter(
        Q(summary__icontains=words) | Q(subject_person__icontains=words) | Q(subject_unit__name__icontains=words)
    )


def petition_list(*, user):
    """Petitions the user may see, newest first; findings.petition_filtersets.PetitionFilterSet filters them."""
    return with_petitioner_flag(
        Petition.objects.visible_to(user).select_related("inspection__group", "inspection__unit", "subject_unit"),
        user,
    ).order_by("-received_date", "-pk")


def petition_get(*, user, pk) -> Petition:
    qs = Petition.objects.visible_to(user).select_related(
        "inspection__group", "inspection__unit", "inspection__round", "subject_unit", "finding", "clue", "created_by"
    )
    return get_object_or_404(qs, pk=pk)


def petition_events(petition: Petition):
    return PetitionEvent.objects.filter(petition=petition).select_related("actor")


def petition_filter_inspections(user):
    """Inspections for the register's filter: those with a petition the user sees."""
    ids = Petition.objects.visible_to(user).filter(inspection__isnull=False).values("inspection_id")
    return Inspection.objects.filter(pk__in=ids).select_related("group", "unit", "round")


def inspections_for_petitions(user):
    """Where the user may register a petition: the office anywhere, a group's leaders their group's."""
    inspections = Inspection.objects.visible_to(user).select_related("group", "unit", "round")
    if user.has_perm(PERM_MANAGE):
        return inspections
    return inspections.filter(group__in=InspectionGroup.objects.led_by(user).values("pk"))


def petition_for(*, user, finding=None, clue=None) -> Petition | None:
    """The petition a finding or clue came from, if the user may see it (for the back-link on their pages)."""
    qs = Petition.objects.visible_to(user)
    qs = qs.filter(finding=finding) if finding is not None else qs.filter(clue=clue)
    return qs.first()
