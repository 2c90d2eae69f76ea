from django.db import migrations

# The consultation menu of issue 6 (staff edit the list afterwards).
CATEGORIES = [
    ("団体の立ち上げ", "Starting an organization", False),
    ("運営・組織", "Running an organization", False),
    ("資金調達", "Fundraising", False),
    ("広報", "Publicity", False),
    ("補助金申請", "Subsidy application", False),
    ("協働事業提案の事前相談", "Prior consultation for a collaboration proposal", True),
    ("企業の社会貢献・CSR", "Corporate social contribution (CSR)", False),
    ("マッチング・コーディネート", "Matching and coordination", False),
    ("その他", "Other", False),
]


def create(apps, schema_editor):
    Category = apps.get_model("consultations", "Category")
    for order, (name, name_en, pre_proposal) in enumerate(CATEGORIES, 1):
        Category.objects.get_or_create(
            name=name,
            defaults={"name_en": name_en, "order": order * 10, "is_pre_proposal": pre_proposal},
        )
    Settings = apps.get_model("consultations", "ConsultationSettings")
    if not Settings.objects.exists():
        Settings.objects.create()


class Migration(migrations.Migration):
    dependencies = [("consultations", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
