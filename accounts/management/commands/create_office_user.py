"""Create the first 巡察办 account without prompts, for scripted installs. Idempotent: run it again and nothing changes.

    XUNCHA_OFFICE_PASSWORD=… manage.py create_office_user --username office --name 王五 \\
        --password-from-env XUNCHA_OFFICE_PASSWORD

The user name, name and e-mail may also come from XUNCHA_OFFICE_USERNAME, XUNCHA_OFFICE_NAME, XUNCHA_OFFICE_EMAIL.
The password is read from an environment variable only, never from an argument (it would sit in the shell history).
"""

import os

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.choices import AccountRole
from accounts.services import account_create, role_grant
from xuncha.roles import OFFICE_GROUP


class Command(BaseCommand):
    help = "Create the first office (巡察办) account non-interactively; does nothing if it already exists."

    def add_arguments(self, parser):
        parser.add_argument("--username", default=os.environ.get("XUNCHA_OFFICE_USERNAME", ""))
        parser.add_argument("--name", default=os.environ.get("XUNCHA_OFFICE_NAME", ""), help="姓名, e.g. 王五")
        parser.add_argument("--email", default=os.environ.get("XUNCHA_OFFICE_EMAIL", ""))
        parser.add_argument(
            "--password-from-env",
            default="XUNCHA_OFFICE_PASSWORD",
            metavar="VARIABLE",
            help="the environment variable holding the password (default XUNCHA_OFFICE_PASSWORD)",
        )
        parser.add_argument(
            "--must-change-password",
            action="store_true",
            help="make the person choose a new password at first login",
        )

    def handle(self, *args, username, name, email, password_from_env, must_change_password, **options):
        if not username:
            raise CommandError("Give --username (or set XUNCHA_OFFICE_USERNAME).")
        user = get_user_model().objects.filter(username=username).first()
        if user is not None:
            if not user.groups.filter(name=OFFICE_GROUP).exists():
                raise CommandError(
                    f"An account named {username!r} exists and is not an office account; choose another."
                )
            self.stdout.write(f"Office account {username!r} already exists; nothing changed.")
            return
        password = os.environ.get(password_from_env, "")
        if not password:
            raise CommandError(f"Set the password in the environment variable {password_from_env}.")
        try:
            with transaction.atomic():
                user = account_create(
                    actor=None, username=username, name=name or username, password=password, email=email
                )
                role_grant(actor=None, user=user, role=AccountRole.OFFICE)
                if not must_change_password:
                    user.profile.must_change_password = False
                    user.profile.save(update_fields=["must_change_password"])
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write(f"Created office account {username!r}.")
