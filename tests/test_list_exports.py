"""Every list exports its own rows: the filters on screen, the user's permissions, and a log entry."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from rounds.selectors import coverage_of
from tests.exports_helpers import all_text, headers, workbook
from xuncha.models import ExportLog

pytestmark = pytest.mark.django_db


def workbook_text(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return "\n".join(str(v) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for v in row if v)


@pytest.mark.parametrize(
    "url_name",
    [
        "rounds:unit_list",
        "rounds:inspector_list",
        "rounds:round_list",
        "rounds:my_inspections",
        "findings:finding_list",
        "findings:clue_list",
    ],
)
def test_office_exports_every_list(world, client, url_name):
    client.force_login(world.users["office"])
    text = workbook_text(client.get(reverse(url_name), {"export": "xlsx"}))
    assert text
    assert ExportLog.objects.filter(user=world.users["office"]).count() == 1


def test_findings_export_keeps_the_filter_on_screen(world, client):
    client.force_login(world.users["office"])
    text = workbook_text(client.get(reverse("findings:finding_list"), {"export": "xlsx", "q": "草稿"}))
    assert world.g1.draft.title in text and world.g2.draft.title in text
    assert world.g1.finding.title not in text


def test_group_exports_hold_nothing_of_the_other_group(world, client):
    client.force_login(world.users["group2_leader"])
    for url_name in ("findings:finding_list", "findings:clue_list", "rounds:my_inspections"):
        text = workbook_text(client.get(reverse(url_name), {"export": "xlsx"}))
        assert "甲组机密" not in text and "县财政局党组" not in text, url_name


def test_member_cannot_export_clues(world, client):
    client.force_login(world.users["group1_member"])
    assert client.get(reverse("findings:clue_list"), {"export": "xlsx"}).status_code == 404


def test_evidence_download_is_recorded(world, client):
    from django.core.files.base import ContentFile

    from findings.models import Evidence

    evidence = Evidence(
        finding=world.g1.draft, original_name="谈话笔录.txt", size=5, uploaded_by=world.users["group1_member"]
    )
    evidence.file.save("x", ContentFile(b"hello"), save=True)
    client.force_login(world.users["group1_leader"])
    response = client.get(reverse("findings:evidence_download", args=[evidence.pk]))
    assert response.status_code == 200
    log = ExportLog.objects.get(kind="finding_evidence")
    assert log.user == world.users["group1_leader"] and "谈话笔录.txt" in log.filename
    assert log.confidential and response["Cache-Control"] == "private, no-store"


def test_progress_evidence_download_is_recorded_and_never_cached(world, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from rectification.services import progress_report_add

    report = progress_report_add(
        actor=world.users["liaison"],
        task=world.g1.task,
        text="已修订制度",
        progress=50,
        files=[SimpleUploadedFile("整改报告.pdf", b"%PDF-1.4 ok")],
    )
    evidence = report.evidence.get()
    client.force_login(world.users["office"])
    response = client.get(reverse("rectification:evidence_download", args=[evidence.pk]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    log = ExportLog.objects.get(kind="progress_evidence")
    assert log.user == world.users["office"] and log.filename == "整改报告.pdf" and log.confidential
    assert log.object_repr == str(evidence)
    # The log page names the kind.
    page = client.get(reverse("exports:export_log")).content.decode()
    assert "整改佐证材料" in page


def test_liaison_exports_the_ledger_of_their_unit_only(world, client):
    client.force_login(world.users["liaison"])
    text = workbook_text(client.get(reverse("rectification:task_list"), {"export": "xlsx"}))
    assert world.g1.task.measure in text
    assert "乙组机密" not in text


def test_ledger_export_one_sheet_per_round(world, client):
    client.force_login(world.users["office"])
    response = client.get(reverse("rectification:task_list"), {"export": "xlsx", "sheets": "round"})
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    assert len(book.worksheets) == 1 and str(world.round.number) in book.worksheets[0].title


def test_the_drafter_is_exported_only_to_those_the_list_shows_it_to(world, client):
    drafter = world.g1.finding.author
    name = drafter.get_full_name() or drafter.username
    client.force_login(world.users["liaison"])
    assert client.get(reverse("findings:finding_list")).context["show_author"] is False
    book = workbook(client.get(reverse("findings:finding_list"), {"export": "xlsx"}))
    assert "起草人" not in headers(book.active)
    assert name not in all_text(book)
    client.force_login(world.users["office"])
    assert "起草人" in headers(workbook(client.get(reverse("findings:finding_list"), {"export": "xlsx"})).active)


@pytest.mark.parametrize("coverage", ["", "covered", "uncovered", "out_of_scope"])
def test_the_unit_export_carries_the_coverage_the_list_shows(world, client, coverage):
    client.force_login(world.users["office"])
    params = {"coverage": coverage, "status": ""}
    shown = {
        u.name: (str(coverage_of(u).label), u.planned_year)
        for u in client.get(reverse("rounds:unit_list"), params).context["page"]
    }
    ws = workbook(client.get(reverse("rounds:unit_list"), {**params, "export": "xlsx"})).active
    columns = headers(ws)
    rows = [dict(zip(columns, row, strict=True)) for row in ws.iter_rows(min_row=3, values_only=True)]
    assert {r["名称"]: (r["覆盖"], r["计划年度"]) for r in rows} == shown
    assert shown and (
        coverage == ""
        or {cell for cell, _ in shown.values()}
        == {{"covered": "已覆盖", "uncovered": "未覆盖", "out_of_scope": "不在范围"}[coverage]}
    )


def test_the_export_log_records_the_filters_the_list_applied_not_those_it_refused(world, client):
    client.force_login(world.users["office"])
    status = world.g1.task.status
    params = {"export": "xlsx", "round": "99999999", "term_type": "bogus", "status": status}
    text = workbook_text(client.get(reverse("rectification:task_list"), params))
    assert world.g1.task.measure in text  # the refused round filtered nothing
    assert ExportLog.objects.get().filters == {"status": status}


def test_the_export_log_records_a_filter_only_the_list_knows(world, client):
    client.force_login(world.users["office"])
    workbook_text(client.get(reverse("rounds:unit_list"), {"export": "xlsx", "coverage": "uncovered"}))
    assert ExportLog.objects.get().filters == {"coverage": "uncovered", "status": "active"}


def test_the_export_log_keeps_a_long_search_short(world, client):
    client.force_login(world.users["office"])
    workbook_text(client.get(reverse("findings:finding_list"), {"export": "xlsx", "q": "问" * 5000}))
    assert ExportLog.objects.get().filters == {"q": "问" * 100}


@pytest.mark.parametrize(
    ("url", "params", "logged"),
    [
        ("rectification:task_list", {"overdue": "false", "q": "   "}, {}),  # an unticked box, a blank search
        ("rounds:unit_list", {}, {"status": "active"}),  # the registry lists 在册 units unless told otherwise
        ("findings:finding_list", {"key_minority": "0"}, {"key_minority": "0"}),  # 否 is a filter
    ],
)
def test_the_export_log_records_what_narrowed_the_rows(world, client, url, params, logged):
    client.force_login(world.users["office"])
    workbook_text(client.get(reverse(url), {**params, "export": "xlsx"}))
    assert ExportLog.objects.get().filters == logged
