"""Dates and numbers past the calendar's range give a clear page, never a server error
(issue 17 §5): the shared parsing in kyodo.bounds and each place that takes one."""

import datetime as dt

import pytest
from django.urls import reverse

from facilities.models import Booking, Resource
from kyodo.bounds import EARLIEST_DATE, LATEST_DATE, BoundedDateField, parse_date, parse_int
from tests.factories import MembershipFactory, OrganizationFactory, StaffFactory

FAR_DATES = ["9999-12-31", "0001-01-01", "1899-12-31", "2200-01-01"]


def test_parse_date_keeps_dates_in_range_and_falls_back_otherwise():
    fallback = dt.date(2026, 4, 1)
    assert parse_date("2026-11-20", fallback) == dt.date(2026, 11, 20)
    assert parse_date(LATEST_DATE.isoformat(), fallback) == LATEST_DATE
    assert parse_date(EARLIEST_DATE.isoformat(), fallback) == EARLIEST_DATE
    for value in [*FAR_DATES, "", None, "2026-02-30", "明日", "2026-1-1x", "\x00"]:
        assert parse_date(value, fallback) == fallback


def test_parse_int_accepts_ascii_whole_numbers_in_range_only():
    assert parse_int("12") == 12
    assert parse_int("-3", minimum=-5) == -3
    for value in ["", None, "-1", "1.5", "١٢", "1_000", "9" * 30, str(2**31), "0x10"]:
        assert parse_int(value, default="none") == "none"


def test_bounded_date_field_says_what_range_it_takes():
    field = BoundedDateField()
    for value in ("9999-12-31", "0001-01-01"):
        with pytest.raises(Exception) as error:
            field.clean(value)
        assert "1900-01-01" in str(error.value) or "2199-12-31" in str(error.value)
    assert field.clean("2026-11-20") == dt.date(2026, 11, 20)


@pytest.mark.django_db
@pytest.mark.parametrize("value", FAR_DATES)
def test_the_availability_page_takes_any_date(client, value):
    room = Resource.objects.get(name="会議室")
    for view in ("day", "week", "month"):
        response = client.get(
            reverse("facilities:resource_detail", args=[room.pk]), {"date": value, "view": view}
        )
        assert response.status_code == 200
        # Fell back to today's period rather than the far date.
        assert response.context["date"] != dt.date.fromisoformat(value)


@pytest.mark.django_db
@pytest.mark.parametrize("value", FAR_DATES)
def test_the_booking_form_takes_any_date_in_the_link_and_refuses_it_when_posted(client, value):
    room = Resource.objects.get(name="会議室")
    organization = OrganizationFactory()
    owner = MembershipFactory(organization=organization, role="owner").user
    client.force_login(owner)
    url = reverse("facilities:booking_create") + f"?resource={room.pk}"
    response = client.get(
        reverse("facilities:booking_create"),
        {"resource": room.pk, "date": value, "start": "09:00"},
    )
    assert response.status_code == 200
    response = client.post(
        url,
        {
            "organization": organization.pk,
            "date": value,
            "start_time": "09:00",
            "end_time": "12:00",
            "purpose": "定例会",
            "attendees": "5",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["date"]
    assert not Booking.objects.filter(organization=organization).exists()


@pytest.mark.django_db
def test_the_booking_form_refuses_a_huge_number_of_attendees(client):
    room = Resource.objects.get(name="会議室")
    organization = OrganizationFactory()
    client.force_login(MembershipFactory(organization=organization, role="owner").user)
    url = reverse("facilities:booking_create") + f"?resource={room.pk}"
    response = client.post(
        url,
        {
            "organization": organization.pk,
            "date": "2026-12-01",
            "start_time": "09:00",
            "end_time": "12:00",
            "purpose": "定例会",
            "attendees": "9" * 25,
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["attendees"]


@pytest.mark.django_db
@pytest.mark.parametrize("value", FAR_DATES)
def test_the_staff_counter_booking_list_and_csv_take_any_date(client, value):
    client.force_login(StaffFactory())
    response = client.get(reverse("facilities_staff:counter"), {"date": value})
    assert response.status_code == 200
    assert response.context["day"] != dt.date.fromisoformat(value)
    for name in ("facilities_staff:booking_list", "facilities_staff:booking_export"):
        for params in ({"start": value}, {"end": value}, {"start": value, "end": value}):
            response = client.get(reverse(name), params)
            assert response.status_code == 200
    response = client.get(reverse("facilities_staff:booking_list"), {"end": value})
    assert response.context["form"].errors["end"]


@pytest.mark.django_db
@pytest.mark.parametrize("value", FAR_DATES)
def test_the_staff_move_form_refuses_a_far_date(client, value):
    from facilities.models import Booking as BookingModel

    client.force_login(StaffFactory())
    room = Resource.objects.get(name="会議室")
    organization = OrganizationFactory()
    start = dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC)
    booking = BookingModel.objects.create(
        resource=room,
        organization=organization,
        start=start,
        end=start + dt.timedelta(hours=2),
        status="confirmed",
        purpose="定例会",
    )
    response = client.post(
        reverse("facilities_staff:move", args=[booking.pk]),
        {"day": value, "start_time": "13:00", "end_time": "17:00", "message": "変更"},
    )
    assert response.status_code == 200
    assert response.context["move_form"].errors["day"]
    booking.refresh_from_db()
    assert booking.start == start


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["0", "-1", "99999", "9" * 30, "x"])
def test_the_admin_case_list_takes_any_fiscal_year(admin_client, value):
    response = admin_client.get(
        reverse("admin:consultations_case_changelist"), {"fiscal_year": value}
    )
    assert response.status_code in (200, 302)


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["9" * 30, str(2**63), "-" + "9" * 25])
def test_a_record_number_past_the_id_column_is_an_invalid_choice_not_a_server_error(value):
    from consultations.forms_ask import AskForm
    from consultations.models import Category

    category = Category.objects.filter(is_active=True).first()
    form = AskForm(
        data={
            "name": "山田",
            "email": "yamada@example.jp",
            "request": "相談です",
            "categories": [str(category.pk), value],
            "consent": "on",
        }
    )
    assert not form.is_valid()
    assert "categories" in form.errors


@pytest.mark.django_db
def test_many_choice_fields_still_take_real_record_numbers():
    from consultations.models import Category
    from kyodo.bounds import BoundedModelMultipleChoiceField

    field = BoundedModelMultipleChoiceField(queryset=Category.objects.all())
    chosen = list(Category.objects.values_list("pk", flat=True)[:2])
    assert sorted(c.pk for c in field.clean([str(pk) for pk in chosen])) == sorted(chosen)
