"""The office reads who took what out: filters, pagination, and nobody else sees the log."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from xuncha.exports import log_download, log_export
from xuncha.models import ExportLog

pytestmark = pytest.mark.django_db


def test_log_download_records_the_object_and_marks_it_confidential(world):
    entry = log_download(
        user=world.users["group1_member"], kind="finding_evidence", obj=world.g1.finding, filename="谈话笔录.pdf"
    )
    assert entry.action == "download" and entry.confidential
    assert entry.object_repr == str(world.g1.finding)
    assert entry.filters == {"id": world.g1.finding.pk}


def test_office_filters_the_log_by_person_kind_and_date(world, login):
    log_export(
        user=world.users["group1_leader"],
        kind="findings",
        filename="问题底稿_1.xlsx",
        row_count=3,
        confidential=True,
        filters={"state": "reported"},
    )
    log_export(user=world.users["liaison"], kind="ledger", filename="整改台账_1.xlsx", row_count=1)
    old = log_export(user=world.users["liaison"], kind="ledger", filename="整改台账_old.xlsx")
    ExportLog.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=40))
    client = login(world.users["office"])
    url = reverse("exports:export_log")
    page = client.get(url).content.decode()
    assert "问题底稿_1.xlsx" in page and "整改台账_1.xlsx" in page and "state=reported" in page
    page = client.get(url, {"user": world.users["liaison"].pk}).content.decode()
    assert "问题底稿_1.xlsx" not in page and "整改台账_1.xlsx" in page
    page = client.get(url, {"kind": "findings"}).content.decode()
    assert "问题底稿_1.xlsx" in page and "整改台账_1.xlsx" not in page
    since = (timezone.localdate() - datetime.timedelta(days=7)).isoformat()
    page = client.get(url, {"from": since}).content.decode()
    assert "整改台账_1.xlsx" in page and "整改台账_old.xlsx" not in page
    page = client.get(url, {"confidential": "1"}).content.decode()
    assert "问题底稿_1.xlsx" in page and "整改台账_1.xlsx" not in page


def test_log_is_paginated_with_constant_queries(world, login, django_assert_max_num_queries):
    user = world.users["office"]
    ExportLog.objects.bulk_create(
        [ExportLog(user=user, kind="units", filename=f"f{i}.xlsx", row_count=i) for i in range(120)]
    )
    client = login(user)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("exports:export_log"))
    assert response.content.decode().count("<tr>") == 51  # header + 50 rows
    assert "第 1 / 3 页" in response.content.decode()
    assert client.get(reverse("exports:export_log"), {"page": 3}).content.decode().count("<tr>") == 21
    page = client.get(reverse("exports:export_log"), {"kind": "units", "per": 100, "page": 2}).content.decode()
    assert page.count("<tr>") == 21 and 'href="?kind=units&amp;per=100&amp;page=1"' in page


@pytest.mark.parametrize("persona", ["leadership", "group1_leader", "liaison", "jiwei", "nobody"])
def test_only_the_office_reads_the_log(world, login, persona):
    assert login(world.users[persona]).get(reverse("exports:export_log")).status_code == 404


def test_admin_cannot_edit_or_delete_log_rows(world, admin_client):
    entry = log_export(user=world.users["office"], kind="units", filename="a.xlsx")
    assert admin_client.get(reverse("admin:xuncha_exportlog_change", args=[entry.pk])).status_code == 200
    assert (
        admin_client.post(reverse("admin:xuncha_exportlog_delete", args=[entry.pk]), {"post": "yes"}).status_code == 403
    )
    assert ExportLog.objects.filter(pk=entry.pk).exists()
    assert admin_client.get(reverse("admin:xuncha_exportlog_add")).status_code == 403
