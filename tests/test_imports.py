"""Excel in: each kind of bad row is reported by row and column; nothing is saved unless all is clean."""

import io
import os
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from rounds.models import Avoidance, Inspector, PartyUnit
from xuncha import dataversion
from xuncha.models import ImportJob

pytestmark = pytest.mark.django_db

UNIT_HEADERS = ["名称", "类别", "上级乡镇", "在册"]
PEOPLE_HEADERS = ["姓名", "工作单位", "职级", "专业特长", "组长库", "回避单位"]


def xlsx(headers, *rows, title_row=None):
    wb = openpyxl.Workbook()
    ws = wb.active
    if title_row:
        ws.append([title_row])
    ws.append(headers)
    for row in rows:
        ws.append(list(row))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def upload(client, kind, content, name="导入.xlsx", capture=None):
    f = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    with capture(execute=True):
        return client.post(reverse("exports:import_start", args=[kind]), {"file": f})


@pytest.fixture
def office(world, login):
    return login(world.users["office"])


@pytest.fixture
def send(office, django_capture_on_commit_callbacks):
    def _send(kind, content, name="导入.xlsx"):
        return upload(office, kind, content, name, django_capture_on_commit_callbacks)

    return _send


def _job(response):
    assert response.status_code == 302, response.content.decode()[:2000]
    return ImportJob.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))


def _errors(job):
    return {(e["row"], e["column"]): e["message"] for e in job.errors}


def test_a_clean_unit_file_is_imported_with_history_by_the_uploader(world, send, django_capture_on_commit_callbacks):
    version = dataversion.version()
    with django_capture_on_commit_callbacks(execute=True):
        job = _job(
            send(
                "units",
                xlsx(
                    UNIT_HEADERS,
                    ("新华镇党委", "乡镇党委", "", "是"),
                    ("新华村党支部", "村(社区)党组织", "新华镇党委", ""),  # parent earlier in the file
                    ("西湖社区党委", "村(社区)党组织", "城关镇党委", "否"),  # parent in the registry
                    ("县审计局党组", "县直部门单位党组(党委)", None, None),
                ),
            )
        )
    assert job.status == "done", job.message
    assert job.created_count == 4 and job.message == "已导入 4 行。"
    assert dataversion.version() != version  # bulk inserts: the import says the data changed itself
    village = PartyUnit.objects.get(name="新华村党支部")
    assert village.parent.name == "新华镇党委" and village.kind == "village"
    assert PartyUnit.objects.get(name="西湖社区党委").is_active is False
    record = village.history.get()
    assert record.history_user == world.users["office"]
    assert record.history_change_reason == "Excel 导入"


def test_every_kind_of_bad_unit_row_is_reported_and_nothing_is_saved(world, send):
    before = PartyUnit.objects.count()
    job = _job(
        send(
            "units",
            xlsx(
                UNIT_HEADERS,
                ("好单位党委", "国有企业", "", ""),  # row 2: clean, but must not be saved either
                ("", "乡镇党委", "", ""),  # 3: name missing
                ("某单位", "", "", ""),  # 4: kind missing
                ("某某单位", "街道党工委", "", ""),  # 5: unknown kind
                ("某村", "村(社区)党组织", "", ""),  # 6: village without township
                ("另一村", "村(社区)党组织", "不存在镇党委", ""),  # 7: parent unknown
                ("第三村", "村(社区)党组织", "县财政局党组", ""),  # 8: parent not a township
                ("县财政局党组", "县直部门单位党组(党委)", "", ""),  # 9: already in the registry (an update)
                ("好单位党委", "国有企业", "", ""),  # 10: duplicate of row 2
                ("第四村", "村(社区)党组织", "后面镇党委", ""),  # 11: parent only later in the file
                ("后面镇党委", "乡镇党委", "", "也许"),  # 12: 在册 not 是/否
            ),
        )
    )
    assert job.status == "rejected"
    errors = _errors(job)
    assert errors[(3, "名称")] == "必填。"
    assert errors[(4, "类别")] == "必填。"
    assert errors[(5, "类别")].startswith("「街道党工委」不是已知的单位类别，应为：乡镇党委、")
    assert errors[(6, "上级乡镇")] == "村(社区)党组织必须填写上级乡镇。"
    assert errors[(7, "上级乡镇")] == "「不存在镇党委」不在巡察对象库中，也不在本文件前面的行中。"
    assert errors[(8, "上级乡镇")] == "「县财政局党组」不是乡镇党委，不能作为上级乡镇。"
    assert (9, "名称") not in errors  # already in the registry: the row updates it
    assert errors[(10, "名称")] == "与第 2 行重复。"
    assert (11, "上级乡镇") in errors
    assert errors[(12, "在册")] == "只能填“是”或“否”，不能是「也许」。"
    assert (2, "名称") not in errors
    assert "整个文件未导入" in job.message
    assert PartyUnit.objects.count() == before  # all or nothing


def test_the_job_page_lists_the_errors_by_row_and_column(world, send, office):
    job = _job(send("units", xlsx(UNIT_HEADERS, ("某村", "村(社区)党组织", "", ""))))
    page = office.get(reverse("exports:import_job", args=[job.pk])).content.decode()
    assert "第 2 行" in page and "上级乡镇" in page and "村(社区)党组织必须填写上级乡镇。" in page
    assert "hx-trigger" not in page  # finished: the page stops polling


def test_a_clean_people_file_is_imported_with_avoidances(world, send):
    job = _job(
        send(
            "people",
            xlsx(
                PEOPLE_HEADERS,
                ("张三", "县财政局党组", "四级调研员", "财务、审计", "是", "县教育局党组，城关镇党委"),
                ("李四", "", "", "", "", ""),
            ),
        )
    )
    assert job.status == "done", job.errors
    zhang = Inspector.objects.get(name="张三")
    assert zhang.home_unit == world.units.finance and zhang.in_leader_pool
    assert zhang.specialties == ["finance", "audit"]
    assert set(Avoidance.objects.filter(inspector=zhang).values_list("unit__name", flat=True)) == {
        "县教育局党组",
        "城关镇党委",
    }
    assert zhang.history.get().history_user == world.users["office"]
    # Home unit is always avoided; the declared ones come on top.
    assert zhang.avoided_unit_ids() == {world.units.finance.pk, world.units.education.pk, world.units.township.pk}


def test_every_kind_of_bad_person_row_is_reported_and_nothing_is_saved(world, send):
    Inspector.objects.create(name="王五", home_unit=world.units.finance)
    before = Inspector.objects.count()
    job = _job(
        send(
            "people",
            xlsx(
                PEOPLE_HEADERS,
                ("赵六", "县财政局党组", "", "", "", ""),  # 2: clean
                ("", "县财政局党组", "", "", "", ""),  # 3: name missing
                ("钱七", "不存在的单位", "", "", "", ""),  # 4: home unit unknown
                ("孙八", "", "", "财务、炒股", "", ""),  # 5: unknown specialty
                ("周九", "", "", "", "可能", ""),  # 6: 组长库 not 是/否
                ("吴十", "", "", "", "", "县教育局党组、火星党委"),  # 7: avoided unit unknown
                ("王五", "县财政局党组", "", "", "", ""),  # 8: already in the pool (an update)
                ("赵六", "县财政局党组", "", "", "", ""),  # 9: duplicate of row 2
            ),
        )
    )
    assert job.status == "rejected"
    errors = _errors(job)
    assert errors[(3, "姓名")] == "必填。"
    assert errors[(4, "工作单位")] == "「不存在的单位」不在巡察对象库中。"
    assert errors[(5, "专业特长")].startswith("「炒股」不是已知的专业特长")
    assert errors[(6, "组长库")] == "只能填“是”或“否”，不能是「可能」。"
    assert errors[(7, "回避单位")] == "「火星党委」不在巡察对象库中。"
    assert (8, "姓名") not in errors  # already in the pool: the row updates that person
    assert errors[(9, "姓名")] == "与第 2 行重复（同名且同一工作单位）。"
    assert Inspector.objects.count() == before


def _garbage_zip():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("readme.txt", "not a workbook")
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("名单.xls", b"\xd0\xcf\x11\xe0 old excel", "请上传 Excel 工作簿（.xlsx）"),
        ("名单.csv", "名称,类别\n".encode(), "请上传 Excel 工作簿（.xlsx）"),
        ("空.xlsx", b"", "文件是空的"),
        ("假的.xlsx", b"just text renamed", "文件不是有效的 Excel 工作簿"),
        ("压缩包.xlsx", _garbage_zip(), "这是一个压缩文件，但不是 Excel 工作簿"),
        ("大.xlsx", os.urandom(10 * 1024 * 1024), "文件过大（10.0 MB），单次导入不超过 5 MB"),
    ],
    ids=["xls", "csv", "empty", "renamed-text", "zip-not-workbook", "10MB-garbage"],
)
def test_a_wrong_file_gets_a_clear_message_and_no_job(world, send, name, content, message):
    response = send("units", content, name=name)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ImportJob.objects.exists()


def test_headers_under_a_title_row_and_extra_columns_are_accepted(world, send):
    content = xlsx(["序号", *UNIT_HEADERS], (1, "新区党工委", "乡镇党委", "", "是"), title_row="巡察对象名录")
    assert _job(send("units", content)).status == "done"


def test_the_template_has_the_headers_and_imports_once_filled(world, office, send):
    response = office.get(reverse("exports:import_template", args=["units"]))
    assert response.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    ws = wb["导入数据"]
    assert [c.value for c in ws[1]] == ["编号", *UNIT_HEADERS]
    assert "填写说明" in wb.sheetnames
    ws.append([None, "模板镇党委", "乡镇党委", None, "是"])
    out = io.BytesIO()
    wb.save(out)
    assert _job(send("units", out.getvalue())).status == "done"
    assert PartyUnit.objects.filter(name="模板镇党委").exists()
    response = office.get(reverse("exports:import_template", args=["people"]))
    people_headers = [c.value for c in openpyxl.load_workbook(io.BytesIO(response.content))["导入数据"][1]]
    assert people_headers == ["编号", *PEOPLE_HEADERS, "在库"]


def test_running_a_job_twice_imports_once(world, send):
    from rounds.tasks import import_run

    job = _job(send("units", xlsx(UNIT_HEADERS, ("一次镇党委", "乡镇党委", "", ""))))
    import_run.delay(job.pk)
    assert PartyUnit.objects.filter(name="一次镇党委").count() == 1


def test_progress_is_shown_while_the_job_is_pending(world, office):
    from django.core.files.base import ContentFile

    job = ImportJob(kind="units", original_name="a.xlsx", total=10, created_by=office_user(world))
    job.file.save("a.xlsx", ContentFile(b"x"), save=False)
    job.save()
    page = office.get(reverse("exports:import_job", args=[job.pk]), headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 1s"' in page and "排队等待处理" in page and "<html" not in page


def office_user(world):
    return world.users["office"]


@pytest.mark.parametrize("persona", ["leadership", "group1_leader", "liaison", "nobody"])
def test_import_is_office_only(world, login, persona):
    client = login(world.users[persona])
    assert client.get(reverse("exports:import_start", args=["units"])).status_code == 404
    assert client.get(reverse("exports:import_template", args=["people"])).status_code == 404
    response = client.post(
        reverse("exports:import_start", args=["units"]),
        {"file": SimpleUploadedFile("a.xlsx", xlsx(UNIT_HEADERS, ("x", "乡镇党委")))},
    )
    assert response.status_code == 404
    assert not PartyUnit.objects.filter(name="x").exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (xlsx(["单位", "性质"], ("甲", "乙")), "表头不符：缺少「名称」、「类别」列"),
        (xlsx(UNIT_HEADERS), "文件中没有数据行"),
    ],
    ids=["wrong-headers", "no-rows"],
)
def test_what_needs_the_sheet_read_is_said_by_the_job(world, send, office, content, message):
    job = _job(send("units", content))
    assert job.status == "rejected" and message in job.message
    assert message in office.get(reverse("exports:import_job", args=[job.pk])).content.decode()


def _swap_sheet(content, sheet_xml_chunks):
    """The workbook `content` with its first sheet's XML replaced by the chunks given (streamed, compressed)."""
    src = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for item in src.infolist():
            if item.filename == "xl/worksheets/sheet1.xml":
                with z.open(item.filename, "w", force_zip64=True) as f:
                    for chunk in sheet_xml_chunks:
                        f.write(chunk)
            else:
                z.writestr(item, src.read(item.filename))
    return out.getvalue()


SHEET_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)


def _bomb_sheet(megabytes):
    yield SHEET_HEAD + b'<dimension ref="A1:D5"/><sheetData>'
    row = b'<row><c t="inlineStr"><is><t>x</t></is></c><c t="inlineStr"><is><t>y</t></is></c></row>' * 1000
    for _ in range(megabytes * 1024 * 1024 // len(row) + 1):
        yield row
    yield b"</sheetData></worksheet>"


def test_a_zip_bomb_is_refused_in_the_request_without_being_parsed(world, send, monkeypatch):
    """183 KB holding 60 MB of sheet XML held a worker for 54 s: such a file is refused at once, unread."""
    import time

    from rounds import imports

    content = _swap_sheet(xlsx(UNIT_HEADERS, ("甲镇党委", "乡镇党委")), _bomb_sheet(20))
    assert len(content) < 400 * 1024
    monkeypatch.setattr(imports, "load_workbook", lambda *a, **k: pytest.fail("the request parsed the workbook"))
    started = time.monotonic()
    response = send("units", content, name="名单.xlsx")
    assert time.monotonic() - started < 2
    assert response.status_code == 200
    assert "工作簿内容异常（解压后过大），无法导入" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_a_sheet_declaring_too_many_rows_is_refused_in_the_request(world, send, monkeypatch):
    from rounds import imports

    sheet = [SHEET_HEAD + b'<dimension ref="A1:D1048576"/><sheetData></sheetData></worksheet>']
    content = _swap_sheet(xlsx(UNIT_HEADERS, ("甲镇党委", "乡镇党委")), sheet)
    monkeypatch.setattr(imports, "load_workbook", lambda *a, **k: pytest.fail("the request parsed the workbook"))
    response = send("units", content)
    assert "数据行过多，单次导入不超过 20000 行" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_the_request_does_not_parse_a_good_file_the_job_does(world, send, monkeypatch):
    from rounds import imports

    real = imports.load_workbook
    calls = []

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(imports, "load_workbook", counting)
    job = _job(send("units", xlsx(UNIT_HEADERS, ("甲镇党委", "乡镇党委"))))
    assert job.status == "done" and len(calls) == 1  # once, in the job (run in-process here)


def test_too_many_rows_found_by_the_job_reject_the_file(world, send, monkeypatch):
    from rounds import imports

    monkeypatch.setattr(imports, "MAX_ROWS", 3)
    rows = [(f"镇{i}党委", "乡镇党委") for i in range(5)]
    job = _job(send("units", _swap_sheet(xlsx(UNIT_HEADERS, *rows), _no_dimension(xlsx(UNIT_HEADERS, *rows)))))
    assert job.status == "rejected" and "单次导入不超过 3 行" in job.message
    assert not PartyUnit.objects.filter(name="镇0党委").exists()


def _no_dimension(content):
    """The sheet as openpyxl wrote it, without its <dimension> (some tools write none)."""
    import re

    xml = zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml")
    return [re.sub(rb"<dimension[^>]*/>", b"", xml)]


def test_a_date_or_number_where_a_name_belongs_is_a_row_error(world, send):
    import datetime

    job = _job(
        send(
            "units",
            xlsx(
                UNIT_HEADERS,
                ("好镇党委", "乡镇党委"),
                (datetime.datetime(2026, 1, 2), "县直部门单位党组(党委)"),
                (12345, "县直部门单位党组(党委)"),
                ("某村党支部", "村(社区)党组织", datetime.date(2026, 1, 2)),
            ),
        )
    )
    assert job.status == "rejected"
    errors = _errors(job)
    assert errors[(3, "名称")].startswith("应填写名称，不能是日期或数字（「2026-01-02 00:00:00」）")
    assert errors[(4, "名称")].startswith("应填写名称，不能是日期或数字（「12345」）")
    assert errors[(5, "上级乡镇")].startswith("应填写名称，不能是日期或数字")
    assert not PartyUnit.objects.filter(name__startswith="2026").exists()
    people = _job(send("people", xlsx(PEOPLE_HEADERS, (datetime.datetime(2026, 1, 2), "县财政局党组"))))
    assert _errors(people)[(2, "姓名")].startswith("应填写名称，不能是日期或数字")
