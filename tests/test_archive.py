"""立卷归档: a finished inspection is archived by the office, becomes read-only, and downloads as one logged zip."""

import io
import zipfile
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook

from findings import services as findings_services
from findings.models import Evidence
from rectification.choices import TaskStatus
from rectification.models import ProgressEvidence, ProgressReport, RectificationTask
from rectification.services import progress_report_add, task_create, task_transition, task_update
from rounds import services
from rounds.choices import Stage
from rounds.models import Inspection
from xuncha.models import ExportLog


def _finish(world, g):
    """Bring a group's inspection to 评估/归档 with its task closed and evidence on file."""
    Inspection.objects.filter(pk=g.inspection.pk).update(stage=Stage.ARCHIVED)
    g.inspection.refresh_from_db()
    Evidence.objects.create(
        finding=g.finding,
        file=SimpleUploadedFile("谈话记录.txt", f"{g.marker}谈话记录".encode()),
        original_name="谈话记录.txt",
        size=10,
        uploaded_by=world.users[f"group{1 if g is world.g1 else 2}_member"],
    )
    report = ProgressReport.objects.create(
        task=g.task, text=f"{g.marker}已修订规则", progress=100, author=world.users["office"]
    )
    ProgressEvidence.objects.create(
        report=report, file=SimpleUploadedFile("规则.txt", f"{g.marker}规则".encode()), original_name="规则.txt", size=8
    )
    RectificationTask.objects.filter(pk=g.task.pk).update(status=TaskStatus.CLOSED, closed_at=timezone.now())


@pytest.fixture
def archived(world):
    for g in (world.g1, world.g2):
        _finish(world, g)
    services.inspection_archive(actor=world.users["office"], inspection=world.g1.inspection)
    world.g1.inspection.refresh_from_db()
    return world


def test_only_a_finished_inspection_with_every_task_closed_is_archived(world):
    office = world.users["office"]
    with pytest.raises(ValidationError, match="评估/归档"):
        services.inspection_archive(actor=office, inspection=world.g1.inspection)
    Inspection.objects.filter(pk=world.g1.inspection.pk).update(stage=Stage.ARCHIVED)
    with pytest.raises(ValidationError, match="未销号"):
        services.inspection_archive(actor=office, inspection=world.g1.inspection)
    RectificationTask.objects.filter(pk=world.g1.task.pk).update(status=TaskStatus.CLOSED, closed_at=timezone.now())
    with pytest.raises(Exception):  # noqa: B017 - PermissionDenied: leadership reads only
        services.inspection_archive(actor=world.users["leadership"], inspection=world.g1.inspection)
    inspection = services.inspection_archive(actor=office, inspection=world.g1.inspection)
    assert inspection.archived_by == office and inspection.is_archived
    assert inspection.history.first().history_change_reason == "立卷归档"


def test_services_refuse_writes_to_an_archived_inspection(archived):
    w = archived
    g1 = w.g1
    leader, member, office = w.users["group1_leader"], w.users["group1_member"], w.users["office"]
    with pytest.raises(ValidationError, match="已立卷归档"):
        findings_services.finding_create(
            actor=member, inspection=g1.inspection, category=w.category, title="新", description="新", source="visit"
        )
    with pytest.raises(ValidationError, match="已立卷归档"):
        findings_services.finding_update(actor=member, finding=g1.draft, title="改")
    with pytest.raises(ValidationError, match="已立卷归档"):
        findings_services.finding_transition(actor=member, finding=g1.draft, to_state="deputy_review")
    with pytest.raises(ValidationError, match="已立卷归档"):
        findings_services.clue_create(
            actor=leader, inspection=g1.inspection, people=[], summary="新", receiving_body="discipline"
        )
    with pytest.raises(ValidationError, match="已立卷归档"):
        findings_services.clue_update(actor=leader, clue=g1.clue, people=[], summary="改")
    with pytest.raises(ValidationError, match="已立卷归档"):
        task_create(
            actor=office,
            finding=g1.finding,
            measure="新",
            responsible_unit=w.units.finance,
            term_type="deadline",
            due_date=w.today + timedelta(days=9),
        )
    task = RectificationTask.objects.get(pk=g1.task.pk)
    with pytest.raises(ValidationError):
        task_update(actor=office, task=task, measure="改")
    with pytest.raises(ValidationError):
        progress_report_add(actor=office, task=task, text="改", progress=100)
    with pytest.raises(ValidationError):
        task_transition(actor=office, task=task, to_status=TaskStatus.SUBMITTED)
    with pytest.raises(ValidationError, match="已立卷归档"):
        services.inspection_update_counters(actor=office, inspection=g1.inspection, interviews=99)
    g1.draft.refresh_from_db()
    assert g1.draft.title.startswith("甲组机密草稿")
    assert Inspection.objects.get(pk=g1.inspection.pk).interviews == 0


def test_archived_pages_show_no_edit_buttons(archived, client):
    w = archived
    client.force_login(w.users["group1_member"])
    html = client.get(reverse("findings:finding_detail", args=[w.g1.draft.pk])).content.decode()
    assert 'id="archived"' in html
    assert reverse("findings:finding_edit", args=[w.g1.draft.pk]) not in html
    assert reverse("findings:finding_transition", args=[w.g1.draft.pk]) not in html
    html = client.get(reverse("rounds:inspection_detail", args=[w.g1.inspection.pk])).content.decode()
    assert reverse("rounds:inspection_counters", args=[w.g1.inspection.pk]) not in html
    client.force_login(w.users["office"])
    html = client.get(reverse("rectification:task_detail", args=[w.g1.task.pk])).content.decode()
    assert reverse("rectification:task_transition", args=[w.g1.task.pk]) not in html
    assert reverse("rectification:task_edit", args=[w.g1.task.pk]) not in html
    client.force_login(w.users["group1_leader"])
    html = client.get(reverse("findings:clue_detail", args=[w.g1.clue.pk])).content.decode()
    assert reverse("findings:clue_edit", args=[w.g1.clue.pk]) not in html


def test_the_office_archives_from_the_page(world, client):
    _finish(world, world.g1)
    client.force_login(world.users["office"])
    url = reverse("rounds:inspection_detail", args=[world.g1.inspection.pk])
    assert 'id="archive-form"' in client.get(url).content.decode()
    client.force_login(world.users["leadership"])
    assert 'id="archive-form"' not in client.get(url).content.decode()
    assert client.post(reverse("rounds:inspection_archive", args=[world.g1.inspection.pk])).status_code == 404
    client.force_login(world.users["office"])
    client.post(reverse("rounds:inspection_archive", args=[world.g1.inspection.pk]))
    world.g1.inspection.refresh_from_db()
    assert world.g1.inspection.is_archived
    html = client.get(url).content.decode()
    assert reverse("rounds:inspection_archive_download", args=[world.g1.inspection.pk]) in html


def _zip(response):
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def _all_text(archive):
    """Every readable word of the zip: Word paragraphs and tables, sheets' cells, plain files."""
    texts = []
    for name in archive.namelist():
        data = archive.read(name)
        texts.append(name)
        if name.endswith(".docx"):
            doc = Document(io.BytesIO(data))
            texts += [p.text for p in doc.paragraphs]
            texts += [c.text for t in doc.tables for r in t.rows for c in r.cells]
        elif name.endswith(".xlsx"):
            book = load_workbook(io.BytesIO(data))
            texts += [str(v) for s in book.worksheets for r in s.iter_rows(values_only=True) for v in r if v]
        else:
            texts.append(data.decode("utf-8", "replace"))
    return "\n".join(texts)


def test_the_archive_zip_holds_everything_with_an_index(archived, client):
    w = archived
    client.force_login(w.users["office"])
    response = client.get(reverse("rounds:inspection_archive_download", args=[w.g1.inspection.pk]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store" and response["Content-Type"] == "application/zip"
    archive = _zip(response)
    names = archive.namelist()
    assert "索引.xlsx" in names and "整改任务.xlsx" in names
    assert f"问题底稿/问题底稿_{w.g1.finding.number}.docx" in names
    assert f"问题底稿/问题底稿_{w.g1.draft.number}.docx" in names
    assert any(n.startswith("反馈意见_") for n in names)
    assert any(n.startswith("整改通知书/") for n in names)
    assert any(n.startswith("问题佐证材料/") and n.endswith("谈话记录.txt") for n in names)
    assert any(n.startswith("整改佐证材料/") and n.endswith("规则.txt") for n in names)
    index = load_workbook(io.BytesIO(archive.read("索引.xlsx"))).active
    listed = {row[1] for row in index.iter_rows(values_only=True) if row and isinstance(row[0], int)}
    assert listed == set(names)
    tasks = load_workbook(io.BytesIO(archive.read("整改任务.xlsx")))
    assert "甲组机密已修订规则" in [c for r in tasks["整改进展"].iter_rows(values_only=True) for c in r]
    text = _all_text(archive)
    assert "甲组机密" in text
    assert "乙组机密" not in text  # a group-2 marker never appears in group 1's archive
    log = ExportLog.objects.get(kind="inspection_archive")
    assert log.user == w.users["office"] and log.confidential and log.row_count == len(names)


def test_the_archive_is_for_office_and_leadership_only(archived, client):
    url = reverse("rounds:inspection_archive_download", args=[archived.g1.inspection.pk])
    client.force_login(archived.users["leadership"])
    assert client.get(url).status_code == 200
    for persona in ("group1_leader", "group1_member", "group2_leader", "group2_member", "liaison", "jiwei", "nobody"):
        client.force_login(archived.users[persona])
        assert client.get(url).status_code == 404, persona
    # Not archived yet: nothing to download, even for the office.
    client.force_login(archived.users["office"])
    assert (
        client.get(reverse("rounds:inspection_archive_download", args=[archived.g2.inspection.pk])).status_code == 404
    )
