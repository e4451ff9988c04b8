"""Excel in: the unit registry and the people pool from .xlsx, validated row by row, all or nothing.

`check_file` answers at once without parsing the sheet (wrong type, too big, not a workbook, a declared size
beyond the limits); `import_job_create` (rounds/jobs.py) stores the file and queues
`rounds.tasks.import_run`, which reads the sheet (wrong headers, no rows, too many rows) and validates every row
(errors by row and column, in Chinese) and, only when the whole file is clean, writes it in one
transaction through `units_import` / `inspectors_import` with history attributed to the uploader.

A row updates an existing unit or person when it names one by its 编号 (the id the registry's and the pool's
exports carry), or, without one, by its natural key (a unit's 名称, a person's 姓名 at a 工作单位); otherwise it
adds one. An export is thus a template: edited and uploaded again, it changes the rows edited and nothing else."""

import functools
import io
import logging
import re
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from simple_history.utils import bulk_create_with_history

from xuncha import dataversion
from xuncha.exports.engine import as_text
from xuncha.history import stamp
from xuncha.models import ImportKind
from xuncha.params import parse_id

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
        headers=("编号", "名称", "类别", "上级乡镇", "在册"),
        required=("名称", "类别"),
        notes=(
            "编号：新增单位留空；填写导出表中的编号则更新该单位（可改名）。不填编号而名称已在库中的，也更新该单位。",
            "名称：必填，不能与本文件其他行或库中其他单位的名称重复。",
            "类别：必填，只能是：" + "、".join(str(label) for label in UnitKind.labels) + "。",
            "上级乡镇：村(社区)党组织必填，须是库中已有的乡镇党委，或本文件前面行中的乡镇党委。",
            "在册：填“是”或“否”；新增单位不填视为“是”，更新时不填则不变。",
            "巡察对象名录的导出表可直接修改后导入：多出的列（序号、计划年度、覆盖）不读取。",
        ),
        example=("", "城关镇党委", "乡镇党委", "", "是"),
    ),
    ImportKind.PEOPLE: Layout(
        headers=("编号", "姓名", "工作单位", "职级", "专业特长", "组长库", "回避单位", "在库"),
        required=("姓名",),
        notes=(
            "编号：新增人员留空；填写导出表中的编号则更新该人员（可改姓名、工作单位）。",
            "姓名：必填。不填编号时，同一工作单位下的同名人员视为同一人，更新其信息。",
            "工作单位：须是巡察对象库中已有的单位名称。",
            "专业特长：可填多项，用顿号分隔，只能是：" + "、".join(str(label) for label in Specialty.labels) + "。",
            "组长库、在库：填“是”或“否”；新增人员不填视为“否”“是”，更新时不填则不变。",
            "回避单位：申报需回避的单位，可填多项，用顿号分隔，须是巡察对象库中已有的单位；更新时按所填替换原有的申报。",
            "巡察人才库的导出表可直接修改后导入：多出的列（序号）不读取。",
        ),
        example=("", "张三", "县财政局党组", "四级调研员", "财务、审计", "否", "县教育局党组", "是"),
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
            aliases = header_aliases(kind)
            columns = {aliases[name]: i for i, name in enumerate(names) if name in aliases}
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


def in_every_language(text) -> set[str]:
    """A fixed word (a header, 是/否, a kind) as each language of the site writes it: an export made in English
    (headers 'Name', 'Yes') is read back like the Chinese one."""
    with translation.override(None):
        source = str(text)  # the Chinese the source says, whatever language is active
    return _translations(source)


@functools.cache
def _translations(source: str) -> frozenset[str]:
    words = {source}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            words.add(_(source))
    return frozenset(words)


def header_aliases(kind) -> dict[str, str]:
    return {alias: header for header in LAYOUTS[kind].headers for alias in in_every_language(header)}


def _labels(choices) -> dict[str, str]:
    """label (in any language) -> value, for a TextChoices."""
    return {alias: value for value, label in choices.choices for alias in in_every_language(label)}


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
    if value in in_every_language(YES):
        return True
    if value in in_every_language(NO):
        return False
    errors.add(row, column, _("只能填“是”或“否”，不能是「%(v)s」。") % {"v": value})
    return default


def _key(value, known, row, errors, what):
    """The 编号 column: the id of an existing row to update, or None (a new row)."""
    if value == "":
        return None
    pk = parse_id(value)
    if pk is None or pk not in known:
        errors.add(row, "编号", _("「%(v)s」不是%(what)s中的编号；新增的请将编号留空。") % {"v": value, "what": what})
    return pk


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
    """Check every row; return (clean rows, errors). A row with a 编号, or whose 名称 is in the registry, updates
    that unit; any other adds one. Clean rows carry the parent name to resolve."""
    kinds = _labels(UnitKind)
    registry = {name: (pk, kind) for pk, name, kind in PartyUnit.objects.values_list("pk", "name", "kind")}
    names_by_id = {pk: name for name, (pk, _kind) in registry.items()}
    seen, seen_ids = {}, {}  # name -> (row, kind) and id -> row, earlier in this file
    clean, errors = [], Errors()
    for i, (row, values) in enumerate(rows, start=1):
        before = len(errors)
        values = _as_text(values, row, errors)
        key, name, kind_label, parent, active = (
            values.get(h, "") for h in ("编号", "名称", "类别", "上级乡镇", "在册")
        )
        unit_id = _key(key, names_by_id, row, errors, _("巡察对象库"))
        if unit_id in seen_ids:
            errors.add(row, "编号", _("与第 %(n)d 行重复。") % {"n": seen_ids[unit_id]})
        if not key and name in registry:
            unit_id = registry[name][0]  # the name is the key where no 编号 is given
        if not name:
            errors.add(row, "名称", _("必填。"))
        else:
            _too_long(name, 120, row, "名称", errors)
            if name in seen:
                errors.add(row, "名称", _("与第 %(n)d 行重复。") % {"n": seen[name][0]})
            elif name in registry and registry[name][0] != unit_id:
                errors.add(row, "名称", _("「%(v)s」已是巡察对象库中另一个单位的名称。") % {"v": name})
        kind = kinds.get(kind_label)
        if not kind_label:
            errors.add(row, "类别", _("必填。"))
        elif kind is None:
            errors.add(
                row,
                "类别",
                _("「%(v)s」不是已知的单位类别，应为：%(all)s。")
                % {"v": kind_label, "all": "、".join(str(label) for label in UnitKind.labels)},
            )
        parent_kind = (seen[parent][1] if parent in seen else registry.get(parent, (None, None))[1]) if parent else None
        if parent and parent_kind is None:
            errors.add(row, "上级乡镇", _("「%(v)s」不在巡察对象库中，也不在本文件前面的行中。") % {"v": parent})
        else:
            problem = hierarchy_problem(kind=kind, parent_kind=parent_kind, own_parent=parent == name)
            if problem:
                errors.add(row, "上级乡镇", _hierarchy_message(problem, parent))
        is_active = _yes_no(active, default=None, row=row, column="在册", errors=errors)
        if name and name not in seen:
            seen[name] = (row, kind)
        if unit_id is not None:
            seen_ids.setdefault(unit_id, row)
        if len(errors) == before:
            clean.append(
                {"row": row, "id": unit_id, "name": name, "kind": kind, "parent": parent, "is_active": is_active}
            )
        progress(i)
    return clean, errors


def validate_people(rows, progress=lambda n: None):
    """Check every row; return (clean rows, errors). A row with a 编号, or the one person of that 姓名 at that
    工作单位, updates that person; any other adds one."""
    specialties = _labels(Specialty)
    units = dict(PartyUnit.objects.values_list("name", "pk"))
    existing = {}  # (name, home unit name) -> [ids]
    for pk, name, home in Inspector.objects.values_list("pk", "name", "home_unit__name"):
        existing.setdefault((name, home), []).append(pk)
    known_ids = {pk for ids in existing.values() for pk in ids}
    seen, seen_ids = {}, {}
    clean, errors = [], Errors()
    for i, (row, values) in enumerate(rows, start=1):
        before = len(errors)
        values = _as_text(values, row, errors)
        key, name, home, rank, skills, pool, avoid, active = (
            values.get(h, "") for h in ("编号", "姓名", "工作单位", "职级", "专业特长", "组长库", "回避单位", "在库")
        )
        person_id = _key(key, known_ids, row, errors, _("巡察人才库"))
        if person_id in seen_ids:
            errors.add(row, "编号", _("与第 %(n)d 行重复。") % {"n": seen_ids[person_id]})
        if not name:
            errors.add(row, "姓名", _("必填。"))
        else:
            _too_long(name, 40, row, "姓名", errors)
        if home and home not in units:
            errors.add(row, "工作单位", _("「%(v)s」不在巡察对象库中。") % {"v": home})
        _too_long(rank, 40, row, "职级", errors)
        natural = (name, home or None)
        if not key and name:
            matches = existing.get(natural, [])
            if len(matches) > 1:
                errors.add(
                    row,
                    "编号",
                    _("%(unit)s有 %(n)d 名「%(v)s」，请填写编号指明更新哪一位。")
                    % {"v": name, "unit": home or _("无工作单位"), "n": len(matches)},
                )
            elif matches:
                person_id = matches[0]
            if natural in seen:
                errors.add(row, "姓名", _("与第 %(n)d 行重复（同名且同一工作单位）。") % {"n": seen[natural]})
            seen.setdefault(natural, row)
        if person_id is not None:
            seen_ids.setdefault(person_id, row)
        skill_labels = [s for s in SPLIT.split(skills) if s]
        unknown = [s for s in skill_labels if s not in specialties]
        if unknown:
            errors.add(
                row,
                "专业特长",
                _("「%(v)s」不是已知的专业特长，应为：%(all)s。")
                % {"v": "、".join(unknown), "all": "、".join(str(label) for label in Specialty.labels)},
            )
        in_pool = _yes_no(pool, default=None, row=row, column="组长库", errors=errors)
        is_active = _yes_no(active, default=None, row=row, column="在库", errors=errors)
        avoid_names = list(dict.fromkeys(s for s in SPLIT.split(avoid) if s))
        missing = [u for u in avoid_names if u not in units]
        if missing:
            errors.add(row, "回避单位", _("「%(v)s」不在巡察对象库中。") % {"v": "、".join(missing)})
        if len(errors) == before:
            clean.append(
                {
                    "row": row,
                    "id": person_id,
                    "name": name,
                    "home_unit_id": units.get(home),
                    "rank": rank,
                    "specialties": list(dict.fromkeys(specialties[s] for s in skill_labels)),
                    "in_leader_pool": in_pool,
                    "is_active": is_active,
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


@dataclass
class Written:
    """What a clean file did: rows added, rows changed, rows that already said what the registry says."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


def _update(obj, values: dict, *, actor, written: Written) -> bool:
    """Set `values` on an existing row; save it with history by `actor` only when something changed."""
    if all(getattr(obj, field) == value for field, value in values.items()):
        written.unchanged += 1
        return False
    for field, value in values.items():
        setattr(obj, field, value)
    stamp(obj, actor=actor, reason=_("Excel 导入更新"))
    obj.full_clean(validate_unique=False)
    obj.save()
    written.updated += 1
    return True


@transaction.atomic
def units_import(*, actor, rows, progress=lambda n: None) -> Written:
    """Write the units of a clean file, parents before children, with history by `actor`: a row with an id
    updates that unit (history only where something changed), any other adds one."""
    ids = dict(PartyUnit.objects.values_list("name", "pk"))
    existing = PartyUnit.objects.select_for_update().in_bulk([r["id"] for r in rows if r["id"]])
    pending, written = list(rows), Written()
    while pending:
        ready = [r for r in pending if not r["parent"] or r["parent"] in ids]
        if not ready:  # validation only lets a parent come from the registry or an earlier row
            raise ValueError("unresolvable parents")
        for r in ready:
            if r["id"] is None:
                continue
            unit = existing[r["id"]]
            values = {"name": r["name"], "kind": r["kind"], "parent_id": ids.get(r["parent"])}
            if r["is_active"] is not None:
                values["is_active"] = r["is_active"]
            _update(unit, values, actor=actor, written=written)
            ids[unit.name] = unit.pk
        objs = [
            PartyUnit(
                name=r["name"],
                kind=r["kind"],
                parent_id=ids.get(r["parent"]),
                is_active=True if r["is_active"] is None else r["is_active"],
            )
            for r in ready
            if r["id"] is None
        ]
        _clean_all(objs)
        for start in range(0, len(objs), BATCH):
            bulk_create_with_history(
                objs[start : start + BATCH], PartyUnit, default_user=actor, default_change_reason=_("Excel 导入")
            )
            written.created += len(objs[start : start + BATCH])
        progress(written.total)
        created = dict(PartyUnit.objects.filter(name__in=[r["name"] for r in ready]).values_list("name", "pk"))
        ids.update(created)
        done = {id(r) for r in ready}
        pending = [r for r in pending if id(r) not in done]
    dataversion.bump()  # bulk inserts send no post_save: the figures and list counts must still see the units
    return written


def _sync_avoidances(person, unit_ids: list[int], *, actor) -> bool:
    """Make the person's declared 回避 exactly `unit_ids`: add the new ones, withdraw the others (history kept)."""
    current = {a.unit_id: a for a in person.avoidances.all()}
    wanted = set(unit_ids)
    for unit_id, avoidance in current.items():
        if unit_id not in wanted:
            stamp(avoidance, actor=actor, reason=_("Excel 导入更新：撤回回避申报"))
            avoidance.delete()
    for unit_id in wanted - current.keys():
        avoidance = Avoidance(inspector=person, unit_id=unit_id, reason=_("导入时申报"))
        stamp(avoidance, actor=actor, reason=_("Excel 导入更新"))
        avoidance.save()
    return wanted != current.keys()


@transaction.atomic
def inspectors_import(*, actor, rows, progress=lambda n: None) -> Written:
    """Write the people of a clean file and their declared 回避 units, with history by `actor`: a row with an id
    updates that person (history only where something changed), any other adds one."""
    reason = _("Excel 导入")
    written = Written()
    updates = [r for r in rows if r["id"] is not None]
    existing = Inspector.objects.select_for_update().prefetch_related("avoidances").in_bulk([r["id"] for r in updates])
    for r in updates:
        person = existing[r["id"]]
        values = {"name": r["name"], "home_unit_id": r["home_unit_id"], "rank": r["rank"]}
        values["specialties"] = r["specialties"]
        for field in ("in_leader_pool", "is_active"):
            if r[field] is not None:
                values[field] = r[field]
        changed = _update(person, values, actor=actor, written=written)
        if _sync_avoidances(person, r["avoid_unit_ids"], actor=actor) and not changed:
            written.unchanged -= 1
            written.updated += 1
        progress(written.total)
    creates = [r for r in rows if r["id"] is None]
    for start in range(0, len(creates), BATCH):
        batch = creates[start : start + BATCH]
        people = [
            Inspector(
                name=r["name"],
                home_unit_id=r["home_unit_id"],
                rank=r["rank"],
                specialties=r["specialties"],
                in_leader_pool=bool(r["in_leader_pool"]),
                is_active=r["is_active"] is not False,
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
        written.created += len(batch)
        progress(written.total)
    return written


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
