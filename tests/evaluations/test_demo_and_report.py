"""The demo data of the evaluations, and the public report's PDF (和暦, Japanese font)."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone

from evaluations.demo import SECOND_TITLE, seed_evaluations
from evaluations.enums import Side, Status
from evaluations.models import Evaluation, EvaluationReport, Sheet
from kyodo.dates import fiscal_year
from kyodo.demo import seed_foundation
from kyodo.models import DocumentStatus
from kyodo.services import document_render
from organizations.demo import seed_organizations
from proposals.demo import seed_proposals
from tests.pdfcheck import embedded_fonts, pdf_text


@pytest.fixture
def seeded(db):
    seed_foundation(io.StringIO())
    seed_organizations(io.StringIO())
    seed_proposals(io.StringIO())
    seed_evaluations(io.StringIO())


def _counts():
    return (Evaluation.objects.count(), Sheet.objects.count(), EvaluationReport.objects.count())


def test_the_demo_project_is_evaluated_through_to_the_verdict(seeded):
    this_year = fiscal_year(timezone.localdate())
    first = Evaluation.objects.get(project_year__year=1, project_year__fiscal_year=this_year)
    assert first.status == Status.DECIDED
    assert first.targets.is_frozen and first.targets.evidence.count() == 1
    sides = sorted(first.sheets.values_list("side", flat=True))
    assert sides == [Side.COUNCIL, Side.COUNCIL, Side.DEPARTMENT, Side.SELF]
    assert first.project_year.verdict == "continue_changes" and first.project_year.verdict_text


def test_the_second_project_has_last_years_evaluation_and_work_for_the_council(seeded):
    second = Evaluation.objects.get(
        project_year__project__proposal__title=SECOND_TITLE, project_year__year=2
    )
    assert second.status == Status.COUNCIL
    council = second.assignments.get(member__email="council@demo.kyodo.jp").member
    assert not second.sheets.filter(author=council).exists()
    first = Evaluation.objects.get(
        project_year__project__proposal__title=SECOND_TITLE, project_year__year=1
    )
    assert first.status == Status.DECIDED
    assert EvaluationReport.objects.get(fiscal_year=first.project_year.fiscal_year).published_at


def test_seeding_again_adds_nothing(seeded):
    before = _counts()
    seed_evaluations(io.StringIO())
    assert _counts() == before


def test_the_public_report_and_its_pdf(seeded, client):
    report = EvaluationReport.objects.get()
    page = client.get(reverse("evaluations:report", args=[report.pk]))
    assert page.status_code == 200 and SECOND_TITLE in page.text
    document = document_render(document=report.document)
    assert document.status == DocumentStatus.READY, document.error
    content = document.file.read()
    fonts = embedded_fonts(content)
    assert fonts and all(any("IPAex" in f for f in font["families"]) for font in fonts)
    text = pdf_text(content)
    assert SECOND_TITLE in text and "令和" in text
    response = client.get(reverse("evaluations:report_pdf", args=[report.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
