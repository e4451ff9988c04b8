"""What each role does here: the landing page lists these, in this order, for the roles a user has."""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from .roles import Role


@dataclass(frozen=True)
class Duty:
    title: str
    description: str
    url_name: str = ""
    icon: str = "dot"
    shown_to: Callable | None = None  # user -> bool, where the role alone does not open the page

    @property
    def url(self) -> str:
        try:
            return reverse(self.url_name) if self.url_name else ""
        except NoReverseMatch:
            return ""


DUTIES = {
    Role.OFFICE: [
        Duty(
            _("巡察对象库"), _("维护被巡察党组织名录：新增、修改、停用，导入导出台账。"), "rounds:unit_list", "building"
        ),
        Duty(_("巡察人才库"), _("维护巡察干部、组长库和回避申报。"), "rounds:inspector_list", "people"),
        Duty(_("巡察工作规划"), _("制定五年规划、巡察范围和年度覆盖目标。"), "rounds:plan_list", "calendar-range"),
        Duty(
            _("轮次与巡察组"),
            _("部署巡察轮次，组建巡察组，分配巡察任务，推进工作阶段。"),
            "rounds:round_list",
            "diagram-3",
        ),
        Duty(
            _("整改台账"),
            _("登记反馈、分解整改任务，审核整改进展，销号或退回。"),
            "rectification:task_list",
            "journal-check",
        ),
        Duty(
            _("整改文书与评估"),
            _("审核被巡察单位报送的整改方案和整改报告，开展整改评估，登记整改成果与问责。"),
            "rectification:document_list",
            "file-earmark-check",
        ),
        Duty(
            _("回头看/抽查"),
            _("随机抽取已销号任务或已完成巡察，复核整改成效。"),
            "rectification:spotcheck_list",
            "shuffle",
        ),
        Duty(_("覆盖率与整改看板"), _("巡察全覆盖进度、问题分布与整改完成情况。"), "dashboard:index", "bar-chart"),
        Duty(
            _("账号与权限"),
            _("开通、停用账号，重置密码、解除锁定，授予领导小组、联络员、负责人和对接人角色。"),
            "accounts:account_list",
            "person-gear",
        ),
        Duty(_("问题类别"), _("维护问题底稿的分类（三大问题及其细项）。"), "findings:category_list", "diagram-2"),
    ],
    Role.LEADERSHIP: [
        Duty(
            _("覆盖率与整改看板"),
            _("查看巡察全覆盖进度、问题分布、线索处置和整改完成率。"),
            "dashboard:index",
            "bar-chart",
        ),
        Duty(_("巡察轮次"), _("查阅各轮次巡察任务与报告。"), "rounds:round_list", "diagram-3"),
        Duty(
            _("巡察报告"),
            _("查阅各巡察任务的巡察报告及审议状态，审议报告，审定各轮综合报告。"),
            "findings:report_list",
            "file-earmark-text",
        ),
        Duty(_("整改台账"), _("查阅整改任务、逾期情况和督办事项。"), "rectification:task_list", "journal-check"),
    ],
    Role.GROUP_LEADER: [
        Duty(
            _("本组巡察任务"), _("掌握本组被巡察单位、阶段和了解问题情况。"), "rounds:my_inspections", "clipboard-data"
        ),
        Duty(
            _("问题底稿审核"),
            _("复核、审签本组问题底稿，必要时退回修改。"),
            "findings:finding_list",
            "file-earmark-check",
        ),
        Duty(_("问题线索"), _("登记并向纪委监委、组织部移交问题线索，跟踪反馈。"), "findings:clue_list", "send"),
        Duty(
            _("巡察报告"),
            _("根据已报告的问题底稿起草巡察报告，提交组务会审议。"),
            "findings:report_list",
            "file-earmark-text",
        ),
    ],
    Role.GROUP_MEMBER: [
        Duty(
            _("本组巡察任务"),
            _("查看本组任务，更新谈话、调阅、走访等工作量。"),
            "rounds:my_inspections",
            "clipboard-data",
        ),
        Duty(_("问题底稿"), _("起草问题底稿，上传佐证材料，提交复核。"), "findings:finding_list", "file-earmark-text"),
    ],
    Role.UNIT_LIAISON: [
        Duty(
            _("本单位整改任务"),
            _("查看反馈问题和整改任务，报送整改进展和佐证材料。"),
            "rectification:task_list",
            "list-check",
        ),
        Duty(
            _("整改文书"),
            _("查看反馈意见和期限，按期报送整改方案、整改报告和主要负责人组织落实情况报告。"),
            "rectification:document_list",
            "file-earmark-arrow-up",
        ),
    ],
    Role.UNIT_HEAD: [
        Duty(
            _("本单位整改任务"),
            _("查阅本单位的整改任务、进展和佐证材料（只读），掌握逾期情况。"),
            "rectification:task_list",
            "list-check",
        ),
        Duty(_("整改提醒"), _("查看本单位整改任务的到期和逾期提醒。"), "rectification:reminder_list", "bell"),
    ],
    Role.DISCIPLINE_LIAISON: [
        Duty(_("移交线索办理"), _("查看移交本单位的问题线索，登记处置方式和办理结果。"), "findings:clue_list", "inbox"),
    ],
    Role.SUPERVISING_LIAISON: [
        Duty(
            _("整改日常监督"),
            _("查阅所监督单位的整改台账、整改文书和整改评估（只读）。"),
            "rectification:task_list",
            "eye",
        ),
        Duty(
            _("巡察结果运用"),
            _("按单位和领导干部查阅巡察结果，供干部考核评价参考。"),
            "rectification:results_sheet",
            "person-badge",
            shown_to=lambda user: _reads_results(user),
        ),
    ],
}


def _reads_results(user) -> bool:
    from rectification.results import reads_results  # the sheet's own rule: 组织部, not 纪委监委

    return reads_results(user)


def duties_for(roles, user=None) -> list[tuple[Role, list[Duty]]]:
    return [
        (role, [d for d in DUTIES[role] if d.shown_to is None or (user is not None and d.shown_to(user))])
        for role in Role
        if role in roles
    ]
