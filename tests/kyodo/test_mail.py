"""The outbox (kyodo.mail): every mail is a row first, sent by a task that claims it with a
lease and marks it sent only after the send; beat's sweep sends what the broker, the mail
server or a dead worker left behind."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.db import transaction

from kyodo.mail import mail_enqueue, outbox_send, outbox_sweep
from kyodo.models import DocumentStatus, OutboxMail, SentMail
from kyodo.services import document_request
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CONTEXT = {"mypage_url": "http://testserver/mypage/"}
FAILING = {"default": {"BACKEND": "tests.failing_mail_backend.EmailBackend"}}
LOCMEM = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
T0 = dt.datetime(2026, 11, 20, 1, tzinfo=dt.UTC)


def welcome(user, **kwargs):
    return mail_enqueue(
        to=user.email,
        template="welcome",
        user=user,
        purpose="account.welcome",
        context=CONTEXT,
        **kwargs,
    )


def test_a_mail_is_rendered_in_the_recipients_language_with_text_and_html():
    user = UserFactory(language="ja")
    welcome(user)
    message = mail.outbox[0]
    assert message.to == [user.email]
    assert "協働ステーション中央" in message.subject
    html = message.alternatives[0]
    assert html.mimetype == "text/html"
    assert '<html lang="ja">' in html.content
    assert "http://testserver/mypage/" in message.body
    assert "03-3666-4761" in message.body  # the center's details come from its profile


def test_an_english_speaker_gets_english():
    user = UserFactory(language="en")
    welcome(user)
    assert mail.outbox[0].subject == "Welcome to Kyodo Station Chuo"


def test_every_mail_is_recorded_with_its_purpose_and_marked_sent():
    user = UserFactory()
    row = welcome(user)
    record = SentMail.objects.get()
    assert (record.to, record.purpose, record.status, record.error) == (
        user.email,
        "account.welcome",
        "sent",
        "",
    )
    row.refresh_from_db()
    assert (row.status, row.attempts, row.claimed_at) == ("sent", 1, None)


def test_a_mail_of_a_rolled_back_change_is_never_sent():
    user = UserFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        welcome(user)
        raise RuntimeError("the change fails")
    assert not OutboxMail.objects.exists()
    assert mail.outbox == []


def test_a_mail_waits_for_the_commit_of_its_change(run_on_commit):
    user = UserFactory()
    with run_on_commit(), transaction.atomic():
        welcome(user)
        assert mail.outbox == []  # not before the commit
    assert len(mail.outbox) == 1


def test_a_document_travels_with_the_mail_rendered_by_the_sender_if_need_be():
    user = UserFactory()
    # The render task is lost (its transaction's commit is never run in this test): the
    # sending worker renders the document itself.
    document = document_request(kind="guide", template_name="pdf/guide.html", filename="g.pdf")
    welcome(user, attachment=document)
    [(filename, content, mimetype)] = mail.outbox[0].attachments
    assert (filename, mimetype) == ("g.pdf", "application/pdf")
    assert content.startswith(b"%PDF")
    document.refresh_from_db()
    assert document.status == DocumentStatus.READY


def test_a_failed_send_is_recorded_kept_and_sent_once_by_a_later_sweep(settings):
    user = UserFactory()
    settings.MAILERS = FAILING
    with time_machine.travel(T0, tick=False):
        row = welcome(user)
    row.refresh_from_db()
    assert (row.status, row.attempts, row.claimed_at) == ("pending", 1, None)
    assert "refused" in row.last_error
    assert SentMail.objects.get().status == "failed"

    settings.MAILERS = LOCMEM
    with time_machine.travel(T0 + dt.timedelta(seconds=30), tick=False):
        assert outbox_sweep() == 0  # its next try is not due yet
    with time_machine.travel(T0 + dt.timedelta(minutes=3), tick=False):
        assert outbox_sweep() == 1
        assert outbox_sweep() == 0
    assert [m.to for m in mail.outbox] == [[user.email]]
    row.refresh_from_db()
    assert row.status == "sent"


def test_a_mail_is_given_up_after_the_last_attempt(settings):
    settings.MAILERS = FAILING
    settings.KYODO_OUTBOX_MAX_ATTEMPTS = 2
    with time_machine.travel(T0, tick=False):
        row = welcome(UserFactory())
    with time_machine.travel(T0 + dt.timedelta(hours=1), tick=False):
        assert outbox_sweep() == 1
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("failed", 2)
    with time_machine.travel(T0 + dt.timedelta(days=1), tick=False):
        assert outbox_sweep() == 0


def test_a_claimed_mail_is_left_to_its_worker_until_the_lease_expires(settings):
    user = UserFactory()
    with time_machine.travel(T0, tick=False):
        row = welcome(user, publish=False)
        # Another worker claimed it (it is sending right now).
        OutboxMail.objects.filter(pk=row.pk).update(claimed_at=T0)
        assert outbox_send(outbox_id=row.pk) == "skipped"
        assert outbox_sweep() == 0
    assert mail.outbox == []
    # That worker was killed: once its lease is over, the sweep gives the mail to another.
    lease = dt.timedelta(seconds=settings.KYODO_OUTBOX_LEASE_SECONDS)
    with time_machine.travel(T0 + lease + dt.timedelta(seconds=1), tick=False):
        assert outbox_sweep() == 1
    assert len(mail.outbox) == 1
    assert outbox_send(outbox_id=row.pk) == "skipped"  # a redelivered task sends nothing
    assert len(mail.outbox) == 1


def test_with_the_broker_down_the_mail_waits_for_the_sweep(broker_down):
    user = UserFactory()
    row = welcome(user)  # the publish fails at once, is logged and leaves the row
    row.refresh_from_db()
    assert (row.status, row.queued_at, row.attempts) == ("pending", None, 0)
    assert mail.outbox == []
    broker_down.restore()
    assert outbox_sweep() == 1
    assert [m.to for m in mail.outbox] == [[user.email]]


def test_staff_send_a_given_up_mail_again_from_the_admin(client, settings, run_on_commit):
    from django.urls import reverse

    from tests.factories import StaffFactory

    settings.MAILERS = FAILING
    settings.KYODO_OUTBOX_MAX_ATTEMPTS = 1
    row = welcome(UserFactory())
    row.refresh_from_db()
    assert row.status == "failed"

    settings.MAILERS = LOCMEM
    client.force_login(StaffFactory())
    changelist = reverse("admin:kyodo_outboxmail_changelist")
    assert row.to in client.get(changelist).content.decode()
    with run_on_commit():
        client.post(changelist, {"action": "send_again", "_selected_action": [row.pk]})
    row.refresh_from_db()
    assert row.status == "sent"
    assert [m.to for m in mail.outbox] == [[row.to]]


def test_a_mail_waits_while_its_document_is_rendered_by_another_worker():
    from kyodo.models import GeneratedDocument
    from kyodo.services import document_render

    user = UserFactory()
    with time_machine.travel(T0, tick=False):
        document = document_request(kind="guide", template_name="pdf/guide.html", filename="g.pdf")
        GeneratedDocument.objects.filter(pk=document.pk).update(claimed_at=T0)  # being rendered
        row = welcome(user, attachment=document)
    row.refresh_from_db()
    assert (row.status, row.attempts, row.claimed_at) == ("pending", 0, None)
    assert mail.outbox == []
    with time_machine.travel(T0 + dt.timedelta(seconds=5), tick=False):
        # The other worker is done (its claim ended with the render).
        GeneratedDocument.objects.filter(pk=document.pk).update(claimed_at=None)
        document_render(document=document)
        assert outbox_sweep() == 0  # not yet due
    with time_machine.travel(T0 + dt.timedelta(seconds=20), tick=False):
        assert outbox_sweep() == 1
    [message] = mail.outbox
    assert message.attachments[0].content.startswith(b"%PDF")
