from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("账号与权限")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .middleware import remember_must_change

        # Django's login hook: whether the password must be changed is read once, at login, into the session.
        user_logged_in.connect(remember_must_change, dispatch_uid="accounts-must-change-password")
