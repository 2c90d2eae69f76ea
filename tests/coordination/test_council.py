"""The council: members-only materials and their notice, the minutes' workflow, the public
page and its iCal feed, who may open what, and constant query counts for the lists."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from coordination import council_services as services
from coordination.enums import MinutesStatus
from coordination.models import CouncilMember, Meeting, Minutes, MinutesComment
from kyodo.exceptions import DomainError
from tests.coordination.conftest import manager_of
from tests.factories import (
    CouncilMemberFactory,
    OrganizationFactory,
    StaffFactory,
    WardOfficialFactory,
)

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 20, 10, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


def make_meeting(days=-7, **fields):
    starts = timezone.now() + dt.timedelta(days=days)
    values = {
        "title": "第1回 中央区協働推進会議",
        "starts_at": starts,
        "ends_at": starts + dt.timedelta(hours=2),
        "place": "十思スクエア",
        "agenda": "提案の審査について",
        **fields,
    }
    return Meeting.objects.create(**values)


def pdf(name="doc.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4\n%secret\n", "application/pdf")


def member(**fields):
    user = CouncilMemberFactory()
    CouncilMember.objects.create(
        user=user,
        category=fields.get("category", "expert"),
        affiliation="大学",
        term_start=fields.get("term_start", dt.date(2026, 4, 1)),
        term_end=fields.get("term_end", dt.date(2028, 3, 31)),
    )
    return user


@pytest.fixture
def world():
    staff = StaffFactory()
    meeting = make_meeting()
    public = services.material_add(
        meeting=meeting, by=staff, title="次第", upload=pdf("shidai.pdf"), is_public=True
    )
    closed = services.material_add(
        meeting=meeting, by=staff, title="非公開の審査資料", upload=pdf("s.pdf"), is_public=False
    )
    return {
        "meeting": meeting,
        "public": public,
        "closed": closed,
        "anonymous": None,
        "outsider": manager_of(OrganizationFactory()),
        "ward": WardOfficialFactory(),
        "council": member(),
        "staff": staff,
    }


def _status(client, user, url, method="get", data=None):
    client.logout()
    if user is not None:
        client.force_login(user)
    return getattr(client, method)(url, data or {}).status_code


# --- materials -------------------------------------------------------------------------------


def test_closed_materials_never_reach_the_public(client, world):
    closed = reverse("council:material", args=[world["closed"].pk])
    public = reverse("council:material", args=[world["public"].pk])
    got = {role: _status(client, world[role], closed) for role in ("anonymous", "outsider", "ward")}
    assert got == {"anonymous": 404, "outsider": 404, "ward": 404}
    assert _status(client, world["council"], closed) == 200
    assert _status(client, world["staff"], closed) == 200
    assert _status(client, None, public) == 200
    page = client.get(reverse("council:meeting", args=[world["meeting"].pk])).content.decode()
    assert "次第" in page and "非公開の審査資料" not in page


def test_a_public_material_of_an_unlisted_meeting_is_not_public(client, world):
    Meeting.objects.filter(pk=world["meeting"].pk).update(is_public=False)
    public = reverse("council:material", args=[world["public"].pk])
    assert _status(client, None, public) == 404
    assert _status(client, None, reverse("council:meeting", args=[world["meeting"].pk])) == 404
    assert _status(client, world["council"], public) == 200


def test_a_new_material_is_announced_once_to_each_current_member(
    django_capture_on_commit_callbacks,
):
    current, other = member(), member(category="ward")
    member(term_start=dt.date(2022, 4, 1), term_end=dt.date(2024, 3, 31))  # a past term
    CouncilMember.objects.create(  # a term whose account no longer holds the role
        user=WardOfficialFactory(), category="ward", affiliation="区",
        term_start=dt.date(2026, 4, 1), term_end=dt.date(2028, 3, 31),
    )  # fmt: skip
    meeting = make_meeting(days=10)
    with django_capture_on_commit_callbacks(execute=True):
        services.material_add(
            meeting=meeting, by=StaffFactory(), title="資料", upload=pdf(), is_public=False
        )
    assert sorted(m.to[0] for m in mail.outbox) == sorted([current.email, other.email])
    assert "非公開" not in mail.outbox[0].body


def test_only_staff_add_materials_and_write_minutes():
    meeting = make_meeting()
    with pytest.raises(DomainError):
        services.material_add(meeting=meeting, by=member(), title="x", upload=pdf(), is_public=True)
    with pytest.raises(DomainError):
        services.minutes_save(meeting=meeting, by=member(), text="議事")


# --- minutes ---------------------------------------------------------------------------------


def test_minutes_are_public_only_once_approved_and_published(client):
    staff = StaffFactory()
    meeting = make_meeting()
    minutes = services.minutes_save(meeting=meeting, by=staff, text="協議した内容の記録")
    url = reverse("council:meeting", args=[meeting.pk])
    for to in (MinutesStatus.IN_REVIEW, MinutesStatus.APPROVED):
        services.minutes_move(minutes=minutes, by=staff, to=to)
        assert "協議した内容の記録" not in client.get(url).content.decode()
    services.minutes_move(minutes=minutes, by=staff, to=MinutesStatus.PUBLISHED)
    assert "協議した内容の記録" in client.get(url).content.decode()
    assert Minutes.objects.get(pk=minutes.pk).published_at == timezone.now()


@pytest.mark.parametrize(
    ("start", "to", "allowed"),
    [
        ("draft", "in_review", True),
        ("draft", "approved", False),
        ("draft", "published", False),
        ("in_review", "approved", True),
        ("in_review", "draft", True),
        ("in_review", "published", False),
        ("approved", "published", True),
        ("approved", "in_review", True),
        ("approved", "draft", False),
        ("published", "draft", False),
        ("published", "in_review", False),
    ],
)
def test_every_move_of_the_minutes_is_checked(start, to, allowed):
    minutes = Minutes.objects.create(meeting=make_meeting(), text="記録", status=start)
    if allowed:
        services.minutes_move(minutes=minutes, by=StaffFactory(), to=to)
        assert Minutes.objects.get(pk=minutes.pk).status == to
    else:
        with pytest.raises(DomainError):
            services.minutes_move(minutes=minutes, by=StaffFactory(), to=to)
        assert Minutes.objects.get(pk=minutes.pk).status == start


def test_members_comment_only_while_they_check_the_minutes(client):
    staff, council = StaffFactory(), member()
    meeting = make_meeting()
    minutes = services.minutes_save(meeting=meeting, by=staff, text="記録")
    page = reverse("council:member_meeting", args=[meeting.pk])
    client.force_login(council)
    assert "記録" not in client.get(page).content.decode().split("h-minutes")[1]  # a draft
    comment = reverse("council:minutes_comment", args=[meeting.pk])
    assert client.post(comment, {"text": "早すぎる"}).status_code == 404
    services.minutes_move(minutes=minutes, by=staff, to=MinutesStatus.IN_REVIEW)
    assert client.post(comment, {"text": "発言者名を確認"}).status_code == 302
    assert MinutesComment.objects.get().text == "発言者名を確認"
    with pytest.raises(DomainError):
        services.minutes_comment(minutes=minutes, by=staff, text="職員")
    services.minutes_move(minutes=minutes, by=staff, to=MinutesStatus.APPROVED)
    assert client.post(comment, {"text": "遅すぎる"}).status_code == 404
    with pytest.raises(DomainError):
        services.minutes_save(meeting=meeting, by=staff, text="書き換え")


# --- pages -----------------------------------------------------------------------------------


MATRIX = [
    ("meetings", None, {"anonymous": 200, "outsider": 200, "council": 200}),
    ("meetings_ics", None, {"anonymous": 200}),
    ("meeting", "meeting", {"anonymous": 200, "outsider": 200}),
    (
        "member_home",
        None,
        {"anonymous": 302, "outsider": 404, "ward": 404, "council": 200, "staff": 200},
    ),
    (
        "member_meeting",
        "meeting",
        {"anonymous": 302, "outsider": 404, "ward": 404, "council": 200, "staff": 200},
    ),
    (
        "staff_meeting",
        "meeting",
        {"anonymous": 302, "outsider": 404, "ward": 404, "council": 404, "staff": 200},
    ),
]


@pytest.mark.parametrize(("name", "target", "expected"), MATRIX)
def test_who_may_open_each_council_page(client, world, name, target, expected):
    url = reverse(f"council:{name}", args=[world[target].pk] if target else [])
    assert {role: _status(client, world[role], url) for role in expected} == expected


@pytest.mark.parametrize(
    "name", ["staff_material_add", "staff_minutes_save", "staff_minutes_move", "minutes_comment"]
)
def test_council_actions_refuse_people_without_the_right(client, world, name):
    url = reverse(f"council:{name}", args=[world["meeting"].pk])
    got = {
        role: _status(client, world[role], url, "post", {"text": "x", "to": "in_review"})
        for role in ("anonymous", "outsider", "ward")
    }
    assert got == {"anonymous": 302, "outsider": 404, "ward": 404}
    assert world["meeting"].materials.count() == 2
    assert not Minutes.objects.exists()


def test_staff_write_the_minutes_and_add_materials_on_the_meeting_page(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world["staff"])
    meeting = world["meeting"]
    response = client.post(
        reverse("council:staff_minutes_save", args=[meeting.pk]), {"minutes-text": "議事の記録"}
    )
    assert response.status_code == 302
    client.post(reverse("council:staff_minutes_move", args=[meeting.pk]), {"to": "in_review"})
    assert Minutes.objects.get(meeting=meeting).status == "in_review"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("council:staff_material_add", args=[meeting.pk]),
            {"material-title": "追加資料", "material-file": pdf(), "material-is_public": "on"},
        )
    assert response.status_code == 302
    assert meeting.materials.filter(title="追加資料", is_public=True).exists()
    assert [m.to[0] for m in mail.outbox if "資料" in m.subject or "material" in m.subject] == [
        world["council"].email
    ]


def test_the_ical_feed_lists_listed_meetings_only(client):
    listed = make_meeting(days=5, title="公開の会議")
    make_meeting(days=6, title="非公開の会議", is_public=False)
    body = client.get(reverse("council:meetings_ics")).content.decode()
    assert f"council-meeting-{listed.pk}@kyodo" in body
    assert "非公開の会議" not in body


def test_the_council_lists_take_the_same_queries_for_one_meeting_or_many(
    client, django_assert_num_queries
):
    staff = StaffFactory()
    council = member()
    first = make_meeting(days=-3)
    services.material_add(meeting=first, by=staff, title="a", upload=pdf(), is_public=True)
    pages = [
        (None, reverse("council:meetings")),
        (council, reverse("council:member_home")),
        (None, reverse("council:meetings_ics")),
        (None, reverse("council:meeting", args=[first.pk])),
        (council, reverse("council:member_meeting", args=[first.pk])),
    ]
    counts = {}
    for user, url in pages:
        client.logout()
        if user:
            client.force_login(user)
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        counts[url] = len(captured.captured_queries)
    for n in range(4):
        past = make_meeting(days=-10 - n, title=f"第{n}回")
        services.minutes_save(meeting=past, by=staff, text="記録")
        make_meeting(days=10 + n, title=f"予定{n}")
        services.material_add(
            meeting=first, by=staff, title=f"資料{n}", upload=pdf(), is_public=n % 2 == 0
        )
    for user, url in pages:
        client.logout()
        if user:
            client.force_login(user)
        with django_assert_num_queries(counts[url]):
            client.get(url)
