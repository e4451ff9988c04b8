"""Every list export, by URL kind. The labels name an export in the log."""

from django.utils.translation import gettext_lazy as _


def specs():
    from findings.exports import CLUES, FINDINGS
    from findings.petition_exports import PETITIONS
    from rectification.exports import LEDGER, REMINDERS
    from rounds.exports import INSPECTIONS, PEOPLE, ROUNDS, UNITS

    return {s.kind: s for s in (UNITS, PEOPLE, ROUNDS, INSPECTIONS, FINDINGS, CLUES, LEDGER, REMINDERS, PETITIONS)}


# What each `kind` in the log means, for the log page's filter and table.
KIND_LABELS = {
    "units": _("巡察对象名录"),
    "people": _("巡察人才库"),
    "rounds": _("巡察轮次"),
    "inspections": _("巡察任务"),
    "findings": _("问题底稿"),
    "clues": _("问题线索"),
    "petitions": _("巡察信访台账"),
    "petitioner": _("信访人信息（查看）"),
    "upper_requests": _("上级交办事项台账"),
    "upper_report": _("配合上级巡视办理情况报告（Word）"),
    "upper_attachment": _("交办事项办理附件"),
    "ledger": _("整改台账"),
    "reminders": _("整改提醒"),
    "accounts": _("账号与权限"),
    "plan_units": _("巡察范围内单位（看板）"),
    "unit_rectification": _("各责任单位整改完成情况（看板）"),
    "feedback_letter": _("反馈意见（Word）"),
    "finding_sheet": _("问题底稿（Word）"),
    "rectification_notice": _("整改通知书（Word）"),
    "inspection_report": _("巡察报告（Word）"),
    "round_report": _("综合报告（Word）"),
    "finding_evidence": _("问题佐证材料"),
    "progress_evidence": _("整改佐证材料"),
    "import_template": _("导入模板"),
    "lookback_evidence": _("回头看佐证材料"),
    "inspection_archive": _("巡察档案卷宗（zip）"),
    "api_findings": _("问题底稿（数据接口）"),
    "api_clues": _("问题线索（数据接口）"),
}
