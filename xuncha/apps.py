from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class XunchaConfig(AppConfig):
    name = "xuncha"
    verbose_name = _("巡察工作管理系统")

    def ready(self):
        from . import dataversion  # storage connects the clean-up of files a rollback left behind

        dataversion.connect_signals()
