from django.db import models
from django.utils.translation import gettext_lazy as _


class AccountRole(models.TextChoices):
    """The roles the office gives in 账号与权限. Group roles (组长/成员) come only from group memberships."""

    OFFICE = "office", _("巡察办工作人员")
    LEADERSHIP = "leadership", _("县委/领导小组")
    UNIT_LIAISON = "unit_liaison", _("单位联络员")
    UNIT_HEAD = "unit_head", _("责任单位负责人")
    BODY_LIAISON = "body_liaison", _("纪委监委/组织部对接人")


ROLE_MEANINGS = {
    AccountRole.OFFICE: _("管理全部巡察工作：巡察对象、人才库、规划、轮次与巡察组，审核整改、销号，管理账号与权限。"),
    AccountRole.LEADERSHIP: _("查阅全部巡察工作和看板，只读。"),
    AccountRole.UNIT_LIAISON: _("查看反馈给本单位的问题和整改任务，报送整改进展和佐证材料。"),
    AccountRole.UNIT_HEAD: _("接收本单位逾期整改任务的督办提醒，查阅本单位的整改任务。"),
    AccountRole.BODY_LIAISON: _("查看移交本单位的问题线索，登记处置方式和办理结果。"),
}


class AccountAction(models.TextChoices):
    CREATE = "create", _("开通账号")
    UPDATE = "update", _("修改账号信息")
    DEACTIVATE = "deactivate", _("停用账号")
    REACTIVATE = "reactivate", _("恢复账号")
    RESET_PASSWORD = "reset_password", _("重置密码")
    CHANGE_PASSWORD = "change_password", _("本人修改密码")
    UNLOCK = "unlock", _("解除登录锁定")
    GRANT = "grant", _("授予角色")
    REVOKE = "revoke", _("撤销角色")
    LINK_INSPECTOR = "link_inspector", _("关联巡察干部")
