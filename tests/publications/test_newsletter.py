import datetime as dt
import io
import re

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kyodo.mail import outbox_sweep
from kyodo.models import OutboxMail, SentMail
from publications import newsletter
from publications.enums import IssueStatus, SubscriberStatus, Topic
from publications.models import Delivery, Issue, Subscriber
from tests.factories import StaffFactory
from tests.publications.conftest import log_in

pytestmark = pytest.mark.django_db

SITE = "https://kyodo.example.jp"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.KYODO_SITE_URL = SITE


def _link(pattern, text):
    return re.search(pattern, text).group(0)


def subscribe(client, email="reader@example.jp", topics=("center", "grants")):
    return client.post("/newsletter/subscribe/", {"email": email, "topics": list(topics)})


def test_subscribing_takes_a_confirmation_from_the_mail(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert subscribe(client, "Reader@Example.jp").status_code == 200
    subscriber = Subscriber.objects.get()
    assert subscriber.email == "reader@example.jp"
    assert subscriber.status == SubscriberStatus.PENDING
    assert subscriber.topics == ["center", "grants"]
    [message] = mail.outbox
    # (The link's host is the request's in development, KYODO_SITE_URL in production.)
    path = _link(r"/newsletter/confirm/[^\s]+/", message.body)

    # Following the link (as a mail scanner does) confirms nothing; the button does.
    assert client.get(path).status_code == 200
    assert Subscriber.objects.get().status == SubscriberStatus.PENDING
    assert client.post(path).status_code == 200
    assert Subscriber.objects.get().status == SubscriberStatus.ACTIVE


def test_an_expired_or_altered_confirmation_link_subscribes_nobody(
    client, settings, django_capture_on_commit_callbacks
):
    start = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        subscribe(client)
    path = _link(r"/newsletter/confirm/[^\s]+/", mail.outbox[0].body)
    with time_machine.travel(
        start + dt.timedelta(hours=settings.KYODO_NEWSLETTER_CONFIRM_HOURS, minutes=1)
    ):
        assert client.post(path).status_code == 400
    assert client.post(path.replace("/confirm/", "/confirm/x")).status_code == 400
    assert Subscriber.objects.get().status == SubscriberStatus.PENDING


def test_subscribing_an_address_already_subscribed_mails_nothing(
    client, django_capture_on_commit_callbacks
):
    Subscriber.objects.create(email="reader@example.jp", status="active", topics=["center"])
    with django_capture_on_commit_callbacks(execute=True):
        assert subscribe(client).status_code == 200
    assert mail.outbox == []
    assert Subscriber.objects.get().topics == ["center"]


def test_a_subscription_needs_a_topic(client):
    response = client.post("/newsletter/subscribe/", {"email": "a@example.jp"})
    assert "topics" in response.context["form"].errors
    assert not Subscriber.objects.exists()


def test_the_footer_of_every_page_offers_the_subscription(client):
    page = client.get("/").text
    assert 'action="/newsletter/subscribe/"' in page
    form = client.get("/newsletter/subscribe/", {"email": "from-footer@example.jp"})
    assert form.context["form"].initial["email"] == "from-footer@example.jp"


def subscribers(n, **fields):
    return [
        Subscriber.objects.create(
            email=f"reader{i}@example.jp", status="active", topics=["center"], **fields
        )
        for i in range(n)
    ]


def draft_issue(number=1, **fields):
    return newsletter.issue_save(
        issue=Issue(number=number, subject=f"メルマガ{number}号", body="<p>本文</p>", **fields)
    )


def test_the_mail_carries_one_click_unsubscribe_headers(django_capture_on_commit_callbacks):
    [subscriber] = subscribers(1)
    issue = draft_issue()
    with django_capture_on_commit_callbacks(execute=True):
        newsletter.issue_send(issue=issue, by=None)
    [message] = mail.outbox
    raw = message.message()
    unsubscribe = raw["List-Unsubscribe"]
    https, mailto = [part.strip(" <>") for part in unsubscribe.split(",")]
    assert https.startswith(f"{SITE}/newsletter/unsubscribe/")
    assert mailto.startswith("mailto:") and "unsubscribe" in mailto
    assert raw["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # The body has the link too, and the web archive's.
    assert https in message.body
    assert f"{SITE}/newsletter/1/" in message.body
    assert newsletter.subscriber_from_unsubscribe_token(https.rstrip("/").rsplit("/", 1)[1]) == (
        subscriber
    )


def test_one_click_post_unsubscribes_without_log_in_and_get_changes_nothing(client):
    [subscriber] = subscribers(1)
    path = reverse("publications:unsubscribe", args=[newsletter.unsubscribe_token(subscriber)])
    assert client.get(path).status_code == 200
    assert Subscriber.objects.get().status == SubscriberStatus.ACTIVE
    # What a mail provider sends (RFC 8058): a POST with this body, no cookie, no CSRF token.
    response = client.post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert Subscriber.objects.get().status == SubscriberStatus.UNSUBSCRIBED
    assert client.post(path).status_code == 200  # again: still unsubscribed, no error
    assert client.post(path[:-3] + "xx/").status_code == 404


def test_sending_writes_one_mail_per_subscriber_and_a_rerun_sends_nothing_twice(
    django_capture_on_commit_callbacks,
):
    subscribers(5)
    Subscriber.objects.create(email="pending@example.jp", status="pending", topics=["center"])
    Subscriber.objects.create(email="gone@example.jp", status="unsubscribed", topics=["center"])
    Subscriber.objects.create(email="events@example.jp", status="active", topics=["events"])
    issue = draft_issue(topic="center")
    with django_capture_on_commit_callbacks(execute=True):
        assert newsletter.issue_send(issue=issue, by=None) == 5
    with django_capture_on_commit_callbacks(execute=True):
        newsletter.newsletter_batch(issue_id=issue.pk)
        newsletter.newsletter_sweep()
        outbox_sweep()
    assert sorted(m.to[0] for m in mail.outbox) == [f"reader{i}@example.jp" for i in range(5)]
    issue.refresh_from_db()
    assert issue.status == IssueStatus.SENT and issue.sent_at
    assert newsletter.issue_progress(issue) == {"total": 5, "sent": 5, "failed": 0, "left": 0}
    with pytest.raises(Exception):  # noqa: B017 -- a sent issue cannot be sent again
        newsletter.issue_send(issue=issue, by=None)


class WorkerKilled(BaseException):
    """A worker process killed in the middle of its work (nothing after it runs)."""


class DiesOnThirdMail(EmailBackend):
    sent = 0

    def send_messages(self, messages):
        type(self).sent += 1
        if type(self).sent == 3:
            raise WorkerKilled
        return super().send_messages(messages)


def test_a_worker_killed_halfway_resumes_and_nobody_gets_it_twice(
    settings, django_capture_on_commit_callbacks
):
    subscribers(6)
    issue = draft_issue()
    settings.KYODO_NEWSLETTER_PER_MINUTE = 4
    locmem = settings.MAILERS
    settings.MAILERS = {
        "default": {"BACKEND": "tests.publications.test_newsletter.DiesOnThirdMail"}
    }
    DiesOnThirdMail.sent = 0
    with pytest.raises(WorkerKilled), django_capture_on_commit_callbacks(execute=True):
        newsletter.issue_send(issue=issue, by=None)
    assert len(mail.outbox) == 2
    progress = newsletter.issue_progress(issue)
    assert progress["sent"] == 2 and progress["left"] == 4

    # The next worker, after the dead one's lease ran out: the next batches and the outbox sweep.
    settings.MAILERS = locmem
    later = timezone.now() + dt.timedelta(seconds=settings.KYODO_OUTBOX_LEASE_SECONDS + 1)
    with time_machine.travel(later), django_capture_on_commit_callbacks(execute=True):
        newsletter.newsletter_sweep()
        newsletter.newsletter_sweep()
        outbox_sweep()
        outbox_sweep()
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == [f"reader{i}@example.jp" for i in range(6)]
    assert Delivery.objects.filter(issue=issue).count() == 6
    assert OutboxMail.objects.filter(purpose="publications.newsletter").count() == 6
    assert newsletter.issue_progress(issue) == {"total": 6, "sent": 6, "failed": 0, "left": 0}


def test_progress_counts_sent_failed_and_left(settings, django_capture_on_commit_callbacks):
    subscribers(3)
    issue = draft_issue()
    settings.KYODO_NEWSLETTER_PER_MINUTE = 2
    with django_capture_on_commit_callbacks(execute=True):
        newsletter.issue_send(issue=issue, by=None)
    assert newsletter.issue_progress(issue) == {"total": 3, "sent": 2, "failed": 0, "left": 1}
    OutboxMail.objects.filter(to="reader0@example.jp").update(status=OutboxMail.Status.FAILED)
    assert newsletter.issue_progress(issue) == {"total": 3, "sent": 1, "failed": 1, "left": 1}


def test_a_subscriber_who_unsubscribes_during_the_send_gets_no_later_batch(
    settings, django_capture_on_commit_callbacks
):
    first, second = subscribers(2)
    issue = draft_issue()
    settings.KYODO_NEWSLETTER_PER_MINUTE = 1
    with django_capture_on_commit_callbacks(execute=True):
        newsletter.issue_send(issue=issue, by=None)
    newsletter.unsubscribe(subscriber=second)
    with django_capture_on_commit_callbacks(execute=True):
        newsletter.newsletter_sweep()
    assert [m.to[0] for m in mail.outbox] == [first.email]
    issue.refresh_from_db()
    assert issue.status == IssueStatus.SENT


def test_the_archive_shows_sent_issues_only(client, django_capture_on_commit_callbacks):
    subscribers(1)
    sent = draft_issue(1)
    draft = draft_issue(2)
    with django_capture_on_commit_callbacks(execute=True):
        newsletter.issue_send(issue=sent, by=None)
    assert client.get("/newsletter/1/").status_code == 200
    assert client.get("/newsletter/2/").status_code == 404
    assert [i.number for i in client.get("/newsletter/").context["page_obj"]] == [1]
    client.force_login(StaffFactory())
    assert client.get(f"/newsletter/{draft.number}/").status_code == 200


def test_staff_test_send_and_send_from_the_issue_page(client, django_capture_on_commit_callbacks):
    subscribers(2)
    issue = draft_issue()
    staff = StaffFactory(email="staff-writer@example.jp")
    client.force_login(staff)
    page = reverse("publications_staff:newsletter_issue", args=[issue.pk])
    assert client.get(page).context["recipients"] == 2
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("publications_staff:newsletter_test", args=[issue.pk]), {"to": staff.email}
        )
    assert [m.to[0] for m in mail.outbox] == [staff.email]
    assert Issue.objects.get().status == IssueStatus.DRAFT
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("publications_staff:newsletter_send", args=[issue.pk]))
    assert len(mail.outbox) == 3
    progress = client.get(page).context["progress"]
    assert progress == {"total": 2, "sent": 2, "failed": 0, "left": 0}


@pytest.mark.parametrize("who", ["anonymous", "outsider", "member"])
def test_only_staff_reach_the_newsletter_pages(client, persons, who):
    issue = draft_issue()
    subscribers(1)
    log_in(client, persons[who])
    expected = 302 if who == "anonymous" else 404
    for name in ("newsletter_issue", "newsletter_test", "newsletter_send"):
        url = reverse(f"publications_staff:{name}", args=[issue.pk])
        response = client.post(url) if name != "newsletter_issue" else client.get(url)
        assert response.status_code == expected
    assert client.get(reverse("publications_staff:newsletter")).status_code == expected
    assert Issue.objects.get().status == IssueStatus.DRAFT
    assert mail.outbox == []


def test_the_staff_page_runs_the_same_queries_for_1_and_for_8_issues(
    client, django_assert_num_queries, django_capture_on_commit_callbacks
):
    subscribers(2)
    client.force_login(StaffFactory())
    url = reverse("publications_staff:newsletter")
    with django_capture_on_commit_callbacks(execute=True):
        newsletter.issue_send(issue=draft_issue(1), by=None)
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for n in range(2, 9):
        issue = draft_issue(n)
        if n % 2:
            with django_capture_on_commit_callbacks(execute=True):
                newsletter.issue_send(issue=issue, by=None)
    with django_assert_num_queries(len(one)):
        assert len(client.get(url).context["issues"]) == 8


def test_the_archive_runs_the_same_queries_for_1_and_for_25_issues(
    client, django_assert_num_queries
):
    Issue.objects.create(number=1, subject="1", body="x", status="sent")
    client.get("/newsletter/")
    with CaptureQueriesContext(connection) as one:
        client.get("/newsletter/")
    Issue.objects.bulk_create(
        Issue(number=n, subject=str(n), body="x", status="sent") for n in range(2, 26)
    )
    with django_assert_num_queries(len(one)):
        assert len(client.get("/newsletter/").context["page_obj"].object_list) == 20


def test_unsubscribed_addresses_are_reduced_to_a_hash_after_the_set_time(
    settings, django_capture_on_commit_callbacks
):
    settings.KYODO_NEWSLETTER_FORGET_DAYS = 30
    leaving, staying = subscribers(2)
    issue = draft_issue()
    with django_capture_on_commit_callbacks(execute=True):
        newsletter.issue_send(issue=issue, by=None)
    newsletter.unsubscribe(subscriber=leaving)
    assert newsletter.subscribers_forget() == 0  # too early

    with time_machine.travel(timezone.now() + dt.timedelta(days=31)):
        assert newsletter.subscribers_forget() == 1
    assert list(Subscriber.objects.values_list("email", flat=True)) == [staying.email]
    assert newsletter.is_suppressed("Reader0@example.jp")
    assert not newsletter.is_suppressed(staying.email)
    # No copy of the address is left: deliveries keep the hash, the mail log and outbox go.
    assert not Delivery.objects.filter(email=leaving.email).exists()
    assert newsletter.issue_progress(issue)["total"] == 2
    assert not OutboxMail.objects.filter(to=leaving.email).exists()
    assert not SentMail.objects.filter(to=leaving.email).exists()
    assert OutboxMail.objects.filter(to=staying.email).exists()


def test_hard_bounces_stop_mail_after_the_set_number(settings, django_capture_on_commit_callbacks):
    settings.KYODO_NEWSLETTER_MAX_BOUNCES = 2
    bouncing, fine = subscribers(2)
    call_command(
        "newsletter_bounce", bouncing.email, detail="550 5.1.1 user unknown", stdout=io.StringIO()
    )
    assert Subscriber.objects.get(pk=bouncing.pk).status == SubscriberStatus.ACTIVE
    newsletter.bounce_record(email="READER0@example.jp")
    assert Subscriber.objects.get(pk=bouncing.pk).status == SubscriberStatus.BOUNCED
    logged = SentMail.objects.filter(purpose="publications.newsletter_bounce", to=bouncing.email)
    assert logged.count() == 2 and logged.first().status == SentMail.Status.FAILED
    with django_capture_on_commit_callbacks(execute=True):
        newsletter.issue_send(issue=draft_issue(), by=None)
    assert [m.to[0] for m in mail.outbox] == [fine.email]


def test_staff_download_the_subscribers_as_csv(client, persons):
    subscribers(2)
    url = reverse("publications_staff:newsletter_subscribers_csv")
    client.force_login(persons["member"])
    assert client.get(url).status_code == 404
    client.force_login(persons["staff"])
    response = client.get(url)
    rows = response.content.decode("utf-8-sig").splitlines()
    assert len(rows) == 3 and rows[1].startswith("reader0@example.jp,")


def test_blocks_pull_recent_news_and_new_grants_into_the_issue(
    django_capture_on_commit_callbacks,
):
    from tests.publications.conftest import grant, news

    news("最近のお知らせ", days_ago=3)
    news("古いお知らせ", days_ago=60)
    news("下書きのお知らせ", days_ago=None)
    grant("新しい助成", days=20)
    grant("締切済みの助成", days=-1)
    subscribers(1)
    issue = draft_issue(blocks=["recent_news", "new_grants"])
    assert "最近のお知らせ" in issue.blocks_html and "新しい助成" in issue.blocks_html
    for absent in ("古いお知らせ", "下書きのお知らせ", "締切済みの助成"):
        assert absent not in issue.blocks_html
    only_news = draft_issue(2, blocks=["recent_news"])
    assert "新しい助成" not in only_news.blocks_html
    with django_capture_on_commit_callbacks(execute=True):
        newsletter.issue_send(issue=issue, by=None)
    [message] = mail.outbox
    assert "最近のお知らせ" in message.body and "新しい助成" in message.body


def test_mypage_shows_the_subscription_of_the_accounts_address(client, persons):
    member = persons["member"]
    client.force_login(member)
    page = client.get("/mypage/").text
    assert f"/newsletter/subscribe/?email={member.email.replace('@', '%40')}" in page
    subscriber = Subscriber.objects.create(
        email=member.email.lower(), status="active", topics=["grants"]
    )
    page = client.get("/mypage/").text
    assert reverse("publications:unsubscribe", args=[newsletter.unsubscribe_token(subscriber)]) in (
        page
    )
    sections = dict((s.key, d) for s, d in client.get("/mypage/").context["sections"])
    assert sections["newsletter"]["topics"] == [str(Topic.GRANTS.label)]
