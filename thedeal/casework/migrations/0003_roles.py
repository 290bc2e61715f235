"""Administrators keep the GP practices and read the audit log in the admin. Practitioners need
no model permission: the casework pages check their role (casework.access)."""

from django.db import migrations

ADMINISTRATOR = "Administrator"
PERMISSIONS = [
    "view_gppractice", "add_gppractice", "change_gppractice", "delete_gppractice",
    "view_auditevent",
]  # fmt: skip


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    config = apps.get_app_config("casework")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=ADMINISTRATOR)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="casework", codename__in=PERMISSIONS)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0002_audit_append_only"),
        ("accounts", "0002_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
