"""回头看: linked to the earlier inspection of the unit, its fed-back findings checked item by item with evidence;
未到位 reopens (or creates) the task with a new due date; unusual assignments ask for confirmation."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from findings.choices import ReviewState, Source
from findings.models import Finding
from rectification.choices import LookbackResult, TaskStatus
from rectification.models import LookbackCheck, RectificationTask
from rectification.services import lookback_check_record
from rounds import services
from rounds.choices import InspectionKind, RoundStatus
from rounds.models import Inspection, Inspector, Round
from xuncha.models import ExportLog


@pytest.fixture
def lookback(world):
    """Round 2: a new group looks back on 县财政局党组, which group 1 inspected (and fed back) in round 1."""
    office = world.users["office"]
    round2 = Round.objects.create(plan=world.plan, number=2, year=world.today.year, status=RoundStatus.ACTIVE)
    group = services.group_create(actor=office, round=round2, name="第一巡察组")
    leader = Inspector.objects.get(user=world.users["group1_leader"])
    services.membership_add(actor=office, group=group, inspector=leader, role="leader")
    inspection = services.inspection_assign(
        actor=office, group=group, unit=world.units.finance, kind=InspectionKind.LOOKBACK
    )
    world.lookback = inspection
    return world


def test_a_lookback_is_linked_to_the_earlier_inspection_of_the_unit(lookback):
    assert lookback.lookback.follows == lookback.g1.inspection


def test_the_lookback_page_lists_the_earlier_fed_back_findings_and_their_tasks(lookback, client):
    w = lookback
    client.force_login(w.users["office"])
    html = client.get(reverse("rounds:inspection_detail", args=[w.lookback.pk])).content.decode()
    assert reverse("rounds:inspection_detail", args=[w.g1.inspection.pk]) in html  # the link back
    assert w.g1.finding.title in html and reverse("rectification:task_detail", args=[w.g1.task.pk]) in html
    assert w.g1.draft.title not in html  # never fed back: nothing to check
    assert reverse("rectification:lookback_check", args=[w.lookback.pk, w.g1.finding.pk]) in html
    # The earlier inspection's page links its look-backs.
    html = client.get(reverse("rounds:inspection_detail", args=[w.g1.inspection.pk])).content.decode()
    assert reverse("rounds:inspection_detail", args=[w.lookback.pk]) in html


def test_not_done_reopens_the_task_with_a_new_due_date(lookback):
    w = lookback
    office = w.users["office"]
    RectificationTask.objects.filter(pk=w.g1.task.pk).update(status=TaskStatus.CLOSED, closed_at=timezone.now())
    kwargs = {"actor": office, "inspection": w.lookback, "finding": w.g1.finding, "result": LookbackResult.NOT_DONE}
    with pytest.raises(ValidationError, match="新的整改时限"):
        lookback_check_record(**kwargs, note="制度未落实")
    with pytest.raises(ValidationError, match="核查情况"):
        lookback_check_record(**kwargs, note=" ", new_due_date=w.today + timedelta(days=30))
    assert not LookbackCheck.objects.exists()
    due = w.today + timedelta(days=30)
    evidence = SimpleUploadedFile("核查记录.pdf", b"%PDF-1.4 check", content_type="application/pdf")
    check = lookback_check_record(**kwargs, note="制度未落实", new_due_date=due, evidence=evidence)
    task = RectificationTask.objects.get(pk=w.g1.task.pk)
    assert (task.status, task.due_date, task.closed_at) == (TaskStatus.IN_PROGRESS, due, None)
    assert not task.is_overdue(w.today)
    assert check.task == task and check.new_due_date == due and check.checked_by == office
    assert check.history.first().history_user == office
    assert "回头看核查未到位" in task.events.last().comment
    with pytest.raises(ValidationError, match="已核查"):
        lookback_check_record(**kwargs, note="again", new_due_date=due)


def test_not_done_creates_a_task_for_a_finding_that_had_none(lookback):
    w = lookback
    finding = Finding.objects.create(
        inspection=w.g1.inspection,
        seq=5,
        category=w.category,
        title="无任务的问题",
        description="…",
        source=Source.VISIT,
        review_state=ReviewState.REPORTED,
        author=w.users["group1_member"],
        feedback=w.g1.feedback,
    )
    due = w.today + timedelta(days=20)
    check = lookback_check_record(
        actor=w.users["office"],
        inspection=w.lookback,
        finding=finding,
        result=LookbackResult.NOT_DONE,
        note="仍未整改",
        new_due_date=due,
    )
    task = finding.tasks.get()
    assert check.task == task and task.due_date == due and task.responsible_unit == w.units.finance


def test_done_leaves_the_task_alone(lookback):
    w = lookback
    before = RectificationTask.objects.get(pk=w.g1.task.pk)
    check = lookback_check_record(
        actor=w.users["office"],
        inspection=w.lookback,
        finding=w.g1.finding,
        result=LookbackResult.DONE,
        note="已整改到位",
        new_due_date=w.today + timedelta(days=5),
    )
    after = RectificationTask.objects.get(pk=w.g1.task.pk)
    assert (after.status, after.due_date) == (before.status, before.due_date)
    assert check.new_due_date is None


def test_only_the_office_records_checks(lookback, client):
    w = lookback
    url = reverse("rectification:lookback_check", args=[w.lookback.pk, w.g1.finding.pk])
    data = {"result": LookbackResult.DONE, "note": "到位"}
    for persona in ("leadership", "group1_leader", "group1_member", "group2_leader", "liaison", "nobody"):
        client.force_login(w.users[persona])
        assert client.get(url).status_code == 404, persona
        assert client.post(url, data).status_code == 404, persona
    assert not LookbackCheck.objects.exists()
    with pytest.raises(Exception):  # noqa: B017 - PermissionDenied from the service itself
        lookback_check_record(actor=w.users["group1_leader"], inspection=w.lookback, finding=w.g1.finding, **data)


def test_only_fed_back_findings_of_the_earlier_inspection_are_checked(lookback, client):
    w = lookback
    client.force_login(w.users["office"])
    for finding in (w.g1.draft, w.g2.finding):
        assert client.get(reverse("rectification:lookback_check", args=[w.lookback.pk, finding.pk])).status_code == 404


def test_the_check_form_round_trip_and_evidence_download(lookback, client):
    w = lookback
    client.force_login(w.users["office"])
    url = reverse("rectification:lookback_check", args=[w.lookback.pk, w.g1.finding.pk])
    page = client.get(url).content.decode()
    assert 'name="new_due_date"' in page and "应付整改" in page
    response = client.post(url, {"result": LookbackResult.NOT_DONE, "note": "未到位"})
    assert response.status_code == 400 and "新的整改时限" in response.content.decode()
    due = w.today + timedelta(days=15)
    response = client.post(
        url,
        {
            "result": LookbackResult.PARTIAL,
            "note": "部分到位",
            "evidence": SimpleUploadedFile("照片.png", b"\x89PNG\r\n\x1a\nxx", content_type="image/png"),
            "new_due_date": due.isoformat(),
        },
    )
    assert response.status_code == 302
    check = LookbackCheck.objects.get()
    assert check.result == LookbackResult.PARTIAL and check.evidence_name == "照片.png"
    html = client.get(reverse("rounds:inspection_detail", args=[w.lookback.pk])).content.decode()
    download = reverse("rectification:lookback_evidence", args=[check.pk])
    assert download in html and "部分到位" in html
    response = client.get(download)
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    assert ExportLog.objects.filter(kind="lookback_evidence", user=w.users["office"]).exists()
    for persona in ("group2_leader", "liaison", "nobody"):
        client.force_login(w.users[persona])
        assert client.get(download).status_code == 404, persona


# --- Assigning a 回头看 ------------------------------------------------------------------------------


def test_a_lookback_of_a_unit_never_inspected_in_the_plan_asks_for_confirmation(world):
    office = world.users["office"]
    kwargs = {"actor": office, "group": world.g1.group, "unit": world.units.township, "kind": InspectionKind.LOOKBACK}
    with pytest.raises(services.NeedsConfirmation, match="从未被巡察过"):
        services.inspection_assign(**kwargs)
    assert not Inspection.objects.filter(unit=world.units.township).exists()
    inspection = services.inspection_assign(**kwargs, confirmed=True)
    assert inspection.follows is None


def test_a_lookback_of_a_unit_in_another_open_inspection_of_the_round_asks_for_confirmation(world):
    kwargs = {
        "actor": world.users["office"],
        "group": world.g1.group,
        "unit": world.units.education,
        "kind": InspectionKind.LOOKBACK,
    }
    with pytest.raises(services.NeedsConfirmation, match="第二巡察组"):
        services.inspection_assign(**kwargs)


def test_the_assign_form_warns_then_confirms(world, client):
    client.force_login(world.users["office"])
    url = reverse("rounds:inspection_assign", args=[world.g1.group.pk])
    data = {"unit": world.units.township.pk, "kind": InspectionKind.LOOKBACK}
    response = client.post(url, data)
    html = response.content.decode()
    assert response.status_code == 200 and "从未被巡察过" in html and 'type="checkbox" name="confirmed"' in html
    assert not Inspection.objects.filter(unit=world.units.township).exists()
    assert client.post(url, {**data, "confirmed": "on"}).status_code == 302
    assert Inspection.objects.filter(unit=world.units.township, kind=InspectionKind.LOOKBACK).exists()


def test_a_regular_assignment_asks_nothing(world, client):
    client.force_login(world.users["office"])
    url = reverse("rounds:inspection_assign", args=[world.g1.group.pk])
    assert client.post(url, {"unit": world.units.township.pk, "kind": InspectionKind.REGULAR}).status_code == 302


def test_the_lookback_page_costs_the_same_whatever_it_lists(lookback, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    w = lookback
    client.force_login(w.users["office"])
    url = reverse("rounds:inspection_detail", args=[w.lookback.pk])

    def count():
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        return len(queries)

    before = count()
    for seq in (7, 8):
        finding = Finding.objects.create(
            inspection=w.g1.inspection,
            seq=seq,
            category=w.category,
            title=f"追加{seq}",
            description="…",
            source=Source.VISIT,
            review_state=ReviewState.REPORTED,
            author=w.users["group1_member"],
            feedback=w.g1.feedback,
        )
        lookback_check_record(
            actor=w.users["office"],
            inspection=w.lookback,
            finding=finding,
            result=LookbackResult.NOT_DONE,
            note="未整改",
            new_due_date=w.today + timedelta(days=10),
        )
    assert count() == before


def test_another_groups_lookback_sees_only_what_was_fed_back(world, client):
    """Group 2 looks back on group 1's unit: it gets the problem list handed to the unit (as in 反馈意见) to check,
    but none of group 1's working papers — no drafts, clues, evidence or links into group 1's pages."""
    office = world.users["office"]
    round2 = Round.objects.create(plan=world.plan, number=2, year=world.today.year, status=RoundStatus.ACTIVE)
    group = services.group_create(actor=office, round=round2, name="第二巡察组")
    leader = Inspector.objects.get(user=world.users["group2_leader"])
    services.membership_add(actor=office, group=group, inspector=leader, role="leader")
    lookback = services.inspection_assign(
        actor=office, group=group, unit=world.units.finance, kind=InspectionKind.LOOKBACK
    )
    client.force_login(world.users["group2_leader"])
    html = client.get(reverse("rounds:inspection_detail", args=[lookback.pk])).content.decode()
    assert world.g1.finding.title in html
    for hidden in (world.g1.draft.title, world.g1.clue.summary):
        assert hidden not in html
    for link in (
        reverse("rounds:inspection_detail", args=[world.g1.inspection.pk]),
        reverse("findings:finding_detail", args=[world.g1.finding.pk]),
        reverse("rectification:task_detail", args=[world.g1.task.pk]),
    ):
        assert link not in html
