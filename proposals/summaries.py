"""The stage's summary PDF, made in the background.

A call can have hundreds of proposals: rendering their table took seconds and held a web
worker, so the reader asks for it, a task renders it through kyodo's document pipeline, and
the page shows its progress until the file is there. Each reader gets their own copy, since the
lines hidden from them (conflicts, undeclared, own review pending) stay hidden in it.
"""

from django.db import transaction
from django.utils import translation

from kyodo.documents import register_document_kind
from kyodo.models import DocumentStatus
from kyodo.services import document_request
from proposals import pdfs
from proposals.models import Stage, StageSummary

SUMMARY_KIND = "proposal_stage_summary"


@transaction.atomic
def summary_request(*, stage: Stage, by, language: str = "ja") -> StageSummary:
    """Ask for the summary of ``stage`` as ``by`` sees it, unless one is being made for them.

    Side effects: a GeneratedDocument (pending) and its StageSummary; the render task, queued
    when the transaction commits."""
    pending = (
        StageSummary.objects.filter(
            stage=stage, requested_by=by, document__status=DocumentStatus.PENDING
        )
        .select_related("document")
        .first()
    )
    if pending is not None:
        return pending
    document = document_request(
        kind=SUMMARY_KIND,
        template_name="pdf/proposal_summary.html",
        filename=pdfs.summary_filename(stage),
        language=language,
        by=by,
    )
    return StageSummary.objects.create(stage=stage, document=document, requested_by=by)


def latest_summary(stage: Stage, user) -> StageSummary | None:
    return (
        StageSummary.objects.filter(stage=stage, requested_by=user)
        .select_related("document")
        .first()
    )


def summary_document_context(document) -> dict:
    """The context of the summary, rebuilt by the task from the database as its reader sees it
    now, in the language it was asked in."""
    summary = StageSummary.objects.select_related("stage__round", "requested_by").get(
        document=document
    )
    with translation.override(document.language):
        return pdfs.summary_context(summary.stage, summary.requested_by)


register_document_kind(SUMMARY_KIND, summary_document_context)
