"""Build the default Word templates (xuncha/word_templates/*.docx) with python-docx.

The committed .docx files are the output of this command; run it again after changing it. The
office edits copies in Word (keeping the {{ … }} / {%p … %} / {%tr … %} tags) and puts them in
WORD_TEMPLATE_DIR; the defaults are never edited in place."""

from pathlib import Path

from django.core.management.base import BaseCommand
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from xuncha.word import DEFAULT_DIR, TEMPLATES

BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"


def _document(landscape=False):
    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    section.top_margin = section.bottom_margin = Cm(3.0)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    style = doc.styles["Normal"]
    style.font.name = BODY_FONT
    style.font.size = Pt(16)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), BODY_FONT)
    style.paragraph_format.line_spacing = Pt(28)
    return doc


def _title(doc, text):
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run(text)
    run.font.size = Pt(22)
    run.font.name = TITLE_FONT
    run._element.rPr.rFonts.set(qn("w:eastAsia"), TITLE_FONT)
    return p


def _para(doc, text, *, bold=False, indent=True, align=None, size=None):
    p = doc.add_paragraph()
    if indent:
        p.paragraph_format.first_line_indent = Pt(32)
    if align == "right":
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run = p.add_run(text)
    run.bold = bold
    if size:
        run.font.size = Pt(size)
    return p


def _table(doc, headers, cells, loop, size=11):
    """A table whose data row repeats for each item of `loop` ("t in tasks")."""
    table = doc.add_table(rows=4, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for row_index, texts in enumerate(
        [
            headers,
            [f"{{%tr for {loop} %}}"] + [""] * (len(headers) - 1),
            cells,
            ["{%tr endfor %}"] + [""] * (len(headers) - 1),
        ]
    ):
        for cell, text in zip(table.rows[row_index].cells, texts, strict=True):
            cell.text = ""
            run = cell.paragraphs[0].add_run(text)
            run.font.size = Pt(size)
            run.bold = row_index == 0
    return table


def feedback_letter():
    doc = _document()
    _title(doc, "{{ group }}关于巡察{{ unit }}的反馈意见")
    _para(doc, "{{ unit }}：", indent=False)
    _para(
        doc,
        "根据县委统一部署，{{ round }}{{ group }}于{{ entry_date }}至{{ onsite_end_date }}"
        "对{{ unit }}开展了{{ kind }}。"
        "现将巡察发现的问题反馈如下：",
    )
    _para(doc, "{%p for cat in categories %}", indent=False)
    _para(doc, "{{ cat.numeral }}、{{ cat.name }}", bold=True)
    _para(doc, "{%p for f in cat.findings %}", indent=False)
    _para(doc, "{{ f.index }}. {{ f.title }}（问题编号：{{ f.number }}）", bold=True)
    _para(doc, "{{ f.description }}")
    _para(doc, "{%p endfor %}", indent=False)
    _para(doc, "{%p endfor %}", indent=False)
    _para(doc, "{%p if not categories %}", indent=False)
    _para(doc, "本次巡察未反馈问题。")
    _para(doc, "{%p endif %}", indent=False)
    _para(
        doc,
        "请你单位认真对照反馈意见，于{{ plan_due }}前报送整改方案，于{{ report_due }}前报送整改情况报告，"
        "整改情况按规定予以公开。",
    )
    _para(doc, "{{ group }}", align="right", indent=False)
    _para(doc, "{{ date }}", align="right", indent=False)
    return doc


def finding_sheet():
    doc = _document()
    _title(doc, "问题底稿")
    table = doc.add_table(rows=0, cols=4)
    table.style = "Table Grid"
    for pairs in [
        ("问题编号", "{{ number }}", "审核状态", "{{ state }}"),
        ("巡察轮次", "{{ round }}", "巡察组", "{{ group }}"),
        ("被巡察单位", "{{ unit }}", "问题类别", "{{ category }}"),
        ("问题来源", "{{ source }}", "涉及关键少数", "{{ key_minority }}"),
        ("立行立改", "{{ immediate }}", "起草人", "{{ author }}（{{ created }}）"),
    ]:
        cells = table.add_row().cells
        for cell, text in zip(cells, pairs, strict=True):
            cell.text = ""
            cell.paragraphs[0].add_run(text).font.size = Pt(12)
    _para(doc, "问题标题：{{ title }}", bold=True, indent=False)
    _para(doc, "{{ description }}")
    _para(doc, "佐证材料：{{ evidence or '无' }}", indent=False, size=12)
    _para(doc, "审核签批", bold=True, indent=False)
    _table(
        doc,
        ["环节", "签署人", "时间", "意见"],
        ["{{ r.step }}", "{{ r.who }}", "{{ r.at }}", "{{ r.comment }}"],
        "r in reviews",
    )
    _para(doc, "{%p if not reviews %}", indent=False)
    _para(doc, "尚无审核记录。", indent=False, size=12)
    _para(doc, "{%p endif %}", indent=False)
    _para(
        doc,
        "复核人（签字）：{{ deputy or '　　　　' }}　　组长审签（签字）：{{ leader or '　　　　' }}",
        indent=False,
        size=14,
    )
    _para(doc, "打印时间：{{ printed }}", indent=False, align="right", size=10)
    return doc


def rectification_notice():
    doc = _document(landscape=True)
    _title(doc, "整改通知书")
    _para(doc, "{{ unit }}：", indent=False)
    _para(
        doc,
        "根据巡察（巡视）反馈意见，现将由你单位负责的{{ count }}项整改任务通知如下（其中已逾期{{ overdue }}项），"
        "请逐项落实整改措施，按时限报送整改进展和佐证材料。",
    )
    _table(
        doc,
        ["序号", "来源", "问题编号", "反馈问题", "整改措施", "整改时限", "责任领导", "状态"],
        [
            "{{ t.index }}",
            "{{ t.source }}",
            "{{ t.number }}",
            "{{ t.title }}",
            "{{ t.measure }}",
            "{{ t.due }}",
            "{{ t.leader }}",
            "{{ t.status }}",
        ],
        "t in tasks",
    )
    _para(doc, "")
    _para(doc, "{{ issuer }}", align="right", indent=False)
    _para(doc, "{{ date }}", align="right", indent=False)
    return doc


def _lines(doc, loop, *, empty=None):
    """A paragraph per line of an edited section (`loop` is "line in overview")."""
    _para(doc, f"{{%p for {loop} %}}", indent=False)
    _para(doc, "{{ line }}")
    _para(doc, "{%p endfor %}", indent=False)


def inspection_report():
    doc = _document()
    _title(doc, "{{ group }}关于巡察{{ unit }}党组织的情况报告")
    _para(doc, "（{{ state }}）", indent=False, align="right", size=12)
    _para(doc, "县委巡察工作领导小组：", indent=False)
    _para(doc, "一、基本情况", bold=True)
    _lines(doc, "line in overview")
    _table(doc, ["了解问题途径", "数量"], ["{{ c.label }}", "{{ c.value }}"], "c in counters")
    _para(doc, "二、发现的主要问题", bold=True)
    _para(doc, "巡察共发现问题{{ findings }}个，其中涉及关键少数问题{{ key_minority }}个；问题线索{{ clue_count }}条。")
    _table(
        doc,
        ["序号", "问题类别", "问题数", "涉及关键少数"],
        ["{{ c.numeral }}", "{{ c.name }}", "{{ c.count }}", "{{ c.key_minority }}"],
        "c in categories",
    )
    _lines(doc, "line in problems")
    _para(doc, "{%p if clues_text %}", indent=False)
    _para(doc, "三、问题线索情况", bold=True)
    _lines(doc, "line in clues_text")
    _para(doc, "{%p endif %}", indent=False)
    _para(doc, "四、意见建议", bold=True)
    _lines(doc, "line in suggestions")
    _para(doc, "审议过程", bold=True, indent=False)
    _table(
        doc,
        ["环节", "签署人", "会议日期", "意见"],
        ["{{ s.step }}", "{{ s.who }}", "{{ s.date }}", "{{ s.comment }}"],
        "s in steps",
    )
    _para(doc, "{%p if decision %}", indent=False)
    _para(doc, "书记专题会意见（{{ decision_date }}）：{{ decision }}", indent=False)
    _para(doc, "{%p endif %}", indent=False)
    _para(doc, "{{ group }}", align="right", indent=False)
    _para(doc, "打印时间：{{ printed }}", indent=False, align="right", size=10)
    return doc


def round_report():
    doc = _document(landscape=True)
    _title(doc, "关于{{ round }}情况的综合报告")
    _para(doc, "（{{ state }}）", indent=False, align="right", size=12)
    _para(doc, "县委巡察工作领导小组：", indent=False)
    _para(doc, "一、总体情况", bold=True)
    _lines(doc, "line in summary")
    _para(
        doc,
        "本轮共发现问题{{ findings }}个，其中涉及关键少数问题{{ key_minority }}个；移交问题线索{{ clue_count }}条。",
    )
    _table(
        doc,
        ["序号", "巡察组", "被巡察单位", "巡察类型", "阶段", "巡察报告", "问题数", "关键少数"],
        [
            "{{ i.index }}",
            "{{ i.group }}",
            "{{ i.unit }}",
            "{{ i.kind }}",
            "{{ i.stage }}",
            "{{ i.report }}",
            "{{ i.findings }}",
            "{{ i.key_minority }}",
        ],
        "i in inspections",
    )
    _para(doc, "二、发现问题情况", bold=True)
    _table(
        doc,
        ["问题类别", "问题数", "涉及单位数", "关键少数"],
        ["{{ c.name }}", "{{ c.count }}", "{{ c.units }}", "{{ c.key_minority }}"],
        "c in categories",
    )
    _table(
        doc,
        ["单位类别", "巡察单位数", "问题数", "关键少数"],
        ["{{ k.kind }}", "{{ k.inspections }}", "{{ k.count }}", "{{ k.key_minority }}"],
        "k in unit_kinds",
    )
    _para(doc, "三、普遍性问题", bold=True)
    _para(doc, "{%p for c in common %}", indent=False)
    _para(doc, "{{ loop.index }}. {{ c.name }}：{{ c.note }}（涉及：{{ c.units }}）")
    _para(doc, "{%p endfor %}", indent=False)
    _para(doc, "四、问题线索移交情况", bold=True)
    _table(
        doc,
        ["接收单位", "线索数", "已移交", "已反馈"],
        ["{{ c.body }}", "{{ c.count }}", "{{ c.transferred }}", "{{ c.answered }}"],
        "c in clues",
    )
    _para(doc, "五、下一步工作建议", bold=True)
    _lines(doc, "line in suggestions")
    _para(doc, "{%p if approved_by %}", indent=False)
    _para(doc, "领导小组审定：{{ approved_by }}（{{ approved_at }}）", indent=False)
    _para(doc, "{%p endif %}", indent=False)
    _para(doc, "县委巡察工作领导小组办公室", align="right", indent=False)
    _para(doc, "打印时间：{{ printed }}", indent=False, align="right", size=10)
    return doc


def upper_report():
    doc = _document(landscape=True)
    _title(doc, "关于配合{{ team }}工作交办事项办理情况的报告")
    _para(doc, "{{ level }}；巡视（巡察）对象：{{ target }}；进驻时间：{{ start }}{{ end }}。", indent=False)
    _para(doc, "县联络协调组：{{ liaison_office }}。联系人：{{ contacts }}", indent=False)
    _para(
        doc,
        "共交办事项{{ total }}件，已确认{{ confirmed }}件，已报送待确认{{ submitted }}件，"
        "正在办理{{ open }}件（其中逾期{{ overdue }}件）。",
    )
    _table(
        doc,
        ["序号", "事项类型", "事项内容", "承办单位", "承办人", "交办日期", "办理时限", "状态", "办理情况"],
        [
            "{{ r.index }}",
            "{{ r.kind }}",
            "{{ r.title }}",
            "{{ r.unit }}",
            "{{ r.owner }}",
            "{{ r.requested }}",
            "{{ r.due }}",
            "{{ r.status }}",
            "{{ r.reply }}",
        ],
        "r in requests",
        size=10,
    )
    _para(doc, "")
    _para(doc, "{{ issuer }}", align="right", indent=False)
    _para(doc, "{{ date }}", align="right", indent=False)
    return doc


BUILDERS = {
    "feedback_letter": feedback_letter,
    "finding_sheet": finding_sheet,
    "rectification_notice": rectification_notice,
    "inspection_report": inspection_report,
    "round_report": round_report,
    "upper_report": upper_report,
}


class Command(BaseCommand):
    help = "生成默认的 Word 文书模板（反馈意见、问题底稿、整改通知书、巡察报告、综合报告、配合上级巡视办理情况报告）。"

    def add_arguments(self, parser):
        parser.add_argument("--dir", default=str(DEFAULT_DIR), help="输出目录（默认：xuncha/word_templates）")

    def handle(self, *args, dir, **options):
        out = Path(dir)
        out.mkdir(parents=True, exist_ok=True)
        for name, build in BUILDERS.items():
            path = out / TEMPLATES[name]
            build().save(path)
            self.stdout.write(f"{path}")
