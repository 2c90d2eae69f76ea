"""The staff home (/staff/): what waits for the center today, from every pillar's provider."""

import datetime as dt

import pytest
from django.utils import timezone

from consultations.models import Case, FollowUp
from facilities.models import Booking, Resource
from kyodo.models import OutboxMail
from kyodo.staff_home import StaffHomeProvider, _providers, register_staff_home
from organizations.models import Application
from tests.factories import OrganizationFactory, ProposalFactory, RoundFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/staff/"


def _waiting_work(staff, n):
    """n items of each kind that waits for a person."""
    today = timezone.localdate()
    room = Resource.objects.get(name="会議室")
    round_ = RoundFactory()
    first = Case.objects.count()
    for i in range(n):
        organization = OrganizationFactory()
        Application.objects.create(organization=organization, kind="new", fiscal_year=2026)
        case = Case.objects.create(
            number=f"2026-{first + i + 1:04d}", title="相談", request="相談", channel="online"
        )
        FollowUp.objects.create(case=case, description="電話する", due_on=today, assignee=staff)
        FollowUp.objects.create(
            case=case, description="書類を送る", due_on=today - dt.timedelta(days=3), assignee=staff
        )
        start = timezone.make_aware(
            dt.datetime.combine(today + dt.timedelta(days=10 + first + i), dt.time(9))
        )
        Booking.objects.create(
            resource=room,
            organization=organization,
            start=start,
            end=start + dt.timedelta(hours=3),
            status="tentative",
            purpose="会合",
        )
        ProposalFactory(round=round_, organization=organization, status="submitted")
        OutboxMail.objects.create(
            to=f"x{i}@example.jp",
            purpose="test",
            language="ja",
            subject="件名",
            text_body="本文",
            status=OutboxMail.Status.FAILED,
        )


def _line(body: str, label: str) -> str:
    """The text of the line whose link reads ``label``."""
    start = body.index(label)
    return body[start : body.index("</li>", start)]


def test_anonymous_is_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("who", ["member", "ward_official", "council_member"])
def test_everyone_but_center_staff_gets_404(client, who, ward_official, council_member):
    person = {
        "member": UserFactory(),
        "ward_official": ward_official,
        "council_member": council_member,
    }[who]
    client.force_login(person)
    assert client.get(URL).status_code == 404


def test_staff_see_what_waits_with_counts(client, staff):
    _waiting_work(staff, 2)
    client.force_login(staff)
    body = client.get(URL).content.decode()
    assert "2 件" in _line(body, "審査待ちの登録・更新申請")
    assert "2 件" in _line(body, "未対応のオンライン相談")
    assert "2 件" in _line(body, "今日が期限の自分のフォローアップ")
    overdue = _line(body, "期限を過ぎた自分のフォローアップ")
    assert "2 件" in overdue and "要対応" in overdue
    assert "2 件" in _line(body, "承認待ちの仮予約")
    assert "2 件" in _line(body, "確認待ちの提出済み提案")
    failed = _line(body, "送信できなかったメール")
    assert "2 件" in failed and "要対応" in failed
    assert "0 件" in _line(body, "作成できなかった書類")


def test_the_lines_link_to_the_pages_that_hold_the_work(client, staff):
    client.force_login(staff)
    body = client.get(URL).content.decode()
    for url in (
        "/staff/organizations/review/",
        "/staff/consultations/",
        "/staff/facilities/bookings/?status=tentative",
        "/staff/proposals/",
        "/admin/kyodo/outboxmail/?status__exact=failed",
    ):
        assert f'href="{url}"' in body


def test_the_header_links_the_staff_home_for_staff_only(client, staff):
    client.force_login(staff)
    assert 'href="/staff/"' in client.get("/").content.decode()
    client.force_login(UserFactory())
    assert 'href="/staff/"' not in client.get("/").content.decode()


def test_a_provider_with_nothing_for_this_person_is_left_out(client, staff):
    register_staff_home(
        StaffHomeProvider(key="test-nothing", title="ZZ-NOT-SHOWN", lines=lambda request: None)
    )
    try:
        client.force_login(staff)
        assert "ZZ-NOT-SHOWN" not in client.get(URL).content.decode()
    finally:
        _providers.pop("test-nothing")


def test_the_query_count_does_not_grow_with_the_work_waiting(
    client, staff, django_assert_num_queries
):
    client.force_login(staff)
    _waiting_work(staff, 1)
    client.get(URL)  # warm the session and the role cache the same way for both counts
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(URL)
    _waiting_work(staff, 4)
    with django_assert_num_queries(len(one)):
        client.get(URL)


def _new_pillars_work(staff, n):
    """n items waiting in each pillar built after the staff home."""
    from coordination.models import Post, Region
    from events.models import Application as EventApplication
    from events.models import Event, Session
    from publications.models import GrantListing
    from subsidies.models import AdvancePayment
    from subsidies.models import Application as SubsidyApplication
    from tests.subsidies.conftest import make_programme

    first = Post.objects.count()
    now = timezone.now()
    programme = make_programme(2030 + first)
    event = Event.objects.create(
        kind="course",
        title="市民活動入門講座",
        description="全3回",
        capacity=100,
        applications_open=now - dt.timedelta(days=7),
        applications_close=now + dt.timedelta(days=7),
        is_published=True,
    )
    for i in range(n):
        k = first + i
        organization = OrganizationFactory()
        EventApplication.objects.create(
            event=event,
            organization=organization,
            name="申込者",
            name_kana="モウシコミシャ",
            email=f"a{k}@example.jp",
            seats=1,
            status="pending",
            token=f"token-{k}",
            consent_at=now,
        )
        Session.objects.create(
            event=event,
            date=timezone.localdate(),
            starts=dt.time(10 + i % 8),
            ends=dt.time(11 + i % 8),
            place="区民館",
        )
        subsidy = SubsidyApplication.objects.create(
            programme=programme,
            organization=organization,
            title="防災講座",
            status="submitted",
            created_by=staff,
        )
        AdvancePayment.objects.create(application=subsidy, amount=10_000)
        Post.objects.create(
            number=f"B2026-{k + 1:04d}",
            kind="need",
            category="volunteers",
            title="ボランティア募集",
            description="清掃活動",
            region=Region.objects.get(name="日本橋"),
            organization=organization,
            created_by=staff,
        )
        GrantListing.objects.create(
            funder="財団",
            programme="地域助成",
            eligibility="団体",
            deadline=timezone.localdate() + dt.timedelta(days=30),
            status="suggested",
            suggested_for=organization,
        )


def test_every_pillar_adds_its_lines(client, staff):
    _new_pillars_work(staff, 2)
    client.force_login(staff)
    body = client.get(URL).content.decode()
    assert "2 件" in _line(body, "承認待ちの講座・イベント申込")
    assert "2 件" in _line(body, "本日の講座・イベントの回")
    assert "2 件" in _line(body, "交付決定待ちの補助金申請")
    assert "2 件" in _line(body, "未払いの概算払請求")
    assert "2 件" in _line(body, "センターの確認待ちの掲示板投稿")
    assert "2 件" in _line(body, "団体から提案された助成金情報")
    assert "0 件" in _line(body, "送信中のメールマガジン")
    assert "0 件" in _line(body, "合意中の評価目標")


def test_the_new_pillars_lines_cost_the_same_queries_for_one_item_and_many(
    client, staff, django_assert_num_queries
):
    client.force_login(staff)
    _new_pillars_work(staff, 1)
    client.get(URL)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(URL)
    _new_pillars_work(staff, 4)
    with django_assert_num_queries(len(one)):
        client.get(URL)
