"""The buttons and links of the facility documents: receipts and statements issued by staff,
the approval letter and receipts on a member's booking page, and the calendar feed box."""

import datetime as dt
from html import escape

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from facilities import services, staff_services
from facilities.documents import statement_issue
from facilities.feeds import feed_url
from facilities.models import CalendarFeed, Discount, MonthlyStatement, Receipt, Resource
from tests.facilities.conftest import TOKYO, at
from tests.factories import MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 20, 10, tzinfo=TOKYO)  # a Friday
TUESDAY = dt.date(2026, 11, 24)
OCTOBER = dt.date(2026, 10, 1)
LIST_URL = reverse("facilities:booking_list")


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def half_price(db):
    """Registered groups pay half (instead of nothing), so that receipts have an amount."""
    Discount.objects.update(percent_off=50)


@pytest.fixture
def printer(db):
    return Resource.objects.get(name="輪転機")


def book(resource, organization, by):
    return services.booking_create(
        resource=resource,
        organization=organization,
        start=at(TUESDAY, 9),
        end=at(TUESDAY, 12),
        purpose="定例会",
        by=by,
    )


def japanese(message: str) -> str:
    with translation.override("ja"):
        return escape(gettext(message))


def login(client, user):
    client.force_login(user)
    return client


# --- staff: the receipt of a booking ---------------------------------------------------------


def test_staff_issue_a_receipt_from_the_booking_page_and_a_second_is_refused(
    client, room, organization, people, half_price, run_on_commit
):
    booking = book(room, organization, people["manager"])
    staff_client = login(client, people["staff"])
    page = staff_client.get(reverse("facilities_staff:booking_detail", args=[booking.pk]))
    assert reverse("facilities_staff:receipt_issue", args=[booking.pk]) in page.text
    assert "会議室使用料として" in page.text  # the usual proviso is offered

    url = reverse("facilities_staff:receipt_issue", args=[booking.pk])
    with run_on_commit():  # the PDF task runs as the commit would run it
        issued = staff_client.post(url, {"proviso": "会場費として"})
    response = staff_client.get(issued["Location"])

    receipt = Receipt.objects.get()
    assert (receipt.booking, receipt.proviso) == (booking, "会場費として")
    assert receipt.amount == booking.charged > 0
    assert issued["Location"] == reverse("facilities_staff:booking_detail", args=[booking.pk])
    assert japanese("The receipt was issued. Its PDF is ready in a moment.") in response.text
    assert reverse("facilities_feeds:receipt", args=[receipt.pk]) in response.text
    assert receipt.number in response.text

    again = staff_client.post(url, {"proviso": "会場費として"}, follow=True)

    assert Receipt.objects.count() == 1
    assert japanese("A receipt has already been issued for this.") in again.text


def test_the_member_sees_the_receipt_on_their_booking_page(
    client, room, organization, people, half_price, run_on_commit
):
    booking = book(room, organization, people["manager"])
    with run_on_commit():
        login(client, people["staff"]).post(
            reverse("facilities_staff:receipt_issue", args=[booking.pk]), {"proviso": ""}
        )
    receipt = Receipt.objects.get()

    page = login(client, people["member"]).get(
        reverse("facilities:booking_detail", args=[booking.pk])
    )

    assert reverse("facilities_feeds:receipt", args=[receipt.pk]) in page.text
    download = client.get(reverse("facilities_feeds:receipt", args=[receipt.pk]))
    assert download["Content-Type"] == "application/pdf"


def test_a_free_booking_offers_no_receipt_form(client, room, organization, people):
    booking = book(room, organization, people["manager"])
    assert booking.charged == 0

    page = login(client, people["staff"]).get(
        reverse("facilities_staff:booking_detail", args=[booking.pk])
    )

    assert reverse("facilities_staff:receipt_issue", args=[booking.pk]) not in page.text


@pytest.mark.parametrize("who", ["stranger", "outsider", "member", "manager", "owner"])
def test_only_staff_may_issue_receipts_and_statements(
    client, room, organization, people, half_price, who
):
    booking = book(room, organization, people["manager"])
    login(client, people[who])

    receipt = client.post(reverse("facilities_staff:receipt_issue", args=[booking.pk]))
    statement = client.post(
        reverse("facilities_staff:statement_issue"),
        {"organization": organization.pk, "month": "2026-10"},
    )

    assert (receipt.status_code, statement.status_code) == (404, 404)
    assert not Receipt.objects.exists()
    assert not MonthlyStatement.objects.exists()


def test_anonymous_users_are_sent_to_log_in_from_the_new_staff_urls(
    client, room, organization, people
):
    booking = book(room, organization, people["manager"])
    for url in (
        reverse("facilities_staff:receipt_issue", args=[booking.pk]),
        reverse("facilities_staff:statement_issue"),
    ):
        response = client.post(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_the_issue_urls_need_post(client, room, organization, people):
    booking = book(room, organization, people["manager"])
    login(client, people["staff"])
    assert (
        client.get(reverse("facilities_staff:receipt_issue", args=[booking.pk])).status_code == 405
    )
    assert client.get(reverse("facilities_staff:statement_issue")).status_code == 405


# --- members: the approval letter ------------------------------------------------------------


def test_a_member_sees_the_approval_letter_link_once_it_is_ready(
    client, room, organization, people, run_on_commit
):
    def letter_url_of(booking):
        return reverse("facilities_feeds:approval_letter", args=[booking.pk])

    not_yet = book(room, organization, people["manager"])  # its task never ran
    with run_on_commit():
        booking = services.booking_create(
            resource=room,
            organization=organization,
            start=at(TUESDAY, 13),
            end=at(TUESDAY, 17),
            purpose="総会",
            by=people["manager"],
        )
    login(client, people["member"])

    page = client.get(reverse("facilities:booking_detail", args=[booking.pk]))
    waiting = client.get(reverse("facilities:booking_detail", args=[not_yet.pk]))

    assert letter_url_of(booking) in page.text
    assert letter_url_of(not_yet) not in waiting.text
    assert client.get(letter_url_of(booking))["Content-Type"] == "application/pdf"


def test_an_outsider_gets_404_on_the_booking_page(client, room, organization, people):
    booking = book(room, organization, people["manager"])
    for who in ("outsider", "stranger"):
        response = login(client, people[who]).get(
            reverse("facilities:booking_detail", args=[booking.pk])
        )
        assert response.status_code == 404


# --- members: the calendar feed box and the statements ---------------------------------------


def test_the_feed_box_offers_create_to_a_manager_and_nothing_to_a_plain_member(
    client, organization, people
):
    create_url = reverse("facilities_feeds:feed_create", args=[organization.pk])

    as_manager = login(client, people["manager"]).get(LIST_URL)
    as_member = login(client, people["member"]).get(LIST_URL)

    assert create_url in as_manager.text
    assert create_url not in as_member.text
    assert organization.name in as_manager.text


def test_a_manager_creates_and_revokes_the_feed_from_the_bookings_page(
    client, organization, people
):
    login(client, people["manager"])

    created = client.post(
        reverse("facilities_feeds:feed_create", args=[organization.pk]),
        {"next": LIST_URL},
        follow=True,
    )

    feed = CalendarFeed.objects.get(organization=organization, revoked_at=None)
    assert created.redirect_chain[-1][0] == LIST_URL
    address = feed_url(feed)
    assert address.startswith("http") and address in created.text
    revoke_url = reverse("facilities_feeds:feed_revoke", args=[feed.pk])
    assert revoke_url in created.text
    path = reverse("facilities_feeds:feed", args=[feed.token])
    client.logout()
    assert client.get(path).status_code == 200

    login(client, people["manager"])
    revoked = client.post(revoke_url, {"next": LIST_URL}, follow=True)

    assert revoked.redirect_chain[-1][0] == LIST_URL
    assert address not in revoked.text
    assert reverse("facilities_feeds:feed_create", args=[organization.pk]) in revoked.text
    assert client.get(path).status_code == 404


def test_a_manager_sees_the_statements_of_their_organization(
    client, organization, people, run_on_commit
):
    other = OrganizationFactory()
    with run_on_commit():
        login(client, people["staff"]).post(
            reverse("facilities_staff:statement_issue"),
            {"organization": organization.pk, "month": "2026-10"},
        )
    with run_on_commit():
        statement_issue(organization=other, month=OCTOBER, by=people["staff"])
    download = reverse("facilities_feeds:statement", args=[organization.pk, 2026, 10])

    page = login(client, people["manager"]).get(LIST_URL)

    assert download in page.text
    assert reverse("facilities_feeds:statement", args=[other.pk, 2026, 10]) not in page.text
    assert client.get(download)["Content-Type"] == "application/pdf"


def _queries_of_list(client, user) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(LIST_URL).status_code == 200
    return len(captured)


def test_the_bookings_page_makes_as_many_queries_for_one_managed_group_as_for_three(client, people):
    one = people["stranger"]
    organization = OrganizationFactory()
    MembershipFactory(organization=organization, user=one, role="manager")
    CalendarFeed.objects.create(organization=organization, token="a" * 43, created_by=one)
    MonthlyStatement.objects.create(organization=organization, month=OCTOBER)

    several = people["outsider"]
    for n in range(3):
        group = OrganizationFactory()
        MembershipFactory(organization=group, user=several, role="manager")
        CalendarFeed.objects.create(organization=group, token=f"{n}" * 43, created_by=several)
        MonthlyStatement.objects.create(organization=group, month=OCTOBER)
        MonthlyStatement.objects.create(organization=group, month=dt.date(2026, 9, 1))

    assert _queries_of_list(client, one) == _queries_of_list(client, several)


# --- staff: the monthly statement ------------------------------------------------------------


def test_staff_issue_a_finished_months_statement_once_from_the_printer_totals(
    client, printer, organization, people
):
    staff_services.printer_usage_record(
        resource=printer,
        organization=organization,
        used_on=dt.date(2026, 10, 15),
        masters=1,
        sheets=100,
        by=people["staff"],
    )
    login(client, people["staff"])
    totals = client.get(reverse("facilities_staff:printer_totals"), {"month": "2026-10"})
    issue_url = reverse("facilities_staff:statement_issue")
    assert issue_url in totals.text
    data = {"organization": organization.pk, "month": "2026-10"}

    first = client.post(issue_url, data, follow=True)
    second = client.post(issue_url, data)

    assert MonthlyStatement.objects.filter(organization=organization).count() == 1
    assert MonthlyStatement.objects.get().month == OCTOBER
    assert first.redirect_chain[-1][0].endswith("?month=2026-10")
    assert issue_url not in first.text  # the row now shows the statement instead
    assert second.status_code == 302


def test_the_statement_of_the_running_month_is_refused(client, printer, organization, people):
    login(client, people["staff"])
    totals = client.get(reverse("facilities_staff:printer_totals"))
    assert reverse("facilities_staff:statement_issue") not in totals.text

    response = client.post(
        reverse("facilities_staff:statement_issue"),
        {"organization": organization.pk, "month": "2026-11"},
        follow=True,
    )

    assert not MonthlyStatement.objects.exists()
    assert japanese("A month's statement is made once the month is over.") in response.text
