"""Set-based synthetic rectification data for benchmarks (PostgreSQL): when no seeded scale database is at hand."""

from datetime import date

from django.contrib.auth.models import Group, User
from django.db import connection, transaction

from findings.choices import ReviewState, Source
from findings.models import Finding, FindingCategory
from rectification.models import RectificationTask
from rounds.choices import InspectionKind, Stage, UnitKind
from rounds.models import Inspection, PartyUnit, Plan, Round
from rounds.services import group_create
from xuncha.roles import LEADERSHIP_GROUP, OFFICE_GROUP

USERS, UNITS = 10_000, 40_000


@transaction.atomic
def _parents(today: date):
    admin, _ = User.objects.get_or_create(username="bench_admin")
    for i in range(3):
        u, _ = User.objects.get_or_create(username=f"bench_office{i}", defaults={"email": f"office{i}@example.org"})
        u.groups.add(Group.objects.get(name=OFFICE_GROUP))
    for i in range(2):
        u, _ = User.objects.get_or_create(username=f"bench_leader{i}", defaults={"email": f"leader{i}@example.org"})
        u.groups.add(Group.objects.get(name=LEADERSHIP_GROUP))
    with connection.cursor() as c:
        c.execute(
            "INSERT INTO auth_user (password, is_superuser, username, first_name, last_name, email, is_staff,"
            " is_active, date_joined) SELECT '!', false, 'bench_u' || g, '经办人' || g, '', '', false, true, now()"
            " FROM generate_series(1, %s) g ON CONFLICT DO NOTHING",
            [USERS],
        )
        c.execute("SELECT min(id) FROM auth_user WHERE username LIKE 'bench_u%%'")
        (u0,) = c.fetchone()
        c.execute(
            "INSERT INTO rounds_partyunit (name, kind, parent_id, head_id, is_active) SELECT 'bench单位' || g, %s,"
            " NULL, %s + g %% %s, true FROM generate_series(1, %s) g ON CONFLICT DO NOTHING",
            [UnitKind.DEPARTMENT.value, u0, USERS, UNITS],
        )
        c.execute("SELECT min(id) FROM rounds_partyunit WHERE name LIKE 'bench单位%%'")
        (unit0,) = c.fetchone()
    plan, _ = Plan.objects.get_or_create(name="bench", defaults={"start_year": today.year, "end_year": today.year})
    round_, _ = Round.objects.get_or_create(plan=plan, number=99, defaults={"year": today.year})
    group = round_.groups.first() or group_create(actor=admin, round=round_, name="bench组")
    unit = PartyUnit.objects.get(pk=unit0)
    inspection, _ = Inspection.objects.get_or_create(
        round=round_, unit=unit, kind=InspectionKind.REGULAR, defaults={"group": group, "stage": Stage.RECTIFICATION}
    )
    finding, _ = Finding.objects.get_or_create(
        inspection=inspection,
        seq=1,
        defaults={
            "category": FindingCategory.objects.first(),
            "title": "bench",
            "description": "bench",
            "source": Source.OTHER,
            "review_state": ReviewState.REPORTED,
            "author": admin,
        },
    )
    return u0, unit0, finding.pk, round_.pk


def synthesize_tasks(n: int, today: date) -> int:
    have = RectificationTask.objects.count()
    if have >= n:
        return 0
    u0, unit0, finding_id, round_id = _parents(today)
    with connection.cursor() as c:
        c.execute("SELECT setseed(0.42)")
        # Due dates spread over a year either side of today; 40% closed, 10% awaiting verification.
        c.execute(
            "INSERT INTO rectification_rectificationtask (finding_id, round_id, measure, goal, responsible_leader_id,"
            " responsible_unit_id, handler_id, term_type, due_date, progress, status, closed_at, created_at)"
            " SELECT %s, %s, '整改措施' || g, '', %s + (g * 7) %% %s, %s + g %% %s, %s + g %% %s, 'deadline',"
            " %s::date + (floor(r2 * 730) - 365)::int, 0,"
            " CASE WHEN r < 0.4 THEN 'closed' WHEN r < 0.5 THEN 'submitted' WHEN r < 0.85 THEN 'in_progress'"
            " ELSE 'not_started' END, CASE WHEN r < 0.4 THEN now() END, now()"
            " FROM (SELECT g, random() r, random() r2 FROM generate_series(1, %s) g) s",
            [finding_id, round_id, u0, USERS, unit0, UNITS, u0, USERS, today, n - have],
        )
        return c.rowcount
