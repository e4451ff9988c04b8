"""Reads for 账号与权限: the office's list of accounts with their roles, and one account's roles and lock state."""

from dataclasses import dataclass
from datetime import timedelta

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from findings.models import BodyLiaison
from rounds.models import GroupMembership, Inspector, PartyUnit, UnitLiaison
from xuncha.roles import LEADERSHIP_GROUP, OFFICE_GROUP, require_manage

from .choices import AccountRole

User = get_user_model()


@dataclass
class Held:
    """One role an account holds: what it is, over what, and how to take it away (None: read-only here)."""

    role: str
    label: str
    target: str = ""
    unit_id: int | None = None
    revocable: bool = True


def _locked_q():
    since = timezone.now() - timedelta(hours=settings.AXES_COOLOFF_TIME)
    attempts = AccessAttempt.objects.filter(
        username=OuterRef("username"), failures_since_start__gte=settings.AXES_FAILURE_LIMIT, attempt_time__gte=since
    )
    return Exists(attempts)


def account_search(qs, words: str) -> QuerySet:
    """The account list's one search (page, export): every word in a name, phone, e-mail or unit."""
    for term in words.split()[:5]:
        qs = qs.filter(
            Q(username__icontains=term)
            | Q(first_name__icontains=term)
            | Q(last_name__icontains=term)
            | Q(email__icontains=term)
            | Q(profile__phone__icontains=term)
            | Q(profile__unit__name__icontains=term)
        )
    return qs


def accounts_by_status(accounts: QuerySet, status: str) -> QuerySet:
    if status == "active":
        return accounts.filter(is_active=True)
    if status == "inactive":
        return accounts.filter(is_active=False)
    if status == "locked":
        return accounts.filter(locked=True)
    return accounts


def accounts_by_role(accounts: QuerySet, role: str) -> QuerySet:
    """Accounts holding `role` (an AccountRole, "group" for a group's members, "none" for no role at all)."""
    if role == AccountRole.OFFICE:
        return accounts.filter(groups__name=OFFICE_GROUP).distinct()
    if role == AccountRole.LEADERSHIP:
        return accounts.filter(groups__name=LEADERSHIP_GROUP).distinct()
    if role == AccountRole.UNIT_LIAISON:
        return accounts.filter(Exists(UnitLiaison.objects.filter(user=OuterRef("pk"))))
    if role == AccountRole.UNIT_HEAD:
        return accounts.filter(Exists(PartyUnit.objects.filter(head=OuterRef("pk"))))
    if role == AccountRole.BODY_LIAISON:
        return accounts.filter(Exists(BodyLiaison.objects.filter(user=OuterRef("pk"))))
    if role == "group":
        return accounts.filter(Exists(GroupMembership.objects.filter(inspector__user=OuterRef("pk"))))
    if role == "none":
        return accounts.filter(
            ~Q(groups__name__in=[OFFICE_GROUP, LEADERSHIP_GROUP]),
            ~Exists(UnitLiaison.objects.filter(user=OuterRef("pk"))),
            ~Exists(PartyUnit.objects.filter(head=OuterRef("pk"))),
            ~Exists(BodyLiaison.objects.filter(user=OuterRef("pk"))),
            ~Exists(GroupMembership.objects.filter(inspector__user=OuterRef("pk"))),
        ).distinct()
    return accounts


def account_list(*, user, q: str = "", role: str = "", status: str = "all") -> QuerySet:
    """Every account (office only), with what the list shows of its roles joined in a fixed number of queries;
    accounts.filtersets.AccountFilterSet filters the list."""
    require_manage(user)
    # Superusers belong to Django admin: an office that could reset their password could become one.
    accounts = (
        User.objects.filter(is_superuser=False)
        .select_related("profile__unit", "unit_liaison__unit", "body_liaison")
        .prefetch_related(
            "groups",
            Prefetch("headed_units", queryset=PartyUnit.objects.only("pk", "name", "head_id").order_by("name")),
            Prefetch(
                "inspector__memberships",
                queryset=GroupMembership.objects.select_related("group__round").order_by("-group__round__year"),
            ),
        )
    )
    accounts = accounts_by_role(accounts_by_status(accounts.annotate(locked=_locked_q()), status), role)
    return account_search(accounts, q).order_by("username")


def account_get(*, user, pk: int):
    from django.shortcuts import get_object_or_404

    return get_object_or_404(account_list(user=user, status="all"), pk=pk)


def roles_held(account) -> list[Held]:
    """The roles of an account as the office reads them; group roles (from memberships) are read-only here."""
    held = []
    group_names = {g.name for g in account.groups.all()}
    for role, name in ((AccountRole.OFFICE, OFFICE_GROUP), (AccountRole.LEADERSHIP, LEADERSHIP_GROUP)):
        if name in group_names:
            held.append(Held(role, str(role.label)))
    liaison = getattr(account, "unit_liaison", None)
    if liaison is not None:
        held.append(Held(AccountRole.UNIT_LIAISON, str(AccountRole.UNIT_LIAISON.label), liaison.unit.name))
    for unit in account.headed_units.all():
        held.append(Held(AccountRole.UNIT_HEAD, str(AccountRole.UNIT_HEAD.label), unit.name, unit_id=unit.pk))
    body = getattr(account, "body_liaison", None)
    if body is not None:
        held.append(Held(AccountRole.BODY_LIAISON, str(AccountRole.BODY_LIAISON.label), body.get_body_display()))
    inspector = getattr(account, "inspector", None)
    if inspector is not None:
        for m in inspector.memberships.all():
            held.append(Held("group", m.get_role_display(), f"{m.group.round} · {m.group.name}", revocable=False))
    return held


def unit_staff(unit, *, also=()) -> QuerySet:
    """The people of one unit, offered where a task or request names its 经办人/责任领导/承办人: accounts whose 工作单位
    is the unit, its 联络员, its 主要负责人, and 人才库 people working there (and the ids in `also`)."""
    linked = Q(pk__in=list(also))
    if unit is not None:
        unit_id = getattr(unit, "pk", unit)
        linked |= (
            Q(profile__unit_id=unit_id)
            | Q(pk__in=UnitLiaison.objects.filter(unit_id=unit_id).values("user_id"))
            | Q(pk__in=PartyUnit.objects.filter(pk=unit_id).exclude(head=None).values("head_id"))
            | Q(pk__in=Inspector.objects.filter(home_unit_id=unit_id).exclude(user=None).values("user_id"))
        )
    return (
        User.objects.filter(linked, is_active=True)
        .select_related("profile__unit", "unit_liaison__unit", "inspector__home_unit")
        .order_by("first_name", "username")
    )
