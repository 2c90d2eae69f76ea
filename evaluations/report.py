"""The public 協働事業評価結果 of a 年度 as a PDF (和暦), made by kyodo's document pipeline
when staff publish the year: the same figures as the public page (selectors.summaries_for)."""

from django.utils import timezone, translation

from evaluations import selectors
from evaluations.models import EvaluationReport
from kyodo.documents import register_document_kind
from kyodo.selectors import center_profile
from kyodo.services import document_request

REPORT_KIND = "evaluation_report"


def report_context(report: EvaluationReport) -> dict:
    return {
        "center": center_profile(),
        "issued_at": timezone.localtime(report.published_at),
        "report": report,
        "summaries": selectors.summaries_for(selectors.report_evaluations(report.fiscal_year)),
    }


def report_filename(report: EvaluationReport) -> str:
    return f"evaluation-results-{report.fiscal_year}.pdf"


def report_document_request(report: EvaluationReport, *, by):
    return document_request(
        kind=REPORT_KIND,
        template_name="pdf/evaluation_report.html",
        filename=report_filename(report),
        language="ja",
        by=by,
    )


def report_document_context(document) -> dict:
    report = EvaluationReport.objects.get(document=document)
    with translation.override(document.language):
        return report_context(report)


register_document_kind(REPORT_KIND, report_document_context)
