"""The account list as .xlsx (the page's 导出Excel): the office's only, with the filters on screen."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xuncha.exports import Column, ExportSpec
from xuncha.people import full_name
from xuncha.roles import PERM_MANAGE

from .selectors import roles_held


def _roles(account) -> str:
    return "；".join(f"{h.label}（{h.target}）" if h.target else h.label for h in roles_held(account))


def _status(account) -> str:
    if not account.is_active:
        return str(_("已停用"))
    return str(_("登录已锁定")) if account.locked else str(_("在用"))


def _profile(field):
    def get(account):
        profile = getattr(account, "profile", None)
        value = getattr(profile, field, None) if profile else None
        return getattr(value, "name", value) or ""

    return get


def _last_login(account) -> str:
    return timezone.localtime(account.last_login).strftime("%Y-%m-%d %H:%M") if account.last_login else ""


ACCOUNTS = ExportSpec(
    kind="accounts",
    title=_("账号与权限"),
    columns=(
        Column(_("用户名"), "username", 16),
        Column(_("姓名"), full_name, 12),
        Column(_("工作单位"), _profile("unit"), 28),
        Column(_("手机号码"), _profile("phone"), 16),
        Column(_("电子邮箱"), "email", 24),
        Column(_("角色"), _roles, 48, "wrap"),
        Column(_("最近登录"), _last_login, 18),
        Column(_("状态"), _status, 10),
    ),
    allowed=lambda user: user.has_perm(PERM_MANAGE),
)
