"""The application pages: applying as a visitor, a signed-in person or a group's manager; the
applicant's page by its secret link; the staff's applicant list and its actions."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from events import applications
from events.models import Application, Question
from kyodo.models import OutboxMail
from tests.events.conftest import add_session, in_days, make_event
from tests.events.test_applications import apply
from tests.factories import MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

VISITOR = {
    "name": "日本橋　花子",
    "name_kana": "にほんばし　はなこ",
    "email": "Hanako@Example.jp",
    "phone": "０３−３３３３−４４４４",
    "consent": "on",
}


@pytest.fixture
def event():
    event = make_event(capacity=2)
    add_session(event, in_days(10), place="区民館")
    return event


def test_a_visitor_applies_and_lands_on_their_application_page(client, event):
    Question.objects.create(event=event, text="参加の動機", kind="text", required=True)
    question = event.questions.get()

    response = client.post(
        reverse("events:apply", args=[event.pk]),
        {**VISITOR, f"question_{question.pk}": "地域デビューしたい"},
    )

    application = Application.objects.get(event=event)
    assert response.status_code == 302 and response["Location"] == application.get_absolute_url()
    assert application.name_kana == "ニホンバシ　ハナコ"
    assert application.email == "hanako@example.jp" and application.phone == "03-3333-4444"
    assert application.answers.get().value == "地域デビューしたい"
    assert OutboxMail.objects.filter(purpose="events.application_received").count() == 1
    page = client.get(application.get_absolute_url()).content.decode()
    assert "地域デビューしたい" in page and "日本橋" in page


def test_a_visitor_must_consent_and_answer_required_questions(client, event):
    Question.objects.create(event=event, text="参加の動機", kind="text", required=True)
    response = client.post(reverse("events:apply", args=[event.pk]), {**VISITOR, "consent": ""})
    assert response.status_code == 200
    assert not Application.objects.exists()


def test_a_full_event_puts_the_next_applicant_on_the_waitlist(client, event):
    apply(event), apply(event)
    response = client.post(reverse("events:apply", args=[event.pk]), VISITOR)
    application = Application.objects.get(email="hanako@example.jp")
    assert response.status_code == 302 and application.status == "waitlisted"


def test_a_manager_applies_for_seats_of_the_group(client, event):
    membership = MembershipFactory(role="owner")
    client.force_login(membership.user)
    page = client.get(reverse("events:apply", args=[event.pk])).content.decode()
    assert membership.organization.name in page

    client.post(
        reverse("events:apply", args=[event.pk]),
        {
            **VISITOR,
            "applicant": str(membership.organization.pk),
            "seats": "2",
        },
    )

    application = Application.objects.get()
    assert application.organization == membership.organization and application.seats == 2
    assert application.user == membership.user


def test_a_member_cannot_apply_for_the_group(client, event):
    membership = MembershipFactory(role="member")
    client.force_login(membership.user)
    client.post(
        reverse("events:apply", args=[event.pk]),
        {**VISITOR, "applicant": str(membership.organization.pk), "seats": "2"},
    )
    application = Application.objects.get()
    assert application.organization is None and application.seats == 1


def test_closed_and_unpublished_events_take_no_applications(client):
    now = timezone.now()
    closed = make_event(
        applications_open=now - dt.timedelta(days=10),
        applications_close=now - dt.timedelta(days=1),
    )
    add_session(closed, in_days(5), place="区民館")
    client.post(reverse("events:apply", args=[closed.pk]), VISITOR)
    hidden = make_event(published=False)
    assert client.get(reverse("events:apply", args=[hidden.pk])).status_code == 404
    assert not Application.objects.exists()


def test_the_applicant_cancels_and_takes_an_offer_by_their_link(client, event):
    first, _second, waiting = apply(event), apply(event), apply(event)

    client.post(reverse("events:application_cancel", args=[first.token]))
    waiting.refresh_from_db()
    assert waiting.status == "offered"
    client.post(reverse("events:offer_accept", args=[waiting.token]))

    waiting.refresh_from_db()
    first.refresh_from_db()
    assert first.status == "cancelled" and waiting.status == "confirmed"


def test_an_unknown_link_is_not_found(client):
    assert client.get(reverse("events:application", args=["no-such-token"])).status_code == 404
    assert (
        client.post(reverse("events:application_cancel", args=["no-such-token"])).status_code == 404
    )


def test_mypage_lists_ones_own_and_ones_groups_applications(client, event):
    membership = MembershipFactory(role="member")
    apply(event, organization=membership.organization)
    client.force_login(membership.user)
    page = client.get(reverse("accounts:mypage")).content.decode()
    assert "Jisshi" in page or "十思カフェ" in page


def test_the_organization_page_lists_its_events(client, event, staff):
    organization = OrganizationFactory()
    apply(event, organization=organization, seats=2)
    client.force_login(staff)
    page = client.get(reverse("organizations:staff_detail", args=[organization.pk])).content
    assert "十思カフェ" in page.decode()


# --- staff ------------------------------------------------------------------------------------


def _staff_urls(event, application):
    return [
        ("get", reverse("events_staff:application_list", args=[event.pk])),
        ("post", reverse("events_staff:application_action", args=[application.pk, "cancel"])),
    ]


@pytest.mark.parametrize("who", ["anonymous", "member", "manager", "ward"])
def test_the_staff_applicant_pages_are_closed_to_others(client, event, who, ward_official):
    application = apply(event)
    people = {
        "member": lambda: MembershipFactory(role="member").user,
        "manager": lambda: MembershipFactory(role="owner").user,
        "ward": lambda: ward_official,
    }
    if who != "anonymous":
        client.force_login(people[who]())
    for method, url in _staff_urls(event, application):
        response = getattr(client, method)(url)
        assert response.status_code == (302 if who == "anonymous" else 404)
    application.refresh_from_db()
    assert application.status == "confirmed"


def test_staff_approve_decline_promote_and_cancel(client, event, staff):
    event.needs_approval = True
    event.save()
    kept, refused, waiting = apply(event), apply(event), apply(event)
    client.force_login(staff)

    def act(application, action, **data):
        return client.post(
            reverse("events_staff:application_action", args=[application.pk, action]), data
        )

    act(kept, "approve")
    act(refused, "decline", reason="対象外")
    assert act(kept, "explode").status_code == 404
    kept.refresh_from_db()
    refused.refresh_from_db()
    waiting.refresh_from_db()
    assert (kept.status, refused.status, waiting.status) == ("confirmed", "declined", "offered")
    act(kept, "cancel")
    kept.refresh_from_db()
    assert kept.status == "cancelled"
    page = client.get(reverse("events_staff:application_list", args=[event.pk])).content
    assert waiting.name in page.decode()


def test_staff_promote_by_hand(client, staff):
    event = make_event(capacity=1)
    add_session(event, in_days(10), place="区民館")
    apply(event)
    waiting = apply(event)
    event.capacity = 2
    event.save()
    client.force_login(staff)
    client.post(reverse("events_staff:application_action", args=[waiting.pk, "promote"]))
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        client.get(url)
    return len(context.captured_queries)


def test_the_applicant_list_takes_constant_queries(client, staff, django_assert_num_queries):
    event = make_event(capacity=50)
    add_session(event, in_days(10), place="区民館")
    apply(event)
    client.force_login(staff)
    url = reverse("events_staff:application_list", args=[event.pk])
    one = _count(client, url)
    for _ in range(5):
        apply(event)
    apply(event, organization=OrganizationFactory(), seats=3)
    with django_assert_num_queries(one):
        client.get(url)


def test_mypage_takes_constant_queries_for_applications(client, django_assert_num_queries):
    membership = MembershipFactory(role="owner")
    client.force_login(membership.user)
    event = make_event(capacity=50)
    add_session(event, in_days(10), place="区民館")
    apply(event, organization=membership.organization)
    url = reverse("accounts:mypage")
    one = _count(client, url)
    for _ in range(4):
        other = make_event(capacity=5)
        add_session(other, in_days(12), place="区民館")
        applications.application_create(
            event=other,
            name="a",
            name_kana="ア",
            email=membership.user.email,
            user=membership.user,
        )
    with django_assert_num_queries(one):
        client.get(url)
