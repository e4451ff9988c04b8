"""API tokens: the office gives an account a token for another system (纪检监察, 组织部) to read through the API.
Only a hash is stored: the token is shown once, when it is made, and can be revoked but never shown again."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="api_tokens", verbose_name=_("账号")
    )
    name = models.CharField(_("用途"), max_length=80)
    prefix = models.CharField(_("令牌前缀"), max_length=12)  # what the pages show to tell tokens apart
    key_hash = models.CharField(max_length=64, unique=True, editable=False)  # sha256 of the whole token
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("创建人"))
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", null=True, blank=True, verbose_name=_("吊销人")
    )

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(revoked_at__isnull=True, revoked_by__isnull=True)
                | models.Q(revoked_at__isnull=False, revoked_by__isnull=False),
                name="apitoken_revoked_with_actor",
            )
        ]

    def __str__(self):
        return f"{self.prefix}… {self.name}"

    @property
    def active(self) -> bool:
        return self.revoked_at is None
