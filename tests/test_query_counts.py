"""Who the user is costs one query, and every main page makes a fixed number of queries per persona,
the same when the data grows (no query per row, no query per group)."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from findings.choices import ClueStatus, ReceivingBody, ReviewState, Source
from findings.models import Clue, Finding
from rectification.choices import TaskStatus, TermType
from rectification.models import Notification, RectificationTask
from rounds.choices import InspectionKind, Stage, UnitKind
from rounds.models import Inspection, PartyUnit, PlanUnit
from xuncha.roles import Role, identity_of, roles_of

PAGES = {
    "landing": "/",
    "dashboard": "/dashboard/",
    "dashboard JSON": "/dashboard/data.json",
    "ledger": "/rectification/",
    "ledger search": "/rectification/?q=%E6%95%B4%E6%94%B9",  # 整改
    "findings": "/findings/",
    "findings search": "/findings/?q=%E9%97%AE%E9%A2%98",  # 问题
    "units": "/units/",
    "clues": "/findings/clues/",
    "inspections": "/inspections/",
}

# (status, queries) per persona and page, warm (the dashboard's figures and the lists' counts cached).
# Every request: the session, the user, and who the user is (identity_of: permissions, roles, liaison rows,
# unread count) in one statement: 3. The landing page adds the workbench's to-do counts (one aggregate per
# table the persona's roles read); the findings list its filters' choices (round, group). A page the persona
# may not read is a 404 after those three.
EXPECTED = {
    "leadership": {
        "landing": (200, 4),
        "dashboard": (200, 6),
        "dashboard JSON": (200, 3),
        "ledger": (200, 5),
        "ledger search": (200, 5),
        "findings": (200, 7),
        "findings search": (200, 7),
        "units": (200, 5),
        "clues": (200, 6),
        "inspections": (200, 5),
    },
    "office": {
        "landing": (200, 6),
        "dashboard": (200, 6),
        "dashboard JSON": (200, 3),
        "ledger": (200, 5),
        "ledger search": (200, 5),
        "findings": (200, 7),
        "findings search": (200, 7),
        "units": (200, 5),
        "clues": (200, 6),
        "inspections": (200, 5),
    },
    "group1_leader": {
        "landing": (200, 7),
        "dashboard": (404, 3),
        "dashboard JSON": (404, 3),
        "ledger": (200, 5),
        "ledger search": (200, 5),
        "findings": (200, 11),
        "findings search": (200, 11),
        "units": (404, 4),
        "clues": (200, 7),
        "inspections": (200, 7),
    },
    "group1_member": {
        "landing": (200, 6),
        "dashboard": (404, 3),
        "dashboard JSON": (404, 3),
        "ledger": (200, 5),
        "ledger search": (200, 5),
        "findings": (200, 9),
        "findings search": (200, 9),
        "units": (404, 4),
        "clues": (404, 3),
        "inspections": (200, 7),
    },
    "liaison": {
        "landing": (200, 7),
        "dashboard": (404, 3),
        "dashboard JSON": (404, 3),
        "ledger": (200, 5),
        "ledger search": (200, 5),
        "findings": (200, 7),
        "findings search": (200, 7),
        "units": (404, 4),
        "clues": (404, 3),
        "inspections": (404, 3),
    },
}


def grow(world, n=60):
    """Many more rows in every persona's scope: group 1's and group 2's inspections, the liaison's unit, units."""
    office, today = world.users["office"], world.today
    units = PartyUnit.objects.bulk_create(
        PartyUnit(name=f"增长单位{i}", kind=UnitKind.VILLAGE, parent=world.units.township) for i in range(n)
    )
    PlanUnit.objects.bulk_create(PlanUnit(plan=world.plan, unit=u, planned_year=today.year) for u in units)
    for side, own in ((world.g1, units[: n // 2]), (world.g2, units[n // 2 :])):
        Inspection.objects.bulk_create(
            Inspection(round=world.round, group=side.group, unit=u, kind=InspectionKind.REGULAR, stage=Stage.STATIONED)
            for u in own
        )
        findings = Finding.objects.bulk_create(
            Finding(
                inspection=side.inspection,
                seq=100 + i,
                category=world.category,
                title=f"{side.marker}增长问题{i}",
                description="-",
                source=Source.INTERVIEW,
                review_state=ReviewState.REPORTED,
                author=office,
                feedback=side.feedback,
            )
            for i in range(n)
        )
        RectificationTask.objects.bulk_create(
            RectificationTask(
                finding=f,
                round_id=world.round.pk,  # bulk_create skips save(), which copies it
                measure=f"增长整改措施{i}",
                responsible_unit=side.inspection.unit,
                term_type=TermType.DEADLINE,
                due_date=today + timedelta(days=i % 40 - 20),
                status=TaskStatus.IN_PROGRESS,
            )
            for i, f in enumerate(findings * 2)
        )
        Clue.objects.bulk_create(
            Clue(
                inspection=side.inspection,
                summary=f"增长线索{i}",
                receiving_body=ReceivingBody.DISCIPLINE,
                status=ClueStatus.DRAFT,
                created_by=office,
            )
            for i in range(n)
        )
    for name in EXPECTED:
        Notification.objects.bulk_create(
            Notification(recipient=world.users[name], title=f"提醒{i}", body="-") for i in range(5)
        )


def measure(client, path):
    client.get(path)  # warm: the dashboard's figures and the lists' row counts are cached
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    # With Redis the session is read from the cache (cached_db): one query fewer than the table says.
    session_query = 0 if settings.SESSION_ENGINE == "xuncha.sessions" else 1
    return response.status_code, len(queries.captured_queries) + 1 - session_query


@pytest.mark.parametrize("persona", list(EXPECTED))
def test_each_page_makes_a_pinned_number_of_queries_whatever_the_data(world, login, persona):
    client = login(world.users[persona])
    small = {page: measure(client, path) for page, path in PAGES.items()}
    assert small == EXPECTED[persona]
    grow(world)
    assert RectificationTask.objects.count() > 200
    bigger = {page: measure(client, path) for page, path in PAGES.items()}
    assert bigger == EXPECTED[persona]


def test_who_the_user_is_is_one_query(world, django_assert_num_queries):
    from django.contrib.auth.models import User

    liaison = User.objects.get(pk=world.users["liaison"].pk)
    Notification.objects.create(recipient=liaison, title="提醒", body="-")
    with django_assert_num_queries(1):
        assert roles_of(liaison) == {Role.UNIT_LIAISON}
        assert not liaison.has_perm("rounds.oversee")
        assert identity_of(liaison).unread == 1
        assert identity_of(liaison).liaison_unit == world.units.finance.pk
    office = User.objects.get(pk=world.users["office"].pk)
    with django_assert_num_queries(1):
        assert roles_of(office) == {Role.OFFICE}
        assert office.has_perm("rounds.manage") and office.has_perm("rounds.oversee")


def test_permissions_match_what_django_reads(world):
    from django.contrib.auth.backends import ModelBackend
    from django.contrib.auth.models import User

    for user in world.users.values():
        fresh = User.objects.get(pk=user.pk)
        assert identity_of(fresh).perms == ModelBackend().get_all_permissions(User.objects.get(pk=user.pk))


def test_nothing_is_kept_across_requests(world, login):
    """A role given between two requests shows at the second: the identity lives on the request's user."""
    from rounds.models import UnitLiaison

    client = login(world.users["nobody"])
    assert client.get("/rectification/").status_code == 404
    UnitLiaison.objects.create(user=world.users["nobody"], unit=world.units.education)
    assert client.get("/rectification/").status_code == 200


def test_the_badge_counts_unread_messages(world, login):
    client = login(world.users["liaison"])
    Notification.objects.bulk_create(
        Notification(recipient=world.users["liaison"], title=f"提醒{i}", body="-") for i in range(3)
    )
    assert b'data-unread="3">3</span>' in client.get("/").content
