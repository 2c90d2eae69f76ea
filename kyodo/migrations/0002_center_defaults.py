import datetime as dt

from django.db import migrations

# DOMAIN.md: the center's published details, hours Tue–Sun 10:00–19:00, closed Mondays, and
# 年末年始 12/29–1/3. All editable in the admin afterwards.


def create_defaults(apps, schema_editor):
    CenterProfile = apps.get_model("kyodo", "CenterProfile")
    OpeningHours = apps.get_model("kyodo", "OpeningHours")
    AnnualClosure = apps.get_model("kyodo", "AnnualClosure")
    if not CenterProfile.objects.exists():
        CenterProfile.objects.create(
            name="協働ステーション中央",
            postal_code="103-0001",
            address="東京都中央区日本橋小伝馬町5-1 十思スクエア2階",
            phone="03-3666-4761",
            fax="03-3666-4762",
            email="info@kyodo-station.jp",
            operator_name="",
            ward_office="中央区区民部地域振興課",
        )
    for weekday in range(7):
        closed = weekday == 0
        OpeningHours.objects.get_or_create(
            weekday=weekday,
            defaults={
                "is_closed": closed,
                "opens": None if closed else dt.time(10),
                "closes": None if closed else dt.time(19),
            },
        )
    AnnualClosure.objects.get_or_create(
        name="年末年始", defaults={"start_month": 12, "start_day": 29, "end_month": 1, "end_day": 3}
    )


class Migration(migrations.Migration):
    dependencies = [("kyodo", "0001_initial")]

    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
