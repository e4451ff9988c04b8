"""An upper-level visit with one request owned by the finance bureau's liaison (tests/world.py)."""

from datetime import timedelta

from rectification.services import upper as services


def visit_of(world):
    return services.visit_create(
        actor=world.users["office"],
        level="province",
        team="省委第三巡视组",
        target="县委",
        start_date=world.today - timedelta(days=10),
        liaison_office="县委办公室联络协调组",
        contacts="张主任 13800000000",
    )


def request_of(world, visit=None, *, due_in=5, owner="liaison", title="调阅县财政局2023年度三公经费台账"):
    return services.request_create(
        actor=world.users["office"],
        visit=visit or visit_of(world),
        kind="documents",
        title=title,
        requested_date=world.today - timedelta(days=2),
        owner_unit=world.units.finance,
        owner=world.users[owner],
        due_date=world.today + timedelta(days=due_in),
    )
