import datetime as dt

from django.db import migrations

T = dt.time
# DOMAIN.md: 会議室 60 people 9:00–21:00 (divisible into A and B here), サロン 14 people
# 10:00–19:00, printers and equipment 10:00–19:00; slots 午前 9–12 / 午後 13–17 / 夜間 18–21 /
# 全日; fees ¥1,900 / ¥2,500 / ¥3,100 / 全日 ¥6,800 and free for registered groups [D].
# Everything is data staff change in the admin.
SLOTS = [("午前", T(9), T(12), 1900), ("午後", T(13), T(17), 2500), ("夜間", T(18), T(21), 3100),
         ("全日", T(9), T(21), 6800)]


def create(apps, schema_editor):
    Resource = apps.get_model("facilities", "Resource")
    Hours = apps.get_model("facilities", "ResourceHours")
    Slot = apps.get_model("facilities", "TimeSlot")
    Price = apps.get_model("facilities", "Price")
    Discount = apps.get_model("facilities", "Discount")
    Policy = apps.get_model("facilities", "BookingPolicy")
    if Resource.objects.exists():
        return

    def resource(name, kind, capacity, opens, closes, order, **extra):
        r = Resource.objects.create(name=name, kind=kind, capacity=capacity, order=order, **extra)
        for weekday in range(1, 7):  # Tuesday–Sunday; Mondays the center is closed
            Hours.objects.create(resource=r, weekday=weekday, opens=opens, closes=closes)
        return r

    room = resource("会議室", "room", 60, T(9), T(21), 10,
                    description="最大60名。A・Bに分けて使えます。")
    parts = [resource(f"会議室{x}", "room", 30, T(9), T(21), 11 + i, parent=room)
             for i, x in enumerate("AB")]
    for r in [room, *parts]:
        for order, (name, starts, ends, amount) in enumerate(SLOTS):
            if r.parent_id and name == "全日":
                continue
            slot = Slot.objects.create(resource=r, name=name, starts=starts, ends=ends,
                                       order=order)
            Price.objects.create(resource=r, unit="slot", slot=slot,
                                 amount=amount if not r.parent_id else amount // 2)
    salon = resource("サロン", "room", 14, T(10), T(19), 20, mode="grid", grid_minutes=30,
                     buffer_minutes=0, min_minutes=60, max_minutes=540,
                     description="14名までの打合せスペース。")
    Price.objects.create(resource=salon, unit="hour", amount=500)
    printer = resource("輪転機", "printer", 0, T(10), T(19), 30, mode="grid", grid_minutes=30,
                       min_minutes=30, max_minutes=120, needs_approval=True,
                       price_per_master=30, price_per_sheet=1,
                       rules_text="用紙は各自でご持参ください。製版1回30円、印刷1枚1円。")
    Price.objects.create(resource=printer, unit="hour", amount=0)
    for order, name in enumerate(["紙折り機", "裁断機", "プロジェクター"], 31):
        r = resource(name, "equipment", 0, T(10), T(19), order, mode="grid", grid_minutes=30,
                     min_minutes=30, max_minutes=540)
        Price.objects.create(resource=r, unit="hour", amount=0)
    Discount.objects.get_or_create(name="登録団体減免", defaults={"percent_off": 100})
    if not Policy.objects.exists():
        Policy.objects.create()


class Migration(migrations.Migration):
    dependencies = [("facilities", "0002_no_overlap_on_postgresql")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
