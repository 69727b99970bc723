"""The "Analysts" group, with exactly the permissions analysts need.

Analysts add, change and view everything an initiative is made of. They may
delete only what is not published history: draft status updates (the admin
refuses to delete a published one) and the links that hang off an initiative
(organisation roles, countries, relations, external links), whose every change
is still kept in the audit trail. Initiatives, milestones, organisations,
themes and sources are never theirs to delete, and nothing in auth is.

The list is frozen here rather than imported, so that later code changes cannot
silently widen what this migration granted.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_NAME = "Analysts"

EDITABLE_MODELS = [
    "initiative",
    "statusupdate",
    "milestone",
    "organisation",
    "theme",
    "source",
    "initiativerelation",
    "externallink",
    "initiativeorganisation",
    "initiativecountry",
]
DELETABLE_MODELS = [
    "statusupdate",
    "initiativerelation",
    "externallink",
    "initiativeorganisation",
    "initiativecountry",
]

CODENAMES = [f"{action}_{model}" for model in EDITABLE_MODELS for action in ("add", "change", "view")] + [
    f"delete_{model}" for model in DELETABLE_MODELS
]


def create_analysts_group(apps, schema_editor):
    # On a fresh database the permissions are normally created by post_migrate,
    # i.e. after this migration; create them now so they can be granted.
    app_config = apps.get_app_config("initiatives")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0, using=schema_editor.connection.alias)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.using(schema_editor.connection.alias).filter(
        content_type__app_label="initiatives", codename__in=CODENAMES
    )
    missing = set(CODENAMES) - set(permissions.values_list("codename", flat=True))
    if missing:
        raise RuntimeError(f"Cannot create the Analysts group; missing permissions: {sorted(missing)}")
    group, _ = Group.objects.using(schema_editor.connection.alias).get_or_create(name=GROUP_NAME)
    group.permissions.set(permissions)


def remove_analysts_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.using(schema_editor.connection.alias).filter(name=GROUP_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("initiatives", "0002_audit_countries_and_m2m"),
    ]

    operations = [migrations.RunPython(create_analysts_group, remove_analysts_group)]
