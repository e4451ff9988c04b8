"""Excel in: the unit registry and the people pool from .xlsx, validated row by row, all or nothing.

`check_file` answers at once without parsing the sheet (wrong type, too big, not a workbook, a declared size
beyond the limits); `import_job_create` (rounds/jobs.py) stores the file and queues
`rounds.tasks.import_run`, which reads the sheet (wrong headers, no rows, too many rows) and validates every row
(errors by row and column, in Chinese) and, only when the whole file is clean, writes it in one
transaction through `units_import` / `inspectors_import` with history attributed to the uploader."""

import io
import logging
import re
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from simple_history.utils import bulk_create_with_history

from xuncha import dataversion
from xuncha.exports.engine import as_text
from xuncha.models import ImportKind

from .choices import Specialty, UnitKind
from .models import Avoidance, Inspector, PartyUnit
from .services import Hierarchy, hierarchy_problem

logger = logging.getLogger(__name__)

# Limits that keep any accepted file's background parse within a minute: the worst accepted sheet (15 MB of the
# smallest cells) parses in about 20 s on a busy 2-core machine. A real 20,000-row, 6-column sheet is about
# 4 MB of XML (plus its shared strings); more is a zip bomb or a file that is not the template.
MAX_ROWS = 20_000
MAX_COLUMNS = 30  # cells right of this are never read
MAX_COLUMNS_DECLARED = 200
MAX_MEMBERS = 200
MAX_MEMBER_UNZIPPED = 15 * 1024 * 1024
MAX_UNZIPPED = 40 * 1024 * 1024
DIMENSION_PEEK = 4096  # <dimension ref="A1:F201"/> sits at the top of a sheet's XML
SPLIT = re.compile(r"[、,，;；\s]+")
YES, NO = "是", "否"


def max_bytes() -> int:
    return getattr(settings, "IMPORT_MAX_MB", 5) * 1024 * 1024


@dataclass(frozen=True)
class Layout:
    headers: tuple[str, ...]
    required: tuple[str, ...]
    notes: tuple[str, ...]
    example: tuple[str, ...]


LAYOUTS = {
    ImportKind.UNITS: Layout(
        headers=("名称", "类别", "上级乡镇", "在册"),
        required=("名称", "类别"),
        notes=(
            "名称：必填，不能与巡察对象库或本文件中已有的名称重复。",
            "类别：必填，只能是：" + "、".join(str(label) for label in UnitKind.labels) + "。",
            "上级乡镇：村(社区)党组织必填，须是库中已有的乡镇党委，或本文件前面行中的乡镇党委。",
            "在册：填“是”或“否”，不填视为“是”。",
        ),
        example=("城关镇党委", "乡镇党委", "", "是"),
    ),
    ImportKind.PEOPLE: Layout(
        headers=("姓名", "工作单位", "职级", "专业特长", "组长库", "回避单位"),
        required=("姓名",),
        notes=(
            "姓名：必填。同一工作单位下的同名人员视为重复。",
            "工作单位：须是巡察对象库中已有的单位名称。",
            "专业特长：可填多项，用顿号分隔，只能是：" + "、".join(str(label) for label in Specialty.labels) + "。",
            "组长库：填“是”或“否”，不填视为“否”。",
            "回避单位：申报需回避的单位，可填多项，用顿号分隔，须是巡察对象库中已有的单位。",
        ),
        example=("张三", "县财政局党组", "四级调研员", "财务、审计", "否", "县教育局党组"),
    ),
}


class ImportFileError(Exception):
    """The file as a whole cannot be imported; the message says why, in words the office uses."""


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _open(fileobj):
    try:
        fileobj.seek(0)
        return load_workbook(fileobj, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any parser failure means the same thing to the user
        raise ImportFileError(_("无法读取该工作簿，请用 Excel 打开确认后另存为 .xlsx 再上传。")) from exc


def read_rows(fileobj, kind):
    """Yield (excel_row_number, {header: value}) for each non-blank data row of the first sheet: text stripped,
    other values (numbers, dates) as the cell holds them. The header row is the first or second row (the second
    when row 1 is a title, as in our exports). Only the background job calls this: it parses the whole sheet."""
    layout = LAYOUTS[kind]
    workbook = _open(fileobj)
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS)
        header_row, columns = 0, {}
        for number, row in enumerate(rows, start=1):
            names = [_text(v) for v in row]
            columns = {name: i for i, name in enumerate(names) if name in layout.headers}
            if set(layout.required) <= columns.keys() or number == 2:
                header_row = number
                break
        missing = [h for h in layout.required if h not in columns]
        if missing:
            raise ImportFileError(
                _("表头不符：缺少%(cols)s列。请下载导入模板，按模板的表头填写。")
                % {"cols": "、".join(f"「{h}」" for h in missing)}
            )
        count = 0
        for number, row in enumerate(rows, start=header_row + 1):
            values = {h: _cell(row[i]) if i < len(row) else "" for h, i in columns.items()}
            if any(v != "" for v in values.values()):
                count += 1
                if count > MAX_ROWS:
                    raise ImportFileError(TOO_MANY_ROWS())
                yield number, values
        if not count:
            raise ImportFileError(_("文件中没有数据行：表头以下是空的。"))
    finally:
        workbook.close()


def _cell(value):
    return value.strip() if isinstance(value, str) else ("" if value is None else value)


def TOO_MANY_ROWS():  # noqa: N802 - a message, translated when raised
    return _("数据行过多，单次导入不超过 %(max)d 行，请拆分后分批导入。") % {"max": MAX_ROWS}


_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"([A-Z]+)?(\d+)?(?::([A-Z]+)(\d+))?\"")


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:  # bytes: each is an int
        n = n * 26 + ch - 64
    return n


def check_file(upload, kind) -> int:
    """Refuse a wrong file at once, with a clear message, without parsing it: type, size, the zip's members and
    their uncompressed sizes, and each sheet's declared dimension. Returns the declared number of data rows (an
    estimate for the progress bar); the background job parses the sheet and reports headers and rows."""
    name = (upload.name or "").lower()
    if not name.endswith(".xlsx"):
        raise ImportFileError(
            _("请上传 Excel 工作簿（.xlsx）。.xls、.csv、.et 等格式请先在 Excel 或 WPS 中另存为 .xlsx。")
        )
    if not upload.size:
        raise ImportFileError(_("文件是空的。"))
    if upload.size > max_bytes():
        raise ImportFileError(
            _("文件过大（%(size).1f MB），单次导入不超过 %(max)d MB，请拆分后分批导入。")
            % {"size": upload.size / 1024 / 1024, "max": max_bytes() // 1024 // 1024}
        )
    too_big = _("工作簿内容异常（解压后过大），无法导入。请只保留要导入的数据，另存为 .xlsx 后再上传。")
    try:
        upload.seek(0)
        if not zipfile.is_zipfile(upload):
            raise ImportFileError(_("文件不是有效的 Excel 工作簿（.xlsx），可能已损坏，或只是改了扩展名。"))
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            members = archive.infolist()
            names = {m.filename for m in members}
            if "xl/workbook.xml" not in names:
                raise ImportFileError(_("这是一个压缩文件，但不是 Excel 工作簿（.xlsx）。"))
            if len(members) > MAX_MEMBERS or sum(m.file_size for m in members) > MAX_UNZIPPED:
                raise ImportFileError(too_big)
            declared = 0
            for member in members:
                if member.file_size > MAX_MEMBER_UNZIPPED:
                    raise ImportFileError(too_big)
                if member.filename.startswith("xl/worksheets/") and member.filename.endswith(".xml"):
                    with archive.open(member) as sheet:
                        head = sheet.read(DIMENSION_PEEK)
                    match = _DIMENSION.search(head)
                    if match and match.group(4):
                        rows, cols = int(match.group(4)), _column_number(match.group(3))
                        if rows > MAX_ROWS + 2:
                            raise ImportFileError(TOO_MANY_ROWS())
                        if cols > MAX_COLUMNS_DECLARED:
                            raise ImportFileError(too_big)
                        declared = declared or rows
    except ImportFileError:
        raise
    except Exception as exc:  # noqa: BLE001 - a broken zip means the same thing to the user
        raise ImportFileError(_("无法读取该工作簿，请用 Excel 打开确认后另存为 .xlsx 再上传。")) from exc
    upload.seek(0)
    return max(declared - 1, 1)


# --- Validation ----------------------------------------------------------------------------


class Errors(list):
    """Errors by row and column; the first message for a cell is the one shown."""

    def add(self, row, column, message):
        # A row's errors are added together, at most one per column: the last few entries are the row's.
        if self and any(e["row"] == row and e["column"] == column for e in self[-8:]):
            return
        self.append({"row": row, "column": column, "message": message})


# Columns that hold the name of a unit or a person: Excel turns "2026-01-02" or "001" typed there into a date or
# a number, which would become a unit named "2026-01-02 00:00:00". Such a cell is the row's error.
NAME_COLUMNS = frozenset({"名称", "上级乡镇", "姓名", "工作单位", "回避单位"})


def _as_text(values: dict, row, errors) -> dict:
    out = {}
    for column, value in values.items():
        if not isinstance(value, str):
            if column in NAME_COLUMNS:
                errors.add(
                    row,
                    column,
                    _("应填写名称，不能是日期或数字（「%(v)s」）。请将该列设为文本格式后重新填写。")
                    % {"v": _text(value)},
                )
            value = _text(value)
        out[column] = value
    return out


def _yes_no(value, *, default, row, column, errors):
    if value == "":
        return default
    if value in (YES, NO):
        return value == YES
    errors.add(row, column, _("只能填“是”或“否”，不能是「%(v)s」。") % {"v": value})
    return default


def _too_long(value, limit, row, column, errors):
    if len(value) > limit:
        errors.add(row, column, _("不能超过 %(n)d 个字。") % {"n": limit})


def _hierarchy_message(problem: str, parent: str) -> str:
    return {
        Hierarchy.VILLAGE_WITHOUT_TOWNSHIP: _("村(社区)党组织必须填写上级乡镇。"),
        Hierarchy.PARENT_NOT_TOWNSHIP: _("「%(v)s」不是乡镇党委，不能作为上级乡镇。") % {"v": parent},
        Hierarchy.OWN_PARENT: _("不能是本单位。"),
    }[problem]


def validate_units(rows, progress=lambda n: None):
    """Check every row; return (clean rows, errors). Clean rows carry the parent name to resolve."""
    kinds = {str(label): value for value, label in UnitKind.choices}
    registry = dict(PartyUnit.objects.values_list("name", "kind"))
    seen = {}  # name -> (row, kind) earlier in this file
    clean, errors = [], Errors()
    for i, (row, values) in enumerate(rows, start=1):
        before = len(errors)
        values = _as_text(values, row, errors)
        name, kind_label, parent, active = (values.get(h, "") for h in ("名称", "类别", "上级乡镇", "在册"))
        if not name:
            errors.add(row, "名称", _("必填。"))
        else:
            _too_long(name, 120, row, "名称", errors)
            if name in registry:
                errors.add(row, "名称", _("「%(v)s」已在巡察对象库中。") % {"v": name})
            elif name in seen:
                errors.add(row, "名称", _("与第 %(n)d 行重复。") % {"n": seen[name][0]})
        kind = kinds.get(kind_label)
        if not kind_label:
            errors.add(row, "类别", _("必填。"))
        elif kind is None:
            errors.add(
                row,
                "类别",
                _("「%(v)s」不是已知的单位类别，应为：%(all)s。") % {"v": kind_label, "all": "、".join(kinds)},
            )
        parent_kind = (registry.get(parent) or (seen[parent][1] if parent in seen else None)) if parent else None
        if parent and parent_kind is None:
            errors.add(row, "上级乡镇", _("「%(v)s」不在巡察对象库中，也不在本文件前面的行中。") % {"v": parent})
        else:
            problem = hierarchy_problem(kind=kind, parent_kind=parent_kind, own_parent=parent == name)
            if problem:
                errors.add(row, "上级乡镇", _hierarchy_message(problem, parent))
        is_active = _yes_no(active, default=True, row=row, column="在册", errors=errors)
        if name and name not in seen and name not in registry:
            seen[name] = (row, kind)
        if len(errors) == before:
            clean.append({"row": row, "name": name, "kind": kind, "parent": parent, "is_active": is_active})
        progress(i)
    return clean, errors


def validate_people(rows, progress=lambda n: None):
    specialties = {str(label): value for value, label in Specialty.choices}
    units = dict(PartyUnit.objects.values_list("name", "pk"))
    existing = set(Inspector.objects.values_list("name", "home_unit__name"))
    seen = {}
    clean, errors = [], Errors()
    for i, (row, values) in enumerate(rows, start=1):
        before = len(errors)
        values = _as_text(values, row, errors)
        name, home, rank, skills, pool, avoid = (
            values.get(h, "") for h in ("姓名", "工作单位", "职级", "专业特长", "组长库", "回避单位")
        )
        if not name:
            errors.add(row, "姓名", _("必填。"))
        else:
            _too_long(name, 40, row, "姓名", errors)
        if home and home not in units:
            errors.add(row, "工作单位", _("「%(v)s」不在巡察对象库中。") % {"v": home})
        _too_long(rank, 40, row, "职级", errors)
        key = (name, home or None)
        if name and key in existing:
            errors.add(
                row, "姓名", _("%(unit)s的「%(v)s」已在人才库中。") % {"v": name, "unit": home or _("无工作单位")}
            )
        elif name and key in seen:
            errors.add(row, "姓名", _("与第 %(n)d 行重复（同名且同一工作单位）。") % {"n": seen[key]})
        seen.setdefault(key, row)
        skill_labels = [s for s in SPLIT.split(skills) if s]
        unknown = [s for s in skill_labels if s not in specialties]
        if unknown:
            errors.add(
                row,
                "专业特长",
                _("「%(v)s」不是已知的专业特长，应为：%(all)s。")
                % {"v": "、".join(unknown), "all": "、".join(specialties)},
            )
        in_pool = _yes_no(pool, default=False, row=row, column="组长库", errors=errors)
        avoid_names = list(dict.fromkeys(s for s in SPLIT.split(avoid) if s))
        missing = [u for u in avoid_names if u not in units]
        if missing:
            errors.add(row, "回避单位", _("「%(v)s」不在巡察对象库中。") % {"v": "、".join(missing)})
        if len(errors) == before:
            clean.append(
                {
                    "row": row,
                    "name": name,
                    "home_unit_id": units.get(home),
                    "rank": rank,
                    "specialties": [specialties[s] for s in skill_labels],
                    "in_leader_pool": in_pool,
                    "avoid_unit_ids": [units[u] for u in avoid_names],
                }
            )
        progress(i)
    return clean, errors


# --- Services --------------------------------------------------------------------------------

BATCH = 1000


def _clean_all(objs):
    for obj in objs:
        # Uniqueness was checked against the registry already, in one query, not one per row.
        obj.full_clean(validate_unique=False, validate_constraints=False)


@transaction.atomic
def units_import(*, actor, rows, progress=lambda n: None) -> int:
    """Create the units of a clean file, parents before children, with history by `actor`."""
    ids = dict(PartyUnit.objects.values_list("name", "pk"))
    pending, done = list(rows), 0
    while pending:
        ready = [r for r in pending if not r["parent"] or r["parent"] in ids]
        if not ready:  # validation only lets a parent come from the registry or an earlier row
            raise ValueError("unresolvable parents")
        objs = [
            PartyUnit(name=r["name"], kind=r["kind"], parent_id=ids.get(r["parent"]), is_active=r["is_active"])
            for r in ready
        ]
        _clean_all(objs)
        for start in range(0, len(objs), BATCH):
            bulk_create_with_history(
                objs[start : start + BATCH], PartyUnit, default_user=actor, default_change_reason=_("Excel 导入")
            )
            done += len(objs[start : start + BATCH])
            progress(done)
        created = dict(PartyUnit.objects.filter(name__in=[r["name"] for r in ready]).values_list("name", "pk"))
        ids.update(created)
        pending = [r for r in pending if r["name"] not in created]
    dataversion.bump()  # bulk inserts send no post_save: the figures and list counts must still see the units
    return done


@transaction.atomic
def inspectors_import(*, actor, rows, progress=lambda n: None) -> int:
    """Create the people of a clean file and their declared 回避 units, with history by `actor`."""
    reason = _("Excel 导入")
    done = 0
    for start in range(0, len(rows), BATCH):
        batch = rows[start : start + BATCH]
        people = [
            Inspector(
                name=r["name"],
                home_unit_id=r["home_unit_id"],
                rank=r["rank"],
                specialties=r["specialties"],
                in_leader_pool=r["in_leader_pool"],
            )
            for r in batch
        ]
        _clean_all(people)
        people = bulk_create_with_history(people, Inspector, default_user=actor, default_change_reason=reason)
        if any(p.pk is None for p in people):  # a backend that cannot return ids from a bulk insert
            raise RuntimeError("bulk_create did not return primary keys")
        avoidances = [
            Avoidance(inspector_id=p.pk, unit_id=unit_id, reason=_("导入时申报"))
            for p, r in zip(people, batch, strict=True)
            for unit_id in r["avoid_unit_ids"]
        ]
        if avoidances:
            bulk_create_with_history(avoidances, Avoidance, default_user=actor, default_change_reason=reason)
        done += len(batch)
        progress(done)
    return done


VALIDATORS = {ImportKind.UNITS: validate_units, ImportKind.PEOPLE: validate_people}
WRITERS = {ImportKind.UNITS: units_import, ImportKind.PEOPLE: inspectors_import}
MAX_ERRORS_KEPT = 1000


def template_workbook(kind) -> bytes:
    """The .xlsx to fill in: the headers, drop-down lists where the values are fixed, and the rules."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    layout = LAYOUTS[kind]
    wb = Workbook()
    ws = wb.active
    ws.title = "导入数据"
    ws.append(list(layout.headers))
    for i, header in enumerate(layout.headers, start=1):
        cell = ws.cell(1, i)
        cell.font = Font(bold=True, color="C00000" if header in layout.required else "000000")
        cell.fill = PatternFill("solid", fgColor="DDE3EA")
        ws.column_dimensions[cell.column_letter].width = 30 if header in ("名称", "回避单位", "专业特长") else 16
    ws.freeze_panes = "A2"
    choices = {"在册": [YES, NO], "组长库": [YES, NO]}
    if kind == ImportKind.UNITS:
        choices["类别"] = [str(label) for label in UnitKind.labels]
    for header, values in choices.items():
        if header not in layout.headers:
            continue
        letter = ws.cell(1, layout.headers.index(header) + 1).column_letter
        dv = DataValidation(type="list", formula1='"' + ",".join(values) + '"', allow_blank=True)
        dv.error, dv.errorTitle = _("请从下拉列表中选择。"), _("取值不在列表中")
        ws.add_data_validation(dv)
        dv.add(f"{letter}2:{letter}{MAX_ROWS + 1}")
    notes = wb.create_sheet("填写说明")
    notes.column_dimensions["A"].width = 100
    notes.append([_("填写说明（红色表头为必填列；请勿修改表头；从第 2 行起每行一条）")])
    notes["A1"].font = Font(bold=True)
    for line in layout.notes:
        notes.append([line])
    notes.append([])
    notes.append([_("示例：")])
    notes.append(list(layout.headers))
    notes.append(list(layout.example))
    for sheet in wb.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                as_text(cell)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
