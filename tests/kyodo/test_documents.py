import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from kyodo.models import DocumentEvent, DocumentStatus, GeneratedDocument
from kyodo.services import document_render, document_request
from kyodo.tasks import task_requeue_stale_documents
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_requesting_the_guide_makes_a_ready_pdf_with_its_history(client, run_on_commit):
    with run_on_commit():
        response = client.post(reverse("guide_request"))
    assert response.status_code == 302
    document = GeneratedDocument.objects.get(kind="guide")
    assert document.status == DocumentStatus.READY
    assert document.file.read(4) == b"%PDF"
    assert list(document.events.values_list("old_status", "new_status")) == [
        ("", "pending"),
        ("pending", "ready"),
    ]


def test_the_guide_page_offers_the_download_once_ready(client, run_on_commit):
    with run_on_commit():
        client.post(reverse("guide_request"))
    document = GeneratedDocument.objects.get()
    page = client.get(reverse("guide")).content.decode()
    assert reverse("document_download", args=[document.pk]) in page
    download = client.get(reverse("document_download", args=[document.pk]))
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_a_second_request_on_the_same_day_does_not_make_another_guide(client):
    client.post(reverse("guide_request"))
    client.post(reverse("guide_request"))
    assert GeneratedDocument.objects.count() == 1


def test_a_new_day_makes_a_fresh_guide(client, run_on_commit):
    with time_machine.travel(dt.datetime(2026, 11, 20, 10, tzinfo=dt.UTC)), run_on_commit():
        client.post(reverse("guide_request"))
    with time_machine.travel(dt.datetime(2026, 11, 22, 10, tzinfo=dt.UTC)), run_on_commit():
        client.post(reverse("guide_request"))
    assert GeneratedDocument.objects.filter(status=DocumentStatus.READY).count() == 2


def test_the_guide_is_made_in_the_visitors_language(client):
    client.cookies["django_language"] = "en"
    client.post(reverse("guide_request"))
    assert GeneratedDocument.objects.get().language == "en"


def test_a_pending_guide_shows_progress_that_polls(client):
    document = GeneratedDocument.objects.create(
        kind="guide", template_name="pdf/guide.html", filename="g.pdf", language="ja"
    )
    page = client.get(reverse("guide")).content.decode()
    assert 'data-hx-trigger="every 2s"' in page
    assert 'role="progressbar"' in page
    assert reverse("document_download", args=[document.pk]) not in page


def test_a_broken_template_marks_the_document_failed_with_the_reason():
    document = GeneratedDocument.objects.create(
        kind="guide", template_name="pdf/does-not-exist.html", filename="x.pdf"
    )
    document_render(document=document, context={})
    document.refresh_from_db()
    assert document.status == DocumentStatus.FAILED
    event = DocumentEvent.objects.get(document=document)
    assert "TemplateDoesNotExist" in event.reason
    assert not document.file


def test_rendering_twice_stores_one_file_only():
    document = document_request(kind="guide", template_name="pdf/guide.html", filename="g.pdf")
    stale_copy = GeneratedDocument.objects.get(pk=document.pk)
    stale_copy.status = DocumentStatus.PENDING  # a second worker that read it before
    document_render(document=stale_copy, context={})
    document.refresh_from_db()
    assert document.status == DocumentStatus.READY
    assert DocumentEvent.objects.filter(document=document, new_status="ready").count() == 1


def test_the_sweep_requeues_documents_left_pending():
    with time_machine.travel(dt.datetime(2026, 11, 21, 9, tzinfo=dt.UTC)):
        lost = GeneratedDocument.objects.create(
            kind="guide", template_name="pdf/guide.html", filename="g.pdf"
        )
    with time_machine.travel(dt.datetime(2026, 11, 21, 9, 30, tzinfo=dt.UTC)):
        assert task_requeue_stale_documents() == 1
    lost.refresh_from_db()
    assert lost.status == DocumentStatus.READY


def test_a_fresh_pending_document_is_left_to_its_worker():
    with time_machine.travel(dt.datetime(2026, 11, 21, 9, tzinfo=dt.UTC)):
        GeneratedDocument.objects.create(
            kind="guide", template_name="pdf/guide.html", filename="g.pdf"
        )
        assert task_requeue_stale_documents() == 0


@pytest.mark.parametrize("who", ["anonymous", "other_user", "requester", "staff"])
def test_private_documents_go_only_to_their_requester_and_staff(client, who):
    requester = UserFactory()
    document = document_request(
        kind="report", template_name="pdf/guide.html", filename="r.pdf", by=requester
    )
    # "report" has no context builder: it fails, so make it ready by hand for the matrix.
    GeneratedDocument.objects.filter(pk=document.pk).update(status=DocumentStatus.READY)
    document.refresh_from_db()
    from django.core.files.base import ContentFile

    document.file.save("r.pdf", ContentFile(b"%PDF-1.7 test"), save=True)
    viewer = {
        "anonymous": None,
        "other_user": UserFactory(),
        "requester": requester,
        "staff": StaffFactory(),
    }[who]
    if viewer:
        client.force_login(viewer)
    response = client.get(reverse("document_download", args=[document.pk]))
    expected = 200 if who in {"requester", "staff"} else 404
    assert response.status_code == expected
