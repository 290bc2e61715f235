"""The platform's roles, as groups with the model permissions each needs.

Editors get no model permission: what they may edit follows from OrganisationEditor links.
"""

from django.db import migrations

ROLES = {
    "Community organisation editor": [],
    "Practitioner": [("directory", "view_service"), ("directory", "view_organization")],
    "Analyst": [("deal", "view_commitment"), ("deal", "view_measurement")],
    "Administrator": [
        (app, f"{action}_{model}")
        for app, models in {
            "directory": ["service", "organization", "location", "report", "taxonomyterm",
                          "listingsuggestion"],
            "deal": ["commitment", "measurement", "pledgetype"],
            "accounts": ["organisationeditor"],
        }.items()
        for model in models
        for action in ("view", "add", "change", "delete")
    ],
}


def create_roles(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    for config in apps.get_app_configs():
        config.models_module = True
        create_permissions(config, apps=apps, verbosity=0)
        config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, perms in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, codename in perms:
            permission = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if permission is not None:
                group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("deal", "0001_initial"),
        ("directory", "0004_listing_suggestion"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
