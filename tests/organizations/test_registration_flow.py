"""Every allowed and refused move of registration and renewal, with e-mails and history."""

import datetime as dt

import pytest
import time_machine
from django.core import mail

from kyodo.exceptions import DomainError
from kyodo.mail import outbox_sweep
from kyodo.models import DocumentStatus
from kyodo.services import documents_sweep
from kyodo.workflow import TransitionNotAllowed
from organizations import services
from organizations.models import (
    Application,
    Organization,
    OrganizationEvent,
    RegistrationCertificate,
    RenewalReminder,
)
from tests.factories import MembershipFactory, OrganizationFactory, StaffFactory, UserFactory
from tests.organizations.helpers import pdf_upload

pytestmark = pytest.mark.django_db

PROFILE = {
    "name": "新川フードバンク",
    "name_kana": "シンカワフードバンク",
    "org_type": "voluntary",
    "representative_name": "新川　一",
    "representative_kana": "シンカワ　ハジメ",
    "postal_code": "104-0033",
    "street": "新川1-1",
    "phone": "03-1234-5678",
    "email": "food@example.jp",
    "activity_area": "新川",
    "member_count": 6,
    "purpose": "食品ロスを減らす",
    "activities": "フードドライブ",
}


@pytest.fixture
def applicant():
    return UserFactory()


@pytest.fixture
def applied(applicant, run_on_commit):
    with run_on_commit():
        organization = services.organization_apply(
            user=applicant,
            data=dict(PROFILE),
            activity_fields=[],
            documents=[("rules", pdf_upload())],
        )
    mail.outbox.clear()
    return organization


def _application(organization):
    return Application.objects.filter(organization=organization).latest("submitted_at")


def test_apply_refuses_what_the_rules_refuse(applicant):
    with pytest.raises(services.RegistrationRuleError):
        services.organization_apply(
            user=applicant,
            data={**PROFILE, "member_count": 2},
            activity_fields=[],
            documents=[("rules", pdf_upload())],
        )
    with pytest.raises(services.RegistrationRuleError):
        services.organization_apply(user=applicant, data=dict(PROFILE), activity_fields=[])
    assert not Organization.objects.exists()


def test_approval_registers_with_a_number_and_validity_to_the_end_of_the_fiscal_year(
    applied, applicant, run_on_commit
):
    staff = StaffFactory()
    with time_machine.travel(dt.datetime(2026, 11, 21, 3, tzinfo=dt.UTC)), run_on_commit():
        services.application_approve(application=_application(applied), by=staff)
    applied.refresh_from_db()
    assert applied.status == "registered"
    assert applied.registration_number == "2026-0001"
    assert applied.valid_until == dt.date(2027, 3, 31)
    assert applied.registered_on == dt.date(2026, 11, 21)
    moves = list(
        OrganizationEvent.objects.filter(organization=applied)
        .exclude(old_status="")
        .order_by("pk")
        .values_list("kind", "old_status", "new_status", "changed_by")
    )
    assert moves == [
        ("application", "submitted", "approved", staff.pk),
        ("registration", "applying", "registered", staff.pk),
    ]
    assert [m.to for m in mail.outbox] == [[applicant.email]]
    assert "2026-0001" in mail.outbox[0].body
    certificate = RegistrationCertificate.objects.get(organization=applied)
    assert certificate.document.status == DocumentStatus.READY


def test_registration_numbers_count_up_within_a_year(applicant, run_on_commit):
    staff = StaffFactory()
    numbers = []
    for i in range(2):
        organization = services.organization_apply(
            user=applicant,
            data={**PROFILE, "name": f"会{i}"},
            activity_fields=[],
            documents=[("rules", pdf_upload())],
        )
        services.application_approve(application=_application(organization), by=staff)
        organization.refresh_from_db()
        numbers.append(organization.registration_number)
    assert numbers[1][-4:] == f"{int(numbers[0][-4:]) + 1:04d}"


def test_return_needs_a_reason_and_the_applicant_answers_it(applied, applicant, run_on_commit):
    staff = StaffFactory()
    application = _application(applied)
    with pytest.raises(DomainError):
        services.application_return(application=application, by=staff, reason="  ")
    with run_on_commit():
        services.application_return(application=application, by=staff, reason="規約を添付")
    application.refresh_from_db()
    assert (application.status, application.reason) == ("returned", "規約を添付")
    assert len(mail.outbox) == 1 and "規約を添付" in mail.outbox[0].body
    with run_on_commit():
        services.application_resubmit(application=application, by=applicant, note="添付しました")
    application.refresh_from_db()
    assert application.status == "submitted"
    assert mail.outbox[-1].to == ["info@kyodo-station.jp"]


def test_reject_of_a_new_application_rejects_the_organization(applied, run_on_commit):
    staff = StaffFactory()
    with run_on_commit():
        services.application_reject(
            application=_application(applied), by=staff, reason="区内での活動が確認できません"
        )
    applied.refresh_from_db()
    assert applied.status == "rejected"
    assert "区内での活動が確認できません" in mail.outbox[0].body


def test_withdrawing_ends_the_application(applied, applicant):
    services.application_withdraw(application=_application(applied), by=applicant)
    applied.refresh_from_db()
    assert applied.status == "rejected"
    assert _application(applied).status == "withdrawn"


@pytest.mark.parametrize(
    ("status", "action"),
    [
        ("approved", "approve"),
        ("approved", "return"),
        ("rejected", "approve"),
        ("withdrawn", "reject"),
        ("returned", "approve"),
        ("returned", "return"),
    ],
)
def test_refused_application_moves_change_nothing(applied, status, action):
    staff = StaffFactory()
    application = _application(applied)
    Application.objects.filter(pk=application.pk).update(status=status)
    application.refresh_from_db()
    events = OrganizationEvent.objects.count()
    call = {
        "approve": lambda: services.application_approve(application=application, by=staff),
        "return": lambda: services.application_return(
            application=application, by=staff, reason="x"
        ),
        "reject": lambda: services.application_reject(
            application=application, by=staff, reason="x"
        ),
    }[action]
    with pytest.raises(TransitionNotAllowed):
        call()
    assert OrganizationEvent.objects.count() == events
    application.refresh_from_db()
    assert application.status == status


def test_only_one_open_application_at_a_time():
    organization = OrganizationFactory(valid_until=dt.date(2027, 3, 31))
    owner = MembershipFactory(organization=organization, role="owner").user
    with time_machine.travel(dt.datetime(2027, 3, 1, 3, tzinfo=dt.UTC)):
        services.renewal_apply(organization=organization, by=owner)
        with pytest.raises(DomainError):
            services.renewal_apply(organization=organization, by=owner)
    assert Application.objects.filter(organization=organization).count() == 1


def test_an_organization_still_applying_cannot_renew(applied, applicant):
    with pytest.raises(DomainError):
        services.renewal_apply(organization=applied, by=applicant)


def test_suspend_and_reinstate(run_on_commit):
    organization = OrganizationFactory()
    owner = MembershipFactory(organization=organization, role="owner").user
    staff = StaffFactory()
    with pytest.raises(DomainError):
        services.organization_suspend(organization=organization, by=staff, reason="")
    with run_on_commit():
        services.organization_suspend(
            organization=organization, by=staff, reason="無断キャンセル3回"
        )
    organization.refresh_from_db()
    assert organization.status == "suspended"
    assert not organization.is_valid
    assert mail.outbox[0].to == [owner.email]
    services.organization_reinstate(organization=organization, by=staff)
    organization.refresh_from_db()
    assert organization.is_valid


def test_an_applying_organization_cannot_be_suspended():
    organization = OrganizationFactory(
        status="applying", registration_number=None, valid_until=None
    )
    with pytest.raises(TransitionNotAllowed):
        services.organization_suspend(organization=organization, by=StaffFactory(), reason="x")


# --- renewal, expiry, reminders --------------------------------------------------------------


def test_renewal_opens_before_expiry_and_extends_the_validity(run_on_commit):
    organization = OrganizationFactory(valid_until=dt.date(2027, 3, 31))
    owner = MembershipFactory(organization=organization, role="owner").user
    # Renewal opens 60 days before expiry at the earliest.
    with (
        time_machine.travel(dt.datetime(2026, 11, 21, 3, tzinfo=dt.UTC)),
        pytest.raises(DomainError),
    ):
        services.renewal_apply(organization=organization, by=owner)
    with time_machine.travel(dt.datetime(2027, 2, 15, 3, tzinfo=dt.UTC)), run_on_commit():
        application = services.renewal_apply(organization=organization, by=owner)
        assert (application.kind, application.fiscal_year) == ("renewal", 2027)
        services.application_approve(application=application, by=StaffFactory())
    organization.refresh_from_db()
    assert (organization.status, organization.valid_until) == ("registered", dt.date(2028, 3, 31))
    assert RegistrationCertificate.objects.filter(organization=organization).count() == 1


def test_expired_registrations_cannot_book_and_can_renew_late():
    organization = OrganizationFactory(valid_until=dt.date(2026, 3, 31))
    owner = MembershipFactory(organization=organization, role="owner").user
    with time_machine.travel(dt.datetime(2026, 4, 1, 3, tzinfo=dt.UTC)):
        assert services.registrations_expire() == 1
        assert services.registrations_expire() == 0
        organization.refresh_from_db()
        assert organization.status == "expired"
        assert not organization.is_valid
        application = services.renewal_apply(organization=organization, by=owner)
        assert application.fiscal_year == 2026
        services.application_approve(application=application, by=StaffFactory())
    organization.refresh_from_db()
    assert (organization.status, organization.valid_until) == ("registered", dt.date(2027, 3, 31))


def test_each_renewal_reminder_is_sent_exactly_once_across_two_sweeps():
    organization = OrganizationFactory(valid_until=dt.date(2027, 3, 31))
    owner = MembershipFactory(organization=organization, role="owner").user
    manager = MembershipFactory(organization=organization, role="manager").user
    MembershipFactory(organization=organization, role="member")
    month_before = dt.datetime(2027, 3, 3, 0, tzinfo=dt.UTC)
    with time_machine.travel(month_before):
        assert services.renewal_reminders_send() == 2  # one mail to each manager
        assert services.renewal_reminders_send() == 0
    assert sorted(m.to[0] for m in mail.outbox) == sorted([owner.email, manager.email])
    with time_machine.travel(dt.datetime(2027, 3, 25, 0, tzinfo=dt.UTC)):
        assert services.renewal_reminders_send() == 2
        assert services.renewal_reminders_send() == 0
    assert len(mail.outbox) == 4
    assert set(RenewalReminder.objects.values_list("days_before", flat=True)) == {30, 7}


def test_no_reminder_while_a_renewal_is_being_reviewed():
    organization = OrganizationFactory(valid_until=dt.date(2027, 3, 31))
    owner = MembershipFactory(organization=organization, role="owner").user
    with time_machine.travel(dt.datetime(2027, 3, 3, 0, tzinfo=dt.UTC)):
        services.renewal_apply(organization=organization, by=owner)
        assert services.renewal_reminders_send() == 0


def test_a_failed_reminder_is_claimed_once_and_sent_by_the_outbox_later(settings):
    organization = OrganizationFactory(valid_until=dt.date(2027, 3, 31))
    owner = MembershipFactory(organization=organization, role="owner").user
    with time_machine.travel(dt.datetime(2027, 3, 3, 0, tzinfo=dt.UTC), tick=False):
        settings.MAILERS = {"default": {"BACKEND": "tests.failing_mail_backend.EmailBackend"}}
        assert services.renewal_reminders_send() == 1
        assert RenewalReminder.objects.count() == 1
        assert services.renewal_reminders_send() == 0  # claimed: the outbox tries again
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    with time_machine.travel(dt.datetime(2027, 3, 3, 1, tzinfo=dt.UTC), tick=False):
        assert outbox_sweep() == 1
    assert [m.to for m in mail.outbox] == [[owner.email]]


# --- 変更届 -------------------------------------------------------------------------------


def test_contact_details_change_at_once_and_the_name_waits_for_approval(run_on_commit):
    organization = OrganizationFactory(name="旧名の会", phone="03-1111-1111")
    owner = MembershipFactory(organization=organization, role="owner").user
    with run_on_commit():
        change = services.profile_update(
            organization=organization,
            by=owner,
            data={"name": "新名の会", "phone": "03-2222-2222"},
        )
    organization.refresh_from_db()
    assert organization.phone == "03-2222-2222"
    assert organization.name == "旧名の会"
    assert change.changes == {"name": "新名の会"}
    assert mail.outbox[-1].to == ["info@kyodo-station.jp"]
    with pytest.raises(DomainError):
        services.profile_update(organization=organization, by=owner, data={"name": "別名"})
    services.profile_change_decide(change=change, by=StaffFactory(), approve=True)
    organization.refresh_from_db()
    assert organization.name == "新名の会"
    assert organization.search_key.startswith("新名ノ会")  # the key follows the new name


def test_a_rejected_change_needs_a_reason_and_keeps_the_old_values():
    organization = OrganizationFactory(representative_name="甲　一")
    owner = MembershipFactory(organization=organization, role="owner").user
    change = services.profile_update(
        organization=organization, by=owner, data={"representative_name": "乙　二"}
    )
    with pytest.raises(DomainError):
        services.profile_change_decide(change=change, by=StaffFactory(), approve=False)
    services.profile_change_decide(
        change=change, by=StaffFactory(), approve=False, reason="総会の議事録を添付してください"
    )
    organization.refresh_from_db()
    assert organization.representative_name == "甲　一"
    with pytest.raises(DomainError):  # decided once only
        services.profile_change_decide(change=change, by=StaffFactory(), approve=True)


def test_while_applying_every_field_changes_at_once():
    organization = OrganizationFactory(
        status="applying", registration_number=None, valid_until=None
    )
    owner = MembershipFactory(organization=organization, role="owner").user
    change = services.profile_update(organization=organization, by=owner, data={"name": "改名"})
    organization.refresh_from_db()
    assert change is None
    assert organization.name == "改名"


def test_an_expired_registration_is_not_reinstated_without_a_renewal():
    organization = OrganizationFactory(status="expired")
    with pytest.raises(DomainError):
        services.organization_reinstate(organization=organization, by=StaffFactory())
    organization.refresh_from_db()
    assert organization.status == "expired"


def test_members_are_listed_owner_first():
    from organizations.selectors import members_of

    organization = OrganizationFactory()
    MembershipFactory(organization=organization, role="member")
    MembershipFactory(organization=organization, role="manager")
    MembershipFactory(organization=organization, role="owner")
    assert [m.role for m in members_of(organization)] == ["owner", "manager", "member"]


def test_the_database_holds_one_open_application_and_one_owner_per_organization():
    from django.db import IntegrityError, transaction

    from organizations.models import Membership

    organization = OrganizationFactory()
    Application.objects.create(organization=organization, kind="renewal", fiscal_year=2027)
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.create(organization=organization, kind="renewal", fiscal_year=2027)
    MembershipFactory(organization=organization, role="owner")
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(organization=organization, user=UserFactory(), role="owner")


def test_a_deleted_organization_leaves_a_gap_not_a_blocked_numbering(applicant, run_on_commit):
    staff = StaffFactory()
    numbers = []
    for i in range(2):
        organization = services.organization_apply(
            user=applicant,
            data={**PROFILE, "name": f"会{i}"},
            activity_fields=[],
            documents=[("rules", pdf_upload())],
        )
        services.application_approve(application=_application(organization), by=staff)
        organization.refresh_from_db()
        numbers.append(organization)
    numbers[0].delete()
    third = services.organization_apply(
        user=applicant,
        data={**PROFILE, "name": "会3"},
        activity_fields=[],
        documents=[("rules", pdf_upload())],
    )
    services.application_approve(application=_application(third), by=staff)
    third.refresh_from_db()
    assert third.registration_number.endswith("0003")


def test_an_organization_first_seen_a_week_before_expiry_gets_one_reminder_not_two():
    organization = OrganizationFactory(valid_until=dt.date(2027, 3, 31))
    MembershipFactory(organization=organization, role="owner")
    with time_machine.travel(dt.datetime(2027, 3, 26, 0, tzinfo=dt.UTC)):
        assert services.renewal_reminders_send() == 1
    assert list(RenewalReminder.objects.values_list("days_before", flat=True)) == [7]


def test_when_one_address_fails_only_that_one_is_retried(settings):
    from tests.failing_mail_backend import EmailBackend as Failing

    organization = OrganizationFactory(valid_until=dt.date(2027, 3, 31))
    good = MembershipFactory(organization=organization, role="manager").user
    bad = MembershipFactory(organization=organization, role="owner").user

    class FailForOne(Failing):
        def send_messages(self, messages):
            if any(bad.email in m.to for m in messages):
                return super().send_messages(messages)
            mail.outbox.extend(messages)
            return len(messages)

    import tests.failing_mail_backend as module

    module.FailForOne = FailForOne
    settings.MAILERS = {"default": {"BACKEND": "tests.failing_mail_backend.FailForOne"}}
    with time_machine.travel(dt.datetime(2027, 3, 3, 0, tzinfo=dt.UTC), tick=False):
        assert services.renewal_reminders_send() == 2
    assert [m.to[0] for m in mail.outbox] == [good.email]
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    with time_machine.travel(dt.datetime(2027, 3, 3, 1, tzinfo=dt.UTC), tick=False):
        assert outbox_sweep() == 1  # only the failed one
        assert services.renewal_reminders_send() == 0
    assert sorted(m.to[0] for m in mail.outbox) == sorted([good.email, bad.email])


def test_with_the_broker_down_the_approval_mail_and_certificate_wait_for_the_sweep(
    applied, applicant, run_on_commit, broker_down
):
    mail.outbox.clear()
    with run_on_commit():
        services.application_approve(application=_application(applied), by=StaffFactory())
    assert mail.outbox == []
    certificate = RegistrationCertificate.objects.get(organization=applied)
    assert certificate.document.status == DocumentStatus.PENDING

    broker_down.restore()
    assert outbox_sweep() == 1
    assert documents_sweep() == 1
    assert [m.to for m in mail.outbox] == [[applicant.email]]
    certificate.document.refresh_from_db()
    assert certificate.document.status == DocumentStatus.READY
