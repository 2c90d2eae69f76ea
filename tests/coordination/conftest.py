import datetime as dt

import pytest

from coordination import services
from coordination.enums import PostStatus
from coordination.models import Region, Town
from organizations.models import ActivityField
from tests.factories import MembershipFactory, OrganizationFactory, StaffFactory


def region(name="日本橋"):
    return Region.objects.get(name=name)


def post_data(**overrides):
    data = {
        "kind": "need",
        "category": "volunteers",
        "title": "夏祭りの設営ボランティア募集",
        "description": "テントの設営と撤収を手伝ってください。",
        "partner_sought": "近隣の企業",
        "region": region(),
        "town": Town.objects.get(name="日本橋小伝馬町"),
        "starts_on": None,
        "ends_on": None,
    }
    data.update(overrides)
    return data


def fields(*numbers):
    return list(ActivityField.objects.filter(number__in=numbers or (3,)))


def manager_of(organization):
    return MembershipFactory(organization=organization, role="owner").user


def make_post(*, organization=None, by=None, publish=True, staff=None, numbers=(3,), **data):
    organization = organization or OrganizationFactory(
        org_type="chokai", email="chokai-secret@example.jp", phone="03-9999-0001"
    )
    by = by or manager_of(organization)
    post = services.post_create(
        by=by, organization=organization, data=post_data(**data), fields=fields(*numbers)
    )
    if publish:
        services.post_moderate(post=post, by=staff or StaffFactory(), to=PostStatus.PUBLISHED)
    return post


@pytest.fixture
def today():
    return dt.date(2026, 11, 20)
