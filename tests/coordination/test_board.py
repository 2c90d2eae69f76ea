"""The needs/offers board: moderation, the public board without contact details, matching,
interests that open one coordination case, expiry and reminders once, the poster's pages."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from consultations.models import Case, Party
from coordination import selectors, services
from coordination.enums import PostStatus
from coordination.models import BoardSettings, Interest, Post, PostEvent
from kyodo.exceptions import DomainError
from kyodo.workflow import TransitionNotAllowed
from tests.coordination.conftest import fields, make_post, manager_of, post_data, region
from tests.factories import (
    MembershipFactory,
    OrganizationFactory,
    StaffFactory,
    UserFactory,
    WardOfficialFactory,
)

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 20, 10)


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def company():
    return OrganizationFactory(org_type="company", name="株式会社テスト商事")


# --- moderation ---------------------------------------------------------------------------


def test_nothing_is_public_before_staff_publish_it(client):
    post = make_post(publish=False)
    board = client.get(reverse("coordination:board")).content.decode()
    assert post.title not in board
    assert client.get(reverse("coordination:post_detail", args=[post.pk])).status_code == 404
    services.post_moderate(post=post, by=StaffFactory(), to=PostStatus.PUBLISHED)
    assert post.title in client.get(reverse("coordination:board")).content.decode()
    assert client.get(reverse("coordination:post_detail", args=[post.pk])).status_code == 200


def test_publishing_sets_the_end_from_the_settings_and_tells_the_poster(
    django_capture_on_commit_callbacks,
):
    settings = BoardSettings.current()
    settings.validity_days = 30
    settings.save()
    post = make_post(publish=False)
    with django_capture_on_commit_callbacks(execute=True):
        services.post_moderate(post=post, by=StaffFactory(), to=PostStatus.PUBLISHED)
    post.refresh_from_db()
    assert post.valid_until == dt.date(2026, 12, 20)
    assert [m.to for m in mail.outbox] == [[post.organization.memberships.get().user.email]]
    assert list(post.events.values_list("old_status", "new_status")) == [
        ("", "submitted"),
        ("submitted", "published"),
    ]


@pytest.mark.parametrize("to", [PostStatus.CHANGES_REQUESTED, PostStatus.REFUSED])
def test_asking_for_changes_or_refusing_needs_a_reason_the_poster_reads(
    to, django_capture_on_commit_callbacks
):
    post = make_post(publish=False)
    staff = StaffFactory()
    with pytest.raises(DomainError):
        services.post_moderate(post=post, by=staff, to=to, reason=" ")
    with django_capture_on_commit_callbacks(execute=True):
        services.post_moderate(post=post, by=staff, to=to, reason="連絡先を削除してください。")
    assert "連絡先を削除してください。" in mail.outbox[0].body
    assert PostEvent.objects.get(post=post, new_status=to).reason == "連絡先を削除してください。"


def test_a_post_sent_back_goes_to_the_check_again_when_changed():
    post = make_post(publish=False)
    services.post_moderate(
        post=post, by=StaffFactory(), to=PostStatus.CHANGES_REQUESTED, reason="日付を入れて"
    )
    by = post.organization.memberships.get().user
    services.post_update(post=post, by=by, data=post_data(title="新しい題"), fields=fields(3))
    post.refresh_from_db()
    assert (post.status, post.title) == (PostStatus.SUBMITTED, "新しい題")


@pytest.mark.parametrize(
    ("start", "to", "allowed"),
    [
        (PostStatus.SUBMITTED, PostStatus.PUBLISHED, True),
        (PostStatus.SUBMITTED, PostStatus.CHANGES_REQUESTED, True),
        (PostStatus.SUBMITTED, PostStatus.REFUSED, True),
        (PostStatus.PUBLISHED, PostStatus.PUBLISHED, False),
        (PostStatus.PUBLISHED, PostStatus.REFUSED, False),
        (PostStatus.REFUSED, PostStatus.PUBLISHED, False),
        (PostStatus.CHANGES_REQUESTED, PostStatus.PUBLISHED, False),
        (PostStatus.WITHDRAWN, PostStatus.PUBLISHED, False),
        (PostStatus.EXPIRED, PostStatus.REFUSED, False),
    ],
)
def test_every_staff_decision_is_checked_against_the_workflow(start, to, allowed):
    post = make_post(publish=False)
    Post.objects.filter(pk=post.pk).update(
        status=start, valid_until=dt.date(2026, 12, 1) if start != "submitted" else None
    )
    post.refresh_from_db()
    if allowed:
        services.post_moderate(post=post, by=StaffFactory(), to=to, reason="理由")
        assert Post.objects.get(pk=post.pk).status == to
    else:
        with pytest.raises(DomainError):
            services.post_moderate(post=post, by=StaffFactory(), to=to, reason="理由")
        assert Post.objects.get(pk=post.pk).status == start


def test_only_staff_decide_and_only_managers_of_valid_groups_post():
    post = make_post(publish=False)
    with pytest.raises(DomainError):
        services.post_moderate(post=post, by=UserFactory(), to=PostStatus.PUBLISHED)
    member = MembershipFactory(organization=post.organization, role="member").user
    with pytest.raises(DomainError):
        services.post_create(
            by=member, organization=post.organization, data=post_data(), fields=fields(3)
        )
    expired = OrganizationFactory(status="expired", valid_until=dt.date(2026, 3, 31))
    with pytest.raises(DomainError):
        services.post_create(
            by=manager_of(expired), organization=expired, data=post_data(), fields=fields(3)
        )


def test_a_ward_official_posts_for_a_department():
    official = WardOfficialFactory()
    post = services.post_create(
        by=official, department="区民部地域振興課", data=post_data(), fields=fields(9)
    )
    assert (post.poster_kind, post.poster_name, post.organization) == (
        "ward",
        "区民部地域振興課",
        None,
    )
    with pytest.raises(DomainError):
        services.post_create(
            by=UserFactory(), department="区民部", data=post_data(), fields=fields(9)
        )


# --- the public board ---------------------------------------------------------------------


def test_public_pages_show_no_contact_details(client):
    organization = OrganizationFactory(
        org_type="chokai", email="secret-chokai@example.jp", phone="03-9999-0001",
        representative_name="秘密　太郎", street="日本橋人形町9-9-9",
    )  # fmt: skip
    post = make_post(organization=organization, description="防災訓練の手伝い")
    owner = organization.memberships.get().user
    pages = [
        client.get(reverse("coordination:board")).content.decode(),
        client.get(reverse("coordination:post_detail", args=[post.pk])).content.decode(),
    ]
    for page in pages:
        assert post.title in page
        for secret in (
            organization.email,
            organization.phone,
            organization.representative_name,
            organization.street,
            owner.email,
            owner.family_name + owner.given_name,
        ):
            assert secret not in page


def test_the_board_filters_by_kind_field_area_and_category(client):
    need = make_post(title="求む防災", numbers=(9,))
    offer = make_post(
        title="提供する会場", kind="offer", category="venue", region=region("京橋"), town=None
    )

    def titles(**params):
        page = client.get(reverse("coordination:board"), params).content.decode()
        return {title for title in ("求む防災", "提供する会場") if title in page}

    assert titles() == {need.title, offer.title}
    assert titles(kind="offer") == {offer.title}
    assert titles(field=9) == {need.title}
    assert titles(region=region("京橋").pk) == {offer.title}
    assert titles(category="venue") == {offer.title}
    assert titles(field="x", region="99999999999") == {need.title, offer.title}


def test_the_board_and_a_post_take_the_same_queries_for_one_post_or_many(
    client, django_assert_num_queries
):
    first = make_post()
    client.get(reverse("coordination:board"))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("coordination:board"))
    for n in range(4):
        make_post(title=f"募集{n}", numbers=(3, 9))
        make_post(title=f"提供{n}", kind="offer", numbers=(3, 13))
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(reverse("coordination:board"))
    assert len(one.captured_queries) <= 6
    # A post's page with one match, then one with four matches and their fields.
    lonely = make_post(title="月島の募集", region=region("月島"), town=None)
    make_post(title="月島の提供", kind="offer", region=region("月島"), town=None)
    with CaptureQueriesContext(connection) as alone:
        client.get(reverse("coordination:post_detail", args=[lonely.pk]))
    with django_assert_num_queries(len(alone.captured_queries)):
        response = client.get(reverse("coordination:post_detail", args=[first.pk]))
    assert len(response.context["matches"]) == 4


def test_matches_are_the_other_kind_in_the_same_area_sharing_a_field_with_overlapping_dates():
    need = make_post(starts_on=dt.date(2027, 1, 10), ends_on=dt.date(2027, 1, 11), numbers=(3,))
    good = make_post(kind="offer", title="良い", numbers=(3, 16))
    dated = make_post(
        kind="offer", title="期間内", starts_on=dt.date(2027, 1, 1), ends_on=dt.date(2027, 1, 10)
    )
    make_post(
        kind="offer", title="期間外", starts_on=dt.date(2027, 2, 1), ends_on=dt.date(2027, 2, 2)
    )
    make_post(kind="offer", title="他地域", region=region("月島"), town=None)
    make_post(kind="offer", title="他分野", numbers=(13,))
    make_post(kind="need", title="同じ種類")
    make_post(kind="offer", title="未掲載", publish=False)
    found = selectors.matches_for(selectors.public_post(need.pk))
    assert {p.title for p in found} == {good.title, dated.title}


# --- interests and the coordination case ------------------------------------------------


def test_an_interest_opens_one_case_with_both_parties(company):
    post = make_post()
    answering = manager_of(company)
    interest, created = services.interest_express(
        post=post, by=answering, organization=company, message="社員10名で手伝えます。"
    )
    assert created
    case = interest.case
    assert case.organization == company and case.asker == answering
    assert post.number in case.title
    parties = set(Party.objects.filter(case=case).values_list("role", "organization"))
    assert parties == {("asker", company.pk), ("partner", post.organization.pk)}
    assert case.categories.get().name == "協働コーディネート"


def test_a_second_press_opens_no_second_case(company):
    post = make_post()
    answering = manager_of(company)
    first, _ = services.interest_express(post=post, by=answering, organization=company, message="a")
    again, created = services.interest_express(
        post=post, by=answering, organization=company, message="b"
    )
    assert (again.pk, created) == (first.pk, False)
    assert Interest.objects.count() == 1 and Case.objects.count() == 1


def test_a_double_click_on_the_button_opens_one_case(client, company):
    post = make_post()
    answering = manager_of(company)
    client.force_login(answering)
    url = reverse("coordination:post_interest", args=[post.pk])
    for _ in range(2):
        assert client.post(url, {"message": "手伝えます"}).status_code == 302
    assert Case.objects.count() == 1 and Interest.objects.count() == 1


def test_the_poster_cannot_answer_their_own_post_nor_a_post_not_published(company):
    post = make_post()
    with pytest.raises(DomainError):
        services.interest_express(
            post=post, by=post.organization.memberships.get().user,
            organization=post.organization, message="自分",
        )  # fmt: skip
    hidden = make_post(publish=False)
    with pytest.raises(DomainError):
        services.interest_express(
            post=hidden, by=manager_of(company), organization=company, message="a"
        )
    assert Case.objects.count() == 0


def test_a_ward_official_answers_for_a_department():
    post = make_post()
    interest, _ = services.interest_express(
        post=post, by=WardOfficialFactory(), department="福祉保健部", message="協力できます"
    )
    assert interest.party_name == "福祉保健部" and interest.case is not None


def test_both_parties_see_the_case_on_their_mypage(client, company):
    post = make_post()
    answering = manager_of(company)
    interest, _ = services.interest_express(
        post=post, by=answering, organization=company, message="手伝えます"
    )
    for person in (answering, post.organization.memberships.get().user):
        client.force_login(person)
        page = client.get(reverse("accounts:mypage")).content.decode()
        assert interest.case.number in page and post.title in page


def test_staff_see_the_case_with_both_parties_and_record_the_outcome(client, company):
    post = make_post()
    interest, _ = services.interest_express(
        post=post, by=manager_of(company), organization=company, message="手伝えます"
    )
    staff = StaffFactory()
    client.force_login(staff)
    page = client.get(reverse("coordination:staff_post", args=[post.pk])).content.decode()
    assert interest.case.number in page and company.name in page
    case_page = client.get(reverse("consultations:case_detail", args=[interest.case.pk]))
    assert post.organization.name in case_page.content.decode()
    response = client.post(
        reverse("coordination:staff_outcome", args=[interest.pk]),
        {f"outcome-{interest.pk}-outcome": "matched"},
    )
    assert response.status_code == 302
    interest.refresh_from_db()
    assert (interest.outcome, interest.outcome_on) == ("matched", dt.date(2026, 11, 20))
    stats = selectors.statistics()
    assert dict((o.value, n) for o, n in stats["outcomes"])["matched"] == 1


# --- expiry, reminders, renewal -------------------------------------------------------------


def test_a_reminder_goes_once_per_period_and_again_after_renewal(
    django_capture_on_commit_callbacks,
):
    post = make_post()  # on the board until 2027-02-18 (90 days)
    owner = post.organization.memberships.get().user
    with django_capture_on_commit_callbacks(execute=True):
        assert services.post_reminders_send(today=dt.date(2027, 1, 1)) == 0
        assert services.post_reminders_send(today=dt.date(2027, 2, 10)) == 1
        assert services.post_reminders_send(today=dt.date(2027, 2, 10)) == 0
        assert services.post_reminders_send(today=dt.date(2027, 2, 11)) == 0
    assert [m.to for m in mail.outbox] == [[owner.email]]
    with time_machine.travel(dt.datetime(2027, 2, 12, 10), tick=False):
        services.post_renew(post=post, by=owner)
    post.refresh_from_db()
    assert post.valid_until == dt.date(2027, 5, 13)
    assert services.post_reminders_send(today=dt.date(2027, 5, 1)) == 1


def test_posts_past_their_end_leave_the_board_once_and_come_back_in_one_click(
    client, django_capture_on_commit_callbacks
):
    post = make_post()
    owner = post.organization.memberships.get().user
    with django_capture_on_commit_callbacks(execute=True):
        assert services.posts_expire(today=dt.date(2027, 2, 18)) == 0
        assert services.posts_expire(today=dt.date(2027, 2, 19)) == 1
        assert services.posts_expire(today=dt.date(2027, 2, 19)) == 0
    assert len(mail.outbox) == 1
    assert client.get(reverse("coordination:post_detail", args=[post.pk])).status_code == 404
    client.force_login(owner)
    for _ in range(2):  # a double click keeps one end date
        client.post(reverse("coordination:post_renew", args=[post.pk]))
    post.refresh_from_db()
    assert (post.status, post.valid_until) == (PostStatus.PUBLISHED, dt.date(2027, 2, 18))
    assert post.events.filter(new_status="published").count() == 2


def test_withdrawn_posts_cannot_be_renewed():
    post = make_post()
    owner = post.organization.memberships.get().user
    services.post_withdraw(post=post, by=owner)
    with pytest.raises(DomainError):
        services.post_renew(post=post, by=owner)
    with pytest.raises(TransitionNotAllowed):
        services.post_withdraw(post=post, by=owner)
