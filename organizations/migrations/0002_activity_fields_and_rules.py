from django.db import migrations

# The 20 activity fields of the NPO law (別表), exact wording (DOMAIN.md), with English names.
FIELDS = [
    (1, "保健、医療又は福祉の増進を図る活動", "Health, medical care or welfare"),
    (2, "社会教育の推進を図る活動", "Social education"),
    (3, "まちづくりの推進を図る活動", "Community development"),
    (4, "観光の振興を図る活動", "Tourism"),
    (5, "農山漁村又は中山間地域の振興を図る活動", "Rural, mountain and fishing villages"),
    (6, "学術、文化、芸術又はスポーツの振興を図る活動", "Science, culture, arts or sports"),
    (7, "環境の保全を図る活動", "Environmental conservation"),
    (8, "災害救援活動", "Disaster relief"),
    (9, "地域安全活動", "Community safety"),
    (10, "人権の擁護又は平和の推進を図る活動", "Human rights or peace"),
    (11, "国際協力の活動", "International cooperation"),
    (12, "男女共同参画社会の形成の促進を図る活動", "Gender equality"),
    (13, "子どもの健全育成を図る活動", "Sound upbringing of children"),
    (14, "情報化社会の発展を図る活動", "Information society"),
    (15, "科学技術の振興を図る活動", "Science and technology"),
    (16, "経済活動の活性化を図る活動", "Economic activity"),
    (17, "職業能力の開発又は雇用機会の拡充を支援する活動", "Vocational skills and employment"),
    (18, "消費者の保護を図る活動", "Consumer protection"),
    (
        19,
        "前各号に掲げる活動を行う団体の運営又は活動に関する連絡、助言又は援助の活動",
        "Liaison, advice or support for organizations in the fields above",
    ),
    (
        20,
        "前各号に掲げる活動に準ずる活動として都道府県又は指定都市の条例で定める活動",
        "Activities set by prefectural or designated-city ordinance",
    ),
]


def create(apps, schema_editor):
    ActivityField = apps.get_model("organizations", "ActivityField")
    for number, name, name_en in FIELDS:
        ActivityField.objects.update_or_create(
            number=number, defaults={"name": name, "name_en": name_en}
        )
    RegistrationRules = apps.get_model("organizations", "RegistrationRules")
    if not RegistrationRules.objects.exists():
        RegistrationRules.objects.create()


class Migration(migrations.Migration):
    dependencies = [("organizations", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
