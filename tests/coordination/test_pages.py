"""Who may open which page of the board (a permission matrix), the posting and editing forms,
and constant query counts for the lists."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from coordination import services
from coordination.models import Post
from tests.coordination.conftest import make_post, manager_of, region
from tests.factories import (
    CouncilMemberFactory,
    MembershipFactory,
    OrganizationFactory,
    StaffFactory,
    WardOfficialFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(dt.datetime(2026, 11, 20, 10), tick=False):
        yield


@pytest.fixture
def world():
    post = make_post()
    hidden = make_post(
        publish=False,
        title="確認待ちの投稿",
        organization=post.organization,
        by=post.organization.memberships.get().user,
    )
    company = OrganizationFactory(org_type="company")
    interest, _ = services.interest_express(
        post=post, by=manager_of(company), organization=company, message="手伝えます"
    )
    return {
        "post": post,
        "hidden": hidden,
        "interest": interest,
        "anonymous": None,
        "outsider": manager_of(OrganizationFactory()),
        "member": MembershipFactory(organization=post.organization, role="member").user,
        "poster": post.organization.memberships.get(role="owner").user,
        "ward": WardOfficialFactory(),
        "council": CouncilMemberFactory(),
        "staff": StaffFactory(),
    }


def _get(client, user, url):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client.get(url).status_code


# Expected status per role: 200 shown, 302 to log in, 404 as if the page did not exist, 403
# the page that explains who may post.
MATRIX = [
    ("board", None, {"anonymous": 200, "outsider": 200, "poster": 200, "staff": 200}),
    ("post_detail", "post", {"anonymous": 200, "outsider": 200, "staff": 200, "council": 200}),
    ("post_detail", "hidden", {"anonymous": 404, "outsider": 404, "poster": 404, "staff": 404}),
    (
        "post_create",
        None,
        {"anonymous": 302, "outsider": 200, "member": 403, "council": 403, "ward": 200},
    ),
    ("mine", None, {"anonymous": 302, "outsider": 200, "poster": 200}),
    (
        "my_post",
        "post",
        {
            "anonymous": 302,
            "outsider": 404,
            "member": 404,
            "ward": 404,
            "poster": 200,
            "staff": 404,
        },
    ),
    ("post_edit", "hidden", {"anonymous": 302, "outsider": 404, "member": 404, "poster": 200}),
    ("post_edit", "post", {"poster": 404}),  # published: no more changes
    (
        "staff_posts",
        None,
        {"anonymous": 302, "outsider": 404, "ward": 404, "council": 404, "staff": 200},
    ),
    ("staff_post", "post", {"anonymous": 302, "poster": 404, "ward": 404, "staff": 200}),
    ("staff_statistics", None, {"anonymous": 302, "poster": 404, "staff": 200}),
]


@pytest.mark.parametrize(("name", "target", "expected"), MATRIX)
def test_who_may_open_each_page(client, world, name, target, expected):
    args = [world[target].pk] if target else []
    url = reverse(f"coordination:{name}", args=args)
    got = {role: _get(client, world[role], url) for role in expected}
    assert got == expected


@pytest.mark.parametrize(
    ("name", "target", "expected"),
    [
        ("post_interest", "post", {"anonymous": 302, "poster": 404, "member": 404, "council": 404}),
        ("post_interest", "hidden", {"outsider": 404, "ward": 404}),
        ("post_renew", "post", {"anonymous": 302, "outsider": 404, "member": 404}),
        ("post_withdraw", "post", {"anonymous": 302, "outsider": 404, "member": 404}),
        ("staff_moderate", "hidden", {"anonymous": 302, "poster": 404, "ward": 404}),
        ("staff_outcome", "interest", {"anonymous": 302, "poster": 404, "outsider": 404}),
    ],
)
def test_actions_refuse_everyone_without_the_right_and_change_nothing(
    client, world, name, target, expected
):
    url = reverse(f"coordination:{name}", args=[world[target].pk])
    before = list(Post.objects.order_by("pk").values_list("status", "valid_until"))
    got = {}
    for role in expected:
        client.logout()
        if world[role] is not None:
            client.force_login(world[role])
        got[role] = client.post(url, {"message": "x", "decision": "published"}).status_code
    assert got == expected
    assert list(Post.objects.order_by("pk").values_list("status", "valid_until")) == before
    assert world["interest"].__class__.objects.count() == 1


def test_a_manager_posts_through_the_form_and_staff_publish_it(
    client, django_capture_on_commit_callbacks
):
    organization = OrganizationFactory(org_type="chokai")
    owner = manager_of(organization)
    client.force_login(owner)
    response = client.post(
        reverse("coordination:post_create"),
        {
            "kind": "need",
            "category": "venue",
            "title": "会場を探しています",
            "description": "30名の講座の会場",
            "activity_fields": ["1", "3"],
            "region": str(region().pk),
            "starts_on": "2026-12-10",
            "ends_on": "2026-12-01",
        },
    )
    assert response.status_code == 200  # the dates are out of order
    assert "ends_on" in response.context["form"].errors
    response = client.post(
        reverse("coordination:post_create"),
        {
            "kind": "need",
            "category": "venue",
            "title": "会場を探しています",
            "description": "30名の講座の会場",
            "activity_fields": [
                str(pk)
                for pk in Post.activity_fields.field.related_model.objects.filter(
                    number__in=[1, 3]
                ).values_list("pk", flat=True)
            ],
            "region": str(region().pk),
        },
    )
    post = Post.objects.get(title="会場を探しています")
    assert response.status_code == 302 and post.organization == organization
    client.force_login(StaffFactory())
    response = client.post(
        reverse("coordination:staff_moderate", args=[post.pk]), {"decision": "refused"}
    )
    assert response.status_code == 200  # a refusal needs a reason
    client.post(reverse("coordination:staff_moderate", args=[post.pk]), {"decision": "published"})
    post.refresh_from_db()
    assert post.status == "published"


def test_the_lists_take_the_same_queries_for_one_row_or_many(client, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    organization = OrganizationFactory(org_type="chokai")
    owner = manager_of(organization)
    staff = StaffFactory()
    make_post(organization=organization, by=owner)
    pages = [
        (owner, reverse("coordination:mine")),
        (owner, reverse("accounts:mypage")),
        (staff, reverse("coordination:staff_posts")),
        (staff, reverse("coordination:staff_statistics")),
    ]
    counts = {}
    for user, url in pages:
        client.force_login(user)
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        counts[url] = len(captured.captured_queries)
    for n in range(4):
        post = make_post(organization=organization, by=owner, title=f"投稿{n}")
        company = OrganizationFactory(org_type="company")
        services.interest_express(
            post=post, by=manager_of(company), organization=company, message="手伝えます"
        )
    for user, url in pages:
        client.force_login(user)
        with django_assert_num_queries(counts[url]):
            client.get(url)
