"""The two global roles as auth groups: 巡察办 (oversee + manage) and 领导小组 (oversee, read-only)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLE_PERMS = {"巡察办": ["oversee", "manage"], "领导小组": ["oversee"]}


def create_role_groups(apps, schema_editor):
    # Permissions are normally created after all migrations; make sure ours exist now.
    app_config = apps.get_app_config("rounds")
    app_config.models_module = True  # the migration state's stub lacks it; create_permissions needs it
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLE_PERMS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*Permission.objects.filter(content_type__app_label="rounds", codename__in=codenames))


class Migration(migrations.Migration):
    dependencies = [
        ("rounds", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_role_groups, migrations.RunPython.noop)]
