"""Staff decide (交付 with the amount and conditions, 不交付 with the reasons) and release the
decisions once: every move allowed and refused; a repeated release sends nothing more; the
letter (和暦, 金○○○,○○○円) through the document pipeline; the staff pages' permissions."""

import pytest
from django.test import Client
from django.urls import reverse

from kyodo.exceptions import DomainError
from kyodo.mail import OutboxMail
from kyodo.models import GeneratedDocument
from subsidies import decisions
from subsidies.enums import ApplicationStatus, Outcome
from subsidies.models import Application, Decision
from subsidies.money import kin
from tests.factories import MembershipFactory, OrganizationFactory, StaffFactory
from tests.subsidies.conftest import draft, manager_of, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(db):
    return StaffFactory()


def _grant(application, staff, amount=50_000, conditions="報告書に写真を添付すること"):
    return decisions.decision_save(
        application=application,
        by=staff,
        outcome=Outcome.GRANTED,
        amount=amount,
        conditions=conditions,
    )


def test_kin_writes_the_amount_as_the_letters_do():
    assert kin(300_000) == "金300,000円"
    assert kin(1_000) == "金1,000円"


def test_a_grant_up_to_the_requested_amount_is_saved(programme, organization, staff):
    application = submitted(programme, organization)
    decision = _grant(application, staff, amount=50_000)
    assert decision.outcome == Outcome.GRANTED and decision.amount == 50_000
    assert decision.released_at is None


def test_a_lower_amount_may_be_granted(programme, organization, staff):
    assert _grant(submitted(programme, organization), staff, amount=30_000).amount == 30_000


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        (51_000, "more than the requested"),
        (49_500, "multiple of"),
        (0, "Give the amount"),
        (None, "Give the amount"),
    ],
)
def test_a_grant_amount_out_of_bounds_is_refused(programme, organization, staff, amount, message):
    application = submitted(programme, organization)
    with pytest.raises(DomainError, match=message):
        _grant(application, staff, amount=amount)
    assert not Decision.objects.exists()


def test_a_grant_above_the_cap_is_refused_even_if_requested(programme, organization, staff):
    application = submitted(programme, organization)
    Application.objects.filter(pk=application.pk).update(requested_amount=400_000)
    application.refresh_from_db()
    with pytest.raises(DomainError, match="maximum"):
        _grant(application, staff, amount=301_000)


def test_not_granting_needs_reasons(programme, organization, staff):
    application = submitted(programme, organization)
    with pytest.raises(DomainError, match="reasons"):
        decisions.decision_save(application=application, by=staff, outcome=Outcome.NOT_GRANTED)
    decision = decisions.decision_save(
        application=application,
        by=staff,
        outcome=Outcome.NOT_GRANTED,
        amount=50_000,
        reasons="公益性が十分に示されていない",
    )
    assert decision.amount is None


def test_a_draft_cannot_be_decided(programme, organization, staff):
    with pytest.raises(DomainError, match="submitted"):
        _grant(draft(programme, organization), staff)


def test_only_staff_decide(programme, organization):
    application = submitted(programme, organization)
    with pytest.raises(DomainError, match="staff"):
        _grant(application, manager_of(organization))


def test_the_release_waits_for_every_decision(programme, organization, staff):
    submitted(programme, organization)
    with pytest.raises(DomainError, match="every submitted"):
        decisions.decisions_release(programme=programme, by=staff)
    programme.refresh_from_db()
    assert programme.decisions_released_at is None


def _two_decided(programme, staff):
    granted = submitted(programme)
    refused = submitted(programme)
    _grant(granted, staff)
    decisions.decision_save(
        application=refused, by=staff, outcome=Outcome.NOT_GRANTED, reasons="予算の根拠が不明確"
    )
    return granted, refused


def test_the_release_moves_the_applications_issues_letters_and_mails(programme, staff):
    granted, refused = _two_decided(programme, staff)
    draft(programme)  # a draft is not decided and stays a draft
    assert decisions.decisions_release(programme=programme, by=staff) == 2
    granted.refresh_from_db()
    refused.refresh_from_db()
    assert granted.status == ApplicationStatus.GRANTED
    assert refused.status == ApplicationStatus.NOT_GRANTED
    assert GeneratedDocument.objects.filter(kind=decisions.LETTER_KIND).count() == 2
    mails = OutboxMail.objects.filter(purpose="subsidies.decision")
    assert mails.count() == 2
    assert all(mail.attachment_id for mail in mails)


def test_a_second_release_changes_and_sends_nothing(programme, staff):
    _two_decided(programme, staff)
    decisions.decisions_release(programme=programme, by=staff)
    with pytest.raises(DomainError, match="released"):
        decisions.decisions_release(programme=programme, by=staff)
    for decision in Decision.objects.all():
        assert decisions.decision_notify(decision=decision) == 0
    assert OutboxMail.objects.filter(purpose="subsidies.decision").count() == 2
    assert GeneratedDocument.objects.filter(kind=decisions.LETTER_KIND).count() == 2


def test_no_decision_changes_after_the_release(programme, staff):
    granted, _refused = _two_decided(programme, staff)
    decisions.decisions_release(programme=programme, by=staff)
    granted.refresh_from_db()
    with pytest.raises(DomainError):
        _grant(granted, staff, amount=10_000)


def test_a_submitted_application_is_no_longer_withdrawn_once_granted(programme, staff):
    granted, _refused = _two_decided(programme, staff)
    decisions.decisions_release(programme=programme, by=staff)
    from subsidies.services import application_withdraw

    granted.refresh_from_db()
    with pytest.raises(DomainError):
        application_withdraw(application=granted, by=manager_of(granted.organization))


def test_the_letter_reads_in_japanese_with_wareki_and_kin(programme, staff):
    from django.template.loader import render_to_string

    from kyodo.documents import document_context

    granted, refused = _two_decided(programme, staff)
    decisions.decisions_release(programme=programme, by=staff)
    granted_letter = Decision.objects.get(application=granted).letter
    html = render_to_string(granted_letter.template_name, document_context(granted_letter))
    assert "社会貢献活動事業補助金交付決定通知書" in html
    assert "金50,000円" in html
    assert "令和" in html
    assert "報告書に写真を添付すること" in html
    refused_letter = Decision.objects.get(application=refused).letter
    html = render_to_string(refused_letter.template_name, document_context(refused_letter))
    assert "不交付決定通知書" in html and "予算の根拠が不明確" in html


def test_the_organization_sees_the_decision_only_after_the_release(programme, staff):
    granted, _refused = _two_decided(programme, staff)
    client = Client()
    client.cookies["django_language"] = "en"
    client.force_login(manager_of(granted.organization))
    url = reverse("subsidies:detail", args=[granted.pk])
    assert "Granted: ¥50,000" not in client.get(url).content.decode()
    assert client.get(reverse("subsidies:letter", args=[granted.pk])).status_code == 404
    decisions.decisions_release(programme=programme, by=staff)
    assert "Granted: ¥50,000" in client.get(url).content.decode()


# --- the staff pages --------------------------------------------------------------------------


def _client(user):
    client = Client()
    client.cookies["django_language"] = "en"
    if user is not None:
        client.force_login(user)
    return client


def test_staff_pages_are_for_staff_only(programme, organization, staff):
    application = submitted(programme, organization)
    urls = [
        reverse("subsidies_staff:programmes"),
        reverse("subsidies_staff:programme", args=[programme.pk]),
        reverse("subsidies_staff:release", args=[programme.pk]),
        reverse("subsidies_staff:decide", args=[application.pk]),
    ]
    people = {
        "anonymous": (None, 302),
        "outsider": (MembershipFactory(organization=OrganizationFactory()).user, 404),
        "manager": (manager_of(organization), 404),
        "staff": (staff, 200),
    }
    for url in urls:
        for who, (user, status) in people.items():
            assert _client(user).get(url).status_code == status, (url, who)
    # Refused POSTs change nothing.
    _client(manager_of(organization)).post(
        reverse("subsidies_staff:decide", args=[application.pk]),
        {"outcome": "granted", "amount": "50000"},
    )
    _client(manager_of(organization)).post(reverse("subsidies_staff:release", args=[programme.pk]))
    assert not Decision.objects.exists()
    programme.refresh_from_db()
    assert programme.decisions_released_at is None


def test_staff_decide_and_release_through_the_pages(programme, organization, staff):
    application = submitted(programme, organization)
    client = _client(staff)
    response = client.post(
        reverse("subsidies_staff:decide", args=[application.pk]),
        {"outcome": "granted", "amount": "¥50,000", "conditions": "写真を添付"},
    )
    assert response.status_code == 302
    refused = client.post(
        reverse("subsidies_staff:decide", args=[application.pk]),
        {"outcome": "granted", "amount": "60000"},
    )
    assert "more than the requested" in refused.content.decode()
    client.post(reverse("subsidies_staff:release", args=[programme.pk]))
    application.refresh_from_db()
    assert application.status == ApplicationStatus.GRANTED
    client.post(reverse("subsidies_staff:release", args=[programme.pk]))
    assert OutboxMail.objects.filter(purpose="subsidies.decision").count() == 1


def test_staff_lists_take_the_same_queries_for_one_or_many(programme, staff):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.subsidies.conftest import make_programme

    client = _client(staff)
    _grant(submitted(programme), staff)
    urls = [
        reverse("subsidies_staff:programmes"),
        reverse("subsidies_staff:programme", args=[programme.pk]),
    ]
    counts = {}
    for url in urls:
        client.get(url)
        with CaptureQueriesContext(connection) as one:
            client.get(url)
        counts[url] = len(one.captured_queries)
    for _ in range(3):
        _grant(submitted(programme), staff)
    submitted(programme)
    make_programme(2026)
    make_programme(2025)
    for url in urls:
        with CaptureQueriesContext(connection) as many:
            client.get(url)
        assert len(many.captured_queries) == counts[url], url


def test_the_programme_csv_lists_applications_for_staff_only(programme, organization, staff):
    application = submitted(programme, organization)
    _grant(application, staff, amount=50_000)
    draft(programme)
    url = reverse("subsidies_staff:programme_export", args=[programme.pk])
    assert _client(manager_of(organization)).get(url).status_code == 404
    response = _client(staff).get(url)
    body = response.content.decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    assert application.reference in body and "50000" in body
    assert body.count("\r\n") == 3  # the header, the submitted one, the draft
    submitted_only = _client(staff).get(url, {"status": "submitted"}).content.decode("utf-8-sig")
    assert submitted_only.count("\r\n") == 2
