"""The editors group: add, change and view every tracker model; only superusers delete."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

APPS = ("tracker", "cities", "letters")


def create_editors(apps, schema_editor):
    # Permissions are normally made after all migrations; make them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _ = Group.objects.get_or_create(name="editors")
    editors.permissions.set(
        Permission.objects.filter(content_type__app_label__in=APPS).exclude(codename__startswith="delete_")
    )


def remove_editors(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="editors").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("tracker", "0001_initial"),
        ("cities", "0001_initial"),
        ("letters", "0002_ruling_after_filing_trigger"),
    ]

    operations = [migrations.RunPython(create_editors, remove_editors)]
