"""Demo bookings for `make run`: about three months of bookings of the rooms and equipment by
the demo organizations, printer uses, a weekly series and a waitlist entry."""

import contextlib
import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.utils import timezone

from facilities import services
from facilities.enums import BookingStatus
from facilities.models import Booking, PrinterUsage, Resource, TimeSlot
from kyodo.dates import center_day
from organizations.models import Organization

PURPOSES = [
    "定例会",
    "役員会",
    "総会の準備",
    "講座の打合せ",
    "子ども食堂の準備",
    "防災訓練の説明会",
    "チラシの印刷",
    "交流会",
]


def _aware(day, time):
    return timezone.make_aware(dt.datetime.combine(day, time))


def seed_facilities(stdout):
    User = get_user_model()
    staff = User.objects.filter(email="staff@demo.kyodo.jp").first()
    if staff is None or Booking.objects.exists():
        return []
    rng = random.Random(4)  # noqa: S311 -- the same demo on every machine
    organizations = [o for o in Organization.objects.filter(status="registered") if o.is_valid]
    if not organizations:
        return []
    today = timezone.localdate()
    rooms = list(Resource.objects.filter(kind="room", is_active=True))
    slots = {r.pk: list(TimeSlot.objects.filter(resource=r)) for r in rooms}
    day = today - dt.timedelta(days=30)
    while day <= today + dt.timedelta(days=60):
        if center_day(day).is_open:
            for resource in rng.sample(rooms, k=min(len(rooms), rng.randint(1, 3))):
                organization = rng.choice(organizations)
                if slots[resource.pk]:
                    slot = rng.choice(slots[resource.pk])
                    start, end = _aware(day, slot.starts), _aware(day, slot.ends)
                else:
                    hour = rng.choice([10, 13, 15])
                    start, end = _aware(day, dt.time(hour)), _aware(day, dt.time(hour + 2))
                # Through the model, not booking_create: the demo should not render ~80
                # approval letters and print as many confirmation mails on the console. The
                # rules are still checked for the future (staff rules, as at the counter).
                if day >= today and services.problems_for(
                    resource=resource,
                    organization=organization,
                    start=start,
                    end=end,
                    attendees=10,
                    staff=True,
                ):
                    continue
                if day < today and services.overlapping(resource, start, end).exists():
                    continue
                list_price, charged, discount = services.fee_for(
                    resource=resource, organization=organization, start=start, end=end
                )
                past = [BookingStatus.USED] * 8 + [BookingStatus.NO_SHOW, BookingStatus.CANCELLED]
                Booking.objects.create(
                    resource=resource,
                    organization=organization,
                    start=start,
                    end=end,
                    purpose=rng.choice(PURPOSES),
                    attendees=rng.randint(5, 14),
                    status=rng.choice(past) if day < today else BookingStatus.CONFIRMED,
                    list_price=list_price,
                    charged=charged,
                    discount_name=discount,
                    booked_by=staff,
                )
        day += dt.timedelta(days=1)
    _seed_series_and_waitlist(rng, organizations, staff, today)
    printer = Resource.objects.filter(kind="printer").first()
    if printer is not None:
        for offset in range(1, 30, 4):
            used_on = today - dt.timedelta(days=offset)
            masters, sheets = rng.randint(1, 4), rng.randint(50, 600)
            PrinterUsage.objects.create(
                resource=printer,
                organization=rng.choice(organizations),
                used_on=used_on,
                masters=masters,
                sheets=sheets,
                amount=masters * printer.price_per_master + sheets * printer.price_per_sheet,
                recorded_by=staff,
            )
    return []


def _seed_series_and_waitlist(rng, organizations, staff, today):
    """A weekly series (毎週水曜日 午後) and one organization waiting for a taken slot."""
    from facilities.series import series_create
    from facilities.waitlist import waitlist_join
    from kyodo.exceptions import DomainError

    room = Resource.objects.filter(name="会議室A").first()
    if room is None or len(organizations) < 2:
        return
    first = today + dt.timedelta(days=(2 - today.weekday()) % 7 or 7)  # next Wednesday
    try:
        series_create(
            resource=room,
            organization=organizations[0],
            first=first,
            frequency="weekly",
            until=first + dt.timedelta(weeks=8),
            start_time=dt.time(13),
            end_time=dt.time(17),
            purpose="毎週の定例会",
            by=staff,
            attendees=12,
            staff=True,
        )
    except DomainError:
        return
    taken = Booking.objects.filter(
        resource=room, start__gte=timezone.now(), status=BookingStatus.CONFIRMED
    ).first()
    if taken is None:
        return
    waiting = next((o for o in organizations if o.pk != taken.organization_id), None)
    with contextlib.suppress(DomainError):
        waitlist_join(
            resource=room,
            organization=waiting,
            start=taken.start,
            end=taken.end,
            purpose="講座の打合せ",
            attendees=8,
            by=staff,
            staff=True,
        )
