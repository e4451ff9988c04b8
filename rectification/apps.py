from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RectificationConfig(AppConfig):
    name = "rectification"
    verbose_name = _("整改落实")

    def ready(self):
        from django.core import checks

        checks.register(site_url_check, checks.Tags.security, deploy=True)


def site_url_check(app_configs, **kwargs):
    """Reminder e-mails need the site's own address to carry links that open from a mail client."""
    from django.conf import settings
    from django.core.checks import Warning

    if settings.SITE_URL:
        return []
    return [Warning("SITE_URL is not set: links in reminder e-mails are relative.", id="rectification.W001")]
