"""Shared set-ups of the subsidy tests: a programme open on a fixed day, an eligible
organization with its papers on file, and the people around it."""

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import translation

from organizations.models import OrganizationDocument
from subsidies.enums import Declaration
from subsidies.models import CostCategory, Programme
from subsidies.services import application_create, application_submit, application_update
from tests.factories import MembershipFactory, OrganizationFactory

TOKYO = dt.timezone(dt.timedelta(hours=9))
# Applications for 2027年度 projects are open 2026-08-05 to 2026-10-05; "today" is in between.
NOW = dt.datetime(2026, 9, 15, 10, tzinfo=TOKYO)
OPENS, DEADLINE = dt.date(2026, 8, 5), dt.date(2026, 10, 5)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def client(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def make_programme(fiscal_year=2027, **fields) -> Programme:
    values = {
        "title": f"{fiscal_year}年度 社会貢献活動事業補助金",
        "title_en": f"Subsidy FY{fiscal_year}",
        "is_published": True,
        "applications_open_on": OPENS.replace(year=fiscal_year - 1),
        "application_deadline": DEADLINE.replace(year=fiscal_year - 1),
        **fields,
    }
    programme = Programme.objects.create(fiscal_year=fiscal_year, **values)
    CostCategory.objects.create(
        programme=programme, order=1, name="報償費", name_en="Honoraria", unit_cap=30_000
    )
    CostCategory.objects.create(programme=programme, order=2, name="印刷製本費", name_en="Printing")
    CostCategory.objects.create(
        programme=programme, order=3, name="飲食費", name_en="Food", eligible=False
    )
    return programme


def with_papers(organization):
    for kind in ("rules", "roster"):
        OrganizationDocument.objects.create(
            organization=organization,
            kind=kind,
            file=ContentFile(b"%PDF-1.7\n", name=f"{kind}.pdf"),
            original_name=f"{kind}.pdf",
            size=9,
        )
    return organization


def manager_of(organization):
    membership = organization.memberships.filter(role="owner").first()
    if membership is None:
        membership = MembershipFactory(organization=organization, role="owner")
    return membership.user


PLAN = {
    "purpose": "地域の防災力を高める。",
    "need": "子育て世代の参加が少ない。",
    "content": "親子向けの防災講座を4回。",
    "schedule": "6月から2月まで。",
    "place": "十思スクエア",
    "starts_on": dt.date(2027, 6, 1),
    "ends_on": dt.date(2028, 2, 28),
    "effects": "参加した家庭が備えを始める。",
    "indicators": "参加者120人。",
    "other_income": 0,
    "responsible_person": "日本橋一郎",
    "contact_person": "京橋花子",
    "contact_phone": "03-1234-5678",
}


def lines_of(programme, *rows):
    """Budget lines as the service takes them: (category name_en, item, quantity, price)."""
    categories = {c.name_en: c for c in programme.categories.all()}
    return [
        {"category": categories[name], "item": item, "quantity": q, "unit_price": price}
        for name, item, q, price in rows
    ]


STANDARD_LINES = (
    ("Honoraria", "講師謝礼", 2, 50_000),  # 60,000 eligible of 100,000
    ("Printing", "チラシ", 1, 41_000),
    ("Food", "軽食", 30, 1_500),  # not eligible
)


def draft(programme, organization=None, *, lines=STANDARD_LINES, plan=None):
    organization = organization or with_papers(OrganizationFactory())
    by = manager_of(organization)
    application = application_create(
        programme=programme, organization=organization, by=by, title="親子防災ワークショップ"
    )
    application_update(
        application=application,
        by=by,
        data=dict(PLAN if plan is None else plan),
        budget_lines=lines_of(programme, *lines),
    )
    return application


def submitted(programme, organization=None, **kwargs):
    application = draft(programme, organization, **kwargs)
    return application_submit(
        application=application,
        by=manager_of(application.organization),
        declarations=list(Declaration.values),
    )


@pytest.fixture
def programme(db):
    return make_programme()


@pytest.fixture
def organization(db):
    return with_papers(OrganizationFactory())
