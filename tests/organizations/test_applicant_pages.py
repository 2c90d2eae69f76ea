"""The organization's own pages: a permission matrix for every URL, and what they do."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from organizations import services
from organizations.models import OrganizationDocument
from tests.factories import StaffFactory
from tests.organizations.helpers import PDF, pdf_upload
from tests.pdfcheck import embedded_fonts

pytestmark = pytest.mark.django_db

# who → expected status for pages any member may see / only managers may use
VIEWERS = {
    "owner": 200,
    "manager": 200,
    "member": 200,
    "outsider": 404,
    "stranger": 404,
    "staff": 200,
}
MANAGERS = {
    "owner": 200,
    "manager": 200,
    "member": 403,
    "outsider": 404,
    "stranger": 404,
    "staff": 200,
}


@pytest.fixture
def document(organization):
    return services.document_add(
        organization=organization, by=None, kind="rules", upload=pdf_upload()
    )


def _as(client, people, who):
    client.force_login(people[who])
    return client


@pytest.mark.parametrize("who", list(VIEWERS))
def test_detail_page_matrix(client, people, organization, who):
    response = _as(client, people, who).get(reverse("organizations:detail", args=[organization.pk]))
    assert response.status_code == VIEWERS[who]
    if response.status_code == 200:
        assert organization.name in response.content.decode()


@pytest.mark.parametrize("who", list(MANAGERS))
@pytest.mark.parametrize("name", ["edit", "publication"])
def test_manager_pages_matrix(client, people, organization, who, name):
    response = _as(client, people, who).get(
        reverse(f"organizations:{name}", args=[organization.pk])
    )
    assert response.status_code == MANAGERS[who]


@pytest.mark.parametrize("who", list(VIEWERS))
def test_documents_are_served_only_to_members_and_staff(
    client, people, organization, document, who
):
    url = reverse("organizations:document_download", args=[organization.pk, document.pk])
    response = _as(client, people, who).get(url)
    assert response.status_code == VIEWERS[who]
    if response.status_code == 200:
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Type"] == "application/pdf"


def test_a_document_of_another_organization_is_not_found_through_ours(client, people, organization):
    from tests.factories import OrganizationFactory

    other = OrganizationFactory()
    foreign = services.document_add(organization=other, by=None, kind="rules", upload=pdf_upload())
    client.force_login(people["owner"])
    url = reverse("organizations:document_download", args=[organization.pk, foreign.pk])
    assert client.get(url).status_code == 404


def test_anonymous_visitors_are_asked_to_log_in(client, organization):
    response = client.get(reverse("organizations:detail", args=[organization.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize(("who", "allowed"), [("manager", True), ("member", False)])
def test_uploading_and_removing_documents_is_for_managers(
    client, people, organization, who, allowed
):
    client.force_login(people[who])
    response = client.post(
        reverse("organizations:document_upload", args=[organization.pk]),
        {"kind": "roster", "file": pdf_upload("meibo.pdf")},
    )
    assert response.status_code == (302 if allowed else 403)
    assert OrganizationDocument.objects.filter(organization=organization).exists() is allowed


def test_an_upload_that_is_not_what_it_claims_is_refused(client, people, organization):
    client.force_login(people["manager"])
    client.post(
        reverse("organizations:document_upload", args=[organization.pk]),
        {"kind": "roster", "file": pdf_upload("meibo.pdf", b"<html>")},
    )
    assert not OrganizationDocument.objects.exists()


def test_editing_a_name_shows_it_waits_for_approval(client, people, organization):
    client.force_login(people["owner"])
    url = reverse("organizations:edit", args=[organization.pk])
    form = client.get(url).context["form"]
    data = {
        name: "" if form.initial.get(name) is None else form.initial[name] for name in form.fields
    }
    data["activity_fields"] = [f.pk for f in organization.activity_fields.all()]
    data.update({"name": "新しい名前の会", "phone": "03-9999-0000"})
    response = client.post(url, data)
    assert response.status_code == 302
    organization.refresh_from_db()
    assert organization.phone == "03-9999-0000"
    assert organization.name != "新しい名前の会"
    page = client.get(reverse("organizations:detail", args=[organization.pk])).content.decode()
    assert "新しい名前の会" in page  # the pending change is shown to the organization


def test_the_publication_settings_choose_what_the_directory_shows(client, people, organization):
    client.force_login(people["manager"])
    url = reverse("organizations:publication", args=[organization.pk])
    client.post(url, {"is_listed": "on", "public_fields": ["email", "phone"]})
    organization.refresh_from_db()
    assert organization.is_listed
    assert organization.public_fields == ["phone", "email"]  # kept in the directory's order
    response = client.post(url, {"is_listed": "on", "public_fields": ["password"]})
    assert "public_fields" in response.context["form"].errors


def test_a_returned_application_is_answered_from_the_detail_page(client, run_on_commit):
    from tests.factories import UserFactory
    from tests.organizations.helpers import application_post

    applicant = UserFactory()
    client.force_login(applicant)
    client.post(reverse("organizations:apply"), application_post())
    organization = applicant.memberships.get().organization
    application = organization.applications.get()
    services.application_return(application=application, by=StaffFactory(), reason="名簿を添付")
    page = client.get(reverse("organizations:detail", args=[organization.pk])).content.decode()
    assert "名簿を添付" in page
    client.post(reverse("organizations:resubmit", args=[organization.pk]), {"note": "添付済み"})
    application.refresh_from_db()
    assert application.status == "submitted"


def test_renewal_from_the_detail_page(client, people, organization):
    organization.valid_until = dt.date(2027, 3, 31)
    organization.save()
    with time_machine.travel(dt.datetime(2027, 3, 1, 3, tzinfo=dt.UTC)):
        client.force_login(people["owner"])  # inside: a session from today would have expired
        page = client.get(reverse("organizations:detail", args=[organization.pk]))
        assert reverse("organizations:renew", args=[organization.pk]) in page.content.decode()
        client.post(reverse("organizations:renew", args=[organization.pk]))
    assert organization.applications.get().kind == "renewal"


def test_a_member_cannot_renew(client, people, organization):
    client.force_login(people["member"])
    response = client.post(reverse("organizations:renew", args=[organization.pk]))
    assert response.status_code == 403


@pytest.mark.parametrize("who", list(VIEWERS))
def test_the_certificate_is_for_members_and_staff(client, people, organization, who, run_on_commit):
    from organizations.certificates import certificate_issue

    with run_on_commit():
        certificate_issue(organization=organization)
    response = _as(client, people, who).get(
        reverse("organizations:certificate_download", args=[organization.pk])
    )
    assert response.status_code == VIEWERS[who]


def test_the_certificate_is_in_japanese_with_wareki_and_an_embedded_font(
    organization, run_on_commit
):
    import io

    import pypdf

    from organizations.certificates import certificate_issue

    with time_machine.travel(dt.datetime(2026, 11, 21, 3, tzinfo=dt.UTC)), run_on_commit():
        certificate = certificate_issue(organization=organization)
    certificate.document.refresh_from_db()
    content = certificate.document.file.read()
    text = "".join(
        "".join(page.extract_text().split()) for page in pypdf.PdfReader(io.BytesIO(content)).pages
    )
    assert "利用団体登録証" in text
    assert organization.name in text
    assert "令和8年11月21日" in text
    assert "令和9年3月31日まで" in text
    assert all(any("IPAex" in f for f in font["families"]) for font in embedded_fonts(content))


def test_the_certificate_is_issued_once_per_validity(organization, run_on_commit):
    from organizations.certificates import certificate_issue

    with run_on_commit():
        first = certificate_issue(organization=organization)
        second = certificate_issue(organization=organization)
    assert first.pk == second.pk
