from django.db import migrations

# The ward's three areas and their towns (町丁目 grouped by town name); staff edit them.
AREAS = [
    (
        "日本橋",
        "Nihonbashi",
        [
            ("日本橋", "Nihonbashi"),
            ("日本橋本町", "Nihonbashi-honcho"),
            ("日本橋室町", "Nihonbashi-muromachi"),
            ("日本橋小伝馬町", "Nihonbashi-kodenmacho"),
            ("日本橋大伝馬町", "Nihonbashi-odenmacho"),
            ("日本橋人形町", "Nihonbashi-ningyocho"),
            ("日本橋浜町", "Nihonbashi-hamacho"),
            ("日本橋蛎殻町", "Nihonbashi-kakigaracho"),
            ("日本橋兜町", "Nihonbashi-kabutocho"),
            ("日本橋茅場町", "Nihonbashi-kayabacho"),
            ("東日本橋", "Higashi-nihonbashi"),
        ],
    ),
    (
        "京橋",
        "Kyobashi",
        [
            ("京橋", "Kyobashi"),
            ("銀座", "Ginza"),
            ("八重洲", "Yaesu"),
            ("八丁堀", "Hatchobori"),
            ("新富", "Shintomi"),
            ("入船", "Irifune"),
            ("湊", "Minato"),
            ("明石町", "Akashicho"),
            ("築地", "Tsukiji"),
            ("新川", "Shinkawa"),
        ],
    ),
    (
        "月島",
        "Tsukishima",
        [
            ("月島", "Tsukishima"),
            ("勝どき", "Kachidoki"),
            ("佃", "Tsukuda"),
            ("晴海", "Harumi"),
            ("豊海町", "Toyomicho"),
        ],
    ),
]


def create(apps, schema_editor):
    Region = apps.get_model("coordination", "Region")
    Town = apps.get_model("coordination", "Town")
    for order, (name, name_en, towns) in enumerate(AREAS, start=1):
        region, _created = Region.objects.get_or_create(
            name=name, defaults={"name_en": name_en, "order": order * 10}
        )
        for town_order, (town, town_en) in enumerate(towns, start=1):
            Town.objects.get_or_create(
                region=region, name=town, defaults={"name_en": town_en, "order": town_order * 10}
            )
    # The coordination cases an interest opens get a consultation category of their own, so
    # the consultations' statistics count them; staff may rename it or choose another.
    Category = apps.get_model("consultations", "Category")
    category, _created = Category.objects.get_or_create(
        name="協働コーディネート", defaults={"name_en": "Collaboration coordination", "order": 90}
    )
    BoardSettings = apps.get_model("coordination", "BoardSettings")
    if not BoardSettings.objects.exists():
        BoardSettings.objects.create(case_category=category)


class Migration(migrations.Migration):
    dependencies = [
        ("coordination", "0001_initial"),
        ("consultations", "0004_english_names_and_verbose_names"),
    ]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
