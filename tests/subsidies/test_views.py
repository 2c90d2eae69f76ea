"""The pages of the subsidy: the public programme pages, the organization's application pages
and files — a permission matrix for each, the flows through the forms, constant query counts
for the lists."""

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from subsidies.enums import ApplicationStatus
from subsidies.models import Application, ApplicationAttachment, ProgrammeForm
from tests.factories import MembershipFactory, OrganizationFactory, StaffFactory, UserFactory
from tests.subsidies.conftest import PLAN, draft, make_programme, manager_of, submitted, with_papers

pytestmark = pytest.mark.django_db


def _client(user=None):
    client = Client()
    client.cookies["django_language"] = "en"
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def people(organization):
    return {
        "anonymous": None,
        "outsider": MembershipFactory(organization=OrganizationFactory(), role="owner").user,
        "member": MembershipFactory(organization=organization, role="member").user,
        "manager": manager_of(organization),
        "staff": StaffFactory(),
    }


# --- public pages -----------------------------------------------------------------------------


def test_the_programme_page_shows_figures_categories_schedule_and_forms(client, programme):
    ProgrammeForm.objects.create(
        programme=programme,
        title="交付申請書",
        title_en="Application form",
        file=ContentFile(b"%PDF-1.7\n", name="form1.pdf"),
    )
    page = client.get(reverse("subsidies:programme", args=[programme.pk])).content.decode()
    assert "1/2 of the eligible costs" in page
    assert "¥300,000" in page
    assert "Rounded down to ¥1,000" in page
    assert "Honoraria" in page and "¥30,000" in page
    assert "Application form" in page
    assert "Open for applications until 2026-10-05" in page


def test_an_unpublished_programme_is_not_found(client):
    hidden = make_programme(2028, is_published=False)
    for name in ("subsidies:programme", "subsidies:programme_guide", "subsidies:create"):
        assert client.get(reverse(name, args=[hidden.pk])).status_code in (302, 404)
    assert client.get(reverse("subsidies:programme", args=[hidden.pk])).status_code == 404
    assert "Subsidy FY2028" not in client.get(reverse("subsidies:index")).content.decode()


def test_the_forms_and_guide_download_from_a_published_programme(client, programme):
    programme.guide_file = ContentFile(b"%PDF-1.7\n", name="guide.pdf")
    programme.save()
    form = ProgrammeForm.objects.create(
        programme=programme, title="様式", file=ContentFile(b"%PDF-1.7\n", name="f.pdf")
    )
    assert client.get(reverse("subsidies:programme_guide", args=[programme.pk])).status_code == 200
    url = reverse("subsidies:programme_form", args=[programme.pk, form.pk])
    assert client.get(url).status_code == 200
    other = make_programme(2026)
    assert (
        client.get(reverse("subsidies:programme_form", args=[other.pk, form.pk])).status_code == 404
    )


def test_the_programme_list_takes_the_same_queries_for_one_or_many(
    client, django_assert_num_queries
):
    make_programme(2027)
    url = reverse("subsidies:index")
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for year in (2023, 2024, 2025, 2026):
        make_programme(year)
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(url)


# --- the organization's pages: who may do what ------------------------------------------------

# (url name, method, who gets what)
MATRIX = [
    (
        "subsidies:detail",
        "get",
        {"anonymous": 302, "outsider": 404, "member": 200, "manager": 200, "staff": 200},
    ),
    (
        "subsidies:edit",
        "get",
        {"anonymous": 302, "outsider": 404, "member": 403, "manager": 200, "staff": 200},
    ),
    (
        "subsidies:submit",
        "get",
        {"anonymous": 302, "outsider": 404, "member": 403, "manager": 200, "staff": 200},
    ),
    (
        "subsidies:withdraw",
        "get",
        {"anonymous": 302, "outsider": 404, "member": 403, "manager": 200, "staff": 200},
    ),
    (
        "subsidies:attachment_add",
        "post",
        {"anonymous": 302, "outsider": 404, "member": 403, "manager": 302, "staff": 302},
    ),
]


@pytest.mark.parametrize(("name", "method", "expected"), MATRIX)
def test_permission_matrix_of_an_application(
    programme, organization, people, name, method, expected
):
    application = draft(programme, organization)
    url = reverse(name, args=[application.pk])
    for who, status in expected.items():
        response = getattr(_client(people[who]), method)(url)
        assert response.status_code == status, (who, response.status_code)


def test_permission_matrix_of_a_file(programme, organization, people):
    application = draft(programme, organization)
    attachment = ApplicationAttachment.objects.create(
        application=application, title="見積書", file=ContentFile(b"%PDF-1.7\n", name="q.pdf")
    )
    url = reverse("subsidies:attachment", args=[application.pk, attachment.pk])
    expected = {"anonymous": 302, "outsider": 404, "member": 200, "manager": 200, "staff": 200}
    for who, status in expected.items():
        assert _client(people[who]).get(url).status_code == status, who
    remove = reverse("subsidies:attachment_remove", args=[application.pk, attachment.pk])
    for who, status in {"anonymous": 302, "outsider": 404, "member": 403}.items():
        assert _client(people[who]).post(remove).status_code == status, who
    assert ApplicationAttachment.objects.filter(pk=attachment.pk).exists()
    _client(people["manager"]).post(remove)
    assert not ApplicationAttachment.objects.filter(pk=attachment.pk).exists()


def test_a_file_of_another_application_is_not_found(programme, organization, people):
    mine = draft(programme, organization)
    theirs = draft(programme)
    attachment = ApplicationAttachment.objects.create(
        application=theirs, title="x", file=ContentFile(b"%PDF-1.7\n", name="x.pdf")
    )
    url = reverse("subsidies:attachment", args=[mine.pk, attachment.pk])
    assert _client(people["manager"]).get(url).status_code == 404


def test_a_file_of_a_submitted_version_stays_after_removal(programme, organization, people):
    application = draft(programme, organization)
    manager = _client(people["manager"])
    upload = SimpleUploadedFile("plan.pdf", b"%PDF-1.7\n", content_type="application/pdf")
    manager.post(
        reverse("subsidies:attachment_add", args=[application.pk]),
        {"title": "計画", "file": upload},
    )
    attachment = application.attachments.get()
    from subsidies.services import application_submit

    application_submit(
        application=application,
        by=people["manager"],
        declarations=[
            "accounts",
            "responsible",
            "not_religious_political",
            "no_elections",
            "no_gangs",
        ],
    )
    assert application.submitted_version.data["attachments"][0]["id"] == attachment.pk
    url = reverse("subsidies:attachment", args=[application.pk, attachment.pk])
    assert manager.get(url).status_code == 200


def test_an_upload_of_the_wrong_type_is_refused(programme, organization, people):
    application = draft(programme, organization)
    upload = SimpleUploadedFile("tool.pdf", b"MZ\x90\x00", content_type="application/pdf")
    _client(people["manager"]).post(
        reverse("subsidies:attachment_add", args=[application.pk]), {"file": upload}
    )
    assert not application.attachments.exists()


# --- the flow through the forms ---------------------------------------------------------------


def test_start_names_the_failing_condition_and_offers_only_eligible_groups(client, programme):
    blocked = OrganizationFactory(name="書類のない会")
    user = manager_of(blocked)
    page = _client(user).get(reverse("subsidies:create", args=[programme.pk])).content.decode()
    assert "rules or articles of association are not on file" in page
    assert "Create the draft" not in page


def test_a_manager_starts_edits_and_submits_through_the_pages(programme, organization, people):
    client = _client(people["manager"])
    response = client.post(
        reverse("subsidies:create", args=[programme.pk]),
        {"organization": organization.pk, "title": "運河の清掃"},
    )
    application = Application.objects.get(organization=organization)
    assert response.url == reverse("subsidies:edit", args=[application.pk])
    categories = {c.name_en: c.pk for c in programme.categories.all()}
    data = {
        "title": "運河の清掃",
        "purpose": "p",
        "need": "n",
        "content": "c",
        "schedule": "s",
        "place": "月島",
        "starts_on": "2027-05-01",
        "ends_on": "2027-11-30",
        "effects": "e",
        "indicators": "i",
        "other_income": "１０，０００",
        "responsible_person": "r",
        "contact_person": "c",
        "contact_phone": "03-1234-5678",
        "consultation_case": "",
        "budget-TOTAL_FORMS": "3",
        "budget-INITIAL_FORMS": "0",
        "budget-MIN_NUM_FORMS": "0",
        "budget-MAX_NUM_FORMS": "60",
        "budget-0-category": categories["Honoraria"],
        "budget-0-item": "講師",
        "budget-0-quantity": "1",
        "budget-0-unit_price": "¥45,000",
        "budget-1-category": categories["Printing"],
        "budget-1-item": "チラシ",
        "budget-1-quantity": "2",
        "budget-1-unit_price": "20,000円",
        "close": "1",
    }
    assert client.post(reverse("subsidies:edit", args=[application.pk]), data).status_code == 302
    application.refresh_from_db()
    assert application.other_income == 10_000
    assert [(line.quantity, line.unit_price) for line in application.budget_lines.all()] == [
        (1, 45_000),
        (2, 20_000),
    ]
    page = client.get(reverse("subsidies:detail", args=[application.pk])).content.decode()
    assert "¥85,000" in page  # total
    assert "¥70,000" in page  # eligible: the lecturer counts up to ¥30,000
    assert "¥35,000" in page  # requested
    refused = client.post(
        reverse("subsidies:submit", args=[application.pk]), {"declarations": ["accounts"]}
    )
    assert refused.status_code == 200
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT
    client.post(
        reverse("subsidies:submit", args=[application.pk]),
        {
            "declarations": [
                "accounts",
                "responsible",
                "not_religious_political",
                "no_elections",
                "no_gangs",
            ]
        },
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.requested_amount == 35_000
    assert client.get(reverse("subsidies:edit", args=[application.pk])).status_code == 302


def test_a_project_outside_the_fiscal_year_is_refused_with_the_message(
    programme, organization, people
):
    application = draft(programme, organization)
    data = {
        "title": "t",
        "starts_on": "2027-03-01",
        "budget-TOTAL_FORMS": "0",
        "budget-INITIAL_FORMS": "0",
    }
    page = _client(people["manager"]).post(reverse("subsidies:edit", args=[application.pk]), data)
    assert "within the fiscal year" in page.content.decode()
    application.refresh_from_db()
    assert application.starts_on == dt.date(2027, 6, 1)


def test_withdraw_through_the_page(programme, organization, people):
    application = submitted(programme, organization)
    _client(people["manager"]).post(
        reverse("subsidies:withdraw", args=[application.pk]), {"reason": "r"}
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN


def test_my_applications_list_takes_the_same_queries_for_one_or_many(
    people, django_assert_num_queries
):
    user = UserFactory()
    client = _client(user)
    url = reverse("subsidies:mine")
    programme = make_programme()
    organization = with_papers(OrganizationFactory())
    MembershipFactory(organization=organization, user=user, role="owner")
    draft(programme, organization)
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for year in (2024, 2025, 2026):
        draft(
            make_programme(
                year,
                applications_open_on=dt.date(2026, 8, 1),
                application_deadline=dt.date(2026, 10, 1),
            ),
            organization,
            plan={**PLAN, "starts_on": None, "ends_on": None},
        )
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(url)


def test_the_organization_page_and_mypage_list_the_applications(programme, organization, people):
    application = draft(programme, organization)
    page = _client(people["member"]).get(reverse("accounts:mypage")).content.decode()
    assert application.title in page
    staff_page = (
        _client(people["staff"])
        .get(reverse("organizations:staff_detail", args=[organization.pk]))
        .content.decode()
    )
    assert application.title in staff_page
