"""What an account carries beyond Django's user (phone, unit, must change password), and the log of every change
of an account or of its roles, with who made it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from xuncha.db import valid_choice

from .choices import AccountAction


class Profile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="profile", verbose_name=_("账号")
    )
    phone = models.CharField(_("手机号码"), max_length=30, blank=True)
    unit = models.ForeignKey(
        "rounds.PartyUnit",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("工作单位"),
    )
    post = models.CharField(_("职务"), max_length=100, blank=True)
    must_change_password = models.BooleanField(_("下次登录须修改密码"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("账号信息")
        verbose_name_plural = _("账号信息")

    def __str__(self):
        return str(self.user)


class AccountEvent(models.Model):
    """One change of an account or of its roles: who, what, when. Append-only; never deleted with the account."""

    Action = AccountAction

    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="account_events", verbose_name=_("账号")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("操作人")
    )
    action = models.CharField(_("操作"), max_length=20, choices=AccountAction.choices)
    detail = models.TextField(_("内容"), blank=True)
    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("账号变更记录")
        verbose_name_plural = _("账号变更记录")
        ordering = ["-at", "-pk"]
        constraints = [valid_choice("action", AccountAction, "accountevent_action_valid")]
        indexes = [models.Index(fields=["account", "-at"], name="accountevent_account_time")]

    def __str__(self):
        return f"{self.account} {self.get_action_display()}"
