import pytest
from django.core import mail
from django.urls import reverse

from organizations.models import Application, Membership, Organization, OrganizationEvent
from tests.factories import UserFactory
from tests.organizations.helpers import application_post, pdf_upload

pytestmark = pytest.mark.django_db


def test_apply_needs_a_log_in(client):
    response = client.get(reverse("organizations:apply"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_user_applies_and_becomes_the_representative_manager(client, run_on_commit):
    user = UserFactory()
    client.force_login(user)
    with run_on_commit():
        response = client.post(reverse("organizations:apply"), application_post())
    organization = Organization.objects.get()
    assert response.status_code == 302
    assert response["Location"] == organization.get_absolute_url()
    assert organization.status == "applying"
    assert organization.name_kana == "ニホンバシコドモノモリ"
    assert organization.representative_kana == "モリ　ハナコ"
    assert organization.postal_code == "103-0001"
    assert organization.contact_person == user
    assert Membership.objects.get(organization=organization).role == "owner"
    application = Application.objects.get()
    assert (application.kind, application.status) == ("new", "submitted")
    assert organization.documents.get().kind == "rules"
    assert OrganizationEvent.objects.filter(organization=organization).count() == 1
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted([user.email, "info@kyodo-station.jp"])


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"member_count": "2"}, "member_count"),
        ({"rules_document": None}, "rules_document"),
        ({"active_in_ward": None}, "active_in_ward"),
        ({"consent": None}, "consent"),
        ({"org_type": "npo", "corporate_number": ""}, "corporate_number"),
        ({"org_type": "npo", "corporate_number": "1000012050002"}, "corporate_number"),
        ({"name_kana": "日本橋"}, "name_kana"),
        ({"rules_document": pdf_upload("kiyaku.pdf", b"MZ\x90\x00 not a pdf")}, "rules_document"),
        ({"rules_document": pdf_upload("kiyaku.exe", b"MZ")}, "rules_document"),
    ],
)
def test_the_rules_are_checked_with_clear_errors(client, overrides, field):
    client.force_login(UserFactory())
    response = client.post(reverse("organizations:apply"), application_post(**overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Organization.objects.exists()


def test_a_valid_corporate_number_is_accepted_for_an_npo(client):
    client.force_login(UserFactory())
    client.post(
        reverse("organizations:apply"),
        application_post(org_type="npo", corporate_number="７０００ー０１２０５０００２"),
    )
    assert Organization.objects.get().corporate_number == "7000012050002"


def test_staff_can_change_the_registration_rules(client):
    from organizations.models import RegistrationRules

    RegistrationRules.objects.update(min_members=10, rules_document_required=False)
    client.force_login(UserFactory())
    response = client.post(reverse("organizations:apply"), application_post(member_count="8"))
    assert "member_count" in response.context["form"].errors
    client.post(
        reverse("organizations:apply"), application_post(member_count="10", rules_document=None)
    )
    assert Organization.objects.count() == 1


def test_an_oversized_upload_is_refused(client, settings):
    settings.KYODO_UPLOAD_MAX_BYTES = 100
    client.force_login(UserFactory())
    big = pdf_upload(content=b"%PDF-1.7\n" + b"0" * 200)
    response = client.post(reverse("organizations:apply"), application_post(rules_document=big))
    assert "rules_document" in response.context["form"].errors
