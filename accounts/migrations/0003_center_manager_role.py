from django.db import migrations


def create(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name="センター責任者")


def remove(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="センター責任者").delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_role_groups")]

    operations = [migrations.RunPython(create, remove)]
