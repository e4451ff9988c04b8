"""An export of the registry or the pool is a template: imported as it is it changes nothing; a cell edited in it
updates that row, with history by the uploader; a row without 编号 is matched by its name."""

import io

import pytest
from django.urls import reverse
from django.utils import translation

from rounds.models import Avoidance, Inspector, PartyUnit
from tests.exports_helpers import workbook
from tests.test_imports import _job, upload, xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(world, login):
    return login(world.users["office"])


@pytest.fixture
def send(office, django_capture_on_commit_callbacks):
    def _send(kind, content):
        return _job(upload(office, kind, content, capture=django_capture_on_commit_callbacks))

    return _send


def _export(office, kind, **headers):
    return workbook(office.get(reverse(f"exports:{kind}"), **headers))


def _save(wb) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _history_count():
    return PartyUnit.history.count() + Inspector.history.count() + Avoidance.history.count()


def _edit(wb, key_header, key, header, value):
    ws = wb.active
    names = [c.value for c in ws[2]]  # row 1 is the title, row 2 the headers
    for row in ws.iter_rows(min_row=3):
        if row[names.index(key_header)].value == key:
            row[names.index(header)].value = value
            return
    raise AssertionError(f"no row {key}")


@pytest.fixture
def pool(world):
    person = Inspector.objects.get(user=world.users["group1_leader"])
    person.home_unit, person.rank, person.specialties = world.units.township, "四级调研员", ["finance", "audit"]
    person.save()
    Avoidance.objects.create(inspector=person, unit=world.units.education, reason="配偶任职")
    return person


@pytest.mark.parametrize("kind", ["units", "people"])
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_an_export_imported_as_it_is_changes_nothing(world, office, send, pool, kind, language):
    units, people, history = PartyUnit.objects.count(), Inspector.objects.count(), _history_count()
    wb = _export(office, kind, HTTP_ACCEPT_LANGUAGE=language)
    assert (wb.active["C2"].value in ("名称", "姓名")) == (language == "zh-hans")  # the English one reads English
    with translation.override("zh-hans"):
        job = send(kind, _save(wb))
    assert job.status == "done", job.errors or job.message
    assert job.created_count == 0 and job.message.startswith("新增 0 行，更新 0 行")
    assert (PartyUnit.objects.count(), Inspector.objects.count(), _history_count()) == (units, people, history)


def test_an_edited_unit_cell_updates_that_unit_with_history(world, office, send):
    wb = _export(office, "units")
    _edit(wb, "名称", "县城投集团党委", "在册", "否")
    _edit(wb, "编号", world.units.education.pk, "名称", "县教育体育局党组")  # renamed: the 编号 keeps it the same unit
    job = send("units", _save(wb))
    assert job.status == "done", job.errors
    assert job.message == "新增 0 行，更新 2 行，3 行无变化。"
    outside = PartyUnit.objects.get(pk=world.units.outside.pk)
    assert not outside.is_active
    latest = outside.history.first()
    assert latest.history_user == world.users["office"] and latest.history_change_reason == "Excel 导入更新"
    assert PartyUnit.objects.get(pk=world.units.education.pk).name == "县教育体育局党组"
    assert PartyUnit.objects.count() == 5


def test_an_edited_person_cell_updates_that_person_with_history(world, office, send, pool):
    wb = _export(office, "people")
    _edit(wb, "编号", pool.pk, "职级", "三级调研员")
    _edit(wb, "编号", pool.pk, "回避单位", "县城投集团党委")
    job = send("people", _save(wb))
    assert job.status == "done", job.errors
    pool.refresh_from_db()
    assert pool.rank == "三级调研员" and pool.specialties == ["finance", "audit"]
    assert set(pool.avoidances.values_list("unit", flat=True)) == {world.units.outside.pk}
    assert pool.history.first().history_user == world.users["office"]
    withdrawn = Avoidance.history.filter(unit=world.units.education, history_type="-").get()
    assert withdrawn.history_user == world.users["office"]  # withdrawn, and the record of it kept
    assert Inspector.objects.count() == 4


def test_a_row_without_a_key_is_matched_by_its_name(world, send):
    job = send(
        "units",
        xlsx(["名称", "类别", "在册"], ("县财政局党组", "县直部门单位党组(党委)", "否"), ("新镇党委", "乡镇党委", "")),
    )
    assert job.status == "done", job.errors
    assert not PartyUnit.objects.get(pk=world.units.finance.pk).is_active
    assert PartyUnit.objects.get(name="新镇党委").is_active


def test_a_key_that_names_nothing_or_a_name_taken_is_a_row_error(world, send):
    job = send(
        "units",
        xlsx(
            ["编号", "名称", "类别"],
            (999999, "某单位", "国有企业"),
            (world.units.finance.pk, "县教育局党组", "县直部门单位党组(党委)"),
        ),
    )
    assert job.status == "rejected"
    errors = {(e["row"], e["column"]): e["message"] for e in job.errors}
    assert errors[(2, "编号")] == "「999999」不是巡察对象库中的编号；新增的请将编号留空。"
    assert errors[(3, "名称")] == "「县教育局党组」已是巡察对象库中另一个单位的名称。"
