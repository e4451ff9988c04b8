"""巡察结果运用: the sheet's figures against an independent count of hand-built rows, its readers, filters,
exports, and the log of every view and export."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from findings.choices import ClueStatus, ReviewState
from findings.models import Clue, CluePerson, Finding, FindingCategory
from rectification.choices import SupervisingBody, TaskStatus
from rectification.models import (
    Accountability,
    Assessment,
    InspectionOfficial,
    RectificationOutcome,
    RectificationTask,
    ResultsAccess,
    SupervisingLiaison,
    UnitDocument,
)
from rectification.results import official_rows, unit_rows
from xuncha.models import ExportLog

URL = reverse("rectification:results_sheet")


@pytest.fixture
def rich(world):
    """Group 1's unit with findings in two top-level categories, clues with outcomes, tasks closed and overdue,
    documents on time / missing / not yet due, an assessment, officials, 问责 and outcomes."""
    w, office, today = world, world.users["office"], world.today
    ins = w.g1.inspection
    tops = list(FindingCategory.objects.filter(parent__isnull=True).order_by("code"))
    child = {t.pk: FindingCategory.objects.filter(parent=t).first() for t in tops}
    for seq, (top, key) in enumerate([(tops[0], True), (tops[2], True), (tops[2], False)], start=10):
        Finding.objects.create(
            inspection=ins,
            seq=seq,
            category=child[top.pk],
            title=f"甲组机密问题{seq}",
            description="d",
            source="interview",
            review_state=ReviewState.REPORTED,
            key_minority=key,
            author=w.users["group1_member"],
        )
    Clue.objects.create(  # a draft clue never counts
        inspection=ins, summary="草稿线索", receiving_body="discipline", created_by=w.users["group1_leader"]
    )
    answered = Clue.objects.create(
        inspection=ins,
        summary="已反馈线索",
        receiving_body="discipline",
        status=ClueStatus.ANSWERED,
        transfer_date=today - timedelta(days=40),
        letter_number="县巡〔2026〕9号",
        feedback_due_date=today + timedelta(days=50),
        disposition="verify",
        outcome="punishment",
        answered_date=today,
        created_by=w.users["group1_leader"],
    )
    CluePerson.objects.create(clue=answered, name="赵局长", post="局长")
    RectificationTask.objects.create(
        finding=w.g1.finding,
        measure="已销号",
        responsible_unit=w.units.finance,
        term_type="deadline",
        due_date=today - timedelta(days=3),
        status=TaskStatus.CLOSED,
        closed_at=timezone.now(),
    )
    RectificationTask.objects.create(
        finding=w.g1.finding,
        measure="逾期",
        responsible_unit=w.units.finance,
        term_type="deadline",
        due_date=today - timedelta(days=1),
        status=TaskStatus.IN_PROGRESS,
    )
    docs = {d.kind: d for d in UnitDocument.objects.filter(feedback=w.g1.feedback)}
    UnitDocument.objects.filter(pk=docs["plan"].pk).update(
        due_date=today - timedelta(days=20),
        first_submitted_on=today - timedelta(days=20),
        status="accepted",
        accepted_at=timezone.now(),
    )
    UnitDocument.objects.filter(pk=docs["report"].pk).update(due_date=today - timedelta(days=2))
    Assessment.objects.create(
        inspection=ins, unit=w.units.finance, assessed_on=today, score=Decimal("58.5"), grade="fail", assessor=office
    )
    head = InspectionOfficial.objects.create(inspection=ins, name="赵局长", post="局长", role="head")
    InspectionOfficial.objects.create(inspection=ins, name="钱副局长", post="副局长", role="member")
    Accountability.objects.create(
        inspection=ins, official=head, person="赵局长", form="admonish", date=today, recorded_by=office
    )
    Accountability.objects.create(inspection=ins, person="钱副局长", form="circulate", date=today, recorded_by=office)
    RectificationOutcome.objects.create(inspection=ins, rules_count=2, recorded_by=office)
    RectificationOutcome.objects.create(
        inspection=ins, rules_count=1, funds_recovered=Decimal("5.5"), recorded_by=office
    )
    return w


def expected(inspection, today):
    """The same figures, counted one Python row at a time from the models: no grouping, no SQL aggregates."""
    findings = [
        f
        for f in Finding.objects.select_related("category")
        if f.inspection_id == inspection.pk and f.review_state == ReviewState.REPORTED
    ]
    by_top = {}
    for f in findings:
        top = f.category.parent_id or f.category_id
        by_top[top] = by_top.get(top, 0) + 1
    clues = [c for c in Clue.objects.all() if c.inspection_id == inspection.pk and c.status != ClueStatus.DRAFT]
    tasks = [t for t in RectificationTask.objects.select_related("finding") if t.finding.inspection_id == inspection.pk]
    closed = sum(t.status == TaskStatus.CLOSED for t in tasks)
    docs = [d for d in UnitDocument.objects.all() if d.inspection_id == inspection.pk]
    times = [d.timeliness(today) for d in docs]
    return {
        "findings": len(findings),
        "by_category": by_top,
        "key_minority": sum(f.key_minority for f in findings),
        "clues": len(clues),
        "clue_outcomes": {c.outcome: sum(x.outcome == c.outcome for x in clues) for c in clues if c.outcome},
        "tasks": len(tasks),
        "closed": closed,
        "rate": round(100 * closed / len(tasks), 1) if tasks else None,
        "overdue": sum(t.is_overdue(today) for t in tasks),
        "on_time": times.count("on_time"),
        "documents_due": len([t for t in times if t != "not_due"]),
        "accountability": {a.form: 1 + 0 for a in Accountability.objects.filter(inspection=inspection)},
        "rules": sum(o.rules_count for o in RectificationOutcome.objects.filter(inspection=inspection)),
        "funds": sum(
            (o.funds_recovered for o in RectificationOutcome.objects.filter(inspection=inspection)), Decimal(0)
        ),
    }


def test_unit_figures_equal_an_independent_count(rich):
    row = unit_rows([rich.g1.inspection], today=rich.today)[0]
    want = expected(rich.g1.inspection, rich.today)
    got = {k: getattr(row, k) for k in want}
    assert got == want
    # And the hand-built numbers themselves, so that both sides cannot be wrong together.
    assert (row.findings, row.key_minority, row.clues, row.tasks, row.closed, row.overdue) == (4, 2, 2, 3, 1, 1)
    assert (row.rate, row.on_time, row.documents_due, row.grade, row.rules, row.funds) == (
        33.3,
        1,
        2,
        "fail",
        3,
        Decimal("5.5"),
    )


def test_official_figures(rich):
    units = unit_rows([rich.g1.inspection], today=rich.today)
    rows = {o.official.name: o for o in official_rows(units)}
    head, member = rows["赵局长"], rows["钱副局长"]
    assert (head.key_minority, head.clues, head.clue_outcomes) == (2, 1, {"punishment": 1})
    assert head.accountability_text() == f"诫勉（{rich.today:%Y-%m-%d}）"
    assert (member.key_minority, member.clues) == (None, 0)
    assert member.accountability_text() == f"通报（{rich.today:%Y-%m-%d}）"


def test_the_page_shows_the_figures_and_logs_the_view(rich, client):
    client.force_login(rich.users["leadership"])
    body = client.get(URL).content.decode()
    row = body.split(f'data-inspection="{rich.g1.inspection.pk}"')[1].split("</tr>")[0]
    assert 'data-figure="findings">4<' in row and 'data-figure="rate">33.3%<' in row
    assert 'data-figure="on_time">1/2<' in row and "不合格" in row and "党纪政务处分 1" in row
    assert "赵局长" in body and "钱副局长" in body
    assert ResultsAccess.objects.filter(user=rich.users["leadership"], action="view").count() == 1


def test_filters_by_round_term_and_unit_kind(rich, client):
    client.force_login(rich.users["office"])
    by_kind = client.get(URL, {"unit_kind": "soe"}).content.decode()
    assert "data-inspection=" not in by_kind
    by_plan = client.get(URL, {"plan": rich.plan.pk, "round": rich.round.pk}).content.decode()
    assert by_plan.count("data-inspection=") == 2
    assert ResultsAccess.objects.filter(action="view").first().filters == {"plan": rich.plan.pk, "round": rich.round.pk}


def test_excel_and_word_exports_carry_the_figures_and_are_logged(rich, client):
    client.force_login(rich.users["office"])
    response = client.get(URL, {"export": "xlsx", "unit_kind": "department"})
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    units, officials = book.worksheets
    header = [c.value for c in units[2]]
    finance = next(r for r in units.iter_rows(min_row=3, values_only=True) if r[2] == rich.units.finance.name)
    assert finance[header.index("反馈问题")] == 4 and finance[header.index("整改完成率(%)")] == 33.3
    assert finance[header.index("评估等次")] == "不合格"
    assert {r[1] for r in officials.iter_rows(min_row=3, values_only=True)} == {"赵局长", "钱副局长"}
    docx = client.get(URL, {"export": "docx"})
    assert docx["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    assert list(ResultsAccess.objects.order_by("pk").values_list("action", flat=True)) == ["xlsx", "docx"]
    assert ExportLog.objects.filter(kind="results").count() == 2


def test_zuzhibu_reads_its_supervised_units_only_and_jiwei_supervisors_not_at_all(rich, client):
    client.force_login(rich.users["zuzhibu"])
    assert URL in client.get(reverse("home")).content.decode()
    body = client.get(URL).content.decode()
    assert rich.units.education.name in body and rich.units.finance.name not in body
    commission = SupervisingLiaison.objects.create(user=rich.users["nobody"], body=SupervisingBody.DISCIPLINE)
    client.force_login(commission.user)
    assert client.get(URL).status_code == 404
    # Its landing page offers no link to the sheet (the 组织部's does).
    assert URL not in client.get(reverse("home")).content.decode()
    # It reads the ledger of the units it supervises (all by default), read-only.
    assert client.get(reverse("rectification:task_detail", args=[rich.g1.task.pk])).status_code == 200


def test_office_narrows_a_supervisor_and_the_ledger_follows(world, client):
    from rectification.models import RectificationTask as Task

    zuzhibu = world.users["zuzhibu"]
    row = SupervisingLiaison.objects.get(user=zuzhibu)
    client.force_login(world.users["office"])
    url = reverse("rectification:supervisor_edit", args=[row.pk])
    # Unchanged round trip in both languages: nothing changes.
    for language in ("zh-hans", "en"):
        client.cookies["django_language"] = language
        assert client.get(url).status_code == 200
        data = {"body": "organisation", "units": [world.units.education.pk]}
        assert client.post(url, data).status_code == 302
        row.refresh_from_db()
        assert (row.all_units, list(row.units.values_list("pk", flat=True))) == (False, [world.units.education.pk])
    client.post(url, {"body": "organisation", "units": [world.units.finance.pk]})
    client.force_login(zuzhibu)
    assert client.get(reverse("rectification:task_detail", args=[world.g1.task.pk])).status_code == 200
    assert client.get(reverse("rectification:task_detail", args=[world.g2.task.pk])).status_code == 404
    client.force_login(world.users["office"])
    client.post(url, {"body": "organisation", "all_units": "on"})
    assert set(Task.objects.visible_to(User.objects.get(pk=zuzhibu.pk)).values_list("pk", flat=True)) >= {
        world.g1.task.pk,
        world.g2.task.pk,
    }
    assert client.post(url, {"body": "organisation"}).status_code == 400  # neither all units nor any unit


def test_the_sheet_makes_the_same_number_of_queries_for_more_rows(rich, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from rectification.models import Feedback
    from rounds.choices import InspectionKind, Stage
    from rounds.models import Inspection, PartyUnit

    client.force_login(rich.users["office"])
    client.get(URL)  # warm: what a first request loads once (content types, the session's first touch)
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    for n in range(5):
        unit = PartyUnit.objects.create(name=f"加测单位{n}", kind="department")
        inspection = Inspection.objects.create(
            round=rich.round, group=rich.g1.group, unit=unit, kind=InspectionKind.REGULAR, stage=Stage.RECTIFICATION
        )
        Feedback.objects.create(
            inspection=inspection,
            date=rich.today,
            plan_due=rich.today,
            report_due=rich.today,
            assessment_due=rich.today,
            given_by=rich.users["office"],
        )
        InspectionOfficial.objects.create(inspection=inspection, name=f"干部{n}", post="局长", role="head")
    with CaptureQueriesContext(connection) as many:
        body = client.get(URL).content.decode()
    assert body.count("data-inspection=") == 7
    assert len(many) == len(few)


@pytest.mark.parametrize("params", [{}, {"unit_kind": "department"}, {"unit_kind": "soe"}, {"plan": "1"}])
def test_the_page_and_its_exports_read_the_same_inspections(rich, client, monkeypatch, params):
    """The sheet's filters are declared once (ResultsFilterSet): the page, the .xlsx and the .docx hold the same
    inspections for the same filters."""
    from rectification.views import results as view

    exported = {}

    def capture(kind, real):
        def inner(*, units, **kwargs):
            exported[kind] = sorted(u.inspection.pk for u in units)
            return real(units=units, **kwargs)

        return inner

    monkeypatch.setattr(view, "xlsx_response", capture("xlsx", view.xlsx_response))
    monkeypatch.setattr(view, "docx_response_for", capture("docx", view.docx_response_for))
    client.force_login(rich.users["office"])
    page = client.get(URL, {**params, "per": "100"})
    shown = sorted(u.inspection.pk for u in page.context["units"])
    client.get(URL, {**params, "export": "xlsx"})
    client.get(URL, {**params, "export": "docx"})
    assert exported == {"xlsx": shown, "docx": shown}
