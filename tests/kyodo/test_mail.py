import pytest
from django.core import mail

from kyodo.mail import send_mail
from kyodo.models import SentMail
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CONTEXT = {"mypage_url": "http://testserver/mypage/"}


def test_a_mail_is_rendered_in_the_recipients_language_with_text_and_html():
    user = UserFactory(language="ja")
    send_mail(
        to=user.email, template="welcome", user=user, purpose="account.welcome", context=CONTEXT
    )
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
    send_mail(
        to=user.email, template="welcome", user=user, purpose="account.welcome", context=CONTEXT
    )
    assert mail.outbox[0].subject == "Welcome to Kyodo Station Chuo"


def test_every_mail_is_recorded_with_its_purpose():
    user = UserFactory()
    send_mail(
        to=user.email, template="welcome", user=user, purpose="account.welcome", context=CONTEXT
    )
    record = SentMail.objects.get()
    assert (record.to, record.purpose, record.status, record.error) == (
        user.email,
        "account.welcome",
        "sent",
        "",
    )


def test_attachments_travel_with_the_mail():
    user = UserFactory()
    send_mail(
        to=user.email,
        template="welcome",
        user=user,
        purpose="test.attachment",
        context=CONTEXT,
        attachments=[("a.pdf", b"%PDF-1.7", "application/pdf")],
    )
    assert mail.outbox[0].attachments[0].filename == "a.pdf"


def test_a_failed_send_is_recorded_and_raised(settings):
    settings.MAILERS = {"default": {"BACKEND": "tests.failing_mail_backend.EmailBackend"}}
    user = UserFactory()
    with pytest.raises(ConnectionRefusedError):
        send_mail(
            to=user.email, template="welcome", user=user, purpose="account.welcome", context=CONTEXT
        )
    record = SentMail.objects.get()
    assert record.status == "failed"
    assert "refused" in record.error


def test_a_failed_send_can_be_recorded_without_raising(settings):
    settings.MAILERS = {"default": {"BACKEND": "tests.failing_mail_backend.EmailBackend"}}
    user = UserFactory()
    record = send_mail(
        to=user.email,
        template="welcome",
        user=user,
        purpose="x",
        context=CONTEXT,
        fail_silently=True,
    )
    assert record.status == "failed"
