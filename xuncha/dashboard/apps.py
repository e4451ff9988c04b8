from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "xuncha.dashboard"
    label = "dashboard"
    verbose_name = _("覆盖率与整改看板")
