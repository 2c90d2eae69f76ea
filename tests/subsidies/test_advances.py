"""概算払: asked for once by a granted group where the programme allows it, at most the granted
amount; its payment recorded once by staff (a repeated record sends nothing more)."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from kyodo.exceptions import DomainError
from kyodo.mail import OutboxMail
from subsidies import advances, decisions
from subsidies.enums import Outcome
from subsidies.models import AdvancePayment
from tests.factories import MembershipFactory, OrganizationFactory, StaffFactory
from tests.subsidies.conftest import make_programme, manager_of, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(db):
    return StaffFactory()


def _granted(staff, *, allowed=True, amount=50_000):
    programme = make_programme(advance_payment_allowed=allowed)
    application = submitted(programme)
    decisions.decision_save(
        application=application, by=staff, outcome=Outcome.GRANTED, amount=amount
    )
    decisions.decisions_release(programme=programme, by=staff)
    application.refresh_from_db()
    return application


def test_a_granted_group_asks_for_an_advance_up_to_the_granted_amount(staff):
    application = _granted(staff)
    advance = advances.advance_request(
        application=application, by=manager_of(application.organization), amount=50_000
    )
    assert advance.amount == 50_000 and advance.paid_on is None
    assert application.events.filter(reason__contains="¥50,000").exists()


@pytest.mark.parametrize(("amount", "message"), [(50_001, "more than"), (0, "Give the amount")])
def test_an_advance_out_of_bounds_is_refused(staff, amount, message):
    application = _granted(staff)
    with pytest.raises(DomainError, match=message):
        advances.advance_request(
            application=application, by=manager_of(application.organization), amount=amount
        )


def test_an_advance_is_asked_for_once(staff):
    application = _granted(staff)
    by = manager_of(application.organization)
    advances.advance_request(application=application, by=by, amount=10_000)
    with pytest.raises(DomainError, match="already"):
        advances.advance_request(application=application, by=by, amount=10_000)
    assert AdvancePayment.objects.count() == 1


def test_no_advance_where_the_programme_pays_none(staff):
    application = _granted(staff, allowed=False)
    with pytest.raises(DomainError, match="no advance"):
        advances.advance_request(
            application=application, by=manager_of(application.organization), amount=10_000
        )


def test_no_advance_before_the_grant(staff):
    application = submitted(make_programme(advance_payment_allowed=True))
    with pytest.raises(DomainError, match="granted"):
        advances.advance_request(
            application=application, by=manager_of(application.organization), amount=10_000
        )


def test_a_member_who_is_no_manager_cannot_ask(staff):
    application = _granted(staff)
    member = MembershipFactory(organization=application.organization, role="member").user
    with pytest.raises(DomainError):
        advances.advance_request(application=application, by=member, amount=10_000)


def test_the_payment_is_recorded_once_and_mailed_once(staff):
    application = _granted(staff)
    advance = advances.advance_request(
        application=application, by=manager_of(application.organization), amount=20_000
    )
    advances.advance_record_payment(advance=advance, by=staff, paid_on=dt.date(2026, 9, 14))
    with pytest.raises(DomainError, match="already been recorded"):
        advances.advance_record_payment(advance=advance, by=staff, paid_on=dt.date(2026, 9, 15))
    advance.refresh_from_db()
    assert advance.paid_on == dt.date(2026, 9, 14)
    assert OutboxMail.objects.filter(purpose="subsidies.advance_paid").count() == 1


def test_a_payment_in_the_future_or_by_a_non_staff_is_refused(staff):
    application = _granted(staff)
    manager = manager_of(application.organization)
    advance = advances.advance_request(application=application, by=manager, amount=20_000)
    with pytest.raises(DomainError, match="future"):
        advances.advance_record_payment(advance=advance, by=staff, paid_on=dt.date(2026, 9, 16))
    with pytest.raises(DomainError, match="staff"):
        advances.advance_record_payment(advance=advance, by=manager, paid_on=dt.date(2026, 9, 14))


def _client(user):
    client = Client()
    client.cookies["django_language"] = "en"
    if user is not None:
        client.force_login(user)
    return client


def test_the_advance_pages_permission_matrix(staff):
    application = _granted(staff)
    ask = reverse("subsidies:advance_request", args=[application.pk])
    paid = reverse("subsidies_staff:advance_paid", args=[application.pk])
    outsider = MembershipFactory(organization=OrganizationFactory(), role="owner").user
    member = MembershipFactory(organization=application.organization, role="member").user
    for user, status in ((None, 302), (outsider, 404), (member, 403)):
        assert _client(user).post(ask, {"amount": "10000"}).status_code == status
    assert not AdvancePayment.objects.exists()
    manager = _client(manager_of(application.organization))
    assert manager.post(ask, {"amount": "10,000"}).status_code == 302
    assert AdvancePayment.objects.get().amount == 10_000
    detail = manager.get(reverse("subsidies:detail", args=[application.pk])).content.decode()
    assert "An advance of ¥10,000 was asked for" in detail
    for user, status in ((None, 302), (outsider, 404), (manager_of(application.organization), 404)):
        assert _client(user).post(paid, {"paid_on": "2026-09-14"}).status_code == status
    assert AdvancePayment.objects.get().paid_on is None
    assert _client(staff).post(paid, {"paid_on": "2026-09-14"}).status_code == 302
    assert AdvancePayment.objects.get().paid_on == dt.date(2026, 9, 14)
