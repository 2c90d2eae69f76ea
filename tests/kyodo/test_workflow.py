"""The shared status workflow (kyodo.workflow) on generated documents, with their real
transitions (kyodo.services.DOCUMENT_TRANSITIONS) and history (DocumentEvent)."""

import itertools

import pytest
from django.utils import timezone, translation

from kyodo.models import DocumentEvent, DocumentStatus, GeneratedDocument
from kyodo.services import DOCUMENT_TRANSITIONS
from kyodo.workflow import ConcurrentChange, TransitionNotAllowed, can_transition, transition

PENDING, READY, FAILED = DocumentStatus.PENDING, DocumentStatus.READY, DocumentStatus.FAILED

ALLOWED = [(PENDING, READY), (PENDING, FAILED), (FAILED, PENDING)]
REFUSED = [
    (READY, PENDING),
    (READY, FAILED),
    (READY, READY),
    (PENDING, PENDING),
    (FAILED, READY),
    (FAILED, FAILED),
]


def make_document(status=PENDING) -> GeneratedDocument:
    return GeneratedDocument.objects.create(
        kind="guide", template_name="pdf/guide.html", filename="guide.pdf", status=status
    )


def move(document, to, **kwargs):
    return transition(
        instance=document,
        to=to,
        transitions=DOCUMENT_TRANSITIONS,
        history_model=DocumentEvent,
        history_fk="document",
        **kwargs,
    )


def test_the_allowed_and_refused_moves_cover_every_pair_of_statuses():
    every_pair = set(itertools.product(DocumentStatus.values, repeat=2))
    assert set(ALLOWED) | set(REFUSED) == every_pair
    assert not set(ALLOWED) & set(REFUSED)


@pytest.mark.parametrize(("old", "new"), ALLOWED)
def test_can_transition_says_yes_to_every_allowed_move(old, new):
    assert can_transition(DOCUMENT_TRANSITIONS, old, new)


@pytest.mark.parametrize(("old", "new"), REFUSED)
def test_can_transition_says_no_to_every_refused_move(old, new):
    assert not can_transition(DOCUMENT_TRANSITIONS, old, new)


def test_can_transition_says_no_from_an_unknown_status():
    assert not can_transition(DOCUMENT_TRANSITIONS, "archived", PENDING)


@pytest.mark.django_db
@pytest.mark.parametrize(("old", "new"), ALLOWED)
def test_an_allowed_move_changes_the_row_and_writes_one_event(old, new, staff):
    document = make_document(old)
    returned = move(document, new, by=staff, reason="PDF作成")

    assert returned is document
    assert document.status == new
    document.refresh_from_db()
    assert document.status == new
    event = DocumentEvent.objects.get()
    assert event.document == document
    assert (event.old_status, event.new_status) == (old, new)
    assert event.changed_by == staff
    assert event.reason == "PDF作成"


@pytest.mark.django_db
def test_a_move_without_a_person_or_reason_records_neither():
    document = make_document(PENDING)
    move(document, FAILED)
    event = DocumentEvent.objects.get()
    assert event.changed_by is None
    assert event.reason == ""


@pytest.mark.django_db
def test_an_allowed_move_also_writes_the_extra_fields(staff):
    document = make_document(PENDING)
    finished = timezone.now().replace(microsecond=0)
    move(document, READY, by=staff, extra_fields={"finished_at": finished})
    assert document.finished_at == finished
    document.refresh_from_db()
    assert (document.status, document.finished_at) == (READY, finished)


@pytest.mark.django_db
def test_a_document_that_failed_and_was_retried_has_its_whole_history_in_order(staff):
    document = make_document(PENDING)
    move(document, FAILED, reason="font missing")
    move(document, PENDING, by=staff, reason="retry")
    move(document, READY)
    assert list(document.events.values_list("old_status", "new_status", "reason")) == [
        (PENDING, FAILED, "font missing"),
        (FAILED, PENDING, "retry"),
        (PENDING, READY, ""),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(("old", "new"), REFUSED)
def test_a_refused_move_raises_and_changes_nothing(old, new, staff):
    document = make_document(old)
    with pytest.raises(TransitionNotAllowed):
        move(document, new, by=staff, reason="try")
    assert document.status == old
    document.refresh_from_db()
    assert document.status == old
    assert not DocumentEvent.objects.exists()


@pytest.mark.django_db
def test_a_refused_move_explains_itself_with_the_status_labels():
    document = make_document(READY)
    with translation.override("en"), pytest.raises(TransitionNotAllowed) as caught:
        move(document, PENDING)
    assert caught.value.message == "This cannot go from “ready” to “being prepared”."


@pytest.mark.django_db
def test_a_stale_instance_raises_concurrent_change_and_writes_no_history(staff):
    document = make_document(PENDING)
    stale = GeneratedDocument.objects.get(pk=document.pk)
    move(document, FAILED, reason="worker lost")  # someone else, in between

    with pytest.raises(ConcurrentChange):
        move(stale, READY, by=staff, extra_fields={"finished_at": timezone.now()})

    stale.refresh_from_db()
    assert stale.status == FAILED
    assert stale.finished_at is None
    assert list(DocumentEvent.objects.values_list("old_status", "new_status")) == [
        (PENDING, FAILED)
    ]


@pytest.mark.django_db
def test_of_two_moves_from_the_same_read_only_the_first_wins(staff):
    document = make_document(PENDING)
    first = GeneratedDocument.objects.get(pk=document.pk)
    second = GeneratedDocument.objects.get(pk=document.pk)

    move(first, READY, by=staff)
    with pytest.raises(ConcurrentChange):
        move(second, FAILED, by=staff)

    document.refresh_from_db()
    assert document.status == READY
    assert second.status == PENDING  # the losing instance is left as it was read
    assert DocumentEvent.objects.count() == 1


@pytest.mark.django_db
def test_a_stale_instance_of_a_deleted_row_raises_concurrent_change():
    document = make_document(PENDING)
    stale = GeneratedDocument.objects.get(pk=document.pk)
    document.delete()
    with pytest.raises(ConcurrentChange):
        move(stale, READY)
    assert not DocumentEvent.objects.exists()
