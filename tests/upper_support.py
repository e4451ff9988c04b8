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


def request_of(
    world, visit=None, *, due_in=5, owner="liaison", title="调阅县财政局2023年度三公经费台账", kind="documents"
):
    return services.request_create(
        actor=world.users["office"],
        visit=visit or visit_of(world),
        kind=kind,
        title=title,
        requested_date=world.today - timedelta(days=2),
        owner_unit=world.units.finance,
        owner=world.users[owner],
        due_date=world.today + timedelta(days=due_in),
    )


UPPER_PROBLEM = "县财政局违规发放津贴补贴问题（上级反馈）"
UPPER_MEASURE = "清退违规发放的津贴补贴并完善发放制度"


def upper_task_of(world, request=None, *, due_in=15, **fields):
    """A task of the finance bureau rectifying a 问题整改 request of the provincial group (来源 上级巡视巡察)."""
    request = request or request_of(world, kind="rectification", title=UPPER_PROBLEM)
    values = {
        "measure": UPPER_MEASURE,
        "responsible_unit": world.units.finance,
        "term_type": "deadline",
        "due_date": world.today + timedelta(days=due_in),
        **fields,
    }
    return services.upper_task_create(actor=world.users["office"], request=request, **values)
