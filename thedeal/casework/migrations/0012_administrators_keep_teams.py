"""Administrators keep the teams in the admin, as the README says they do: the teams, their
members and caseloads, and read (never change) the break-glass uses and caseload changes,
which are records of what people did."""

from django.db import migrations

KEEPS = [
    "add_team", "change_team", "view_team",
    "add_membership", "change_membership", "delete_membership", "view_membership",
    "add_caseloadentry", "delete_caseloadentry", "view_caseloadentry",
    "view_breakglass", "view_caseloadchange",
]  # fmt: skip


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    config = apps.get_app_config("casework")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Administrator")
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="casework", codename__in=KEEPS)
    )


class Migration(migrations.Migration):
    dependencies = [("casework", "0011_team_wards_and_caseload_changes")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
