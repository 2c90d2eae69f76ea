import datetime as dt
from pathlib import Path

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.urls import reverse

from kyodo.models import DocumentEvent, DocumentStatus, GeneratedDocument
from kyodo.services import document_path, document_render, document_request
from kyodo.tasks import task_outbox_sweep, task_refresh_guides
from tests.factories import StaffFactory, UserFactory
from tests.pdfcheck import pdf_text

pytestmark = pytest.mark.django_db


def _download(client, **headers):
    response = client.get(reverse("guide_pdf"), **headers)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    body = b"".join(response.streaming_content)
    assert body.startswith(b"%PDF")
    return body


def test_the_home_page_links_straight_to_the_guide_pdf(client):
    page = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("guide_pdf")}"' in page


def test_the_first_download_makes_the_guide_and_serves_it_at_once(client):
    _download(client)
    document = GeneratedDocument.objects.get(kind="guide")
    assert document.status == DocumentStatus.READY
    assert list(document.events.values_list("old_status", "new_status")) == [
        ("", "pending"),
        ("pending", "ready"),
    ]


def test_later_downloads_serve_the_guide_made_ahead(client):
    assert task_refresh_guides() == 2  # ja and en, made ahead by the beat sweep
    _download(client)
    _download(client)
    assert GeneratedDocument.objects.filter(kind="guide").count() == 2
    assert task_refresh_guides() == 0  # nothing changed: nothing made again


def test_a_change_to_the_centers_data_makes_the_guide_again(client):
    from kyodo.models import CenterProfile

    task_refresh_guides()
    profile = CenterProfile.objects.get()
    profile.phone = "03-9999-0000"
    profile.save()
    assert task_refresh_guides() == 2
    _download(client)
    current = GeneratedDocument.objects.filter(kind="guide", language="ja").first()
    assert GeneratedDocument.objects.filter(kind="guide", language="ja").count() == 2
    assert "03-9999-0000" in pdf_text(current.file.read())


def test_a_new_closure_day_also_makes_it_again():
    from kyodo.models import AnnualClosure

    task_refresh_guides()
    AnnualClosure.objects.create(
        name="創立記念日", start_month=6, start_day=1, end_month=6, end_day=1
    )
    assert task_refresh_guides() == 2


def test_the_guide_is_made_in_the_visitors_language(client):
    client.cookies["django_language"] = "en"
    _download(client)
    assert GeneratedDocument.objects.get().language == "en"


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


def test_the_sweep_requeues_documents_whose_task_was_lost():
    with time_machine.travel(dt.datetime(2026, 11, 21, 9, tzinfo=dt.UTC)):
        # Requested, but its task never ran (the commit's publish is lost in this test).
        lost = document_request(kind="guide", template_name="pdf/guide.html", filename="g.pdf")
    with time_machine.travel(dt.datetime(2026, 11, 21, 9, 30, tzinfo=dt.UTC)):
        assert task_outbox_sweep() == 1
    lost.refresh_from_db()
    assert lost.status == DocumentStatus.READY


def test_a_fresh_pending_document_is_left_to_its_worker():
    with time_machine.travel(dt.datetime(2026, 11, 21, 9, tzinfo=dt.UTC)):
        document_request(kind="guide", template_name="pdf/guide.html", filename="g.pdf")
        assert task_outbox_sweep() == 0


def test_a_document_held_by_a_live_worker_is_not_rendered_by_another():
    t0 = dt.datetime(2026, 11, 21, 9, tzinfo=dt.UTC)
    with time_machine.travel(t0, tick=False):
        document = document_request(kind="guide", template_name="pdf/guide.html", filename="g.pdf")
        GeneratedDocument.objects.filter(pk=document.pk).update(claimed_at=t0)  # a worker has it
        document_render(document=document)
    document.refresh_from_db()
    assert (document.status, document.attempts) == (DocumentStatus.PENDING, 0)


def test_a_render_repeated_after_a_crash_overwrites_its_file_instead_of_orphaning_it(settings):
    """A worker stored the PDF, then PostgreSQL went away before the document was marked ready:
    the document stayed pending with its lease. The retry stores the file under the same name."""
    t0 = dt.datetime(2026, 11, 21, 9, tzinfo=dt.UTC)
    with time_machine.travel(t0, tick=False):
        document = document_request(kind="guide", template_name="pdf/guide.html", filename="g.pdf")
        path = document_path(document)
        document.file.storage.save(path, ContentFile(b"%PDF-1.7 the first try"))
        GeneratedDocument.objects.filter(pk=document.pk).update(claimed_at=t0)
    lease = dt.timedelta(seconds=settings.KYODO_OUTBOX_LEASE_SECONDS)
    with time_machine.travel(t0 + lease + dt.timedelta(seconds=1), tick=False):
        assert task_outbox_sweep() == 1
    document.refresh_from_db()
    assert document.status == DocumentStatus.READY
    assert document.file.name == path
    folder = Path(settings.MEDIA_ROOT) / Path(path).parent
    assert [p.name for p in folder.iterdir()] == ["g.pdf"]
    content = document.file.read()
    assert content.startswith(b"%PDF") and b"the first try" not in content


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
